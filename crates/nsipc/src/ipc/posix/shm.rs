//! POSIX shared memory objects (`/dev/shm/<name>`).

use crate::ipc::{CreateOptions, Operation, PosixKind, Result};
use std::ffi::{OsStr, OsString};
use std::io;
use std::path::Path;

use super::{on_name, os_name, scan, stat_at, sys, Attrs, SEM_PREFIX, SHM_DIR};

const KIND: PosixKind = PosixKind::SharedMemory;

/// A shared memory object as listed from `/dev/shm`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShmObject {
    /// The file name, without a leading `/` (what util-linux shows).
    pub name: OsString,
    /// `attrs.size` is the object's size.
    pub attrs: Attrs,
}

/// Creates the object `name` (`shm_open(O_RDWR|O_CREAT)`, then
/// `ftruncate` to `size`) with permissions `mode` (the umask applies).
///
/// With `exclusive` (`O_EXCL`), an existing object is an `EEXIST` error
/// instead of being resized, and a failed resize removes the new object
/// again, so an error leaves nothing behind.
///
/// # Errors
///
/// `shm_open` on the name: `EEXIST` (exclusive, and the object exists),
/// `EACCES`, `EINVAL` (an embedded NUL, or a name glibc refuses),
/// `ENAMETOOLONG`; `ftruncate` on the name: `EINVAL` (a size above
/// `i64::MAX`), `EFBIG`, `ENOSPC` (the size exceeds `/dev/shm`'s).
///
/// # Examples
///
/// ``` no_run
/// use std::ffi::OsStr;
/// use nsipc::ipc::posix::shm;
/// use nsipc::ipc::CreateOptions;
/// shm::create(OsStr::new("/frame"), 1 << 20, CreateOptions::new().exclusive())?;
/// shm::remove(OsStr::new("/frame"))?;
/// # Ok::<(), nsipc::ipc::Error>(())
/// ```
///
/// # References
/// - [shm_open(3)](https://man7.org/linux/man-pages/man3/shm_open.3.html)
/// - [shm_overview(7)](https://man7.org/linux/man-pages/man7/shm_overview.7.html)
#[doc(alias = "shm_open")]
pub fn create(name: &OsStr, size: u64, opts: CreateOptions) -> Result<()> {
    let (mode, exclusive) = (opts.mode_bits(), opts.is_exclusive());
    let mut oflag = libc::O_RDWR | libc::O_CREAT;
    if exclusive {
        oflag |= libc::O_EXCL;
    }
    let (cname, fd) = sys::c_name(name)
        .and_then(|cname| sys::shm_open(&cname, oflag, mode).map(|fd| (cname, fd)))
        .map_err(on_name(Operation::new("shm_open"), KIND, name))?;
    // C passes the size as a signed off_t: one that does not fit is the
    // EINVAL ftruncate gives for a negative length.
    let resized = match i64::try_from(size) {
        Ok(_) => rustix::fs::ftruncate(&fd, size).map_err(io::Error::from),
        Err(_) => Err(io::Error::from_raw_os_error(libc::EINVAL)),
    };
    drop(fd);
    if let Err(e) = resized {
        if exclusive {
            let _ = sys::shm_unlink(&cname);
        }
        return Err(on_name(Operation::new("ftruncate"), KIND, name)(e));
    }
    Ok(())
}

/// Removes the object `name` (`shm_unlink(3)`: a leading `/` is optional).
/// Mappings that exist stay valid until unmapped.
///
/// # Errors
///
/// `shm_unlink` on the name: `ENOENT`, `EACCES`, `ENAMETOOLONG`,
/// `EINVAL`.
#[doc(alias = "shm_unlink")]
pub fn remove(name: &OsStr) -> Result<()> {
    sys::c_name(name)
        .and_then(|cname| sys::shm_unlink(&cname))
        .map_err(on_name(Operation::new("shm_unlink"), KIND, name))
}

/// Every shared memory object: each entry of `/dev/shm` except the
/// `sem.*` files of named semaphores. As in util-linux, any other file
/// there counts (check [`Attrs::is_regular`] to skip directories).
///
/// # Errors
///
/// [`OPENDIR`](super::OPENDIR) or [`READDIR`](super::READDIR) on
/// `/dev/shm`.
///
/// # Examples
///
/// ```
/// use nsipc::ipc::posix::shm;
/// for s in shm::list()? {
///     println!("{} {} bytes", s.name.to_string_lossy(), s.attrs.size);
/// }
/// # Ok::<(), nsipc::ipc::Error>(())
/// ```
///
/// # References
/// - [shm_overview(7)](https://man7.org/linux/man-pages/man7/shm_overview.7.html)
pub fn list() -> Result<Vec<ShmObject>> {
    list_in(Path::new(SHM_DIR))
}

fn list_in(dir: &Path) -> Result<Vec<ShmObject>> {
    scan(
        dir,
        |name| !name.starts_with(SEM_PREFIX),
        |dir, name, _| {
            let attrs = stat_at(dir, &name)?;
            Some(ShmObject {
                name: os_name(name),
                attrs,
            })
        },
    )
}

#[cfg(test)]
mod tests {
    use super::super::testdir::TestDir;
    use super::*;

    #[test]
    fn lists_everything_but_semaphores() {
        let dir = TestDir::new("shm");
        std::fs::write(dir.0.join("seg"), vec![0u8; 100]).unwrap();
        std::fs::write(dir.0.join("sem.s1"), vec![0u8; 32]).unwrap();
        std::fs::write(dir.0.join("semx"), b"").unwrap();
        let mut got = list_in(&dir.0).unwrap();
        got.sort_by(|a, b| a.name.cmp(&b.name));
        let names: Vec<_> = got.iter().map(|o| o.name.to_str().unwrap()).collect();
        assert_eq!(names, ["seg", "semx"]);
        assert_eq!(got[0].attrs.size, 100);
    }

    #[test]
    fn names_with_nul_are_invalid() {
        let err = remove(OsStr::new("a\0b")).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EINVAL));
        assert_eq!(err.operation(), Operation::new("shm_unlink"));
        let err = create(OsStr::new("a\0b"), 1, CreateOptions::new().exclusive()).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EINVAL));
        assert_eq!(err.operation(), Operation::new("shm_open"));
        assert_eq!(
            err.object(),
            &crate::ipc::Object::posix(KIND, OsStr::new("a\0b"))
        );
    }
}
