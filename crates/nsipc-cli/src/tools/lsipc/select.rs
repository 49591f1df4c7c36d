//! lsipc's own selection and ordering, on top of util-linux's listing:
//! the HOLDERS/NHOLDERS columns, `--orphans` with `--older-than`,
//! `--filter EXPR` (the `lsns -Q` language and engine) and `--sort COLUMN`.
//!
//! Filters and sorting read each line's cells in a raw form — sizes in
//! bytes, times in seconds since the epoch — whatever `-b` or
//! `--time-format` say, so `SIZE > 1000000` and `--sort CTIME` compare
//! numbers. Sorting is ascending and stable, empty cells first; with
//! `--all-namespaces` it orders the lines of each namespace.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use nsipc::ipc::holders::{self, Index};
use nsipc::ipc::posix::Attrs;
use nsipc::ipc::sysv::{self, MsgQueue, SemSet, ShmSegment};

use super::columns::{col_info, COLUMNS, GLOBAL_COLUMNS};
use super::render::put;
use super::{Col, Config, Ctx, Id, Resource};
use crate::filter::{self, DataType, EvalError, Filter, Row};
use crate::orphans::{self, Rules};
use crate::output::{self, LineId, SortKey};
use crate::report::{strerror, Failure, Prog};

/// The columns every resource fills from the holder index.
pub const HOLDER_COLUMNS: &[Col] = &[Col::Holders, Col::NHolders];

/// Columns whose raw cells are numbers (for the filter's types and the
/// sort order).
const NUMERIC: &[Col] = &[
    Col::Ident,
    Col::Cuid,
    Col::Cgid,
    Col::Uid,
    Col::Gid,
    Col::Ctime,
    Col::Mtime,
    Col::UsedBytes,
    Col::Msgs,
    Col::Send,
    Col::Recv,
    Col::Lspid,
    Col::Lrpid,
    Col::Size,
    Col::Nattch,
    Col::Attach,
    Col::Detach,
    Col::Cpid,
    Col::Lpid,
    Col::Nsems,
    Col::Otime,
    Col::Limit,
    Col::Used,
    Col::Sval,
    Col::IpcNs,
    Col::NsPid,
    Col::NHolders,
];

/// The command-line part (shared by the namespaces of `--all-namespaces`,
/// which is why the filter is kept as text and the index behind an `Arc`).
#[derive(Clone, Default)]
pub struct Extra {
    filter: Option<String>,
    sort: Option<String>,
    orphans: bool,
    older_than: Option<u64>,
    /// The columns the filter and the sort read; the sort's is first.
    keys: Vec<Col>,
    sorted: bool,
    resource: Option<Resource>,
    rules: Option<Rules>,
    /// One `/proc` pass per run, made when first needed.
    index: Arc<OnceLock<Index>>,
}

impl Extra {
    pub fn option(&mut self, prog: &Prog, id: Id, value: Option<String>) -> Result<(), Failure> {
        let text = value.unwrap_or_default();
        match id {
            Id::Filter => match filter::parse(&text) {
                Ok(_) => self.filter = Some(text),
                Err(e) => return Err(prog.fail(format_args!("failed to parse \"{text}\": {e}"))),
            },
            Id::Sort => self.sort = Some(text),
            Id::Orphans => self.orphans = true,
            Id::OlderThan => {
                let age = orphans::parse_age(&text)
                    .ok_or_else(|| prog.fail(format_args!("invalid age: '{text}'")))?;
                self.older_than = Some(age);
            }
            _ => {}
        }
        Ok(())
    }

    /// Checks the combination once the resource is known (`None` for the
    /// limits view) and resolves the column names.
    pub fn check(&mut self, prog: &Prog, resource: Option<Resource>) -> Result<(), Failure> {
        self.resource = resource;
        if self.older_than.is_some() && !self.orphans {
            return Err(prog.fail("--older-than goes with --orphans"));
        }
        if self.orphans {
            if resource.is_none() {
                return Err(prog.fail(
                    "--orphans needs one of --shmems, --queues, --semaphores, \
                     --posix-shmems, --posix-mqueues, --posix-semaphores",
                ));
            }
            self.rules = Some(Rules::new(self.older_than));
        }
        let usable = |col: Col| match resource {
            None => GLOBAL_COLUMNS.contains(&col),
            Some(r) => {
                (col as usize) <= Col::Ctime as usize
                    || r.own_columns().contains(&col)
                    || HOLDER_COLUMNS.contains(&col)
            }
        };
        let find = |name: &str| {
            let names: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
            output::find_column(&names, name)
                .map(|i| COLUMNS[i].col)
                .filter(|&c| usable(c))
        };
        if let Some(name) = &self.sort {
            let col =
                find(name).ok_or_else(|| prog.fail(format_args!("unknown column: {name}")))?;
            self.keys.push(col);
            self.sorted = true;
        }
        if let Some(text) = &self.filter {
            let parsed = filter::parse(text).ok().flatten();
            let mut bad = false;
            for name in parsed.iter().flat_map(|f| f.holders()) {
                match find(name) {
                    Some(col) if !self.keys.contains(&col) => self.keys.push(col),
                    Some(_) => {}
                    None => {
                        prog.warnx(format_args!("unknown column: {name}"));
                        bad = true;
                    }
                }
            }
            if bad {
                return Err(prog.fail("failed to initialize filter"));
            }
        }
        Ok(())
    }

    /// The holder index, scanned on first use.
    fn index(&self) -> &Index {
        self.index.get_or_init(|| {
            let targets = match self.resource {
                Some(Resource::Shm) => orphans::targets(true, &[]),
                Some(Resource::PosixMsg) => orphans::targets(false, &[orphans::posix_dir(true)]),
                Some(Resource::PosixShm | Resource::PosixSem) => {
                    orphans::targets(false, &[orphans::posix_dir(false)])
                }
                _ => orphans::targets(false, &[]),
            };
            Index::scan(&targets)
        })
    }
}

/// Per table being filled.
pub struct State {
    filter: Option<Filter>,
    keys: Vec<Col>,
    sorted: bool,
    lines: Vec<(LineId, Option<SortKey>)>,
    error: Option<EvalError>,
    /// The IPC namespace of the thread filling the table.
    ipc_ns: Option<u64>,
}

impl State {
    pub fn new(cfg: &Config) -> Self {
        let extra = &cfg.extra;
        State {
            filter: extra
                .filter
                .as_deref()
                .and_then(|t| filter::parse(t).ok().flatten()),
            keys: extra.keys.clone(),
            sorted: extra.sorted,
            lines: Vec::new(),
            error: None,
            ipc_ns: holders::current_ipc_ns(),
        }
    }

    pub fn added(&mut self, line: LineId, key: Option<SortKey>) {
        if self.sorted {
            self.lines.push((line, key));
        }
    }
}

/// The cells of one would-be line, as the filter sees them.
struct KeyRow<'a> {
    keys: &'a [Col],
    cells: &'a [Option<Vec<u8>>],
}

impl Row for KeyRow<'_> {
    fn cell(&mut self, name: &str) -> (DataType, Option<Cow<'_, [u8]>>) {
        let Some(at) = self
            .keys
            .iter()
            .position(|&c| col_info(c).name.eq_ignore_ascii_case(name))
        else {
            return (DataType::String, None);
        };
        let ty = if NUMERIC.contains(&self.keys[at]) {
            DataType::U64
        } else {
            DataType::String
        };
        (ty, self.cells[at].as_deref().map(Cow::Borrowed))
    }
}

/// Whether a line with these cells is shown (`None`: filtered out), and
/// its sort key.
pub fn admit<'a, F>(ctx: &mut Ctx<'a>, cell: &mut F) -> Option<Option<SortKey>>
where
    F: FnMut(&mut Ctx<'a>, &mut Vec<u8>, Col) -> bool,
{
    if ctx.sel.keys.is_empty() {
        return Some(None);
    }
    if ctx.sel.error.is_some() {
        return None;
    }
    let keys = ctx.sel.keys.clone();
    ctx.raw = true;
    let mut cells: Vec<Option<Vec<u8>>> = keys
        .iter()
        .map(|&col| {
            let mut buf = Vec::new();
            cell(ctx, &mut buf, col).then_some(buf)
        })
        .collect();
    ctx.raw = false;
    if let Some(f) = &ctx.sel.filter {
        let mut row = KeyRow {
            keys: &keys,
            cells: &cells,
        };
        match f.matches(&mut row) {
            Ok(true) => {}
            Ok(false) => return None,
            Err(e) => {
                ctx.sel.error = Some(e);
                return None;
            }
        }
    }
    if !ctx.sel.sorted {
        return Some(None);
    }
    let numeric = NUMERIC.contains(&keys[0]);
    Some(cells[0].take().map(|t| SortKey::of(&t, numeric)))
}

/// After the table is filled: a filter error fails the run as in lsns;
/// `--sort` reorders the lines.
pub fn finish(prog: &Prog, ctx: &mut Ctx) -> Result<(), Failure> {
    if let Some(e) = ctx.sel.error {
        return Err(prog.fail(format_args!(
            "failed to apply filter: {}",
            strerror(&std::io::Error::from_raw_os_error(e.0))
        )));
    }
    if !ctx.sel.sorted {
        return Ok(());
    }
    let lines = std::mem::take(&mut ctx.sel.lines);
    ctx.table = output::sorted(&ctx.table, lines);
    Ok(())
}

/// An object, for its holders and the orphan rules.
#[derive(Clone, Copy)]
pub enum Of<'o> {
    Shm(&'o ShmSegment),
    Msg(&'o MsgQueue),
    Sem(&'o SemSet),
    Posix(&'o Attrs),
}

/// The processes holding an object, ascending. System V queues and
/// semaphore sets have no attachment: their last-operation processes
/// that are still alive (and visible in /proc) stand in.
fn holders_of(ctx: &Ctx, of: Of) -> Vec<i32> {
    let index = ctx.cfg.extra.index();
    let live = |pids: &mut Vec<i32>| {
        pids.retain(|&p| holders::alive(p) && index.process(p).is_some());
        pids.sort_unstable();
        pids.dedup();
    };
    match of {
        Of::Shm(s) => ctx
            .sel
            .ipc_ns
            .map_or_else(Vec::new, |ns| index.sysv_shm(ns, s.id).to_vec()),
        Of::Msg(q) => {
            let mut pids = vec![q.lspid, q.lrpid];
            live(&mut pids);
            pids
        }
        Of::Sem(s) => {
            let mut pids = sysv::sem::last_pids(s.id).unwrap_or_default();
            live(&mut pids);
            pids
        }
        Of::Posix(a) => index.file(a.dev, a.ino).to_vec(),
    }
}

/// HOLDERS (`pid(comm),…`, empty without any) and NHOLDERS; false for
/// every other column.
pub fn holder_cell(ctx: &mut Ctx, buf: &mut Vec<u8>, col: Col, of: Of) -> bool {
    if !HOLDER_COLUMNS.contains(&col) {
        return false;
    }
    let pids = holders_of(ctx, of);
    if col == Col::NHolders {
        return put(buf, pids.len());
    }
    let index = ctx.cfg.extra.index();
    for (i, pid) in pids.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        let comm = index.process(*pid).map_or("", |p| p.comm.as_str());
        put(buf, format_args!("{pid}({comm})"));
    }
    !pids.is_empty()
}

/// Whether `--orphans` (if given) keeps the object.
pub fn wanted(ctx: &Ctx, of: Of) -> bool {
    let Some(rules) = ctx.cfg.extra.rules.filter(|_| ctx.cfg.extra.orphans) else {
        return true;
    };
    match of {
        Of::Shm(s) => rules.shm(s),
        Of::Msg(q) => rules.msg(q),
        Of::Sem(s) => rules.sem(s, sysv::sem::last_pids(s.id).ok().as_deref()),
        Of::Posix(a) => rules.posix(ctx.cfg.extra.index(), a),
    }
}
