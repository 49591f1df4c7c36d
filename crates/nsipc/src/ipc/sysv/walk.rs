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
//! - the fields must agree: both give process ids as the caller's pid
//!   namespace numbers them (the file takes the namespace of whoever opens
//!   it, not that of `/proc`), but only the file has a segment's `rss` and
//!   `swap`, so segments are walked only for `shm::for_each_brief`, and a
//!   queue's `qbytes`, only in the call, is dropped.

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
    each: &mut dyn FnMut(T::Object),
) -> Walked {
    let Some((max_index, in_use)) = census.filter(|_| genuine(T::PROC)) else {
        return Walked::Some(Vec::new());
    };
    let mut shown = Vec::new();
    for index in 0..=max_index {
        if shown.len() as u64 >= in_use {
            break;
        }
        match stat_index::<T>(index, true) {
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

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::io;

    use super::*;
    use crate::ipc::sysv::{parse, IpcId, SemSet};

    thread_local! {
        /// The index the fake kernel refuses with EACCES.
        static REFUSED: Cell<Option<i32>> = const { Cell::new(None) };
    }

    /// A table whose indices 0, 2, 4 hold ids 10, 12, 14 and 1, 3, 5 are
    /// unused; its "file" is on procfs, so the walk takes it for genuine.
    struct Fake;

    impl Table for Fake {
        type Ds = libc::semid_ds;
        type Object = SemSet;
        const PROC: &'static str = "/proc/self/status";
        const STAT: libc::c_int = 0;
        const STAT_ANY: libc::c_int = 0;
        const KIND: crate::ipc::SysvKind = crate::ipc::SysvKind::SemaphoreSet;
        const CTL: &'static str = "semctl";
        const STAT_NAMES: [&'static str; 2] = ["SEM_STAT", "SEM_STAT_ANY"];

        fn ctl(index: i32, _: libc::c_int, _: &mut Self::Ds) -> io::Result<libc::c_int> {
            if REFUSED.get() == Some(index) {
                return Err(io::Error::from_raw_os_error(libc::EACCES));
            }
            match index {
                0 | 2 | 4 => Ok(10 + index),
                _ => Err(io::Error::from_raw_os_error(libc::EINVAL)),
            }
        }
        fn perm(ds: &mut Self::Ds) -> &mut libc::ipc_perm {
            &mut ds.sem_perm
        }
        fn object(id: IpcId, _: &Self::Ds) -> SemSet {
            SemSet {
                id,
                ..SemSet::default()
            }
        }
        fn rows() -> parse::Rows<SemSet> {
            parse::sem_rows()
        }
        fn max_index() -> crate::ipc::Result<i32> {
            Ok(5)
        }
        fn id_of(s: &SemSet) -> i32 {
            s.id.as_raw()
        }
    }

    /// The walk's outcome and the ids it handed over.
    fn walk(census: Option<(i32, u64)>) -> (Option<Vec<i32>>, Vec<i32>) {
        let mut got = Vec::new();
        let walked = by_index::<Fake>(census, &mut |s: SemSet| got.push(s.id.as_raw()));
        let rest = match walked {
            Walked::All => None,
            Walked::Some(ids) => Some(ids),
        };
        (rest, got)
    }

    #[test]
    fn complete_walk_skips_unused_indices() {
        assert_eq!(walk(Some((5, 3))), (None, vec![10, 12, 14]));
        // Stops once every object in use was seen.
        assert_eq!(walk(Some((5, 2))), (None, vec![10, 12]));
        assert_eq!(walk(Some((0, 0))), (None, vec![]));
    }

    #[test]
    fn shortfall_or_refusal_leaves_the_rest_to_the_file() {
        // The kernel counts an object the walk did not find.
        assert_eq!(
            walk(Some((5, 4))),
            (Some(vec![10, 12, 14]), vec![10, 12, 14])
        );
        REFUSED.set(Some(2));
        assert_eq!(walk(Some((5, 3))), (Some(vec![10]), vec![10]));
        REFUSED.set(None);
        // Not walkable at all.
        assert_eq!(walk(None), (Some(vec![]), vec![]));
    }

    #[test]
    fn only_the_kernels_own_file_is_genuine() {
        assert!(genuine("/proc/self/status"));
        assert!(!genuine("/"));
        assert!(!genuine("/nonexistent/sysvipc"));
    }
}
