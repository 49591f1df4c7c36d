//! POSIX IPC: message queues, shared memory, named semaphores.
//!
//! Unlike System V IPC, these objects are files:
//!
//! - [`shm`]: shared memory objects are the files of `/dev/shm` (a tmpfs),
//!   made by `shm_open(3)`; their size is the file size.
//! - [`sem`]: a named semaphore `/x` is the file `/dev/shm/sem.x`, made by
//!   `sem_open(3)`.
//! - [`mqueue`]: message queues live in the kernel's mqueue file system,
//!   conventionally mounted on `/dev/mqueue`; a queue `/q` is the file
//!   `/dev/mqueue/q`, whose content starts with `QSIZE:<bytes queued>`.
//!
//! Which objects are visible depends on the mount namespace (the `/dev/shm`
//! mount) and, for queues, on the IPC namespace of whoever mounted the
//! mqueue file system: an IPC namespace alone does not isolate `/dev/shm`.
//!
//! Listings come in directory order, as util-linux shows them. Creating and
//! removing objects goes through glibc (see `sys`), so names get exactly
//! glibc's rules: for shared memory and semaphores leading `/`s are
//! optional (`/x` and `x` are the same object), message queue names must
//! start with `/`. Every error is an [`ipc::Error`](crate::ipc::Error):
//! the errno, the call (`mq_open`, `shm_unlink`, `opendir` …) and the
//! object's name or directory.

pub mod mqueue;
pub mod sem;
pub mod shm;
// Reading the directories of the listings.
mod dir;
// The C library calls of POSIX IPC (sem_open, mq_*, shm_open …): the only
// unsafe code of posix/.
#[allow(unsafe_code)]
mod sys;

use std::ffi::{CString, OsStr};
use std::io;
use std::os::fd::BorrowedFd;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use crate::ipc::{Error, Object, Operation, PosixKind, Result};

use rustix::fs::FileType;

use dir::{os_name, stat_at};

/// Where glibc keeps shared memory objects and named semaphores.
pub const SHM_DIR: &str = "/dev/shm";
/// The prefix of a named semaphore's file in [`SHM_DIR`] (`sem.x` for `/x`).
const SEM_PREFIX: &[u8] = b"sem.";
/// Where the mqueue file system is conventionally mounted.
pub const MQUEUE_DIR: &str = "/dev/mqueue";

/// File attributes of a POSIX IPC object (from `stat(2)` of its file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attrs {
    /// Owner; util-linux shows it as both owner and creator.
    pub uid: u32,
    /// Group.
    pub gid: u32,
    /// `st_mode`: file type and permission bits (mask with `0o777` for the
    /// permissions util-linux prints).
    pub mode: u32,
    /// Size in bytes (shared memory size; 80 for a queue file).
    pub size: u64,
    /// Last modification and status change, seconds since the epoch.
    pub mtime: i64,
    /// Last status change (`st_ctime`), seconds since the epoch.
    pub ctime: i64,
    /// Device and inode of the file: what identifies the object across
    /// mount namespaces (see [`super::holders`]).
    pub dev: u64,
    /// The inode number (see `dev`).
    pub ino: u64,
}

impl Attrs {
    pub(crate) fn from_metadata(md: &std::fs::Metadata) -> Self {
        Attrs {
            uid: md.uid(),
            gid: md.gid(),
            mode: md.mode(),
            size: md.size(),
            mtime: md.mtime(),
            ctime: md.ctime(),
            dev: md.dev(),
            ino: md.ino(),
        }
    }

    /// The attributes in a `stat` result (the same fields as
    /// [`Attrs::from_metadata`]).
    // The field types of `stat` differ between targets.
    #[allow(clippy::unnecessary_cast)]
    pub(crate) fn from_stat(st: &rustix::fs::Stat) -> Self {
        Attrs {
            uid: st.st_uid,
            gid: st.st_gid,
            mode: st.st_mode as u32,
            size: st.st_size as u64,
            mtime: st.st_mtime as i64,
            ctime: st.st_ctime as i64,
            dev: st.st_dev as u64,
            ino: st.st_ino as u64,
        }
    }

    /// Whether the object's file is a regular file (what `shm_open` and
    /// `sem_open` make; `/dev/shm` may also hold directories and the like).
    pub fn is_regular(&self) -> bool {
        self.mode & libc::S_IFMT == libc::S_IFREG
    }
}

/// The operation [`Error::operation`] names when a listing's directory
/// cannot be opened. With `ENOENT` (`ErrorKind::NotFound`) the directory
/// does not exist: for queues, nothing is mounted on [`MQUEUE_DIR`].
pub const OPENDIR: Operation = Operation::new("opendir");
/// The operation [`Error::operation`] names when reading a listing's
/// directory failed after it was opened.
pub const READDIR: Operation = Operation::new("readdir");

/// An error of `operation` on the POSIX object `name` of `kind`.
fn on_name(
    operation: Operation,
    kind: PosixKind,
    name: &OsStr,
) -> impl FnOnce(io::Error) -> Error + '_ {
    move |source| Error::new(operation, Object::posix(kind, name), source)
}

/// [`dir::scan`] of a listing, its failure as an [`Error`] on the
/// directory: [`OPENDIR`] or [`READDIR`].
fn scan<T: Send>(
    path: &Path,
    keep: impl Fn(&[u8]) -> bool,
    each: impl Fn(BorrowedFd<'_>, CString, FileType) -> Option<T> + Sync,
) -> Result<Vec<T>> {
    dir::scan(path, keep, each).map_err(|failed| match failed {
        dir::Failed::Open(source) => Error::new(OPENDIR, Object::path(path), source),
        dir::Failed::Read(source) => Error::new(READDIR, Object::path(path), source),
    })
}

#[cfg(test)]
pub(crate) mod testdir {
    use std::path::PathBuf;

    /// A private scratch directory under the temp dir, removed on drop.
    /// Only plain files are made in it: no IPC object is touched.
    pub struct TestDir(pub PathBuf);

    impl TestDir {
        pub fn new(tag: &str) -> Self {
            let path = std::env::temp_dir().join(format!(
                "nsipc-posix-{tag}-{}-{:?}",
                std::process::id(),
                std::thread::current().id()
            ));
            let _ = std::fs::remove_dir_all(&path);
            std::fs::create_dir(&path).unwrap();
            TestDir(path)
        }
    }

    impl Drop for TestDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testdir::TestDir;
    use super::*;
    use std::ffi::OsString;

    fn entries(dir: &Path) -> Result<Vec<(OsString, Attrs)>> {
        scan(
            dir,
            |_| true,
            |fd, name, _| {
                let attrs = stat_at(fd, &name)?;
                Some((os_name(name), attrs))
            },
        )
    }

    #[test]
    fn missing_directory_is_not_mounted() {
        let dir = TestDir::new("missing");
        let missing = dir.0.join("nope");
        let err = entries(&missing).unwrap_err();
        assert_eq!(err.operation(), OPENDIR);
        assert_eq!(err.object(), &Object::Path(missing.clone()));
        assert_eq!(err.raw_os_error(), Some(libc::ENOENT));
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
        assert_eq!(
            err.to_string(),
            format!("opendir {}: No such file or directory", missing.display())
        );
    }

    #[test]
    fn entries_have_attributes_and_skip_dangling_links() {
        let dir = TestDir::new("entries");
        std::fs::write(dir.0.join("a"), b"12345").unwrap();
        std::os::unix::fs::symlink("/nonexistent/x", dir.0.join("dangling")).unwrap();
        std::fs::create_dir(dir.0.join("sub")).unwrap();
        let mut got = entries(&dir.0).unwrap();
        got.sort_by(|a, b| a.0.cmp(&b.0));
        let names: Vec<_> = got.iter().map(|(n, _)| n.to_str().unwrap()).collect();
        assert_eq!(names, ["a", "sub"]);
        assert_eq!(got[0].1.size, 5);
        assert!(got[0].1.is_regular());
        assert!(!got[1].1.is_regular());
    }

    #[test]
    fn names_are_filtered_before_anything_is_done_with_them() {
        let dir = TestDir::new("filter");
        for name in ["sem.a", "b", "sem.c"] {
            std::fs::write(dir.0.join(name), b"").unwrap();
        }
        let seen = std::sync::Mutex::new(Vec::new());
        let got = scan(
            &dir.0,
            |name| name.starts_with(SEM_PREFIX),
            |_, name, _| {
                seen.lock().unwrap().push(name.clone());
                Some(os_name(name))
            },
        )
        .unwrap();
        let mut seen = seen.into_inner().unwrap();
        seen.sort();
        assert_eq!(seen, [c"sem.a".to_owned(), c"sem.c".to_owned()]);
        assert_eq!(got.len(), 2);
    }

    /// A listing long enough to be shared with helper threads comes back
    /// whole, in directory order (as `readdir` gives it), each entry once;
    /// with more than one CPU, helpers do part of it. (This thread waits in
    /// its first entry until a helper has done one, so the check does not
    /// depend on scheduling.)
    #[test]
    fn long_listings_keep_directory_order() {
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        use std::time::{Duration, Instant};
        let dir = TestDir::new("order");
        // Four batches of 512 (the last one short).
        for i in 0..1600 {
            std::fs::write(dir.0.join(format!("f{i}")), b"").unwrap();
        }
        let want: Vec<OsString> = std::fs::read_dir(&dir.0)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        let parallel = std::thread::available_parallelism().map_or(1, |n| n.get()) > 1;
        let me = std::thread::current().id();
        let by_helpers = AtomicUsize::new(0);
        let waited = AtomicBool::new(false);
        let got = scan(
            &dir.0,
            |_| true,
            |_, name, _| {
                if std::thread::current().id() != me {
                    by_helpers.fetch_add(1, Ordering::SeqCst);
                } else if parallel && !waited.swap(true, Ordering::SeqCst) {
                    let end = Instant::now() + Duration::from_secs(10);
                    while by_helpers.load(Ordering::SeqCst) == 0 && Instant::now() < end {
                        std::thread::sleep(Duration::from_millis(1));
                    }
                }
                Some(os_name(name))
            },
        )
        .unwrap();
        assert_eq!(got, want);
        assert_eq!(by_helpers.into_inner() > 0, parallel);
    }
}
