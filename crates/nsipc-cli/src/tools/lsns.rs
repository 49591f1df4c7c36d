//! `lsns`: list namespaces, as util-linux master does, through the shared
//! output engine.
//!
//! Discovery is `nsipc::ns::discover` (processes, their threads, open
//! namespace fds and sockets, nsfs bind mounts). This file turns options
//! into a [`Config`], then lays the namespaces out as util-linux does: rows
//! sorted by inode; by default a *process* tree (a namespace's line hangs
//! under the line last printed for its holder's parent process); `-T owner`
//! and `-T parent` trees with missing ancestors added; the `<namespace ID>`
//! mode with one line per member process.
//!
//! Deliberate differences from util-linux (see docs/lsns.md):
//! - `-l` with `-T` is refused (upstream's exclusion table is mis-sorted,
//!   so `-T` silently wins);
//! - JSON is a flat list unless `-T` is given: the implicit process tree is
//!   a picture for humans, not a structure (upstream nests `"children"`);
//! - a thread that unshared a namespace is listed (upstream reads only
//!   thread-group leaders and misses such namespaces);
//! - a process that exits during the scan is skipped (upstream's ESRCH
//!   sign error aborts the listing);
//! - `-Q` works in the `<namespace ID>` mode and knows `netnsid` in any case.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use nsipc::ns::discover::{self, NetNsId, NsInfo, ScanError, ScanOptions, Snapshot};
use nsipc::ns::{Kind, Kinds};

use crate::containers::{self, Field, Select};
use crate::filter::{self, DataType, Filter, Row};
use crate::getopt::{Arg, Getopt};
use crate::names::Names;
use crate::numparse;
use crate::output::{self, Column, Flags, Format, JsonType, LineId, Mode, Table};
use crate::report::{strerror, Failure, Prog, Stdout};

pub use super::lsns_opts::{Id, SPEC};

// ---------------------------------------------------------------------------
// Columns

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Ns,
    Type,
    Path,
    Nprocs,
    Pid,
    Ppid,
    Command,
    Uid,
    User,
    NetNsId,
    Nsfs,
    Pns,
    Ons,
    Container(Field),
}

struct ColInfo {
    col: Col,
    name: &'static str,
    width: f64,
    flags: Flags,
    json: JsonType,
    help: &'static str,
}

const fn info(
    col: Col,
    name: &'static str,
    width: f64,
    flags: Flags,
    json: JsonType,
    help: &'static str,
) -> ColInfo {
    ColInfo {
        col,
        name,
        width,
        flags,
        json,
        help,
    }
}

/// util-linux's column table: names, width hints, flags, JSON types.
const COLUMNS: &[ColInfo] = &[
    info(
        Col::Ns,
        "NS",
        10.0,
        Flags::RIGHT,
        JsonType::Number,
        "inode number identifying the namespace",
    ),
    info(
        Col::Type,
        "TYPE",
        5.0,
        Flags::NONE,
        JsonType::String,
        "namespace type",
    ),
    info(
        Col::Path,
        "PATH",
        0.0,
        Flags::NONE,
        JsonType::String,
        "/proc path of the namespace file",
    ),
    info(
        Col::Nprocs,
        "NPROCS",
        5.0,
        Flags::RIGHT,
        JsonType::Number,
        "how many processes are in it",
    ),
    info(
        Col::Pid,
        "PID",
        5.0,
        Flags::RIGHT,
        JsonType::Number,
        "its process with the lowest PID",
    ),
    info(
        Col::Ppid,
        "PPID",
        5.0,
        Flags::RIGHT,
        JsonType::Number,
        "parent PID of that process",
    ),
    info(
        Col::Command,
        "COMMAND",
        0.0,
        Flags::TRUNC,
        JsonType::String,
        "command line of that process",
    ),
    info(
        Col::Uid,
        "UID",
        0.0,
        Flags::RIGHT,
        JsonType::Number,
        "user ID of that process",
    ),
    info(
        Col::User,
        "USER",
        0.0,
        Flags::NONE,
        JsonType::String,
        "user name of that process",
    ),
    info(
        Col::NetNsId,
        "NETNSID",
        0.0,
        Flags::RIGHT,
        JsonType::String,
        "network namespace id (netlink)",
    ),
    info(
        Col::Nsfs,
        "NSFS",
        0.0,
        Flags::WRAP,
        JsonType::String,
        "where it is bind-mounted (nsfs)",
    ),
    info(
        Col::Pns,
        "PNS",
        10.0,
        Flags::RIGHT,
        JsonType::Number,
        "inode number of the parent namespace",
    ),
    info(
        Col::Ons,
        "ONS",
        10.0,
        Flags::RIGHT,
        JsonType::Number,
        "inode number of the owner user namespace",
    ),
    // Not util-linux's: asked for by name, never by --output-all.
    container_col(0),
    container_col(1),
    container_col(2),
    container_col(3),
];

/// util-linux's columns, those --output-all prints.
const UTIL_LINUX_COLUMNS: usize = 13;

const fn container_col(i: usize) -> ColInfo {
    let (name, help, field) = containers::COLUMNS[i];
    info(
        Col::Container(field),
        name,
        0.1,
        Flags::NONE,
        JsonType::String,
        help,
    )
}

const COLUMN_NAMES: [&str; 17] = [
    "NS",
    "TYPE",
    "PATH",
    "NPROCS",
    "PID",
    "PPID",
    "COMMAND",
    "UID",
    "USER",
    "NETNSID",
    "NSFS",
    "PNS",
    "ONS",
    "CONTAINER",
    "CONTAINERID",
    "RUNTIME",
    "POD",
];

/// util-linux's `columns[]` array size.
const MAX_COLUMNS: usize = UTIL_LINUX_COLUMNS * 2;

/// Every column's name and description, from the table above (for the man
/// page and the completions).
pub fn column_list() -> Vec<(&'static str, &'static str)> {
    COLUMNS.iter().map(|c| (c.name, c.help)).collect()
}

fn col_info(col: Col) -> &'static ColInfo {
    COLUMNS.iter().find(|c| c.col == col).unwrap_or(&COLUMNS[0])
}

fn find_col(name: &str) -> Option<Col> {
    output::find_column(&COLUMN_NAMES, name).map(|i| COLUMNS[i].col)
}

// ---------------------------------------------------------------------------
// Options

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tree {
    None,
    Process,
    Owner,
    Parent,
}

struct Config {
    json: bool,
    raw: bool,
    no_headings: bool,
    no_trunc: bool,
    no_wrap: bool,
    persistent: bool,
    task: Option<i32>,
    namespace: Option<u64>,
    kinds: Kinds,
    tree: Tree,
    /// -T given: JSON nests only then.
    explicit_tree: bool,
    columns: Vec<Col>,
    filter: Option<Filter>,
    /// `--sort`: the column, and whether it was added (hidden) for it.
    sort: Option<(Col, bool)>,
}

enum Parsed {
    Run(Config),
    Exit(i32),
}

/// Options util-linux refuses together (`err_exclusive_options`); the
/// message names the one seen first.
const EXCLUSIVE: &[[Id; 2]] = &[
    [Id::Json, Id::Raw],
    [Id::Persistent, Id::Task],
    [Id::List, Id::Tree],
];

fn long_name(id: Id) -> &'static str {
    SPEC.options
        .iter()
        .find(|o| o.id == id)
        .map_or("", |o| o.long)
}

fn parse(prog: &Prog, args: Vec<OsString>) -> Result<Parsed, Failure> {
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
fn check_filter_columns(prog: &Prog, f: &Filter) -> Result<(), Failure> {
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
fn print_column_list(prog: &Prog, cfg: &Config) -> i32 {
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

fn mode(cfg: &Config) -> Mode {
    if cfg.json {
        Mode::Json
    } else if cfg.raw {
        Mode::Raw
    } else {
        Mode::Human
    }
}

// ---------------------------------------------------------------------------
// Running

pub fn main(prog: &Prog, args: Vec<OsString>) -> i32 {
    let cfg = match parse(prog, args) {
        Ok(Parsed::Run(cfg)) => cfg,
        Ok(Parsed::Exit(status)) => return status,
        Err(Failure(status)) => return status,
    };
    match run(prog, &cfg) {
        Ok(table) => {
            let mut out = Stdout::new();
            let mut fmt = Format::new(mode(&cfg));
            fmt.noheadings = cfg.no_headings;
            let _ = table.print(&mut out, &fmt);
            out.finish(prog, 0)
        }
        Err(Failure(status)) => status,
    }
}

fn wants(cfg: &Config, col: Col) -> bool {
    cfg.columns.contains(&col)
        || cfg
            .filter
            .as_ref()
            .is_some_and(|f| f.holders().iter().any(|h| find_col(h) == Some(col)))
}

fn run(prog: &Prog, cfg: &Config) -> Result<Table, Failure> {
    let opts = ScanOptions {
        kinds: cfg.kinds,
        open_fds: true,
        mounts: true,
        process_ancestors: matches!(cfg.tree, Tree::Owner | Tree::Parent),
        netnsid: wants(cfg, Col::NetNsId),
        relations: wants(cfg, Col::Pns) || wants(cfg, Col::Ons),
        // Lines show holders, or every member of one namespace.
        ppid: match (
            wants(cfg, Col::Ppid) || cfg.tree == Tree::Process,
            cfg.namespace,
        ) {
            (false, _) => discover::Ppids::None,
            (true, None) => discover::Ppids::Holders,
            (true, Some(_)) => discover::Ppids::All,
        },
        threads: true,
    };
    let snap = match discover::scan(&opts) {
        Ok(snap) => snap,
        Err(ScanError::UnsupportedIoctl(name)) => {
            prog.warnx(format_args!("Unsupported ioctl {name}"));
            return Err(Failure(2));
        }
        Err(ScanError::Proc { path, source }) => {
            return Err(prog.fail_errno(format_args!("cannot read {path}"), &source))
        }
    };
    let mut lister = Lister::new(cfg, &snap);
    match cfg.namespace {
        Some(ino) => {
            let Some(ns) = snap.namespace(ino) else {
                return Err(prog.fail(format_args!("not found namespace: {ino}")));
            };
            lister.show_members(ns)
        }
        None => lister.show_namespaces(),
    }
    .map_err(|e| {
        prog.fail(format_args!(
            "failed to apply filter: {}",
            strerror(&std::io::Error::from_raw_os_error(e.0))
        ))
    })?;
    Ok(match cfg.sort {
        Some((col, _)) => {
            let at = cfg.columns.iter().position(|&c| c == col).unwrap_or(0);
            let numeric = col_info(col).json == JsonType::Number;
            output::sorted_by_column(&lister.table, at, numeric)
        }
        None => lister.table,
    })
}

/// Builds the table from a snapshot.
struct Lister<'a> {
    cfg: &'a Config,
    snap: &'a Snapshot,
    table: Table,
    /// Output column index of each configured column.
    cols: Vec<(Col, usize)>,
    /// Per process: the line last added for it (process trees).
    proc_line: Vec<Option<LineId>>,
    /// Per namespace: its line (owner/parent trees).
    ns_line: Vec<Option<LineId>>,
    names: Names,
    commands: HashMap<i32, Option<Vec<u8>>>,
    tree: Tree,
    containers: nsipc::container::Resolver,
}

impl<'a> Lister<'a> {
    fn new(cfg: &'a Config, snap: &'a Snapshot) -> Self {
        // JSON nests only for an explicit -T (see the module comment).
        let tree = if cfg.json && !cfg.explicit_tree {
            Tree::None
        } else {
            cfg.tree
        };
        let mut table = Table::with_name("namespaces");
        let mut cols = Vec::new();
        for &col in &cfg.columns {
            let info = col_info(col);
            let mut flags = info.flags;
            if cfg.no_trunc {
                flags = flags.without(Flags::TRUNC);
            }
            if tree == Tree::Process && col == Col::Command {
                flags = flags | Flags::TREE;
            }
            if cfg.no_wrap {
                flags = flags.without(Flags::WRAP);
            }
            if matches!(tree, Tree::Owner | Tree::Parent) && col == Col::Ns {
                flags = (flags | Flags::TREE).without(Flags::RIGHT);
            }
            if col == Col::Nsfs && !cfg.no_wrap {
                flags = flags | Flags::MULTILINE;
            }
            if cfg.sort == Some((col, true)) {
                flags = flags | Flags::HIDDEN;
            }
            let mut column = Column::new(info.name, info.width, flags).json(info.json);
            if col == Col::Nsfs && !cfg.no_wrap {
                column.safechars = b"\n";
            }
            cols.push((col, table.add_column(column)));
        }
        Lister {
            cfg,
            snap,
            table,
            cols,
            proc_line: vec![None; snap.processes.len()],
            ns_line: vec![None; snap.namespaces.len()],
            names: Names::default(),
            commands: HashMap::new(),
            tree,
            containers: nsipc::container::Resolver::new(),
        }
    }

    fn ns_index(&self, ino: u64) -> Option<usize> {
        self.snap
            .namespaces
            .binary_search_by_key(&ino, |n| n.ino)
            .ok()
    }

    /// A related namespace (parent or owner) present in the listing.
    fn related(&self, ns: usize, parent: bool) -> Option<usize> {
        let info = &self.snap.namespaces[ns];
        let ino = if parent { info.parent } else { info.owner }?;
        if ino == info.ino {
            return None;
        }
        self.ns_index(ino)
    }

    /// The parent process of process `p`, if it was read.
    fn parent_process(&self, p: usize) -> Option<usize> {
        let proc = &self.snap.processes[p];
        match proc.thread_of {
            Some(leader) => self.snap.process_index(leader),
            None => self.snap.process_index(proc.ppid),
        }
    }

    fn show_namespaces(&mut self) -> Result<(), filter::EvalError> {
        for i in 0..self.snap.namespaces.len() {
            let ns = &self.snap.namespaces[i];
            if let Some(pid) = self.cfg.task {
                if !ns
                    .members
                    .iter()
                    .any(|&m| self.snap.processes[m].pid == pid)
                {
                    continue;
                }
            }
            if self.cfg.persistent && !ns.members.is_empty() {
                continue;
            }
            if self.ns_line[i].is_none() {
                self.show_namespace(i, 0)?;
            }
        }
        Ok(())
    }

    /// One namespace, after its owner/parent ancestors in those trees.
    fn show_namespace(&mut self, ns: usize, depth: usize) -> Result<(), filter::EvalError> {
        if depth < 64 {
            let up = match self.tree {
                Tree::Owner => self.related(ns, false),
                Tree::Parent => self.related(ns, true).or_else(|| self.related(ns, false)),
                _ => None,
            };
            if let Some(up) = up {
                if self.ns_line[up].is_none() {
                    self.show_namespace(up, depth + 1)?;
                }
            }
        }
        let holder = self.snap.namespaces[ns].holder;
        self.add_line(ns, holder)
    }

    /// The `<namespace ID>` mode: one line per member process.
    fn show_members(&mut self, ns: &NsInfo) -> Result<(), filter::EvalError> {
        let ns_index = self.ns_index(ns.ino).unwrap_or(0);
        for &p in &ns.members {
            if self.proc_line[p].is_none() {
                self.show_member(ns_index, p, 0)?;
            }
        }
        Ok(())
    }

    fn show_member(&mut self, ns: usize, p: usize, depth: usize) -> Result<(), filter::EvalError> {
        // Parents first, while they are in the same namespace.
        if self.tree == Tree::Process && depth < 4096 {
            if let Some(parent) = self.parent_process(p) {
                let kind = self.snap.namespaces[ns].kind as usize;
                let procs = &self.snap.processes;
                if self.proc_line[parent].is_none() && procs[parent].ns[kind] == procs[p].ns[kind] {
                    self.show_member(ns, parent, depth + 1)?;
                }
            }
        }
        self.add_line(ns, Some(p))
    }

    fn add_line(&mut self, ns: usize, proc: Option<usize>) -> Result<(), filter::EvalError> {
        let parent_line = match self.tree {
            Tree::Process => proc
                .and_then(|p| self.parent_process(p))
                .and_then(|pp| self.proc_line[pp]),
            Tree::Parent => self.related(ns, true).and_then(|r| self.ns_line[r]),
            Tree::Owner => self.related(ns, false).and_then(|r| self.ns_line[r]),
            Tree::None => None,
        };
        if let Some(f) = &self.cfg.filter {
            let mut row = FilterRow {
                lister: self,
                ns,
                proc,
                cache: Vec::new(),
            };
            if !f.matches(&mut row)? {
                return Ok(());
            }
        }
        let line = self.table.new_line(parent_line);
        for k in 0..self.cols.len() {
            let (col, index) = self.cols[k];
            if let Some(data) = self.cell(col, ns, proc) {
                self.table.set(line, index, data);
            }
        }
        match (self.tree, proc) {
            (Tree::Owner | Tree::Parent, _) => self.ns_line[ns] = Some(line),
            (_, Some(p)) => self.proc_line[p] = Some(line),
            _ => {}
        }
        Ok(())
    }

    fn command(&mut self, pid: i32) -> Option<Vec<u8>> {
        self.commands
            .entry(pid)
            .or_insert_with(|| discover::process_command(pid).map(|c| c.into_encoded_bytes()))
            .clone()
    }

    fn user(&mut self, uid: u32) -> Vec<u8> {
        self.names.user_or_uid(uid)
    }

    /// A cell's text; `None` for an empty cell.
    fn cell(&mut self, col: Col, ns_index: usize, proc: Option<usize>) -> Option<Vec<u8>> {
        let ns = &self.snap.namespaces[ns_index];
        let proc = proc.map(|p| &self.snap.processes[p]);
        let uid = proc.map_or(ns.owner_uid.unwrap_or(0), |p| p.uid);
        let text = |s: String| Some(s.into_bytes());
        match col {
            Col::Ns => text(ns.ino.to_string()),
            Col::Type => text(ns.kind.proc_name().to_string()),
            Col::Path => {
                proc.and_then(|p| text(format!("/proc/{}/ns/{}", p.pid, ns.kind.proc_name())))
            }
            Col::Nprocs => text(ns.members.len().to_string()),
            Col::Pid => proc.and_then(|p| text(p.pid.to_string())),
            Col::Ppid => proc.and_then(|p| text(p.ppid.to_string())),
            Col::Command => {
                let pid = proc?.pid;
                self.command(pid)
            }
            Col::Uid => text(uid.to_string()),
            Col::User => Some(self.user(uid)),
            Col::NetNsId => match ns.netnsid {
                Some(NetNsId::Assigned(id)) if ns.kind == Kind::Net => text(id.to_string()),
                Some(NetNsId::Unassigned) if ns.kind == Kind::Net => text("unassigned".into()),
                _ => None,
            },
            Col::Nsfs => {
                let sep: &[u8] = if self.cfg.no_wrap { b"," } else { b"\n" };
                let targets = self.snap.nsfs_targets(ns);
                if targets.is_empty() {
                    return None;
                }
                let parts: Vec<&[u8]> = targets.iter().map(|t| t.as_os_str().as_bytes()).collect();
                Some(parts.join(sep))
            }
            Col::Pns => text(ns.parent.unwrap_or(0).to_string()),
            Col::Ons => text(ns.owner.unwrap_or(0).to_string()),
            Col::Container(field) => {
                let pid = proc?.pid;
                containers::cell(&self.containers.of_pid(pid)?, field)
            }
        }
    }
}

/// A would-be line as the filter sees it (cells computed on demand).
struct FilterRow<'l, 'a> {
    lister: &'l mut Lister<'a>,
    ns: usize,
    proc: Option<usize>,
    cache: Vec<(Col, Option<Vec<u8>>)>,
}

impl Row for FilterRow<'_, '_> {
    fn cell(&mut self, name: &str) -> (DataType, Option<Cow<'_, [u8]>>) {
        let Some(col) = find_col(name) else {
            return (DataType::String, None);
        };
        let ty = match col_info(col).json {
            JsonType::Number => DataType::U64,
            _ => DataType::String,
        };
        let at = match self.cache.iter().position(|(c, _)| *c == col) {
            Some(at) => at,
            None => {
                let data = self.lister.cell(col, self.ns, self.proc);
                self.cache.push((col, data));
                self.cache.len() - 1
            }
        };
        (ty, self.cache[at].1.as_deref().map(Cow::Borrowed))
    }
}
