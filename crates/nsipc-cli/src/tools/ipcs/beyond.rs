//! Beyond util-linux for `ipcs`: `--all-namespaces` (below) and `--json`:
//! every section `ipcs` would print, as one JSON document
//! made by the shared output engine (schema: docs/beyond.md).
//!
//! One table per section, each a member of the root object, named and keyed
//! as lsipc names the same things (`messages`, `sharedmemory`,
//! `semaphores`, `ipclimits`; `key`, `id`, `owner`, `perms`, `size`…).
//! Numbers are JSON numbers and always plain units (bytes, or pages for
//! SHMALL): `-b`/`--human` only change the text output. Times are ISO 8601
//! in the local time zone, `null` when never set. Text (user and group
//! names, commands) is always valid UTF-8: bytes that are not become
//! `\xHH` (see `allns::utf8_text`), so any JSON parser accepts the output.

use nsipc::ipc::sysv::{self, IpcPerm, ShmSegment};

use super::render::find;
use super::{Config, Format as View, Kind, Names};
use crate::allns::{utf8_text, IpcNs};
use crate::output::format::{alt_octal, iso_time, localtime};
use crate::output::{Column, Flags, Format, JsonType, JsonWriter, LineId, Mode, Table};
use crate::report::{Failure, Prog, Stdout};

const S: JsonType = JsonType::String;
const N: JsonType = JsonType::Number;

/// A section being filled: its table and the names cache.
struct Sheet<'a> {
    table: Table,
    line: LineId,
    col: usize,
    names: &'a mut Names,
}

impl<'a> Sheet<'a> {
    fn new(name: &str, columns: &[(&str, JsonType)], names: &'a mut Names) -> Self {
        let mut table = Table::with_name(name);
        for &(col, json) in columns {
            table.add_column(Column::new(col.to_ascii_uppercase(), 1.0, Flags::NONE).json(json));
        }
        Sheet {
            table,
            line: LineId(0),
            col: 0,
            names,
        }
    }

    fn row(&mut self) {
        self.line = self.table.new_line(None);
        self.col = 0;
    }

    fn num(&mut self, v: impl std::fmt::Display) {
        self.table.set_display(self.line, self.col, v);
        self.col += 1;
    }

    fn text(&mut self, v: &[u8]) {
        self.table.set(self.line, self.col, utf8_text(v));
        self.col += 1;
    }

    fn null(&mut self) {
        self.col += 1;
    }

    fn key(&mut self, key: sysv::Key) {
        self.text(format!("0x{:08x}", key.as_raw() as u32).as_bytes());
    }

    fn perms(&mut self, mode: u32) {
        self.text(alt_octal(mode & 0o777).as_bytes());
    }

    /// The owner's name, or the uid as text (lsipc's OWNER).
    fn owner(&mut self, uid: u32) {
        match self.names.user(uid).map(<[u8]>::to_vec) {
            Some(name) => self.text(&name),
            None => self.text(uid.to_string().as_bytes()),
        }
    }

    fn user(&mut self, uid: u32) {
        match self.names.user(uid).map(<[u8]>::to_vec) {
            Some(name) => self.text(&name),
            None => self.null(),
        }
    }

    fn group(&mut self, gid: u32) {
        match self.names.group(gid).map(<[u8]>::to_vec) {
            Some(name) => self.text(&name),
            None => self.null(),
        }
    }

    /// `cuid, cuser, cgid, cgroup, uid, user, gid, group`.
    fn ids(&mut self, p: &IpcPerm) {
        self.num(p.cuid);
        self.user(p.cuid);
        self.num(p.cgid);
        self.group(p.cgid);
        self.num(p.uid);
        self.user(p.uid);
        self.num(p.gid);
        self.group(p.gid);
    }

    /// `key, id, owner, perms`: how the default view and `-i` begin.
    fn head(&mut self, id: i32, p: &IpcPerm) {
        self.key(p.key);
        self.num(id);
        self.owner(p.uid);
        self.perms(p.mode);
    }

    fn time(&mut self, t: i64) {
        match (t != 0).then(|| localtime(t)).flatten() {
            Some(tm) => self.text(iso_time(&tm).as_bytes()),
            None => self.null(),
        }
    }

    fn done(self) -> Table {
        self.table
    }
}

const IDS: [(&str, JsonType); 8] = [
    ("cuid", N),
    ("cuser", S),
    ("cgid", N),
    ("cgroup", S),
    ("uid", N),
    ("user", S),
    ("gid", N),
    ("group", S),
];

fn with_ids(
    head: &[(&'static str, JsonType)],
    tail: &[(&'static str, JsonType)],
) -> Vec<(&'static str, JsonType)> {
    head.iter().chain(IDS.iter()).chain(tail).copied().collect()
}

/// The sections of `cfg` in the IPC namespace of the calling thread.
pub(super) fn tables(prog: &Prog, cfg: &Config) -> Result<Vec<Table>, Failure> {
    let mut names = Names::default();
    if let Some(id) = cfg.id {
        return detail(prog, cfg, id, &mut names);
    }
    let mut out = Vec::new();
    for (wanted, kind) in [
        (cfg.msg, Kind::Msg),
        (cfg.shm, Kind::Shm),
        (cfg.sem, Kind::Sem),
    ] {
        if !wanted {
            continue;
        }
        let table = match cfg.format {
            View::Limits => limits(kind, &mut names),
            View::Summary => summary(kind, &mut names),
            view => listing(kind, view, &mut names),
        };
        out.extend(table);
    }
    Ok(out)
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Msg => "messages",
        Kind::Shm => "sharedmemory",
        Kind::Sem => "semaphores",
    }
}

/// The columns of a listing view; `None` where ipcs shows nothing
/// (`-p` for semaphores).
fn listing_columns(kind: Kind, view: View) -> Option<Vec<(&'static str, JsonType)>> {
    let cols: &[(&str, JsonType)] = match (kind, view) {
        (Kind::Sem, View::Pid) => return None,
        (_, View::Creator) => return Some(with_ids(&[("id", N), ("perms", S)], &[])),
        (Kind::Msg, View::Time) => &[
            ("id", N),
            ("owner", S),
            ("send", S),
            ("recv", S),
            ("ctime", S),
        ],
        (Kind::Shm, View::Time) => &[
            ("id", N),
            ("owner", S),
            ("attach", S),
            ("detach", S),
            ("ctime", S),
        ],
        (Kind::Sem, View::Time) => &[("id", N), ("owner", S), ("otime", S), ("ctime", S)],
        (Kind::Msg, View::Pid) => &[("id", N), ("owner", S), ("lspid", N), ("lrpid", N)],
        (Kind::Shm, View::Pid) => &[("id", N), ("owner", S), ("cpid", N), ("lpid", N)],
        (Kind::Msg, _) => &[
            ("key", S),
            ("id", N),
            ("owner", S),
            ("perms", S),
            ("usedbytes", N),
            ("msgs", N),
        ],
        (Kind::Shm, _) => &[
            ("key", S),
            ("id", N),
            ("owner", S),
            ("perms", S),
            ("size", N),
            ("nattch", N),
            ("status", S),
        ],
        (Kind::Sem, _) => &[
            ("key", S),
            ("id", N),
            ("owner", S),
            ("perms", S),
            ("nsems", N),
        ],
    };
    Some(cols.to_vec())
}

fn listing(kind: Kind, view: View, names: &mut Names) -> Option<Table> {
    let columns = listing_columns(kind, view)?;
    let mut s = Sheet::new(kind_name(kind), &columns, names);
    // Nothing to list when neither /proc nor the syscalls answer, as ipcs.
    match kind {
        Kind::Msg => {
            let _ = sysv::msg::for_each(|q| {
                let times = [q.stime, q.rtime, q.ctime];
                row(
                    &mut s,
                    view,
                    q.id.as_raw(),
                    &q.perm,
                    &times,
                    &[q.lspid, q.lrpid],
                    |s| {
                        s.num(q.cbytes);
                        s.num(q.qnum);
                    },
                );
            });
        }
        Kind::Shm => {
            let _ = sysv::shm::for_each(|x| {
                let times = [x.atime, x.dtime, x.ctime];
                row(
                    &mut s,
                    view,
                    x.id.as_raw(),
                    &x.perm,
                    &times,
                    &[x.cpid, x.lpid],
                    |s| {
                        s.num(x.size);
                        s.num(x.nattch);
                        shm_status(s, &x);
                    },
                );
            });
        }
        Kind::Sem => {
            // No `-p` view (see listing_columns), so no pids.
            let _ = sysv::sem::for_each(|x| {
                row(
                    &mut s,
                    view,
                    x.id.as_raw(),
                    &x.perm,
                    &[x.otime, x.ctime],
                    &[],
                    |s| {
                        s.num(x.nsems);
                    },
                );
            });
        }
    }
    Some(s.done())
}

/// One listing row of any kind. The views share their first columns; what
/// differs by kind is the `times` of `-t`, the `pids` of `-p` and the
/// columns (`rest`) after key, id, owner and perms in the default view.
fn row(
    s: &mut Sheet,
    view: View,
    id: i32,
    p: &IpcPerm,
    times: &[i64],
    pids: &[i32],
    rest: impl FnOnce(&mut Sheet),
) {
    s.row();
    match view {
        View::Creator => {
            s.num(id);
            s.perms(p.mode);
            s.ids(p);
        }
        View::Time => {
            s.num(id);
            s.owner(p.uid);
            times.iter().for_each(|&t| s.time(t));
        }
        View::Pid => {
            s.num(id);
            s.owner(p.uid);
            pids.iter().for_each(|&pid| s.num(pid));
        }
        _ => {
            s.head(id, p);
            rest(s);
        }
    }
}

/// `dest`, `locked`, comma separated; `null` when neither.
fn shm_status(s: &mut Sheet, x: &ShmSegment) {
    let flags: Vec<&str> = [(x.is_dest(), "dest"), (x.is_locked(), "locked")]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect();
    s.text(flags.join(",").as_bytes());
}

/// `-l`: lsipc's `ipclimits` rows (resource, description, limit), only
/// those `ipcs -l` shows; none when the kernel does not answer.
fn limits(kind: Kind, names: &mut Names) -> Option<Table> {
    let rows: Vec<(&str, &str, u64)> = match kind {
        Kind::Msg => {
            let l = sysv::msg::limits().ok()?;
            vec![
                ("MSGMNI", "Number of System V message queues", l.msgmni),
                ("MSGMAX", "Max size of System V message (bytes)", l.msgmax),
                (
                    "MSGMNB",
                    "Default max size of System V queue (bytes)",
                    l.msgmnb,
                ),
            ]
        }
        Kind::Shm => {
            let l = sysv::shm::limits().ok()?;
            vec![
                ("SHMMNI", "Shared memory segments", l.shmmni),
                ("SHMALL", "Shared memory pages", l.shmall),
                (
                    "SHMMAX",
                    "Max size of shared memory segment (bytes)",
                    l.shmmax,
                ),
                (
                    "SHMMIN",
                    "Min size of shared memory segment (bytes)",
                    l.shmmin,
                ),
            ]
        }
        Kind::Sem => {
            let l = sysv::sem::limits().ok()?;
            vec![
                ("SEMMNI", "Number of semaphore identifiers", l.semmni),
                ("SEMMNS", "Total number of semaphores", l.semmns),
                ("SEMMSL", "Max semaphores per semaphore set.", l.semmsl),
                ("SEMOPM", "Max number of operations per semop(2)", l.semopm),
                ("SEMVMX", "Semaphore max value", l.semvmx),
            ]
        }
    };
    let name = match kind {
        Kind::Msg => "messagelimits",
        Kind::Shm => "sharedmemorylimits",
        Kind::Sem => "semaphorelimits",
    };
    let cols = [("resource", S), ("description", S), ("limit", N)];
    let mut s = Sheet::new(name, &cols, names);
    for (resource, desc, limit) in rows {
        s.row();
        s.text(resource.as_bytes());
        s.text(desc.as_bytes());
        s.num(limit);
    }
    Some(s.done())
}

/// `-u`: one line of the kernel's usage counters per kind; none when the
/// kernel does not answer.
fn summary(kind: Kind, names: &mut Names) -> Option<Table> {
    match kind {
        Kind::Msg => {
            let u = sysv::msg::usage().ok()?;
            let cols = [("queues", N), ("msgs", N), ("usedbytes", N)];
            let mut s = Sheet::new("messagestatus", &cols, names);
            s.row();
            s.num(u.queues);
            s.num(u.messages);
            s.num(u.bytes);
            Some(s.done())
        }
        Kind::Shm => {
            let u = sysv::shm::usage().ok()?;
            let cols = [
                ("segments", N),
                ("pages", N),
                ("resident", N),
                ("swapped", N),
                ("swap-attempts", N),
                ("swap-successes", N),
            ];
            let mut s = Sheet::new("sharedmemorystatus", &cols, names);
            s.row();
            for v in [
                u.segments,
                u.pages,
                u.resident,
                u.swapped,
                u.swap_attempts,
                u.swap_successes,
            ] {
                s.num(v);
            }
            Some(s.done())
        }
        Kind::Sem => {
            let u = sysv::sem::usage().ok()?;
            let cols = [("sets", N), ("nsems", N)];
            let mut s = Sheet::new("semaphorestatus", &cols, names);
            s.row();
            s.num(u.sets);
            s.num(u.semaphores);
            Some(s.done())
        }
    }
}

/// `-i ID`: every field of the object (an empty array when not found,
/// with ipcs' message); semaphores add their values as `elements`.
fn detail(prog: &Prog, cfg: &Config, id: i32, names: &mut Names) -> Result<Vec<Table>, Failure> {
    let head = [("key", S), ("id", N), ("owner", S), ("perms", S)];
    let not_found = || prog.warnx(format_args!("id {id} not found"));
    if cfg.msg {
        let cols = with_ids(
            &head,
            &[
                ("usedbytes", N),
                ("qbytes", N),
                ("msgs", N),
                ("lspid", N),
                ("lrpid", N),
                ("send", S),
                ("recv", S),
                ("ctime", S),
            ],
        );
        let mut s = Sheet::new("messages", &cols, names);
        match find(sysv::msg::find(id.into())) {
            None => not_found(),
            Some(q) => {
                // /proc lacks qbytes: IPC_STAT, 0 when not allowed (as ipcs).
                let qbytes = q
                    .qbytes
                    .or_else(|| sysv::msg::stat(id.into()).ok().and_then(|x| x.qbytes))
                    .unwrap_or(0);
                s.row();
                s.head(q.id.as_raw(), &q.perm);
                s.ids(&q.perm);
                s.num(q.cbytes);
                s.num(qbytes);
                s.num(q.qnum);
                s.num(q.lspid);
                s.num(q.lrpid);
                s.time(q.stime);
                s.time(q.rtime);
                s.time(q.ctime);
            }
        }
        return Ok(vec![s.done()]);
    }
    if cfg.shm {
        let cols = with_ids(
            &head,
            &[
                ("size", N),
                ("nattch", N),
                ("status", S),
                ("cpid", N),
                ("lpid", N),
                ("attach", S),
                ("detach", S),
                ("ctime", S),
            ],
        );
        let mut s = Sheet::new("sharedmemory", &cols, names);
        match find(sysv::shm::find(id.into())) {
            None => not_found(),
            Some(x) => {
                s.row();
                s.head(x.id.as_raw(), &x.perm);
                s.ids(&x.perm);
                s.num(x.size);
                s.num(x.nattch);
                shm_status(&mut s, &x);
                s.num(x.cpid);
                s.num(x.lpid);
                s.time(x.atime);
                s.time(x.dtime);
                s.time(x.ctime);
            }
        }
        return Ok(vec![s.done()]);
    }
    let cols = with_ids(&head, &[("nsems", N), ("otime", S), ("ctime", S)]);
    let mut s = Sheet::new("semaphores", &cols, names);
    let Some(x) = find(sysv::sem::find(id.into())) else {
        not_found();
        return Ok(vec![s.done()]);
    };
    // As ipcs: the values are read before anything is printed.
    let values = sysv::sem::semaphores(id.into())
        .map_err(|e| prog.fail_errno("semctl(GETVAL) failed", &e.into()))?;
    s.row();
    s.head(x.id.as_raw(), &x.perm);
    s.ids(&x.perm);
    s.num(x.nsems);
    s.time(x.otime);
    s.time(x.ctime);
    let sets = s.done();
    let cols = [
        ("semnum", N),
        ("value", N),
        ("ncount", N),
        ("zcount", N),
        ("pid", N),
    ];
    let mut e = Sheet::new("elements", &cols, names);
    for (num, v) in values.iter().enumerate() {
        e.row();
        e.num(num);
        e.num(v.value);
        e.num(v.ncount);
        e.num(v.zcount);
        e.num(v.pid);
    }
    Ok(vec![sets, e.done()])
}

fn json_format() -> Format {
    Format::fixed(Mode::Json, None, true)
}

/// Writes `tables` as members of the object `w` has open.
fn members(w: &mut JsonWriter, tables: &[Table]) {
    let format = json_format();
    for t in tables {
        t.write_json_array(w, &format);
    }
}

/// One namespace: `{"messages": […], …}`.
pub(super) fn document(tables: &[Table]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut w = JsonWriter::new(&mut out);
    w.object_open(None);
    members(&mut w, tables);
    w.object_close();
    out
}

/// `--all-namespaces`: `{"namespaces": [{"ipcns": …, "nspid": …,
/// "nscommand": …, "nsfs": […], "messages": […], …}, …]}`.
pub(super) fn namespaces_document(shown: &[(IpcNs, Vec<Table>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut w = JsonWriter::new(&mut out);
    w.object_open(None);
    w.array_open(Some(b"namespaces"));
    for (ns, tables) in shown {
        w.object_open(None);
        w.raw(Some(b"ipcns"), ns.ino.to_string().as_bytes());
        w.raw(
            Some(b"nspid"),
            ns.pid.map(|p| p.to_string()).unwrap_or_default().as_bytes(),
        );
        w.string(
            Some(b"nscommand"),
            &ns.command.as_deref().map(utf8_text).unwrap_or_default(),
        );
        if ns.nsfs.is_empty() {
            w.empty_array(Some(b"nsfs"));
        } else {
            w.array_open(Some(b"nsfs"));
            for path in &ns.nsfs {
                w.string(None, &utf8_text(path.as_os_str().as_encoded_bytes()));
            }
            w.array_close();
        }
        members(&mut w, tables);
        w.object_close();
    }
    w.array_close();
    w.object_close();
    out
}

/// `ipcs --json` in our own (or the `--namespace`) IPC namespace.
pub(super) fn run(prog: &Prog, cfg: &Config) -> i32 {
    match tables(prog, cfg) {
        Ok(tables) => {
            let mut stdout = Stdout::new();
            let _ = std::io::Write::write_all(&mut stdout, &document(&tables));
            stdout.finish(prog, 0)
        }
        Err(Failure(status)) => status,
    }
}

/// `ipcs --all-namespaces`: for each IPC namespace, the header line then
/// exactly what `ipcs` prints inside it; with `--json`, one document with
/// a member per namespace.
pub(super) fn all_namespaces(prog: &Prog, cfg: &Config) -> i32 {
    let mut out = Vec::new();
    let mut status = 0;
    if cfg.json {
        let visits = match crate::allns::visit(prog, |_| tables(prog, cfg)) {
            Ok(v) => v,
            Err(Failure(s)) => return s,
        };
        status = visits.status();
        let mut shown = Vec::new();
        for (ns, result) in visits.shown {
            match result {
                Ok(tables) => shown.push((ns, tables)),
                Err(Failure(s)) => status = s,
            }
        }
        out = namespaces_document(&shown);
    } else {
        let visits = crate::allns::visit(prog, |_| {
            let mut text = Vec::new();
            super::report(prog, cfg, &mut text).map(|()| text)
        });
        let visits = match visits {
            Ok(v) => v,
            Err(Failure(s)) => return s,
        };
        status = visits.status().max(status);
        for (ns, result) in visits.shown {
            match result {
                Ok(text) => {
                    out.extend_from_slice(&ns.header());
                    out.extend_from_slice(&text);
                }
                Err(Failure(s)) => status = s,
            }
        }
    }
    let mut stdout = Stdout::new();
    let _ = std::io::Write::write_all(&mut stdout, &out);
    stdout.finish(prog, status)
}
