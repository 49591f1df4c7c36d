//! The option tables: [`Opt`], [`ToolSpec`], and what `--help`, the man
//! pages and the completions read from them.

use crate::values::Value;

/// Whether an option takes a value, as in `struct option.has_arg`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HasArg {
    /// `no_argument`
    No,
    /// `required_argument`: attached (`-i5`, `--id=5`) or the next word.
    Required,
    /// `optional_argument`: only when attached (`-u/path`, `--uts=/path`).
    Optional,
}

/// One command-line option: the single definition parsing, help, man pages
/// and completions are generated from.
#[derive(Clone, Copy, Debug)]
pub struct Opt<T: 'static> {
    pub id: T,
    pub short: Option<char>,
    /// Long name without the leading `--`; empty for short-only options.
    pub long: &'static str,
    pub arg: HasArg,
    /// Placeholder shown in help, e.g. `<id>`; empty when there is no value.
    pub value_name: &'static str,
    /// One line of help; empty hides the option from `--help` and the docs.
    pub help: &'static str,
    /// Help section heading this option is listed under (`""` = "Options:").
    pub section: &'static str,
    /// The short form takes no value even though the long form takes an
    /// optional one (unshare's `-m` vs `--mount[=file]`: `-mu` is two flags).
    pub short_is_flag: bool,
    /// The man page's description of the option: plain text, paragraphs
    /// separated by a blank line; empty means the one-line `help`.
    pub man: &'static str,
    /// What the value is, so completions offer the right candidates.
    pub values: Value,
    /// An option util-linux does not have: an abbreviation matches it only
    /// when it matches no util-linux option, so every abbreviation
    /// util-linux accepts (or calls ambiguous) keeps its meaning.
    pub extension: bool,
}

impl<T: Copy> Opt<T> {
    /// An option without a value.
    pub const fn flag(id: T, short: Option<char>, long: &'static str, help: &'static str) -> Self {
        Self::new(id, short, long, HasArg::No, "", help)
    }

    /// An option with a required value.
    pub const fn value(
        id: T,
        short: Option<char>,
        long: &'static str,
        value_name: &'static str,
        help: &'static str,
    ) -> Self {
        Self::new(id, short, long, HasArg::Required, value_name, help)
    }

    /// An option with an optional, attached value.
    pub const fn optional(
        id: T,
        short: Option<char>,
        long: &'static str,
        value_name: &'static str,
        help: &'static str,
    ) -> Self {
        Self::new(id, short, long, HasArg::Optional, value_name, help)
    }

    /// The option with every other field at its default; the builders
    /// below change them.
    const fn new(
        id: T,
        short: Option<char>,
        long: &'static str,
        arg: HasArg,
        value_name: &'static str,
        help: &'static str,
    ) -> Self {
        Opt {
            id,
            short,
            long,
            arg,
            value_name,
            help,
            section: "",
            short_is_flag: false,
            man: "",
            values: Value::Text,
            extension: false,
        }
    }

    /// The same option whose short form is a plain flag (see
    /// [`Opt::short_is_flag`]).
    pub const fn short_flag(mut self) -> Self {
        self.short_is_flag = true;
        self
    }

    /// The same option, marked as nsipc's own (see [`Opt::extension`]).
    pub const fn extension(mut self) -> Self {
        self.extension = true;
        self
    }

    /// The same option, listed under another help section.
    pub const fn in_section(mut self, section: &'static str) -> Self {
        self.section = section;
        self
    }

    /// The same option with its man page description (see [`Opt::man`]).
    pub const fn man(mut self, text: &'static str) -> Self {
        self.man = text;
        self
    }

    /// The same option with its kind of value (see [`Opt::values`]).
    pub const fn values(mut self, values: Value) -> Self {
        self.values = values;
        self
    }
}

/// How non-option words are treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ordering {
    /// GNU default: options and operands may be mixed (getopt permutes).
    Permute,
    /// A leading `+` in the optstring: the first operand and everything after
    /// it belong to the program to run (`unshare -i sh -c …`).
    StopAtOperand,
}

/// Everything a tool declares about its command line.
pub struct ToolSpec<T: 'static> {
    pub name: &'static str,
    /// Usage lines without the leading space, e.g. `ipcs [options]`.
    pub usage: &'static [&'static str],
    /// One-paragraph description, shown after the usage lines.
    pub about: &'static str,
    pub ordering: Ordering,
    pub options: &'static [Opt<T>],
    /// Extra text printed after the option list (column lists and the like),
    /// and used as extra man page sections.
    pub epilog: &'static str,
    /// The order `--help` and the man page list the options in, when it is
    /// not the table's (the table keeps util-linux's long-option order,
    /// which getopt's "ambiguous" message follows). Empty: table order.
    pub help_order: &'static [T],
    /// What the non-option words are, for completions.
    pub operands: Value,
}

impl<T: Copy + PartialEq> ToolSpec<T> {
    /// The options in listing order: [`ToolSpec::help_order`] first, then
    /// any the order leaves out, in table order.
    pub fn listed(&self) -> Vec<&'static Opt<T>> {
        let options: &'static [Opt<T>] = self.options;
        let mut out: Vec<&'static Opt<T>> = self
            .help_order
            .iter()
            .filter_map(|id| options.iter().find(|o| o.id == *id))
            .collect();
        for opt in options {
            if !self.help_order.contains(&opt.id) {
                out.push(opt);
            }
        }
        out
    }

    /// The `--help` text, in util-linux's layout: usage, description, then
    /// each section's options with their help aligned per section.
    pub fn help(&self) -> String {
        let mut out = String::from("\nUsage:\n");
        for line in self.usage {
            out.push(' ');
            out.push_str(line);
            out.push('\n');
        }
        if !self.about.is_empty() {
            out.push('\n');
            out.push_str(self.about);
            out.push('\n');
        }
        for (section, opts) in self.sections() {
            out.push('\n');
            out.push_str(if section.is_empty() {
                "Options:"
            } else {
                section
            });
            out.push('\n');
            let rendered: Vec<(String, &str)> =
                opts.iter().map(|o| (o.synopsis(), o.help)).collect();
            let width = rendered
                .iter()
                .map(|(s, _)| s.chars().count())
                .max()
                .unwrap_or(0);
            for (synopsis, help) in rendered {
                let pad = width - synopsis.chars().count();
                out.push_str(&format!(" {synopsis}{}  {help}\n", " ".repeat(pad)));
            }
        }
        if !self.epilog.is_empty() {
            out.push('\n');
            out.push_str(self.epilog);
            if !self.epilog.ends_with('\n') {
                out.push('\n');
            }
        }
        out.push_str(&format!("\nFor more details see {}(1).\n", self.name));
        out
    }

    /// Visible options grouped by section, sections in order of first use.
    pub fn sections(&self) -> Vec<(&'static str, Vec<&'static Opt<T>>)>
    where
        T: PartialEq,
    {
        let mut sections: Vec<(&'static str, Vec<&'static Opt<T>>)> = Vec::new();
        for opt in self.listed().into_iter().filter(|o| !o.help.is_empty()) {
            match sections.iter_mut().find(|(s, _)| *s == opt.section) {
                Some((_, list)) => list.push(opt),
                None => sections.push((opt.section, vec![opt])),
            }
        }
        sections
    }
}

impl<T> Opt<T> {
    /// `-i, --id <id>` / `    --human` / `-u, --uts[=<file>]`, as util-linux
    /// help prints it.
    pub fn synopsis(&self) -> String {
        let mut s = match (self.short, self.long.is_empty()) {
            (Some(c), false) => format!("-{c}, --{}", self.long),
            (Some(c), true) => format!("-{c}"),
            (None, _) => format!("    --{}", self.long),
        };
        match self.arg {
            HasArg::No => {}
            HasArg::Required => {
                s.push(' ');
                s.push_str(self.value_name);
            }
            HasArg::Optional => {
                s.push_str("[=");
                s.push_str(self.value_name);
                s.push(']');
            }
        }
        s
    }
}

/// A tool's option table with the option ids erased: what man pages and
/// completions need, the same for every tool.
pub struct OptDoc {
    pub name: &'static str,
    pub usage: &'static [&'static str],
    pub epilog: &'static str,
    /// In listing order (help order).
    pub options: Vec<Opt<()>>,
    pub operands: Value,
}

impl<T: Copy + PartialEq> ToolSpec<T> {
    /// The type-erased view used by `crate::doc`.
    pub fn doc(&self) -> OptDoc {
        OptDoc {
            name: self.name,
            usage: self.usage,
            epilog: self.epilog,
            operands: self.operands,
            options: self
                .listed()
                .into_iter()
                .map(|o| Opt {
                    id: (),
                    short: o.short,
                    long: o.long,
                    arg: o.arg,
                    value_name: o.value_name,
                    help: o.help,
                    section: o.section,
                    short_is_flag: o.short_is_flag,
                    man: o.man,
                    values: o.values,
                    extension: o.extension,
                })
                .collect(),
        }
    }
}
