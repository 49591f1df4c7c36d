//! Every ioctl that answers a namespace question, in one place: the nsfs
//! ones (`ioctl_ns(2)`: `NS_GET_*`), the pidfs one
//! (`PIDFD_GET_USER_NAMESPACE`) and the socket one (`SIOCGSKNS`). Each
//! wrapper takes a borrowed descriptor and returns the kernel's answer with
//! its errno.
//!
//! Written with libc because rustix has no typed wrappers for these
//! requests; the nsfs request numbers and `SIOCGSKNS` come from libc's
//! bindings, the pidfs one from `linux/pidfd.h` (not in libc).

use std::io;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

/// An ioctl that returns a new file descriptor (`NS_GET_USERNS`,
/// `NS_GET_PARENT`). The kernel opens it with `O_CLOEXEC`, so it never leaks
/// into a program we exec.
fn ioctl_fd(fd: BorrowedFd<'_>, request: libc::Ioctl) -> io::Result<OwnedFd> {
    // SAFETY: these requests take no argument and return a new descriptor
    // or -1; `fd` is valid for the duration of the call.
    let rc = unsafe { libc::ioctl(fd.as_raw_fd(), request) };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: on success the return value is a freshly opened descriptor
    // that nothing else owns.
    let owned = unsafe { OwnedFd::from_raw_fd(rc) };
    // Belt and braces: these fds must never reach an executed program.
    rustix::io::fcntl_setfd(&owned, rustix::io::FdFlags::CLOEXEC)?;
    Ok(owned)
}

/// `NS_GET_USERNS`: the user namespace owning the namespace.
pub(crate) fn get_userns(fd: BorrowedFd<'_>) -> io::Result<OwnedFd> {
    ioctl_fd(fd, libc::NS_GET_USERNS)
}

/// `NS_GET_PARENT`: the parent of a pid or user namespace.
pub(crate) fn get_parent(fd: BorrowedFd<'_>) -> io::Result<OwnedFd> {
    ioctl_fd(fd, libc::NS_GET_PARENT)
}

/// `NS_GET_NSTYPE`: the `CLONE_NEW*` flag of the namespace.
pub(crate) fn get_nstype(fd: BorrowedFd<'_>) -> io::Result<libc::c_int> {
    // SAFETY: NS_GET_NSTYPE takes no argument and returns the type or -1.
    let rc = unsafe { libc::ioctl(fd.as_raw_fd(), libc::NS_GET_NSTYPE) };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(rc)
}

/// `NS_GET_OWNER_UID`: the uid (in the caller's user namespace) of the
/// creator of a user namespace.
pub(crate) fn get_owner_uid(fd: BorrowedFd<'_>) -> io::Result<u32> {
    let mut uid: libc::uid_t = 0;
    // SAFETY: NS_GET_OWNER_UID writes one uid_t through the pointer, which
    // points to a live local of that type.
    let rc = unsafe { libc::ioctl(fd.as_raw_fd(), libc::NS_GET_OWNER_UID, &mut uid) };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(uid)
}

/// `_IO(0xff, 9)` of `linux/pidfd.h`: `PIDFD_GET_USER_NAMESPACE`.
const PIDFD_GET_USER_NAMESPACE: libc::Ioctl = (0xff << 8) | 9;

/// `PIDFD_GET_USER_NAMESPACE` (Linux 6.11): the user namespace of the
/// process a pidfd refers to.
pub(crate) fn pidfd_get_user_namespace(pidfd: BorrowedFd<'_>) -> io::Result<OwnedFd> {
    ioctl_fd(pidfd, PIDFD_GET_USER_NAMESPACE)
}

/// `SIOCGSKNS`: the network namespace of a socket.
pub(crate) fn socket_net_namespace(socket: BorrowedFd<'_>) -> io::Result<OwnedFd> {
    ioctl_fd(socket, libc::SIOCGSKNS as libc::Ioctl)
}

#[cfg(test)]
mod tests {
    #[test]
    fn ioctl_numbers() {
        // Values from linux/pidfd.h and linux/sockios.h.
        assert_eq!(super::PIDFD_GET_USER_NAMESPACE, 0xff09);
        assert_eq!(libc::SIOCGSKNS, 0x894c);
    }
}
