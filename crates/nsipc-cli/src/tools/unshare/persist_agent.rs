//! `unshare --X=FILE`: the process that bind-mounts the new namespaces onto
//! their files, and takes the mounts away again when the run fails later.
//!
//! util-linux binds from the parent (or from a helper child when the parent
//! leaves its mount or user namespace, since the files must be mounted in
//! the original mount namespace), and leaves the mounts in place when a
//! later step fails (`-w /nonexistent`, a failed `setuid`, a missing
//! program): the command fails but a namespace stays pinned. nsipc's agent
//! is a process forked before `unshare(2)`, so it stays in the original
//! namespaces; it binds when told to and then waits for the verdict:
//!
//! - the program was executed: the verdict pipe's write end is
//!   close-on-exec, so the agent sees end-of-file and leaves the mounts;
//! - a step before exec failed: the failing process sends "undo", the agent
//!   unmounts every file it bound and exits, and the failing process waits
//!   for that (the ack pipe's end-of-file) before it exits itself.
//!
//! The agent is forked twice (its intermediate parent exits at once and is
//! reaped), so it is never a child of the program unshare executes.

use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::path::PathBuf;

use rustix::pipe::{pipe_with, PipeFlags};

use crate::exec;
use crate::report::{Failure, Prog};

/// Our ends of the agent's four pipes.
pub struct Agent {
    /// "Bind now" (one byte); closing it unbound makes the agent exit.
    go: Option<OwnedFd>,
    /// The agent's answer: one byte, 0 or the exit status of a failure it
    /// has reported.
    report: Option<OwnedFd>,
    /// "Undo" (one byte); end-of-file means the program was executed.
    verdict: Option<OwnedFd>,
    /// End-of-file once the agent has exited.
    ack: OwnedFd,
}

fn pipe(prog: &Prog) -> Result<(OwnedFd, OwnedFd), Failure> {
    pipe_with(PipeFlags::CLOEXEC).map_err(|e| prog.fail_errno("pipe failed", &e.into()))
}

/// `_exit`: the agent and its intermediate parent must not run the
/// caller's exit handlers or flush its buffers a second time.
fn quit(status: i32) -> ! {
    let _ = std::io::stderr().flush();
    // SAFETY: _exit ends the process at once; always sound.
    unsafe { libc::_exit(status) }
}

/// Reads one byte; `None` at end-of-file or on error.
fn read_byte(fd: &OwnedFd) -> Option<u8> {
    let mut byte = [0u8; 1];
    loop {
        match rustix::io::read(fd, &mut byte) {
            Ok(1) => return Some(byte[0]),
            Err(rustix::io::Errno::INTR) => continue,
            _ => return None,
        }
    }
}

impl Agent {
    /// Starts the agent. `bind` makes the mounts and returns the files it
    /// bound (it has reported its own failure, and undone its partial work,
    /// when it returns an error); `release` unmounts one file.
    pub fn spawn(
        prog: &Prog,
        bind: impl FnOnce() -> Result<Vec<PathBuf>, Failure>,
        release: impl Fn(&PathBuf),
    ) -> Result<Agent, Failure> {
        let (go_r, go_w) = pipe(prog)?;
        let (report_r, report_w) = pipe(prog)?;
        let (verdict_r, verdict_w) = pipe(prog)?;
        let (ack_r, ack_w) = pipe(prog)?;
        match exec::fork() {
            Err(e) => Err(prog.fail_errno("fork failed", &e)),
            Ok(Some(middle)) => {
                // The intermediate exits right after forking the agent.
                let _ = exec::wait_child(middle, false);
                Ok(Agent {
                    go: Some(go_w),
                    report: Some(report_r),
                    verdict: Some(verdict_w),
                    ack: ack_r,
                })
            }
            Ok(None) => {
                match exec::fork() {
                    Ok(None) => {}
                    Ok(Some(_)) => quit(0),
                    Err(e) => {
                        prog.warn("fork failed", &e);
                        quit(1)
                    }
                }
                // The agent: only its own ends stay open, so that the
                // caller's exec or exit shows as end-of-file.
                drop((go_w, report_r, verdict_w, ack_r));
                if read_byte(&go_r).is_none() {
                    quit(0);
                }
                let bound = match bind() {
                    Ok(bound) => bound,
                    Err(Failure(status)) => {
                        let _ = rustix::io::write(&report_w, &[status.clamp(1, 255) as u8]);
                        quit(status)
                    }
                };
                let _ = rustix::io::write(&report_w, &[0]);
                if read_byte(&verdict_r).is_some() {
                    for target in bound.iter().rev() {
                        release(target);
                    }
                }
                drop(ack_w);
                quit(0)
            }
        }
    }

    /// Lets the agent bind and waits for its answer: its failure (already
    /// reported) becomes ours.
    pub fn bind(&mut self) -> Result<(), Failure> {
        let Some(go) = self.go.take() else {
            return Ok(());
        };
        let _ = rustix::io::write(&go, &[1]);
        drop(go);
        let answer = self.report.take().as_ref().and_then(read_byte);
        match answer {
            Some(0) => Ok(()),
            Some(status) => Err(Failure(i32::from(status))),
            None => Err(Failure(1)),
        }
    }

    /// In the parent of `--fork`, which does not execute the program: only
    /// the child's exec or failure decides.
    pub fn leave_verdict_to_child(&mut self) {
        self.verdict = None;
    }

    /// In the child of `--fork`: binding is the parent's business.
    pub fn leave_binding_to_parent(&mut self) {
        self.go = None;
        self.report = None;
    }

    /// A step before exec failed: the agent unmounts what it bound (if it
    /// bound anything) and exits; returns once it has.
    pub fn undo(mut self) {
        if let Some(verdict) = self.verdict.take() {
            let _ = rustix::io::write(&verdict, &[1]);
        }
        self.go = None;
        self.report = None;
        let mut rest = Vec::new();
        let _ = std::fs::File::from(self.ack).read_to_end(&mut rest);
    }
}
