//! System V IPC: message queues, semaphore sets, shared memory segments.
//!
//! One module per object kind ([`msg`], [`shm`], [`sem`]), each with the same
//! shape: `create`, `lookup`, `stat`, `set`, `remove`, `list`, `limits`,
//! `usage`. Every call acts on the IPC namespace of the calling thread (see
//! [`super::namespace`] for looking at another one).
//!
//! Listing gives what `/proc/sysvipc/{msg,shm,sem}` shows: every object of
//! the namespace whatever its permissions. Queues and semaphore sets (and
//! segments for `shm::for_each_brief`) are walked by table index with
//! `*_STAT_ANY`, cheaper than the kernel's text and the same objects (see
//! `walk.rs`); segments are read from the file. Only when that file cannot be
//! read does it fall back to the `*_STAT_ANY` loop (and to `*_STAT` on
//! kernels before 4.17, which hides unreadable objects). The text parsers
//! are public (`parse`) only with the `fuzzing` feature, for the fuzz
//! targets.
//!
//! Errors are [`ipc::Error`](crate::ipc::Error)s: the kernel's errno, the
//! call (`msgctl(IPC_RMID)`) and the object (kind and key, id or index).

use std::fmt;
use std::io;

use crate::ipc::error::on;
use crate::ipc::{CreateOptions, Object, Operation, Result, SysvKind};
use crate::Pid;

pub mod msg;
// The `/proc/sysvipc` parsers are public only for the fuzz targets.
#[cfg(feature = "fuzzing")]
pub mod parse;
#[cfg(not(feature = "fuzzing"))]
#[allow(dead_code)]
mod parse;
// semctl(GETALL) writes as many values as the set has: sem.rs sizes the
// buffer from the kernel's limit and calls the unsafe `sys::semctl_getall`.
#[allow(unsafe_code)]
pub mod sem;
pub mod shm;
// The System V IPC system calls (msgget, semctl, shmat …), which no crate
// wraps: the raw calls of sysv/.
#[allow(unsafe_code)]
mod sys;
mod walk;

/// An IPC key (`key_t`): the name processes agree on to find an object.
/// [`Key::PRIVATE`] (0) always makes a new object.
///
/// Formats like the number it wraps (`{}`, `{:x}`, `{:08x}`).
///
/// # Examples
///
/// ```
/// use nsipc::ipc::sysv::Key;
/// let key = Key::from_raw(0x1234);
/// assert_eq!(format!("0x{key:08x}"), "0x00001234");
/// assert_eq!(key.as_raw(), 0x1234);
/// assert!(Key::PRIVATE.is_private());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(transparent)]
pub struct Key(i32);

impl Key {
    /// `IPC_PRIVATE`: always makes a new object, never found by `lookup`.
    pub const PRIVATE: Key = Key(0);

    /// The key with this `key_t` value.
    pub const fn from_raw(key: i32) -> Key {
        Key(key)
    }

    /// The `key_t` value.
    pub const fn as_raw(self) -> i32 {
        self.0
    }

    /// Whether this is [`Key::PRIVATE`].
    pub const fn is_private(self) -> bool {
        self.0 == 0
    }
}

impl From<i32> for Key {
    fn from(key: i32) -> Key {
        Key(key)
    }
}

impl From<Key> for i32 {
    fn from(key: Key) -> i32 {
        key.0
    }
}

/// The key that always creates a new object (`IPC_PRIVATE`), the same as
/// [`Key::PRIVATE`].
pub const IPC_PRIVATE: Key = Key::PRIVATE;

/// The id the kernel hands out for a System V object (what `msgget(2)`,
/// `shmget(2)` and `semget(2)` return), valid in its IPC namespace until the
/// object is removed.
///
/// Formats like the number it wraps.
///
/// # Examples
///
/// ```
/// use nsipc::ipc::sysv::IpcId;
/// let id = IpcId::from_raw(32768);
/// assert_eq!(id.to_string(), "32768");
/// assert_eq!(i32::from(id), 32768);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(transparent)]
pub struct IpcId(i32);

impl IpcId {
    /// The id with this value (as `ipcs` shows it, or `*get` returned it).
    pub const fn from_raw(id: i32) -> IpcId {
        IpcId(id)
    }

    /// The value the kernel uses.
    pub const fn as_raw(self) -> i32 {
        self.0
    }
}

impl From<i32> for IpcId {
    fn from(id: i32) -> IpcId {
        IpcId(id)
    }
}

impl From<IpcId> for i32 {
    fn from(id: IpcId) -> i32 {
        id.0
    }
}

macro_rules! forward_fmt {
    ($ty:ty: $($tr:ident),*) => {$(
        impl fmt::$tr for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::$tr::fmt(&self.0, f)
            }
        }
    )*};
}
forward_fmt!(Key: Display, LowerHex, UpperHex);
forward_fmt!(IpcId: Display);

/// `SHM_DEST` mode bit: the segment is removed and goes when the last
/// process detaches (its key then reads as 0).
pub const SHM_DEST: u32 = 0o1000;
/// `SHM_LOCKED` mode bit: the segment is locked in memory (`SHM_LOCK`).
pub const SHM_LOCKED: u32 = 0o2000;

/// The key, mode and owners every object has: the kernel's `struct
/// ipc_perm`. The id is not part of it (the kernel hands it out apart,
/// as the `*get` and `*_STAT` return value), so it stays on each object.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IpcPerm {
    /// The key the object was made with; [`IPC_PRIVATE`] for a private one, and also once a segment is removed while attached.
    pub key: Key,
    /// Mode bits: the low 9 are the permissions; segments add [`SHM_DEST`]
    /// and [`SHM_LOCKED`].
    pub mode: u32,
    /// Owner.
    pub uid: u32,
    /// Owner group.
    pub gid: u32,
    /// Creator.
    pub cuid: u32,
    /// Creator group.
    pub cgid: u32,
}

impl From<&libc::ipc_perm> for IpcPerm {
    fn from(p: &libc::ipc_perm) -> Self {
        IpcPerm {
            key: Key(p.__key),
            mode: u32::from(p.mode),
            uid: p.uid,
            gid: p.gid,
            cuid: p.cuid,
            cgid: p.cgid,
        }
    }
}

/// A message queue, as `/proc/sysvipc/msg` or `msgctl(*_STAT)` report it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MsgQueue {
    /// Its id in the namespace.
    pub id: IpcId,
    /// Key, owners and mode.
    pub perm: IpcPerm,
    /// Last `msgsnd`, epoch seconds; 0 = never.
    pub stime: i64,
    /// Last `msgrcv`; 0 = never.
    pub rtime: i64,
    /// Creation or last `IPC_SET`.
    pub ctime: i64,
    /// Bytes in the queue.
    pub cbytes: u64,
    /// Messages in the queue.
    pub qnum: u64,
    /// Maximum bytes; `None` when read from `/proc` (which lacks it).
    pub qbytes: Option<u64>,
    /// Process of the last `msgsnd`; 0 = none.
    pub lspid: Pid,
    /// Process of the last `msgrcv`; 0 = none.
    pub lrpid: Pid,
}

/// A shared memory segment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShmSegment {
    /// Its id in the namespace.
    pub id: IpcId,
    /// Its mode includes [`SHM_DEST`] and [`SHM_LOCKED`].
    pub perm: IpcPerm,
    /// Last attach, epoch seconds; 0 = never.
    pub atime: i64,
    /// Last detach; 0 = never.
    pub dtime: i64,
    /// Creation or last change.
    pub ctime: i64,
    /// Size in bytes.
    pub size: u64,
    /// Creator process.
    pub cpid: Pid,
    /// Process of the last attach or detach.
    pub lpid: Pid,
    /// Current attaches.
    pub nattch: u64,
    /// Resident bytes (from `/proc` only).
    pub rss: Option<u64>,
    /// Swapped bytes (from `/proc` only).
    pub swap: Option<u64>,
}

impl ShmSegment {
    /// Removed while still attached (`SHM_DEST`).
    pub fn is_dest(&self) -> bool {
        self.perm.mode & SHM_DEST != 0
    }
    /// Locked in memory (`SHM_LOCKED`).
    pub fn is_locked(&self) -> bool {
        self.perm.mode & SHM_LOCKED != 0
    }
}

/// A semaphore set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SemSet {
    /// Its id in the namespace.
    pub id: IpcId,
    /// Key, owners and mode.
    pub perm: IpcPerm,
    /// Last `semop`, epoch seconds; 0 = never.
    pub otime: i64,
    /// Creation or last change.
    pub ctime: i64,
    /// Semaphores in the set. From `/proc` this is untrusted text: bound it
    /// (e.g. by [`sem::Limits::semmsl`]) before sizing anything by it.
    pub nsems: u64,
}

/// New owner and permissions for `IPC_SET`; `None` keeps the current value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SetPerm {
    /// New owner.
    pub uid: Option<u32>,
    /// New owner group.
    pub gid: Option<u32>,
    /// Only the low 9 bits are used by the kernel.
    pub mode: Option<u32>,
}

impl SetPerm {
    fn apply(&self, perm: &mut libc::ipc_perm) {
        if let Some(uid) = self.uid {
            perm.uid = uid;
        }
        if let Some(gid) = self.gid {
            perm.gid = gid;
        }
        if let Some(mode) = self.mode {
            // ipc_perm.mode is an unsigned short in glibc; the kernel only
            // takes the low 9 bits anyway.
            perm.mode = (mode & 0o777) as _;
        }
    }
}

/// `IPC_CREAT | [IPC_EXCL] | mode` for the `*get` calls.
fn create_flags(opts: CreateOptions) -> libc::c_int {
    let excl = if opts.is_exclusive() {
        libc::IPC_EXCL
    } else {
        0
    };
    libc::IPC_CREAT | excl | (opts.mode_bits() & 0o777) as libc::c_int
}

/// Opens a `/proc` file for reading, refusing anything but a regular file:
/// whatever is mounted over it (a FIFO, `/dev/zero`, a directory) must not
/// make a listing hang, spin or fail, only fall back.
fn open_proc(path: &str) -> io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::from_raw_os_error(libc::EINVAL));
    }
    Ok(file)
}

/// Reads a small `/proc` file (a sysctl), at most 64 KiB of it.
fn read_proc(path: &str) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut text = Vec::new();
    open_proc(path)?.take(64 * 1024).read_to_end(&mut text)?;
    Ok(text)
}

/// Streams `/proc/sysvipc/<kind>` through `rows` to `each`, 16 KiB at a
/// time (the kernel hands out about a page per `read`, so a bigger buffer
/// only costs memory). An error before the
/// first byte (not there, not a regular file, unreadable) is returned so the
/// caller can fall back to syscalls; a later one ends the listing where it
/// is, as end of file would.
fn stream_proc<T>(path: &str, mut rows: parse::Rows<T>, mut each: impl FnMut(T)) -> io::Result<()> {
    use std::io::Read;
    let mut file = open_proc(path)?;
    let mut buf = vec![0u8; 16 * 1024];
    let mut first = true;
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) if first => return Err(e),
            Err(_) => break,
        };
        first = false;
        rows.feed(&buf[..n], &mut each);
    }
    rows.finish(&mut each);
    Ok(())
}

/// Reads a one-number sysctl file; `None` if missing or not a number.
fn sysctl(name: &str) -> Option<u64> {
    parse::sysctl_number(&read_proc(&format!("/proc/sys/kernel/{name}")).ok()?)
}

/// Walks table indices `0..=max_index` with a `*_STAT_ANY` command, falling
/// back to plain `*_STAT` when the kernel predates `*_STAT_ANY` (it then
/// rejects the command with EINVAL even for used indices). Unused indices
/// (EINVAL) and objects we may not read (EACCES) are skipped.
fn stat_loop<T>(
    max_index: libc::c_int,
    mut stat: impl FnMut(libc::c_int, bool) -> Result<T>,
) -> Vec<T> {
    let mut any = true;
    let mut out = Vec::new();
    for index in 0..=max_index.max(-1) {
        match stat(index, any) {
            Ok(item) => out.push(item),
            Err(e) if any && e.raw_os_error() == Some(libc::EINVAL) => {
                if let Ok(item) = stat(index, false) {
                    any = false;
                    out.push(item);
                }
            }
            Err(_) => {}
        }
    }
    out
}

/// What sets one kind of object apart in `stat`, `set` and the listing: its
/// `*ctl` call and `*id_ds` buffer, its `/proc` file and its by-index
/// commands. Each of [`msg`], [`shm`], [`sem`] implements it once and its
/// public functions hand over to the generic ones below.
trait Table {
    /// Which kind, for errors.
    const KIND: SysvKind;
    /// The name of the `*ctl` call, for errors.
    const CTL: &'static str;
    /// The names of [`Self::STAT`] and [`Self::STAT_ANY`], for errors.
    const STAT_NAMES: [&'static str; 2];
    /// The `*id_ds` the kernel reads and writes.
    type Ds: sys::ZeroInit;
    /// What one object is reported as.
    type Object;
    /// The listing file, `/proc/sysvipc/<kind>`.
    const PROC: &'static str;
    /// `*_STAT`: by table index, needs read permission.
    const STAT: libc::c_int;
    /// `*_STAT_ANY` (Linux 4.17): the same without the permission check.
    const STAT_ANY: libc::c_int;

    /// `*ctl(id, cmd, ds)`; returns what the kernel returns.
    fn ctl(id: i32, cmd: libc::c_int, ds: &mut Self::Ds) -> io::Result<libc::c_int>;
    /// The owner and mode inside `ds`.
    fn perm(ds: &mut Self::Ds) -> &mut libc::ipc_perm;
    /// The object `ds` describes, with its `id`.
    fn object(id: IpcId, ds: &Self::Ds) -> Self::Object;
    /// A parser for [`Self::PROC`].
    fn rows() -> parse::Rows<Self::Object>;
    /// The highest used table index (`*_INFO`).
    fn max_index() -> Result<i32>;

    /// The `*ctl` call with `command`, on object `id`: what an error of it
    /// names.
    fn on_id(command: &'static str, id: IpcId) -> impl FnOnce(io::Error) -> crate::ipc::Error {
        on(
            Operation::with_command(Self::CTL, command),
            Object::SysvId(Self::KIND, id),
        )
    }
    /// The highest used table index and the number of objects in use
    /// (`*_INFO`) when the listing may walk the indices instead of reading
    /// [`Self::PROC`] (see `walk.rs`): `None` when the calls would not give
    /// what the file gives.
    fn census() -> Option<(i32, u64)> {
        None
    }
    /// An object read by `*_STAT_ANY` as [`Self::PROC`] shows it.
    fn as_listed(object: Self::Object) -> Self::Object {
        object
    }
    /// The object's id.
    fn id_of(object: &Self::Object) -> i32;
}

/// `IPC_STAT` of object `id`.
fn stat<T: Table>(id: IpcId) -> Result<T::Object> {
    let mut ds = sys::zeroed();
    T::ctl(id.0, libc::IPC_STAT, &mut ds).map_err(T::on_id("IPC_STAT", id))?;
    Ok(T::object(id, &ds))
}

/// `*_STAT_ANY` (`any`) or `*_STAT` at table `index`; the kernel returns
/// the object's id.
fn stat_index<T: Table>(index: i32, any: bool) -> Result<T::Object> {
    let (cmd, name) = if any {
        (T::STAT_ANY, T::STAT_NAMES[1])
    } else {
        (T::STAT, T::STAT_NAMES[0])
    };
    let mut ds = sys::zeroed();
    let id = T::ctl(index, cmd, &mut ds).map_err(on(
        Operation::with_command(T::CTL, name),
        Object::SysvIndex(T::KIND, index),
    ))?;
    Ok(T::object(IpcId(id), &ds))
}

/// `IPC_SET` of what `IPC_STAT` read, with `change` and then `more`
/// applied: the kernel takes every settable field from the buffer, so the
/// ones not changed must be the current ones.
fn set<T: Table>(id: IpcId, change: &SetPerm, more: impl FnOnce(&mut T::Ds)) -> Result<()> {
    let mut ds = sys::zeroed();
    T::ctl(id.0, libc::IPC_STAT, &mut ds).map_err(T::on_id("IPC_STAT", id))?;
    change.apply(T::perm(&mut ds));
    more(&mut ds);
    T::ctl(id.0, libc::IPC_SET, &mut ds)
        .map(|_| ())
        .map_err(T::on_id("IPC_SET", id))
}

/// Every object, from [`Table::PROC`] or else from the syscalls.
fn list<T: Table>() -> Result<Vec<T::Object>> {
    let mut all = Vec::new();
    for_each::<T>(|o| all.push(o))?;
    Ok(all)
}

/// [`list`] one object at a time, as [`Table::PROC`] is read.
///
/// While the file is streamed it holds a descriptor, and `each` may need
/// descriptors of its own (an owner's name from NSS opens
/// `/etc/passwd`). When the process may open only a few files
/// ([`FEW_FILES`]), the file is read whole and closed first, as
/// util-linux reads it, so that under `ulimit -n 4` owners still show as
/// names.
///
/// Kinds the kernel can list by index as the file would ([`walk`]) are
/// walked first; if that falls short, the file (or the fallback) gives the
/// objects not handed over yet.
fn for_each<T: Table>(mut each: impl FnMut(T::Object)) -> Result<()> {
    for_each_walking::<T>(T::census(), &mut each)
}

/// [`for_each`], walking the indices when `census` (as
/// [`Table::census`] gives it) says so. `each` is a trait object: one copy
/// of this code per kind, not one per caller.
fn for_each_walking<T: Table>(
    census: Option<(i32, u64)>,
    each: &mut dyn FnMut(T::Object),
) -> Result<()> {
    let mut shown = match walk::by_index::<T>(census, each) {
        walk::Walked::All => return Ok(()),
        walk::Walked::Some(shown) => shown,
    };
    if few_files() {
        let mut all = Vec::new();
        let read = stream_proc(T::PROC, T::rows().skipping(&shown), |o| all.push(o));
        if read.is_ok() {
            all.into_iter().for_each(each);
            return Ok(());
        }
    } else if stream_proc(T::PROC, T::rows().skipping(&shown), &mut *each).is_ok() {
        return Ok(());
    }
    shown.sort_unstable();
    list_by_syscall::<T>()?
        .into_iter()
        .filter(|o| shown.binary_search(&T::id_of(o)).is_err())
        .for_each(each);
    Ok(())
}

/// Below this many allowed open files (`RLIMIT_NOFILE`), listings are
/// read whole before their objects are handed over (see [`for_each`]).
const FEW_FILES: u64 = 32;

fn few_files() -> bool {
    let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile);
    limit.current.is_some_and(|n| n < FEW_FILES)
}

/// The object with `id` as [`list`] would show it, read one line at a time
/// without keeping the others: `ipcs -i` needs memory for one object, not
/// for the whole file.
fn find<T: Table>(id: i32) -> Result<Option<T::Object>> {
    if id < 0 {
        return Ok(None);
    }
    let mut found = None;
    let keep = |o| {
        if found.is_none() {
            found = Some(o);
        }
    };
    if stream_proc(T::PROC, T::rows().only_id(id), keep).is_ok() {
        return Ok(found);
    }
    let rows = T::rows();
    Ok(list_by_syscall::<T>()?
        .into_iter()
        .find(|o| rows.id_of(o) == id))
}

/// The fallback of [`list`]: `*_INFO` for the highest index, then a
/// [`stat_loop`] over the indices.
fn list_by_syscall<T: Table>() -> Result<Vec<T::Object>> {
    let max = T::max_index()?;
    Ok(stat_loop(max, stat_index::<T>))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags() {
        let opts = CreateOptions::new().mode(0o644);
        assert_eq!(create_flags(opts), libc::IPC_CREAT | 0o644);
        assert_eq!(
            create_flags(CreateOptions::new().mode(0o10644).exclusive()),
            libc::IPC_CREAT | libc::IPC_EXCL | 0o644
        );
    }

    #[test]
    fn stat_loop_handles_empty_and_negative() {
        assert!(stat_loop(-1, |_, _| Ok(1)).is_empty());
        assert_eq!(stat_loop(2, |i, _| Ok(i)), vec![0, 1, 2]);
    }

    #[test]
    fn stat_loop_falls_back_to_plain_stat() {
        let got = stat_loop(2, |i, any| {
            if any || i == 1 {
                Err(crate::ipc::Error::new(
                    Operation::with_command("msgctl", "MSG_STAT_ANY"),
                    Object::SysvIndex(SysvKind::MessageQueue, i),
                    io::Error::from_raw_os_error(libc::EINVAL),
                ))
            } else {
                Ok(i)
            }
        });
        assert_eq!(got, vec![0, 2]);
    }
}
