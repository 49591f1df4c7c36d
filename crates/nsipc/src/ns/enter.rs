//! Joining existing namespaces: `setns(2)` by namespace file or by pidfd.
//!
//! - [`Target`]: the process whose namespaces are joined, held by a pidfd
//!   (so a reused PID can never be entered) and, for the files nsenter reads
//!   from `/proc/PID` (root, cwd, environ, cgroup), by a `/proc/PID`
//!   directory fd checked against that pidfd.
//! - [`ENTRY_ORDER`] and [`enter_in_order`]: the two-pass order in which
//!   namespaces are joined, as data plus a pure function over the [`Setns`]
//!   trait, so the rules are unit-tested without privileges.
//! - [`Joiner`]: the real [`Setns`], over a pidfd and namespace files.
//! - The pidfs and socket ioctls nsenter needs: [`target_user_namespace`],
//!   [`socket_net_namespace`] (the nsfs ones are on [`super::Namespace`]).

use crate::Pid;
use std::ffi::CStr;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};

use rustix::fs::{Mode, OFlags, CWD};
use rustix::process::{PidfdFlags, PidfdGetfdFlags};

use super::{Kind, Kinds};

/// The order namespaces are joined in.
///
/// The user namespace is first or last on purpose: a caller *gaining*
/// privilege (an unprivileged user entering a container it owns) must join
/// the user namespace first, because only inside it does it hold
/// CAP_SYS_ADMIN over the other namespaces; a caller *dropping* privilege
/// (root entering a container) must join it last, because once inside it
/// root no longer has CAP_SYS_ADMIN over the host-owned namespaces it still
/// has to leave. [`enter_in_order`] therefore makes two passes: everything but
/// the user namespace with errors ignored (works for the privileged caller),
/// then whatever is left with the user namespace first and errors fatal
/// (works for the unprivileged one). The mount namespace comes after pid and
/// net because joining it changes what `/proc` paths resolve to; time last
/// because it only affects children and execve. This is util-linux's order
/// (util-linux #315, #1510).
pub const ENTRY_ORDER: [Kind; 8] = [
    Kind::User,
    Kind::Cgroup,
    Kind::Ipc,
    Kind::Uts,
    Kind::Net,
    Kind::Pid,
    Kind::Mount,
    Kind::Time,
];

/// The kinds of `set`, in [`ENTRY_ORDER`].
pub fn in_entry_order(set: Kinds) -> impl Iterator<Item = Kind> {
    ENTRY_ORDER
        .into_iter()
        .filter(move |k| set.contains(Kinds::from(*k)))
}

/// Every kind but the user namespace.
fn all_but_user() -> Kinds {
    Kinds::all().difference(Kinds::USER)
}

/// The two ways of joining namespaces, abstracted so [`enter_in_order`] can
/// be tested without privileges.
pub trait Setns {
    /// `setns(pidfd, kinds)`: join several of the target's namespaces at once.
    fn setns_target(&mut self, kinds: Kinds) -> io::Result<()>;
    /// `setns(fd, kind)` with the namespace file given for `kind`.
    fn setns_file(&mut self, kind: Kind) -> io::Result<()>;
}

/// A failed `setns`; keeps the errno.
#[derive(Debug, thiserror::Error)]
pub enum EnterError {
    /// `setns(pidfd, mask)` failed.
    #[error("cannot join the target's namespaces {kinds:?}: {source}")]
    Target {
        /// The kinds asked for.
        kinds: Kinds,
        #[source]
        /// What `setns` gave.
        source: io::Error,
    },
    /// `setns(fd, kind)` failed.
    #[error("cannot join {} namespace: {source}", kind.proc_name())]
    File {
        /// The namespace kind of the file.
        kind: Kind,
        #[source]
        /// What `setns` gave.
        source: io::Error,
    },
}

impl EnterError {
    /// The kernel's error.
    pub fn io_error(&self) -> &io::Error {
        match self {
            EnterError::Target { source, .. } | EnterError::File { source, .. } => source,
        }
    }
}

/// Joins `by_target` through the target's pidfd and `by_file` through
/// namespace files, in the two passes [`ENTRY_ORDER`] explains. A kind is in
/// at most one of the sets; `by_file` wins if both name it.
pub fn enter_in_order<S: Setns>(
    s: &mut S,
    by_target: Kinds,
    by_file: Kinds,
) -> Result<(), EnterError> {
    let mut by_target = by_target.difference(by_file);
    let mut by_file = by_file;
    // Pass 1: all but the user namespace; failures are expected when the
    // user namespace has to come first, so they are ignored here.
    let _ = pass(s, &mut by_target, &mut by_file, all_but_user());
    // Pass 2: the rest, user namespace first, every failure fatal.
    pass(s, &mut by_target, &mut by_file, Kinds::all())
}

fn pass<S: Setns>(
    s: &mut S,
    by_target: &mut Kinds,
    by_file: &mut Kinds,
    only: Kinds,
) -> Result<(), EnterError> {
    let mut first_error = None;
    let mut note = |e: EnterError| {
        if first_error.is_none() {
            first_error = Some(e);
        }
    };
    // A user namespace from a file goes before everything else; through the
    // pidfd the kernel itself joins the user namespace first.
    let files = by_file.intersection(only);
    if files.contains(Kinds::USER) {
        match s.setns_file(Kind::User) {
            Ok(()) => by_file.remove(Kinds::USER),
            Err(source) => {
                return Err(EnterError::File {
                    kind: Kind::User,
                    source,
                })
            }
        }
    }
    let kinds = by_target.intersection(only);
    if !kinds.is_empty() {
        match s.setns_target(kinds) {
            Ok(()) => *by_target = by_target.difference(kinds),
            Err(source) => note(EnterError::Target { kinds, source }),
        }
    }
    for kind in in_entry_order(by_file.intersection(only)) {
        match s.setns_file(kind) {
            Ok(()) => by_file.remove(kind.into()),
            Err(source) => note(EnterError::File { kind, source }),
        }
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// The real [`Setns`]: the target's pidfd (if the kernel can setns through
/// one) and the namespace files given for some kinds.
///
/// # Examples
///
/// ``` no_run
/// use nsipc::ns::enter::{Joiner, Target};
/// use nsipc::ns::Kinds;
/// // As root: join process 1234's IPC and UTS namespaces through its pidfd.
/// let mut target = Target::new(1234);
/// let pidfd = target.open_pidfd()?;
/// Joiner::new()
///     .enter(Kinds::IPC | Kinds::UTS, Some(pidfd))
///     .map_err(|e| std::io::Error::from(e.io_error().kind()))?;
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # References
/// - [setns(2)](https://man7.org/linux/man-pages/man2/setns.2.html)
/// - [pidfd_open(2)](https://man7.org/linux/man-pages/man2/pidfd_open.2.html)
#[derive(Default)]
pub struct Joiner {
    files: Vec<(Kind, OwnedFd)>,
}

impl Joiner {
    /// No namespace files: every kind is joined through the target's pidfd.
    pub fn new() -> Joiner {
        Joiner::default()
    }

    /// Uses `file` (an nsfs file) for `kind`, replacing an earlier one.
    pub fn set_file(&mut self, kind: Kind, file: OwnedFd) {
        self.files.retain(|(k, _)| *k != kind);
        self.files.push((kind, file));
    }

    /// Whether a file is given for `kind`.
    pub fn has_file(&self, kind: Kind) -> bool {
        self.files.iter().any(|(k, _)| *k == kind)
    }

    /// The file given for `kind`, if any.
    pub fn file(&self, kind: Kind) -> Option<BorrowedFd<'_>> {
        self.files
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, f)| f.as_fd())
    }

    /// Drops the file given for `kind`.
    pub fn take_file(&mut self, kind: Kind) -> Option<OwnedFd> {
        let at = self.files.iter().position(|(k, _)| *k == kind)?;
        Some(self.files.remove(at).1)
    }

    /// The kinds that have a file.
    pub fn file_kinds(&self) -> Kinds {
        self.files.iter().map(|(k, _)| *k).collect()
    }

    /// Checks, before anything is joined, that every file is a namespace of
    /// its kind. Returns the first bad one in [`ENTRY_ORDER`] with the EINVAL
    /// `setns` would give, so a wrong file (a directory, a regular file, the
    /// wrong type) is reported while nothing has been entered yet.
    pub fn check_files(&self) -> Result<(), EnterError> {
        for kind in in_entry_order(self.file_kinds()) {
            let Some(fd) = self.file(kind) else { continue };
            let is = super::ioctl::get_nstype(fd)
                .ok()
                .and_then(Kind::from_clone_flag);
            if is != Some(kind) {
                return Err(EnterError::File {
                    kind,
                    source: io::Error::from_raw_os_error(libc::EINVAL),
                });
            }
        }
        Ok(())
    }

    /// Joins `wanted`: kinds with a file through it, the others through
    /// `pidfd` (the target's; EBADF if there is none). Closes the files.
    pub fn enter(self, wanted: Kinds, pidfd: Option<BorrowedFd<'_>>) -> Result<(), EnterError> {
        let by_file = self.file_kinds().intersection(wanted);
        let by_target = wanted.difference(by_file);
        let mut real = RealSetns {
            pidfd,
            files: &self.files,
        };
        enter_in_order(&mut real, by_target, by_file)
    }
}

/// [`Setns`] through real syscalls.
struct RealSetns<'a> {
    pidfd: Option<BorrowedFd<'a>>,
    files: &'a [(Kind, OwnedFd)],
}

impl Setns for RealSetns<'_> {
    fn setns_target(&mut self, kinds: Kinds) -> io::Result<()> {
        let pidfd = self
            .pidfd
            .ok_or_else(|| io::Error::from_raw_os_error(libc::EBADF))?;
        setns_pidfd(pidfd, kinds)
    }

    fn setns_file(&mut self, kind: Kind) -> io::Result<()> {
        let fd = self
            .files
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, f)| f.as_fd())
            .ok_or_else(|| io::Error::from_raw_os_error(libc::EBADF))?;
        setns_file(fd, kind)
    }
}

/// `setns(fd, CLONE_NEW<kind>)`: joins the namespace `fd` (an nsfs file)
/// refers to, refusing one of another kind.
///
/// # References
/// - [setns(2)](https://man7.org/linux/man-pages/man2/setns.2.html)
#[doc(alias = "setns")]
pub fn setns_file(fd: BorrowedFd<'_>, kind: Kind) -> io::Result<()> {
    setns(fd, Some(kind))
}

/// `setns(fd, nstype)` on a namespace file, the one place the crate joins
/// a namespace by file: `kind` `None` is nstype 0 (any kind).
pub(crate) fn setns(fd: BorrowedFd<'_>, kind: Option<Kind>) -> io::Result<()> {
    use rustix::thread::LinkNameSpaceType as L;
    let t = kind.map(|kind| match kind {
        Kind::Mount => L::Mount,
        Kind::Uts => L::HostNameAndNISDomainName,
        Kind::Ipc => L::InterProcessCommunication,
        Kind::Net => L::Network,
        Kind::Pid => L::ProcessID,
        Kind::User => L::User,
        Kind::Cgroup => L::ControlGroup,
        Kind::Time => L::Time,
    });
    rustix::thread::move_into_link_name_space(fd, t).map_err(io::Error::from)
}

/// `setns(pidfd, mask)` (Linux 5.8): joins several namespaces of the process
/// `pidfd` refers to atomically — all or none.
///
/// # References
/// - [setns(2)](https://man7.org/linux/man-pages/man2/setns.2.html)
/// - [pidfd_open(2)](https://man7.org/linux/man-pages/man2/pidfd_open.2.html)
#[doc(alias = "setns")]
pub fn setns_pidfd(pidfd: BorrowedFd<'_>, kinds: Kinds) -> io::Result<()> {
    let t = rustix::thread::ThreadNameSpaceType::from_bits_retain(kinds.bits());
    rustix::thread::move_into_thread_name_spaces(pidfd, t).map_err(io::Error::from)
}

/// Whether this kernel can `setns` through a pidfd (Linux 5.8 and newer).
pub fn kernel_can_setns_pidfd() -> bool {
    let uname = rustix::system::uname();
    kernel_at_least(uname.release(), (5, 8))
}

fn kernel_at_least(release: &CStr, want: (u32, u32)) -> bool {
    let text = release.to_string_lossy();
    let mut parts = text
        .split(|c: char| !c.is_ascii_digit())
        .map(|p| p.parse::<u32>().unwrap_or(0));
    let major = parts.next().unwrap_or(0);
    let minor = parts.next().unwrap_or(0);
    (major, minor) >= want
}

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
        let pidfd = open_pidfd(pid)?;
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
            self.pidfd = Some(open_pidfd(self.pid)?);
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

    /// Gives up the pidfd (to a [`Joiner`]).
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
    pub fn stat_proc(&mut self, rel: &str) -> io::Result<super::NsId> {
        let dir = self.proc_dir()?;
        let path = if rel.is_empty() { "." } else { rel };
        let st = rustix::fs::statat(dir, path, rustix::fs::AtFlags::empty())?;
        Ok(super::NsId {
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

fn open_pidfd(pid: Pid) -> io::Result<OwnedFd> {
    let pid = rustix::process::Pid::from_raw(pid)
        .ok_or_else(|| io::Error::from_raw_os_error(libc::ESRCH))?;
    rustix::process::pidfd_open(pid, PidfdFlags::empty()).map_err(io::Error::from)
}

/// `PIDFD_GET_USER_NAMESPACE` (Linux 6.11): the user namespace of the
/// process `pidfd` refers to.
///
/// # References
/// - [ioctl_ns(2)](https://man7.org/linux/man-pages/man2/ioctl_ns.2.html)
/// - [pidfd_open(2)](https://man7.org/linux/man-pages/man2/pidfd_open.2.html)
pub fn target_user_namespace(pidfd: BorrowedFd<'_>) -> io::Result<OwnedFd> {
    super::ioctl::pidfd_get_user_namespace(pidfd)
}

/// `SIOCGSKNS`: the network namespace of a socket.
///
/// # References
/// - [ioctl_ns(2)](https://man7.org/linux/man-pages/man2/ioctl_ns.2.html)
/// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
pub fn socket_net_namespace(socket: BorrowedFd<'_>) -> io::Result<OwnedFd> {
    super::ioctl::socket_net_namespace(socket)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records calls; fails the ones listed.
    #[derive(Default)]
    struct Fake {
        calls: Vec<String>,
        /// setns_target fails for masks containing any of these.
        target_fails_with: Kinds,
        /// setns_file fails for these kinds (until `user_entered`, for
        /// kinds in `need_user`).
        file_fails: Kinds,
        need_user: Kinds,
        user_entered: bool,
    }

    impl Setns for Fake {
        fn setns_target(&mut self, kinds: Kinds) -> io::Result<()> {
            let names: Vec<_> = in_entry_order(kinds).map(|k| k.proc_name()).collect();
            self.calls.push(format!("pidfd{names:?}"));
            let blocked = !self.user_entered && !kinds.contains(Kinds::USER);
            if !kinds.intersection(self.target_fails_with).is_empty()
                || (blocked && !kinds.intersection(self.need_user).is_empty())
            {
                return Err(io::Error::from_raw_os_error(libc::EPERM));
            }
            if kinds.contains(Kinds::USER) {
                self.user_entered = true;
            }
            Ok(())
        }

        fn setns_file(&mut self, kind: Kind) -> io::Result<()> {
            self.calls.push(kind.proc_name().to_string());
            if self.file_fails.contains(kind.into())
                || (!self.user_entered && self.need_user.contains(kind.into()))
            {
                return Err(io::Error::from_raw_os_error(libc::EPERM));
            }
            if kind == Kind::User {
                self.user_entered = true;
            }
            Ok(())
        }
    }

    fn set(kinds: &[Kind]) -> Kinds {
        kinds.iter().copied().collect()
    }

    #[test]
    fn order_is_utils_linux_order() {
        let names: Vec<_> = in_entry_order(Kinds::all())
            .map(|k| k.proc_name())
            .collect();
        assert_eq!(
            names,
            ["user", "cgroup", "ipc", "uts", "net", "pid", "mnt", "time"]
        );
    }

    #[test]
    fn privileged_files_enter_user_last() {
        let mut f = Fake::default();
        let all = Kinds::all();
        enter_in_order(&mut f, Kinds::empty(), all).unwrap();
        assert_eq!(
            f.calls,
            ["cgroup", "ipc", "uts", "net", "pid", "mnt", "time", "user"]
        );
    }

    #[test]
    fn unprivileged_files_enter_user_first_on_second_pass() {
        let mut f = Fake {
            need_user: set(&[Kind::Ipc, Kind::Uts, Kind::Mount]),
            ..Fake::default()
        };
        enter_in_order(
            &mut f,
            Kinds::empty(),
            set(&[Kind::User, Kind::Ipc, Kind::Uts, Kind::Mount]),
        )
        .unwrap();
        assert_eq!(
            f.calls,
            // pass 1 tries all but user, all fail; pass 2: user first.
            ["ipc", "uts", "mnt", "user", "ipc", "uts", "mnt"]
        );
    }

    #[test]
    fn pidfd_is_one_call_per_pass() {
        let mut f = Fake::default();
        enter_in_order(
            &mut f,
            set(&[Kind::User, Kind::Uts, Kind::Ipc]),
            Kinds::empty(),
        )
        .unwrap();
        assert_eq!(f.calls, ["pidfd[\"ipc\", \"uts\"]", "pidfd[\"user\"]"]);

        let mut f = Fake {
            need_user: set(&[Kind::Uts]),
            ..Fake::default()
        };
        enter_in_order(
            &mut f,
            set(&[Kind::User, Kind::Uts, Kind::Ipc]),
            Kinds::empty(),
        )
        .unwrap();
        assert_eq!(
            f.calls,
            [
                "pidfd[\"ipc\", \"uts\"]",
                "pidfd[\"user\", \"ipc\", \"uts\"]"
            ]
        );
    }

    #[test]
    fn mixed_sources_user_file_goes_first_in_pass_two() {
        let mut f = Fake {
            need_user: set(&[Kind::Uts]),
            ..Fake::default()
        };
        enter_in_order(&mut f, set(&[Kind::Uts]), set(&[Kind::User])).unwrap();
        assert_eq!(f.calls, ["pidfd[\"uts\"]", "user", "pidfd[\"uts\"]"]);
    }

    #[test]
    fn second_pass_errors_are_fatal_and_name_the_kind() {
        let mut f = Fake {
            file_fails: set(&[Kind::Uts]),
            ..Fake::default()
        };
        let err = enter_in_order(&mut f, Kinds::empty(), set(&[Kind::Ipc, Kind::Uts])).unwrap_err();
        assert!(matches!(
            err,
            EnterError::File {
                kind: Kind::Uts,
                ..
            }
        ));
        assert_eq!(err.io_error().raw_os_error(), Some(libc::EPERM));
        // ipc entered once, uts tried in both passes.
        assert_eq!(f.calls, ["ipc", "uts", "uts"]);

        let mut f = Fake {
            target_fails_with: set(&[Kind::Net]),
            ..Fake::default()
        };
        let err = enter_in_order(&mut f, set(&[Kind::Net]), Kinds::empty()).unwrap_err();
        assert!(matches!(err, EnterError::Target { .. }));
    }

    #[test]
    fn a_kind_is_entered_once() {
        let mut f = Fake::default();
        enter_in_order(&mut f, set(&[Kind::Uts, Kind::Ipc]), set(&[Kind::Uts])).unwrap();
        assert_eq!(f.calls, ["pidfd[\"ipc\"]", "uts"]);
    }

    #[test]
    fn kernel_versions() {
        assert!(kernel_at_least(c"6.18.44-fc-v595", (5, 8)));
        assert!(kernel_at_least(c"5.8.0", (5, 8)));
        assert!(!kernel_at_least(c"5.7.19", (5, 8)));
        assert!(!kernel_at_least(c"4.19.0-rc1", (5, 8)));
        assert!(!kernel_at_least(c"garbage", (5, 8)));
    }

    #[test]
    fn wrong_file_is_rejected_before_entering() {
        let dir = std::fs::File::open("/").unwrap();
        let mut j = Joiner::new();
        j.set_file(Kind::Uts, OwnedFd::from(dir));
        let err = j.check_files().unwrap_err();
        assert!(matches!(
            err,
            EnterError::File {
                kind: Kind::Uts,
                ..
            }
        ));
        assert_eq!(err.io_error().raw_os_error(), Some(libc::EINVAL));
        let mut j = Joiner::new();
        j.set_file(
            Kind::Uts,
            std::fs::File::open("/proc/self/ns/ipc").unwrap().into(),
        );
        assert!(j.check_files().is_err());
        let mut j = Joiner::new();
        j.set_file(
            Kind::Uts,
            std::fs::File::open("/proc/self/ns/uts").unwrap().into(),
        );
        j.check_files().unwrap();
    }

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
        let pidfd = open_pidfd(pid).unwrap();
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
