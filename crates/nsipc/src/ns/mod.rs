//! Linux namespaces.
//!
//! A namespace wraps a global resource so that the processes inside it see
//! their own instance of it: an IPC namespace has its own System V objects
//! and POSIX message queues, a UTS namespace its own hostname, and so on.
//! Each is visible as `/proc/PID/ns/<name>`; opening that file gives a
//! handle that `setns(2)` joins and a bind mount keeps alive.
//!
//! - [`Kind`], [`Kinds`]: the eight namespace types, their clone flags and
//!   file names.
//! - [`Namespace`]: an open handle (an nsfs file descriptor) with its
//!   identity, type, parent and owner; [`NsId`] identifies one without
//!   opening it.
//! - [`unshare()`]: moving the calling process into new namespaces.
//! - [`idmap`]: user-namespace uid/gid maps (parsing, merging, writing).
//! - [`persist`]: keeping a namespace alive with a bind mount.
//! - [`time`]: time-namespace clock offsets.
//! - [`caps`]: keeping capabilities across exec in a user namespace.
//! - [`enter`]: joining existing namespaces.
//! - [`discover`]: finding namespaces and their relations.
//!
//! ```no_run
//! use nsipc::ns::{self, Kinds};
//! // New IPC and UTS namespaces for this (single-threaded) process.
//! ns::unshare(Kinds::IPC | Kinds::UTS)?;
//! # Ok::<(), std::io::Error>(())
//! ```

pub mod caps;
pub mod discover;
pub mod enter;
pub mod idmap;
// The nsfs ioctls (NS_GET_*, SIOCGSKNS), which rustix does not wrap.
#[allow(unsafe_code)]
mod ioctl;
pub mod persist;
pub mod time;

use crate::Pid;
use std::fmt;
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::Path;

/// A namespace type.
///
/// # Examples
///
/// ```
/// use nsipc::ns::Kind;
/// assert_eq!(Kind::from_proc_name("ipc"), Some(Kind::Ipc));
/// assert_eq!(Kind::Mount.proc_name(), "mnt");
/// assert_eq!(Kind::Uts.clone_flag(), libc::CLONE_NEWUTS);
/// ```
///
/// # References
/// - [namespaces(7)](https://man7.org/linux/man-pages/man7/namespaces.7.html)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Mount namespace (`CLONE_NEWNS`, `mnt`).
    Mount,
    /// UTS namespace: host and domain name (`CLONE_NEWUTS`, `uts`).
    Uts,
    /// IPC namespace: System V objects and POSIX queues (`CLONE_NEWIPC`, `ipc`).
    Ipc,
    /// Network namespace (`CLONE_NEWNET`, `net`).
    Net,
    /// PID namespace (`CLONE_NEWPID`, `pid`).
    Pid,
    /// User namespace: ids and capabilities (`CLONE_NEWUSER`, `user`).
    User,
    /// Cgroup namespace (`CLONE_NEWCGROUP`, `cgroup`).
    Cgroup,
    /// Time namespace: monotonic and boot-time offsets (`CLONE_NEWTIME`, `time`).
    Time,
}

impl Kind {
    /// Every kind, in util-linux's listing order (`lsns -t`, `nsenter -a`).
    pub const ALL: [Kind; 8] = [
        Kind::Mount,
        Kind::Uts,
        Kind::Ipc,
        Kind::Net,
        Kind::Pid,
        Kind::User,
        Kind::Cgroup,
        Kind::Time,
    ];

    /// The `CLONE_NEW*` flag for `unshare(2)` and `setns(2)`.
    pub const fn clone_flag(self) -> libc::c_int {
        match self {
            Kind::Mount => libc::CLONE_NEWNS,
            Kind::Uts => libc::CLONE_NEWUTS,
            Kind::Ipc => libc::CLONE_NEWIPC,
            Kind::Net => libc::CLONE_NEWNET,
            Kind::Pid => libc::CLONE_NEWPID,
            Kind::User => libc::CLONE_NEWUSER,
            Kind::Cgroup => libc::CLONE_NEWCGROUP,
            Kind::Time => libc::CLONE_NEWTIME,
        }
    }

    /// The file name under `/proc/PID/ns/`.
    pub const fn proc_name(self) -> &'static str {
        match self {
            Kind::Mount => "mnt",
            Kind::Uts => "uts",
            Kind::Ipc => "ipc",
            Kind::Net => "net",
            Kind::Pid => "pid",
            Kind::User => "user",
            Kind::Cgroup => "cgroup",
            Kind::Time => "time",
        }
    }

    /// For pid and time namespaces, the file naming the namespace the
    /// process's *children* get (`pid_for_children`, `time_for_children`):
    /// unshare(2) of these moves only future children.
    pub const fn for_children_name(self) -> Option<&'static str> {
        match self {
            Kind::Pid => Some("pid_for_children"),
            Kind::Time => Some("time_for_children"),
            _ => None,
        }
    }

    /// Parses a `/proc/PID/ns/` name (`mnt`, `ipc`, …), as `lsns -t` takes it.
    pub fn from_proc_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.proc_name() == name)
    }

    /// The kind of a `CLONE_NEW*` flag, e.g. from `NS_GET_NSTYPE`.
    pub fn from_clone_flag(flag: libc::c_int) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.clone_flag() == flag)
    }
}

bitflags::bitflags! {
    /// A set of namespace kinds, as the `CLONE_NEW*` flags `unshare(2)`
    /// takes. Only namespace flags can be expressed, so [`unshare`] can never
    /// be asked to unshare the file table (`CLONE_FILES`), which is what
    /// makes it safe to call.
    ///
    /// # Examples
    ///
    /// ```
    /// use nsipc::ns::{Kind, Kinds};
    /// let set = Kinds::IPC | Kinds::UTS;
    /// assert!(set.contains(Kind::Ipc.into()));
    /// assert_eq!(set.kinds().collect::<Vec<_>>(), [Kind::Uts, Kind::Ipc]);
    /// ```
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
    pub struct Kinds: u32 {
        /// Mount namespace (`CLONE_NEWNS`).
        const MOUNT = libc::CLONE_NEWNS as u32;
        /// UTS namespace (`CLONE_NEWUTS`).
        const UTS = libc::CLONE_NEWUTS as u32;
        /// IPC namespace (`CLONE_NEWIPC`).
        const IPC = libc::CLONE_NEWIPC as u32;
        /// Network namespace (`CLONE_NEWNET`).
        const NET = libc::CLONE_NEWNET as u32;
        /// PID namespace (`CLONE_NEWPID`).
        const PID = libc::CLONE_NEWPID as u32;
        /// User namespace (`CLONE_NEWUSER`).
        const USER = libc::CLONE_NEWUSER as u32;
        /// Cgroup namespace (`CLONE_NEWCGROUP`).
        const CGROUP = libc::CLONE_NEWCGROUP as u32;
        /// Time namespace (`CLONE_NEWTIME`).
        const TIME = libc::CLONE_NEWTIME as u32;
    }
}

impl Kinds {
    /// The kinds in the set, in [`Kind::ALL`] order.
    pub fn kinds(self) -> impl Iterator<Item = Kind> {
        Kind::ALL
            .into_iter()
            .filter(move |k| self.contains((*k).into()))
    }
}

impl From<Kind> for Kinds {
    fn from(kind: Kind) -> Kinds {
        Kinds::from_bits_retain(kind.clone_flag() as u32)
    }
}

impl FromIterator<Kind> for Kinds {
    fn from_iter<I: IntoIterator<Item = Kind>>(iter: I) -> Kinds {
        iter.into_iter()
            .fold(Kinds::empty(), |set, k| set | k.into())
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.proc_name())
    }
}

/// Moves the calling process into new namespaces of the given kinds
/// (`unshare(2)`).
///
/// For [`Kind::Pid`] and [`Kind::Time`] only the caller's future children
/// enter the new namespace. [`Kind::User`] fails with `EINVAL` in a
/// multi-threaded process (the kernel requires a single thread).
///
/// Uses rustix's `unshare_unsafe`: rustix marks it unsafe only because
/// `CLONE_FILES` could split the descriptor table between threads; [`Kinds`]
/// holds namespace flags only, so that cannot happen here.
///
/// # Examples
///
/// ``` no_run
/// use nsipc::ns::{self, Kinds};
/// // As root, before starting threads: new IPC and UTS namespaces.
/// ns::unshare(Kinds::IPC | Kinds::UTS)?;
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # References
/// - [unshare(2)](https://man7.org/linux/man-pages/man2/unshare.2.html)
#[allow(unsafe_code)] // rustix::thread::unshare_unsafe, see above
pub fn unshare(kinds: Kinds) -> io::Result<()> {
    let flags = rustix::thread::UnshareFlags::from_bits_retain(kinds.bits());
    // SAFETY: only CLONE_NEW* flags (see above); no fd table is unshared.
    unsafe { rustix::thread::unshare_unsafe(flags) }.map_err(io::Error::from)
}

/// The kernel's limit for host and domain names in bytes (`__NEW_UTS_LEN`):
/// what `sethostname(2)` and `setdomainname(2)` accept in a new UTS
/// namespace.
pub const UTS_NAME_MAX: usize = 64;

/// The identity of a namespace: the nsfs device and inode of its file. Two
/// processes share a namespace exactly when their `NsId`s are equal.
///
/// # Examples
///
/// ```
/// use nsipc::ns::{Kind, NsId};
/// let mine = NsId::current(Kind::Ipc)?;
/// // Equal ids: the same namespace.
/// assert_eq!(NsId::of_path("/proc/self/ns/ipc")?, mine);
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NsId {
    /// Device of the nsfs file system.
    pub dev: u64,
    /// Inode number, as `lsns` shows it.
    pub ino: u64,
}

impl NsId {
    /// The identity of the namespace file at `path` (`/proc/PID/ns/ipc`, or
    /// a bind mount of one), by `stat(2)`, without opening it.
    pub fn of_path(path: impl AsRef<Path>) -> io::Result<NsId> {
        let st = rustix::fs::stat(path.as_ref())?;
        Ok(NsId {
            dev: st.st_dev,
            ino: st.st_ino,
        })
    }

    /// The identity of process `pid`'s namespace of `kind`.
    pub fn of_process(pid: Pid, kind: Kind) -> io::Result<NsId> {
        NsId::of_path(proc_path(Some(pid), kind.proc_name()))
    }

    /// The identity of the caller's namespace of `kind`.
    pub fn current(kind: Kind) -> io::Result<NsId> {
        NsId::of_path(proc_path(None, kind.proc_name()))
    }
}

/// `/proc/PID/ns/NAME`, or `/proc/self/ns/NAME`.
pub fn proc_path(pid: Option<Pid>, name: &str) -> std::path::PathBuf {
    match pid {
        Some(pid) => format!("/proc/{pid}/ns/{name}").into(),
        None => format!("/proc/self/ns/{name}").into(),
    }
}

/// The text `readlink /proc/PID/ns/X` shows: `ipc:[4026531839]`.
pub fn link_text(kind: Kind, ino: u64) -> String {
    format!("{}:[{ino}]", kind.proc_name())
}

/// An open namespace: a file descriptor on an nsfs file. Keeping it open
/// keeps the namespace alive; `setns(2)` joins it.
///
/// # Examples
///
/// ```
/// use nsipc::ns::{Kind, Namespace};
/// let ns = Namespace::current(Kind::Uts)?;
/// assert_eq!(ns.kind()?, Kind::Uts);
/// // Its owning user namespace.
/// assert_eq!(ns.owner()?.kind()?, Kind::User);
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # References
/// - [ioctl_ns(2)](https://man7.org/linux/man-pages/man2/ioctl_ns.2.html)
/// - [setns(2)](https://man7.org/linux/man-pages/man2/setns.2.html)
/// - [namespaces(7)](https://man7.org/linux/man-pages/man7/namespaces.7.html)
#[derive(Debug)]
pub struct Namespace {
    fd: OwnedFd,
}

impl Namespace {
    /// Opens a namespace file: `/proc/PID/ns/X` or a bind mount of one.
    /// Fails with `EINVAL` if the file is not a namespace.
    pub fn open(path: impl AsRef<Path>) -> io::Result<Namespace> {
        use rustix::fs::{Mode, OFlags};
        // O_CLOEXEC: a handle must never leak into a program we exec.
        let fd = rustix::fs::open(
            path.as_ref(),
            OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NOCTTY,
            Mode::empty(),
        )?;
        Namespace::from_fd(fd)
    }

    /// Process `pid`'s namespace of `kind`.
    pub fn of_process(pid: Pid, kind: Kind) -> io::Result<Namespace> {
        Namespace::open(proc_path(Some(pid), kind.proc_name()))
    }

    /// The caller's namespace of `kind`.
    pub fn current(kind: Kind) -> io::Result<Namespace> {
        Namespace::open(proc_path(None, kind.proc_name()))
    }

    /// The namespace the caller's *children* get, for pid and time
    /// namespaces (`pid_for_children`); the current one for other kinds.
    pub fn for_children(pid: Option<Pid>, kind: Kind) -> io::Result<Namespace> {
        let name = kind.for_children_name().unwrap_or(kind.proc_name());
        Namespace::open(proc_path(pid, name))
    }

    /// Wraps a descriptor, checking with `NS_GET_NSTYPE` that it is a
    /// namespace (`EINVAL` otherwise; ENOTTY from the kernel is mapped to
    /// EINVAL too, as setns(2) would fail that way).
    pub fn from_fd(fd: OwnedFd) -> io::Result<Namespace> {
        match ioctl::get_nstype(fd.as_fd()) {
            Ok(_) => Ok(Namespace { fd }),
            Err(e) if e.raw_os_error() == Some(libc::ENOTTY) => {
                Err(io::Error::from_raw_os_error(libc::EINVAL))
            }
            Err(e) => Err(e),
        }
    }

    /// The namespace's identity (device and inode of its nsfs file).
    pub fn id(&self) -> io::Result<NsId> {
        let st = rustix::fs::fstat(&self.fd)?;
        Ok(NsId {
            dev: st.st_dev,
            ino: st.st_ino,
        })
    }

    /// The inode number `lsns` shows and `readlink` puts in brackets.
    pub fn inode(&self) -> io::Result<u64> {
        Ok(self.id()?.ino)
    }

    /// The namespace's type (`NS_GET_NSTYPE`).
    #[doc(alias = "NS_GET_NSTYPE")]
    pub fn kind(&self) -> io::Result<Kind> {
        let flag = ioctl::get_nstype(self.fd.as_fd())?;
        Kind::from_clone_flag(flag).ok_or_else(|| io::Error::from_raw_os_error(libc::EINVAL))
    }

    /// The parent of a pid or user namespace (`NS_GET_PARENT`). `EPERM` when
    /// the parent is outside the caller's view, `EINVAL` for other kinds.
    #[doc(alias = "NS_GET_PARENT")]
    pub fn parent(&self) -> io::Result<Namespace> {
        Ok(Namespace {
            fd: ioctl::get_parent(self.fd.as_fd())?,
        })
    }

    /// The user namespace that owns this namespace (`NS_GET_USERNS`).
    #[doc(alias = "NS_GET_USERNS")]
    pub fn owner(&self) -> io::Result<Namespace> {
        Ok(Namespace {
            fd: ioctl::get_userns(self.fd.as_fd())?,
        })
    }

    /// For a user namespace: the uid of its creator (`NS_GET_OWNER_UID`),
    /// as seen from the caller's user namespace.
    #[doc(alias = "NS_GET_OWNER_UID")]
    pub fn owner_uid(&self) -> io::Result<u32> {
        ioctl::get_owner_uid(self.fd.as_fd())
    }

    /// Joins this namespace (`setns(2)`); `kind`, if given, must match.
    ///
    /// # Examples
    ///
    /// ``` no_run
    /// use nsipc::ns::{Kind, Namespace};
    /// // As root: move this thread into process 1234's UTS namespace.
    /// Namespace::of_process(1234, Kind::Uts)?.enter(Some(Kind::Uts))?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    ///
    /// # References
    /// - [setns(2)](https://man7.org/linux/man-pages/man2/setns.2.html)
    #[doc(alias = "setns")]
    pub fn enter(&self, kind: Option<Kind>) -> io::Result<()> {
        enter::setns(self.fd.as_fd(), kind)
    }
}

impl AsFd for Namespace {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl From<Namespace> for OwnedFd {
    fn from(ns: Namespace) -> OwnedFd {
        ns.fd
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in Kind::ALL {
            assert_eq!(Kind::from_proc_name(kind.proc_name()), Some(kind));
            assert_eq!(Kind::from_clone_flag(kind.clone_flag()), Some(kind));
        }
        assert_eq!(Kind::from_proc_name("bogus"), None);
    }

    #[test]
    fn kind_sets() {
        let set = Kinds::IPC | Kinds::UTS;
        assert_eq!(set.kinds().collect::<Vec<_>>(), vec![Kind::Uts, Kind::Ipc]);
        assert_eq!([Kind::Ipc, Kind::Uts].into_iter().collect::<Kinds>(), set);
        for kind in Kind::ALL {
            assert_eq!(Kinds::from(kind).bits(), kind.clone_flag() as u32);
        }
    }

    #[test]
    fn own_namespaces() {
        for kind in [Kind::Ipc, Kind::Uts, Kind::Mount, Kind::Net] {
            let ns = Namespace::current(kind).unwrap();
            assert_eq!(ns.kind().unwrap(), kind);
            assert_eq!(ns.id().unwrap(), NsId::current(kind).unwrap());
            let owner = ns.owner().unwrap();
            assert_eq!(owner.kind().unwrap(), Kind::User);
        }
        let user = Namespace::current(Kind::User).unwrap();
        user.owner_uid().unwrap();
        // The initial user namespace has no parent (EPERM); any other's
        // parent is a user namespace too.
        match user.parent() {
            Ok(parent) => assert_eq!(parent.kind().unwrap(), Kind::User),
            Err(e) => assert_eq!(e.raw_os_error(), Some(libc::EPERM)),
        }
        // Only pid and user namespaces have parents.
        let ipc = Namespace::current(Kind::Ipc).unwrap();
        assert_eq!(ipc.parent().unwrap_err().raw_os_error(), Some(libc::EINVAL));
        // Not a namespace file.
        let err = Namespace::open("/proc/self/status").unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EINVAL));
        let link = std::fs::read_link("/proc/self/ns/ipc").unwrap();
        let ino = NsId::current(Kind::Ipc).unwrap().ino;
        assert_eq!(link.to_str().unwrap(), link_text(Kind::Ipc, ino));
    }
}
