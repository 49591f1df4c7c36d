//! POSIX IPC through `nsipc::ipc::posix`: queues in `/dev/mqueue`, shared
//! memory files and `sem.*` semaphores in `/dev/shm`, in directory order.

use std::os::unix::ffi::OsStringExt;

use nsipc::ipc::posix as lib;

use super::render::put;
use super::{select, Col, Ctx, Resource};
use crate::report::Prog;

/// One POSIX object, with the fields lsipc shows.
struct Object {
    /// As shown: `/q` for queues, the bare file name for the others.
    name: Vec<u8>,
    attrs: lib::Attrs,
    /// Queue: bytes queued; shared memory: size.
    size: u64,
    /// Queue: messages (None when the queue cannot be opened).
    msgs: Option<i64>,
    /// Semaphore value.
    sval: i32,
}

/// `/proc/sys/fs/mqueue/{queues_max,msgsize_max,msg_max}` (0 when
/// unreadable, as util-linux).
pub fn mq_limits() -> [u64; 3] {
    let l = lib::mqueue::limits();
    [l.queues_max, l.msgsize_max, l.msg_max].map(|v| v.unwrap_or(0))
}

/// Number of queues, for the limits view (0 when they cannot be
/// listed, as util-linux). `dir` is `/dev/mqueue`, or another
/// namespace's through `/proc/PID/root`.
pub fn mq_count(prog: &Prog, dir: &str) -> u64 {
    if dir == lib::MQUEUE_DIR {
        return queues(prog).map_or(0, |q| q.len() as u64);
    }
    match std::fs::read_dir(dir) {
        Ok(entries) => entries.count() as u64,
        Err(_) => {
            not_mounted(prog, dir);
            0
        }
    }
}

fn not_mounted(prog: &Prog, dir: &str) {
    prog.warnx(format_args!(
        "{dir} does not seem to be mounted. Use 'mount -t mqueue none {dir}' to mount it."
    ));
}

/// Queues whose file could be read (util-linux skips the others).
fn queues(prog: &Prog) -> Option<Vec<Object>> {
    let list = match lib::mqueue::list() {
        Ok(list) => list,
        Err(e) if e.operation() == lib::OPENDIR && e.kind() == std::io::ErrorKind::NotFound => {
            not_mounted(prog, lib::MQUEUE_DIR);
            return None;
        }
        Err(_) => {
            prog.warnx(format_args!("cannot open {}", lib::MQUEUE_DIR));
            return None;
        }
    };
    Some(
        list.into_iter()
            .filter_map(|q| {
                Some(Object {
                    size: q.qsize?,
                    name: q.name.into_vec(),
                    attrs: q.attrs,
                    // util-linux ignores a failed mq_open and prints
                    // garbage; here the count is left empty.
                    msgs: q.attr.map(|a| a.messages),
                    sval: 0,
                })
            })
            .collect(),
    )
}

fn shm_dir_error(prog: &Prog) {
    prog.warnx(format_args!("cannot open {}", lib::SHM_DIR));
}

fn shm_files(prog: &Prog) -> Option<Vec<Object>> {
    let Ok(list) = lib::shm::list() else {
        shm_dir_error(prog);
        return None;
    };
    Some(
        list.into_iter()
            .map(|o| Object {
                name: o.name.into_vec(),
                size: o.attrs.size,
                attrs: o.attrs,
                msgs: None,
                sval: 0,
            })
            .collect(),
    )
}

/// Semaphores that could be opened (util-linux skips the others).
fn semaphores(prog: &Prog) -> Option<Vec<Object>> {
    let Ok(list) = lib::sem::list() else {
        shm_dir_error(prog);
        return None;
    };
    Some(
        list.into_iter()
            .filter_map(|o| {
                Some(Object {
                    sval: o.value?,
                    name: o.name.into_vec(),
                    size: o.attrs.size,
                    attrs: o.attrs,
                    msgs: None,
                })
            })
            .collect(),
    )
}

pub fn report(prog: &Prog, ctx: &mut Ctx, r: Resource) {
    let wanted = ctx.cfg.name.clone();
    if r == Resource::PosixMsg {
        if let Some(n) = wanted.as_deref().filter(|n| !n.starts_with('/')) {
            prog.warnx(format_args!("message queue name must start with '/': {n}"));
            return;
        }
    }
    let list = match r {
        Resource::PosixMsg => queues(prog),
        Resource::PosixShm => shm_files(prog),
        _ => semaphores(prog),
    };
    let Some(mut list) = list else {
        return;
    };
    if let Some(w) = &wanted {
        // glibc strips the '/' of shm and semaphore names: accept both.
        let w = if r == Resource::PosixMsg {
            w.as_str()
        } else {
            w.strip_prefix('/').unwrap_or(w)
        };
        list.retain(|o| o.name == w.as_bytes());
        list.truncate(1);
    }
    if list.is_empty() {
        if let Some(w) = wanted {
            let what = match r {
                Resource::PosixMsg => "message queue",
                Resource::PosixShm => "shared memory segment",
                _ => "semaphore",
            };
            prog.warnx(format_args!("{what} {w} not found"));
        }
        return;
    }
    list.retain(|o| select::wanted(ctx, select::Of::Posix(&o.attrs)));
    ctx.table.set_name(match r {
        Resource::PosixMsg => "posix-messages",
        Resource::PosixShm => "posix-sharedmemory",
        _ => "posix-semaphores",
    });
    for o in &list {
        ctx.emit(|ctx, buf, col| match col {
            Col::Name => {
                buf.extend_from_slice(&o.name);
                true
            }
            Col::Owner => ctx.owner(buf, o.attrs.uid),
            Col::Perms => ctx.perms(buf, o.attrs.mode),
            Col::Cuid => put(buf, o.attrs.uid),
            Col::Cuser => ctx.user(buf, o.attrs.uid),
            Col::Cgid => put(buf, o.attrs.gid),
            Col::Cgroup => ctx.group(buf, o.attrs.gid),
            Col::Mtime => ctx.time(buf, o.attrs.mtime),
            Col::UsedBytes if r == Resource::PosixMsg => ctx.size(buf, o.size),
            Col::Msgs if r == Resource::PosixMsg => o.msgs.is_some_and(|m| put(buf, m)),
            Col::Size if r == Resource::PosixShm => ctx.size(buf, o.size),
            Col::Sval if r == Resource::PosixSem => put(buf, o.sval),
            _ => select::holder_cell(ctx, buf, col, select::Of::Posix(&o.attrs)),
        });
    }
}
