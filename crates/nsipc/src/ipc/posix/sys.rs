//! The unsafe part of POSIX IPC: thin wrappers over glibc's `shm_*`,
//! `mq_*` and `sem_*` functions.
//!
//! Why glibc and not rustix or hand-written syscalls: the name rules of
//! these calls live in glibc, not in the kernel (`shm_open` and `sem_open`
//! strip leading `/`s and map the name into `/dev/shm`, `sem_*` add the
//! `sem.` prefix, `mq_*` insist on a leading `/` and strip it). util-linux
//! calls exactly these functions, so calling them too gives the same
//! accepted names and the same errno for every odd name, whatever glibc
//! version is installed. rustix has no `mq_*`/`sem_*`, and its own `shm`
//! name handling is not glibc's.

use std::ffi::{CStr, CString, OsStr};
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;

/// A name as a C string; an embedded NUL can name no object (EINVAL, as
/// glibc reports for other unusable names).
pub fn c_name(name: &OsStr) -> io::Result<CString> {
    CString::new(name.as_bytes()).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))
}

fn check(rc: libc::c_int) -> io::Result<libc::c_int> {
    if rc == -1 {
        Err(io::Error::last_os_error())
    } else {
        Ok(rc)
    }
}

/// `shm_open(3)`.
pub fn shm_open(name: &CStr, oflag: libc::c_int, mode: u32) -> io::Result<OwnedFd> {
    // SAFETY: `name` is a valid NUL-terminated string for the call.
    let fd = check(unsafe { libc::shm_open(name.as_ptr(), oflag, mode as libc::mode_t) })?;
    // SAFETY: shm_open returned a new descriptor that nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// `shm_unlink(3)`.
pub fn shm_unlink(name: &CStr) -> io::Result<()> {
    // SAFETY: `name` is a valid NUL-terminated string for the call.
    check(unsafe { libc::shm_unlink(name.as_ptr()) }).map(drop)
}

/// An open message queue descriptor, closed on drop.
pub struct Mqd(libc::mqd_t);

impl Drop for Mqd {
    fn drop(&mut self) {
        // SAFETY: the descriptor came from mq_open and is closed only here.
        unsafe { libc::mq_close(self.0) };
    }
}

/// `mq_open(3)` with default attributes.
pub fn mq_open(name: &CStr, oflag: libc::c_int, mode: u32) -> io::Result<Mqd> {
    // SAFETY: `name` is a valid C string; with O_CREAT the variadic
    // arguments are the mode (promoted like C's mode_t) and a null
    // `struct mq_attr *`, meaning the defaults; without O_CREAT they are
    // ignored.
    let mqd = unsafe {
        libc::mq_open(
            name.as_ptr(),
            oflag,
            mode as libc::c_uint,
            std::ptr::null_mut::<libc::mq_attr>(),
        )
    };
    if mqd == -1 {
        Err(io::Error::last_os_error())
    } else {
        Ok(Mqd(mqd))
    }
}

/// `mq_getattr(3)`.
pub fn mq_getattr(mqd: &Mqd) -> io::Result<libc::mq_attr> {
    // SAFETY: mq_attr is plain integers; all-zero is a valid value.
    let mut attr: libc::mq_attr = unsafe { std::mem::zeroed() };
    // SAFETY: `mqd` is open and `attr` is a valid out-pointer.
    check(unsafe { libc::mq_getattr(mqd.0, &mut attr) })?;
    Ok(attr)
}

/// `mq_getattr(3)` of a queue file opened with `open(2)` (a file of the
/// mqueue file system). On Linux a message queue descriptor is a file
/// descriptor, and the kernel's `mq_getsetattr` accepts any descriptor of
/// a queue file; a file of another file system gives `EBADF`.
pub fn mq_getattr_fd(fd: BorrowedFd<'_>) -> io::Result<libc::mq_attr> {
    // SAFETY: mq_attr is plain integers; all-zero is a valid value.
    let mut attr: libc::mq_attr = unsafe { std::mem::zeroed() };
    // SAFETY: `fd` is open for the whole call (glibc's mqd_t is the
    // descriptor number, and mq_getattr neither keeps nor closes it), and
    // `attr` is a valid out-pointer.
    check(unsafe { libc::mq_getattr(fd.as_raw_fd(), &mut attr) })?;
    Ok(attr)
}

/// `mq_unlink(3)`.
pub fn mq_unlink(name: &CStr) -> io::Result<()> {
    // SAFETY: `name` is a valid NUL-terminated string for the call.
    check(unsafe { libc::mq_unlink(name.as_ptr()) }).map(drop)
}

/// An open named semaphore, closed on drop.
pub struct Sem(*mut libc::sem_t);

impl Drop for Sem {
    fn drop(&mut self) {
        // SAFETY: the pointer came from a successful sem_open and is closed
        // only here.
        unsafe { libc::sem_close(self.0) };
    }
}

/// `sem_open(3)`; with `O_CREAT`, a new semaphore starts at `value`.
pub fn sem_open(name: &CStr, oflag: libc::c_int, mode: u32, value: u32) -> io::Result<Sem> {
    // SAFETY: `name` is a valid C string; the variadic arguments are the
    // mode and the initial value as C passes them (mode_t and unsigned
    // int); without O_CREAT glibc does not read them.
    let sem = unsafe {
        libc::sem_open(
            name.as_ptr(),
            oflag,
            mode as libc::c_uint,
            value as libc::c_uint,
        )
    };
    if sem == libc::SEM_FAILED {
        Err(io::Error::last_os_error())
    } else {
        Ok(Sem(sem))
    }
}

/// `sem_unlink(3)`.
pub fn sem_unlink(name: &CStr) -> io::Result<()> {
    // SAFETY: `name` is a valid NUL-terminated string for the call.
    check(unsafe { libc::sem_unlink(name.as_ptr()) }).map(drop)
}
