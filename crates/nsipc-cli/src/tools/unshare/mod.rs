//! `unshare`: run a program in new namespaces.
//!
//! Two stages, as everywhere in nsipc: [`parse`] turns the command line into
//! a validated [`Config`] (every usage error is found there, before any
//! namespace, mount or helper process exists), then [`run`] performs
//! util-linux master's order of operations (see docs/unshare.md):
//! helpers, `--owner`, unshare(2), id maps, time offsets, fork, persistence,
//! then in the process that execs: maps, setgroups, propagation, chroot,
//! mounts, names, credentials, capabilities, environment, exec.

use std::ffi::{OsStr, OsString};
use std::io::{self, Read, Write};
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI32, Ordering as AtomicOrdering};

mod persist_agent;

use nsipc::ns::idmap::{self, IdKind, IdRange, PendingRange, Setgroups, SingleMap};

use super::unshare_maps::{parse_map_spec, MapSpec};
use nsipc::ns::time::{self as timens, Clock};
use nsipc::ns::{self, persist, Kind, Kinds};

use crate::exec;
use crate::getopt::{Arg, Getopt};
use crate::numparse::{self, NumError};
use crate::report::{Failure, Prog, Stdout};

pub use super::unshare_opts::{Id, SPEC};

const DEFAULT_PROC: &str = "/proc";
const DEFAULT_BINFMT: &str = "/proc/sys/fs/binfmt_misc";
const DEFAULT_MQUEUE: &str = "/dev/mqueue";
const DEFAULT_SHM: &str = "/dev/shm";

/// Everything the command line asked for, validated.
#[derive(Debug, Default)]
pub struct Config {
    kinds: Kinds,
    /// `--X=FILE`, per kind; the last one given wins.
    persist: Vec<(Kind, OsString)>,
    fork: bool,
    kill_child: Option<i32>,
    forward_signals: bool,
    mount_proc: Option<OsString>,
    mount_binfmt: Option<OsString>,
    load_interp: Option<OsString>,
    mount_mqueue: Option<OsString>,
    mount_shm: Option<OsString>,
    /// mount(2) flags for `/`; 0 = unchanged.
    propagation: u64,
    root: Option<OsString>,
    wd: Option<OsString>,
    setuid: Option<u32>,
    setgid: Option<u32>,
    map_user: Option<u32>,
    map_group: Option<u32>,
    user_ranges: Vec<PendingRange>,
    group_ranges: Vec<PendingRange>,
    owner: Option<(u32, u32)>,
    setgroups: Option<Setgroups>,
    keep_caps: bool,
    monotonic: Option<i64>,
    boottime: Option<i64>,
    clear_env: bool,
    /// `--whitelist-env`: the listed variables that were set at parse time.
    whitelist: Option<Vec<(OsString, OsString)>>,
    hostname: Option<OsString>,
    domainname: Option<OsString>,
    program: Vec<OsString>,
    /// The caller's effective ids before anything changed: after
    /// unshare(CLONE_NEWUSER) they read as the overflow id 65534.
    euid: u32,
    egid: u32,
}

const MS_REC: u64 = libc::MS_REC;
const MS_PRIVATE: u64 = libc::MS_PRIVATE;

/// What parsing decided: run, or exit now (help, version, errors).
enum Parsed {
    Run(Box<Config>),
    Exit(i32),
}

pub fn main(prog: &Prog, args: Vec<OsString>) -> i32 {
    let config = match parse(prog, args) {
        Ok(Parsed::Run(config)) => config,
        Ok(Parsed::Exit(status)) => return status,
        Err(Failure(status)) => return status,
    };
    match run(prog, &config) {
        Ok(status) | Err(Failure(status)) => status,
    }
}

/// The caller's effective ids, taken once: `-c` and the maps use them.
fn euid() -> u32 {
    rustix::process::geteuid().as_raw()
}

fn egid() -> u32 {
    rustix::process::getegid().as_raw()
}

fn parse(prog: &Prog, args: Vec<OsString>) -> Result<Parsed, Failure> {
    let mut c = Config {
        propagation: MS_REC | MS_PRIVATE,
        euid: euid(),
        egid: egid(),
        ..Config::default()
    };
    let mut getopt = Getopt::new(&SPEC, args);
    while let Some(arg) = getopt.next_or_fail(prog)? {
        let (id, value) = match arg {
            Arg::Opt(id, value) => (id, value),
            Arg::Program(program) => {
                c.program = program;
                break;
            }
            Arg::Operand(word) => {
                c.program = vec![word];
                break;
            }
        };
        let text = || value.clone().unwrap_or_default();
        let str_value = || {
            value
                .as_deref()
                .map(crate::report::shown)
                .unwrap_or_default()
        };
        match id {
            Id::Ns(kind) => {
                c.kinds |= kind.into();
                if let Some(file) = value {
                    c.persist.retain(|(k, _)| *k != kind);
                    c.persist.push((kind, file));
                }
            }
            Id::Fork => c.fork = true,
            Id::KillChild => {
                c.fork = true;
                c.kill_child = Some(match &value {
                    None => libc::SIGKILL,
                    Some(name) => {
                        parse_signal_name(&crate::report::shown(name)).ok_or_else(|| {
                            prog.fail(format_args!(
                                "unknown signal: {}",
                                crate::report::shown(name)
                            ))
                        })?
                    }
                });
            }
            Id::ForwardSignals => {
                c.fork = true;
                c.forward_signals = true;
            }
            Id::MountProc => {
                c.kinds |= Kinds::MOUNT;
                c.mount_proc = Some(value.unwrap_or_else(|| DEFAULT_PROC.into()));
            }
            Id::MountBinfmt => {
                c.kinds |= Kinds::MOUNT | Kinds::USER;
                c.mount_binfmt = Some(match value {
                    Some(dir) => dir,
                    None => {
                        c.mount_proc.get_or_insert_with(|| DEFAULT_PROC.into());
                        DEFAULT_BINFMT.into()
                    }
                });
            }
            Id::LoadInterp => {
                c.kinds |= Kinds::MOUNT | Kinds::USER;
                if c.mount_binfmt.is_none() {
                    c.mount_proc.get_or_insert_with(|| DEFAULT_PROC.into());
                    c.mount_binfmt = Some(DEFAULT_BINFMT.into());
                }
                c.load_interp = value;
            }
            Id::MountMqueue => {
                c.kinds |= Kinds::MOUNT | Kinds::IPC;
                c.mount_mqueue = Some(value.unwrap_or_else(|| DEFAULT_MQUEUE.into()));
            }
            Id::MountShm => {
                c.kinds |= Kinds::MOUNT;
                c.mount_shm = Some(value.unwrap_or_else(|| DEFAULT_SHM.into()));
            }
            Id::MapUser => {
                c.kinds |= Kinds::USER;
                c.map_user = Some(lookup_user(prog, &str_value())?);
            }
            Id::MapGroup => {
                c.kinds |= Kinds::USER;
                c.map_group = Some(lookup_group(prog, &str_value())?);
            }
            Id::MapRootUser => {
                c.kinds |= Kinds::USER;
                c.map_user = Some(0);
                c.map_group = Some(0);
            }
            Id::MapCurrentUser => {
                c.kinds |= Kinds::USER;
                c.map_user = Some(c.euid);
                c.map_group = Some(c.egid);
            }
            Id::MapUsers => {
                c.kinds |= Kinds::USER;
                add_ranges(prog, &mut c.user_ranges, IdKind::Uid, &str_value())?;
            }
            Id::MapGroups => {
                c.kinds |= Kinds::USER;
                add_ranges(prog, &mut c.group_ranges, IdKind::Gid, &str_value())?;
            }
            Id::MapAuto | Id::MapSubids => {
                c.kinds |= Kinds::USER;
                let identity = id == Id::MapSubids;
                c.user_ranges
                    .push(subid_range(prog, IdKind::Uid, identity)?);
                c.group_ranges
                    .push(subid_range(prog, IdKind::Gid, identity)?);
            }
            Id::Owner => {
                c.kinds |= Kinds::USER;
                let v = str_value();
                let owner = v.split_once(':').and_then(|(u, g)| {
                    Some((idmap::parse_decimal_u32(u)?, idmap::parse_decimal_u32(g)?))
                });
                c.owner = Some(owner.ok_or_else(|| prog.fail("failed to parse owner"))?);
            }
            Id::Setgroups => {
                let v = str_value();
                c.setgroups = Some(Setgroups::parse(&v).ok_or_else(|| {
                    prog.fail(format_args!("unsupported --setgroups argument '{v}'"))
                })?);
            }
            Id::Propagation => {
                let v = str_value();
                c.propagation = parse_propagation(&v)
                    .ok_or_else(|| prog.fail(format_args!("unsupported propagation mode: {v}")))?;
            }
            Id::KeepCaps => c.keep_caps = true,
            Id::Setuid => c.setuid = Some(parse_id(prog, &text(), "failed to parse uid")?),
            Id::Setgid => c.setgid = Some(parse_id(prog, &text(), "failed to parse gid")?),
            Id::Root => c.root = value,
            Id::Wd => c.wd = value,
            Id::Monotonic => {
                c.monotonic = Some(numparse::parse_or_fail(
                    prog,
                    &text(),
                    10,
                    "failed to parse monotonic offset",
                )?)
            }
            Id::Boottime => {
                c.boottime = Some(numparse::parse_or_fail(
                    prog,
                    &text(),
                    10,
                    "failed to parse boottime offset",
                )?)
            }
            Id::ClearEnv => c.clear_env = true,
            Id::WhitelistEnv => {
                let list = c.whitelist.get_or_insert_with(Vec::new);
                for name in text().as_bytes().split(|&b| b == b',') {
                    let name = OsStr::from_bytes(name);
                    if name.is_empty() {
                        continue;
                    }
                    // A name listed again moves to the end: see the reverse
                    // order in which the list is applied.
                    list.retain(|(n, _)| n != name);
                    if let Some(value) = std::env::var_os(name) {
                        list.push((name.to_os_string(), value));
                    }
                }
            }
            Id::Hostname => {
                c.kinds |= Kinds::UTS;
                c.hostname = Some(uts_name(prog, "hostname", value)?);
            }
            Id::Domainname => {
                c.kinds |= Kinds::UTS;
                c.domainname = Some(uts_name(prog, "domain name", value)?);
            }
            Id::Help => {
                return Ok(Parsed::Exit(Stdout::print(prog, &SPEC.help())));
            }
            Id::Version => {
                return Ok(Parsed::Exit(Stdout::print(prog, &prog.version())));
            }
        }
    }
    validate(prog, &c)?;
    Ok(Parsed::Run(Box::new(c)))
}

/// Checks util-linux makes later (some only after unshare(2)), made here so
/// that a bad command line never creates anything.
fn validate(prog: &Prog, c: &Config) -> Result<(), Failure> {
    if (c.monotonic.is_some() || c.boottime.is_some()) && !c.kinds.contains(Kinds::TIME) {
        return Err(prog.fail(
            "options --monotonic and --boottime require unsharing of a time namespace (-T)",
        ));
    }
    if c.setgroups == Some(Setgroups::Allow) && single_group_map(c).is_some() {
        return Err(prog.fail("options --setgroups=allow and --map-group are mutually exclusive"));
    }
    Ok(())
}

/// The single uid mapping the new process writes itself (`--map-user`, `-r`,
/// `-c`), when it is not merged into ranges written by the helper.
fn single_user_map(c: &Config) -> Option<u32> {
    let merged = !c.user_ranges.is_empty() || (c.map_user.is_some() && c.owner.is_some());
    c.map_user.filter(|_| !merged)
}

fn single_group_map(c: &Config) -> Option<u32> {
    let merged = !c.group_ranges.is_empty() || (c.map_group.is_some() && c.owner.is_some());
    c.map_group.filter(|_| !merged)
}

/// The maps the helper process writes (ranges plus the merged single id).
fn helper_maps(c: &Config) -> (Option<Vec<IdRange>>, Option<Vec<IdRange>>) {
    let build = |ranges: &[PendingRange], single: Option<u32>, own: u32, owner: bool| {
        let merge = !ranges.is_empty() || (single.is_some() && owner);
        merge.then(|| {
            idmap::merge_single(ranges, single.map(|inner| SingleMap { inner, outer: own }))
        })
    };
    (
        build(&c.user_ranges, c.map_user, c.euid, c.owner.is_some()),
        build(&c.group_ranges, c.map_group, c.egid, c.owner.is_some()),
    )
}

pub fn parse_propagation(s: &str) -> Option<u64> {
    Some(match s {
        "slave" => MS_REC | libc::MS_SLAVE,
        "private" => MS_REC | MS_PRIVATE,
        "shared" => MS_REC | libc::MS_SHARED,
        "unchanged" => 0,
        _ => return None,
    })
}

/// `-S`/`-G`: a decimal id. Values above 2^32-2 are refused while parsing:
/// util-linux silently truncates larger ones (`-S 4294967297` runs as uid
/// 1), and takes 4294967295, `(uid_t) -1`, which `setuid` refuses only at
/// the very end, after namespaces were made and bound to files.
fn parse_id(prog: &Prog, text: &OsStr, what: &str) -> Result<u32, Failure> {
    match numparse::parse_or_fail::<u32>(prog, text, 10, what)? {
        u32::MAX => Err(numparse::number_failure(
            prog,
            what,
            &text.to_string_lossy(),
            NumError::Range,
        )),
        id => Ok(id),
    }
}

/// `--hostname` / `--domainname`: at most 64 bytes (the kernel's limit),
/// checked now so that nothing is created for a name it would refuse.
fn uts_name(prog: &Prog, what: &str, value: Option<OsString>) -> Result<OsString, Failure> {
    let name = value.unwrap_or_default();
    if name.len() > ns::UTS_NAME_MAX {
        return Err(prog.fail(format_args!(
            "{what} too long (at most {} bytes): '{}'",
            ns::UTS_NAME_MAX,
            crate::report::shown(&name)
        )));
    }
    Ok(name)
}

/// The signal names [`parse_signal_name`] knows (without `SIG`), besides
/// `RTMIN+n` and `RTMAX-n`.
pub const SIGNAL_NAMES: &[(&str, i32)] = &[
    ("HUP", libc::SIGHUP),
    ("INT", libc::SIGINT),
    ("QUIT", libc::SIGQUIT),
    ("ILL", libc::SIGILL),
    ("TRAP", libc::SIGTRAP),
    ("ABRT", libc::SIGABRT),
    ("IOT", libc::SIGIOT),
    ("BUS", libc::SIGBUS),
    ("FPE", libc::SIGFPE),
    ("KILL", libc::SIGKILL),
    ("USR1", libc::SIGUSR1),
    ("SEGV", libc::SIGSEGV),
    ("USR2", libc::SIGUSR2),
    ("PIPE", libc::SIGPIPE),
    ("ALRM", libc::SIGALRM),
    ("TERM", libc::SIGTERM),
    ("STKFLT", libc::SIGSTKFLT),
    ("CHLD", libc::SIGCHLD),
    ("CLD", libc::SIGCHLD),
    ("CONT", libc::SIGCONT),
    ("STOP", libc::SIGSTOP),
    ("TSTP", libc::SIGTSTP),
    ("TTIN", libc::SIGTTIN),
    ("TTOU", libc::SIGTTOU),
    ("URG", libc::SIGURG),
    ("XCPU", libc::SIGXCPU),
    ("XFSZ", libc::SIGXFSZ),
    ("VTALRM", libc::SIGVTALRM),
    ("PROF", libc::SIGPROF),
    ("WINCH", libc::SIGWINCH),
    ("IO", libc::SIGIO),
    ("POLL", libc::SIGPOLL),
    ("PWR", libc::SIGPWR),
    ("SYS", libc::SIGSYS),
];

/// Signal names as util-linux takes them: case-insensitive, `SIG` optional,
/// `RTMIN+n` / `RTMAX-n`; numbers are refused.
pub fn parse_signal_name(s: &str) -> Option<i32> {
    let name = strip(s, "SIG").unwrap_or(s);
    if let Some(rt) = strip(name, "RT") {
        let (rtmin, rtmax) = (libc::SIGRTMIN(), libc::SIGRTMAX());
        let (max_relative, digits) = match (strip(rt, "MIN+"), strip(rt, "MAX-")) {
            (Some(d), _) => (false, d),
            (_, Some(d)) => (true, d),
            _ => (false, rt),
        };
        if !digits.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let n: i32 = digits.parse().ok()?;
        let signal = if max_relative { rtmax - n } else { rtmin + n };
        return (rtmin..=rtmax).contains(&signal).then_some(signal);
    }
    SIGNAL_NAMES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|&(_, signal)| signal)
}

/// `prefix` removed from `s`, ignoring ASCII case (never splits a UTF-8
/// character: `get` refuses a non-boundary).
fn strip<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// `--map-user`: a uid, or a user name (util-linux master's messages).
fn lookup_user(prog: &Prog, s: &str) -> Result<u32, Failure> {
    lookup_id(prog, s, "uid", |name| {
        nix::unistd::User::from_name(name).map(|u| u.map(|u| u.uid.as_raw()))
    })
}

fn lookup_group(prog: &Prog, s: &str) -> Result<u32, Failure> {
    lookup_id(prog, s, "gid", |name| {
        nix::unistd::Group::from_name(name).map(|g| g.map(|g| g.gid.as_raw()))
    })
}

fn lookup_id(
    prog: &Prog,
    s: &str,
    what: &str,
    by_name: impl Fn(&str) -> nix::Result<Option<u32>>,
) -> Result<u32, Failure> {
    let fail = |errno: i32| {
        prog.fail_errno(
            format_args!("failed to parse {what} '{s}'"),
            &io::Error::from_raw_os_error(errno),
        )
    };
    match numparse::parse_as::<u64>(s, 10) {
        // (u32)-1 means "no id" to the kernel: refuse it too.
        Ok(n) => u32::try_from(n)
            .ok()
            .filter(|&n| n != u32::MAX)
            .ok_or_else(|| fail(libc::ERANGE)),
        Err(NumError::Range) => Err(fail(libc::ERANGE)),
        Err(NumError::Invalid) => match by_name(s) {
            Ok(Some(id)) => Ok(id),
            Ok(None) => Err(fail(libc::EINVAL)),
            Err(errno) => Err(fail(errno as i32)),
        },
    }
}

fn add_ranges(
    prog: &Prog,
    ranges: &mut Vec<PendingRange>,
    kind: IdKind,
    spec: &str,
) -> Result<(), Failure> {
    match parse_map_spec(spec) {
        Some(MapSpec::Range(r)) => ranges.push(r.into()),
        Some(MapSpec::Auto) => ranges.push(subid_range(prog, kind, false)?),
        Some(MapSpec::SubIds) => ranges.push(subid_range(prog, kind, true)?),
        Some(MapSpec::All) => {
            let path = idmap::map_path(None, kind);
            let current = idmap::current_map(kind)
                .map_err(|e| prog.fail_errno(format_args!("could not open '{path}'"), &e))?;
            ranges.extend(current.into_iter().map(PendingRange::from));
        }
        None => return Err(prog.fail(format_args!("invalid mapping '{spec}'"))),
    }
    Ok(())
}

/// The caller's first block in /etc/subuid or /etc/subgid: from inner 0
/// (`auto`) or mapped to itself (`subids`).
fn subid_range(prog: &Prog, kind: IdKind, identity: bool) -> Result<PendingRange, Failure> {
    let uid = euid();
    let user = nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid))
        .ok()
        .flatten()
        .ok_or_else(|| prog.fail(format_args!("you (user {uid}) don't exist.")))?;
    let path = kind.subid_file();
    let file = idmap::SubIdFile::read(path)
        .map_err(|e| prog.fail_errno(format_args!("could not open '{path}'"), &e))?;
    match idmap::find_subid_range(&file.content, &user.name, uid) {
        Ok(Some(line)) => Ok(PendingRange {
            inner: identity.then_some(line.start),
            outer: line.start,
            count: line.count,
        }),
        Ok(None) => Err(prog.fail(format_args!(
            "no line matching user \"{}\" in {path}",
            user.name
        ))),
        Err(idmap::SubIdError::BadNumber) => Err(prog.fail("failed to parse subid map")),
    }
}

/// A helper process forked before unshare(2), waiting on a pipe until the
/// parent has made its namespaces. If the parent dies first the pipe
/// reaches EOF and the helper exits without doing anything.
struct Helper {
    pid: libc::pid_t,
    go: OwnedFd,
}

impl Helper {
    /// Forks; the child waits for the go-ahead, runs `work` and exits with
    /// its status. Both ends of the pipe are close-on-exec.
    fn spawn(prog: &Prog, work: impl FnOnce() -> i32) -> Result<Helper, Failure> {
        let (read, write) = rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC)
            .map_err(|e| prog.fail_errno("pipe failed", &e.into()))?;
        match exec::fork() {
            Err(e) => Err(prog.fail_errno("fork failed", &e)),
            Ok(Some(pid)) => Ok(Helper { pid, go: write }),
            Ok(None) => {
                drop(write);
                let mut byte = [0u8; 1];
                let mut reader = std::fs::File::from(read);
                let status = match reader.read(&mut byte) {
                    Ok(1) => work(),
                    _ => 1,
                };
                let _ = io::stderr().flush();
                // SAFETY: _exit ends the helper without running the
                // parent's atexit handlers or flushing its buffers twice.
                unsafe { libc::_exit(status) }
            }
        }
    }

    /// Lets the helper run and waits for it; a failure becomes our exit
    /// status, as util-linux does.
    fn finish(self, prog: &Prog) -> Result<(), Failure> {
        let _ = rustix::io::write(&self.go, &[1]);
        drop(self.go);
        match exec::wait_child(self.pid, false) {
            Ok(exec::ChildEnd::Exited(0)) => Ok(()),
            Ok(exec::ChildEnd::Exited(code)) => Err(Failure(code)),
            Ok(_) => Ok(()),
            Err(e) => Err(prog.fail_errno("waitpid failed", &e)),
        }
    }
}

/// Bind-mounts every `--X=FILE` from process `pid`'s namespaces; returns
/// the files bound, in order.
fn bind_persistent(prog: &Prog, c: &Config, pid: u32) -> Result<Vec<PathBuf>, Failure> {
    // util-linux's order, the one namespaces are entered in: user first (so
    // the others can be reached through it later), mount namespaces late.
    let mut bound: Vec<PathBuf> = Vec::new();
    for kind in nsipc::ns::enter::ENTRY_ORDER {
        let Some((_, target)) = c.persist.iter().find(|(k, _)| *k == kind) else {
            continue;
        };
        let source = persist::source_path(pid as nsipc::Pid, kind);
        if let Err(e) = persist::bind(&source, Path::new(target)) {
            let failure = prog.fail_errno(
                format_args!(
                    "mount {} on {} failed",
                    source.display(),
                    crate::report::shown(target)
                ),
                &e,
            );
            // A failed unshare leaves nothing behind (util-linux keeps the
            // namespaces bound before the failure alive).
            for target in bound.into_iter().rev() {
                let _ = persist::release(&target);
            }
            return Err(failure);
        }
        bound.push(PathBuf::from(target));
    }
    Ok(bound)
}

/// Writes a map as root, or runs newuidmap/newgidmap; returns the exit
/// status for the helper process, with util-linux's messages.
fn apply_map(prog: &Prog, kind: IdKind, pid: u32, ranges: &[IdRange]) -> i32 {
    use idmap::{ApplyError, ProcWriteError};
    match idmap::apply_map(kind, pid as nsipc::Pid, ranges) {
        Ok(()) => 0,
        Err(ApplyError::TooLarge { path }) => {
            prog.fail(format_args!("{path} too large for kernel 4k limit"))
                .0
        }
        Err(ApplyError::Write { path, source }) => {
            let (what, e) = match &source {
                ProcWriteError::Open(e) => ("open", e),
                ProcWriteError::Write(e) => ("write", e),
            };
            prog.fail_errno(format_args!("failed to {what} {path}"), e)
                .0
        }
        Err(ApplyError::Spawn { helper, source }) => {
            prog.warn(format_args!("failed to execute {helper}"), &source);
            if source.kind() == io::ErrorKind::NotFound {
                exec::EXIT_NOT_FOUND
            } else {
                exec::EXIT_CANNOT_EXEC
            }
        }
        // The helper printed its own message; its status is ours.
        Err(ApplyError::Helper { status, .. }) => status.code().unwrap_or(1),
    }
}

/// Set by the parent of `--forward-signals` for the handler.
static CHILD_PID: AtomicI32 = AtomicI32::new(0);

extern "C" fn forward_signal(signal: libc::c_int) {
    let pid = CHILD_PID.load(AtomicOrdering::Relaxed);
    if pid > 0 {
        // SAFETY: kill is async-signal-safe.
        unsafe { libc::kill(pid, signal) };
    }
}

/// How the parent treats SIGINT and SIGTERM while it waits: blocked (they
/// stay pending, so the parent outlives the child and reports its status),
/// or forwarded to the child. Both are blocked across the fork in either
/// case: a signal arriving before the parent knows the child's pid would
/// otherwise be lost (util-linux has that window); with forwarding the
/// parent unblocks them once the pid is stored.
fn prepare_parent_signals(prog: &Prog, forward: bool) -> Result<libc::sigset_t, Failure> {
    // SAFETY: sigset_t values are initialised by sigemptyset before use;
    // sigaction gets a fully initialised struct; the handler only calls
    // kill(2) and reads an atomic.
    unsafe {
        let mut old: libc::sigset_t = std::mem::zeroed();
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        if forward {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = forward_signal as *const () as usize;
            libc::sigemptyset(&mut sa.sa_mask);
            sa.sa_flags = libc::SA_RESTART;
            for (signal, name) in [(libc::SIGTERM, "SIGTERM"), (libc::SIGINT, "SIGINT")] {
                if libc::sigaction(signal, &sa, std::ptr::null_mut()) == -1 {
                    let e = io::Error::last_os_error();
                    return Err(prog.fail_errno(format_args!("sigaction {name} failed"), &e));
                }
            }
        }
        libc::sigaddset(&mut set, libc::SIGINT);
        libc::sigaddset(&mut set, libc::SIGTERM);
        if libc::sigprocmask(libc::SIG_BLOCK, &set, &mut old) != 0 {
            let e = io::Error::last_os_error();
            return Err(prog.fail_errno("sigprocmask block failed", &e));
        }
        Ok(old)
    }
}

fn restore_child_signals(prog: &Prog, forward: bool, old: &libc::sigset_t) -> Result<(), Failure> {
    // SAFETY: `old` was filled by sigprocmask; resetting dispositions to
    // the default is always sound.
    unsafe {
        if forward {
            libc::signal(libc::SIGTERM, libc::SIG_DFL);
            libc::signal(libc::SIGINT, libc::SIG_DFL);
        }
        if libc::sigprocmask(libc::SIG_SETMASK, old, std::ptr::null_mut()) != 0 {
            let e = io::Error::last_os_error();
            return Err(prog.fail_errno("sigprocmask restore failed", &e));
        }
    }
    Ok(())
}

/// The hint util-linux lacks (#3851): shown only to a person (stderr is a
/// terminal) who is not root and was refused.
fn unshare_failed(prog: &Prog, c: &Config, e: &io::Error) -> Failure {
    prog.warn("unshare failed", e);
    let tty = rustix::termios::isatty(rustix::stdio::stderr());
    if e.raw_os_error() == Some(libc::EPERM) && euid() != 0 && tty && !c.kinds.contains(Kinds::USER)
    {
        prog.warnx(
            "hint: unprivileged users can add -r/--map-root-user to create a user namespace first",
        );
    }
    Failure(1)
}

fn run(prog: &Prog, c: &Config) -> Result<i32, Failure> {
    // SAFETY: resetting a disposition to the default is always sound; an
    // inherited SIG_IGN for SIGCHLD would make waitpid fail.
    unsafe { libc::signal(libc::SIGCHLD, libc::SIG_DFL) };

    let parent = std::process::id();
    // The files are bound by an agent that stays outside the new
    // namespaces (after unshare(2) of a mount or user namespace we could no
    // longer mount into the original mount namespace) and that unmounts
    // them again if a later step fails (see unshare_persist.rs).
    let mut agent = match c.persist.is_empty() {
        true => None,
        false => Some(persist_agent::Agent::spawn(
            prog,
            || bind_persistent(prog, c, parent),
            |target| {
                let _ = persist::release(target);
            },
        )?),
    };

    // Range maps must be written from outside the new user namespace (by
    // root directly, otherwise by the setuid newuidmap/newgidmap).
    let (user_map, group_map) = helper_maps(c);
    let map_helper = if user_map.is_some() || group_map.is_some() {
        Some(Helper::spawn(prog, || {
            for (kind, map) in [(IdKind::Uid, &user_map), (IdKind::Gid, &group_map)] {
                if let Some(map) = map {
                    let status = apply_map(prog, kind, parent, map);
                    if status != 0 {
                        return status;
                    }
                }
            }
            0
        })?)
    } else {
        None
    };

    // --owner: the user namespace is owned by whoever creates it.
    if let Some((uid, gid)) = c.owner {
        set_groups_gid(prog, gid)?;
        setuid(prog, uid)?;
    }

    ns::unshare(c.kinds).map_err(|e| unshare_failed(prog, c, &e))?;

    if let Some(helper) = map_helper {
        helper.finish(prog)?;
    }

    // Offsets must be set before any process enters the time namespace.
    for (clock, offset) in [
        (Clock::Boottime, c.boottime),
        (Clock::Monotonic, c.monotonic),
    ] {
        if let Some(seconds) = offset {
            timens::set_offset(clock, seconds).map_err(|e| match e {
                idmap::ProcWriteError::Open(e) => {
                    prog.fail_errno("failed to open /proc/self/timens_offsets", &e)
                }
                idmap::ProcWriteError::Write(e) => {
                    prog.fail_errno("failed to write to /proc/self/timens_offsets", &e)
                }
            })?;
        }
    }

    let mut child = None;
    if c.fork {
        let old_mask = prepare_parent_signals(prog, c.forward_signals)?;
        // A pidfd of the parent, opened before the fork, lets the child
        // check that the parent it set PDEATHSIG for is still there.
        let parent_fd = match c.kill_child {
            Some(_) => Some(
                rustix::process::pidfd_open(
                    rustix::process::getpid(),
                    rustix::process::PidfdFlags::empty(),
                )
                .map_err(|e| prog.fail_errno("pidfd_open failed", &e.into()))?,
            ),
            None => None,
        };
        match exec::fork() {
            Err(e) => return Err(prog.fail_errno("fork failed", &e)),
            Ok(Some(pid)) => {
                CHILD_PID.store(pid, AtomicOrdering::Relaxed);
                child = Some(pid);
                if let Some(agent) = agent.as_mut() {
                    agent.leave_verdict_to_child();
                }
                if c.forward_signals {
                    // SAFETY: old_mask was filled by sigprocmask.
                    unsafe {
                        libc::sigprocmask(libc::SIG_SETMASK, &old_mask, std::ptr::null_mut())
                    };
                }
            }
            Ok(None) => {
                if let Some(agent) = agent.as_mut() {
                    agent.leave_binding_to_parent();
                }
                let ready = restore_child_signals(prog, c.forward_signals, &old_mask).and_then(
                    |()| match (c.kill_child, parent_fd) {
                        (Some(signal), Some(fd)) => die_with_parent(prog, signal, fd),
                        _ => Ok(()),
                    },
                );
                if let Err(failure) = ready {
                    return Err(undo_persistence(agent, failure));
                }
            }
        }
    }

    // Persistence runs in the parent (or the only process); with --fork the
    // child exists now, so pid_for_children is populated.
    if let (Some(agent), true) = (agent.as_mut(), child.is_some() || !c.fork) {
        if let Err(failure) = agent.bind() {
            // Do not leave the program running unsupervised.
            if let Some(pid) = child {
                // SAFETY: kill/waitpid on our own child.
                unsafe { libc::kill(pid, libc::SIGKILL) };
                let _ = exec::wait_child(pid, false);
            }
            return Err(failure);
        }
    }

    if let Some(pid) = child {
        return Ok(exec::finish_like_child(prog, exec::wait_child(pid, false)));
    }
    // Returns only on failure: the program never ran, so no namespace stays
    // bound to a file.
    Err(undo_persistence(agent, setup_and_exec(prog, c)))
}

/// A step after binding failed in the process that was to run the program:
/// the agent (if any) unmounts the files again before we exit.
fn undo_persistence(agent: Option<persist_agent::Agent>, failure: Failure) -> Failure {
    if let Some(agent) = agent {
        agent.undo();
    }
    failure
}

/// `--kill-child`: die by `signal` when the parent dies, and give up at once
/// if it already has (we may have been re-parented before the prctl).
fn die_with_parent(prog: &Prog, signal: i32, parent: OwnedFd) -> Result<(), Failure> {
    // SAFETY: PR_SET_PDEATHSIG takes a signal number.
    if unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, signal as libc::c_ulong) } < 0 {
        return Err(prog.fail_errno("prctl failed", &io::Error::last_os_error()));
    }
    let mut fds = [rustix::event::PollFd::new(
        &parent,
        rustix::event::PollFlags::IN,
    )];
    let zero = rustix::event::Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    match rustix::event::poll(&mut fds, Some(&zero)) {
        Err(e) => Err(prog.fail_errno("poll parent pidfd failed", &e.into())),
        Ok(0) => Ok(()),
        Ok(_) => Err(Failure(1)),
    }
}

fn set_groups_gid(prog: &Prog, gid: u32) -> Result<(), Failure> {
    // SAFETY: setgroups with an empty list reads no memory.
    if unsafe { libc::setgroups(0, std::ptr::null()) } != 0 {
        return Err(prog.fail_errno("setgroups failed", &io::Error::last_os_error()));
    }
    // SAFETY: plain syscall.
    if unsafe { libc::setgid(gid) } != 0 {
        return Err(prog.fail_errno("setgid() failed", &io::Error::last_os_error()));
    }
    Ok(())
}

fn setuid(prog: &Prog, uid: u32) -> Result<(), Failure> {
    // SAFETY: plain syscall (the libc wrapper applies it to every thread;
    // we have one).
    if unsafe { libc::setuid(uid) } != 0 {
        return Err(prog.fail_errno("setuid() failed", &io::Error::last_os_error()));
    }
    Ok(())
}

fn proc_write(
    prog: &Prog,
    r: Result<(), idmap::ProcWriteError>,
    path: &str,
) -> Result<(), Failure> {
    match r {
        Ok(()) => Ok(()),
        Err(idmap::ProcWriteError::Open(e)) => {
            Err(prog.fail_errno(format_args!("cannot open {path}"), &e))
        }
        Err(idmap::ProcWriteError::Write(e)) => {
            Err(prog.fail_errno(format_args!("write failed {path}"), &e))
        }
    }
}

fn mount_fs(prog: &Prog, fstype: &str, target: &OsStr, data: Option<&str>) -> Result<(), Failure> {
    use rustix::mount::{mount, MountFlags};
    let flags = MountFlags::NOSUID | MountFlags::NODEV | MountFlags::NOEXEC;
    let data = data.map(|d| std::ffi::CString::new(d).unwrap_or_default());
    mount(fstype, Path::new(target), fstype, flags, data.as_deref()).map_err(|e| {
        prog.fail_errno(
            format_args!("mount {} failed", crate::report::shown(target)),
            &e.into(),
        )
    })
}

/// The last steps, in the process that runs the program. Returns only on
/// failure.
fn setup_and_exec(prog: &Prog, c: &Config) -> Failure {
    match setup(prog, c) {
        Err(failure) => failure,
        Ok(()) if c.program.is_empty() => exec::exec_shell(prog),
        Ok(()) => exec::exec_program(prog, &c.program),
    }
}

fn setup(prog: &Prog, c: &Config) -> Result<(), Failure> {
    let (uid, gid) = (c.euid, c.egid);
    if let Some(inner) = single_user_map(c) {
        let text = format!("{inner} {uid} 1");
        proc_write(
            prog,
            idmap::write_map(None, IdKind::Uid, &text),
            "/proc/self/uid_map",
        )?;
    }
    // Since Linux 3.19 an unprivileged process may write its gid map only
    // after denying setgroups(2) in the namespace for good.
    if let Some(inner) = single_group_map(c) {
        proc_write(
            prog,
            idmap::write_setgroups(None, Setgroups::Deny).map(|_| ()),
            "/proc/self/setgroups",
        )?;
        let text = format!("{inner} {gid} 1");
        proc_write(
            prog,
            idmap::write_map(None, IdKind::Gid, &text),
            "/proc/self/gid_map",
        )?;
    }
    if let Some(value) = c.setgroups {
        proc_write(
            prog,
            idmap::write_setgroups(None, value).map(|_| ()),
            "/proc/self/setgroups",
        )?;
    }
    if c.kinds.contains(Kinds::MOUNT) && c.propagation != 0 {
        let flags = rustix::mount::MountPropagationFlags::from_bits_retain(c.propagation as _);
        rustix::mount::mount_change("/", flags)
            .map_err(|e| prog.fail_errno("cannot change root filesystem propagation", &e.into()))?;
    }
    let fixed_interp = c.load_interp.as_ref().filter(|i| is_fixed(i));
    if let (Some(interp), Some(_)) = (fixed_interp, &c.root) {
        // An interpreter with flag F is opened now, so it must be
        // registered before the chroot hides it.
        mount_fs(prog, "binfmt_misc", OsStr::new(DEFAULT_BINFMT), None)?;
        load_interp(prog, OsStr::new(DEFAULT_BINFMT), interp)?;
    }
    let mut wd = c.wd.clone();
    if let Some(root) = &c.root {
        rustix::process::chroot(Path::new(root)).map_err(|e| {
            prog.fail_errno(
                format_args!(
                    "cannot change root directory to '{}'",
                    crate::report::shown(root)
                ),
                &e.into(),
            )
        })?;
        wd.get_or_insert_with(|| "/".into());
    }
    if let Some(dir) = &wd {
        std::env::set_current_dir(dir).map_err(|e| {
            prog.fail_errno(
                format_args!("cannot change directory to {}", crate::report::shown(dir)),
                &e,
            )
        })?;
    }
    if let Some(dir) = &c.mount_proc {
        if c.root.is_none() && c.propagation != (MS_REC | MS_PRIVATE) {
            // A proc that is not a mount point gives EINVAL: fine (#648).
            let private =
                rustix::mount::MountPropagationFlags::from_bits_retain((MS_REC | MS_PRIVATE) as _);
            if let Err(e) = rustix::mount::mount_change(Path::new(dir), private) {
                if e != rustix::io::Errno::INVAL {
                    return Err(prog.fail_errno(
                        format_args!(
                            "cannot change {} filesystem propagation",
                            crate::report::shown(dir)
                        ),
                        &e.into(),
                    ));
                }
            }
        }
        mount_fs(prog, "proc", dir, None)?;
    }
    // nsipc: the IPC namespace exists now, so this mqueue mount shows its
    // queues (mounted earlier it would show the caller's).
    if let Some(dir) = &c.mount_mqueue {
        mount_fs(prog, "mqueue", dir, None)?;
    }
    if let Some(dir) = &c.mount_shm {
        mount_fs(prog, "tmpfs", dir, Some("mode=1777"))?;
    }
    if let Some(dir) = &c.mount_binfmt {
        mount_fs(prog, "binfmt_misc", dir, None)?;
    }
    if let (Some(interp), Some(dir)) = (&c.load_interp, &c.mount_binfmt) {
        if !(is_fixed(interp) && c.root.is_some()) {
            load_interp(prog, dir, interp)?;
        }
    }
    if let Some(name) = &c.hostname {
        rustix::system::sethostname(name.as_bytes())
            .map_err(|e| prog.fail_errno("sethostname failed", &e.into()))?;
    }
    if let Some(name) = &c.domainname {
        rustix::system::setdomainname(name.as_bytes())
            .map_err(|e| prog.fail_errno("setdomainname failed", &e.into()))?;
    }
    if let Some(gid) = c.setgid {
        set_groups_gid(prog, gid)?;
    }
    if let Some(uid) = c.setuid {
        setuid(prog, uid)?;
    }
    if c.keep_caps && c.kinds.contains(Kinds::USER) {
        exec::keep_caps(prog)?;
    }
    if c.clear_env || c.whitelist.is_some() {
        let names: Vec<OsString> = std::env::vars_os().map(|(k, _)| k).collect();
        for name in names {
            std::env::remove_var(name);
        }
        // Last listed first, as util-linux (which prepends each name to its
        // list, then sets the list front to back): `--whitelist-env=A,B env`
        // prints B before A.
        for (name, value) in c.whitelist.iter().flatten().rev() {
            std::env::set_var(name, value);
        }
    }
    Ok(())
}

/// A binfmt_misc rule with flag `F` (the interpreter is opened at
/// registration): its last `:` field holds the flags.
fn is_fixed(interp: &OsStr) -> bool {
    let bytes = interp.as_bytes();
    bytes
        .iter()
        .rposition(|&b| b == b':')
        .is_some_and(|i| bytes[i..].contains(&b'F'))
}

fn load_interp(prog: &Prog, dir: &OsStr, interp: &OsStr) -> Result<(), Failure> {
    let dir_text = crate::report::shown(dir);
    let register: PathBuf = Path::new(dir).join("register");
    if !Path::new(dir).is_dir() {
        let e = io::Error::from_raw_os_error(libc::ENOTDIR);
        let e = std::fs::metadata(dir).err().unwrap_or(e);
        return Err(prog.fail_errno(format_args!("cannot open {dir_text}"), &e));
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(&register)
        .map_err(|e| prog.fail_errno(format_args!("cannot open {dir_text}/register"), &e))?;
    file.write_all(interp.as_bytes())
        .map_err(|e| prog.fail_errno(format_args!("write failed {dir_text}/register"), &e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signal_names() {
        assert_eq!(parse_signal_name("KILL"), Some(libc::SIGKILL));
        assert_eq!(parse_signal_name("sigterm"), Some(libc::SIGTERM));
        assert_eq!(parse_signal_name("SigUsr1"), Some(libc::SIGUSR1));
        assert_eq!(parse_signal_name("rtmin+1"), Some(libc::SIGRTMIN() + 1));
        assert_eq!(parse_signal_name("RTMAX-0"), Some(libc::SIGRTMAX()));
        assert_eq!(parse_signal_name("RTMIN+99"), None);
        assert_eq!(parse_signal_name("10"), None);
        assert_eq!(parse_signal_name(""), None);
        assert_eq!(parse_signal_name("SIG"), None);
        assert_eq!(parse_signal_name("RT"), None);
        assert_eq!(parse_signal_name("é"), None);
        assert_eq!(parse_signal_name("SIé"), None);
    }

    #[test]
    fn fixed_interpreters() {
        assert!(is_fixed(OsStr::new(":qemu:M::\\x7fELF::/usr/bin/qemu:OCF")));
        assert!(!is_fixed(OsStr::new(":qemu:M::\\x7fELF::/usr/bin/qemu:OC")));
        assert!(!is_fixed(OsStr::new("noflags")));
    }

    #[test]
    fn propagation_values() {
        assert_eq!(parse_propagation("unchanged"), Some(0));
        assert_eq!(parse_propagation("private"), Some(MS_REC | MS_PRIVATE));
        assert_eq!(parse_propagation("Private"), None);
    }
}
