//! The nsfs ioctls (`ioctl_ns(2)`), the only unsafe code of the namespace
//! handle. Each wrapper takes a borrowed nsfs descriptor and returns the
//! kernel's answer with its errno.
//!
//! Written with libc because rustix has no typed wrappers for `NS_GET_*`;
//! the request numbers come from libc's `linux/nsfs.h` bindings.

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
    Ok(unsafe { OwnedFd::from_raw_fd(rc) })
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
