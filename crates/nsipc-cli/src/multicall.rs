//! `nsipc` itself, called by its own name: runs a tool named as the first
//! operand, installs the tool links, man pages and completions, or prints
//! them. Its options are a table like every tool's, so its help, man page and
//! completions come from the same place.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::doc;
use crate::getopt::{Arg, Getopt, Opt, Ordering, ToolSpec};
use crate::report::{Prog, Stdout};
use crate::tools;
use crate::values::Value;

/// What `nsipc <TAB>` offers: the tools.
const TOOL_NAMES: &[&str] = tools::PROGRAM_NAMES.split_at(7).0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Id {
    Install,
    Prefix,
    Man,
    Completion,
    Verbose,
    Help,
    Version,
}

pub static SPEC: ToolSpec<Id> = ToolSpec {
    name: "nsipc",
    usage: &[
        "nsipc <tool> [<argument>...]",
        "nsipc --install <dir> [--prefix <prefix>] [--verbose]",
        "nsipc --man <tool>",
        "nsipc --completion bash|zsh|fish <tool>",
    ],
    about: "Run Linux namespace and IPC tools, compatible with util-linux, from one binary.\n\
            Called through a link named after a tool, it runs that tool.",
    ordering: Ordering::StopAtOperand,
    options: &[
        Opt::value(
            Id::Install,
            None,
            "install",
            "<dir>",
            "install nsipc and a link for every tool in <dir>",
        )
        .values(Value::Dir)
        .man(
            "Install the binary as <dir>/nsipc and a relative symbolic link named after each tool \
             (<dir>/ipcs -> nsipc, ...). When the running nsipc is not <dir>/nsipc already, it is \
             copied there first, so the installation does not depend on the build tree. Only <dir> \
             itself is created; its parent must exist. An existing link of a tool's name is \
             replaced; any other file of that name stops the installation before anything changes.",
        ),
        Opt::value(
            Id::Prefix,
            None,
            "prefix",
            "<prefix>",
            "with --install, also install man pages and completions under <prefix>/share",
        )
        .values(Value::Dir)
        .man(
            "With --install, also install the man pages in <prefix>/share/man/man1 and the \
             completions for bash (<prefix>/share/bash-completion/completions), zsh \
             (<prefix>/share/zsh/vendor-completions for the prefix /usr, as on Debian, else \
             <prefix>/share/zsh/site-functions) and fish \
             (<prefix>/share/fish/vendor_completions.d). <prefix> must exist; the directories \
             below it are created.",
        ),
        Opt::value(Id::Man, None, "man", "<tool>", "print the man page of <tool>")
            .values(Value::Words(tools::PROGRAM_NAMES))
            .man("Print the man page of <tool> (or of nsipc) in roff; read it with man -l -."),
        Opt::value(
            Id::Completion,
            None,
            "completion",
            "<shell>",
            "print the bash, zsh or fish completion script of the tool named next",
        )
        .values(Value::Words(&["bash", "zsh", "fish"]))
        .man(
            "Print the completion script for <shell> (bash, zsh or fish) of the tool named next, \
             e.g. nsipc --completion bash lsns. Candidates depend on the option: process ids, \
             namespace types, column names, live IPC ids and keys, files only where a file is \
             meant.",
        ),
        Opt::flag(
            Id::Verbose,
            Some('v'),
            "verbose",
            "with --install, name every file installed",
        ),
        Opt::flag(Id::Help, Some('h'), "help", "display this help"),
        Opt::flag(Id::Version, Some('V'), "version", "display version"),
    ],
    epilog: "Tools:\n unshare  run a program in new namespaces\n nsenter  run a program in the namespaces of another process\n \
             lsns     list namespaces\n ipcs     show System V IPC facilities\n ipcmk    make IPC resources\n \
             ipcrm    remove IPC resources\n lsipc    list IPC facilities, System V and POSIX",
    help_order: &[],
    operands: Value::Words(TOOL_NAMES),
};

/// What the command line asked for.
#[derive(Default)]
struct Request {
    install: Option<PathBuf>,
    prefix: Option<PathBuf>,
    man: Option<OsString>,
    completion: Option<OsString>,
    verbose: bool,
    help: bool,
    version: bool,
    operands: Vec<OsString>,
}

fn parse(prog: &Prog, args: Vec<OsString>) -> Result<Request, i32> {
    let mut req = Request::default();
    let parsed = Getopt::new(&SPEC, args)
        .collect_all()
        .map_err(|e| prog.getopt_error(&e).0)?;
    for arg in parsed {
        match arg {
            Arg::Opt(Id::Install, v) => req.install = v.map(PathBuf::from),
            Arg::Opt(Id::Prefix, v) => req.prefix = v.map(PathBuf::from),
            Arg::Opt(Id::Man, v) => req.man = v,
            Arg::Opt(Id::Completion, v) => req.completion = v,
            Arg::Opt(Id::Verbose, _) => req.verbose = true,
            Arg::Opt(Id::Help, _) => req.help = true,
            Arg::Opt(Id::Version, _) => req.version = true,
            Arg::Operand(word) => req.operands.push(word),
            Arg::Program(words) => req.operands.extend(words),
        }
    }
    Ok(req)
}

/// `nsipc [options] [TOOL ARGS…]`.
pub fn main(prog: &Prog, args: Vec<OsString>) -> i32 {
    let req = match parse(prog, args) {
        Ok(req) => req,
        Err(status) => return status,
    };
    if req.help || req.version {
        let text = if req.help {
            SPEC.help()
        } else {
            prog.version()
        };
        return Stdout::print(prog, &text);
    }
    if req.prefix.is_some() && req.install.is_none() {
        return prog.usage_error("--prefix requires --install").0;
    }
    if let Some(dir) = req.install {
        return doc::install(prog, &dir, req.prefix.as_deref(), req.verbose);
    }
    if let Some(tool) = req.man {
        return doc::print_man(prog, &tool);
    }
    if let Some(shell) = req.completion {
        return doc::print_completion(prog, &shell, req.operands.first());
    }
    let mut operands = req.operands.into_iter();
    let Some(name) = operands.next() else {
        return prog.usage_error("no tool specified").0;
    };
    let name = crate::report::shown(&name);
    match tools::find(&name) {
        Some(tool) => (tool.main)(&Prog::new(tool.name, tool.name), operands.collect()),
        None => prog.usage_error(format_args!("unknown tool '{name}'")).0,
    }
}
