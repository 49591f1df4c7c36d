//! Listing by table index instead of `/proc/sysvipc/<kind>`, where that
//! gives the very objects the file gives.
//!
//! The kernel formats every row of the file with `seq_printf` (about ten
//! padded numbers), which costs more than the `*_STAT_ANY` call that hands
//! over the same fields in binary, and the text must then be parsed back.
//! With 32,000 semaphore sets, the index walk takes about half the time
//! of reading the file. It is used only where the results are identical:
//!
//! - the file must be the kernel's: whatever is mounted over it is shown
//!   instead ([`genuine`]);
//! - every object must be seen: the walk counts what it finds against the
//!   kernel's count of objects in use (`*_INFO`) and, on any shortfall (a
//!   kernel before 4.17 without `*_STAT_ANY`, a security module refusing an
//!   object, an object removed meanwhile), the listing goes on from the
//!   file, skipping the objects already handed over;
//! - the fields must agree: the file translates process ids into the pid
//!   namespace of `/proc`, the call into the caller's, so a kind with
//!   process ids (queues, segments) is walked only when both are the same
//!   namespace; segments only for `shm::for_each_brief`, as the file alone
//!   has `rss` and `swap`.

use super::{stat_index, Table};

/// How far a walk got.
pub(super) enum Walked {
    /// Every object was handed over.
    All,
    /// Only the objects with these ids (none when the walk was not
    /// possible); the rest must come from elsewhere.
    Some(Vec<i32>),
}

/// Hands every object of `T` over to `each`, in table index order (the
/// order of the file), if the kind can be walked: `census` is the highest
/// used index and the count of objects in use ([`Table::census`]).
pub(super) fn by_index<T: Table>(
    census: Option<(i32, u64)>,
    each: &mut impl FnMut(T::Object),
) -> Walked {
    let Some((max_index, in_use)) = census.filter(|_| genuine(T::PROC)) else {
        return Walked::Some(Vec::new());
    };
    let mut shown = Vec::new();
    for index in 0..=max_index {
        if shown.len() as u64 >= in_use {
            break;
        }
        match stat_index::<T>(index, T::STAT_ANY) {
            Ok(object) => {
                shown.push(T::id_of(&object));
                each(T::as_listed(object));
            }
            // An unused index (or no *_STAT_ANY: the count then tells).
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) => {}
            // Refused: the file shows it.
            Err(_) => return Walked::Some(shown),
        }
    }
    if (shown.len() as u64) < in_use {
        return Walked::Some(shown);
    }
    Walked::All
}

/// Whether `path` is the kernel's own file: on procfs, with nothing
/// mounted over it (`STATX_ATTR_MOUNT_ROOT`, Linux 5.8). Whatever is put
/// there instead is what the listing must show, as util-linux shows it.
pub(super) fn genuine(path: &str) -> bool {
    use rustix::fs::{statfs, statx, AtFlags, StatxAttributes, StatxFlags, CWD, PROC_SUPER_MAGIC};
    if statfs(path).map_or(true, |fs| fs.f_type != PROC_SUPER_MAGIC) {
        return false;
    }
    match statx(CWD, path, AtFlags::empty(), StatxFlags::BASIC_STATS) {
        Ok(x) => !x.stx_attributes.contains(StatxAttributes::MOUNT_ROOT),
        Err(_) => false,
    }
}

/// Whether process ids read from `/proc` and from the System V calls are
/// in the same pid namespace: `/proc` is of the caller's pid namespace
/// exactly when its `NSpid:` line (the caller's pid in the namespace of
/// `/proc` and in each one below it, Linux 4.1) has one number. False
/// when that cannot be told.
pub(super) fn same_pid_namespace() -> bool {
    use std::io::Read;
    let mut status = Vec::with_capacity(4096);
    let read = std::fs::File::open("/proc/self/status")
        .and_then(|f| f.take(64 * 1024).read_to_end(&mut status));
    if read.is_err() {
        return false;
    }
    status
        .split(|&b| b == b'\n')
        .find_map(|line| line.strip_prefix(b"NSpid:"))
        .is_some_and(|pids| {
            pids.split(|b| b.is_ascii_whitespace())
                .filter(|p| !p.is_empty())
                .count()
                == 1
        })
}
