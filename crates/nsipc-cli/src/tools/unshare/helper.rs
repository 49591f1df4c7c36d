//! The parent's work on the new namespaces: the helper process forked before
//! unshare(2), the id maps it writes, the `--X=FILE` bind mounts.

use super::config::Config;
use crate::exec;
use crate::report::{Failure, Prog};
use nsipc::ns::idmap::{self, IdKind, IdRange};
use nsipc::ns::persist;
use std::io::{self, Read, Write};
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

/// A helper process forked before unshare(2), waiting on a pipe until the
/// parent has made its namespaces. If the parent dies first the pipe
/// reaches EOF and the helper exits without doing anything.
pub(super) struct Helper {
    pub(super) pid: libc::pid_t,
    pub(super) go: OwnedFd,
}

impl Helper {
    /// Forks; the child waits for the go-ahead, runs `work` and exits with
    /// its status. Both ends of the pipe are close-on-exec.
    pub(super) fn spawn(prog: &Prog, work: impl FnOnce() -> i32) -> Result<Helper, Failure> {
        let (read, write) = rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC)
            .map_err(|e| prog.fail_errno("pipe failed", &e.into()))?;
        match exec::fork() {
            Err(e) => Err(prog.fail_errno("fork failed", &e)),
            Ok(Some(pid)) => Ok(Helper { pid, go: write }),
            Ok(None) => {
                drop(write);
                let mut byte = [0u8; 1];
                let mut reader = std::fs::File::from(read);
                let status = match reader.read(&mut byte) {
                    Ok(1) => work(),
                    _ => 1,
                };
                let _ = io::stderr().flush();
                // SAFETY: _exit ends the helper without running the
                // parent's atexit handlers or flushing its buffers twice.
                unsafe { libc::_exit(status) }
            }
        }
    }

    /// Lets the helper run and waits for it; a failure becomes our exit
    /// status, as util-linux does.
    pub(super) fn finish(self, prog: &Prog) -> Result<(), Failure> {
        let _ = rustix::io::write(&self.go, &[1]);
        drop(self.go);
        match exec::wait_child(self.pid, false) {
            Ok(exec::ChildEnd::Exited(0)) => Ok(()),
            Ok(exec::ChildEnd::Exited(code)) => Err(Failure(code)),
            Ok(_) => Ok(()),
            Err(e) => Err(prog.fail_errno("waitpid failed", &e)),
        }
    }
}

/// Bind-mounts every `--X=FILE` from process `pid`'s namespaces; returns
/// the files bound, in order.
pub(super) fn bind_persistent(prog: &Prog, c: &Config, pid: u32) -> Result<Vec<PathBuf>, Failure> {
    // util-linux's order, the one namespaces are entered in: user first (so
    // the others can be reached through it later), mount namespaces late.
    let mut bound: Vec<PathBuf> = Vec::new();
    for kind in nsipc::ns::enter::ENTRY_ORDER {
        let Some((_, target)) = c.persist.iter().find(|(k, _)| *k == kind) else {
            continue;
        };
        let source = persist::source_path(pid as nsipc::Pid, kind);
        if let Err(e) = persist::bind(&source, Path::new(target)) {
            let failure = prog.fail_errno(
                format_args!(
                    "mount {} on {} failed",
                    source.display(),
                    crate::report::shown(target)
                ),
                &e,
            );
            // A failed unshare leaves nothing behind (util-linux keeps the
            // namespaces bound before the failure alive).
            for target in bound.into_iter().rev() {
                let _ = persist::release(&target);
            }
            return Err(failure);
        }
        bound.push(PathBuf::from(target));
    }
    Ok(bound)
}

/// Writes a map as root, or runs newuidmap/newgidmap; returns the exit
/// status for the helper process, with util-linux's messages.
pub(super) fn apply_map(prog: &Prog, kind: IdKind, pid: u32, ranges: &[IdRange]) -> i32 {
    use idmap::{ApplyError, ProcWriteError};
    match idmap::apply_map(kind, pid as nsipc::Pid, ranges) {
        Ok(()) => 0,
        Err(ApplyError::TooLarge { path }) => {
            prog.fail(format_args!("{path} too large for kernel 4k limit"))
                .0
        }
        Err(ApplyError::Write { path, source }) => {
            let (what, e) = match &source {
                ProcWriteError::Open(e) => ("open", e),
                ProcWriteError::Write(e) => ("write", e),
            };
            prog.fail_errno(format_args!("failed to {what} {path}"), e)
                .0
        }
        Err(ApplyError::Spawn { helper, source }) => {
            prog.warn(format_args!("failed to execute {helper}"), &source);
            if source.kind() == io::ErrorKind::NotFound {
                exec::EXIT_NOT_FOUND
            } else {
                exec::EXIT_CANNOT_EXEC
            }
        }
        // The helper printed its own message; its status is ours.
        Err(ApplyError::Helper { status, .. }) => status.code().unwrap_or(1),
    }
}
