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

use std::ffi::CStr;
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use super::{Kind, Kinds};

// pidfd_send_signal with the null signal (rustix's `Signal` cannot say 0).
#[allow(unsafe_code)]
mod target;

pub use target::{is_foreign_proc, ForeignProc, Target};

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
///
/// # Examples
///
/// ``` no_run
/// use std::os::fd::AsFd;
/// use nsipc::ns::{enter, Kind};
/// // As root: join the network namespace `ip netns add blue` keeps.
/// let file = std::fs::File::open("/run/netns/blue")?;
/// enter::setns_file(file.as_fd(), Kind::Net)?;
/// # Ok::<(), std::io::Error>(())
/// ```
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
/// # Examples
///
/// ```
/// use std::os::fd::AsFd;
/// use nsipc::ns::{enter, Kind, Namespace, NsId};
/// let socket = std::net::UdpSocket::bind("127.0.0.1:0")?;
/// let netns = Namespace::from_fd(enter::socket_net_namespace(socket.as_fd())?)?;
/// // A socket belongs to the network namespace it was made in: ours.
/// assert_eq!(netns.kind()?, Kind::Net);
/// assert_eq!(netns.id()?, NsId::current(Kind::Net)?);
/// # Ok::<(), std::io::Error>(())
/// ```
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
}
