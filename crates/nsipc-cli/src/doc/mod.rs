//! Man pages, shell completions and `nsipc --install`, all generated from the
//! tools' option tables (`tools/<tool>_opts.rs`: names, help, man text and
//! value kind of every option) and column tables, so no option or column list
//! exists twice. The prose around the options (description, examples, notes)
//! is in `pages/`, one file per program.

mod bash;
mod fish;
mod install;
mod man;
mod pages;
mod zsh;

use std::ffi::OsString;

use crate::getopt::OptDoc;
use crate::report::Prog;
use crate::tools;

pub use install::install;

/// Everything known about one program: its option table, its columns and
/// the prose of its man page.
pub struct Program {
    pub doc: OptDoc,
    pub columns: Vec<(&'static str, &'static str)>,
    pub page: &'static pages::Page,
}

/// Every documented program: the tools, then `nsipc` itself.
pub fn programs() -> Vec<Program> {
    let mut all: Vec<Program> = tools::TOOLS
        .iter()
        .map(|t| Program {
            doc: (t.doc)(),
            columns: (t.columns)(),
            page: pages::page(t.name),
        })
        .collect();
    all.push(Program {
        doc: crate::multicall::SPEC.doc(),
        columns: Vec::new(),
        page: pages::page("nsipc"),
    });
    all
}

/// The shells completions are generated for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

impl Shell {
    pub const ALL: [Shell; 3] = [Shell::Bash, Shell::Zsh, Shell::Fish];

    fn parse(name: &str) -> Option<Shell> {
        match name {
            "bash" => Some(Shell::Bash),
            "zsh" => Some(Shell::Zsh),
            "fish" => Some(Shell::Fish),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Shell::Bash => "bash",
            Shell::Zsh => "zsh",
            Shell::Fish => "fish",
        }
    }

    /// The completion script of `program` for this shell.
    pub fn script(self, program: &Program) -> String {
        match self {
            Shell::Bash => bash::script(program),
            Shell::Zsh => zsh::script(program),
            Shell::Fish => fish::script(program),
        }
    }
}

/// The man page of a program, in roff.
pub fn man_page(program: &Program) -> String {
    man::page(program)
}

fn find_program(prog: &Prog, name: Option<&OsString>) -> Option<Program> {
    let name = name.map(crate::report::shown).unwrap_or_default();
    let found = programs().into_iter().find(|p| p.doc.name == name);
    if found.is_none() {
        prog.warnx(format_args!("unknown tool '{name}'"));
    }
    found
}

/// `nsipc --man TOOL`
pub fn print_man(prog: &Prog, tool: &OsString) -> i32 {
    match find_program(prog, Some(tool)) {
        Some(program) => print_text(prog, &man_page(&program)),
        None => 1,
    }
}

/// `nsipc --completion bash|zsh|fish TOOL`
pub fn print_completion(prog: &Prog, shell: &OsString, tool: Option<&OsString>) -> i32 {
    let Some(shell) = shell.to_str().and_then(Shell::parse) else {
        prog.warnx(format_args!(
            "unsupported shell '{}': use bash, zsh or fish",
            crate::report::shown(shell)
        ));
        return 1;
    };
    match find_program(prog, tool) {
        Some(program) => print_text(prog, &shell.script(&program)),
        None => 1,
    }
}

fn print_text(prog: &Prog, text: &str) -> i32 {
    use std::io::Write;
    let mut out = crate::report::Stdout::new();
    let _ = out.write_all(text.as_bytes());
    out.finish(prog, 0)
}

/// The words a shell offers for an option: `-x`, `--long`, and for an
/// optional value also `--long=` (`--mount` and `--mount=FILE` are
/// different commands).
pub(crate) fn option_words(doc: &OptDoc) -> Vec<String> {
    use crate::getopt::HasArg;
    let mut words = Vec::new();
    for opt in doc.options.iter().filter(|o| !o.help.is_empty()) {
        if let Some(c) = opt.short {
            words.push(format!("-{c}"));
        }
        if !opt.long.is_empty() {
            words.push(format!("--{}", opt.long));
            if opt.arg == HasArg::Optional {
                words.push(format!("--{}=", opt.long));
            }
        }
    }
    words
}

/// Signal names `unshare --kill-child` accepts, as completions offer them.
pub(crate) fn signal_names() -> Vec<String> {
    tools::unshare::SIGNAL_NAMES
        .iter()
        .map(|(name, _)| format!("SIG{name}"))
        .collect()
}
