//! Which IPC objects nobody can still be using, and the check made again
//! right before one is removed.
//!
//! The rules (each errs on the side of keeping an object):
//!
//! - System V shared memory: no process attached (`nattch` 0) and neither
//!   the creator (`cpid`) nor the last process to attach or detach
//!   (`lpid`) is alive.
//! - System V message queues: neither the last sender (`lspid`) nor the
//!   last receiver (`lrpid`) is alive. Semaphore sets: no semaphore's last
//!   operating process (`sempid`) is alive, and the set could be read.
//!   These kinds have no attachment: an idle queue of a program that is
//!   alive but never touched it (or whose last user exited) looks the same
//!   as an abandoned one. That is what an age limit is for.
//! - POSIX objects: no process maps the file or holds it open (see
//!   the [`holders`] module), and no process the caller could not
//!   inspect might be doing so.
//!
//! "Alive" is [`holders::alive`]: `kill(pid, 0)`, so processes hidden by
//! `hidepid` or owned by other users count, zombies do not, and a pid
//! reused by an unrelated process keeps the object.

use std::path::Path;

use super::holders::{self, Index};
use super::posix::Attrs;
use super::sysv::{self, MsgQueue, SemSet, ShmSegment};
use super::{Error, Object, Operation, Result};

/// A segment nobody attaches and whose creator and last user are gone.
pub fn shm_unused(seg: &ShmSegment) -> bool {
    seg.nattch == 0 && !holders::alive(seg.cpid) && !holders::alive(seg.lpid)
}

/// A queue whose last sender and receiver are gone (or never were).
pub fn msg_unused(q: &MsgQueue) -> bool {
    !holders::alive(q.lspid) && !holders::alive(q.lrpid)
}

/// A semaphore set whose last operating processes (`sem::last_pids`) are
/// all gone; `None` (the set could not be read) is never unused.
pub fn sem_unused(last_pids: Option<&[crate::Pid]>) -> bool {
    last_pids.is_some_and(|pids| pids.iter().all(|&p| !holders::alive(p)))
}

/// A POSIX object (its file's attributes: a regular file) that no process
/// of `index` maps or holds open, and that no uninspectable process might
/// hold.
pub fn posix_unused(index: &Index, attrs: &Attrs) -> bool {
    attrs.is_regular()
        && index.file(attrs.dev, attrs.ino).is_empty()
        && !index.maybe_hidden_holder(attrs.uid, attrs.mode, attrs.dev)
}

/// What a check right before removal found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recheck {
    /// Still the same object, still unused: remove it now.
    Unused,
    /// Someone uses it now (attached, operated on it, maps or opens it).
    InUse,
    /// It is gone, or the id or name now holds another object.
    Replaced,
}

fn verdict(same: bool, unused: bool) -> Recheck {
    match (same, unused) {
        (false, _) => Recheck::Replaced,
        (true, true) => Recheck::Unused,
        (true, false) => Recheck::InUse,
    }
}

/// Errors meaning the object is not there any more.
fn gone(e: &Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc::EINVAL | libc::EIDRM | libc::ENOENT)
    )
}

fn or_replaced(r: Result<Recheck>) -> Result<Recheck> {
    match r {
        Err(e) if gone(&e) => Ok(Recheck::Replaced),
        other => other,
    }
}

/// `IPC_STAT` of the segment `listed` again: the same segment (key,
/// creation time, creator) that is still unused. Call it right before
/// `IPC_RMID`: a process attaching after this call still keeps the memory
/// (the segment only goes when the last process detaches), but no process
/// can attach by key or id afterwards.
///
/// # Errors
///
/// `shmctl(IPC_STAT)` on the id, but for the errors that mean the
/// segment is gone (`EINVAL`, `EIDRM`), which give [`Recheck::Replaced`].
pub fn recheck_shm(listed: &ShmSegment) -> Result<Recheck> {
    or_replaced(sysv::shm::stat(listed.id).map(|now| {
        let same =
            now.perm.key == listed.perm.key && now.ctime == listed.ctime && now.cpid == listed.cpid;
        verdict(same, shm_unused(&now))
    }))
}

/// `IPC_STAT` of the queue `listed` again.
///
/// # Errors
///
/// `msgctl(IPC_STAT)` on the id, but for `EINVAL` and `EIDRM`
/// ([`Recheck::Replaced`]).
pub fn recheck_msg(listed: &MsgQueue) -> Result<Recheck> {
    or_replaced(sysv::msg::stat(listed.id).map(|now| {
        let same = now.perm.key == listed.perm.key && now.ctime == listed.ctime;
        verdict(same, msg_unused(&now))
    }))
}

/// `IPC_STAT` and every `GETPID` of the set `listed` again.
///
/// # Errors
///
/// `semctl(IPC_STAT)` or `semctl(GETPID)` on the id, but for `EINVAL` and
/// `EIDRM` ([`Recheck::Replaced`]).
pub fn recheck_sem(listed: &SemSet) -> Result<Recheck> {
    or_replaced(sysv::sem::stat(listed.id).and_then(|now| {
        let same = now.perm.key == listed.perm.key && now.ctime == listed.ctime;
        let pids = sysv::sem::last_pids(listed.id)?;
        Ok(verdict(same, sem_unused(Some(&pids))))
    }))
}

/// The POSIX object at `path` again: the same file (device, inode) that
/// `index` — made after the listing, right before the removals — finds no
/// holder of.
///
/// # Errors
///
/// `stat` on the path, but for `ENOENT` ([`Recheck::Replaced`]).
pub fn recheck_posix(path: &Path, listed: &Attrs, index: &Index) -> Result<Recheck> {
    let now = std::fs::metadata(path)
        .map_err(|e| Error::new(Operation::new("stat"), Object::path(path), e));
    or_replaced(now.map(|md| {
        let now = Attrs::from_metadata(&md);
        let same = now.dev == listed.dev && now.ino == listed.ino;
        verdict(same, posix_unused(index, &now))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_on_snapshots() {
        let me = std::process::id() as i32;
        let seg = |nattch, cpid, lpid| ShmSegment {
            nattch,
            cpid,
            lpid,
            ..ShmSegment::default()
        };
        assert!(shm_unused(&seg(0, 0, 0)));
        assert!(!shm_unused(&seg(1, 0, 0)));
        assert!(!shm_unused(&seg(0, me, 0)));
        assert!(!shm_unused(&seg(0, 0, me)));
        let q = |lspid, lrpid| MsgQueue {
            lspid,
            lrpid,
            ..MsgQueue::default()
        };
        assert!(msg_unused(&q(0, 0)));
        assert!(!msg_unused(&q(me, 0)));
        assert!(!msg_unused(&q(0, me)));
        assert!(sem_unused(Some(&[0, 0])));
        assert!(sem_unused(Some(&[])));
        assert!(!sem_unused(Some(&[0, me])));
        assert!(!sem_unused(None));
    }

    #[test]
    fn verdicts() {
        assert_eq!(verdict(false, true), Recheck::Replaced);
        assert_eq!(verdict(true, true), Recheck::Unused);
        assert_eq!(verdict(true, false), Recheck::InUse);
    }
}
