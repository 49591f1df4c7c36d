//! `unshare`: run a program in new namespaces.
//!
//! Two stages, as everywhere in nsipc: [`parse`] turns the command line into
//! a validated [`Config`] (every usage error is found there, before any
//! namespace, mount or helper process exists), then [`run`] performs
//! util-linux master's order of operations (see docs/unshare.md):
//! helpers, `--owner`, unshare(2), id maps, time offsets, fork, persistence,
//! then in the process that execs: maps, setgroups, propagation, chroot,
//! mounts, names, credentials, capabilities, environment, exec.

use std::ffi::OsString;
use std::io;
use std::os::fd::OwnedFd;

mod config;
mod helper;
mod persist_agent;
mod setup;
#[cfg(test)]
mod tests;

pub use config::Config;

use nsipc::ns::idmap::{self, IdKind, PendingRange};

use super::unshare_maps::{parse_map_spec, MapSpec};
use nsipc::ns::time::{self as timens, Clock};
use nsipc::ns::{self, persist, Kinds};

use crate::exec;
use crate::numparse::{self, NumError};
use crate::report::{Failure, Prog};
use crate::signals::{self, SigSet};
use config::{helper_maps, parse, Parsed, MS_PRIVATE, MS_REC};
use helper::{apply_map, bind_persistent, Helper};
use setup::{set_groups_gid, setuid, setup_and_exec};

pub use super::unshare_opts::{Id, SPEC};

const DEFAULT_PROC: &str = "/proc";
const DEFAULT_BINFMT: &str = "/proc/sys/fs/binfmt_misc";
const DEFAULT_MQUEUE: &str = "/dev/mqueue";
const DEFAULT_SHM: &str = "/dev/shm";

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

pub fn parse_propagation(s: &str) -> Option<u64> {
    Some(match s {
        "slave" => MS_REC | libc::MS_SLAVE,
        "private" => MS_REC | MS_PRIVATE,
        "shared" => MS_REC | libc::MS_SHARED,
        "unchanged" => 0,
        _ => return None,
    })
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
    lookup_id(prog, s, "uid", crate::names::uid_by_name)
}

fn lookup_group(prog: &Prog, s: &str) -> Result<u32, Failure> {
    lookup_id(prog, s, "gid", crate::names::gid_by_name)
}

fn lookup_id(
    prog: &Prog,
    s: &str,
    what: &str,
    by_name: impl Fn(&str) -> Result<Option<u32>, i32>,
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
            Err(errno) => Err(fail(errno)),
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
    let user = crate::names::passwd(uid)
        .map(|p| String::from_utf8_lossy(&p.name).into_owned())
        .ok_or_else(|| prog.fail(format_args!("you (user {uid}) don't exist.")))?;
    let path = kind.subid_file();
    let file = idmap::SubIdFile::read(path)
        .map_err(|e| prog.fail_errno(format_args!("could not open '{path}'"), &e))?;
    match idmap::find_subid_range(&file.content, &user, uid) {
        Ok(Some(line)) => Ok(PendingRange {
            inner: identity.then_some(line.start),
            outer: line.start,
            count: line.count,
        }),
        Ok(None) => Err(prog.fail(format_args!("no line matching user \"{user}\" in {path}"))),
        Err(idmap::SubIdError::BadNumber) => Err(prog.fail("failed to parse subid map")),
    }
}

/// How the parent treats SIGINT and SIGTERM while it waits: blocked (they
/// stay pending, so the parent outlives the child and reports its status),
/// or forwarded to the child. Both are blocked across the fork in either
/// case: a signal arriving before the parent knows the child's pid would
/// otherwise be lost (util-linux has that window); with forwarding the
/// parent unblocks them once the pid is stored.
fn prepare_parent_signals(prog: &Prog, forward: bool) -> Result<SigSet, Failure> {
    if forward {
        for (signal, name) in [(libc::SIGTERM, "SIGTERM"), (libc::SIGINT, "SIGINT")] {
            signals::forward(signal)
                .map_err(|e| prog.fail_errno(format_args!("sigaction {name} failed"), &e))?;
        }
    }
    let set = SigSet::empty().with(libc::SIGINT).with(libc::SIGTERM);
    signals::block(&set).map_err(|e| prog.fail_errno("sigprocmask block failed", &e))
}

fn restore_child_signals(prog: &Prog, forward: bool, old: &SigSet) -> Result<(), Failure> {
    if forward {
        signals::set_default(libc::SIGTERM);
        signals::set_default(libc::SIGINT);
    }
    signals::set_mask(old).map_err(|e| prog.fail_errno("sigprocmask restore failed", &e))
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
    // An inherited SIG_IGN for SIGCHLD would make waitpid fail.
    signals::set_default(libc::SIGCHLD);

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
                signals::forward_to(pid);
                child = Some(pid);
                if let Some(agent) = agent.as_mut() {
                    agent.leave_verdict_to_child();
                }
                if c.forward_signals {
                    let _ = signals::set_mask(&old_mask);
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
                signals::kill(pid, libc::SIGKILL);
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
