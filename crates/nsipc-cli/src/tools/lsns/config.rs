//! lsns's command line, validated into a [`Config`].

use super::columns::{COLUMNS, MAX_COLUMNS, UTIL_LINUX_COLUMNS};
use super::{find_col, Col};
use crate::containers::{self, Select};
use crate::filter::{self, Filter};
use crate::getopt::{Arg, Getopt};
use crate::numparse;
use crate::output::{self, Format, Mode};
use crate::report::{Failure, Prog, Stdout};
use crate::tools::lsns_opts::{Id, SPEC};
use nsipc::ns::{Kind, Kinds};
use std::ffi::OsString;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Tree {
    None,
    Process,
    Owner,
    Parent,
}

pub(super) struct Config {
    pub(super) json: bool,
    pub(super) raw: bool,
    pub(super) no_headings: bool,
    pub(super) no_trunc: bool,
    pub(super) no_wrap: bool,
    pub(super) persistent: bool,
    pub(super) task: Option<i32>,
    pub(super) namespace: Option<u64>,
    pub(super) kinds: Kinds,
    pub(super) tree: Tree,
    /// -T given: JSON nests only then.
    pub(super) explicit_tree: bool,
    pub(super) columns: Vec<Col>,
    pub(super) filter: Option<Filter>,
    /// `--sort`: the column, and whether it was added (hidden) for it.
    pub(super) sort: Option<(Col, bool)>,
}

pub(super) enum Parsed {
    Run(Config),
    Exit(i32),
}

/// Options util-linux refuses together (`err_exclusive_options`); the
/// message names the one seen first.
pub(super) const EXCLUSIVE: &[[Id; 2]] = &[
    [Id::Json, Id::Raw],
    [Id::Persistent, Id::Task],
    [Id::List, Id::Tree],
];

pub(super) fn long_name(id: Id) -> &'static str {
    SPEC.options
        .iter()
        .find(|o| o.id == id)
        .map_or("", |o| o.long)
}

pub(super) fn parse(prog: &Prog, args: Vec<OsString>) -> Result<Parsed, Failure> {
    let mut cfg = Config {
        json: false,
        raw: false,
        no_headings: false,
        no_trunc: false,
        no_wrap: false,
        persistent: false,
        task: None,
        namespace: None,
        kinds: Kinds::empty(),
        tree: Tree::None,
        explicit_tree: false,
        columns: Vec::new(),
        filter: None,
        sort: None,
    };
    let mut sort: Option<String> = None;
    let mut force_list = false;
    let mut list_columns = false;
    let mut output: Option<OsString> = None;
    let mut is_net = false;
    let mut operands: Vec<OsString> = Vec::new();
    let mut seen: [Option<Id>; 3] = [None; 3];
    let mut select: Option<Select> = None;

    // Options act in command-line order, like getopt's loop: a bad value
    // ends the run before a later option is even looked at.
    let mut getopt = Getopt::new(&SPEC, args);
    loop {
        let (id, value) = match getopt.next_arg() {
            Ok(Some(Arg::Opt(id, value))) => (id, value),
            Ok(Some(Arg::Operand(word))) => {
                operands.push(word);
                continue;
            }
            Ok(Some(Arg::Program(words))) => {
                operands.extend(words);
                continue;
            }
            Ok(None) => break,
            Err(e) => return Err(prog.getopt_error(&e)),
        };
        for (group, first) in EXCLUSIVE.iter().zip(seen.iter_mut()) {
            if group.contains(&id) {
                match first {
                    None => *first = Some(id),
                    Some(other) if *other != id => {
                        return Err(prog.fail(format_args!(
                            "options --{} and --{} cannot be combined",
                            long_name(*other),
                            long_name(id)
                        )));
                    }
                    Some(_) => {}
                }
            }
        }
        let text = value
            .as_deref()
            .map(crate::report::shown)
            .unwrap_or_default();
        match id {
            Id::Json => cfg.json = true,
            Id::List => force_list = true,
            Id::Output => output = value,
            Id::OutputAll => {
                cfg.columns = COLUMNS[..UTIL_LINUX_COLUMNS]
                    .iter()
                    .map(|c| c.col)
                    .collect();
            }
            Id::Persistent => cfg.persistent = true,
            Id::Task => {
                // `-p 0` is out of range, as in master (2.38.1 accepted it
                // and listed nothing).
                let pid = crate::report::shown(value.unwrap_or_default());
                cfg.task = Some(numparse::parse_pid(&pid).map_err(|e| {
                    numparse::number_failure(prog, "invalid PID argument", &pid, e)
                })?);
            }
            Id::NoHeadings => cfg.no_headings = true,
            Id::Raw => (cfg.raw, cfg.no_wrap) = (true, true),
            Id::NoTruncate => cfg.no_trunc = true,
            Id::Type => {
                let Some(kind) = Kind::from_proc_name(&text) else {
                    return Err(prog.fail(format_args!("unknown namespace type: {text}")));
                };
                cfg.kinds.insert(kind.into());
                is_net |= kind == Kind::Net;
            }
            Id::NoWrap => cfg.no_wrap = true,
            Id::Tree => {
                cfg.explicit_tree = true;
                // `-T=parent` as well as `--tree=parent` (getopt keeps the
                // '=' of the short form).
                let rel = value
                    .as_ref()
                    .map(|_| text.strip_prefix('=').unwrap_or(&text));
                cfg.tree = match rel {
                    None | Some("owner") => Tree::Owner,
                    Some("parent") => Tree::Parent,
                    Some("process") => Tree::Process,
                    Some(other) => {
                        return Err(prog.fail(format_args!("unknown tree type: {other}")))
                    }
                };
            }
            Id::Filter => match filter::parse(&text) {
                Ok(f) => cfg.filter = f,
                Err(e) => return Err(prog.fail(format_args!("failed to parse \"{text}\": {e}"))),
            },
            Id::ListColumns => list_columns = true,
            Id::Sort => {
                sort = Some(text.clone());
                force_list = true;
            }
            Id::Container => select = Some(Select::Container(text)),
            Id::Pod => select = Some(Select::Pod(text)),
            Id::Help => {
                return Ok(Parsed::Exit(Stdout::print(prog, &SPEC.help())));
            }
            Id::Version => {
                return Ok(Parsed::Exit(Stdout::print(prog, &prog.version())));
            }
        }
    }

    if list_columns {
        return Ok(Parsed::Exit(print_column_list(prog, &cfg)));
    }
    if let Some(select) = &select {
        // `--container` is `-p` with the container's init process.
        if cfg.task.is_some() || cfg.persistent {
            let other = if cfg.persistent { "persistent" } else { "task" };
            return Err(prog.fail(format_args!(
                "options --{other} and --{} cannot be combined",
                if matches!(select, Select::Pod(_)) {
                    "pod"
                } else {
                    "container"
                }
            )));
        }
        cfg.task = Some(containers::resolve(prog, select)?.init);
    }
    if cfg.kinds.is_empty() {
        cfg.kinds = Kinds::all();
    }
    if let Some(word) = operands.first() {
        if cfg.task.is_some() {
            return Err(prog.fail("--task is mutually exclusive with <namespace>"));
        }
        cfg.namespace = Some(numparse::parse_or_fail(
            prog,
            word,
            10,
            "invalid namespace argument",
        )?);
        if cfg.tree == Tree::None && !force_list {
            cfg.tree = Tree::Process;
        }
        if cfg.columns.is_empty() {
            cfg.columns = vec![Col::Pid, Col::Ppid, Col::User, Col::Command];
        }
    }
    if cfg.columns.is_empty() {
        cfg.columns = vec![Col::Ns, Col::Type, Col::Nprocs, Col::Pid, Col::User];
        if is_net {
            cfg.columns.extend([Col::NetNsId, Col::Nsfs]);
        }
        cfg.columns.push(Col::Command);
        if cfg.tree == Tree::None && !force_list {
            cfg.tree = Tree::Process;
        }
    }
    if let Some(list) = output {
        let list = crate::report::shown(&list);
        let r = output::parse_column_list(&list, &mut cfg.columns, MAX_COLUMNS, |name, rest| {
            let col = find_col(name);
            if col.is_none() {
                prog.warnx(format_args!("unknown column: {rest}"));
            }
            col
        });
        if r.is_err() {
            return Err(Failure(1));
        }
    }
    if let Some(f) = &cfg.filter {
        check_filter_columns(prog, f)?;
    }
    if let Some(name) = sort {
        if cfg.explicit_tree {
            return Err(prog.fail("options --sort and --tree cannot be combined"));
        }
        let col =
            find_col(&name).ok_or_else(|| prog.fail(format_args!("unknown column: {name}")))?;
        let hidden = !cfg.columns.contains(&col);
        if hidden {
            cfg.columns.push(col);
        }
        cfg.sort = Some((col, hidden));
    }
    Ok(Parsed::Run(cfg))
}

/// Every column a filter names must exist; all unknown ones are reported.
pub(super) fn check_filter_columns(prog: &Prog, f: &Filter) -> Result<(), Failure> {
    let mut bad = false;
    for name in f.holders() {
        if find_col(name).is_none() {
            prog.warnx(format_args!("unknown column: {name}"));
            bad = true;
        }
    }
    if bad {
        return Err(prog.fail("failed to initialize filter"));
    }
    Ok(())
}

/// `-H`: the column descriptions, in the chosen format.
pub(super) fn print_column_list(prog: &Prog, cfg: &Config) -> i32 {
    let table = output::column_list_table(
        "lsns-columns",
        COLUMNS.iter().map(|c| (c.name, c.json, c.help)),
    );
    let mut fmt = Format::new(mode(cfg));
    fmt.noheadings = true;
    let mut out = Stdout::new();
    let _ = table.print(&mut out, &fmt);
    out.finish(prog, 0)
}

pub(super) fn mode(cfg: &Config) -> Mode {
    if cfg.json {
        Mode::Json
    } else if cfg.raw {
        Mode::Raw
    } else {
        Mode::Human
    }
}
