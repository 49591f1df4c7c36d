//! Reading the directory of a POSIX IPC listing (`/dev/shm`,
//! `/dev/mqueue`) with `getdents`, and each entry's attributes with
//! `*at` calls relative to it: no path is built per entry, and entries
//! are filtered by name before any call is made for them.

use std::ffi::{CStr, CString, OsString};
use std::io;
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::ffi::OsStringExt;
use std::path::Path;
use std::sync::{mpsc, Mutex, PoisonError};

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
/// One `stat` or `open` per entry is what a listing costs, and the kernel
/// serves them in parallel: entries are handed out in batches of [`BATCH`]
/// as the directory is read, to up to [`MAX_THREADS`] - 1 helper threads
/// (started when the first batch is full, so a short listing starts none),
/// and this thread joins them once the directory is read. The order stays
/// the directory's. Where no thread can be started, this thread does every
/// batch.
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
    let fd = dir_fd.as_fd();
    let (work_tx, work_rx) = mpsc::channel::<(usize, Batch)>();
    let (done_tx, done_rx) = mpsc::channel::<(usize, Vec<T>)>();
    let work_rx = Mutex::new(work_rx);
    // Takes batches until none is left and the sender is gone.
    let worker = || {
        loop {
            let job = work_rx
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .recv();
            let Ok((index, batch)) = job else { break };
            let items = batch
                .into_iter()
                .filter_map(|(name, file_type)| each(fd, name, file_type))
                .collect();
            // The receiver lives until every batch is in.
            let _ = done_tx.send((index, items));
        }
    };
    std::thread::scope(|scope| {
        let mut helpers = Vec::new();
        let read = (|| {
            // RawDir walks getdents' buffer in place: no allocation for an
            // entry that is left out.
            let mut buf = Vec::with_capacity(GETDENTS_BUFFER);
            let mut reader = RawDir::new(fd, buf.spare_capacity_mut());
            let mut batch = Vec::with_capacity(BATCH);
            let mut batches = 0;
            while let Some(entry) = reader.next() {
                let entry = entry.map_err(|e| Failed::Read(e.into()))?;
                let name = entry.file_name().to_bytes();
                if name == b"." || name == b".." || !keep(name) {
                    continue;
                }
                batch.push((entry.file_name().to_owned(), entry.file_type()));
                if batch.len() == BATCH {
                    if batches == 0 {
                        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
                        for _ in 1..threads.min(MAX_THREADS) {
                            let spawned = std::thread::Builder::new()
                                .stack_size(THREAD_STACK)
                                .spawn_scoped(scope, worker);
                            // Without a helper this thread does the batch later.
                            helpers.extend(spawned.ok());
                        }
                    }
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                    let _ = work_tx.send((batches, full));
                    batches += 1;
                }
            }
            if !batch.is_empty() {
                let _ = work_tx.send((batches, batch));
                batches += 1;
            }
            Ok(batches)
        })();
        // No more batches: the helpers finish what is queued, this thread
        // helps.
        drop(work_tx);
        worker();
        for helper in helpers {
            if let Err(panic) = helper.join() {
                std::panic::resume_unwind(panic);
            }
        }
        let batches = read?;
        // Every batch is done (the workers have returned): all are queued.
        let mut done: Vec<(usize, Vec<T>)> = done_rx.try_iter().collect();
        debug_assert_eq!(done.len(), batches);
        done.sort_unstable_by_key(|(index, _)| *index);
        Ok(done.into_iter().flat_map(|(_, items)| items).collect())
    })
}

/// Entries of a directory with their `readdir` types.
type Batch = Vec<(CString, FileType)>;

/// The buffer `getdents` fills: some 1,000 entries of a tmpfs per call.
const GETDENTS_BUFFER: usize = 32 * 1024;
/// Entries handed out at a time; the first full batch starts the helpers.
const BATCH: usize = 512;
/// The most threads a listing uses, this one included.
const MAX_THREADS: usize = 4;
/// The helpers' stack: a `stat` or an `open` and a `read` need little.
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
