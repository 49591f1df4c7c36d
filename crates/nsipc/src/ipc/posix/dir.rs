//! Reading the directory of a POSIX IPC listing (`/dev/shm`,
//! `/dev/mqueue`) with `getdents`, and each entry's attributes with
//! `*at` calls relative to it: no path is built per entry, and entries
//! are filtered by name before any call is made for them.

use std::ffi::{CStr, CString, OsString};
use std::io;
use std::os::fd::BorrowedFd;
use std::os::unix::ffi::OsStringExt;
use std::path::Path;

use rustix::fs::{AtFlags, Dir, FileType, Mode, OFlags};

use super::Attrs;

/// Why [`scan`] failed.
pub(super) enum Failed {
    /// The directory could not be opened (`ENOENT`: it does not exist).
    Open(io::Error),
    /// Reading it failed after it was opened.
    Read(io::Error),
}

/// The entries of `dir` whose file names `keep` accepts (`.` and `..`
/// never), in directory order, each made into a `T` by `each`, which gets
/// the open directory (for `*at` calls, so no path is built per entry), the
/// name and the type `readdir` reported. Entries for which `each` gives
/// `None` (removed meanwhile) are left out. Names are filtered before
/// anything else is done with an entry: `/dev/shm` holds both shared memory
/// objects and semaphores, and each listing looks only at its own.
pub(super) fn scan<T>(
    dir: &Path,
    keep: impl Fn(&[u8]) -> bool,
    mut each: impl FnMut(BorrowedFd<'_>, CString, FileType) -> Option<T>,
) -> Result<Vec<T>, Failed> {
    let fd = rustix::fs::open(
        dir,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NONBLOCK | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| Failed::Open(e.into()))?;
    let read_error = |e: rustix::io::Errno| Failed::Read(e.into());
    let mut reader = Dir::new(fd).map_err(read_error)?;
    let mut out = Vec::new();
    while let Some(entry) = reader.read() {
        let entry = entry.map_err(read_error)?;
        let name = entry.file_name().to_bytes();
        if name == b"." || name == b".." || !keep(name) {
            continue;
        }
        let file_type = entry.file_type();
        let name = entry.file_name().to_owned();
        let fd = reader.fd().map_err(read_error)?;
        if let Some(item) = each(fd, name, file_type) {
            out.push(item);
        }
    }
    Ok(out)
}

/// The attributes of `name` in `dir`: `fstatat`, which follows symbolic
/// links as util-linux's does; `None` when it fails (removed meanwhile, a
/// dangling link).
pub(super) fn stat_at(dir: BorrowedFd<'_>, name: &CStr) -> Option<Attrs> {
    rustix::fs::statat(dir, name, AtFlags::empty())
        .ok()
        .map(|st| Attrs::from_stat(&st))
}

/// A directory entry's name as an `OsString` (no copy).
pub(super) fn os_name(name: CString) -> OsString {
    OsString::from_vec(name.into_bytes())
}
