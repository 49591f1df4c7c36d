//! Opening what is to be entered: namespace files of the target, the cgroup,
//! the namespace of a socket or a parent user namespace.

use super::config::Options;
use crate::report::{Failure, Prog};
use nsipc::ns::enter::{self, Target};
use nsipc::ns::{Kind, Namespace};
use rustix::fs::{Mode, OFlags, CWD};
use std::ffi::OsStr;
use std::io::{self, Read};
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;

pub(super) fn ns_name(kind: Kind) -> String {
    format!("ns/{}", kind.proc_name())
}

/// Opens `/proc/PID/<rel>` of the target, with util-linux's messages.
pub(super) fn open_target(
    prog: &Prog,
    target: Option<&mut Target>,
    rel: &str,
) -> Result<OwnedFd, Failure> {
    let Some(target) = target else {
        return Err(prog.fail(format_args!(
            "neither filename nor target pid supplied for {rel}"
        )));
    };
    target.open_proc(rel).map_err(|e| {
        proc_failure(
            prog,
            format_args!("cannot open {}", target.proc_path(rel)),
            &e,
        )
    })
}

/// A `/proc/PID` file could not be used: util-linux's message with the
/// errno, or — when `/proc` is another PID namespace's, so that `/proc/PID`
/// is not the target (util-linux would read another process's files) —
/// a refusal that says so.
pub(super) fn proc_failure(prog: &Prog, msg: std::fmt::Arguments<'_>, e: &io::Error) -> Failure {
    if enter::is_foreign_proc(e) {
        prog.fail(format_args!("{}", enter::ForeignProc))
    } else {
        prog.fail_errno(msg, e)
    }
}

/// `-a`: every namespace type this kernel has, except a user namespace the
/// caller is already in (setns would refuse it). Needs `-t`: util-linux
/// master instead stats `/proc/0/ns/user`.
pub(super) fn enable_all(prog: &Prog, o: &mut Options) -> Result<(), Failure> {
    let Some(target) = o.target.as_mut() else {
        return Err(prog.fail("no target PID specified for --all"));
    };
    for kind in enter::ENTRY_ORDER {
        if o.enabled.contains(kind.into()) {
            continue;
        }
        // As util-linux master: only ENOENT (the kernel lacks this type, or
        // there is no /proc) leaves a namespace out; any other failure to
        // look at our own does not, so that joining it reports the real
        // error instead of a bare "no namespace specified".
        let mine = match rustix::fs::stat(format!("/proc/self/ns/{}", kind.proc_name())) {
            Ok(st) => Some(st),
            Err(rustix::io::Errno::NOENT) => continue,
            Err(_) => None,
        };
        if kind == Kind::User {
            let rel = ns_name(kind);
            let theirs = target.stat_proc(&rel).map_err(|e| {
                proc_failure(
                    prog,
                    format_args!("stat of {} failed", target.proc_path(&rel)),
                    &e,
                )
            })?;
            if mine.is_some_and(|m| theirs.ino == m.st_ino && theirs.dev == m.st_dev) {
                continue;
            }
        }
        o.enabled.insert(kind.into());
    }
    Ok(())
}

pub(super) const CGROUP_ROOT: &str = "/sys/fs/cgroup";

/// `--join-cgroup`: opens the target's `cgroup.procs` for writing. The fd is
/// close-on-exec and is closed right after our PID is written into it, before
/// credentials are dropped. util-linux master opens it without `O_CLOEXEC`
/// and never closes it; kept open across exec, the descriptor opened with
/// root's credentials would let the program move processes into the cgroup.
pub(super) fn open_cgroup_procs(
    prog: &Prog,
    target: Option<&mut Target>,
) -> Result<OwnedFd, Failure> {
    let fs = rustix::fs::statfs(CGROUP_ROOT).map_err(|e| {
        prog.fail_errno(
            format_args!("statfs {CGROUP_ROOT} failed"),
            &io::Error::from(e),
        )
    })?;
    const CGROUP2_SUPER_MAGIC: i64 = 0x6367_7270;
    if fs.f_type as i64 != CGROUP2_SUPER_MAGIC {
        return Err(prog.fail("--join-cgroup is only supported in cgroup v2"));
    }
    let fd = open_target(prog, target, "cgroup")?;
    let mut text = Vec::new();
    let read = std::fs::File::from(fd)
        .take(64 * 1024)
        .read_to_end(&mut text);
    let path = read.ok().and_then(|_| cgroup_path(&text)).ok_or_else(|| {
        prog.fail_errno(
            "failed to get cgroup path",
            &io::Error::from_raw_os_error(libc::EINVAL),
        )
    })?;
    let mut procs = Vec::from(CGROUP_ROOT.as_bytes());
    procs.push(b'/');
    procs.extend_from_slice(path);
    procs.extend_from_slice(b"/cgroup.procs");
    rustix::fs::openat(
        CWD,
        OsStr::from_bytes(&procs),
        OFlags::WRONLY | OFlags::APPEND | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| prog.fail_errno("failed to open cgroup.procs", &io::Error::from(e)))
}

/// The target's cgroup v2 path: the `0::PATH` line of `/proc/PID/cgroup`.
/// util-linux takes the last field of the first line, which is that line
/// on a pure cgroup v2 host but a v1 controller's path on a hybrid one
/// (cgroup2 mounted on /sys/fs/cgroup beside v1 hierarchies); we take the
/// first line only when there is no `0::` line, as util-linux would.
pub(super) fn cgroup_path(text: &[u8]) -> Option<&[u8]> {
    let mut lines = text.split(|&b| b == b'\n');
    if let Some(unified) = lines.clone().find_map(|l| l.strip_prefix(b"0::")) {
        return Some(unified);
    }
    let line = lines.next()?;
    let colon = line.iter().rposition(|&b| b == b':')?;
    Some(&line[colon + 1..])
}

/// `--user-parent`: the parent of the `-U` file's user namespace, else of
/// the target's.
pub(super) fn parent_user_namespace(
    prog: &Prog,
    o: &mut Options,
    use_pidfd: bool,
) -> Result<OwnedFd, Failure> {
    let parent = |fd: OwnedFd| {
        Namespace::from_fd(fd)
            .and_then(|ns| ns.owner())
            .map(OwnedFd::from)
            .map_err(|e| prog.fail_errno("failed to open parent namespace", &e))
    };
    if let Some(file) = o.files.take_file(Kind::User) {
        return parent(file);
    }
    let target = o
        .target
        .as_mut()
        .ok_or_else(|| prog.fail("no target PID specified"))?;
    if use_pidfd {
        if let Some(user) = target
            .pidfd()
            .and_then(|p| enter::target_user_namespace(p).ok())
        {
            return parent(user);
        }
    }
    let user = open_target(prog, Some(target), "ns/user")?;
    parent(user)
}

/// `-N FD`: the network namespace of the target's socket FD.
pub(super) fn socket_namespace(prog: &Prog, o: &mut Options, fd: i32) -> Result<OwnedFd, Failure> {
    let target = o
        .target
        .as_mut()
        .ok_or_else(|| prog.fail("no target PID specified"))?;
    let pid = target.pid();
    let pidfd = match target.open_pidfd() {
        Ok(p) => p.as_raw_fd(),
        Err(e) => return Err(prog.fail_errno(format_args!("failed to pidfd_open() for {pid}"), &e)),
    };
    let socket = target
        .get_fd(fd)
        .map_err(|e| prog.fail_errno(format_args!("pidfd_getfd({pidfd}, {fd})"), &e))?;
    let sk = socket.as_raw_fd();
    rustix::fs::fstat(&socket)
        .map_err(|e| prog.fail_errno(format_args!("fstat({sk})"), &io::Error::from(e)))?;
    enter::socket_net_namespace(socket.as_fd())
        .map_err(|e| prog.fail_errno(format_args!("ioctl({sk}, SIOCGSKNS)"), &e))
}

pub(super) fn selinux_enabled() -> bool {
    std::path::Path::new("/sys/fs/selinux/enforce").exists()
}
