//! lsipc's output: the table's columns, the cells of each System V object
//! and limit, the detail view.

use super::columns::col_info;
use super::config::TimeMode;
use super::{posix, select, Col, Config, OutMode, Report, Resource};
use crate::names::Names;
use crate::output::format::{self, asctime, iso_time, localtime, short_time};
use crate::output::{self, CellText, Column, Flags, Format, Mode, Table};
use crate::proc_command::command_line;
use crate::report::{Failure, Prog};
use nsipc::ipc::sysv::{self, IpcPerm, MsgQueue, SemSet, ShmSegment};
use std::collections::HashMap;

pub(super) fn format(cfg: &Config) -> Format {
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
pub(super) fn new_table(cfg: &Config) -> Table {
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
pub(super) fn pretty(cfg: &Config, report: &Report) -> Vec<u8> {
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
pub(super) struct Ctx<'a> {
    pub(super) cfg: &'a Config,
    pub(super) table: Table,
    pub(super) names: Names,
    /// The cells of the line being made, and which column each is.
    line_bytes: Vec<u8>,
    line_cells: Vec<(usize, std::ops::Range<usize>)>,
    /// The last uid and gid looked up with their names: objects mostly
    /// share owners, so a run of them costs one lookup in `names`.
    last_user: Option<(u32, Option<Vec<u8>>)>,
    last_group: Option<(u32, Option<Vec<u8>>)>,
    pub(super) now: Option<libc::tm>,
    /// Cells for `--filter` and `--sort`: sizes in bytes, times in seconds.
    pub(super) raw: bool,
    pub(super) sel: select::State,
    /// The last time cell's timestamp and text (objects made together
    /// share times: one `localtime` for a run of them).
    pub(super) last_time: Option<(i64, String)>,
    /// `/proc/PID/cmdline` by pid (many segments share a creator).
    pub(super) commands: HashMap<i32, Option<Vec<u8>>>,
    last_command: Option<i32>,
}

/// Appends the name of a `last_user`/`last_group` memo; false without one.
fn push_name(buf: &mut Vec<u8>, memo: &Option<(u32, Option<Vec<u8>>)>) -> bool {
    match memo {
        Some((_, Some(name))) => {
            buf.extend_from_slice(name);
            true
        }
        _ => false,
    }
}

/// Writes a number (or any text) into a cell buffer; always a value.
pub(super) fn put(buf: &mut Vec<u8>, value: impl CellText) -> bool {
    value.push_to(buf);
    true
}

impl<'a> Ctx<'a> {
    pub(super) fn new(cfg: &'a Config) -> Self {
        Ctx {
            cfg,
            table: new_table(cfg),
            names: Names::default(),
            line_bytes: Vec::new(),
            line_cells: Vec::new(),
            last_user: None,
            last_group: None,
            now: None,
            raw: false,
            sel: select::State::new(cfg),
            last_time: None,
            commands: HashMap::new(),
            last_command: None,
        }
    }

    /// Appends the user name of `uid`; false when it has none.
    pub(super) fn user(&mut self, buf: &mut Vec<u8>, uid: u32) -> bool {
        if self.last_user.as_ref().is_none_or(|(last, _)| *last != uid) {
            self.last_user = Some((uid, self.names.user(uid).map(<[u8]>::to_vec)));
        }
        push_name(buf, &self.last_user)
    }

    pub(super) fn group(&mut self, buf: &mut Vec<u8>, gid: u32) -> bool {
        if self
            .last_group
            .as_ref()
            .is_none_or(|(last, _)| *last != gid)
        {
            self.last_group = Some((gid, self.names.group(gid).map(<[u8]>::to_vec)));
        }
        push_name(buf, &self.last_group)
    }

    /// The owner: its name, or its uid.
    pub(super) fn owner(&mut self, buf: &mut Vec<u8>, uid: u32) -> bool {
        self.user(buf, uid) || put(buf, uid)
    }

    pub(super) fn size(&self, buf: &mut Vec<u8>, bytes: u64) -> bool {
        if self.cfg.bytes || self.raw {
            put(buf, bytes)
        } else {
            format::push_human_size(buf, bytes);
            true
        }
    }

    pub(super) fn perms(&self, buf: &mut Vec<u8>, mode: u32) -> bool {
        let mode = mode & 0o777;
        if self.cfg.numperms {
            put(buf, format::alt_octal(mode))
        } else {
            format::push_rwx(buf, mode);
            true
        }
    }

    /// A time cell; 0 (never) is no value.
    pub(super) fn time(&mut self, buf: &mut Vec<u8>, t: i64) -> bool {
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
    pub(super) fn command(&mut self, buf: &mut Vec<u8>, pid: i32) -> bool {
        // Segments made together share a creator: no hashing for a run.
        if self.last_command != Some(pid) {
            self.commands
                .entry(pid)
                .or_insert_with(|| command_line(pid));
            self.last_command = Some(pid);
        }
        let text = self.commands.get(&pid).and_then(Option::as_ref);
        text.map(|c| buf.extend_from_slice(c)).is_some()
    }

    /// The generic columns shared by the three System V kinds (all but
    /// CTIME from the object's id and [`IpcPerm`]); `None` for the others.
    pub(super) fn generic(
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
    pub(super) fn emit(&mut self, mut cell: impl FnMut(&mut Self, &mut Vec<u8>, Col) -> bool) {
        let Some(sort_key) = select::admit(self, &mut cell) else {
            return;
        };
        let line = self.table.new_line(None);
        // The line's cells side by side in one buffer, copied into the
        // table at once.
        let mut bytes = std::mem::take(&mut self.line_bytes);
        let mut cells = std::mem::take(&mut self.line_cells);
        bytes.clear();
        cells.clear();
        for (c, &col) in self.cfg.columns.iter().enumerate() {
            let start = bytes.len();
            if cell(self, &mut bytes, col) {
                cells.push((c, start..bytes.len()));
            } else {
                bytes.truncate(start);
            }
        }
        self.table.set_cells(line, &bytes, &cells);
        self.line_bytes = bytes;
        self.line_cells = cells;
        self.sel.added(line, sort_key);
    }

    /// A System V line: generic columns (from the object's id, [`IpcPerm`]
    /// and ctime), then `specific` ones.
    pub(super) fn sysv_line(
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

    /// Adds a line for each object `-i` selects (all without it; with it
    /// the first of that id) and `--orphans` keeps, as `for_each` hands them
    /// over from the kernel's listing: no list of them is kept. The table is
    /// named `name` when there is an object to consider; util-linux's
    /// warning when `-i`'s id is missing. Returns the first object shown
    /// when `-i` is given.
    pub(super) fn listing<T>(
        &mut self,
        prog: &Prog,
        name: &str,
        for_each: impl FnOnce(&mut dyn FnMut(T)) -> nsipc::ipc::Result<()>,
        id_of: impl Fn(&T) -> i32,
        of: impl Fn(&T) -> select::Of<'_>,
        mut line: impl FnMut(&mut Self, &T),
    ) -> Option<T> {
        let want = self.cfg.id;
        let mut found = false;
        let mut first = None;
        // A failed listing shows nothing, as an empty one.
        let _ = for_each(&mut |o: T| {
            if want.is_some_and(|id| found || id != id_of(&o)) {
                return;
            }
            if !found {
                self.table.set_name(name);
                found = true;
            }
            if select::wanted(self, of(&o)) {
                line(self, &o);
                if want.is_some() {
                    first = Some(o);
                }
            }
        });
        if let (false, Some(id)) = (found, want) {
            prog.warnx(format_args!("id {id} not found"));
        }
        first
    }

    pub(super) fn msg(&mut self, prog: &Prog) {
        self.listing(
            prog,
            "messages",
            |each| sysv::msg::for_each(each),
            |q| q.id.as_raw(),
            |o| select::Of::Msg(o),
            Self::msg_line,
        );
    }

    pub(super) fn msg_line(&mut self, q: &MsgQueue) {
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

    pub(super) fn shm(&mut self, prog: &Prog) {
        self.listing(
            prog,
            "sharedmemory",
            |each| sysv::shm::for_each_brief(each),
            |s| s.id.as_raw(),
            |o| select::Of::Shm(o),
            Self::shm_line,
        );
    }

    pub(super) fn shm_line(&mut self, s: &ShmSegment) {
        self.sysv_line(s.id.as_raw(), &s.perm, s.ctime, |ctx, buf, col| match col {
            Col::Size => ctx.size(buf, s.size),
            Col::Nattch => put(buf, s.nattch),
            Col::Status => {
                shm_status(buf, s.perm.mode);
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
    pub(super) fn sem(&mut self, prog: &Prog) -> Result<Option<Table>, Failure> {
        // util-linux names this table before looking (JSON shows it).
        self.table.set_name("semaphores");
        let first = self.listing(
            prog,
            "semaphores",
            |each| sysv::sem::for_each(each),
            |s| s.id.as_raw(),
            |o| select::Of::Sem(o),
            Self::sem_line,
        );
        let (Some(id), Some(set)) = (self.cfg.id, first) else {
            return Ok(None);
        };
        if set.nsems == 0 {
            return Ok(None);
        }
        let values = sysv::sem::semaphores(id.into())
            .map_err(|e| prog.fail_errno("semctl(GETVAL) failed", &e.into()))?;
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
            t.set(line, 5, command_line(v.pid).unwrap_or_default());
        }
        Ok(Some(t))
    }

    pub(super) fn sem_line(&mut self, s: &SemSet) {
        self.sysv_line(s.id.as_raw(), &s.perm, s.ctime, |ctx, buf, col| match col {
            Col::Nsems => put(buf, s.nsems),
            Col::Otime => ctx.time(buf, s.otime),
            _ => select::holder_cell(ctx, buf, col, select::Of::Sem(s)),
        });
    }

    /// The limits view: one line per limit, for the chosen resource or all.
    pub(super) fn global(&mut self, prog: &Prog) {
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
                .or_else(|_| count(|each| sysv::msg::for_each(each), |_| 0).map(|(n, _)| n))
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
            // Counted as they are read: 32,000 segments would take
            // megabytes as a list.
            let (segments, total) =
                count(|each| sysv::shm::for_each_brief(each), |s| s.size).unwrap_or_default();
            let pages = total / sysv::shm::page_size().max(1);
            self.limit(
                "SHMMNI",
                "Shared memory segments",
                Some(segments),
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
                Err(_) => count(|each| sysv::sem::for_each(each), |s| s.nsems).unwrap_or_default(),
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
    pub(super) fn limit(
        &mut self,
        resource: &str,
        desc: &str,
        used: Option<u64>,
        limit: u64,
        bytes: bool,
    ) {
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

/// The number of objects `for_each` hands over and the (saturating) sum
/// of `amount` over them.
fn count<T>(
    for_each: impl FnOnce(&mut dyn FnMut(T)) -> nsipc::ipc::Result<()>,
    amount: impl Fn(&T) -> u64,
) -> nsipc::ipc::Result<(u64, u64)> {
    let (mut n, mut sum) = (0u64, 0u64);
    for_each(&mut |o: T| {
        n += 1;
        sum = sum.saturating_add(amount(&o));
    })?;
    Ok((n, sum))
}

/// `"%2.2f%%"` of used/limit, with C's spelling of infinities and NaN.
pub(super) fn percent(used: u64, limit: u64) -> String {
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
pub(super) fn shm_status(buf: &mut Vec<u8>, mode: u32) {
    const SHM_HUGETLB: u32 = 0o4000;
    const SHM_NORESERVE: u32 = 0o10000;
    let flags = [
        (sysv::SHM_DEST, "dest"),
        (sysv::SHM_LOCKED, "locked"),
        (SHM_HUGETLB, "hugetlb"),
        (SHM_NORESERVE, "noreserve"),
    ];
    let mut first = true;
    for (bit, name) in flags {
        if mode & bit != 0 {
            if !first {
                buf.push(b',');
            }
            buf.extend_from_slice(name.as_bytes());
            first = false;
        }
    }
}
