//! POSIX named semaphores (`/dev/shm/sem.<name>`).

use crate::ipc::CreateOptions;
use std::ffi::{OsStr, OsString};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use super::{entries, sys, Attrs, ListError, SHM_DIR};

/// A named semaphore as listed from `/dev/shm`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SemObject {
    /// The name without the `sem.` prefix and without a leading `/`.
    pub name: OsString,
    /// Owner, mode and times of the semaphore file.
    pub attrs: Attrs,
    /// The value from `sem_getvalue`; `None` when the semaphore could not
    /// be opened (no read and write permission, or not a semaphore).
    /// util-linux leaves such semaphores out of its listings.
    pub value: Option<i32>,
}

/// Creates the semaphore `name` with initial `value` and permissions
/// `mode` (`sem_open(O_CREAT)`; the umask applies). With `exclusive`
/// (`O_EXCL`) an existing semaphore is an `EEXIST` error instead of being
/// opened.
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
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # References
/// - [sem_open(3)](https://man7.org/linux/man-pages/man3/sem_open.3.html)
/// - [sem_unlink(3)](https://man7.org/linux/man-pages/man3/sem_unlink.3.html)
/// - [sem_overview(7)](https://man7.org/linux/man-pages/man7/sem_overview.7.html)
#[doc(alias = "sem_open")]
pub fn create(name: &OsStr, value: u32, opts: CreateOptions) -> io::Result<()> {
    let (mode, exclusive) = (opts.mode_bits(), opts.is_exclusive());
    let mut oflag = libc::O_CREAT;
    if exclusive {
        oflag |= libc::O_EXCL;
    }
    sys::sem_open(&sys::c_name(name)?, oflag, mode, value).map(drop)
}

/// Removes the semaphore `name` (`sem_unlink(3)`: a leading `/` is
/// optional).
#[doc(alias = "sem_unlink")]
pub fn remove(name: &OsStr) -> io::Result<()> {
    sys::sem_unlink(&sys::c_name(name)?)
}

/// Every named semaphore: the `sem.*` entries of `/dev/shm`, each opened
/// for its value.
///
/// # Examples
///
/// ```
/// use nsipc::ipc::posix::sem;
/// for s in sem::list()? {
///     println!("{} value {:?}", s.name.to_string_lossy(), s.value);
/// }
/// # Ok::<(), nsipc::ipc::posix::ListError>(())
/// ```
///
/// # References
/// - [sem_overview(7)](https://man7.org/linux/man-pages/man7/sem_overview.7.html)
pub fn list() -> Result<Vec<SemObject>, ListError> {
    Ok(entries(Path::new(SHM_DIR))?
        .into_iter()
        .filter_map(|(file, attrs)| {
            let name = OsStr::from_bytes(file.as_bytes().strip_prefix(b"sem.")?).to_os_string();
            let value = value_of(&name, &attrs);
            Some(SemObject { name, attrs, value })
        })
        .collect())
}

/// The value of the semaphore `name`, if it can be read safely.
///
/// `sem_open` maps the file without checking its size, and touching the
/// mapping of a file shorter than a `sem_t` kills the process with
/// SIGBUS: anyone can create `/dev/shm/sem.x` as an empty file. So only
/// regular files big enough for a semaphore are opened. (The owner could
/// still truncate the file between the check and the read; that race is
/// accepted.)
fn value_of(name: &OsStr, attrs: &Attrs) -> Option<i32> {
    let big_enough = attrs.size >= std::mem::size_of::<libc::sem_t>() as u64;
    if !attrs.is_regular() || !big_enough {
        return None;
    }
    let cname = sys::c_name(name).ok()?;
    let sem = sys::sem_open(&cname, 0, 0, 0).ok()?;
    sys::sem_getvalue(&sem).ok()
}
