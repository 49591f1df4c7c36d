//! `ipcrm --orphans[=KIND,…] [--older-than=AGE] [--dry-run]`: removes what
//! `lsipc --orphans` lists (see crate::orphans), checking each object again
//! right before removing it.
//!
//! The run: list every object of the chosen kinds and keep the orphans
//! (one `/proc` pass finds the POSIX holders); with `--dry-run`, print them
//! and stop. Otherwise make a fresh `/proc` pass, then for each candidate
//! check it again (`nsipc::ipc::orphans::recheck_*`: System V objects by
//! `IPC_STAT`, and `GETPID` for semaphores, immediately before the
//! removal call) and remove it only if it is still the same object and
//! still unused. A process that started using it after the listing keeps
//! it.

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use nsipc::ipc::holders::Index;
use nsipc::ipc::orphans::{self as rules, Recheck};
use nsipc::ipc::posix::{self, Attrs};
use nsipc::ipc::sysv::{self, MsgQueue, SemSet, ShmSegment};

use super::{remove_id, remove_name, say, AllKinds, PosixKind, Step, SysvKind};
use crate::orphans::{self, Rules};
use crate::report::{Failure, Prog, Stdout};

/// What `--orphans` asked for.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// The kinds (`--orphans=shm,pmsg`); empty means all six.
    pub kinds: Vec<AllKinds>,
    pub older_than: Option<u64>,
    pub dry_run: bool,
}

impl Request {
    /// `--orphans`'s value: the `-a` kind words, comma separated (a
    /// leading `=` of `-a`-style attachment is not possible: long only).
    pub fn kinds(prog: &Prog, text: &str) -> Result<Vec<AllKinds>, Failure> {
        text.split(',')
            .map(|word| {
                AllKinds::parse(word)
                    .ok_or_else(|| prog.fail(format_args!("unknown argument: {word}")))
            })
            .collect()
    }

    fn covers_sysv(&self, kind: SysvKind) -> bool {
        self.kinds.is_empty() || self.kinds.iter().any(|k| k.covers_sysv(kind))
    }

    fn covers_posix(&self, kind: PosixKind) -> bool {
        self.kinds.is_empty() || self.kinds.iter().any(|k| k.covers_posix(kind))
    }
}

/// One object to remove.
enum Candidate {
    Shm(ShmSegment),
    Sem(SemSet),
    Msg(MsgQueue),
    Posix {
        kind: PosixKind,
        /// As `posix::*::remove` takes it: `seg`, `s` for `sem.s`, `/q`.
        name: OsString,
        path: std::path::PathBuf,
        attrs: Attrs,
    },
}

impl Candidate {
    fn describe(&self) -> Vec<u8> {
        match self {
            Candidate::Shm(s) => format!("{} id `{}'", SysvKind::Shm.what(), s.id).into_bytes(),
            Candidate::Sem(s) => format!("{} id `{}'", SysvKind::Sem.what(), s.id).into_bytes(),
            Candidate::Msg(q) => format!("{} id `{}'", SysvKind::Msg.what(), q.id).into_bytes(),
            Candidate::Posix { kind, name, .. } => {
                let mut line = format!("{} `", kind.what()).into_bytes();
                line.extend_from_slice(name.as_bytes());
                line.push(b'\'');
                line
            }
        }
    }
}

/// Runs the request; failures are tallied as for the other removals.
pub fn run(
    prog: &Prog,
    out: &mut Stdout,
    req: &Request,
    verbose: bool,
    tally: &mut impl FnMut(Step) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let rules = Rules::new(req.older_than);
    let wants_shm_dir = req.covers_posix(PosixKind::Shm) || req.covers_posix(PosixKind::Sem);
    let wants_mq_dir = req.covers_posix(PosixKind::Msg);
    let dirs = posix_dirs(wants_shm_dir, wants_mq_dir);
    let index = Index::scan(&orphans::targets(false, &dirs));
    let candidates = list(req, &rules, &index);
    if req.dry_run {
        for c in &candidates {
            let mut line = b"would remove ".to_vec();
            line.extend_from_slice(&c.describe());
            say(out, &line);
        }
        return Ok(());
    }
    // Fresh holders right before the removals (POSIX objects only: the
    // System V checks ask the kernel per object).
    let has_posix = candidates
        .iter()
        .any(|c| matches!(c, Candidate::Posix { .. }));
    let fresh = has_posix.then(|| Index::scan(&orphans::targets(false, &dirs)));
    for c in &candidates {
        let recheck = match c {
            Candidate::Shm(s) => rules::recheck_shm(s),
            Candidate::Sem(s) => rules::recheck_sem(s),
            Candidate::Msg(q) => rules::recheck_msg(q),
            Candidate::Posix { path, attrs, .. } => {
                rules::recheck_posix(path, attrs, fresh.as_ref().unwrap_or(&index))
            }
        };
        match recheck {
            Ok(Recheck::Unused) => {}
            Ok(found) => {
                if verbose {
                    let mut line = b"keeping ".to_vec();
                    line.extend_from_slice(&c.describe());
                    line.extend_from_slice(match found {
                        Recheck::InUse => b" (in use again)",
                        _ => b" (gone or replaced)",
                    });
                    say(out, &line);
                }
                continue;
            }
            Err(e) if matches!(e.raw_os_error(), Some(libc::EACCES | libc::EPERM)) => {
                // Unreadable now: the removal below reports the permission.
            }
            Err(_) => continue,
        }
        let step = match c {
            Candidate::Shm(s) => remove_id(prog, out, SysvKind::Shm, s.id.as_raw(), false, verbose),
            Candidate::Sem(s) => remove_id(prog, out, SysvKind::Sem, s.id.as_raw(), false, verbose),
            Candidate::Msg(q) => remove_id(prog, out, SysvKind::Msg, q.id.as_raw(), false, verbose),
            Candidate::Posix { kind, name, .. } => remove_name(prog, out, *kind, name, verbose),
        };
        tally(step)?;
    }
    Ok(())
}

fn posix_dirs(shm: bool, mq: bool) -> Vec<&'static str> {
    let mut dirs = Vec::new();
    if shm {
        dirs.push(orphans::posix_dir(false));
    }
    if mq {
        dirs.push(orphans::posix_dir(true));
    }
    dirs
}

/// The orphans of the chosen kinds, in `-a`'s order: shm, POSIX shm, sem,
/// POSIX sem, msg, POSIX msg. Objects that cannot be listed are skipped
/// silently (lsipc does not list them either).
fn list(req: &Request, rules: &Rules, index: &Index) -> Vec<Candidate> {
    let mut out = Vec::new();
    if req.covers_sysv(SysvKind::Shm) {
        let segs = sysv::shm::list().unwrap_or_default();
        out.extend(
            segs.into_iter()
                .filter(|s| rules.shm(s))
                .map(Candidate::Shm),
        );
    }
    if req.covers_posix(PosixKind::Shm) {
        for o in posix::shm::list().unwrap_or_default() {
            if rules.posix(index, &o.attrs) {
                out.push(posix_candidate(
                    PosixKind::Shm,
                    o.name.clone(),
                    &o.name,
                    o.attrs,
                ));
            }
        }
    }
    if req.covers_sysv(SysvKind::Sem) {
        for s in sysv::sem::list().unwrap_or_default() {
            let pids = sysv::sem::last_pids(s.id).ok();
            if rules.sem(&s, pids.as_deref()) {
                out.push(Candidate::Sem(s));
            }
        }
    }
    if req.covers_posix(PosixKind::Sem) {
        for o in posix::sem::list().unwrap_or_default() {
            // lsipc lists only the semaphores it can open.
            if o.value.is_some() && rules.posix(index, &o.attrs) {
                let mut file = b"sem.".to_vec();
                file.extend_from_slice(o.name.as_bytes());
                let file = OsString::from_vec(file);
                out.push(posix_candidate(PosixKind::Sem, o.name, &file, o.attrs));
            }
        }
    }
    if req.covers_sysv(SysvKind::Msg) {
        let queues = sysv::msg::list().unwrap_or_default();
        out.extend(
            queues
                .into_iter()
                .filter(|q| rules.msg(q))
                .map(Candidate::Msg),
        );
    }
    if req.covers_posix(PosixKind::Msg) {
        for q in posix::mqueue::list().unwrap_or_default() {
            if q.qsize.is_some() && rules.posix(index, &q.attrs) {
                let file = q.name.clone();
                out.push(posix_candidate(PosixKind::Msg, q.name, &file, q.attrs));
            }
        }
    }
    out
}

fn posix_candidate(kind: PosixKind, name: OsString, file: &OsString, attrs: Attrs) -> Candidate {
    let dir = orphans::posix_dir(kind == PosixKind::Msg);
    Candidate::Posix {
        kind,
        name,
        path: orphans::posix_path(dir, file),
        attrs,
    }
}
