//! A `getopt_long`-compatible command-line layer over [`lexopt`].
//!
//! Every tool declares its options once, as a [`ToolSpec`] holding a table of
//! [`Opt`]s. The same table drives parsing (this module), `--help`
//! ([`ToolSpec::help`]), and the man pages and shell completions
//! (`crate::doc`). Nothing about an option is written twice.
//!
//! Why not clap: util-linux scripts depend on glibc `getopt_long` details that
//! clap cannot express — optional values that must be attached (`nsenter
//! -u/proc/1/ns/uts`, `-iu` meaning "ipc namespace file `u`"), `-m=/x` meaning
//! the file `=/x`, unique prefixes of long options with getopt's "is ambiguous;
//! possibilities:" message, exit status 1 for usage errors, and stopping at the
//! program name (`+`). lexopt tokenises; this layer adds the table lookup,
//! prefix matching and glibc's exact messages.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::os::unix::ffi::OsStrExt;

use crate::report::{Failure, Prog};
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
        Opt {
            id,
            short,
            long,
            arg: HasArg::No,
            value_name: "",
            help,
            section: "",
            short_is_flag: false,
            man: "",
            values: Value::Text,
            extension: false,
        }
    }

    /// An option with a required value.
    pub const fn value(
        id: T,
        short: Option<char>,
        long: &'static str,
        value_name: &'static str,
        help: &'static str,
    ) -> Self {
        Opt {
            id,
            short,
            long,
            arg: HasArg::Required,
            value_name,
            help,
            section: "",
            short_is_flag: false,
            man: "",
            values: Value::Text,
            extension: false,
        }
    }

    /// An option with an optional, attached value.
    pub const fn optional(
        id: T,
        short: Option<char>,
        long: &'static str,
        value_name: &'static str,
        help: &'static str,
    ) -> Self {
        Opt {
            id,
            short,
            long,
            arg: HasArg::Optional,
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

/// One parsed command-line element.
#[derive(Debug, PartialEq, Eq)]
pub enum Arg<T> {
    /// An option with its value (`None` for flags and absent optional values).
    Opt(T, Option<OsString>),
    /// A non-option word (only with [`Ordering::Permute`]).
    Operand(OsString),
    /// With [`Ordering::StopAtOperand`]: the program and its arguments,
    /// returned once, as the last element.
    Program(Vec<OsString>),
}

/// A usage error in getopt's words. Displayed as glibc prints it (without the
/// program name and the "Try --help" line, which [`crate::report`] adds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsageError {
    /// The option character as glibc prints it: its first byte.
    UnknownShort(String),
    UnknownLong(String),
    Ambiguous(String, Vec<&'static str>),
    MissingShortValue(char),
    MissingLongValue(&'static str),
    UnexpectedLongValue(&'static str),
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UsageError::UnknownShort(c) => write!(f, "invalid option -- '{c}'"),
            UsageError::UnknownLong(s) => write!(f, "unrecognized option '--{s}'"),
            UsageError::Ambiguous(s, names) => {
                write!(f, "option '--{s}' is ambiguous; possibilities:")?;
                for name in names {
                    write!(f, " '--{name}'")?;
                }
                Ok(())
            }
            UsageError::MissingShortValue(c) => write!(f, "option requires an argument -- '{c}'"),
            UsageError::MissingLongValue(s) => write!(f, "option '--{s}' requires an argument"),
            UsageError::UnexpectedLongValue(s) => {
                write!(f, "option '--{s}' doesn't allow an argument")
            }
        }
    }
}

/// The parser: yields [`Arg`]s in command-line order.
pub struct Getopt<T: 'static> {
    spec: &'static ToolSpec<T>,
    parser: lexopt::Parser,
    done: bool,
    /// The arguments as given: lexopt turns bytes that are not UTF-8 in
    /// option names into U+FFFD, glibc's messages show the bytes.
    raw: Vec<OsString>,
}

impl<T: Copy> Getopt<T> {
    /// Parses `args` (without `argv[0]`) against `spec`.
    pub fn new<I>(spec: &'static ToolSpec<T>, args: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<OsString>,
    {
        let raw: Vec<OsString> = args.into_iter().map(Into::into).collect();
        let mut parser = lexopt::Parser::from_args(raw.clone());
        // getopt gives `-m=/x` the value "=/x"; tools strip '=' where
        // util-linux master does.
        parser.set_short_equals(false);
        Getopt {
            spec,
            parser,
            done: false,
            raw,
        }
    }

    /// Parses everything at once.
    pub fn collect_all(self) -> Result<Vec<Arg<T>>, UsageError> {
        let mut out = Vec::new();
        let mut this = self;
        while let Some(arg) = this.next_arg()? {
            out.push(arg);
        }
        Ok(out)
    }

    /// [`Getopt::next_arg`] with a usage error reported in glibc's words
    /// and the "Try --help" line, as every tool needs it.
    pub fn next_or_fail(&mut self, prog: &Prog) -> Result<Option<Arg<T>>, Failure> {
        self.next_arg().map_err(|e| prog.getopt_error(&e))
    }

    /// The next element, `Ok(None)` at the end.
    pub fn next_arg(&mut self) -> Result<Option<Arg<T>>, UsageError> {
        if self.done {
            return Ok(None);
        }
        let token = match self.parser.next() {
            Ok(Some(token)) => token,
            Ok(None) => return Ok(None),
            Err(e) => return Err(self.convert_lexopt_error(e)),
        };
        match token {
            lexopt::Arg::Short(c) => self.short(c).map(Some),
            lexopt::Arg::Long(name) => {
                let name = name.to_string();
                self.long(&name).map(Some)
            }
            lexopt::Arg::Value(word) => match self.spec.ordering {
                Ordering::Permute => Ok(Some(Arg::Operand(word))),
                Ordering::StopAtOperand => {
                    self.done = true;
                    let mut program = vec![word];
                    if let Ok(rest) = self.parser.raw_args() {
                        program.extend(rest);
                    }
                    Ok(Some(Arg::Program(program)))
                }
            },
        }
    }

    fn short(&mut self, c: char) -> Result<Arg<T>, UsageError> {
        let Some(opt) = self.spec.options.iter().find(|o| o.short == Some(c)) else {
            return Err(UsageError::UnknownShort(self.short_shown(c)));
        };
        let value = match opt.arg {
            HasArg::No => None,
            HasArg::Optional if opt.short_is_flag => None,
            HasArg::Optional => self.parser.optional_value(),
            HasArg::Required => Some(
                self.parser
                    .value()
                    .map_err(|_| UsageError::MissingShortValue(c))?,
            ),
        };
        Ok(Arg::Opt(opt.id, value))
    }

    fn long(&mut self, typed: &str) -> Result<Arg<T>, UsageError> {
        let opt = match self.resolve_long(typed) {
            Ok(opt) => opt,
            Err(e) => {
                // glibc quotes the whole word, including any "=value".
                let attached = self.parser.optional_value();
                let full = self
                    .long_shown(typed)
                    .unwrap_or_else(|| with_attached(typed, attached.as_deref()));
                return Err(match e {
                    UsageError::Ambiguous(_, names) => UsageError::Ambiguous(full, names),
                    _ => UsageError::UnknownLong(full),
                });
            }
        };
        let value = match opt.arg {
            HasArg::No => {
                if self.parser.optional_value().is_some() {
                    return Err(UsageError::UnexpectedLongValue(opt.long));
                }
                None
            }
            HasArg::Optional => self.parser.optional_value(),
            HasArg::Required => Some(
                self.parser
                    .value()
                    .map_err(|_| UsageError::MissingLongValue(opt.long))?,
            ),
        };
        Ok(Arg::Opt(opt.id, value))
    }

    /// glibc rules: an exact match wins; otherwise a unique prefix; several
    /// prefix matches are not ambiguous when they all mean the same option.
    fn resolve_long(&self, typed: &str) -> Result<&'static Opt<T>, UsageError> {
        let options = self.spec.options;
        if let Some(exact) = options
            .iter()
            .find(|o| !o.long.is_empty() && o.long == typed)
        {
            return Ok(exact);
        }
        let prefix_of = |extension: bool| -> Vec<&'static Opt<T>> {
            options
                .iter()
                .filter(|o| !o.long.is_empty() && o.long.starts_with(typed))
                .filter(|o| o.extension == extension)
                .collect()
        };
        let mut matches = prefix_of(false);
        if matches.is_empty() {
            matches = prefix_of(true);
        }
        match matches.as_slice() {
            [] => Err(UsageError::UnknownLong(typed.to_string())),
            [one] => Ok(one),
            [first, rest @ ..] => {
                let same = rest
                    .iter()
                    .all(|o| o.arg == first.arg && o.short == first.short && o.help == first.help);
                if same {
                    Ok(first)
                } else {
                    let names = matches.iter().map(|o| o.long).collect();
                    Err(UsageError::Ambiguous(typed.to_string(), names))
                }
            }
        }
    }

    /// An unknown option character as glibc's getopt reports it: one byte,
    /// the first of a multi-byte character, exactly as typed (see
    /// `report::shown`). lexopt hands over U+FFFD for bytes that are not
    /// UTF-8; the byte is then the first such in the first option cluster
    /// that has one.
    fn short_shown(&self, c: char) -> String {
        if c.is_ascii() {
            return c.to_string();
        }
        let typed = (c == char::REPLACEMENT_CHARACTER)
            .then(|| {
                self.raw.iter().find_map(|arg| {
                    let bytes = arg.as_bytes();
                    if !bytes.starts_with(b"-") || bytes.starts_with(b"--") {
                        return None;
                    }
                    let chunk = bytes.utf8_chunks().find(|ch| !ch.invalid().is_empty())?;
                    Some(chunk.invalid()[0])
                })
            })
            .flatten();
        let mut utf8 = [0u8; 4];
        let first = typed.unwrap_or(c.encode_utf8(&mut utf8).as_bytes()[0]);
        crate::report::shown(OsStr::from_bytes(&[first]))
    }

    /// The whole word of an unknown long option after `--`, `=value`
    /// included, as typed: the first argument that lexopt would have read
    /// as `--typed`.
    fn long_shown(&self, typed: &str) -> Option<String> {
        self.raw.iter().find_map(|arg| {
            let word = arg.as_bytes().strip_prefix(b"--")?;
            let name = word.split(|&b| b == b'=').next().unwrap_or_default();
            (String::from_utf8_lossy(name) == typed)
                .then(|| crate::report::shown(OsStr::from_bytes(word)))
        })
    }

    fn convert_lexopt_error(&self, e: lexopt::Error) -> UsageError {
        match e {
            lexopt::Error::UnexpectedValue { option, .. } => {
                let name = option.trim_start_matches('-');
                match self.spec.options.iter().find(|o| o.long == name) {
                    Some(o) => UsageError::UnexpectedLongValue(o.long),
                    None => UsageError::UnknownLong(name.to_string()),
                }
            }
            other => UsageError::UnknownLong(other.to_string()),
        }
    }
}

fn with_attached(typed: &str, attached: Option<&OsStr>) -> String {
    match attached {
        Some(v) => format!("{typed}={}", crate::report::shown(v)),
        None => typed.to_string(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum Id {
        Mount,
        MountProc,
        Uts,
        Ipc,
        Ident,
        Help,
        Human,
        Idle,
        Humble,
    }

    const OPTS: &[Opt<Id>] = &[
        Opt::optional(Id::Mount, Some('m'), "mount", "<file>", "mount"),
        Opt::optional(Id::MountProc, None, "mount-proc", "<dir>", "proc"),
        Opt::optional(Id::Uts, Some('u'), "uts", "<file>", "uts"),
        Opt::optional(Id::Ipc, Some('i'), "ipc", "<file>", "ipc"),
        Opt::value(Id::Ident, Some('I'), "id", "<id>", "id"),
        Opt::flag(Id::Help, Some('h'), "help", "help"),
        Opt::flag(Id::Human, None, "human", "human"),
        Opt::flag(Id::Idle, None, "idle", "idle").extension(),
        Opt::flag(Id::Humble, None, "humble", "humble").extension(),
    ];

    #[test]
    fn extensions_never_take_an_abbreviation() {
        // `--i` meant --ipc/--id before `--idle` existed: still ambiguous
        // between those two only; `--hu` is still --human.
        let e = parse(&STOP, &["--i"]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "option '--i' is ambiguous; possibilities: '--ipc' '--id'"
        );
        assert_eq!(parse(&STOP, &["--hu"]).unwrap(), vec![opt(Id::Human, None)]);
        // Abbreviations nothing else matches reach the extensions.
        assert_eq!(parse(&STOP, &["--idl"]).unwrap(), vec![opt(Id::Idle, None)]);
        assert_eq!(
            parse(&STOP, &["--humb"]).unwrap(),
            vec![opt(Id::Humble, None)]
        );
        assert_eq!(
            parse(&STOP, &["--idle"]).unwrap(),
            vec![opt(Id::Idle, None)]
        );
    }

    static STOP: ToolSpec<Id> = ToolSpec {
        name: "t",
        usage: &["t [options]"],
        about: "",
        ordering: Ordering::StopAtOperand,
        options: OPTS,
        epilog: "",
        help_order: &[],
        operands: Value::Text,
    };

    static PERMUTE: ToolSpec<Id> = ToolSpec {
        name: "t",
        usage: &["t [options]"],
        about: "",
        ordering: Ordering::Permute,
        options: OPTS,
        epilog: "",
        help_order: &[],
        operands: Value::Text,
    };

    fn parse(spec: &'static ToolSpec<Id>, args: &[&str]) -> Result<Vec<Arg<Id>>, UsageError> {
        Getopt::new(spec, args.iter().map(OsString::from)).collect_all()
    }

    fn opt(id: Id, v: Option<&str>) -> Arg<Id> {
        Arg::Opt(id, v.map(OsString::from))
    }

    #[test]
    fn optional_value_eats_rest_of_cluster() {
        assert_eq!(
            parse(&STOP, &["-iu"]).unwrap(),
            vec![opt(Id::Ipc, Some("u"))]
        );
        assert_eq!(
            parse(&STOP, &["-m=/x"]).unwrap(),
            vec![opt(Id::Mount, Some("=/x"))]
        );
        assert_eq!(
            parse(&STOP, &["-m", "/bin/sh", "-c"]).unwrap(),
            vec![
                opt(Id::Mount, None),
                Arg::Program(vec!["/bin/sh".into(), "-c".into()])
            ]
        );
    }

    #[test]
    fn short_flag_takes_no_value() {
        static SPEC: ToolSpec<Id> = ToolSpec {
            name: "t",
            usage: &["t"],
            about: "",
            ordering: Ordering::StopAtOperand,
            options: &[
                Opt::optional(Id::Mount, Some('m'), "mount", "<file>", "m").short_flag(),
                Opt::optional(Id::Uts, Some('u'), "uts", "<file>", "u").short_flag(),
            ],
            epilog: "",
            help_order: &[],
            operands: Value::Text,
        };
        assert_eq!(
            parse(&SPEC, &["-mu", "--mount=/x"]).unwrap(),
            vec![
                opt(Id::Mount, None),
                opt(Id::Uts, None),
                opt(Id::Mount, Some("/x"))
            ]
        );
        assert_eq!(
            parse(&SPEC, &["-m/x"]).unwrap_err().to_string(),
            "invalid option -- '/'"
        );
        assert!(SPEC.help().contains(" -m, --mount[=<file>]  m\n"));
    }

    #[test]
    fn long_forms() {
        assert_eq!(
            parse(&STOP, &["--mount=/x"]).unwrap(),
            vec![opt(Id::Mount, Some("/x"))]
        );
        assert_eq!(
            parse(&STOP, &["--id", "5"]).unwrap(),
            vec![opt(Id::Ident, Some("5"))]
        );
        assert_eq!(
            parse(&STOP, &["--id=5"]).unwrap(),
            vec![opt(Id::Ident, Some("5"))]
        );
        assert_eq!(
            parse(&STOP, &["--mount"]).unwrap(),
            vec![opt(Id::Mount, None)]
        );
        assert_eq!(
            parse(&STOP, &["--hum"]).unwrap(),
            vec![opt(Id::Human, None)]
        );
    }

    #[test]
    fn errors_in_glibc_words() {
        let e = parse(&STOP, &["--mou"]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "option '--mou' is ambiguous; possibilities: '--mount' '--mount-proc'"
        );
        let e = parse(&STOP, &["--h=3"]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "option '--h=3' is ambiguous; possibilities: '--help' '--human'"
        );
        assert_eq!(
            parse(&STOP, &["--bogus=x"]).unwrap_err().to_string(),
            "unrecognized option '--bogus=x'"
        );
        assert_eq!(
            parse(&STOP, &["-x"]).unwrap_err().to_string(),
            "invalid option -- 'x'"
        );
        assert_eq!(
            parse(&STOP, &["-I"]).unwrap_err().to_string(),
            "option requires an argument -- 'I'"
        );
        assert_eq!(
            parse(&STOP, &["--id"]).unwrap_err().to_string(),
            "option '--id' requires an argument"
        );
        assert_eq!(
            parse(&STOP, &["--help=1"]).unwrap_err().to_string(),
            "option '--help' doesn't allow an argument"
        );
        assert_eq!(
            parse(&STOP, &["--he=1"]).unwrap_err().to_string(),
            "option '--help' doesn't allow an argument"
        );
    }

    #[test]
    fn exact_match_beats_prefix() {
        assert_eq!(
            parse(&STOP, &["--mount"]).unwrap(),
            vec![opt(Id::Mount, None)]
        );
    }

    #[test]
    fn permute_and_stop() {
        assert_eq!(
            parse(&PERMUTE, &["x", "-h", "y"]).unwrap(),
            vec![
                Arg::Operand("x".into()),
                opt(Id::Help, None),
                Arg::Operand("y".into())
            ]
        );
        assert_eq!(
            parse(&STOP, &["-h", "--", "-x"]).unwrap(),
            vec![opt(Id::Help, None), Arg::Program(vec!["-x".into()])]
        );
        assert_eq!(
            parse(&STOP, &["ls", "-h"]).unwrap(),
            vec![Arg::Program(vec!["ls".into(), "-h".into()])]
        );
        // A required value is taken even when it looks like an option.
        assert_eq!(
            parse(&STOP, &["-I", "-h"]).unwrap(),
            vec![opt(Id::Ident, Some("-h"))]
        );
    }

    #[test]
    fn help_layout() {
        let help = PERMUTE.help();
        assert!(help.starts_with("\nUsage:\n t [options]\n\nOptions:\n"));
        assert!(help.contains(" -m, --mount[=<file>]      mount\n"));
        assert!(help.contains("     --mount-proc[=<dir>]  proc\n"));
        assert!(help.contains("     --human               human\n"));
        assert!(help.ends_with("\nFor more details see t(1).\n"));
    }
}
