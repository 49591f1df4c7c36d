//! System V message queues.

// Kernel struct fields are `c_ulong`, `time_t` etc.: the same as u64/i64 on
// 64-bit targets but not on 32-bit ones, so the conversions stay.
#![allow(clippy::useless_conversion, clippy::unnecessary_cast)]

use std::io;

use super::Table;
use super::{create_flags, parse, sys, CreateOptions, IpcId, IpcPerm, Key, MsgQueue, SetPerm};
use crate::ipc::error::on;
use crate::ipc::{Object, Operation, Result, SysvKind};

const KIND: SysvKind = SysvKind::MessageQueue;

/// Creates (or opens) the queue of `key`: `msgget(key, IPC_CREAT|[IPC_EXCL]|mode)`.
///
/// # Errors
///
/// `msgget` on the key: `EEXIST` (exclusive, and the key is taken),
/// `ENOSPC` (`msgmni` reached), `EACCES` (an existing queue the caller
/// may not use).
///
/// # Examples
///
/// ``` no_run
/// use nsipc::ipc::sysv::{msg, Key};
/// use nsipc::ipc::CreateOptions;
/// // A new queue of key 0x1234, mode 0600; EEXIST if the key is taken.
/// let id = msg::create(Key::from_raw(0x1234), CreateOptions::new().mode(0o600).exclusive())?;
/// assert_eq!(msg::lookup(Key::from_raw(0x1234))?, id);
/// msg::remove(id)?;
/// # Ok::<(), nsipc::ipc::Error>(())
/// ```
///
/// # References
/// - [msgget(2)](https://man7.org/linux/man-pages/man2/msgget.2.html)
/// - [msgctl(2)](https://man7.org/linux/man-pages/man2/msgctl.2.html)
/// - [sysvipc(7)](https://man7.org/linux/man-pages/man7/sysvipc.7.html)
#[doc(alias = "msgget")]
pub fn create(key: Key, opts: CreateOptions) -> Result<IpcId> {
    sys::msgget(key.as_raw(), create_flags(opts))
        .map(IpcId)
        .map_err(on(Operation::new("msgget"), Object::SysvKey(KIND, key)))
}

/// The id of the existing queue of `key`: `msgget(key, 0)`.
///
/// # Errors
///
/// `msgget` on the key: `ENOENT` when no queue has it.
pub fn lookup(key: Key) -> Result<IpcId> {
    sys::msgget(key.as_raw(), 0)
        .map(IpcId)
        .map_err(on(Operation::new("msgget"), Object::SysvKey(KIND, key)))
}

/// Removes the queue (`IPC_RMID`); waiting readers and writers get EIDRM.
///
/// # Errors
///
/// `msgctl(IPC_RMID)` on the id: `EINVAL` (no such queue), `EPERM`
/// (neither owner, creator nor privileged).
pub fn remove(id: IpcId) -> Result<()> {
    let mut ds = sys::zeroed();
    sys::msgctl_ds(id.0, libc::IPC_RMID, &mut ds)
        .map(|_| ())
        .map_err(Queues::on_id("IPC_RMID", id))
}

/// Message queues, for the generic pieces of [`super`].
struct Queues;

impl Table for Queues {
    const KIND: SysvKind = KIND;
    const CTL: &'static str = "msgctl";
    const STAT_NAMES: [&'static str; 2] = ["MSG_STAT", "MSG_STAT_ANY"];
    type Ds = libc::msqid_ds;
    type Object = MsgQueue;
    const PROC: &'static str = "/proc/sysvipc/msg";
    const STAT: libc::c_int = libc::MSG_STAT;
    const STAT_ANY: libc::c_int = sys::MSG_STAT_ANY;

    fn ctl(id: i32, cmd: libc::c_int, ds: &mut Self::Ds) -> io::Result<libc::c_int> {
        sys::msgctl_ds(id, cmd, ds)
    }

    fn perm(ds: &mut Self::Ds) -> &mut libc::ipc_perm {
        &mut ds.msg_perm
    }

    fn object(id: IpcId, ds: &Self::Ds) -> MsgQueue {
        MsgQueue {
            id,
            perm: IpcPerm::from(&ds.msg_perm),
            stime: ds.msg_stime,
            rtime: ds.msg_rtime,
            ctime: ds.msg_ctime,
            cbytes: ds.__msg_cbytes,
            qnum: ds.msg_qnum,
            qbytes: Some(ds.msg_qbytes),
            lspid: ds.msg_lspid,
            lrpid: ds.msg_lrpid,
        }
    }

    fn rows() -> parse::Rows<MsgQueue> {
        parse::msg_rows()
    }

    fn max_index() -> Result<i32> {
        usage().map(|u| u.max_index)
    }

    fn id_of(q: &MsgQueue) -> i32 {
        q.id.as_raw()
    }

    // The call gives every field of the file's row, with the same values.
    fn census() -> Option<(i32, u64)> {
        usage().ok().map(|u| (u.max_index, u.queues))
    }

    // The file has no qbytes.
    fn as_listed(q: MsgQueue) -> MsgQueue {
        MsgQueue { qbytes: None, ..q }
    }
}

/// The queue's state (`IPC_STAT`; needs read permission).
///
/// # Errors
///
/// `msgctl(IPC_STAT)` on the id: `EINVAL` (no such queue), `EACCES`.
#[doc(alias = "IPC_STAT")]
pub fn stat(id: IpcId) -> Result<MsgQueue> {
    super::stat::<Queues>(id)
}

/// The queue at kernel table `index` (`MSG_STAT`; needs read permission),
/// as `ipcrm -a` walks them: indices `0..=`[`usage`]`().max_index`.
///
/// # Errors
///
/// `msgctl(MSG_STAT)` on the index: `EINVAL` (unused index), `EACCES`.
#[doc(alias = "MSG_STAT")]
pub fn stat_index(index: i32) -> Result<MsgQueue> {
    super::stat_index::<Queues>(index, false)
}

/// Changes owner and permissions, and `msg_qbytes` if given (`IPC_SET`;
/// raising qbytes above `msgmnb` needs CAP_SYS_RESOURCE).
///
/// # Errors
///
/// `msgctl(IPC_STAT)` or `msgctl(IPC_SET)` on the id: `EINVAL` (no such
/// queue), `EACCES`, `EPERM` (not owner or creator; qbytes above
/// `msgmnb`).
///
/// # Examples
///
/// ``` no_run
/// use nsipc::ipc::sysv::{msg, IpcId, SetPerm};
/// // `ipcs -q -i 0` shows mode 0640 and owner 1000 afterwards.
/// let change = SetPerm { uid: Some(1000), mode: Some(0o640), ..SetPerm::default() };
/// msg::set(IpcId::from_raw(0), &change, None)?;
/// # Ok::<(), nsipc::ipc::Error>(())
/// ```
///
/// # References
/// - [msgctl(2)](https://man7.org/linux/man-pages/man2/msgctl.2.html)
#[doc(alias = "IPC_SET")]
pub fn set(id: IpcId, change: &SetPerm, qbytes: Option<u64>) -> Result<()> {
    super::set::<Queues>(id, change, |ds| {
        if let Some(qbytes) = qbytes {
            ds.msg_qbytes = qbytes as _;
        }
    })
}

/// Every queue of the namespace, as `/proc/sysvipc/msg` shows them (all
/// queues, whatever their permissions; `qbytes` is `None`): walked by index
/// with `MSG_INFO` and `MSG_STAT_ANY` (the same fields, cheaper than the
/// kernel's text) when that finds every queue and the file is the kernel's
/// own; otherwise (also for the rest of a walk that fell short) read from
/// the file, or, if that cannot be read, from a `MSG_STAT_ANY` loop.
///
/// # Errors
///
/// Only when `/proc/sysvipc/msg` cannot be read and then
/// `msgctl(MSG_INFO)` fails (see [`usage`]).
///
/// # Examples
///
/// ```
/// use nsipc::ipc::sysv::msg;
/// for q in msg::list()? {
///     println!("{:#010x} {} {} messages", q.perm.key, q.id, q.qnum);
/// }
/// # Ok::<(), nsipc::ipc::Error>(())
/// ```
///
/// # References
/// - [msgctl(2)](https://man7.org/linux/man-pages/man2/msgctl.2.html)
/// - [proc(5)](https://man7.org/linux/man-pages/man5/proc.5.html)
pub fn list() -> Result<Vec<MsgQueue>> {
    super::list::<Queues>()
}

/// [`list`] one queue at a time, as they are read: memory stays flat
/// however many there are.
///
/// # Errors
///
/// As [`list`].
pub fn for_each(each: impl FnMut(MsgQueue)) -> Result<()> {
    super::for_each::<Queues>(each)
}

/// The queue `id` as [`list`] shows it (`None` if there is none),
/// reading `/proc/sysvipc/msg` without keeping the other objects.
///
/// # Errors
///
/// As [`list`].
pub fn find(id: IpcId) -> Result<Option<MsgQueue>> {
    super::find::<Queues>(id.as_raw())
}

/// The fallback of [`list`]: `MSG_INFO` for the highest index, then
/// `MSG_STAT_ANY` (or `MSG_STAT` before Linux 4.17) for each index.
///
/// # Errors
///
/// `msgctl(MSG_INFO)` (see [`usage`]); indices that cannot be read are
/// left out.
pub fn list_by_syscall() -> Result<Vec<MsgQueue>> {
    super::list_by_syscall::<Queues>()
}

/// Message queue limits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Limits {
    /// Maximum number of queues (`msgmni`).
    pub msgmni: u64,
    /// Maximum size of a message in bytes (`msgmax`).
    pub msgmax: u64,
    /// Default maximum size of a queue in bytes (`msgmnb`).
    pub msgmnb: u64,
}

/// Limits from `/proc/sys/kernel/msg{mni,max,mnb}`, or `msgctl(IPC_INFO)`
/// when any of them cannot be read.
///
/// # Errors
///
/// `msgctl(IPC_INFO)` on message queues, when it is needed and fails
/// (`ENOSYS` without System V IPC).
pub fn limits() -> Result<Limits> {
    if let (Some(msgmni), Some(msgmax), Some(msgmnb)) = (
        super::sysctl("msgmni"),
        super::sysctl("msgmax"),
        super::sysctl("msgmnb"),
    ) {
        return Ok(Limits {
            msgmni,
            msgmax,
            msgmnb,
        });
    }
    let (_, info) = sys::msgctl_info(libc::IPC_INFO).map_err(on(
        Operation::with_command("msgctl", "IPC_INFO"),
        Object::SysvAll(KIND),
    ))?;
    Ok(Limits {
        msgmni: info.msgmni.max(0) as u64,
        msgmax: info.msgmax.max(0) as u64,
        msgmnb: info.msgmnb.max(0) as u64,
    })
}

/// Current use (`MSG_INFO`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// Queues in use (`msginfo.msgpool` under `MSG_INFO`).
    pub queues: u64,
    /// Messages in all queues (`msgmap`).
    pub messages: u64,
    /// Bytes in all queues (`msgtql`).
    pub bytes: u64,
    /// Highest used table index (the return value; the kernel also says 0
    /// when none is used).
    pub max_index: i32,
}

/// Current use (`msgctl(MSG_INFO)`).
///
/// # Errors
///
/// `msgctl(MSG_INFO)` on message queues (`ENOSYS` without System V IPC).
#[doc(alias = "MSG_INFO")]
pub fn usage() -> Result<Usage> {
    let (max_index, info) = sys::msgctl_info(libc::MSG_INFO).map_err(on(
        Operation::with_command("msgctl", "MSG_INFO"),
        Object::SysvAll(KIND),
    ))?;
    // The kernel reuses msginfo's int fields for MSG_INFO; they are counts.
    Ok(Usage {
        queues: info.msgpool.max(0) as u64,
        messages: info.msgmap.max(0) as u64,
        bytes: info.msgtql.max(0) as u64,
        max_index,
    })
}
