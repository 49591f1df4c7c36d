//! [`Target`]: the process whose namespaces are joined, held by a pidfd,
//! and its `/proc/PID` directory, checked against that pidfd.

use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};

use rustix::fs::{Mode, OFlags, CWD};
use rustix::process::PidfdGetfdFlags;

use crate::Pid;

/// The magic number of pidfs, the filesystem of pidfds since Linux 6.9.
const PIDFS_MAGIC: i64 = 0x5049_4446;

/// A process whose namespaces and `/proc` files are used.
///
/// The pidfd pins the process: `setns` through it joins exactly that
/// process, even if its PID has been reused meanwhile. Files under
/// `/proc/PID` are opened relative to one directory fd, and that directory
/// is checked against the pidfd once, right after it is opened (see
/// `check_proc_is_pidfds`): the `/proc` it was opened in must number the
/// pidfd's process PID, and that process must not be reaped yet — while it
/// is not, its PID cannot be reused, so the directory belongs to it. Later
/// opens through the directory fd fail (ESRCH/ENOENT) rather than reach
/// another process. A `/proc` of another PID namespace (a container's,
/// or the host's seen from `unshare --pid` without `--mount-proc`) is
/// refused with [`ForeignProc`].
///
/// # Examples
///
/// ```
/// use nsipc::ns::enter::Target;
/// let mut target = Target::new(std::process::id() as nsipc::Pid);
/// let pidfd = target.open_pidfd()?;
/// # let _ = pidfd;
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # References
/// - [pidfd_open(2)](https://man7.org/linux/man-pages/man2/pidfd_open.2.html)
/// - [pidfd_getfd(2)](https://man7.org/linux/man-pages/man2/pidfd_getfd.2.html)
/// - [proc(5)](https://man7.org/linux/man-pages/man5/proc.5.html)
pub struct Target {
    pid: Pid,
    pidfd: Option<OwnedFd>,
    proc_dir: Option<Result<OwnedFd, ProcDirError>>,
}

/// `/proc` is mounted for another PID namespace than the one the target's
/// PID was given in: `/proc/PID` is some other process, or none.
#[derive(Debug, thiserror::Error)]
#[error("/proc does not belong to the target's PID namespace")]
pub struct ForeignProc;

/// Whether `e` is a [`ForeignProc`] refusal (as returned by
/// [`Target::open_proc`] and [`Target::stat_proc`]).
pub fn is_foreign_proc(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<ForeignProc>())
}

/// Why the `/proc/PID` directory is not available (kept, so every later
/// use reports the same cause).
#[derive(Clone, Copy, Debug)]
enum ProcDirError {
    Errno(i32),
    Foreign,
}

impl From<ProcDirError> for io::Error {
    fn from(e: ProcDirError) -> io::Error {
        match e {
            ProcDirError::Errno(errno) => io::Error::from_raw_os_error(errno),
            ProcDirError::Foreign => io::Error::other(ForeignProc),
        }
    }
}

impl Target {
    /// The process `pid`; nothing is opened yet.
    pub fn new(pid: Pid) -> Target {
        Target {
            pid,
            pidfd: None,
            proc_dir: None,
        }
    }

    /// The process `pid`, which must be the one whose pidfs inode is
    /// `inode` (`nsenter -t PID:INODE`). ESRCH if it is not; ENOTSUP when
    /// pidfds are not on pidfs (before Linux 6.9), so inodes mean nothing.
    pub fn with_inode(pid: Pid, inode: u64) -> io::Result<Target> {
        let pidfd = crate::procfs::pidfd_open(pid)?;
        let fs = rustix::fs::fstatfs(&pidfd)?;
        if fs.f_type as i64 != PIDFS_MAGIC {
            return Err(io::Error::from_raw_os_error(libc::ENOTSUP));
        }
        if rustix::fs::fstat(&pidfd)?.st_ino != inode {
            return Err(io::Error::from_raw_os_error(libc::ESRCH));
        }
        Ok(Target {
            pid,
            pidfd: Some(pidfd),
            proc_dir: None,
        })
    }

    /// The process id given.
    pub fn pid(&self) -> i32 {
        self.pid
    }

    /// Opens the pidfd unless already open. Errors (no such process, a
    /// kernel without pidfd_open) leave the target without one.
    pub fn open_pidfd(&mut self) -> io::Result<BorrowedFd<'_>> {
        if self.pidfd.is_none() {
            self.pidfd = Some(crate::procfs::pidfd_open(self.pid)?);
        }
        match &self.pidfd {
            Some(fd) => Ok(fd.as_fd()),
            None => Err(io::Error::from_raw_os_error(libc::EBADF)),
        }
    }

    /// The pidfd, if opened.
    pub fn pidfd(&self) -> Option<BorrowedFd<'_>> {
        self.pidfd.as_ref().map(|fd| fd.as_fd())
    }

    /// Gives up the pidfd (to a [`Joiner`](super::Joiner)).
    pub fn take_pidfd(&mut self) -> Option<OwnedFd> {
        self.pidfd.take()
    }

    /// `/proc/PID/<rel>` as text, for messages.
    pub fn proc_path(&self, rel: &str) -> String {
        format!("/proc/{}/{rel}", self.pid)
    }

    /// Opens `/proc/PID/<rel>` (read-only, close-on-exec) through the
    /// checked `/proc/PID` directory. `rel` empty opens the directory itself.
    pub fn open_proc(&mut self, rel: &str) -> io::Result<OwnedFd> {
        let dir = self.proc_dir()?;
        let path = if rel.is_empty() { "." } else { rel };
        let fd = rustix::fs::openat(dir, path, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())?;
        Ok(fd)
    }

    /// The device and inode of `/proc/PID/<rel>` (`fstatat` through the
    /// checked directory): for `ns/<name>`, the identity of the target's
    /// namespace.
    pub fn stat_proc(&mut self, rel: &str) -> io::Result<crate::ns::NsId> {
        let dir = self.proc_dir()?;
        let path = if rel.is_empty() { "." } else { rel };
        let st = rustix::fs::statat(dir, path, rustix::fs::AtFlags::empty())?;
        Ok(crate::ns::NsId {
            dev: st.st_dev,
            ino: st.st_ino,
        })
    }

    fn proc_dir(&mut self) -> io::Result<BorrowedFd<'_>> {
        if self.proc_dir.is_none() {
            let opened = self.open_proc_dir().map_err(|e| {
                if is_foreign_proc(&e) {
                    ProcDirError::Foreign
                } else {
                    ProcDirError::Errno(e.raw_os_error().unwrap_or(libc::EIO))
                }
            });
            self.proc_dir = Some(opened);
        }
        match &self.proc_dir {
            Some(Ok(fd)) => Ok(fd.as_fd()),
            Some(Err(e)) => Err((*e).into()),
            None => Err(io::Error::from_raw_os_error(libc::EIO)),
        }
    }

    /// Opens `/proc` once, then `PID` in it, then proves through that same
    /// `/proc` that the directory is the target's.
    fn open_proc_dir(&self) -> io::Result<OwnedFd> {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let proc = rustix::fs::openat(CWD, "/proc", flags, Mode::empty())?;
        let dir = rustix::fs::openat(&proc, self.pid.to_string(), flags, Mode::empty())?;
        match &self.pidfd {
            Some(pidfd) => check_proc_is_pidfds(proc.as_fd(), pidfd.as_fd(), self.pid)?,
            // No pidfd (a kernel without pidfd_open, or PID is not a
            // process leader): at least /proc must be our PID namespace's,
            // where the PID was given.
            None => check_proc_is_ours(proc.as_fd())?,
        }
        Ok(dir)
    }

    /// `pidfd_getfd`: a duplicate of the target's file descriptor `fd`.
    pub fn get_fd(&mut self, fd: RawFd) -> io::Result<OwnedFd> {
        let pidfd = self.open_pidfd()?;
        rustix::process::pidfd_getfd(pidfd, fd, PidfdGetfdFlags::empty()).map_err(io::Error::from)
    }
}

/// Proves that `/proc/PID` in `proc` is the process `pidfd` refers to.
///
/// The `Pid:` line of a pidfd's fdinfo is that process's PID *in the PID
/// namespace of the procfs instance the fdinfo file is read from* (`-1`
/// once it has been reaped, `0` if it has no PID there: kernel/pid.c,
/// `pidfd_show_fdinfo`). So `proc/self/fdinfo/<pidfd>` read through the
/// same `proc` dirfd as `/proc/PID` says PID exactly when that directory
/// names the pidfd's process; and a process that is not reaped keeps its
/// PID, so it is the one whose directory was opened just before. A `/proc`
/// in which we ourselves have no PID has no `self`: refused too. Kernels
/// before 5.10 print no `Pid:` line; there `/proc` must be our own PID
/// namespace's ([`check_proc_is_ours`]) and the process alive.
fn check_proc_is_pidfds(proc: BorrowedFd<'_>, pidfd: BorrowedFd<'_>, pid: Pid) -> io::Result<()> {
    let path = format!("self/fdinfo/{}", pidfd.as_raw_fd());
    let fdinfo = match read_small(proc, &path) {
        Ok(text) => text,
        Err(e) if e.raw_os_error() == Some(libc::ENOENT) => {
            return Err(io::Error::other(ForeignProc))
        }
        Err(e) => return Err(e),
    };
    match field(&fdinfo, b"Pid:").as_deref() {
        Some([number]) => match parse_i64(number) {
            Some(-1) => Err(io::Error::from_raw_os_error(libc::ESRCH)),
            Some(n) if n == i64::from(pid) => Ok(()),
            _ => Err(io::Error::other(ForeignProc)),
        },
        Some(_) => Err(io::Error::other(ForeignProc)),
        None => {
            check_proc_is_ours(proc)?;
            // Still alive (or a zombie) now that the directory is open:
            // the PID has not been reused. EPERM also means it exists.
            match pidfd_alive(pidfd) {
                Ok(()) => Ok(()),
                Err(e) if e.raw_os_error() == Some(libc::EPERM) => Ok(()),
                Err(_) => Err(io::Error::from_raw_os_error(libc::ESRCH)),
            }
        }
    }
}

/// Proves that `proc` is the procfs of our own PID namespace: there our
/// `NStgid:` (our PID in each namespace from the procfs's down to ours) is
/// exactly one number, the one `getpid` gives. Refuses a `/proc` where we
/// have no PID (`self` missing) or more than one (an ancestor's).
fn check_proc_is_ours(proc: BorrowedFd<'_>) -> io::Result<()> {
    let status = match read_small(proc, "self/status") {
        Ok(text) => text,
        Err(e) if e.raw_os_error() == Some(libc::ENOENT) => {
            return Err(io::Error::other(ForeignProc))
        }
        Err(e) => return Err(e),
    };
    let me = i64::from(rustix::process::getpid().as_raw_nonzero().get());
    match field(&status, b"NStgid:").as_deref() {
        Some([number]) if parse_i64(number) == Some(me) => Ok(()),
        _ => Err(io::Error::other(ForeignProc)),
    }
}

/// Reads a small `/proc` file relative to `dir` (at most 64 KiB).
fn read_small(dir: BorrowedFd<'_>, path: &str) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let fd = rustix::fs::openat(dir, path, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())?;
    let mut text = Vec::new();
    std::fs::File::from(fd)
        .take(64 * 1024)
        .read_to_end(&mut text)?;
    Ok(text)
}

/// The whitespace-separated values of the first line starting with `name`.
fn field<'a>(text: &'a [u8], name: &[u8]) -> Option<Vec<&'a [u8]>> {
    let line = text
        .split(|&b| b == b'\n')
        .find_map(|line| line.strip_prefix(name))?;
    Some(
        line.split(|b| b.is_ascii_whitespace())
            .filter(|w| !w.is_empty())
            .collect(),
    )
}

fn parse_i64(text: &[u8]) -> Option<i64> {
    std::str::from_utf8(text).ok()?.parse().ok()
}

/// `pidfd_send_signal(pidfd, 0)`: ESRCH once the process has been reaped.
/// (rustix's `Signal` cannot express the null signal.)
fn pidfd_alive(pidfd: BorrowedFd<'_>) -> io::Result<()> {
    // SAFETY: signal 0 with a NULL siginfo only checks existence and
    // permission; no memory is passed to the kernel.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_pidfd_send_signal,
            pidfd.as_raw_fd(),
            0,
            std::ptr::null::<libc::siginfo_t>(),
            0,
        )
    };
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ns::enter::setns_pidfd;
    use crate::ns::Kinds;

    #[test]
    fn proc_fields() {
        let fdinfo = b"pos:\t0\nflags:\t02000002\nPid:\t42\nNSpid:\t42\t7\n";
        assert_eq!(field(fdinfo, b"Pid:"), Some(vec![&b"42"[..]]));
        assert_eq!(field(fdinfo, b"NSpid:"), Some(vec![&b"42"[..], &b"7"[..]]));
        assert_eq!(field(fdinfo, b"Tgid:"), None);
        assert_eq!(parse_i64(b"-1"), Some(-1));
        assert_eq!(parse_i64(b"x"), None);
    }

    #[test]
    fn proc_is_checked_against_the_pidfd() {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let proc = rustix::fs::openat(CWD, "/proc", flags, Mode::empty()).unwrap();
        check_proc_is_ours(proc.as_fd()).unwrap();
        let mut child = std::process::Command::new("sleep")
            .arg("10")
            .spawn()
            .unwrap();
        let pid = child.id() as i32;
        let pidfd = crate::procfs::pidfd_open(pid).unwrap();
        check_proc_is_pidfds(proc.as_fd(), pidfd.as_fd(), pid).unwrap();
        // The right process under another number: another namespace's /proc.
        let err = check_proc_is_pidfds(proc.as_fd(), pidfd.as_fd(), pid + 1).unwrap_err();
        assert!(is_foreign_proc(&err), "{err}");
        child.kill().unwrap();
        child.wait().unwrap();
        let err = check_proc_is_pidfds(proc.as_fd(), pidfd.as_fd(), pid).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::ESRCH));
    }

    #[test]
    fn a_gone_target_is_never_entered() {
        let mut child = std::process::Command::new("sleep")
            .arg("10")
            .spawn()
            .unwrap();
        let mut target = Target::new(child.id() as i32);
        target.open_pidfd().unwrap();
        target.open_proc("cmdline").unwrap();
        child.kill().unwrap();
        child.wait().unwrap();
        // The pidfd still names the reaped process: joining through it
        // fails instead of reaching whatever gets the PID next.
        let pidfd = target.pidfd().unwrap();
        let err = setns_pidfd(pidfd, Kinds::UTS).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::ESRCH));
        // And /proc files come from the directory opened while it lived.
        assert!(target.open_proc("environ").is_err());
        assert!(target.stat_proc("ns/uts").is_err());
    }
}
