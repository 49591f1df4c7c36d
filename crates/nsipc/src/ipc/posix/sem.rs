//! POSIX named semaphores (`/dev/shm/sem.<name>`).

use crate::ipc::{CreateOptions, Operation, PosixKind, Result};
use std::ffi::{CStr, OsStr, OsString};
use std::os::fd::{BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStringExt;
use std::path::Path;

use rustix::fs::{FileType, Mode, OFlags};

use super::{on_name, scan, stat_at, sys, Attrs, SEM_PREFIX, SHM_DIR};

const KIND: PosixKind = PosixKind::Semaphore;

/// A named semaphore as listed from `/dev/shm`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SemObject {
    /// The name without the `sem.` prefix and without a leading `/`.
    pub name: OsString,
    /// Owner, mode and times of the semaphore file.
    pub attrs: Attrs,
    /// The value `sem_getvalue` would give (read from the file, see
    /// `value_of`); `None` when the semaphore could not be opened (no read
    /// and write permission, or not a semaphore).
    /// util-linux leaves such semaphores out of its listings.
    pub value: Option<i32>,
}

/// Creates the semaphore `name` with initial `value` and permissions
/// `mode` (`sem_open(O_CREAT)`; the umask applies). With `exclusive`
/// (`O_EXCL`) an existing semaphore is an `EEXIST` error instead of being
/// opened.
///
/// # Errors
///
/// `sem_open` on the name: `EEXIST` (exclusive, and the semaphore
/// exists), `EACCES`, `EINVAL` (`value` above `SEM_VALUE_MAX`, an
/// embedded NUL, or a name glibc refuses), `ENAMETOOLONG`.
///
/// # Examples
///
/// ``` no_run
/// use std::ffi::OsStr;
/// use nsipc::ipc::posix::sem;
/// use nsipc::ipc::CreateOptions;
/// // A semaphore of value 1 (a mutex).
/// sem::create(OsStr::new("/lock"), 1, CreateOptions::new().exclusive())?;
/// sem::remove(OsStr::new("/lock"))?;
/// # Ok::<(), nsipc::ipc::Error>(())
/// ```
///
/// # References
/// - [sem_open(3)](https://man7.org/linux/man-pages/man3/sem_open.3.html)
/// - [sem_unlink(3)](https://man7.org/linux/man-pages/man3/sem_unlink.3.html)
/// - [sem_overview(7)](https://man7.org/linux/man-pages/man7/sem_overview.7.html)
#[doc(alias = "sem_open")]
pub fn create(name: &OsStr, value: u32, opts: CreateOptions) -> Result<()> {
    let (mode, exclusive) = (opts.mode_bits(), opts.is_exclusive());
    let mut oflag = libc::O_CREAT;
    if exclusive {
        oflag |= libc::O_EXCL;
    }
    sys::c_name(name)
        .and_then(|cname| sys::sem_open(&cname, oflag, mode, value))
        .map(drop)
        .map_err(on_name(Operation::new("sem_open"), KIND, name))
}

/// Removes the semaphore `name` (`sem_unlink(3)`: a leading `/` is
/// optional).
///
/// # Errors
///
/// `sem_unlink` on the name: `ENOENT`, `EACCES`, `ENAMETOOLONG`,
/// `EINVAL`.
#[doc(alias = "sem_unlink")]
pub fn remove(name: &OsStr) -> Result<()> {
    sys::c_name(name)
        .and_then(|cname| sys::sem_unlink(&cname))
        .map_err(on_name(Operation::new("sem_unlink"), KIND, name))
}

/// Every named semaphore: the `sem.*` entries of `/dev/shm`, each opened
/// for its value.
///
/// # Errors
///
/// [`OPENDIR`](super::OPENDIR) or [`READDIR`](super::READDIR) on
/// `/dev/shm`. A semaphore that cannot be opened is still listed, without
/// its value.
///
/// # Examples
///
/// ```
/// use nsipc::ipc::posix::sem;
/// for s in sem::list()? {
///     println!("{} value {:?}", s.name.to_string_lossy(), s.value);
/// }
/// # Ok::<(), nsipc::ipc::Error>(())
/// ```
///
/// # References
/// - [sem_overview(7)](https://man7.org/linux/man-pages/man7/sem_overview.7.html)
pub fn list() -> Result<Vec<SemObject>> {
    scan(
        Path::new(SHM_DIR),
        |file| file.starts_with(SEM_PREFIX),
        |dir, file, file_type| {
            let (attrs, value) = read(dir, &file, file_type)?;
            let mut name = file.into_bytes();
            name.drain(..SEM_PREFIX.len());
            Some(SemObject {
                name: OsString::from_vec(name),
                attrs,
                value,
            })
        },
    )
}

/// The attributes and, if it can be read safely, the value of the
/// semaphore file `file` in `dir`; `None` when the file is gone.
///
/// Not through `sem_open` + `sem_getvalue`: `sem_open` maps the file, and
/// touching a mapping beyond the end of the file kills the process with
/// SIGBUS. Anyone may create `/dev/shm/sem.x` and shrink it at any moment
/// (between any size check and the access), so root's `lsipc -S` or
/// `ipcrm -a` could be killed by another user. The value is read with
/// `pread` instead: a file that is too short, or shrinks meanwhile, just
/// gives a short read, and the object is treated as no semaphore.
///
/// The file is opened read-write (and without following a symlink), as
/// `sem_open` opens it, so the same semaphores are left out as by
/// util-linux (those the caller may not both read and write); it must be a
/// regular file at least as big as a `sem_t`. Only a file that is regular
/// (by `readdir`'s type, else by `stat`) is opened at all: opening a device
/// node can have effects. Where it opens, its attributes come from `fstat`
/// of the open file (one `stat` fewer per semaphore); where it does not,
/// from `stat` of the name, which follows symbolic links as util-linux's
/// does.
fn read(dir: BorrowedFd<'_>, file: &CStr, file_type: FileType) -> Option<(Attrs, Option<i32>)> {
    if file_type == FileType::RegularFile {
        if let Some((st, fd)) = open(dir, file) {
            return Some((Attrs::from_stat(&st), value_of(&fd, &st)));
        }
        return Some((stat_at(dir, file)?, None));
    }
    let attrs = stat_at(dir, file)?;
    let value = if attrs.is_regular() {
        open(dir, file).and_then(|(st, fd)| value_of(&fd, &st))
    } else {
        None
    };
    Some((attrs, value))
}

/// `file` in `dir` opened as `sem_open` opens it, and its `fstat`.
fn open(dir: BorrowedFd<'_>, file: &CStr) -> Option<(rustix::fs::Stat, OwnedFd)> {
    let fd = rustix::fs::openat(
        dir,
        file,
        OFlags::RDWR | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .ok()?;
    Some((rustix::fs::fstat(&fd).ok()?, fd))
}

/// The value in the open semaphore file `fd` (whose `fstat` is `st`): a
/// regular file at least as big as a `sem_t`, read with `pread`.
fn value_of(fd: &OwnedFd, st: &rustix::fs::Stat) -> Option<i32> {
    let size_ok = st.st_size >= 0 && st.st_size as u64 >= std::mem::size_of::<libc::sem_t>() as u64;
    if rustix::fs::FileType::from_raw_mode(st.st_mode) != rustix::fs::FileType::RegularFile
        || !size_ok
    {
        return None;
    }
    let mut word = [0u8; VALUE_WORD];
    let mut got = 0;
    while got < word.len() {
        match rustix::io::pread(fd, &mut word[got..], got as u64) {
            Ok(0) => return None,
            Ok(n) => got += n,
            Err(rustix::io::Errno::INTR) => {}
            Err(_) => return None,
        }
    }
    Some(value_from_word(word))
}

/// Bytes at the start of a `sem_t` that hold glibc's value word.
#[cfg(any(target_pointer_width = "64", target_arch = "x86_64"))]
const VALUE_WORD: usize = 8;
#[cfg(not(any(target_pointer_width = "64", target_arch = "x86_64")))]
const VALUE_WORD: usize = 4;

/// The value `sem_getvalue` would return, from the first word of the file.
///
/// This is glibc's `struct new_sem` (nptl/semaphoreP.h, internaltypes.h;
/// the layout of every glibc since 2.21, which process-shared semaphores
/// must keep stable across glibc versions). Where glibc has 64-bit atomics
/// (`__HAVE_64B_ATOMICS`: every 64-bit target, and x32) it starts with a
/// `uint64_t data` whose low 32 bits are the value (`SEM_VALUE_MASK`) and
/// whose high 32 bits count waiters; `sem_getvalue` returns
/// `data & SEM_VALUE_MASK` as an `int`. Elsewhere it starts with an
/// `unsigned int value` holding the value shifted left by one
/// (`SEM_VALUE_SHIFT`) above a waiters bit, and `sem_getvalue` returns
/// `value >> 1`. The file is the `sem_t` itself, in the machine's byte
/// order.
#[cfg(any(target_pointer_width = "64", target_arch = "x86_64"))]
fn value_from_word(word: [u8; VALUE_WORD]) -> i32 {
    (u64::from_ne_bytes(word) & 0xffff_ffff) as u32 as i32
}
#[cfg(not(any(target_pointer_width = "64", target_arch = "x86_64")))]
fn value_from_word(word: [u8; VALUE_WORD]) -> i32 {
    (u32::from_ne_bytes(word) >> 1) as i32
}

#[cfg(test)]
#[allow(unsafe_code)] // the tests compare with glibc's sem_init/sem_getvalue
mod tests {
    use super::super::testdir::TestDir;
    use super::*;

    /// The value read from the file is the one glibc's `sem_getvalue`
    /// reports, for an unnamed process-shared semaphore in memory laid out
    /// as the file is, including with a waiter-free, posted, and large value.
    #[test]
    fn value_word_matches_sem_getvalue() {
        for start in [0u32, 1, 7, 0x7fff_ffff] {
            let mut sem = std::mem::MaybeUninit::<libc::sem_t>::uninit();
            // SAFETY: sem_init initialises the sem_t; pshared 1 gives the
            // layout a named semaphore has in its file.
            assert_eq!(unsafe { libc::sem_init(sem.as_mut_ptr(), 1, start) }, 0);
            // SAFETY: initialised just above.
            let mut sem = unsafe { sem.assume_init() };
            for posts in 0..2 {
                let mut want = 0;
                // SAFETY: `sem` is an initialised semaphore.
                assert_eq!(unsafe { libc::sem_getvalue(&mut sem, &mut want) }, 0);
                // SAFETY: a sem_t is at least VALUE_WORD plain bytes.
                let bytes: [u8; VALUE_WORD] =
                    unsafe { std::ptr::read_unaligned(std::ptr::addr_of!(sem).cast()) };
                assert_eq!(value_from_word(bytes), want, "start {start} posts {posts}");
                if start < 0x7fff_ffff {
                    // SAFETY: `sem` is an initialised semaphore.
                    assert_eq!(unsafe { libc::sem_post(&mut sem) }, 0);
                }
            }
            // SAFETY: nobody waits on it.
            unsafe { libc::sem_destroy(&mut sem) };
        }
    }

    /// Each kind of `sem.*` entry gets the attributes `stat` of its name
    /// gives (following a symbolic link) and a value only when it is a
    /// regular file big enough for a `sem_t`, opened without following a
    /// link.
    #[test]
    fn entries_get_stat_attributes_and_values_only_from_regular_files() {
        let dir = TestDir::new("sem");
        let mut word = [0u8; 32];
        word[..8].copy_from_slice(&7u64.to_ne_bytes());
        std::fs::write(dir.0.join("sem.ok"), word).unwrap();
        std::fs::write(dir.0.join("sem.short"), b"1234").unwrap();
        std::os::unix::fs::symlink("sem.ok", dir.0.join("sem.link")).unwrap();
        std::os::unix::fs::symlink("/nonexistent/x", dir.0.join("sem.dangling")).unwrap();
        std::fs::create_dir(dir.0.join("sem.dir")).unwrap();
        let mut got = scan(
            &dir.0,
            |_| true,
            |fd, file, file_type| {
                let (attrs, value) = read(fd, &file, file_type)?;
                let want = std::fs::metadata(dir.0.join(file.to_str().unwrap())).unwrap();
                assert_eq!(attrs, Attrs::from_metadata(&want), "{file:?}");
                Some((file.into_string().unwrap(), value))
            },
        )
        .unwrap();
        got.sort();
        let want = [
            ("sem.dir", None),
            ("sem.link", None),
            ("sem.ok", Some(7)),
            ("sem.short", None),
        ];
        assert_eq!(
            got,
            want.map(|(n, v)| (n.to_string(), v)).to_vec(),
            "values only from regular files opened without following links; a dangling link left out"
        );
    }
}
