//! The raw System V IPC calls: the only `unsafe` in [`super`].
//!
//! Neither rustix nor nix wraps System V IPC, so these go through libc.
//! libc lacks a few commands and result buffers that the kernel has had for
//! years (`SHM_STAT`, `SHM_INFO`, `*_STAT_ANY` for msg/shm, `struct shminfo`,
//! `struct shm_info`); they are written here by hand from the kernel's uapi
//! headers (`include/uapi/linux/{ipc,msg,shm,sem}.h`).

use std::io;

use libc::{c_int, c_ulong};

/// `MSG_STAT_ANY` (Linux 4.17): like `MSG_STAT` without the read-permission
/// check. Same time64 flag pattern as libc's `MSG_STAT`.
pub const MSG_STAT_ANY: c_int = 13 | (libc::IPC_STAT & 0x100);
/// `SHM_STAT`: `shmctl` by table index, returns the id.
pub const SHM_STAT: c_int = 13 | (libc::IPC_STAT & 0x100);
/// `SHM_INFO`: usage summary into a [`ShmInfo`], returns the highest index.
pub const SHM_INFO: c_int = 14;
/// `SHM_STAT_ANY` (Linux 4.17).
pub const SHM_STAT_ANY: c_int = 15 | (libc::IPC_STAT & 0x100);

/// `struct shminfo` (`IPC_INFO` result of `shmctl`).
#[repr(C)]
#[derive(Default, Clone, Copy)]
pub struct ShmInfoLimits {
    pub shmmax: c_ulong,
    pub shmmin: c_ulong,
    pub shmmni: c_ulong,
    pub shmseg: c_ulong,
    pub shmall: c_ulong,
    unused: [c_ulong; 4],
}

/// `struct shm_info` (`SHM_INFO` result of `shmctl`).
#[repr(C)]
#[derive(Default, Clone, Copy)]
pub struct ShmInfo {
    pub used_ids: c_int,
    pub shm_tot: c_ulong,
    pub shm_rss: c_ulong,
    pub shm_swp: c_ulong,
    pub swap_attempts: c_ulong,
    pub swap_successes: c_ulong,
}

// The kernel writes these through a `struct shmid_ds *`; it must never write
// past the buffer we really own.
const _: () = assert!(std::mem::size_of::<ShmInfoLimits>() <= 128);
const _: () = assert!(std::mem::size_of::<ShmInfo>() <= 128);

fn check(ret: c_int) -> io::Result<c_int> {
    if ret == -1 {
        Err(io::Error::last_os_error())
    } else {
        Ok(ret)
    }
}

pub fn zeroed<T: ZeroInit>() -> T {
    // SAFETY: ZeroInit is only implemented for plain C structs of integers,
    // for which all-zero bytes are a valid value.
    unsafe { std::mem::zeroed() }
}

/// Plain C structs made only of integers (all-zero is a valid value).
pub trait ZeroInit {}
impl ZeroInit for libc::msqid_ds {}
impl ZeroInit for libc::shmid_ds {}
impl ZeroInit for libc::semid_ds {}
impl ZeroInit for libc::msginfo {}
impl ZeroInit for libc::seminfo {}

/// `msgget(2)`.
pub fn msgget(key: libc::key_t, flags: c_int) -> io::Result<c_int> {
    // SAFETY: no pointers involved.
    check(unsafe { libc::msgget(key, flags) })
}

/// `shmget(2)`.
pub fn shmget(key: libc::key_t, size: usize, flags: c_int) -> io::Result<c_int> {
    // SAFETY: no pointers involved.
    check(unsafe { libc::shmget(key, size, flags) })
}

/// `semget(2)`.
pub fn semget(key: libc::key_t, nsems: c_int, flags: c_int) -> io::Result<c_int> {
    // SAFETY: no pointers involved.
    check(unsafe { libc::semget(key, nsems, flags) })
}

/// `msgctl(2)` with a command that reads or writes a `msqid_ds`
/// (`IPC_STAT`, `IPC_SET`, `IPC_RMID`, `MSG_STAT`, `MSG_STAT_ANY`).
pub fn msgctl_ds(id: c_int, cmd: c_int, ds: &mut libc::msqid_ds) -> io::Result<c_int> {
    // SAFETY: `ds` is a valid, writable msqid_ds for the whole call.
    check(unsafe { libc::msgctl(id, cmd, ds) })
}

/// `msgctl(2)` with `IPC_INFO` or `MSG_INFO` (a `struct msginfo` result).
pub fn msgctl_info(cmd: c_int) -> io::Result<(c_int, libc::msginfo)> {
    let mut info: libc::msginfo = zeroed();
    // SAFETY: for IPC_INFO/MSG_INFO the kernel writes a struct msginfo,
    // which `info` is; the cast only satisfies the prototype.
    let ret = check(unsafe { libc::msgctl(0, cmd, (&mut info as *mut libc::msginfo).cast()) })?;
    Ok((ret, info))
}

/// `shmctl(2)` with a command that reads or writes a `shmid_ds`
/// (`IPC_STAT`, `IPC_SET`, `IPC_RMID`, `SHM_STAT`, `SHM_STAT_ANY`,
/// `SHM_LOCK`, `SHM_UNLOCK`).
pub fn shmctl_ds(id: c_int, cmd: c_int, ds: &mut libc::shmid_ds) -> io::Result<c_int> {
    // SAFETY: `ds` is a valid, writable shmid_ds for the whole call.
    check(unsafe { libc::shmctl(id, cmd, ds) })
}

/// `shmctl(IPC_INFO)`: system-wide limits.
pub fn shmctl_ipc_info() -> io::Result<(c_int, ShmInfoLimits)> {
    let mut info = ShmInfoLimits::default();
    // SAFETY: for IPC_INFO the kernel writes a struct shminfo, which `info`
    // is (layout from include/uapi/linux/shm.h).
    let ret = check(unsafe {
        libc::shmctl(0, libc::IPC_INFO, (&mut info as *mut ShmInfoLimits).cast())
    })?;
    Ok((ret, info))
}

/// `shmctl(SHM_INFO)`: usage summary; returns the highest used index.
pub fn shmctl_shm_info() -> io::Result<(c_int, ShmInfo)> {
    let mut info = ShmInfo::default();
    // SAFETY: for SHM_INFO the kernel writes a struct shm_info, which `info`
    // is (layout from include/uapi/linux/shm.h).
    let ret = check(unsafe { libc::shmctl(0, SHM_INFO, (&mut info as *mut ShmInfo).cast()) })?;
    Ok((ret, info))
}

/// `semctl(2)` with a command that reads or writes a `semid_ds`
/// (`IPC_STAT`, `IPC_SET`, `SEM_STAT`, `SEM_STAT_ANY`).
pub fn semctl_ds(id: c_int, cmd: c_int, ds: &mut libc::semid_ds) -> io::Result<c_int> {
    // SAFETY: union semun is passed as its `buf` member, a valid writable
    // semid_ds pointer; pointer-sized variadic as glibc expects.
    check(unsafe { libc::semctl(id, 0, cmd, ds as *mut libc::semid_ds) })
}

/// `semctl(2)` with a command that takes no argument (`IPC_RMID`,
/// `GETVAL`, `GETNCNT`, `GETZCNT`, `GETPID`).
pub fn semctl_plain(id: c_int, semnum: c_int, cmd: c_int) -> io::Result<c_int> {
    // SAFETY: these commands ignore the semun argument; a null pointer is
    // passed so the variadic read in glibc sees a defined value.
    check(unsafe { libc::semctl(id, semnum, cmd, std::ptr::null_mut::<libc::c_void>()) })
}

/// `semctl(GETALL)` into `values`, which must hold at least as many
/// entries as the set has semaphores (the kernel does not know its length).
///
/// # Safety
/// `values.len()` must be at least the set's `sem_nsems`.
pub unsafe fn semctl_getall(id: c_int, values: &mut [libc::c_ushort]) -> io::Result<()> {
    // SAFETY: the caller guarantees the slice is long enough; semun.array.
    check(unsafe { libc::semctl(id, 0, libc::GETALL, values.as_mut_ptr()) }).map(|_| ())
}

/// `semctl(2)` with `IPC_INFO` or `SEM_INFO` (a `struct seminfo` result).
pub fn semctl_info(cmd: c_int) -> io::Result<(c_int, libc::seminfo)> {
    let mut info: libc::seminfo = zeroed();
    // SAFETY: for IPC_INFO/SEM_INFO the kernel writes a struct seminfo
    // through semun.__buf, which `info` is.
    let ret = check(unsafe { libc::semctl(0, 0, cmd, &mut info as *mut libc::seminfo) })?;
    Ok((ret, info))
}

/// The page size (`shmall` and `SHM_INFO` counts are in pages).
pub fn page_size() -> u64 {
    // SAFETY: sysconf takes no pointers.
    let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    u64::try_from(size).unwrap_or(4096)
}
