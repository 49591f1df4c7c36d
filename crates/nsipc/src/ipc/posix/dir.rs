//! Reading the directory of a POSIX IPC listing (`/dev/shm`,
//! `/dev/mqueue`) with `getdents`, and each entry's attributes with
//! `*at` calls relative to it: no path is built per entry, and entries
//! are filtered by name before any call is made for them.

use std::ffi::{CStr, CString, OsString};
use std::io;
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::ffi::OsStringExt;
use std::path::Path;
use std::sync::Mutex;

use rustix::fs::{AtFlags, FileType, Mode, OFlags, RawDir};

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
///
/// The directory is read whole first; then, for [`PARALLEL_FROM`] entries
/// or more, `each` runs on up to [`MAX_THREADS`] threads, each on its own
/// stretch of the entries (one `stat` or `open` per entry is what a listing
/// costs, and the kernel serves them in parallel). The order stays the
/// directory's. Where a thread cannot be started its stretch is done here.
pub(super) fn scan<T: Send>(
    dir: &Path,
    keep: impl Fn(&[u8]) -> bool,
    each: impl Fn(BorrowedFd<'_>, CString, FileType) -> Option<T> + Sync,
) -> Result<Vec<T>, Failed> {
    let dir_fd = rustix::fs::open(
        dir,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NONBLOCK | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| Failed::Open(e.into()))?;
    // RawDir walks getdents' buffer in place: no allocation for an entry
    // that is left out (`/dev/shm` holds both kinds of object).
    let mut buf = Vec::with_capacity(GETDENTS_BUFFER);
    let mut reader = RawDir::new(&dir_fd, buf.spare_capacity_mut());
    let mut entries = Vec::new();
    while let Some(entry) = reader.next() {
        let entry = entry.map_err(|e| Failed::Read(e.into()))?;
        let name = entry.file_name().to_bytes();
        if name == b"." || name == b".." || !keep(name) {
            continue;
        }
        entries.push((entry.file_name().to_owned(), entry.file_type()));
    }
    let fd = dir_fd.as_fd();
    let run = |stretch: Stretch| -> Vec<T> {
        stretch
            .into_iter()
            .filter_map(|(name, file_type)| each(fd, name, file_type))
            .collect()
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_THREADS);
    if entries.len() < PARALLEL_FROM || threads < 2 {
        return Ok(run(entries));
    }
    // Stretches in directory order; the last one is done on this thread.
    let per = entries.len().div_ceil(threads);
    let mut stretches = Vec::with_capacity(threads);
    while entries.len() > per {
        let rest = entries.split_off(per);
        stretches.push(std::mem::replace(&mut entries, rest));
    }
    let last = entries;
    // Each stretch in a slot its thread takes it from, or this thread when
    // no thread could be started.
    let slots: Vec<Mutex<Option<Stretch>>> =
        stretches.into_iter().map(|s| Mutex::new(Some(s))).collect();
    Ok(std::thread::scope(|scope| {
        let started: Vec<_> = slots
            .iter()
            .map(|slot| {
                let run = &run;
                std::thread::Builder::new()
                    .stack_size(THREAD_STACK)
                    .spawn_scoped(scope, move || run(take(slot)))
            })
            .collect();
        let mine = run(last);
        let mut out = Vec::new();
        for (slot, spawned) in slots.iter().zip(started) {
            match spawned.map(|handle| handle.join()) {
                Ok(Ok(items)) => out.extend(items),
                Ok(Err(panic)) => std::panic::resume_unwind(panic),
                Err(_) => out.extend(run(take(slot))),
            }
        }
        out.extend(mine);
        out
    }))
}

/// Entries of a directory with their `readdir` types.
type Stretch = Vec<(CString, FileType)>;

/// The stretch left in `slot` (empty if already taken).
fn take(slot: &Mutex<Option<Stretch>>) -> Stretch {
    slot.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .take()
        .unwrap_or_default()
}

/// The buffer `getdents` fills: some 1,000 entries of a tmpfs per call.
const GETDENTS_BUFFER: usize = 32 * 1024;
/// Listings of fewer entries run on one thread: a thread costs about as
/// much as a few dozen `stat`s.
const PARALLEL_FROM: usize = 1024;
/// The most threads a listing uses.
const MAX_THREADS: usize = 4;
/// Their stack: a `stat` or an `open` and a `read` need little.
const THREAD_STACK: usize = 128 * 1024;

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
