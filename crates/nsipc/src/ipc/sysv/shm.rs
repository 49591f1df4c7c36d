//! System V shared memory segments.

// Kernel struct fields are `c_ulong`, `time_t` etc.: the same as u64/i64 on
// 64-bit targets but not on 32-bit ones, so the conversions stay.
#![allow(clippy::useless_conversion, clippy::unnecessary_cast)]

use std::io;

use super::Table;
use super::{create_flags, parse, sys, CreateOptions, IpcId, IpcPerm, Key, SetPerm, ShmSegment};
use crate::ipc::error::on;
use crate::ipc::{Object, Operation, Result, SysvKind};

const KIND: SysvKind = SysvKind::SharedMemory;

/// Creates (or opens) the segment of `key`:
/// `shmget(key, size, IPC_CREAT|[IPC_EXCL]|mode)`.
///
/// # Errors
///
/// `shmget` on the key: `EEXIST` (exclusive, and the key is taken),
/// `EINVAL` (size below `shmmin`, above `shmmax`, or above an existing
/// segment's size), `ENOSPC`, `ENOMEM`, `EACCES`.
///
/// # Examples
///
/// ``` no_run
/// use nsipc::ipc::sysv::{shm, Key};
/// use nsipc::ipc::CreateOptions;
/// // A private 4 KiB segment, mode 0640.
/// let id = shm::create(Key::PRIVATE, 4096, CreateOptions::new().mode(0o640))?;
/// assert_eq!(shm::stat(id)?.size, 4096);
/// shm::remove(id)?;
/// # Ok::<(), nsipc::ipc::Error>(())
/// ```
///
/// # References
/// - [shmget(2)](https://man7.org/linux/man-pages/man2/shmget.2.html)
/// - [shmctl(2)](https://man7.org/linux/man-pages/man2/shmctl.2.html)
/// - [sysvipc(7)](https://man7.org/linux/man-pages/man7/sysvipc.7.html)
#[doc(alias = "shmget")]
pub fn create(key: Key, size: u64, opts: CreateOptions) -> Result<IpcId> {
    let shmget = on(Operation::new("shmget"), Object::SysvKey(KIND, key));
    // A size beyond the address space is no size shmget could take.
    let size = match usize::try_from(size) {
        Ok(size) => size,
        Err(_) => return Err(shmget(io::Error::from_raw_os_error(libc::EINVAL))),
    };
    sys::shmget(key.as_raw(), size, create_flags(opts))
        .map(IpcId)
        .map_err(shmget)
}

/// The id of the existing segment of `key`: `shmget(key, 0, 0)`.
///
/// # Errors
///
/// `shmget` on the key: `ENOENT` when no segment has it.
pub fn lookup(key: Key) -> Result<IpcId> {
    sys::shmget(key.as_raw(), 0, 0)
        .map(IpcId)
        .map_err(on(Operation::new("shmget"), Object::SysvKey(KIND, key)))
}

/// Marks the segment for removal (`IPC_RMID`): it goes when the last process
/// detaches; until then it shows `SHM_DEST` and key 0.
///
/// # Errors
///
/// `shmctl(IPC_RMID)` on the id: `EINVAL` (no such segment), `EPERM`.
pub fn remove(id: IpcId) -> Result<()> {
    let mut ds = sys::zeroed();
    sys::shmctl_ds(id.0, libc::IPC_RMID, &mut ds)
        .map(|_| ())
        .map_err(Segments::on_id("IPC_RMID", id))
}

/// Locks the segment in memory (`SHM_LOCK`; needs CAP_IPC_LOCK or
/// ownership within RLIMIT_MEMLOCK).
///
/// # Errors
///
/// `shmctl(SHM_LOCK)` on the id: `EINVAL`, `EPERM`, `ENOMEM`
/// (RLIMIT_MEMLOCK).
#[doc(alias = "SHM_LOCK")]
pub fn lock(id: IpcId) -> Result<()> {
    let mut ds = sys::zeroed();
    sys::shmctl_ds(id.0, libc::SHM_LOCK, &mut ds)
        .map(|_| ())
        .map_err(Segments::on_id("SHM_LOCK", id))
}

/// Unlocks the segment (`SHM_UNLOCK`).
///
/// # Errors
///
/// `shmctl(SHM_UNLOCK)` on the id: `EINVAL`, `EPERM`.
#[doc(alias = "SHM_UNLOCK")]
pub fn unlock(id: IpcId) -> Result<()> {
    let mut ds = sys::zeroed();
    sys::shmctl_ds(id.0, libc::SHM_UNLOCK, &mut ds)
        .map(|_| ())
        .map_err(Segments::on_id("SHM_UNLOCK", id))
}

/// Shared memory segments, for the generic pieces of [`super`].
struct Segments;

impl Table for Segments {
    const KIND: SysvKind = KIND;
    const CTL: &'static str = "shmctl";
    const STAT_NAMES: [&'static str; 2] = ["SHM_STAT", "SHM_STAT_ANY"];
    type Ds = libc::shmid_ds;
    type Object = ShmSegment;
    const PROC: &'static str = "/proc/sysvipc/shm";
    const STAT: libc::c_int = sys::SHM_STAT;
    const STAT_ANY: libc::c_int = sys::SHM_STAT_ANY;

    fn ctl(id: i32, cmd: libc::c_int, ds: &mut Self::Ds) -> io::Result<libc::c_int> {
        sys::shmctl_ds(id, cmd, ds)
    }

    fn perm(ds: &mut Self::Ds) -> &mut libc::ipc_perm {
        &mut ds.shm_perm
    }

    fn object(id: IpcId, ds: &Self::Ds) -> ShmSegment {
        ShmSegment {
            id,
            perm: IpcPerm::from(&ds.shm_perm),
            atime: ds.shm_atime,
            dtime: ds.shm_dtime,
            ctime: ds.shm_ctime,
            size: ds.shm_segsz as u64,
            cpid: ds.shm_cpid,
            lpid: ds.shm_lpid,
            nattch: ds.shm_nattch,
            rss: None,
            swap: None,
        }
    }

    fn rows() -> parse::Rows<ShmSegment> {
        parse::shm_rows()
    }

    fn max_index() -> Result<i32> {
        usage().map(|u| u.max_index)
    }

    fn id_of(s: &ShmSegment) -> i32 {
        s.id.as_raw()
    }
}

/// The segment's state (`IPC_STAT`; needs read permission).
///
/// # Errors
///
/// `shmctl(IPC_STAT)` on the id: `EINVAL` (no such segment), `EACCES`.
#[doc(alias = "IPC_STAT")]
pub fn stat(id: IpcId) -> Result<ShmSegment> {
    super::stat::<Segments>(id)
}

/// The segment at kernel table `index` (`SHM_STAT`; needs read permission).
///
/// # Errors
///
/// `shmctl(SHM_STAT)` on the index: `EINVAL` (unused index), `EACCES`.
#[doc(alias = "SHM_STAT")]
pub fn stat_index(index: i32) -> Result<ShmSegment> {
    super::stat_index::<Segments>(index, false)
}

/// Changes owner and permissions (`IPC_SET`).
///
/// # Errors
///
/// `shmctl(IPC_STAT)` or `shmctl(IPC_SET)` on the id: `EINVAL`, `EACCES`,
/// `EPERM`.
#[doc(alias = "IPC_SET")]
pub fn set(id: IpcId, change: &SetPerm) -> Result<()> {
    super::set::<Segments>(id, change, |_| {})
}

/// Every segment of the namespace, from `/proc/sysvipc/shm`, or from a
/// `SHM_STAT_ANY` loop if that cannot be read.
///
/// # Errors
///
/// Only when `/proc/sysvipc/shm` cannot be read and then
/// `shmctl(SHM_INFO)` fails (see [`usage`]).
///
/// # Examples
///
/// ```
/// use nsipc::ipc::sysv::shm;
/// for s in shm::list()? {
///     println!("{} {} bytes, {} attached", s.id, s.size, s.nattch);
/// }
/// # Ok::<(), nsipc::ipc::Error>(())
/// ```
///
/// # References
/// - [shmctl(2)](https://man7.org/linux/man-pages/man2/shmctl.2.html)
/// - [proc(5)](https://man7.org/linux/man-pages/man5/proc.5.html)
pub fn list() -> Result<Vec<ShmSegment>> {
    super::list::<Segments>()
}

/// [`list`] one segment at a time, as `/proc/sysvipc/shm` is read: memory
/// stays flat however many there are.
///
/// # Errors
///
/// As [`list`].
pub fn for_each(each: impl FnMut(ShmSegment)) -> Result<()> {
    super::for_each::<Segments>(each)
}

/// [`for_each`] for callers that need no `rss` and `swap` (they may be
/// `None`): the segments are then walked by index (`SHM_INFO`, then
/// `SHM_STAT_ANY`), which for many segments costs less than the kernel's
/// text of the file.
pub fn for_each_brief(mut each: impl FnMut(ShmSegment)) -> Result<()> {
    let census = usage().ok().map(|u| (u.max_index, u.segments));
    super::for_each_walking::<Segments>(census, &mut each)
}

/// The segment `id` as [`list`] shows it (`None` if there is none),
/// reading `/proc/sysvipc/shm` without keeping the other objects.
///
/// # Errors
///
/// As [`list`].
pub fn find(id: IpcId) -> Result<Option<ShmSegment>> {
    super::find::<Segments>(id.as_raw())
}

/// The fallback of [`list`]: `SHM_INFO` for the highest index, then
/// `SHM_STAT_ANY` (or `SHM_STAT` before Linux 4.17) for each index. The
/// creator gid is the real `cgid` (util-linux shows the cuid there).
///
/// # Errors
///
/// `shmctl(SHM_INFO)` (see [`usage`]); indices that cannot be read are
/// left out.
pub fn list_by_syscall() -> Result<Vec<ShmSegment>> {
    super::list_by_syscall::<Segments>()
}

/// Shared memory limits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Limits {
    /// Maximum number of segments (`shmmni`).
    pub shmmni: u64,
    /// Maximum segment size in bytes (`shmmax`).
    pub shmmax: u64,
    /// Maximum total shared memory in pages (`shmall`).
    pub shmall: u64,
    /// Minimum segment size in bytes (always 1 on Linux).
    pub shmmin: u64,
}

/// Limits from `/proc/sys/kernel/shm{mni,max,all}`, or `shmctl(IPC_INFO)`
/// when any of them cannot be read.
///
/// # Errors
///
/// `shmctl(IPC_INFO)` on shared memory segments, when it is needed and
/// fails (`ENOSYS` without System V IPC).
pub fn limits() -> Result<Limits> {
    if let (Some(shmmni), Some(shmmax), Some(shmall)) = (
        super::sysctl("shmmni"),
        super::sysctl("shmmax"),
        super::sysctl("shmall"),
    ) {
        return Ok(Limits {
            shmmni,
            shmmax,
            shmall,
            shmmin: 1,
        });
    }
    let (_, info) = sys::shmctl_ipc_info().map_err(on(
        Operation::with_command("shmctl", "IPC_INFO"),
        Object::SysvAll(KIND),
    ))?;
    Ok(Limits {
        shmmni: u64::from(info.shmmni),
        shmmax: u64::from(info.shmmax),
        shmall: u64::from(info.shmall),
        shmmin: u64::from(info.shmmin),
    })
}

/// The page size: the unit of [`Limits::shmall`] and of the page counts
/// in [`Usage`].
pub fn page_size() -> u64 {
    sys::page_size()
}

/// Current use (`SHM_INFO`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// Segments in use.
    pub segments: u64,
    /// Pages allocated (rounded up per segment).
    pub pages: u64,
    /// Pages resident.
    pub resident: u64,
    /// Pages swapped.
    pub swapped: u64,
    /// Always 0 since Linux 2.4.
    pub swap_attempts: u64,
    /// Always 0 since Linux 2.4.
    pub swap_successes: u64,
    /// Highest used table index (the return value; the kernel also says 0
    /// when none is used).
    pub max_index: i32,
}

/// Current use (`shmctl(SHM_INFO)`).
///
/// # Errors
///
/// `shmctl(SHM_INFO)` on shared memory segments (`ENOSYS` without
/// System V IPC).
#[doc(alias = "SHM_INFO")]
pub fn usage() -> Result<Usage> {
    let (max_index, info) = sys::shmctl_shm_info().map_err(on(
        Operation::with_command("shmctl", "SHM_INFO"),
        Object::SysvAll(KIND),
    ))?;
    Ok(Usage {
        segments: info.used_ids.max(0) as u64,
        pages: u64::from(info.shm_tot),
        resident: u64::from(info.shm_rss),
        swapped: u64::from(info.shm_swp),
        swap_attempts: u64::from(info.swap_attempts),
        swap_successes: u64::from(info.swap_successes),
        max_index,
    })
}
