//! System V semaphore sets.

// Kernel struct fields are `c_ulong`, `time_t` etc.: the same as u64/i64 on
// 64-bit targets but not on 32-bit ones, so the conversions stay.
#![allow(clippy::useless_conversion, clippy::unnecessary_cast)]

use crate::Pid;
use std::io;

use super::Table;
use super::{create_flags, parse, sys, CreateOptions, IpcId, IpcPerm, Key, SemSet, SetPerm};
use crate::ipc::error::on;
use crate::ipc::{Object, Operation, Result, SysvKind};

const KIND: SysvKind = SysvKind::SemaphoreSet;

/// Creates (or opens) the set of `key`:
/// `semget(key, nsems, IPC_CREAT|[IPC_EXCL]|mode)`.
///
/// # Errors
///
/// `semget` on the key: `EEXIST` (exclusive, and the key is taken),
/// `EINVAL` (`nsems` out of range, or above an existing set's),
/// `ENOSPC`, `EACCES`.
///
/// # Examples
///
/// ``` no_run
/// use nsipc::ipc::sysv::{sem, Key};
/// use nsipc::ipc::CreateOptions;
/// // A set of 3 semaphores of key 0x42.
/// let id = sem::create(Key::from_raw(0x42), 3, CreateOptions::new().exclusive())?;
/// assert_eq!(sem::semaphores(id)?.len(), 3);
/// sem::remove(id)?;
/// # Ok::<(), nsipc::ipc::Error>(())
/// ```
///
/// # References
/// - [semget(2)](https://man7.org/linux/man-pages/man2/semget.2.html)
/// - [semctl(2)](https://man7.org/linux/man-pages/man2/semctl.2.html)
/// - [sysvipc(7)](https://man7.org/linux/man-pages/man7/sysvipc.7.html)
#[doc(alias = "semget")]
pub fn create(key: Key, nsems: i32, opts: CreateOptions) -> Result<IpcId> {
    sys::semget(key.as_raw(), nsems, create_flags(opts))
        .map(IpcId)
        .map_err(on(Operation::new("semget"), Object::SysvKey(KIND, key)))
}

/// The id of the existing set of `key`: `semget(key, 0, 0)`.
///
/// # Errors
///
/// `semget` on the key: `ENOENT` when no set has it.
pub fn lookup(key: Key) -> Result<IpcId> {
    sys::semget(key.as_raw(), 0, 0)
        .map(IpcId)
        .map_err(on(Operation::new("semget"), Object::SysvKey(KIND, key)))
}

/// Removes the set (`IPC_RMID`); waiting processes get EIDRM.
///
/// # Errors
///
/// `semctl(IPC_RMID)` on the id: `EINVAL` (no such set), `EPERM`.
pub fn remove(id: IpcId) -> Result<()> {
    sys::semctl_plain(id.0, 0, libc::IPC_RMID)
        .map(|_| ())
        .map_err(Sets::on_id("IPC_RMID", id))
}

/// Semaphore sets, for the generic pieces of [`super`].
struct Sets;

impl Table for Sets {
    const KIND: SysvKind = KIND;
    const CTL: &'static str = "semctl";
    const STAT_NAMES: [&'static str; 2] = ["SEM_STAT", "SEM_STAT_ANY"];
    type Ds = libc::semid_ds;
    type Object = SemSet;
    const PROC: &'static str = "/proc/sysvipc/sem";
    const STAT: libc::c_int = libc::SEM_STAT;
    const STAT_ANY: libc::c_int = libc::SEM_STAT_ANY;

    fn ctl(id: i32, cmd: libc::c_int, ds: &mut Self::Ds) -> io::Result<libc::c_int> {
        sys::semctl_ds(id, cmd, ds)
    }

    fn perm(ds: &mut Self::Ds) -> &mut libc::ipc_perm {
        &mut ds.sem_perm
    }

    fn object(id: IpcId, ds: &Self::Ds) -> SemSet {
        SemSet {
            id,
            perm: IpcPerm::from(&ds.sem_perm),
            otime: ds.sem_otime,
            ctime: ds.sem_ctime,
            nsems: u64::from(ds.sem_nsems),
        }
    }

    fn rows() -> parse::Rows<SemSet> {
        parse::sem_rows()
    }

    fn max_index() -> Result<i32> {
        usage().map(|u| u.max_index)
    }

    fn id_of(s: &SemSet) -> i32 {
        s.id.as_raw()
    }

    // The call gives every field of the file's row, with the same values.
    fn census() -> Option<(i32, u64)> {
        usage().ok().map(|u| (u.max_index, u.sets))
    }
}

/// The set's state (`IPC_STAT`; needs read permission).
///
/// # Errors
///
/// `semctl(IPC_STAT)` on the id: `EINVAL` (no such set), `EACCES`.
#[doc(alias = "IPC_STAT")]
pub fn stat(id: IpcId) -> Result<SemSet> {
    super::stat::<Sets>(id)
}

/// The set at kernel table `index` (`SEM_STAT`; needs read permission).
///
/// # Errors
///
/// `semctl(SEM_STAT)` on the index: `EINVAL` (unused index), `EACCES`.
#[doc(alias = "SEM_STAT")]
pub fn stat_index(index: i32) -> Result<SemSet> {
    super::stat_index::<Sets>(index, false)
}

/// Changes owner and permissions (`IPC_SET`).
///
/// # Errors
///
/// `semctl(IPC_STAT)` or `semctl(IPC_SET)` on the id: `EINVAL`,
/// `EACCES`, `EPERM`.
#[doc(alias = "IPC_SET")]
pub fn set(id: IpcId, change: &SetPerm) -> Result<()> {
    super::set::<Sets>(id, change, |_| {})
}

/// Every set of the namespace, as `/proc/sysvipc/sem` shows them: walked
/// by index with `SEM_INFO` and `SEM_STAT_ANY` (the same fields, cheaper
/// than the kernel's text) when that finds every set and the file is the
/// kernel's own; otherwise (also for the rest of a walk that fell short)
/// read from the file, or from a `SEM_STAT_ANY` loop if that cannot be
/// read.
///
/// # Errors
///
/// Only when `/proc/sysvipc/sem` cannot be read and then
/// `semctl(SEM_INFO)` fails (see [`usage`]).
///
/// # Examples
///
/// ```
/// use nsipc::ipc::sysv::sem;
/// for s in sem::list()? {
///     println!("{} with {} semaphores", s.id, s.nsems);
/// }
/// # Ok::<(), nsipc::ipc::Error>(())
/// ```
///
/// # References
/// - [semctl(2)](https://man7.org/linux/man-pages/man2/semctl.2.html)
/// - [proc(5)](https://man7.org/linux/man-pages/man5/proc.5.html)
pub fn list() -> Result<Vec<SemSet>> {
    super::list::<Sets>()
}

/// [`list`] one set at a time, as they are read: memory stays flat however
/// many there are.
///
/// # Errors
///
/// As [`list`].
pub fn for_each(each: impl FnMut(SemSet)) -> Result<()> {
    super::for_each::<Sets>(each)
}

/// The semaphore set `id` as [`list`] shows it (`None` if there is none),
/// reading `/proc/sysvipc/sem` without keeping the other objects.
///
/// # Errors
///
/// As [`list`].
pub fn find(id: IpcId) -> Result<Option<SemSet>> {
    super::find::<Sets>(id.as_raw())
}

/// The fallback of [`list`]: `SEM_INFO` for the highest index, then
/// `SEM_STAT_ANY` (or `SEM_STAT` before Linux 4.17) for each index. The
/// creator gid is the real `cgid` (util-linux shows the cuid there).
///
/// # Errors
///
/// `semctl(SEM_INFO)` (see [`usage`]); indices that cannot be read are
/// left out.
pub fn list_by_syscall() -> Result<Vec<SemSet>> {
    super::list_by_syscall::<Sets>()
}

/// One semaphore of a set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Semaphore {
    /// Current value (`GETALL`).
    pub value: u16,
    /// Processes waiting for an increase (`GETNCNT`).
    pub ncount: i32,
    /// Processes waiting for zero (`GETZCNT`).
    pub zcount: i32,
    /// Last process to operate on it (`GETPID`).
    pub pid: Pid,
}

/// Every semaphore of set `id`: values in one `GETALL`, then
/// `GETNCNT`/`GETZCNT`/`GETPID` per semaphore. Needs read permission.
///
/// The number of semaphores comes from the kernel (`IPC_STAT`), never from
/// `/proc` text, and is bounded by `semmsl` (CVE-2021-37600: util-linux's
/// `get_sem_elements()` sized its buffer from an unchecked /proc value). The `GETALL` buffer is sized
/// for the largest set the kernel allows, so even a set re-created under
/// the same id between the two calls cannot make the kernel write past it.
///
/// # Errors
///
/// `semctl(IPC_STAT)`, `semctl(GETALL)`, `semctl(GETNCNT)`,
/// `semctl(GETZCNT)` or `semctl(GETPID)` on the id: `EINVAL` (no such
/// set, or removed meanwhile), `EIDRM`, `EACCES`; `EOVERFLOW` under
/// `semctl(GETALL)` for a semaphore count no set can have.
pub fn semaphores(id: IpcId) -> Result<Vec<Semaphore>> {
    let set = stat(id)?;
    let semmsl = limits().map(|l| l.semmsl).unwrap_or(0);
    let cap = set.nsems.max(semmsl);
    // semget rejects nsems above semmsl (itself at most INT_MAX-ish): a
    // larger value means something is wrong, not a set to allocate for.
    if cap > i32::MAX as u64 || set.nsems > cap {
        return Err(Sets::on_id("GETALL", id)(io::Error::from_raw_os_error(
            libc::EOVERFLOW,
        )));
    }
    let mut values = vec![0u16; cap as usize];
    // SAFETY: `values` holds max(nsems, semmsl) entries and no set can have
    // more than semmsl semaphores.
    unsafe { sys::semctl_getall(id.0, &mut values) }.map_err(Sets::on_id("GETALL", id))?;
    let count = set.nsems as usize;
    let mut out = Vec::with_capacity(count);
    for (num, &value) in values[..count].iter().enumerate() {
        let num = num as i32;
        let get = |cmd, name| sys::semctl_plain(id.0, num, cmd).map_err(Sets::on_id(name, id));
        out.push(Semaphore {
            value,
            ncount: get(libc::GETNCNT, "GETNCNT")?,
            zcount: get(libc::GETZCNT, "GETZCNT")?,
            pid: get(libc::GETPID, "GETPID")?,
        });
    }
    Ok(out)
}

/// The last process to operate on each semaphore of set `id`
/// (`semctl(GETPID)` per semaphore, after `IPC_STAT` for their number;
/// needs read permission). 0 where no process operated yet.
///
/// # Errors
///
/// `semctl(IPC_STAT)` or `semctl(GETPID)` on the id: `EINVAL` (no such
/// set, or removed meanwhile), `EIDRM`, `EACCES`.
#[doc(alias = "GETPID")]
pub fn last_pids(id: IpcId) -> Result<Vec<crate::Pid>> {
    let set = stat(id)?;
    let count = i32::try_from(set.nsems)
        .map_err(|_| Sets::on_id("GETPID", id)(io::Error::from_raw_os_error(libc::EOVERFLOW)))?;
    (0..count)
        .map(|num| {
            sys::semctl_plain(id.as_raw(), num, libc::GETPID).map_err(Sets::on_id("GETPID", id))
        })
        .collect()
}

/// Semaphore limits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Limits {
    /// Maximum semaphores per set.
    pub semmsl: u64,
    /// Maximum semaphores system wide.
    pub semmns: u64,
    /// Maximum operations per `semop` call.
    pub semopm: u64,
    /// Maximum number of sets.
    pub semmni: u64,
    /// Maximum semaphore value (the constant SEMVMX, 32767).
    pub semvmx: u64,
}

/// The kernel's SEMVMX (include/uapi/linux/sem.h).
pub const SEMVMX: u64 = 32767;

/// Limits from `/proc/sys/kernel/sem`, or `semctl(IPC_INFO)` when it cannot
/// be read.
///
/// # Errors
///
/// `semctl(IPC_INFO)` on semaphore sets, when it is needed and fails
/// (`ENOSYS` without System V IPC).
pub fn limits() -> Result<Limits> {
    if let Some([semmsl, semmns, semopm, semmni]) = super::read_proc("/proc/sys/kernel/sem")
        .ok()
        .and_then(|text| super::parse::sysctl_sem(&text))
    {
        return Ok(Limits {
            semmsl,
            semmns,
            semopm,
            semmni,
            semvmx: SEMVMX,
        });
    }
    let (_, info) = sys::semctl_info(libc::IPC_INFO).map_err(on(
        Operation::with_command("semctl", "IPC_INFO"),
        Object::SysvAll(KIND),
    ))?;
    Ok(Limits {
        semmsl: info.semmsl.max(0) as u64,
        semmns: info.semmns.max(0) as u64,
        semopm: info.semopm.max(0) as u64,
        semmni: info.semmni.max(0) as u64,
        semvmx: info.semvmx.max(0) as u64,
    })
}

/// Current use (`SEM_INFO`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// Sets in use (`seminfo.semusz` under `SEM_INFO`).
    pub sets: u64,
    /// Semaphores in all sets (`semaem`).
    pub semaphores: u64,
    /// Highest used table index (the return value; the kernel also says 0
    /// when none is used).
    pub max_index: i32,
}

/// Current use (`semctl(SEM_INFO)`).
///
/// # Errors
///
/// `semctl(SEM_INFO)` on semaphore sets (`ENOSYS` without System V IPC).
#[doc(alias = "SEM_INFO")]
pub fn usage() -> Result<Usage> {
    let (max_index, info) = sys::semctl_info(libc::SEM_INFO).map_err(on(
        Operation::with_command("semctl", "SEM_INFO"),
        Object::SysvAll(KIND),
    ))?;
    Ok(Usage {
        sets: info.semusz.max(0) as u64,
        semaphores: info.semaem.max(0) as u64,
        max_index,
    })
}
