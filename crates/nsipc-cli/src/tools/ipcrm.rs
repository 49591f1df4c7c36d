//! `ipcrm`: remove System V and POSIX IPC objects.
//!
//! Compatible with util-linux master: ids (`-m -q -s`), keys (`-M -Q -S`),
//! POSIX names, `-a[=kind]`, `-v`, and the old `ipcrm shm|msg|sem ID…`,
//! with the same messages and exit statuses. The one big difference
//! (see docs/ipcmk-ipcrm.md): the whole command line is parsed and checked
//! first, and only then is anything removed. util-linux removes as it
//! parses, so `ipcrm -a shm` (meant: `-a=shm`) removes everything before
//! complaining about `shm`; here it removes nothing.

use std::ffi::{OsStr, OsString};
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;

use nsipc::ipc::posix;
use nsipc::ipc::sysv;

/// A `key_t` as given on the command line.
type Key = i32;

use crate::getopt::{Arg, Getopt};
use crate::numparse::{number_failure, parse_key, parse_or_fail, NumError};
use crate::report::{Failure, Prog, Stdout, ToolResult};

mod orphans;

pub use super::ipcrm_opts::{Id, SPEC};

/// System V object kinds, in the order `-a` removes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SysvKind {
    Shm,
    Sem,
    Msg,
}

// The library's errors name the call and the object; the messages here are
// util-linux's, built from the errno alone (kept by `io::Error::from`).
impl SysvKind {
    fn remove(self, id: i32) -> io::Result<()> {
        match self {
            SysvKind::Shm => sysv::shm::remove(id.into()),
            SysvKind::Sem => sysv::sem::remove(id.into()),
            SysvKind::Msg => sysv::msg::remove(id.into()),
        }
        .map_err(io::Error::from)
    }

    fn lookup(self, key: Key) -> io::Result<i32> {
        match self {
            SysvKind::Shm => sysv::shm::lookup(key.into()),
            SysvKind::Sem => sysv::sem::lookup(key.into()),
            SysvKind::Msg => sysv::msg::lookup(key.into()),
        }
        .map(i32::from)
        .map_err(io::Error::from)
    }

    /// The highest used table index (`*_INFO`).
    fn max_index(self) -> io::Result<i32> {
        match self {
            SysvKind::Shm => sysv::shm::usage().map(|u| u.max_index),
            SysvKind::Sem => sysv::sem::usage().map(|u| u.max_index),
            SysvKind::Msg => sysv::msg::usage().map(|u| u.max_index),
        }
        .map_err(io::Error::from)
    }

    /// The id of the object at table `index`, if the caller may read it
    /// (`*_STAT`): what util-linux's `-a` removes.
    fn readable_at(self, index: i32) -> Option<i32> {
        match self {
            SysvKind::Shm => sysv::shm::stat_index(index).map(|o| o.id.as_raw()),
            SysvKind::Sem => sysv::sem::stat_index(index).map(|o| o.id.as_raw()),
            SysvKind::Msg => sysv::msg::stat_index(index).map(|o| o.id.as_raw()),
        }
        .ok()
    }

    fn what(self) -> &'static str {
        match self {
            SysvKind::Shm => "shared memory segment",
            SysvKind::Sem => "semaphore",
            SysvKind::Msg => "message queue",
        }
    }

    fn unconfigured(self) -> &'static str {
        match self {
            SysvKind::Shm => "kernel not configured for shared memory",
            SysvKind::Sem => "kernel not configured for semaphores",
            SysvKind::Msg => "kernel not configured for message queues",
        }
    }
}

/// POSIX object kinds, in the order `-a` removes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PosixKind {
    Shm,
    Sem,
    Msg,
}

impl PosixKind {
    fn remove(self, name: &OsStr) -> io::Result<()> {
        match self {
            PosixKind::Shm => posix::shm::remove(name),
            PosixKind::Sem => posix::sem::remove(name),
            PosixKind::Msg => posix::mqueue::remove(name),
        }
        .map_err(io::Error::from)
    }

    fn what(self) -> &'static str {
        match self {
            PosixKind::Shm => "POSIX shared memory",
            PosixKind::Sem => "POSIX semaphore",
            PosixKind::Msg => "POSIX message queue",
        }
    }

    /// The objects util-linux's `-a` would remove: those it can list with
    /// their details (semaphores it can open, queues it can read). Unlike
    /// util-linux, directories in /dev/shm are not "shared memory" to
    /// remove (shm_unlink fails on them and util-linux then gives up).
    fn removable(self, prog: &Prog) -> Vec<OsString> {
        let listed = match self {
            PosixKind::Shm => posix::shm::list().map(|list| {
                list.into_iter()
                    .filter(|o| o.attrs.is_regular())
                    .map(|o| o.name)
                    .collect()
            }),
            PosixKind::Sem => posix::sem::list().map(|list| {
                list.into_iter()
                    .filter(|o| o.value.is_some())
                    .map(|o| o.name)
                    .collect()
            }),
            PosixKind::Msg => posix::mqueue::list().map(|list| {
                list.into_iter()
                    .filter(|o| o.qsize.is_some())
                    .map(|o| o.name)
                    .collect()
            }),
        };
        // As in util-linux, an unreadable directory is only a warning.
        listed.unwrap_or_else(|e| {
            let dir = match self {
                PosixKind::Msg => posix::MQUEUE_DIR,
                PosixKind::Shm | PosixKind::Sem => posix::SHM_DIR,
            };
            let missing = e.operation() == posix::OPENDIR && e.kind() == io::ErrorKind::NotFound;
            if missing && self == PosixKind::Msg {
                prog.warnx(format_args!(
                    "{dir} does not seem to be mounted. Use 'mount -t mqueue none {dir}' to mount it."
                ))
            } else {
                prog.warnx(format_args!("cannot open {dir}"))
            }
            Vec::new()
        })
    }
}

/// What `-a` covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AllKinds {
    Every,
    Sysv(SysvKind),
    Posix(PosixKind),
}

impl AllKinds {
    fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "shm" => AllKinds::Sysv(SysvKind::Shm),
            "msg" => AllKinds::Sysv(SysvKind::Msg),
            "sem" => AllKinds::Sysv(SysvKind::Sem),
            "pshm" => AllKinds::Posix(PosixKind::Shm),
            "pmsg" => AllKinds::Posix(PosixKind::Msg),
            "psem" => AllKinds::Posix(PosixKind::Sem),
            _ => return None,
        })
    }

    fn covers_sysv(self, kind: SysvKind) -> bool {
        self == AllKinds::Every || self == AllKinds::Sysv(kind)
    }

    fn covers_posix(self, kind: PosixKind) -> bool {
        self == AllKinds::Every || self == AllKinds::Posix(kind)
    }
}

/// One removal asked for on the command line. `verbose` is whether `-v`
/// came before it: util-linux acts while parsing, so `-v` only affects the
/// options after it (and `-a`, which runs last).
#[derive(Debug)]
enum Removal {
    Id {
        kind: SysvKind,
        id: i32,
        verbose: bool,
    },
    Key {
        kind: SysvKind,
        key: Key,
        text: String,
        verbose: bool,
    },
    Name {
        kind: PosixKind,
        name: OsString,
        verbose: bool,
    },
}

/// The validated command line.
#[derive(Debug, Default)]
struct Plan {
    removals: Vec<Removal>,
    all: Option<AllKinds>,
    verbose: bool,
    /// `--orphans` (with `--older-than` and `--dry-run`).
    orphans: Option<orphans::Request>,
}

/// A failed removal that does not stop the run (util-linux `warnx`), or
/// one that does (util-linux `err`: unexpected errno).
enum Trouble {
    Counted,
    Fatal(Failure),
}

type Step = Result<(), Trouble>;

pub fn main(prog: &Prog, args: Vec<OsString>) -> i32 {
    let mut out = Stdout::new();
    let status = match run(prog, args, &mut out) {
        Ok(status) => status,
        Err(Failure(status)) => status,
    };
    out.finish(prog, status)
}

fn run(prog: &Prog, args: Vec<OsString>, out: &mut Stdout) -> ToolResult {
    if args.is_empty() {
        return Err(prog.usage_error("bad usage"));
    }
    if let Some(kind) = deprecated_kind(&args[0]) {
        return deprecated(prog, kind, &args[1..], out);
    }
    let Some(plan) = parse(prog, args, out)? else {
        return Ok(0);
    };
    execute(prog, &plan, out)
}

/// Parses and checks everything; `Ok(None)` when help or version was
/// printed. Values are checked in command-line order, so the first bad one
/// is reported, as by util-linux.
fn parse(prog: &Prog, args: Vec<OsString>, out: &mut Stdout) -> Result<Option<Plan>, Failure> {
    let mut plan = Plan::default();
    let mut operands = Vec::new();
    let (mut orphans_kinds, mut older_than, mut dry_run) = (None, None, false);
    let mut getopt = Getopt::new(&SPEC, args);
    while let Some(arg) = getopt.next_or_fail(prog)? {
        let (id, value) = match arg {
            Arg::Opt(id, value) => (id, value),
            Arg::Operand(word) => {
                operands.push(word);
                continue;
            }
            Arg::Program(words) => {
                operands.extend(words);
                continue;
            }
        };
        let verbose = plan.verbose;
        let text = value
            .as_deref()
            .map(crate::report::shown)
            .unwrap_or_default();
        let by_id = |kind| -> Result<Removal, Failure> {
            let value = value.clone().unwrap_or_default();
            let id = parse_or_fail(prog, &value, 10, "failed to parse argument")?;
            Ok(Removal::Id { kind, id, verbose })
        };
        let by_key = |kind| -> Result<Removal, Failure> {
            let key = key_argument(prog, &text)?;
            Ok(Removal::Key {
                kind,
                key,
                text: text.clone(),
                verbose,
            })
        };
        let by_name = |kind| -> Result<Removal, Failure> {
            let name = value.clone().unwrap_or_default();
            check_name(prog, kind, &name)?;
            Ok(Removal::Name {
                kind,
                name,
                verbose,
            })
        };
        let removal = match id {
            Id::Shm => by_id(SysvKind::Shm)?,
            Id::Queue => by_id(SysvKind::Msg)?,
            Id::Sem => by_id(SysvKind::Sem)?,
            Id::ShmKey => by_key(SysvKind::Shm)?,
            Id::QueueKey => by_key(SysvKind::Msg)?,
            Id::SemKey => by_key(SysvKind::Sem)?,
            Id::PosixShm => by_name(PosixKind::Shm)?,
            Id::PosixQueue => by_name(PosixKind::Msg)?,
            Id::PosixSem => by_name(PosixKind::Sem)?,
            Id::All => {
                plan.all = Some(match value {
                    None => AllKinds::Every,
                    Some(_) => {
                        // getopt leaves the '=' of `-a=shm` in the value;
                        // util-linux master strips it.
                        let kind = text.strip_prefix('=').unwrap_or(&text);
                        AllKinds::parse(kind)
                            .ok_or_else(|| prog.fail(format_args!("unknown argument: {kind}")))?
                    }
                });
                continue;
            }
            Id::Verbose => {
                plan.verbose = true;
                continue;
            }
            Id::Orphans => {
                orphans_kinds = Some(match value {
                    None => Vec::new(),
                    Some(_) => orphans::Request::kinds(prog, &text)?,
                });
                continue;
            }
            Id::OlderThan => {
                let age = crate::orphans::parse_age(&text)
                    .ok_or_else(|| prog.fail(format_args!("invalid age: '{text}'")))?;
                older_than = Some(age);
                continue;
            }
            Id::DryRun => {
                dry_run = true;
                continue;
            }
            Id::Help => {
                let _ = out.write_all(SPEC.help().as_bytes());
                return Ok(None);
            }
            Id::Version => {
                let _ = out.write_all(prog.version().as_bytes());
                return Ok(None);
            }
        };
        plan.removals.push(removal);
    }
    if let Some(extra) = operands.first() {
        return Err(prog.usage_error(format_args!(
            "unknown argument: {}",
            crate::report::shown(extra)
        )));
    }
    plan.orphans = match orphans_kinds {
        Some(kinds) => {
            if dry_run && (plan.all.is_some() || !plan.removals.is_empty()) {
                return Err(prog.fail("--dry-run goes with --orphans alone"));
            }
            Some(orphans::Request {
                kinds,
                older_than,
                dry_run,
            })
        }
        None if dry_run || older_than.is_some() => {
            return Err(prog.fail("--older-than and --dry-run go with --orphans"));
        }
        None => None,
    };
    Ok(Some(plan))
}

/// A key for `-M/-Q/-S`: `strtoul` base 0 as util-linux (but no silent
/// truncation to 32 bits); key 0 (`IPC_PRIVATE`) names no object.
fn key_argument(prog: &Prog, text: &str) -> Result<Key, Failure> {
    let key = parse_key(text, 0).map_err(|e| match e {
        // strtoul sets no errno for garbage: errx, no strerror.
        NumError::Invalid => prog.fail(format_args!("failed to parse argument: '{text}'")),
        NumError::Range => number_failure(prog, "failed to parse argument", text, e),
    })?;
    if key == sysv::IPC_PRIVATE.as_raw() {
        return Err(prog.fail(format_args!("illegal key ({text})")));
    }
    Ok(key)
}

/// The one name check that does not need the system: `mq_unlink` rejects
/// a name without a leading '/' (EINVAL), which util-linux reports as a
/// fatal `name failed: Invalid argument`.
fn check_name(prog: &Prog, kind: PosixKind, name: &OsStr) -> Result<(), Failure> {
    if kind == PosixKind::Msg && name.as_bytes().first() != Some(&b'/') {
        return Err(prog.fail_errno("name failed", &io::Error::from_raw_os_error(libc::EINVAL)));
    }
    Ok(())
}

/// Carries out the plan in command-line order, `-a` last; failures are
/// reported and counted, and the run goes on, as in util-linux.
fn execute(prog: &Prog, plan: &Plan, out: &mut Stdout) -> ToolResult {
    let mut failed = false;
    let mut tally = |step: Step| -> Result<(), Failure> {
        match step {
            Ok(()) => Ok(()),
            Err(Trouble::Counted) => {
                failed = true;
                Ok(())
            }
            Err(Trouble::Fatal(f)) => Err(f),
        }
    };
    for removal in &plan.removals {
        let step = match removal {
            Removal::Id { kind, id, verbose } => remove_id(prog, out, *kind, *id, false, *verbose),
            Removal::Key {
                kind,
                key,
                text,
                verbose,
            } => remove_key(prog, out, *kind, *key, text, *verbose),
            Removal::Name {
                kind,
                name,
                verbose,
            } => remove_name(prog, out, *kind, name, *verbose),
        };
        tally(step)?;
    }
    if let Some(all) = plan.all {
        remove_all(prog, out, all, plan.verbose, &mut tally)?;
    }
    if let Some(req) = &plan.orphans {
        orphans::run(prog, out, req, plan.verbose, &mut tally)?;
    }
    Ok(i32::from(failed))
}

/// `-a`: shm, POSIX shm, sem, POSIX sem, msg, POSIX msg, as util-linux.
///
/// Every kind is gone through even when an object cannot be removed: an
/// error util-linux treats as fatal (`err`) is reported with the same
/// message but only counted here, so one odd object (or another user's
/// object changing under us) cannot leave the remaining kinds in place.
/// The exit status is util-linux's: 1 when anything failed.
fn remove_all(
    prog: &Prog,
    out: &mut Stdout,
    all: AllKinds,
    verbose: bool,
    tally: &mut impl FnMut(Step) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let mut go_on = |step: Step| match step {
        Err(Trouble::Fatal(_)) => tally(Err(Trouble::Counted)),
        step => tally(step),
    };
    let order = [
        (SysvKind::Shm, PosixKind::Shm),
        (SysvKind::Sem, PosixKind::Sem),
        (SysvKind::Msg, PosixKind::Msg),
    ];
    for (sysv_kind, posix_kind) in order {
        if all.covers_sysv(sysv_kind) {
            match sysv_kind.max_index() {
                Err(_) => {
                    prog.warnx(sysv_kind.unconfigured());
                    go_on(Err(Trouble::Counted))?;
                }
                Ok(max) => {
                    for index in 0..=max.max(-1) {
                        if let Some(id) = sysv_kind.readable_at(index) {
                            go_on(remove_id(prog, out, sysv_kind, id, false, verbose))?;
                        }
                    }
                }
            }
        }
        if all.covers_posix(posix_kind) {
            for name in posix_kind.removable(prog) {
                go_on(remove_name(prog, out, posix_kind, &name, verbose))?;
            }
        }
    }
    Ok(())
}

/// A verbose line, flushed at once so that on a terminal it comes before
/// the error it may be followed by, as with C's line-buffered stdout.
fn say(out: &mut Stdout, line: &[u8]) {
    let _ = out.write_all(line);
    let _ = out.write_all(b"\n");
    let _ = out.flush();
}

/// Removes a System V object by id, with util-linux's messages; `by_key`
/// only changes the wording (the id is printed either way).
fn remove_id(
    prog: &Prog,
    out: &mut Stdout,
    kind: SysvKind,
    id: i32,
    by_key: bool,
    verbose: bool,
) -> Step {
    if verbose {
        say(
            out,
            format!("removing {} id `{id}'", kind.what()).as_bytes(),
        );
    }
    let Err(e) = kind.remove(id) else {
        return Ok(());
    };
    let what = if by_key { "key" } else { "id" };
    let problem = match e.raw_os_error() {
        Some(libc::EACCES | libc::EPERM) => "permission denied for",
        Some(libc::EINVAL) => "invalid",
        Some(libc::EIDRM) => "already removed",
        _ => return Err(fatal(prog, out, &format!("{what} failed"), &e)),
    };
    prog.warnx(format_args!("{problem} {what} ({id})"));
    Err(Trouble::Counted)
}

/// Looks a key up, then removes the object it names.
fn remove_key(
    prog: &Prog,
    out: &mut Stdout,
    kind: SysvKind,
    key: Key,
    text: &str,
    verbose: bool,
) -> Step {
    match kind.lookup(key) {
        Ok(id) => remove_id(prog, out, kind, id, true, verbose),
        Err(e) => {
            let problem = match e.raw_os_error() {
                Some(libc::EACCES) => "permission denied for",
                Some(libc::EIDRM) => "already removed",
                Some(libc::ENOENT) => "invalid",
                _ => return Err(fatal(prog, out, "key failed", &e)),
            };
            prog.warnx(format_args!("{problem} key ({text})"));
            Err(Trouble::Counted)
        }
    }
}

/// Removes a POSIX object by name.
fn remove_name(
    prog: &Prog,
    out: &mut Stdout,
    kind: PosixKind,
    name: &OsStr,
    verbose: bool,
) -> Step {
    let shown = crate::report::shown(name);
    if verbose {
        // The name as given, byte for byte, as util-linux prints it.
        let mut line = format!("removing {} `", kind.what()).into_bytes();
        line.extend_from_slice(name.as_bytes());
        line.push(b'\'');
        say(out, &line);
    }
    let Err(e) = kind.remove(name) else {
        return Ok(());
    };
    match e.raw_os_error() {
        Some(libc::EACCES | libc::EPERM) => {
            prog.warnx(format_args!("permission denied for name `{shown}'"))
        }
        Some(libc::ENOENT) => prog.warnx(format_args!("name `{shown}' not found")),
        Some(libc::ENAMETOOLONG) => prog.warnx(format_args!("name `{shown}' too long")),
        _ => return Err(fatal(prog, out, "name failed", &e)),
    }
    Err(Trouble::Counted)
}

/// An unexpected errno ends the run at once (util-linux `err`), after
/// what was already printed on stdout.
fn fatal(prog: &Prog, out: &mut Stdout, msg: &str, e: &io::Error) -> Trouble {
    let _ = out.flush();
    Trouble::Fatal(prog.fail_errno(msg, e))
}

/// The old syntax `ipcrm shm|msg|sem ID…`: only when the first argument is
/// exactly such a word.
fn deprecated_kind(first: &OsString) -> Option<SysvKind> {
    match first.to_str()? {
        "shm" => Some(SysvKind::Shm),
        "msg" => Some(SysvKind::Msg),
        "sem" => Some(SysvKind::Sem),
        _ => None,
    }
}

/// The old syntax: every id is checked first (util-linux removes the good
/// ones and skips the bad); `resource(s) deleted` only if all went well.
fn deprecated(prog: &Prog, kind: SysvKind, ids: &[OsString], out: &mut Stdout) -> ToolResult {
    if ids.is_empty() {
        return Err(prog.usage_error("not enough arguments"));
    }
    let mut parsed = Vec::with_capacity(ids.len());
    let mut bad = false;
    for word in ids {
        let text = crate::report::shown(word);
        // strtoul base 10, as util-linux; no 32-bit truncation here either.
        match parse_key(&text, 10) {
            Ok(id) => parsed.push(id),
            Err(_) => {
                prog.warnx(format_args!("invalid id: {text}"));
                bad = true;
            }
        }
    }
    if bad {
        return Err(Failure(1));
    }
    let mut failed = false;
    for id in parsed {
        match remove_id(prog, out, kind, id, false, false) {
            Ok(()) => {}
            Err(Trouble::Counted) => failed = true,
            Err(Trouble::Fatal(f)) => return Err(f),
        }
    }
    if failed {
        return Err(Failure(1));
    }
    let _ = writeln!(out, "resource(s) deleted");
    Ok(0)
}
