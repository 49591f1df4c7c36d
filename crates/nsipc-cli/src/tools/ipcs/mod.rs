//! `ipcs`: show System V IPC facilities, byte for byte as util-linux does.
//!
//! The output formats (widths, trailing spaces, the misaligned `-p` rows,
//! owner names cut to 10 bytes except with `-c`, `Not set`, the `-s -p`
//! output without even a title) are util-linux's and are kept on purpose:
//! scripts parse them. What differs is the cost: util-linux looks every
//! owner up in the passwd database once per row; here each uid and gid is
//! resolved once, `/proc/sysvipc/*` is streamed in large reads and parsed in
//! place, integers are formatted straight into one buffer that goes out 64
//! KiB at a time, and the sections are read on parallel threads.
//!
//! Beyond util-linux: `--namespace=PID|FILE` shows another IPC namespace,
//! byte for byte as `ipcs` run inside it would.
//!
//! Deliberate differences (see docs/ipcs.md): a negative `-i` id is "not
//! found" (util-linux prints the first object under that id); when
//! `/proc/sysvipc` cannot be read the listing uses `*_STAT_ANY` (all
//! objects, with their real creator gid) instead of `*_STAT` (only readable
//! ones, with the creator uid as gid).

use std::collections::HashMap;
use std::ffi::OsString;
use std::io::Write;

use nsipc::ipc::sysv::{self, IpcPerm, MsgQueue, SemSet, ShmSegment};

use crate::allns;
use crate::containers::{self, Select};
use crate::getopt::{Arg, Getopt};
use crate::names::Names;
use crate::numparse;
use crate::report::{Failure, Prog, Stdout};

mod beyond;

pub use super::ipcs_opts::{Id, SPEC};

/// What the rows show (`-t -p -c -l -u`; the last one given wins).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Default,
    Time,
    Pid,
    Creator,
    Limits,
    Summary,
}

/// How sizes are printed (`-b`, `--human`; the last one given wins).
/// `Kb` is never chosen by an option: the `-l` shared-memory limits use it
/// when no unit was asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unit {
    Default,
    Bytes,
    Kb,
    Human,
}

/// The parsed command line.
#[derive(Clone, Debug)]
struct Config {
    msg: bool,
    shm: bool,
    sem: bool,
    id: Option<i32>,
    format: Format,
    unit: Unit,
    /// `--namespace`: the IPC namespace to show instead of our own.
    namespace: Option<String>,
    /// `--all-namespaces` (tools/ipcs_beyond.rs).
    all_namespaces: bool,
    /// `-J`/`--json` (tools/ipcs_beyond.rs).
    json: bool,
}

enum Parsed {
    Run(Config),
    Exit(i32),
}

fn parse(prog: &Prog, args: Vec<OsString>) -> Result<Parsed, Failure> {
    let mut cfg = Config {
        msg: false,
        shm: false,
        sem: false,
        id: None,
        format: Format::Default,
        unit: Unit::Default,
        namespace: None,
        all_namespaces: false,
        json: false,
    };
    // Options act in command-line order, like getopt's loop: `-h` or a bad
    // `-i` value ends the run before a later unknown option is seen.
    let mut select: Option<Select> = None;
    let mut getopt = Getopt::new(&SPEC, args);
    while let Some(arg) = getopt.next_or_fail(prog)? {
        let (id, value) = match arg {
            Arg::Opt(id, value) => (id, value),
            // Operands are ignored, as util-linux does.
            Arg::Operand(_) | Arg::Program(_) => continue,
        };
        match id {
            Id::Select => {
                let value = value.unwrap_or_default();
                let id = numparse::parse_or_fail(prog, &value, 10, "failed to parse id argument")?;
                cfg.id = Some(id);
            }
            Id::All => (cfg.msg, cfg.shm, cfg.sem) = (true, true, true),
            Id::Queues => cfg.msg = true,
            Id::Shmems => cfg.shm = true,
            Id::Semaphores => cfg.sem = true,
            Id::Time => cfg.format = Format::Time,
            Id::Pid => cfg.format = Format::Pid,
            Id::Creator => cfg.format = Format::Creator,
            Id::Limits => cfg.format = Format::Limits,
            Id::Summary => cfg.format = Format::Summary,
            Id::Human => cfg.unit = Unit::Human,
            Id::Bytes => cfg.unit = Unit::Bytes,
            Id::Namespace => cfg.namespace = Some(crate::report::shown(value.unwrap_or_default())),
            Id::AllNamespaces => cfg.all_namespaces = true,
            Id::Container | Id::Pod => {
                let text = value.unwrap_or_default().to_string_lossy().into_owned();
                select = Some(match id {
                    Id::Pod => Select::Pod(text),
                    _ => Select::Container(text),
                });
            }
            Id::Json => cfg.json = true,
            Id::Help => {
                return Ok(Parsed::Exit(Stdout::print(prog, &SPEC.help())));
            }
            Id::Version => {
                return Ok(Parsed::Exit(Stdout::print(prog, &prog.version())));
            }
        }
    }
    if cfg.id.is_some() && [cfg.msg, cfg.shm, cfg.sem].iter().filter(|&&b| b).count() != 1 {
        return Err(prog.fail("when using an ID, a single resource must be specified"));
    }
    if let Some(select) = &select {
        containers::ipc_namespace(prog, select, &mut cfg.namespace, cfg.all_namespaces)?;
    }
    if cfg.all_namespaces {
        if cfg.id.is_some() {
            return Err(prog.fail("options --all-namespaces and --id cannot be combined"));
        }
        if cfg.namespace.is_some() {
            return Err(prog.fail("options --all-namespaces and --namespace cannot be combined"));
        }
    }
    if !cfg.msg && !cfg.shm && !cfg.sem {
        (cfg.msg, cfg.shm, cfg.sem) = (true, true, true);
    }
    Ok(Parsed::Run(cfg))
}

pub fn main(prog: &Prog, args: Vec<OsString>) -> i32 {
    let cfg = match parse(prog, args) {
        Ok(Parsed::Run(cfg)) => cfg,
        Ok(Parsed::Exit(status)) => return status,
        Err(Failure(status)) => return status,
    };
    if cfg.all_namespaces {
        return beyond::all_namespaces(prog, &cfg);
    }
    match &cfg.namespace {
        Some(spec) => run_in_namespace(prog, &cfg, spec),
        None => run(prog, &cfg),
    }
}

/// `--namespace`: the whole run, in the other IPC namespace.
fn run_in_namespace(prog: &Prog, cfg: &Config, spec: &str) -> i32 {
    allns::in_namespace_of(prog, spec, || run(prog, cfg)).unwrap_or_else(|Failure(status)| status)
}

/// Prints everything for `cfg` and returns the exit status.
fn run(prog: &Prog, cfg: &Config) -> i32 {
    if cfg.json {
        return beyond::run(prog, cfg);
    }
    let mut stdout = Stdout::new();
    match report(prog, cfg, &mut stdout) {
        Ok(()) => stdout.finish(prog, 0),
        Err(Failure(status)) => status,
    }
}

/// Writes everything `ipcs` prints on stdout for `cfg` to `sink`, or
/// returns a failure already reported on stderr (then nothing was written,
/// as with util-linux, which fails before its first printf).
fn report(prog: &Prog, cfg: &Config, sink: &mut dyn Write) -> Result<(), Failure> {
    let mut r = Render::new(Some(sink), cfg.unit);
    if let Some(id) = cfg.id {
        if cfg.msg {
            r.msg_detail(prog, id);
        } else if cfg.shm {
            r.shm_detail(prog, id);
        } else {
            r.sem_detail(prog, id)?;
        }
        r.flush();
        return Ok(());
    }
    let kinds: Vec<Kind> = [
        (cfg.msg, Kind::Msg),
        (cfg.shm, Kind::Shm),
        (cfg.sem, Kind::Sem),
    ]
    .into_iter()
    .filter_map(|(wanted, kind)| wanted.then_some(kind))
    .collect();
    r.out.push(b'\n');
    let listing = !matches!(cfg.format, Format::Limits | Format::Summary);
    if listing && kinds.len() > 1 {
        // Each /proc/sysvipc file costs the kernel tens of milliseconds to
        // format for thousands of objects: read them at the same time. The
        // first section streams; the others are rendered into memory on
        // their own threads (which share this thread's IPC namespace) and
        // follow in order.
        std::thread::scope(|scope| {
            let later: Vec<_> = kinds[1..]
                .iter()
                .map(|&kind| {
                    let (format, unit) = (cfg.format, cfg.unit);
                    // A small stack: rendering and an NSS lookup need far
                    // less than the default 2 MiB, and address space may be
                    // scarce (`ulimit -v`), where a failed spawn costs only
                    // the parallelism but a failed NSS load shows uids.
                    let thread = std::thread::Builder::new()
                        .stack_size(SECTION_STACK)
                        .spawn_scoped(scope, move || render_section(kind, format, unit));
                    (kind, thread)
                })
                .collect();
            r.section(kinds[0], cfg.format);
            for (kind, thread) in later {
                match thread.ok().and_then(|t| t.join().ok()) {
                    Some(text) => r.write_through(&text),
                    // No thread to be had (RLIMIT_NPROC): render it here.
                    None => r.section(kind, cfg.format),
                }
            }
        });
    } else {
        for kind in kinds {
            r.section(kind, cfg.format);
        }
    }
    r.flush();
    Ok(())
}

/// Stack size of the threads that render the later sections.
const SECTION_STACK: usize = 256 * 1024;

/// One section (title, header, rows, blank line) rendered into memory.
fn render_section(kind: Kind, format: Format, unit: Unit) -> Vec<u8> {
    let mut r = Render::new(None, unit);
    r.section(kind, format);
    r.out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Msg,
    Shm,
    Sem,
}

/// Rows are formatted into a buffer handed to stdout in chunks of about
/// this size: one write per chunk, and memory stays flat however many
/// objects there are.
const FLUSH_AT: usize = 16 * 1024;

/// printf's `%-W.Ps`: left-aligned, at most `max` bytes, padded with spaces
/// to `width` bytes (printf counts bytes, not characters).
fn put_left(out: &mut Vec<u8>, s: &[u8], width: usize, max: usize) {
    let s = &s[..s.len().min(max)];
    out.extend_from_slice(s);
    out.resize(out.len() + width.saturating_sub(s.len()), b' ');
}

/// How [`int`] pads to its width.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pad {
    /// `%-Nd`: spaces after.
    Left,
    /// `%Nd`: spaces before.
    Right,
    /// `%0Nx`: zeros before.
    Zero,
}

/// printf's integer conversions (`%d %u %o %x` with a width), written
/// straight into the buffer: the hot path of every listing, where
/// `core::fmt` padding (one `write_char` per space) showed up in profiles.
fn int(out: &mut Vec<u8>, value: impl Into<i128>, radix: u32, width: usize, pad: Pad) {
    let value: i128 = value.into();
    let mut digits = [0u8; 24];
    // Every value printed fits u64 in magnitude (i64, u64 and smaller);
    // u64 division by a constant radix is far cheaper than i128's.
    let magnitude = u64::try_from(value.unsigned_abs()).unwrap_or(u64::MAX);
    let mut at = match radix {
        8 => digits_of::<8>(magnitude, &mut digits),
        16 => digits_of::<16>(magnitude, &mut digits),
        _ => digits_of::<10>(magnitude, &mut digits),
    };
    if value < 0 {
        at -= 1;
        digits[at] = b'-';
    }
    let text = &digits[at..];
    let fill = width.saturating_sub(text.len());
    match pad {
        Pad::Left => {
            out.extend_from_slice(text);
            out.resize(out.len() + fill, b' ');
        }
        Pad::Right => {
            out.resize(out.len() + fill, b' ');
            out.extend_from_slice(text);
        }
        Pad::Zero => {
            out.resize(out.len() + fill, b'0');
            out.extend_from_slice(text);
        }
    }
}

/// Writes `value` in base `RADIX` at the end of `buf`; returns where the
/// digits start.
fn digits_of<const RADIX: u64>(mut value: u64, buf: &mut [u8; 24]) -> usize {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b"0123456789abcdef"[(value % RADIX) as usize];
        value /= RADIX;
        if value == 0 {
            return at;
        }
    }
}

/// `ctime(3)` text without the newline: `Sun Nov 29 11:50:42 2026`, in the
/// local time zone. `None` when the time cannot be broken down (where
/// ctime would return NULL).
fn ctime(t: i64) -> Option<String> {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let t = libc::time_t::try_from(t).ok()?;
    // SAFETY: an all-zero `tm` is a valid value; localtime_r only writes it.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: both pointers are valid for the call; localtime_r is the
    // thread-safe form and keeps no reference to them.
    if unsafe { libc::localtime_r(&t, &mut tm) }.is_null() {
        return None;
    }
    Some(format!(
        "{} {}{:3} {:02}:{:02}:{:02} {}",
        DAYS.get(tm.tm_wday as usize)?,
        MONTHS.get(tm.tm_mon as usize)?,
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec,
        i64::from(tm.tm_year) + 1900
    ))
}

/// util-linux's `size_to_human_string` with one-letter suffixes: powers of
/// 1024, one decimal rounded half up and dropped when zero (`4.9K`, `16K`,
/// `200B`, `16E`).
pub fn human_size(bytes: u64) -> String {
    let mut buf = Vec::with_capacity(8);
    push_human_size(&mut buf, bytes);
    String::from_utf8(buf).unwrap_or_default()
}

/// [`human_size`] appended to a buffer (no temporary string: lsipc writes
/// one per line).
pub fn push_human_size(buf: &mut Vec<u8>, bytes: u64) {
    const LETTERS: &[u8] = b"BKMGTPE";
    let mut exp = 0u32;
    while exp < 60 && bytes >= 1u64 << (exp + 10) {
        exp += 10;
    }
    let letter = LETTERS[(exp / 10) as usize];
    let mut digits = itoa::Buffer::new();
    if exp == 0 {
        buf.extend_from_slice(digits.format(bytes).as_bytes());
        buf.push(letter);
        return;
    }
    let mut whole = bytes >> exp;
    let rest = bytes & ((1u64 << exp) - 1);
    // Three decimals, computed the way util-linux does (it scales large
    // remainders down first to avoid overflow), then round half up to one.
    let thousandths = if rest >= u64::MAX / 1000 {
        ((rest / 1024) * 1000) >> (exp - 10)
    } else {
        (rest * 1000) >> exp
    };
    let mut tenth = (thousandths + 50) / 100;
    if tenth == 10 {
        whole += 1;
        tenth = 0;
    }
    buf.extend_from_slice(digits.format(whole).as_bytes());
    if tenth != 0 {
        buf.extend_from_slice(&[b'.', b'0' + tenth as u8]);
    }
    buf.push(letter);
}

struct Render<'a> {
    out: Vec<u8>,
    /// Where full chunks go; `None` keeps everything in `out`.
    sink: Option<&'a mut dyn Write>,
    names: Names,
    /// `ctime` text per timestamp: objects made together share times.
    times: HashMap<i64, Option<String>>,
    /// The last `%-10.10s` owner column printed, by uid.
    owner_column: Option<(u32, Vec<u8>)>,
    unit: Unit,
}

impl<'a> Render<'a> {
    fn new(sink: Option<&'a mut dyn Write>, unit: Unit) -> Self {
        Render {
            out: Vec::with_capacity(2 * FLUSH_AT),
            sink,
            names: Names::default(),
            times: HashMap::new(),
            owner_column: None,
            unit,
        }
    }

    /// One listing section followed by its blank line.
    fn section(&mut self, kind: Kind, format: Format) {
        match kind {
            Kind::Msg => self.msg_section(format),
            Kind::Shm => self.shm_section(format),
            Kind::Sem => self.sem_section(format),
        }
        self.out.push(b'\n');
    }
    /// Hands the buffered text to the sink. Write errors are the sink's
    /// business ([`Stdout`] remembers them and reports at the end).
    fn flush(&mut self) {
        if let Some(sink) = self.sink.as_mut() {
            let _ = sink.write_all(&self.out);
            self.out.clear();
        }
    }

    /// Appends already rendered text without copying it through `out`.
    fn write_through(&mut self, text: &[u8]) {
        self.flush();
        match self.sink.as_mut() {
            Some(sink) => {
                let _ = sink.write_all(text);
            }
            None => self.out.extend_from_slice(text),
        }
    }

    /// Called after each row.
    fn row_done(&mut self) {
        if self.out.len() >= FLUSH_AT {
            self.flush();
        }
    }

    fn ctime(&mut self, t: i64) -> Option<&str> {
        self.times.entry(t).or_insert_with(|| ctime(t)).as_deref()
    }

    fn text(&mut self, s: &str) {
        self.out.extend_from_slice(s.as_bytes());
    }

    /// `0x%08x ` of the key as the unsigned 32-bit value of `key_t`.
    fn key(&mut self, key: sysv::Key) {
        self.text("0x");
        int(&mut self.out, key.as_raw() as u32, 16, 8, Pad::Zero);
        self.out.push(b' ');
    }

    /// ` %-10o `: the permission bits.
    fn perms(&mut self, perms: u32) {
        self.out.push(b' ');
        int(&mut self.out, perms & 0o777, 8, 10, Pad::Left);
        self.out.push(b' ');
    }

    /// `%-10d %-10.10s` (or `%-8d`): id and owner name cut to 10 bytes, or
    /// the uid when it has no name.
    fn id_owner(&mut self, id: i32, id_width: usize, uid: u32) {
        int(&mut self.out, id, 10, id_width, Pad::Left);
        self.out.push(b' ');
        // Rows mostly share owners: keep the last owner column as printed.
        if let Some((last, column)) = &self.owner_column {
            if *last == uid {
                self.out.extend_from_slice(column);
                return;
            }
        }
        let mut column = Vec::with_capacity(10);
        match self.names.user(uid) {
            Some(name) => put_left(&mut column, name, 10, 10),
            None => int(&mut column, uid, 10, 10, Pad::Left),
        }
        self.out.extend_from_slice(&column);
        self.owner_column = Some((uid, column));
    }

    /// `key`, `id_owner` and `perms`: how every default row begins.
    fn head(&mut self, id: i32, p: &IpcPerm) {
        self.key(p.key);
        self.id_owner(id, 10, p.uid);
        self.perms(p.mode);
    }

    /// `-c` rows: id, perms, then creator and owner names in full.
    fn creator_row(&mut self, id: i32, p: &IpcPerm) {
        int(&mut self.out, id, 10, 10, Pad::Left);
        self.out.push(b' ');
        int(&mut self.out, p.mode & 0o777, 8, 10, Pad::Left);
        for (n, is_user) in [
            (p.cuid, true),
            (p.cgid, false),
            (p.uid, true),
            (p.gid, false),
        ] {
            self.out.push(b' ');
            let name = if is_user {
                self.names.user(n)
            } else {
                self.names.group(n)
            };
            match name {
                Some(name) => put_left(&mut self.out, name, 10, usize::MAX),
                None => int(&mut self.out, n, 10, 10, Pad::Left),
            }
        }
        self.out.push(b'\n');
    }

    /// ` %-20.16s` of `ctime()+4` (`Nov 29 11:50:42 `), or `Not set`.
    fn short_time(&mut self, t: i64) {
        self.out.push(b' ');
        let text = if t == 0 {
            "Not set".to_string()
        } else {
            let full = self.ctime(t).unwrap_or_default();
            full.get(4..).unwrap_or_default().to_string()
        };
        put_left(&mut self.out, text.as_bytes(), 20, 16);
    }

    /// `%-26.24s` of the full `ctime()`, or `Not set` when `unset_ok`.
    fn long_time(&mut self, t: i64, unset_ok: bool) {
        let text = if t == 0 && unset_ok {
            "Not set".to_string()
        } else {
            self.ctime(t).unwrap_or("(null)").to_string()
        };
        put_left(&mut self.out, text.as_bytes(), 26, 24);
    }

    /// util-linux's `ipc_print_size`: an optional label (`name = `,
    /// `name (bytes) = `, `name (kbytes) = `, or `name=` as given), then the
    /// size in `unit`, right-aligned to `width` (left-aligned if negative).
    fn size(&mut self, unit: Unit, label: Option<&str>, size: u64, end: &str, width: isize) {
        match label {
            None => {}
            Some(l) if l.ends_with('=') => self.text(l),
            Some(l) => {
                let _ = match unit {
                    Unit::Bytes => write!(self.out, "{l} (bytes) = "),
                    Unit::Kb => write!(self.out, "{l} (kbytes) = "),
                    _ => write!(self.out, "{l} = "),
                };
            }
        }
        let pad = if width < 0 { Pad::Left } else { Pad::Right };
        let width = width.unsigned_abs();
        match unit {
            Unit::Default | Unit::Bytes => int(&mut self.out, size, 10, width, pad),
            Unit::Kb => int(&mut self.out, size / 1024, 10, width, pad),
            Unit::Human => {
                let text = human_size(size);
                if pad == Pad::Right {
                    self.out
                        .resize(self.out.len() + width.saturating_sub(text.len()), b' ');
                }
                put_left(&mut self.out, text.as_bytes(), 0, usize::MAX);
                if pad == Pad::Left {
                    self.out
                        .resize(self.out.len() + width.saturating_sub(text.len()), b' ');
                }
            }
        }
        self.text(end);
    }

    fn msg_section(&mut self, format: Format) {
        match format {
            Format::Limits => return self.msg_limits(),
            Format::Summary => return self.msg_summary(),
            Format::Creator => self.text(
                "------ Message Queues Creators/Owners --------\n\
                 msqid      perms      cuid       cgid       uid        gid       \n",
            ),
            Format::Time => self.text(
                "------ Message Queues Send/Recv/Change Times --------\n\
                 msqid    owner      send                 recv                 change              \n",
            ),
            Format::Pid => self.text(
                "------ Message Queues PIDs --------\n\
                 msqid      owner      lspid      lrpid     \n",
            ),
            Format::Default => {
                self.text("------ Message Queues --------\n");
                let size = if self.unit == Unit::Human { "size" } else { "used-bytes" };
                let _ = writeln!(
                    self.out,
                    "{:<10} {:<10} {:<10} {:<10} {size:<12} {:<12}",
                    "key", "msqid", "owner", "perms", "messages"
                );
            }
        }
        // Nothing to list when neither /proc nor the syscalls answer.
        let _ = sysv::msg::for_each(|q| {
            self.msg_row(format, &q);
            self.row_done();
        });
    }

    fn msg_row(&mut self, format: Format, q: &MsgQueue) {
        match format {
            Format::Creator => self.creator_row(q.id.as_raw(), &q.perm),
            Format::Time => {
                self.id_owner(q.id.as_raw(), 8, q.perm.uid);
                self.short_time(q.stime);
                self.short_time(q.rtime);
                self.short_time(q.ctime);
                self.out.push(b'\n');
            }
            Format::Pid => {
                self.id_owner(q.id.as_raw(), 8, q.perm.uid);
                self.text("  ");
                int(&mut self.out, q.lspid, 10, 5, Pad::Right);
                self.text("     ");
                int(&mut self.out, q.lrpid, 10, 5, Pad::Right);
                self.out.push(b'\n');
            }
            _ => {
                self.head(q.id.as_raw(), &q.perm);
                if self.unit == Unit::Human {
                    self.size(Unit::Human, None, q.cbytes, "      ", 6);
                } else {
                    self.size(self.unit, None, q.cbytes, "", -12);
                }
                self.out.push(b' ');
                int(&mut self.out, q.qnum, 10, 12, Pad::Left);
                self.out.push(b'\n');
            }
        }
    }

    fn msg_limits(&mut self) {
        let Ok(lim) = sysv::msg::limits() else {
            return self.text("unable to fetch message limits\n");
        };
        let unit = if self.unit == Unit::Default {
            Unit::Bytes
        } else {
            self.unit
        };
        self.text("------ Messages Limits --------\n");
        let _ = writeln!(self.out, "max queues system wide = {}", lim.msgmni);
        self.size(unit, Some("max size of message"), lim.msgmax, "\n", 0);
        self.size(unit, Some("default max size of queue"), lim.msgmnb, "\n", 0);
    }

    fn msg_summary(&mut self) {
        let Ok(usage) = sysv::msg::usage() else {
            return self.text("kernel not configured for message queues\n");
        };
        self.text("------ Messages Status --------\n");
        let _ = writeln!(self.out, "allocated queues = {}", usage.queues);
        let _ = writeln!(self.out, "used headers = {}", usage.messages);
        let end = if self.unit == Unit::Default {
            " bytes\n"
        } else {
            "\n"
        };
        self.size(self.unit, Some("used space"), usage.bytes, end, 0);
    }

    fn shm_section(&mut self, format: Format) {
        match format {
            Format::Limits => return self.shm_limits(),
            Format::Summary => return self.shm_summary(),
            Format::Creator => self.text(
                "------ Shared Memory Segment Creators/Owners --------\n\
                 shmid      perms      cuid       cgid       uid        gid       \n",
            ),
            Format::Time => self.text(
                "------ Shared Memory Attach/Detach/Change Times --------\n\
                 shmid      owner      attached             detached             changed             \n",
            ),
            Format::Pid => self.text(
                "------ Shared Memory Creator/Last-op PIDs --------\n\
                 shmid      owner      cpid       lpid      \n",
            ),
            Format::Default => {
                self.text("------ Shared Memory Segments --------\n");
                let size = if self.unit == Unit::Human { "size" } else { "bytes" };
                let _ = writeln!(
                    self.out,
                    "{:<10} {:<10} {:<10} {:<10} {size:<10} {:<10} {:<12}",
                    "key", "shmid", "owner", "perms", "nattch", "status"
                );
            }
        }
        // Nothing to list when neither /proc nor the syscalls answer.
        let _ = sysv::shm::for_each(|s| {
            self.shm_row(format, &s);
            self.row_done();
        });
    }

    fn shm_row(&mut self, format: Format, s: &ShmSegment) {
        match format {
            Format::Creator => self.creator_row(s.id.as_raw(), &s.perm),
            Format::Time => {
                self.id_owner(s.id.as_raw(), 10, s.perm.uid);
                self.short_time(s.atime);
                self.short_time(s.dtime);
                self.short_time(s.ctime);
                self.out.push(b'\n');
            }
            Format::Pid => {
                self.id_owner(s.id.as_raw(), 10, s.perm.uid);
                self.out.push(b' ');
                int(&mut self.out, s.cpid, 10, 10, Pad::Left);
                self.out.push(b' ');
                int(&mut self.out, s.lpid, 10, 10, Pad::Left);
                self.out.push(b'\n');
            }
            _ => {
                self.head(s.id.as_raw(), &s.perm);
                if self.unit == Unit::Human {
                    self.size(Unit::Human, None, s.size, "    ", 6);
                } else {
                    self.size(self.unit, None, s.size, "", -10);
                }
                self.out.push(b' ');
                int(&mut self.out, s.nattch, 10, 10, Pad::Left);
                self.out.push(b' ');
                put_left(
                    &mut self.out,
                    if s.is_dest() { b"dest" } else { b" " },
                    6,
                    6,
                );
                self.out.push(b' ');
                put_left(
                    &mut self.out,
                    if s.is_locked() { b"locked" } else { b" " },
                    6,
                    6,
                );
                self.out.push(b'\n');
            }
        }
    }

    fn shm_limits(&mut self) {
        let Ok(lim) = sysv::shm::limits() else {
            return self.text("unable to fetch shared memory limits\n");
        };
        let page = sysv::shm::page_size();
        self.text("------ Shared Memory Limits --------\n");
        let _ = writeln!(self.out, "max number of segments = {}", lim.shmmni);
        let unit = if self.unit == Unit::Default {
            Unit::Kb
        } else {
            self.unit
        };
        self.size(unit, Some("max seg size"), lim.shmmax, "\n", 0);
        // shmall is in pages and its default (ULONG_MAX - 2^24) overflows
        // when multiplied out: clamp to the largest whole multiple, as
        // util-linux does (its limits tests expect exactly this).
        if matches!(self.unit, Unit::Default | Unit::Kb) {
            let per_page = page / 1024;
            let total = total_or_clamp(lim.shmall, per_page);
            self.size(
                Unit::Default,
                Some("max total shared memory (kbytes)"),
                total,
                "\n",
                0,
            );
        } else {
            let total = total_or_clamp(lim.shmall, page);
            self.size(self.unit, Some("max total shared memory"), total, "\n", 0);
        }
        let unit = if self.unit == Unit::Default {
            Unit::Bytes
        } else {
            self.unit
        };
        self.size(unit, Some("min seg size"), lim.shmmin, "\n", 0);
    }

    fn shm_summary(&mut self) {
        let Ok(u) = sysv::shm::usage() else {
            return self.text("kernel not configured for shared memory\n");
        };
        self.text("------ Shared Memory Status --------\n");
        let _ = write!(
            self.out,
            "segments allocated {}\npages allocated {}\npages resident  {}\n\
             pages swapped   {}\nSwap performance: {} attempts\t {} successes\n",
            u.segments, u.pages, u.resident, u.swapped, u.swap_attempts, u.swap_successes
        );
    }

    fn sem_section(&mut self, format: Format) {
        match format {
            Format::Limits => return self.sem_limits(),
            Format::Summary => return self.sem_summary(),
            Format::Creator => self.text(
                "------ Semaphore Arrays Creators/Owners --------\n\
                 semid      perms      cuid       cgid       uid        gid       \n",
            ),
            Format::Time => self.text(
                "------ Semaphore Operation/Change Times --------\n\
                 semid    owner      last-op                    last-changed              \n",
            ),
            // util-linux has no PID view of semaphores: not even a title.
            Format::Pid => return,
            Format::Default => self.text(
                "------ Semaphore Arrays --------\n\
                 key        semid      owner      perms      nsems     \n",
            ),
        }
        // Nothing to list when neither /proc nor the syscalls answer.
        let _ = sysv::sem::for_each(|s| {
            self.sem_row(format, &s);
            self.row_done();
        });
    }

    fn sem_row(&mut self, format: Format, s: &SemSet) {
        match format {
            Format::Creator => self.creator_row(s.id.as_raw(), &s.perm),
            Format::Time => {
                self.id_owner(s.id.as_raw(), 8, s.perm.uid);
                self.text("  ");
                self.long_time(s.otime, true);
                self.out.push(b' ');
                self.long_time(s.ctime, true);
                self.out.push(b'\n');
            }
            _ => {
                self.head(s.id.as_raw(), &s.perm);
                int(&mut self.out, s.nsems, 10, 10, Pad::Left);
                self.out.push(b'\n');
            }
        }
    }

    fn sem_limits(&mut self) {
        let Ok(lim) = sysv::sem::limits() else {
            return self.text("unable to fetch semaphore limits\n");
        };
        let _ = write!(
            self.out,
            "------ Semaphore Limits --------\nmax number of arrays = {}\n\
             max semaphores per array = {}\nmax semaphores system wide = {}\n\
             max ops per semop call = {}\nsemaphore max value = {}\n",
            lim.semmni, lim.semmsl, lim.semmns, lim.semopm, lim.semvmx
        );
    }

    fn sem_summary(&mut self) {
        let Ok(u) = sysv::sem::usage() else {
            return self.text("kernel not configured for semaphores\n");
        };
        let _ = write!(
            self.out,
            "------ Semaphore Status --------\nused arrays = {}\nallocated semaphores = {}\n",
            u.sets, u.semaphores
        );
    }

    fn msg_detail(&mut self, prog: &Prog, id: i32) {
        let Some(mut q) = find(sysv::msg::find(id.into())) else {
            return prog.warnx(format_args!("id {id} not found"));
        };
        // /proc lacks qbytes; util-linux asks IPC_STAT and shows 0 when that
        // is not allowed.
        if q.qbytes.is_none() {
            q.qbytes = Some(
                sysv::msg::stat(id.into())
                    .ok()
                    .and_then(|s| s.qbytes)
                    .unwrap_or(0),
            );
        }
        let _ = write!(
            self.out,
            "\nMessage Queue msqid={id}\nuid={}\tgid={}\tcuid={}\tcgid={}\tmode={}\n",
            q.perm.uid,
            q.perm.gid,
            q.perm.cuid,
            q.perm.cgid,
            alt_octal(q.perm.mode)
        );
        let human = self.unit == Unit::Human;
        self.size(
            self.unit,
            Some(if human { "csize=" } else { "cbytes=" }),
            q.cbytes,
            "\t",
            0,
        );
        let qbytes = q.qbytes.unwrap_or(0);
        self.size(
            self.unit,
            Some(if human { "qsize=" } else { "qbytes=" }),
            qbytes,
            "\t",
            0,
        );
        let _ = writeln!(
            self.out,
            "qnum={}\tlspid={}\tlrpid={}",
            q.qnum, q.lspid, q.lrpid
        );
        for (label, t) in [
            ("send_time=", q.stime),
            ("rcv_time=", q.rtime),
            ("change_time=", q.ctime),
        ] {
            self.text(label);
            self.long_time(t, true);
            self.out.push(b'\n');
        }
        self.out.push(b'\n');
    }

    fn shm_detail(&mut self, prog: &Prog, id: i32) {
        let Some(s) = find(sysv::shm::find(id.into())) else {
            return prog.warnx(format_args!("id {id} not found"));
        };
        let _ = write!(
            self.out,
            "\nShared memory Segment shmid={id}\nuid={}\tgid={}\tcuid={}\tcgid={}\n\
             mode={}\taccess_perms={}\n",
            s.perm.uid,
            s.perm.gid,
            s.perm.cuid,
            s.perm.cgid,
            alt_octal(s.perm.mode),
            alt_octal(s.perm.mode & 0o777)
        );
        let label = if self.unit == Unit::Human {
            "size="
        } else {
            "bytes="
        };
        self.size(self.unit, Some(label), s.size, "\t", 0);
        let _ = writeln!(
            self.out,
            "lpid={}\tcpid={}\tnattch={}",
            s.lpid, s.cpid, s.nattch
        );
        self.text("att_time=");
        self.long_time(s.atime, true);
        self.text("\ndet_time=");
        self.long_time(s.dtime, true);
        self.text("\nchange_time=");
        self.long_time(s.ctime, false);
        self.text("\n\n");
    }

    fn sem_detail(&mut self, prog: &Prog, id: i32) -> Result<(), Failure> {
        let Some(s) = find(sysv::sem::find(id.into())) else {
            prog.warnx(format_args!("id {id} not found"));
            return Ok(());
        };
        // Values come before any output: a failure prints nothing on
        // stdout. util-linux asks GETVAL first and names it in the message;
        // GETALL fails for the same reasons (no read permission, gone).
        let values = sysv::sem::semaphores(id.into())
            .map_err(|e| prog.fail_errno("semctl(GETVAL) failed", &e))?;
        let _ = write!(
            self.out,
            "\nSemaphore Array semid={id}\nuid={}\t gid={}\t cuid={}\t cgid={}\n\
             mode={}, access_perms={}\nnsems = {}\notime = ",
            s.perm.uid,
            s.perm.gid,
            s.perm.cuid,
            s.perm.cgid,
            alt_octal(s.perm.mode),
            alt_octal(s.perm.mode & 0o777),
            s.nsems
        );
        self.long_time(s.otime, true);
        self.text("\nctime = ");
        self.long_time(s.ctime, false);
        let _ = writeln!(
            self.out,
            "\n{:<10} {:<10} {:<10} {:<10} {:<10}",
            "semnum", "value", "ncount", "zcount", "pid"
        );
        for (num, v) in values.iter().enumerate() {
            let _ = writeln!(
                self.out,
                "{num:<10} {:<10} {:<10} {:<10} {:<10}",
                v.value, v.ncount, v.zcount, v.pid
            );
        }
        self.out.push(b'\n');
        Ok(())
    }
}

/// The object with `id`, from one of the `sysv::*::find` functions, which
/// read the listing without keeping the other objects. Negative ids are
/// never found (util-linux would show the first object under the negative
/// id).
fn find<T>(found: std::io::Result<Option<T>>) -> Option<T> {
    found.ok().flatten()
}

/// printf's `%#o`: `0` for zero, else a leading 0.
fn alt_octal(mode: u32) -> String {
    if mode == 0 {
        "0".to_string()
    } else {
        format!("0{mode:o}")
    }
}

/// `pages * unit`, or when that overflows u64 the largest multiple of
/// `unit` (util-linux's clamp for the default shmall).
fn total_or_clamp(pages: u64, unit: u64) -> u64 {
    match pages.checked_mul(unit) {
        Some(total) => total,
        None => u64::MAX - u64::MAX % unit.max(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_sizes_match_util_linux() {
        assert_eq!(human_size(0), "0B");
        assert_eq!(human_size(200), "200B");
        assert_eq!(human_size(1023), "1023B");
        assert_eq!(human_size(1024), "1K");
        assert_eq!(human_size(5000), "4.9K");
        assert_eq!(human_size(5200), "5.1K");
        assert_eq!(human_size(16384), "16K");
        assert_eq!(human_size(1536), "1.5K");
        assert_eq!(human_size(1024 * 1024 - 1), "1024K"); // as util-linux rounds
        assert_eq!(human_size(u64::MAX), "16E");
        assert_eq!(human_size(18446744073692774399), "16E");
    }

    #[test]
    fn printf_helpers() {
        let mut v = Vec::new();
        put_left(&mut v, b"averyverylongusername", 10, 10);
        assert_eq!(v, b"averyveryl");
        v.clear();
        put_left(&mut v, b"root", 10, 10);
        assert_eq!(v, b"root      ");
        assert_eq!(alt_octal(0), "0");
        assert_eq!(alt_octal(0o2644), "02644");
        assert_eq!(total_or_clamp(u64::MAX - (1 << 24), 4), u64::MAX - 3);
        assert_eq!(total_or_clamp(10, 4096), 40960);
    }
}
