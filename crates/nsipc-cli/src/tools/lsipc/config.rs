//! lsipc's command line: options, exclusions and the column list, validated
//! into a [`Config`].

use super::columns::{COLUMNS, GLOBAL_COLUMNS, MAX_COLUMNS, NAMESPACE_COLUMNS};
use super::{select, Col, Resource};
use crate::containers::{self, Select};
use crate::getopt::{Arg, Getopt};
use crate::report::{Failure, Prog, Stdout};
use crate::tools::lsipc_opts::{Id, SPEC};
use crate::{numparse, output};
use std::ffi::OsString;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum OutMode {
    Table,
    Export,
    Newline,
    Raw,
    Json,
    Pretty,
    List,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TimeMode {
    Short,
    Full,
    Iso,
}

/// The validated command line.
#[derive(Clone)]
pub(super) struct Config {
    pub(super) resource: Option<Resource>,
    pub(super) global: bool,
    pub(super) id: Option<i32>,
    pub(super) name: Option<String>,
    pub(super) mode: OutMode,
    pub(super) columns: Vec<Col>,
    pub(super) noheadings: bool,
    pub(super) notrunc: bool,
    pub(super) shellvar: bool,
    pub(super) bytes: bool,
    pub(super) numperms: bool,
    pub(super) time: TimeMode,
    /// `--namespace`: the IPC namespace to show instead of our own.
    pub(super) namespace: Option<String>,
    /// Where the POSIX queues of the shown namespace are listed; `None`
    /// when unknown (`--namespace=FILE`).
    pub(super) mq_dir: Option<String>,
    /// `--all-namespaces`: every IPC namespace, with the namespace columns.
    pub(super) all_namespaces: bool,
    /// `--filter`, `--sort`, `--orphans`, `--older-than` and the holders.
    pub(super) extra: select::Extra,
}

pub(super) enum Parsed {
    Run(Box<Config>),
    Exit(i32),
}

/// util-linux's exclusion groups; each member is reported by its long name.
pub(super) const EXCLUSIVE: &[&[Id]] = &[
    &[Id::Json, Id::Export, Id::List, Id::Newline, Id::Raw],
    &[Id::Name, Id::Global, Id::Ident],
    &[Id::Creator, Id::Output, Id::Time],
    &[
        Id::PosixShmems,
        Id::PosixMqueues,
        Id::PosixSemaphores,
        Id::Shmems,
        Id::Queues,
        Id::Semaphores,
    ],
];

pub(super) fn long_name(id: Id) -> &'static str {
    SPEC.options
        .iter()
        .find(|o| o.id == id)
        .map_or("", |o| o.long)
}

pub(super) fn combined(prog: &Prog, a: &str, b: &str) -> Failure {
    prog.fail(format_args!("options --{a} and --{b} cannot be combined"))
}

pub(super) fn parse(prog: &Prog, args: Vec<OsString>) -> Result<Parsed, Failure> {
    let mut seen: [Option<Id>; 4] = [None; 4];
    let mut resource: Option<Resource> = None;
    let mut global = false;
    let mut id: i32 = -1;
    let mut name: Option<String> = None;
    let mut mode: Option<OutMode> = None;
    let mut outarg: Option<String> = None;
    let (mut show_time, mut show_creat) = (false, false);
    let (mut noheadings, mut notrunc, mut shellvar, mut bytes, mut numperms) =
        (false, false, false, false, false);
    let mut time: Option<TimeMode> = None;
    // The first of -i/-N, and whether it came before the resource: -i is
    // System V only, -N POSIX only (checked after parsing, see below).
    let mut selector: Option<Id> = None;
    let mut selector_first = false;
    let mut namespace: Option<String> = None;
    let mut all_namespaces = false;
    let mut extra = select::Extra::default();
    let mut select: Option<Select> = None;

    let mut getopt = Getopt::new(&SPEC, args);
    while let Some(arg) = getopt.next_or_fail(prog)? {
        let (opt, value) = match arg {
            Arg::Opt(opt, value) => (opt, value),
            // util-linux ignores operands.
            Arg::Operand(_) | Arg::Program(_) => continue,
        };
        for (g, group) in EXCLUSIVE.iter().enumerate() {
            if !group.contains(&opt) {
                continue;
            }
            match seen[g] {
                None => seen[g] = Some(opt),
                Some(first) if first != opt => {
                    return Err(combined(prog, long_name(first), long_name(opt)));
                }
                _ => {}
            }
        }
        let raw = value.clone();
        let value = value.map(|v| crate::report::shown(&v));
        let mut set_resource = |r: Resource| {
            selector_first = selector.is_some();
            resource = Some(r);
        };
        match opt {
            Id::AllNamespaces => all_namespaces = true,
            Id::Bytes => bytes = true,
            Id::Creator => show_creat = true,
            Id::Export => mode = Some(OutMode::Export),
            Id::Global => global = true,
            Id::Help => {
                return Ok(Parsed::Exit(Stdout::print(prog, &SPEC.help())));
            }
            Id::Ident => {
                let v = raw.unwrap_or_default();
                id = numparse::parse_or_fail(prog, &v, 10, "failed to parse IPC identifier")?;
                selector.get_or_insert(Id::Ident);
            }
            Id::Json => mode = Some(OutMode::Json),
            Id::List => mode = Some(OutMode::List),
            Id::Name => {
                name = value;
                selector.get_or_insert(Id::Name);
            }
            Id::Namespace => namespace = value,
            Id::Container => select = value.map(Select::Container),
            Id::Pod => select = value.map(Select::Pod),
            Id::Newline => mode = Some(OutMode::Newline),
            Id::NoHeadings => noheadings = true,
            Id::NoTruncate => notrunc = true,
            Id::NumericPerms => numperms = true,
            Id::Output => outarg = value,
            Id::PosixMqueues => set_resource(Resource::PosixMsg),
            Id::PosixSemaphores => set_resource(Resource::PosixSem),
            Id::PosixShmems => set_resource(Resource::PosixShm),
            Id::Queues => set_resource(Resource::Msg),
            Id::Raw => mode = Some(OutMode::Raw),
            Id::Semaphores => set_resource(Resource::Sem),
            Id::Shmems => set_resource(Resource::Shm),
            Id::Time => show_time = true,
            Id::TimeFormat => {
                let v = value.unwrap_or_default();
                time = Some(match v.as_str() {
                    "short" => TimeMode::Short,
                    "full" => TimeMode::Full,
                    "iso" => TimeMode::Iso,
                    _ => return Err(prog.fail(format_args!("unknown time format: {v}"))),
                });
            }
            Id::Version => {
                return Ok(Parsed::Exit(Stdout::print(prog, &prog.version())));
            }
            Id::Shell => shellvar = true,
            Id::Filter | Id::Sort | Id::Orphans | Id::OlderThan => {
                extra.option(prog, opt, value)?
            }
        }
    }

    // Our own rule (util-linux shows the first POSIX object for -i, and
    // lists everything for -N with a System V resource): refused, but only
    // once every util-linux error above had its chance, so that whatever
    // util-linux refuses gets util-linux's message.
    if let (Some(r), Some(sel)) = (resource, selector) {
        if (sel == Id::Ident) == r.is_posix() {
            let (a, b) = (long_name(sel), r.long_option());
            return Err(match selector_first {
                true => combined(prog, a, b),
                false => combined(prog, b, a),
            });
        }
    }

    // No resource: the limits of everything.
    let selected = id != -1 || name.is_some();
    if resource.is_none() || global {
        if show_time || show_creat || selected {
            return Err(
                prog.fail("--global is mutually exclusive with --creator, --id, --name and --time")
            );
        }
        global = true;
    }
    let mut mode = mode.unwrap_or(if selected {
        OutMode::Pretty
    } else {
        OutMode::Table
    });
    let time = time.unwrap_or(if mode == OutMode::Pretty {
        TimeMode::Full
    } else {
        TimeMode::Short
    });

    if let Some(select) = &select {
        containers::ipc_namespace(prog, select, &mut namespace, all_namespaces)?;
    }
    if all_namespaces {
        all_namespaces_allowed(prog, resource, global, selected, namespace.is_some())?;
    }
    let mut columns: Vec<Col> = Vec::new();
    if all_namespaces {
        columns.extend_from_slice(&[Col::IpcNs, Col::NsPid]);
    }
    if global {
        columns.extend_from_slice(GLOBAL_COLUMNS);
    } else if let Some(r) = resource {
        if mode == OutMode::Pretty && !show_creat && !show_time {
            // The detail view shows every column that has a value (the
            // holder columns only when asked for: util-linux has none).
            let all = COLUMNS.iter().map(|c| c.col);
            columns.extend(all.filter(|c| !select::HOLDER_COLUMNS.contains(c)));
        } else {
            columns.extend_from_slice(r.defaults());
            add_creator_and_time(&mut columns, r, show_creat, show_time);
        }
    }
    if let Some(list) = outarg {
        let accepted: Vec<Col> = match (global, resource) {
            (false, Some(r)) => r.own_columns().to_vec(),
            _ => GLOBAL_COLUMNS.to_vec(),
        };
        let parsed = output::parse_column_list(&list, &mut columns, MAX_COLUMNS, |typed, rest| {
            let names: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
            let Some(i) = output::find_column(&names, typed) else {
                prog.warnx(format_args!("unknown column: {rest}"));
                return None;
            };
            let col = COLUMNS[i].col;
            if NAMESPACE_COLUMNS.contains(&col) {
                if all_namespaces {
                    return Some(col);
                }
                prog.warnx(format_args!("column {rest} needs --all-namespaces"));
                return None;
            }
            let holder = select::HOLDER_COLUMNS.contains(&col) && !global;
            if (col as usize) <= Col::Ctime as usize || accepted.contains(&col) || holder {
                Some(col)
            } else {
                prog.warnx(format_args!(
                    "column {rest} does not apply to the specified IPC"
                ));
                None
            }
        });
        if parsed.is_err() {
            return Err(Failure(1));
        }
    }
    if mode == OutMode::Pretty && global {
        mode = OutMode::Table;
    }
    // POSIX objects live in the mqueue and tmpfs mounts of a mount
    // namespace, which --namespace does not switch: only their limits (and
    // the queue count, through a process's root) can be shown.
    if let (Some(_), Some(r), false) = (&namespace, resource, global) {
        if r.is_posix() {
            return Err(combined(prog, "namespace", r.long_option()));
        }
    }
    let mq_dir = match namespace.as_deref() {
        None => Some("/dev/mqueue".to_string()),
        Some(spec) if !spec.is_empty() && spec.bytes().all(|b| b.is_ascii_digit()) => {
            Some(format!("/proc/{spec}/root/dev/mqueue"))
        }
        Some(_) => None,
    };
    extra.check(prog, resource.filter(|_| !global))?;
    Ok(Parsed::Run(Box::new(Config {
        resource,
        global,
        id: (id != -1).then_some(id),
        name,
        mode,
        columns,
        noheadings,
        notrunc,
        shellvar,
        bytes,
        numperms,
        time,
        namespace,
        mq_dir,
        all_namespaces,
        extra,
    })))
}

/// `-c` and `-t` columns; shared memory keeps COMMAND last.
pub(super) fn add_creator_and_time(columns: &mut Vec<Col>, r: Resource, creator: bool, time: bool) {
    if creator {
        columns.extend_from_slice(&[Col::Cuid, Col::Cgid]);
        if !r.is_posix() {
            columns.extend_from_slice(&[Col::Uid, Col::Gid]);
        }
    }
    if !time {
        return;
    }
    match r {
        Resource::Msg => columns.extend_from_slice(&[Col::Send, Col::Recv, Col::Ctime]),
        Resource::Shm => {
            let command_last = columns.last() == Some(&Col::Command);
            if command_last {
                columns.pop();
            }
            columns.extend_from_slice(&[Col::Attach, Col::Detach]);
            if command_last {
                columns.push(Col::Command);
            }
        }
        Resource::Sem => columns.extend_from_slice(&[Col::Otime, Col::Ctime]),
        _ => {}
    }
}
/// `--all-namespaces`: what `--all-namespaces` refuses, in the words of
/// the other exclusions. POSIX objects live in the mounts of a mount
/// namespace (docs/beyond.md), so only their limits are shown.
pub(super) fn all_namespaces_allowed(
    prog: &Prog,
    resource: Option<Resource>,
    global: bool,
    selected: bool,
    namespace: bool,
) -> Result<(), Failure> {
    let other = if namespace {
        Some("namespace")
    } else if selected {
        Some("id")
    } else {
        resource
            .filter(|r| r.is_posix() && !global)
            .map(Resource::long_option)
    };
    match other {
        Some(other) => Err(combined(prog, "all-namespaces", other)),
        None => Ok(()),
    }
}
