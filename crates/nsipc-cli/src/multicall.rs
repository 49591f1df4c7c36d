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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Id {
    Install,
    Prefix,
    Man,
    Completion,
    Help,
    Version,
}

pub static SPEC: ToolSpec<Id> = ToolSpec {
    name: "nsipc",
    usage: &[
        "nsipc <tool> [<argument>...]",
        "nsipc --install <dir> [--prefix <prefix>]",
        "nsipc --man <tool>",
        "nsipc --completion bash|zsh <tool>",
    ],
    about: "Run Linux namespace and IPC tools, compatible with util-linux, from one binary.\n\
            Called through a link named after a tool, it runs that tool.",
    ordering: Ordering::StopAtOperand,
    options: &[
        Opt::value(Id::Install, None, "install", "<dir>", "create a link for every tool in <dir>"),
        Opt::value(
            Id::Prefix,
            None,
            "prefix",
            "<prefix>",
            "with --install, also install man pages and completions under <prefix>/share",
        ),
        Opt::value(Id::Man, None, "man", "<tool>", "print the man page of <tool>"),
        Opt::value(
            Id::Completion,
            None,
            "completion",
            "<shell>",
            "print the bash or zsh completion script of the tool named next",
        ),
        Opt::flag(Id::Help, Some('h'), "help", "display this help"),
        Opt::flag(Id::Version, Some('V'), "version", "display version"),
    ],
    epilog: "Tools:\n unshare  run a program in new namespaces\n nsenter  run a program in the namespaces of another process\n \
             lsns     list namespaces\n ipcs     show System V IPC facilities\n ipcmk    make IPC resources\n \
             ipcrm    remove IPC resources\n lsipc    list IPC facilities, System V and POSIX",
};

/// What the command line asked for.
#[derive(Default)]
struct Request {
    install: Option<PathBuf>,
    prefix: Option<PathBuf>,
    man: Option<OsString>,
    completion: Option<OsString>,
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
        return doc::install(prog, &dir, req.prefix.as_deref());
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
