//! `lsipc`: list System V and POSIX IPC objects and the IPC limits, through
//! the shared output engine (tables, raw, export, newline, JSON), or one
//! object in detail ("pretty" `-i`/`-N` view).
//!
//! util-linux master's behaviour, with its bugs fixed (docs: the report of
//! this tool; tests/lsipc.rs has an explicit expectation for each):
//! - exclusive options are really exclusive (util-linux's table check stops
//!   early: 2.38.1 accepts `-c -o`, master accepts `-M -m` and merges a POSIX
//!   and a System V resource into one garbage table); `-i` goes with System V
//!   resources only, `-N` with POSIX ones;
//! - `-g` with a resource shows only the limits columns (util-linux appends
//!   them to the resource's list columns, all empty), and refuses `-c`/`-t`;
//! - `-o` accepts every column a resource fills (util-linux refuses e.g.
//!   SVAL for `-S`, SIZE for `-M`, though they are default columns);
//! - `-M -N /name` and `-S -N /name` find the object (util-linux stores the
//!   names without `/`), `-S -N` says "semaphore … not found";
//! - STATUS lists every flag with commas (util-linux joins `locked` and
//!   `hugetlb` without one when `dest` is unset).
//!
//! Names are resolved once per uid/gid, and /proc is read once per listing.

use std::collections::HashMap;
use std::ffi::OsString;
use std::io::Write;

use nsipc::ipc::sysv::{self, IpcPerm, MsgQueue, SemSet, ShmSegment};

use crate::allns;
use crate::containers::{self, Select};
use crate::getopt::{Arg, Getopt};
use crate::names::Names;
use crate::numparse;
use crate::output::{self, CellText, Column, Flags, Format, Mode, Table};
use crate::report::{Failure, Prog, Stdout};

mod select;

pub use super::lsipc_opts::{Id, SPEC};

/// Every column, in util-linux's order (the detail view prints them in it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Key,
    Ident,
    Owner,
    Perms,
    Cuid,
    Cuser,
    Cgid,
    Cgroup,
    Uid,
    User,
    Gid,
    Group,
    Ctime,
    Name,
    Mtime,
    UsedBytes,
    Msgs,
    Send,
    Recv,
    Lspid,
    Lrpid,
    Size,
    Nattch,
    Status,
    Attach,
    Detach,
    Command,
    Cpid,
    Lpid,
    Nsems,
    Otime,
    Resource,
    Desc,
    Limit,
    Used,
    UsePerc,
    Sval,
    IpcNs,
    NsPid,
    NsCommand,
    Holders,
    NHolders,
    Container,
    ContainerId,
    Runtime,
    Pod,
}

/// A column: its name, its label in the detail view, and how it prints.
struct ColInfo {
    col: Col,
    name: &'static str,
    pretty: &'static str,
    flags: Flags,
}

const fn info(col: Col, name: &'static str, pretty: &'static str, flags: Flags) -> ColInfo {
    ColInfo {
        col,
        name,
        pretty,
        flags,
    }
}

const R: Flags = Flags::RIGHT;
const L: Flags = Flags::NONE;

static COLUMNS: &[ColInfo] = &[
    info(Col::Key, "KEY", "Key", L),
    info(Col::Ident, "ID", "ID", L),
    info(Col::Owner, "OWNER", "Owner", R),
    info(Col::Perms, "PERMS", "Permissions", R),
    info(Col::Cuid, "CUID", "Creator UID", R),
    info(Col::Cuser, "CUSER", "Creator user", L),
    info(Col::Cgid, "CGID", "Creator GID", R),
    info(Col::Cgroup, "CGROUP", "Creator group", L),
    info(Col::Uid, "UID", "UID", R),
    info(Col::User, "USER", "User name", L),
    info(Col::Gid, "GID", "GID", R),
    info(Col::Group, "GROUP", "Group name", L),
    info(Col::Ctime, "CTIME", "Last change", R),
    info(Col::Name, "NAME", "Name", L),
    info(Col::Mtime, "MTIME", "Last action", R),
    info(Col::UsedBytes, "USEDBYTES", "Bytes used", R),
    info(Col::Msgs, "MSGS", "Messages", L),
    info(Col::Send, "SEND", "Msg sent", R),
    info(Col::Recv, "RECV", "Msg received", R),
    info(Col::Lspid, "LSPID", "Msg sender", R),
    info(Col::Lrpid, "LRPID", "Msg receiver", R),
    info(Col::Size, "SIZE", "Segment size", R),
    info(Col::Nattch, "NATTCH", "Attached processes", R),
    info(Col::Status, "STATUS", "Status", Flags::NOEXTREMES),
    info(Col::Attach, "ATTACH", "Attach time", R),
    info(Col::Detach, "DETACH", "Detach time", R),
    info(Col::Command, "COMMAND", "Creator command", Flags::TRUNC),
    info(Col::Cpid, "CPID", "Creator PID", R),
    info(Col::Lpid, "LPID", "Last user PID", R),
    info(Col::Nsems, "NSEMS", "Semaphores", R),
    info(Col::Otime, "OTIME", "Last operation", R),
    info(Col::Resource, "RESOURCE", "Resource", L),
    info(Col::Desc, "DESCRIPTION", "Description", L),
    info(Col::Limit, "LIMIT", "Limit", R),
    info(Col::Used, "USED", "Used", R),
    info(Col::UsePerc, "USE%", "Use", R),
    info(Col::Sval, "SVAL", "Value", R),
    info(Col::IpcNs, "IPCNS", "IPC namespace", R),
    info(Col::NsPid, "NSPID", "Namespace PID", R),
    info(
        Col::NsCommand,
        "NSCOMMAND",
        "Namespace command",
        Flags::TRUNC,
    ),
    info(Col::Holders, "HOLDERS", "Holders", Flags::TRUNC),
    info(Col::NHolders, "NHOLDERS", "Number of holders", R),
    info(Col::Container, containers::COLUMNS[0].0, "Container", L),
    info(
        Col::ContainerId,
        containers::COLUMNS[1].0,
        "Container ID",
        L,
    ),
    info(Col::Runtime, containers::COLUMNS[2].0, "Runtime", L),
    info(Col::Pod, containers::COLUMNS[3].0, "Pod", L),
];

/// The columns `--all-namespaces` adds (tools allns.rs fills them).
const NAMESPACE_COLUMNS: &[Col] = &[
    Col::IpcNs,
    Col::NsPid,
    Col::NsCommand,
    Col::Container,
    Col::ContainerId,
    Col::Runtime,
    Col::Pod,
];

/// Every column's name and label, from the table above (for the man page
/// and the completions).
pub fn column_list() -> Vec<(&'static str, &'static str)> {
    COLUMNS.iter().map(|c| (c.name, c.pretty)).collect()
}

fn col_info(col: Col) -> &'static ColInfo {
    // COLUMNS is in enum order.
    &COLUMNS[col as usize]
}

/// util-linux's column array holds each column at most twice; a longer
/// `-o` fails silently with exit 1, as there.
const MAX_COLUMNS: usize = 2 * 40;

/// The six kinds of objects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Resource {
    Msg,
    Shm,
    Sem,
    PosixMsg,
    PosixShm,
    PosixSem,
}

impl Resource {
    fn is_posix(self) -> bool {
        matches!(
            self,
            Resource::PosixMsg | Resource::PosixShm | Resource::PosixSem
        )
    }

    fn defaults(self) -> &'static [Col] {
        use Col::*;
        match self {
            Self::Msg => &[Key, Ident, Perms, Owner, UsedBytes, Msgs, Lspid, Lrpid],
            Self::Shm => &[
                Key, Ident, Perms, Owner, Size, Nattch, Status, Ctime, Cpid, Lpid, Command,
            ],
            Self::Sem => &[Key, Ident, Perms, Owner, Nsems],
            Self::PosixMsg => &[Name, Perms, Owner, Mtime, UsedBytes, Msgs],
            Self::PosixShm => &[Name, Perms, Owner, Size, Mtime],
            Self::PosixSem => &[Name, Perms, Owner, Mtime, Sval],
        }
    }

    /// Columns this resource fills, beyond the generic ones util-linux
    /// always accepts in `-o`.
    fn own_columns(self) -> &'static [Col] {
        use Col::*;
        match self {
            Self::Msg => &[UsedBytes, Msgs, Send, Recv, Lspid, Lrpid],
            Self::Shm => &[Size, Nattch, Status, Attach, Detach, Command, Cpid, Lpid],
            Self::Sem => &[Nsems, Otime],
            Self::PosixMsg => &[Name, Mtime, UsedBytes, Msgs],
            Self::PosixShm => &[Name, Mtime, Size],
            Self::PosixSem => &[Name, Mtime, Sval],
        }
    }

    fn long_option(self) -> &'static str {
        match self {
            Resource::Msg => "queues",
            Resource::Shm => "shmems",
            Resource::Sem => "semaphores",
            Resource::PosixMsg => "posix-mqueues",
            Resource::PosixShm => "posix-shmems",
            Resource::PosixSem => "posix-semaphores",
        }
    }
}

const GLOBAL_COLUMNS: &[Col] = &[
    Col::Resource,
    Col::Desc,
    Col::Limit,
    Col::Used,
    Col::UsePerc,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum OutMode {
    Table,
    Export,
    Newline,
    Raw,
    Json,
    Pretty,
    List,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TimeMode {
    Short,
    Full,
    Iso,
}

/// The validated command line.
#[derive(Clone)]
struct Config {
    resource: Option<Resource>,
    global: bool,
    id: Option<i32>,
    name: Option<String>,
    mode: OutMode,
    columns: Vec<Col>,
    noheadings: bool,
    notrunc: bool,
    shellvar: bool,
    bytes: bool,
    numperms: bool,
    time: TimeMode,
    /// `--namespace`: the IPC namespace to show instead of our own.
    namespace: Option<String>,
    /// Where the POSIX queues of the shown namespace are listed; `None`
    /// when unknown (`--namespace=FILE`).
    mq_dir: Option<String>,
    /// `--all-namespaces`: every IPC namespace, with the namespace columns.
    all_namespaces: bool,
    /// `--filter`, `--sort`, `--orphans`, `--older-than` and the holders.
    extra: select::Extra,
}

enum Parsed {
    Run(Box<Config>),
    Exit(i32),
}

/// util-linux's exclusion groups; each member is reported by its long name.
const EXCLUSIVE: &[&[Id]] = &[
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

fn long_name(id: Id) -> &'static str {
    SPEC.options
        .iter()
        .find(|o| o.id == id)
        .map_or("", |o| o.long)
}

fn combined(prog: &Prog, a: &str, b: &str) -> Failure {
    prog.fail(format_args!("options --{a} and --{b} cannot be combined"))
}

fn parse(prog: &Prog, args: Vec<OsString>) -> Result<Parsed, Failure> {
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
fn add_creator_and_time(columns: &mut Vec<Col>, r: Resource, creator: bool, time: bool) {
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

pub fn main(prog: &Prog, args: Vec<OsString>) -> i32 {
    let cfg = match parse(prog, args) {
        Ok(Parsed::Run(cfg)) => cfg,
        Ok(Parsed::Exit(status)) => return status,
        Err(Failure(status)) => return status,
    };
    let result = match &cfg.namespace {
        _ if cfg.all_namespaces => run_all_namespaces(prog, &cfg),
        Some(spec) => run_in_namespace(prog, &cfg, spec),
        None => run(prog, &cfg),
    };
    let mut stdout = Stdout::new();
    match result {
        Ok(text) => {
            let _ = stdout.write_all(&text);
            stdout.finish(prog, 0)
        }
        Err(Failure(status)) => status,
    }
}

/// `--namespace`: the listing, made in the other IPC namespace.
fn run_in_namespace(prog: &Prog, cfg: &Config, spec: &str) -> Result<Vec<u8>, Failure> {
    allns::in_namespace_of(prog, spec, || run(prog, cfg))?
}

/// The result of one run: the table (also read by the detail view) and the
/// semaphore values of `-s -i`.
struct Report {
    table: Table,
    elements: Option<Table>,
}

fn run(prog: &Prog, cfg: &Config) -> Result<Vec<u8>, Failure> {
    let report = build(prog, cfg)?;
    Ok(if cfg.mode == OutMode::Pretty {
        pretty(cfg, &report)
    } else {
        report.table.render(&format(cfg))
    })
}

/// `--all-namespaces`: what `--all-namespaces` refuses, in the words of
/// the other exclusions. POSIX objects live in the mounts of a mount
/// namespace (docs/beyond.md), so only their limits are shown.
fn all_namespaces_allowed(
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

/// `--all-namespaces`: the lines of every IPC namespace (each made on a
/// thread inside it, see allns.rs) in one table, with the namespace
/// columns filled. The POSIX queue count of `-g` is read through the
/// holder's root, as `--namespace=PID` does (`-` without a holder).
fn run_all_namespaces(prog: &Prog, cfg: &Config) -> Result<Vec<u8>, Failure> {
    let visits = allns::visit(prog, |ns| {
        let mut cfg = cfg.clone();
        cfg.mq_dir = ns.pid.map(|pid| format!("/proc/{pid}/root/dev/mqueue"));
        build(prog, &cfg).map(|report| report.table)
    })?;
    let mut status = visits.status();
    let mut table = new_table(cfg);
    for (ns, result) in &visits.shown {
        let part = match result {
            Ok(part) => part,
            Err(Failure(s)) => {
                status = *s;
                continue;
            }
        };
        if table.name.is_none() {
            table.name.clone_from(&part.name);
        }
        for line in allns::append_lines(&mut table, part) {
            for (c, &col) in cfg.columns.iter().enumerate() {
                match col {
                    Col::IpcNs => table.set_display(line, c, ns.ino),
                    Col::NsPid => {
                        if let Some(pid) = ns.pid {
                            table.set_display(line, c, pid);
                        }
                    }
                    Col::NsCommand => {
                        if let Some(cmd) = &ns.command {
                            table.set(line, c, cmd);
                        }
                    }
                    Col::Container | Col::ContainerId | Col::Runtime | Col::Pod => {
                        let field = containers::COLUMNS[col as usize - Col::Container as usize].2;
                        if let Some(text) = ns
                            .container
                            .as_ref()
                            .and_then(|k| containers::cell(k, field))
                        {
                            table.set(line, c, text);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    if table.name.is_none() {
        table.set_name(match cfg.resource {
            _ if cfg.global => "ipclimits",
            Some(Resource::Msg) => "messages",
            Some(Resource::Shm) => "sharedmemory",
            _ => "semaphores",
        });
    }
    let text = table.render(&format(cfg));
    if status != 0 {
        // Everything that could be shown is shown; the exit status says
        // the list is incomplete.
        let mut stdout = Stdout::new();
        let _ = stdout.write_all(&text);
        return Err(Failure(stdout.finish(prog, status)));
    }
    Ok(text)
}

/// Fills the table (and the semaphore values of `-s -i`) for `cfg` in the
/// IPC namespace of the calling thread.
fn build(prog: &Prog, cfg: &Config) -> Result<Report, Failure> {
    let mut ctx = Ctx::new(cfg);
    let mut elements = None;
    if cfg.global {
        ctx.global(prog);
    } else {
        match cfg.resource {
            Some(Resource::Msg) => ctx.msg(prog),
            Some(Resource::Shm) => ctx.shm(prog),
            Some(Resource::Sem) => elements = ctx.sem(prog)?,
            Some(r) => posix::report(prog, &mut ctx, r),
            None => {}
        }
    }
    select::finish(prog, &mut ctx)?;
    Ok(Report {
        table: ctx.table,
        elements,
    })
}

fn format(cfg: &Config) -> Format {
    let mode = match cfg.mode {
        OutMode::Export | OutMode::Newline => Mode::Export,
        OutMode::Raw => Mode::Raw,
        OutMode::Json => Mode::Json,
        _ => Mode::Human,
    };
    let mut f = Format::new(mode);
    f.noheadings = cfg.noheadings;
    f.shellvar = cfg.shellvar;
    if cfg.mode == OutMode::Newline {
        f.separator = "\n";
    }
    f
}

/// The output table with the selected columns and no lines.
fn new_table(cfg: &Config) -> Table {
    let mut t = Table::new();
    for &col in &cfg.columns {
        let info = col_info(col);
        let mut flags = info.flags;
        if cfg.notrunc {
            flags = flags.without(Flags::TRUNC);
        }
        let hint = if col == Col::Command { 0.0 } else { 1.0 };
        t.add_column(Column::new(info.name, hint, flags));
    }
    t
}

/// The detail view: `Label:` padded to column 37, the value padded to 36
/// bytes (util-linux's `printf("%s:%*c%-36s\n")`), for the first line only,
/// skipping cells without a value; then the semaphore values as a table.
fn pretty(cfg: &Config, report: &Report) -> Vec<u8> {
    let mut out = Vec::new();
    let t = &report.table;
    let Some(line) = t.line_ids().next() else {
        return out;
    };
    for (c, &col) in cfg.columns.iter().enumerate() {
        if !t.is_set(line, c) {
            continue;
        }
        let data = t.cell(line, c);
        let label = col_info(col).pretty;
        out.extend_from_slice(label.as_bytes());
        out.push(b':');
        let pad = 35usize.saturating_sub(label.len()).max(1);
        out.extend(std::iter::repeat_n(b' ', pad));
        out.extend_from_slice(data);
        out.extend(std::iter::repeat_n(
            b' ',
            36usize.saturating_sub(data.len()),
        ));
        out.push(b'\n');
    }
    if let Some(elements) = &report.elements {
        out.extend_from_slice(b"Elements:\n\n");
        out.extend_from_slice(&elements.render(&Format::new(Mode::Human)));
    }
    out
}

/// Per-run state: the configuration, the table being filled, name caches,
/// the clock.
struct Ctx<'a> {
    cfg: &'a Config,
    table: Table,
    /// Scratch space for one cell.
    buf: Vec<u8>,
    names: Names,
    now: Option<libc::tm>,
    /// Cells for `--filter` and `--sort`: sizes in bytes, times in seconds.
    raw: bool,
    sel: select::State,
    /// The last time cell's timestamp and text (objects made together
    /// share times: one `localtime` for a run of them).
    last_time: Option<(i64, String)>,
    /// `/proc/PID/cmdline` by pid (many segments share a creator).
    commands: HashMap<i32, Option<Vec<u8>>>,
}

/// Writes a number (or any text) into a cell buffer; always a value.
fn put(buf: &mut Vec<u8>, value: impl CellText) -> bool {
    value.push_to(buf);
    true
}

impl<'a> Ctx<'a> {
    fn new(cfg: &'a Config) -> Self {
        Ctx {
            cfg,
            table: new_table(cfg),
            buf: Vec::with_capacity(64),
            names: Names::default(),
            now: None,
            raw: false,
            sel: select::State::new(cfg),
            last_time: None,
            commands: HashMap::new(),
        }
    }

    /// Appends the user name of `uid`; false when it has none.
    fn user(&mut self, buf: &mut Vec<u8>, uid: u32) -> bool {
        self.names
            .user(uid)
            .map(|n| buf.extend_from_slice(n))
            .is_some()
    }

    fn group(&mut self, buf: &mut Vec<u8>, gid: u32) -> bool {
        self.names
            .group(gid)
            .map(|n| buf.extend_from_slice(n))
            .is_some()
    }

    /// The owner: its name, or its uid.
    fn owner(&mut self, buf: &mut Vec<u8>, uid: u32) -> bool {
        self.user(buf, uid) || put(buf, uid)
    }

    fn size(&self, buf: &mut Vec<u8>, bytes: u64) -> bool {
        if self.cfg.bytes || self.raw {
            put(buf, bytes)
        } else {
            super::ipcs::push_human_size(buf, bytes);
            true
        }
    }

    fn perms(&self, buf: &mut Vec<u8>, mode: u32) -> bool {
        let mode = mode & 0o777;
        if self.cfg.numperms {
            // printf's %#o: a leading 0 unless the value is 0.
            if mode == 0 {
                put(buf, "0")
            } else {
                put(buf, format_args!("0{mode:o}"))
            }
        } else {
            for shift in [6, 3, 0] {
                let bits = (mode >> shift) & 7;
                buf.push(if bits & 4 != 0 { b'r' } else { b'-' });
                buf.push(if bits & 2 != 0 { b'w' } else { b'-' });
                buf.push(if bits & 1 != 0 { b'x' } else { b'-' });
            }
            true
        }
    }

    /// A time cell; 0 (never) is no value.
    fn time(&mut self, buf: &mut Vec<u8>, t: i64) -> bool {
        if t == 0 {
            return false;
        }
        if self.raw {
            return put(buf, t);
        }
        if let Some((last, text)) = &self.last_time {
            if *last == t {
                return put(buf, text);
            }
        }
        let Some(tm) = localtime(t) else {
            return false;
        };
        let text = match self.cfg.time {
            TimeMode::Full => asctime(&tm),
            TimeMode::Iso => iso_time(&tm),
            TimeMode::Short => {
                if self.now.is_none() {
                    // SAFETY: time(NULL) only returns the clock.
                    let now = unsafe { libc::time(std::ptr::null_mut()) };
                    self.now = localtime(now);
                }
                short_time(&tm, self.now.as_ref())
            }
        };
        put(buf, &text);
        self.last_time = Some((t, text));
        true
    }

    /// The COMMAND of a creator pid; false when the process is gone.
    fn command(&mut self, buf: &mut Vec<u8>, pid: i32) -> bool {
        let text = self.commands.entry(pid).or_insert_with(|| cmdline(pid));
        text.as_ref().map(|c| buf.extend_from_slice(c)).is_some()
    }

    /// The generic columns shared by the three System V kinds (all but
    /// CTIME from the object's id and [`IpcPerm`]); `None` for the others.
    fn generic(
        &mut self,
        buf: &mut Vec<u8>,
        col: Col,
        id: i32,
        p: &IpcPerm,
        ctime: i64,
    ) -> Option<bool> {
        Some(match col {
            Col::Key => put(buf, output::Key0x(p.key.as_raw() as u32)),
            Col::Ident => put(buf, id),
            Col::Owner => self.owner(buf, p.uid),
            Col::Perms => self.perms(buf, p.mode),
            Col::Cuid => put(buf, p.cuid),
            Col::Cuser => self.user(buf, p.cuid),
            Col::Cgid => put(buf, p.cgid),
            Col::Cgroup => self.group(buf, p.cgid),
            Col::Uid => put(buf, p.uid),
            Col::User => self.user(buf, p.uid),
            Col::Gid => put(buf, p.gid),
            Col::Group => self.group(buf, p.gid),
            Col::Ctime => self.time(buf, ctime),
            _ => return None,
        })
    }

    /// Adds a line; `cell` writes each column's value into the buffer and
    /// says whether there is one.
    fn emit(&mut self, mut cell: impl FnMut(&mut Self, &mut Vec<u8>, Col) -> bool) {
        let Some(sort_key) = select::admit(self, &mut cell) else {
            return;
        };
        let line = self.table.new_line(None);
        let mut buf = std::mem::take(&mut self.buf);
        for (c, &col) in self.cfg.columns.iter().enumerate() {
            buf.clear();
            if cell(self, &mut buf, col) {
                self.table.set(line, c, &buf);
            }
        }
        self.buf = buf;
        self.sel.added(line, sort_key);
    }

    /// A System V line: generic columns (from the object's id, [`IpcPerm`]
    /// and ctime), then `specific` ones.
    fn sysv_line(
        &mut self,
        id: i32,
        p: &IpcPerm,
        ctime: i64,
        mut specific: impl FnMut(&mut Self, &mut Vec<u8>, Col) -> bool,
    ) {
        self.emit(|ctx, buf, col| match ctx.generic(buf, col, id, p, ctime) {
            Some(has) => has,
            None => specific(ctx, buf, col),
        });
    }

    /// The objects `-i` selects (all without it); `None`, after util-linux's
    /// warning for a missing id, when there are none to show.
    fn selected<T>(&self, prog: &Prog, list: Vec<T>, id_of: impl Fn(&T) -> i32) -> Option<Vec<T>> {
        let list = select(list, self.cfg.id, id_of);
        if list.is_empty() {
            if let Some(id) = self.cfg.id {
                prog.warnx(format_args!("id {id} not found"));
            }
            return None;
        }
        Some(list)
    }

    fn msg(&mut self, prog: &Prog) {
        let Some(list) = self.selected(prog, sysv::msg::list().unwrap_or_default(), |q| {
            q.id.as_raw()
        }) else {
            return;
        };
        self.table.set_name("messages");
        let list = select::orphans(self, list, |o| select::Of::Msg(o));
        for q in &list {
            self.msg_line(q);
        }
    }

    fn msg_line(&mut self, q: &MsgQueue) {
        self.sysv_line(q.id.as_raw(), &q.perm, q.ctime, |ctx, buf, col| match col {
            Col::UsedBytes => ctx.size(buf, q.cbytes),
            Col::Msgs => put(buf, q.qnum),
            Col::Send => ctx.time(buf, q.stime),
            Col::Recv => ctx.time(buf, q.rtime),
            Col::Lspid => put(buf, q.lspid),
            Col::Lrpid => put(buf, q.lrpid),
            _ => select::holder_cell(ctx, buf, col, select::Of::Msg(q)),
        });
    }

    fn shm(&mut self, prog: &Prog) {
        let Some(list) = self.selected(prog, sysv::shm::list().unwrap_or_default(), |s| {
            s.id.as_raw()
        }) else {
            return;
        };
        self.table.set_name("sharedmemory");
        let list = select::orphans(self, list, |o| select::Of::Shm(o));
        for s in &list {
            self.shm_line(s);
        }
    }

    fn shm_line(&mut self, s: &ShmSegment) {
        self.sysv_line(s.id.as_raw(), &s.perm, s.ctime, |ctx, buf, col| match col {
            Col::Size => ctx.size(buf, s.size),
            Col::Nattch => put(buf, s.nattch),
            Col::Status => {
                buf.extend_from_slice(&shm_status(s.perm.mode));
                true
            }
            Col::Attach => ctx.time(buf, s.atime),
            Col::Detach => ctx.time(buf, s.dtime),
            Col::Cpid => put(buf, s.cpid),
            Col::Lpid => put(buf, s.lpid),
            Col::Command => ctx.command(buf, s.cpid),
            _ => select::holder_cell(ctx, buf, col, select::Of::Shm(s)),
        });
    }

    /// Semaphore sets; with `-i`, also the table of the set's values.
    fn sem(&mut self, prog: &Prog) -> Result<Option<Table>, Failure> {
        // util-linux names this table before looking (JSON shows it).
        self.table.set_name("semaphores");
        let Some(list) = self.selected(prog, sysv::sem::list().unwrap_or_default(), |s| {
            s.id.as_raw()
        }) else {
            return Ok(None);
        };
        let list = select::orphans(self, list, |o| select::Of::Sem(o));
        for s in &list {
            self.sem_line(s);
        }
        let (Some(id), Some(set)) = (self.cfg.id, list.first()) else {
            return Ok(None);
        };
        if set.nsems == 0 {
            return Ok(None);
        }
        let values = sysv::sem::semaphores(id.into())
            .map_err(|e| prog.fail_errno("semctl(GETVAL) failed", &e))?;
        let mut t = Table::with_name("elements");
        for name in ["SEMNUM", "VALUE", "NCOUNT", "ZCOUNT", "PID", "COMMAND"] {
            t.add_column(Column::new(name, 0.0, Flags::RIGHT));
        }
        for (i, v) in values.iter().enumerate() {
            let line = t.new_line(None);
            t.set_display(line, 0, i);
            t.set_display(line, 1, v.value);
            t.set_display(line, 2, v.ncount);
            t.set_display(line, 3, v.zcount);
            t.set_display(line, 4, v.pid);
            t.set(line, 5, cmdline(v.pid).unwrap_or_default());
        }
        Ok(Some(t))
    }

    fn sem_line(&mut self, s: &SemSet) {
        self.sysv_line(s.id.as_raw(), &s.perm, s.ctime, |ctx, buf, col| match col {
            Col::Nsems => put(buf, s.nsems),
            Col::Otime => ctx.time(buf, s.otime),
            _ => select::holder_cell(ctx, buf, col, select::Of::Sem(s)),
        });
    }

    /// The limits view: one line per limit, for the chosen resource or all.
    fn global(&mut self, prog: &Prog) {
        self.table.set_name("ipclimits");
        let all = self.cfg.resource.is_none();
        let wants = |r: Resource| all || self.cfg.resource == Some(r);
        let (msg, pmsg, shm, sem) = (
            wants(Resource::Msg),
            wants(Resource::PosixMsg),
            wants(Resource::Shm),
            wants(Resource::Sem),
        );
        if msg {
            let lim = sysv::msg::limits().unwrap_or_default();
            // MSG_INFO counts the queues without listing them all.
            let used = sysv::msg::usage()
                .map(|u| u.queues)
                .or_else(|_| sysv::msg::list().map(|l| l.len() as u64))
                .unwrap_or(0);
            self.limit(
                "MSGMNI",
                "Number of System V message queues",
                Some(used),
                lim.msgmni,
                false,
            );
            self.limit(
                "MSGMAX",
                "Max size of System V message (bytes)",
                None,
                lim.msgmax,
                true,
            );
            self.limit(
                "MSGMNB",
                "Default max size of System V queue (bytes)",
                None,
                lim.msgmnb,
                true,
            );
        }
        if pmsg {
            let lim = posix::mq_limits();
            // Unknown for --namespace=FILE: shown as "-".
            let used = self.cfg.mq_dir.as_deref().map(|d| posix::mq_count(prog, d));
            self.limit(
                "MQUMNI",
                "Number of POSIX message queues",
                used,
                lim[0],
                false,
            );
            self.limit(
                "MQUMAX",
                "Max size of POSIX message (bytes)",
                None,
                lim[1],
                true,
            );
            self.limit(
                "MQUMNB",
                "Number of messages in POSIX message queue",
                None,
                lim[2],
                false,
            );
        }
        if shm {
            let lim = sysv::shm::limits().unwrap_or_default();
            let list = sysv::shm::list().unwrap_or_default();
            let total: u64 = list.iter().fold(0u64, |a, s| a.saturating_add(s.size));
            let pages = total / sysv::shm::page_size().max(1);
            self.limit(
                "SHMMNI",
                "Shared memory segments",
                Some(list.len() as u64),
                lim.shmmni,
                false,
            );
            self.limit(
                "SHMALL",
                "Shared memory pages",
                Some(pages),
                lim.shmall,
                false,
            );
            self.limit(
                "SHMMAX",
                "Max size of shared memory segment (bytes)",
                None,
                lim.shmmax,
                true,
            );
            self.limit(
                "SHMMIN",
                "Min size of shared memory segment (bytes)",
                None,
                lim.shmmin,
                true,
            );
        }
        if sem {
            let lim = sysv::sem::limits().unwrap_or_default();
            // SEM_INFO counts sets and semaphores without listing them.
            // Every set counts (util-linux before 2.41 counted the first
            // set's semaphores once per set).
            let (sets, nsems) = match sysv::sem::usage() {
                Ok(u) => (u.sets, u.semaphores),
                Err(_) => {
                    let list = sysv::sem::list().unwrap_or_default();
                    let nsems = list.iter().fold(0u64, |a, s| a.saturating_add(s.nsems));
                    (list.len() as u64, nsems)
                }
            };
            self.limit(
                "SEMMNI",
                "Number of semaphore identifiers",
                Some(sets),
                lim.semmni,
                false,
            );
            self.limit(
                "SEMMNS",
                "Total number of semaphores",
                Some(nsems),
                lim.semmns,
                false,
            );
            self.limit(
                "SEMMSL",
                "Max semaphores per semaphore set.",
                None,
                lim.semmsl,
                false,
            );
            self.limit(
                "SEMOPM",
                "Max number of operations per semop(2)",
                None,
                lim.semopm,
                false,
            );
            self.limit("SEMVMX", "Semaphore max value", None, lim.semvmx, false);
        }
    }

    /// One limit: `used` is None for pure limits (`-` in USED and USE%);
    /// `bytes` limits are in human units unless `-b`.
    fn limit(&mut self, resource: &str, desc: &str, used: Option<u64>, limit: u64, bytes: bool) {
        self.emit(|ctx, buf, col| match col {
            Col::Resource => put(buf, resource),
            Col::Desc => put(buf, desc),
            Col::Limit if bytes => ctx.size(buf, limit),
            Col::Limit => put(buf, limit),
            Col::Used => match used {
                Some(u) => put(buf, u),
                None => put(buf, "-"),
            },
            Col::UsePerc => match used {
                Some(u) => put(buf, percent(u, limit)),
                None => put(buf, "-"),
            },
            _ => false,
        });
    }
}

/// All objects, or the one with `id`.
fn select<T>(list: Vec<T>, id: Option<i32>, id_of: impl Fn(&T) -> i32) -> Vec<T> {
    match id {
        None => list,
        Some(id) => list
            .into_iter()
            .filter(|o| id_of(o) == id)
            .take(1)
            .collect(),
    }
}

/// `"%2.2f%%"` of used/limit, with C's spelling of infinities and NaN.
fn percent(used: u64, limit: u64) -> String {
    let v = used as f64 / limit as f64 * 100.0;
    if v.is_nan() {
        "-nan%".to_string()
    } else if v.is_infinite() {
        "inf%".to_string()
    } else {
        format!("{v:2.2}%")
    }
}

/// The STATUS column: the segment's flags, comma separated.
fn shm_status(mode: u32) -> Vec<u8> {
    const SHM_HUGETLB: u32 = 0o4000;
    const SHM_NORESERVE: u32 = 0o10000;
    let flags = [
        (sysv::SHM_DEST, "dest"),
        (sysv::SHM_LOCKED, "locked"),
        (SHM_HUGETLB, "hugetlb"),
        (SHM_NORESERVE, "noreserve"),
    ];
    let names: Vec<&str> = flags
        .iter()
        .filter(|(bit, _)| mode & bit != 0)
        .map(|(_, name)| *name)
        .collect();
    names.join(",").into_bytes()
}

/// `/proc/PID/cmdline` as util-linux shows it: at most 8 KiB, NULs as
/// spaces, the last byte (the final NUL) dropped; `None` when the process
/// is gone.
fn cmdline(pid: i32) -> Option<Vec<u8>> {
    use std::io::Read;
    if pid <= 0 {
        return None;
    }
    let file = std::fs::File::open(format!("/proc/{pid}/cmdline")).ok()?;
    let mut buf = Vec::with_capacity(256);
    file.take(8192).read_to_end(&mut buf).ok()?;
    buf.pop()?;
    for b in &mut buf {
        if *b == 0 {
            *b = b' ';
        }
    }
    Some(buf)
}

pub(crate) fn localtime(t: i64) -> Option<libc::tm> {
    let t = libc::time_t::try_from(t).ok()?;
    // SAFETY: an all-zero `tm` is a valid value; localtime_r only writes it.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: both pointers are valid for the call; localtime_r keeps no
    // reference to them.
    if unsafe { libc::localtime_r(&t, &mut tm) }.is_null() {
        return None;
    }
    Some(tm)
}

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn month(tm: &libc::tm) -> &'static str {
    MONTHS.get(tm.tm_mon as usize).copied().unwrap_or("???")
}

/// `asctime`: `Sun Nov 29 11:50:43 2026`.
fn asctime(tm: &libc::tm) -> String {
    format!(
        "{} {}{:3} {:02}:{:02}:{:02} {}",
        DAYS.get(tm.tm_wday as usize).copied().unwrap_or("???"),
        month(tm),
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec,
        i64::from(tm.tm_year) + 1900
    )
}

/// `2026-11-29T11:50:43+00:00`.
pub(crate) fn iso_time(tm: &libc::tm) -> String {
    let off_min = tm.tm_gmtoff / 60;
    format!(
        "{:4}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}",
        i64::from(tm.tm_year) + 1900,
        tm.tm_mon + 1,
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec,
        if off_min < 0 { '-' } else { '+' },
        (off_min / 60).abs(),
        (off_min % 60).abs()
    )
}

/// util-linux `strtime_short`: `HH:MM` today, `Nov05` this year,
/// `2025-Nov05` before.
fn short_time(tm: &libc::tm, now: Option<&libc::tm>) -> String {
    let same_year = now.is_some_and(|n| n.tm_year == tm.tm_year);
    if same_year && now.is_some_and(|n| n.tm_yday == tm.tm_yday) {
        format!("{:02}:{:02}", tm.tm_hour, tm.tm_min)
    } else if same_year {
        format!("{}{:02}", month(tm), tm.tm_mday)
    } else {
        format!(
            "{}-{}{:02}",
            i64::from(tm.tm_year) + 1900,
            month(tm),
            tm.tm_mday
        )
    }
}

/// POSIX IPC through `nsipc::ipc::posix`: queues in `/dev/mqueue`, shared
/// memory files and `sem.*` semaphores in `/dev/shm`, in directory order.
mod posix {
    use std::os::unix::ffi::OsStrExt;

    use nsipc::ipc::posix::{self as lib, ListError};

    use super::*;

    /// One POSIX object, with the fields lsipc shows.
    struct Object {
        /// As shown: `/q` for queues, the bare file name for the others.
        name: Vec<u8>,
        attrs: lib::Attrs,
        /// Queue: bytes queued; shared memory: size.
        size: u64,
        /// Queue: messages (None when the queue cannot be opened).
        msgs: Option<i64>,
        /// Semaphore value.
        sval: i32,
    }

    /// `/proc/sys/fs/mqueue/{queues_max,msgsize_max,msg_max}` (0 when
    /// unreadable, as util-linux).
    pub fn mq_limits() -> [u64; 3] {
        let l = lib::mqueue::limits();
        [l.queues_max, l.msgsize_max, l.msg_max].map(|v| v.unwrap_or(0))
    }

    /// Number of queues, for the limits view (0 when they cannot be
    /// listed, as util-linux). `dir` is `/dev/mqueue`, or another
    /// namespace's through `/proc/PID/root`.
    pub fn mq_count(prog: &Prog, dir: &str) -> u64 {
        if dir == lib::MQUEUE_DIR {
            return queues(prog).map_or(0, |q| q.len() as u64);
        }
        match std::fs::read_dir(dir) {
            Ok(entries) => entries.count() as u64,
            Err(_) => {
                not_mounted(prog, dir);
                0
            }
        }
    }

    fn not_mounted(prog: &Prog, dir: &str) {
        prog.warnx(format_args!(
            "{dir} does not seem to be mounted. Use 'mount -t mqueue none {dir}' to mount it."
        ));
    }

    /// Queues whose file could be read (util-linux skips the others).
    fn queues(prog: &Prog) -> Option<Vec<Object>> {
        let list = match lib::mqueue::list() {
            Ok(list) => list,
            Err(ListError::NotMounted { .. }) => {
                not_mounted(prog, lib::MQUEUE_DIR);
                return None;
            }
            Err(ListError::Read { .. }) => {
                prog.warnx(format_args!("cannot open {}", lib::MQUEUE_DIR));
                return None;
            }
        };
        Some(
            list.into_iter()
                .filter_map(|q| {
                    Some(Object {
                        size: q.qsize?,
                        name: q.name.as_bytes().to_vec(),
                        attrs: q.attrs,
                        // util-linux ignores a failed mq_open and prints
                        // garbage; here the count is left empty.
                        msgs: q.attr.map(|a| a.messages),
                        sval: 0,
                    })
                })
                .collect(),
        )
    }

    fn shm_dir_error(prog: &Prog) {
        prog.warnx(format_args!("cannot open {}", lib::SHM_DIR));
    }

    fn shm_files(prog: &Prog) -> Option<Vec<Object>> {
        let Ok(list) = lib::shm::list() else {
            shm_dir_error(prog);
            return None;
        };
        Some(
            list.into_iter()
                .map(|o| Object {
                    name: o.name.as_bytes().to_vec(),
                    size: o.attrs.size,
                    attrs: o.attrs,
                    msgs: None,
                    sval: 0,
                })
                .collect(),
        )
    }

    /// Semaphores that could be opened (util-linux skips the others).
    fn semaphores(prog: &Prog) -> Option<Vec<Object>> {
        let Ok(list) = lib::sem::list() else {
            shm_dir_error(prog);
            return None;
        };
        Some(
            list.into_iter()
                .filter_map(|o| {
                    Some(Object {
                        sval: o.value?,
                        name: o.name.as_bytes().to_vec(),
                        size: o.attrs.size,
                        attrs: o.attrs,
                        msgs: None,
                    })
                })
                .collect(),
        )
    }

    pub fn report(prog: &Prog, ctx: &mut Ctx, r: Resource) {
        let wanted = ctx.cfg.name.clone();
        if r == Resource::PosixMsg {
            if let Some(n) = wanted.as_deref().filter(|n| !n.starts_with('/')) {
                prog.warnx(format_args!("message queue name must start with '/': {n}"));
                return;
            }
        }
        let list = match r {
            Resource::PosixMsg => queues(prog),
            Resource::PosixShm => shm_files(prog),
            _ => semaphores(prog),
        };
        let Some(mut list) = list else {
            return;
        };
        if let Some(w) = &wanted {
            // glibc strips the '/' of shm and semaphore names: accept both.
            let w = if r == Resource::PosixMsg {
                w.as_str()
            } else {
                w.strip_prefix('/').unwrap_or(w)
            };
            list.retain(|o| o.name == w.as_bytes());
            list.truncate(1);
        }
        if list.is_empty() {
            if let Some(w) = wanted {
                let what = match r {
                    Resource::PosixMsg => "message queue",
                    Resource::PosixShm => "shared memory segment",
                    _ => "semaphore",
                };
                prog.warnx(format_args!("{what} {w} not found"));
            }
            return;
        }
        list.retain(|o| select::wanted(ctx, select::Of::Posix(&o.attrs)));
        ctx.table.set_name(match r {
            Resource::PosixMsg => "posix-messages",
            Resource::PosixShm => "posix-sharedmemory",
            _ => "posix-semaphores",
        });
        for o in &list {
            ctx.emit(|ctx, buf, col| match col {
                Col::Name => {
                    buf.extend_from_slice(&o.name);
                    true
                }
                Col::Owner => ctx.owner(buf, o.attrs.uid),
                Col::Perms => ctx.perms(buf, o.attrs.mode),
                Col::Cuid => put(buf, o.attrs.uid),
                Col::Cuser => ctx.user(buf, o.attrs.uid),
                Col::Cgid => put(buf, o.attrs.gid),
                Col::Cgroup => ctx.group(buf, o.attrs.gid),
                Col::Mtime => ctx.time(buf, o.attrs.mtime),
                Col::UsedBytes if r == Resource::PosixMsg => ctx.size(buf, o.size),
                Col::Msgs if r == Resource::PosixMsg => o.msgs.is_some_and(|m| put(buf, m)),
                Col::Size if r == Resource::PosixShm => ctx.size(buf, o.size),
                Col::Sval if r == Resource::PosixSem => put(buf, o.sval),
                _ => select::holder_cell(ctx, buf, col, select::Of::Posix(&o.attrs)),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_table_is_in_enum_order() {
        for (i, c) in COLUMNS.iter().enumerate() {
            assert_eq!(c.col as usize, i, "{}", c.name);
        }
        // The holder and container columns are nsipc's own: util-linux's
        // limit stays.
        assert_eq!(
            (COLUMNS.len() - select::HOLDER_COLUMNS.len() - containers::COLUMNS.len()) * 2,
            MAX_COLUMNS
        );
    }

    #[test]
    fn cells() {
        assert_eq!(percent(1, 32000), "0.00%");
        assert_eq!(percent(3, 4), "75.00%");
        assert_eq!(percent(0, 0), "-nan%");
        assert_eq!(percent(1, 0), "inf%");
        assert_eq!(shm_status(0), b"");
        assert_eq!(shm_status(0o2000 | 0o4000), b"locked,hugetlb");
        assert_eq!(shm_status(0o1000 | 0o2000), b"dest,locked");
    }
}
