//! `nsenter`: run a program in namespaces of another process.
//!
//! Follows util-linux master's order of operations (see docs/nsenter.md):
//! files named on the command line are opened while parsing; then the
//! target's namespaces, root, cwd, environment and cgroup are opened; then
//! credentials are prepared, the namespaces joined in two passes, root and
//! working directory changed, the environment replaced, and for a PID
//! namespace a child forked; last the credentials are switched and the
//! program executed. Every fd nsipc opens is close-on-exec and closed before
//! the program runs.
//!
//! Where util-linux has a listed bug nsipc does the right thing (documented
//! in docs/nsenter.md): `-a` without `-t`, ids above 2^32-1, the `-e`
//! parsing bug, the ignored follow-stat error, the `--join-cgroup` fd leak
//! (`cgroup.procs` opened without `O_CLOEXEC` and never closed, so the
//! program inherits it), setgroups errors ignored outside a user namespace, and
//! a reused PID (one pidfd is used for everything).

use std::ffi::{OsStr, OsString};
use std::io::{self, Read, Write};
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;

use nsipc::ns::enter::{self, EnterError, Joiner, Target};
use nsipc::ns::{Kind, Kinds};
use rustix::fs::{Mode, OFlags, CWD};

use crate::exec;
use crate::numparse::{self, NumError};
use crate::report::{Failure, Prog};
use config::{parse, Dir, IdArg, Options, Parsed};
use open::{
    enable_all, ns_name, open_cgroup_procs, open_target, parent_user_namespace, selinux_enabled,
    socket_namespace,
};

pub use super::nsenter_opts::{Id, SPEC};

mod config;
mod open;
#[cfg(test)]
mod tests;

pub fn main(prog: &Prog, args: Vec<OsString>) -> i32 {
    match run(prog, args) {
        Ok(status) => status,
        Err(Failure(status)) => status,
    }
}

fn run(prog: &Prog, args: Vec<OsString>) -> Result<i32, Failure> {
    let opts = match parse(prog, args)? {
        Parsed::Run(opts) => opts,
        Parsed::Exit(status) => return Ok(status),
    };
    let ready = prepare(prog, opts)?;
    Err(enter_and_exec(prog, ready))
}

/// `-t PID[:INODE]`, with util-linux's `ul_parse_pid_str` rules: leading
/// blanks and a sign allowed, 0 and negatives out of range, an inode only
/// after a positive PID, and the inode must not be 0.
pub fn parse_pid_arg(text: &str) -> Result<(i32, Option<u64>), NumError> {
    let (number, inode) = match text.split_once(':') {
        Some((pid, inode)) => (pid, Some(inode)),
        None => (text, None),
    };
    let pid = numparse::parse_pid(number)?;
    let inode = match inode {
        None => None,
        Some(text) => match numparse::parse_as::<u64>(text, 10)? {
            0 => return Err(NumError::Range),
            n => Some(n),
        },
    };
    Ok((pid, inode))
}

/// Everything opened and decided; nothing changed yet.
struct Ready {
    target: Option<Target>,
    files: Joiner,
    /// The namespaces to join.
    enabled: Kinds,
    /// Join through the target's pidfd (else only files are used).
    use_pidfd: bool,
    root: Option<OwnedFd>,
    wd: Option<OwnedFd>,
    wdns: Option<OsString>,
    env: Option<OwnedFd>,
    cgroup_procs: Option<OwnedFd>,
    /// `/proc/PID` for `-S follow` / `-G follow`.
    owner_of: Option<OwnedFd>,
    uid: IdArg,
    gid: IdArg,
    preserve_cred: bool,
    keep_caps: bool,
    fork: bool,
    program: Vec<OsString>,
}

/// Steps 1-4 of util-linux's order: open every remaining file; fail before
/// anything is changed.
fn prepare(prog: &Prog, mut o: Box<Options>) -> Result<Ready, Failure> {
    if o.follow_context && selinux_enabled() {
        // nsipc has no SELinux support; running the program in the wrong
        // context silently would be worse than refusing.
        return Err(prog.fail("--follow-context is not supported: nsipc is built without SELinux"));
    }
    if o.all {
        enable_all(prog, &mut o)?;
    }
    let without_file = o.enabled.difference(o.files.file_kinds());
    let mut use_pidfd = false;
    if !without_file.is_empty() || o.net_socket.is_some() || o.user_parent {
        let Some(target) = o.target.as_mut() else {
            return Err(prog.fail("no target PID specified"));
        };
        use_pidfd = enter::kernel_can_setns_pidfd() && target.pidfd().is_some();
        if !use_pidfd {
            // Old kernel or no pidfd: /proc/PID/ns/* files, as util-linux.
            for kind in enter::in_entry_order(without_file) {
                let fd = open_target(prog, o.target.as_mut(), &ns_name(kind))?;
                o.files.set_file(kind, fd);
            }
        }
    }
    let root = match std::mem::take(&mut o.root) {
        Dir::Unset => None,
        Dir::Opened(fd) => Some(fd),
        Dir::Target => Some(open_target(prog, o.target.as_mut(), "root")?),
    };
    let wd = match std::mem::take(&mut o.wd) {
        Dir::Unset => None,
        Dir::Opened(fd) => Some(fd),
        Dir::Target => Some(open_target(prog, o.target.as_mut(), "cwd")?),
    };
    let env = match o.env {
        true => Some(open_target(prog, o.target.as_mut(), "environ")?),
        false => None,
    };
    let owner_of = match o.uid == IdArg::Follow || o.gid == IdArg::Follow {
        true => Some(open_target(prog, o.target.as_mut(), "")?),
        false => None,
    };
    let cgroup_procs = match o.join_cgroup {
        true => Some(open_cgroup_procs(prog, o.target.as_mut())?),
        false => None,
    };
    if o.user_parent {
        let parent = parent_user_namespace(prog, &mut o, use_pidfd)?;
        o.files.set_file(Kind::User, parent);
        o.enabled.insert(Kind::User.into());
    }
    if let Some(fd) = o.net_socket {
        let net = socket_namespace(prog, &mut o, fd)?;
        o.files.set_file(Kind::Net, net);
        o.enabled.insert(Kind::Net.into());
    }
    if o.enabled.is_empty() {
        return Err(prog.fail("no namespace specified"));
    }
    Ok(Ready {
        fork: o.enabled.contains(Kinds::PID) && !o.no_fork,
        target: o.target,
        files: o.files,
        enabled: o.enabled,
        use_pidfd,
        root,
        wd,
        wdns: o.wdns,
        env,
        cgroup_procs,
        owner_of,
        uid: o.uid,
        gid: o.gid,
        preserve_cred: o.preserve_cred,
        keep_caps: o.keep_caps,
        program: o.program,
    })
}

/// Steps 5-11: join, change root and directory, environment, cgroup, fork,
/// credentials, exec. Returns only on failure.
fn enter_and_exec(prog: &Prog, r: Ready) -> Failure {
    match enter_and_exec_inner(prog, r) {
        Ok(never) => match never {},
        Err(f) => f,
    }
}

fn enter_and_exec_inner(prog: &Prog, mut r: Ready) -> Result<std::convert::Infallible, Failure> {
    let user_ns = r.enabled.contains(Kinds::USER);
    let (mut uid, mut gid) = (r.uid, r.gid);
    let mut setgroups_failed_before = false;
    if user_ns && !r.preserve_cred {
        // Inside a user namespace we always become root (or -S/-G) and drop
        // root's supplementary groups. setgroups is tried now, while we are
        // still privileged, and again after joining (when the namespace may
        // have setgroups denied): only both failing is an error.
        if uid == IdArg::Unset {
            uid = IdArg::Value(0);
        }
        if gid == IdArg::Unset {
            gid = IdArg::Value(0);
        }
        setgroups_failed_before = rustix::thread::set_thread_groups(&[]).is_err();
    }

    r.files.check_files().map_err(|e| enter_failure(prog, &e))?;
    let pidfd = match r.use_pidfd {
        true => r.target.as_ref().and_then(|t| t.pidfd()),
        false => None,
    };
    let files = std::mem::take(&mut r.files);
    files
        .enter(r.enabled, pidfd)
        .map_err(|e| enter_failure(prog, &e))?;
    // The pidfd and /proc/PID directory are not needed any more.
    r.target = None;

    if r.root.is_some() && r.wd.is_none() && r.wdns.is_none() {
        // Keep the current directory across the chroot.
        r.wd = Some(
            rustix::fs::openat(CWD, ".", OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty()).map_err(
                |e| prog.fail_errno("cannot open current working directory", &io::Error::from(e)),
            )?,
        );
    }
    if let Some(root) = r.root.take() {
        rustix::process::fchdir(&root).map_err(|e| {
            prog.fail_errno(
                "change directory by root file descriptor failed",
                &io::Error::from(e),
            )
        })?;
        rustix::process::chroot(".")
            .map_err(|e| prog.fail_errno("chroot failed", &io::Error::from(e)))?;
        rustix::process::chdir("/")
            .map_err(|e| prog.fail_errno("cannot change directory to /", &io::Error::from(e)))?;
    }
    if let Some(dir) = r.wdns.take() {
        r.wd = Some(
            rustix::fs::openat(
                CWD,
                dir.as_os_str(),
                OFlags::RDONLY | OFlags::CLOEXEC,
                Mode::empty(),
            )
            .map_err(|e| {
                prog.fail_errno("cannot open current working directory", &io::Error::from(e))
            })?,
        );
    }
    if let Some(wd) = r.wd.take() {
        rustix::process::fchdir(&wd).map_err(|e| {
            prog.fail_errno(
                "change directory by working directory file descriptor failed",
                &io::Error::from(e),
            )
        })?;
    }
    if let Some(env) = r.env.take() {
        let vars = read_environ(env)
            .map_err(|e| prog.fail_errno("failed to get environment variables", &e))?;
        replace_environment(vars);
    }
    if let Some(procs) = r.cgroup_procs.take() {
        let pid = std::process::id().to_string();
        let mut file = std::fs::File::from(procs);
        file.write_all(pid.as_bytes())
            .map_err(|e| prog.fail_errno("write cgroup.procs failed", &e))?;
        // Closed here, before fork and before credentials change.
        drop(file);
    }
    if let Some(dir) = r.owner_of.take() {
        // util-linux checks this fstat with `> 0` and never reports it.
        let st = rustix::fs::fstat(&dir)
            .map_err(|e| prog.fail_errno("can not get process stat", &io::Error::from(e)))?;
        if uid == IdArg::Follow {
            uid = IdArg::Value(st.st_uid);
        }
        if gid == IdArg::Follow {
            gid = IdArg::Value(st.st_gid);
        }
    }

    if r.fork {
        continue_as_child(prog)?;
    }

    if let IdArg::Value(gid) = gid {
        // Drop supplementary groups. util-linux ignores a failure outside a
        // user namespace; nsipc does not (the process would keep root's
        // groups). Inside one, only a failure before and after joining counts.
        if let Err(e) = rustix::thread::set_thread_groups(&[]) {
            if !user_ns || setgroups_failed_before {
                return Err(prog.fail_errno("setgroups failed", &io::Error::from(e)));
            }
        }
        // SAFETY: plain setgid; the process is single-threaded.
        if unsafe { libc::setgid(gid) } != 0 {
            return Err(prog.fail_errno("setgid() failed", &io::Error::last_os_error()));
        }
    }
    if let IdArg::Value(uid) = uid {
        // SAFETY: plain setuid; the process is single-threaded.
        if unsafe { libc::setuid(uid) } != 0 {
            return Err(prog.fail_errno("setuid() failed", &io::Error::last_os_error()));
        }
    }
    if r.keep_caps && user_ns {
        exec::keep_caps(prog)?;
    }

    let failure = if r.program.is_empty() {
        exec::exec_shell(prog)
    } else {
        exec::exec_program(prog, &r.program)
    };
    Err(failure)
}

fn enter_failure(prog: &Prog, e: &EnterError) -> Failure {
    match e {
        EnterError::Target { source, .. } => {
            prog.fail_errno("reassociate to namespaces failed", source)
        }
        EnterError::File { kind, source } => prog.fail_errno(
            format_args!("reassociate to namespace '{}' failed", ns_name(*kind)),
            source,
        ),
    }
}

/// Reads `/proc/PID/environ`: NUL-separated `NAME=value` strings. Entries
/// without '=' or with an empty name are skipped; a name given twice keeps
/// its first value (the one the target's getenv sees). util-linux master's
/// `env_list_from_fd()` (lib/env.c) subtracts the length of the entry after
/// the one it consumed from the bytes left, so it drops entries or reads past
/// the buffer.
fn read_environ(fd: OwnedFd) -> io::Result<Vec<(OsString, OsString)>> {
    let mut data = Vec::new();
    std::fs::File::from(fd).read_to_end(&mut data)?;
    Ok(parse_environ(&data))
}

pub fn parse_environ(data: &[u8]) -> Vec<(OsString, OsString)> {
    // The target's environment is input its owner controls: a set keeps the
    // first-value-wins check linear in the number of variables.
    let mut seen: std::collections::HashSet<&[u8]> = std::collections::HashSet::new();
    let mut vars: Vec<(OsString, OsString)> = Vec::new();
    for entry in data.split(|&b| b == 0) {
        let Some(eq) = entry.iter().position(|&b| b == b'=') else {
            continue;
        };
        let (name, value) = (&entry[..eq], &entry[eq + 1..]);
        if name.is_empty() || !seen.insert(name) {
            continue;
        }
        vars.push((
            OsStr::from_bytes(name).to_os_string(),
            OsStr::from_bytes(value).to_os_string(),
        ));
    }
    vars
}

/// The target's variables, in reverse order: util-linux builds its list by
/// prepending and then sets it front to back, so `nsenter -e env` prints
/// the target's environment last variable first. Kept for identical output.
fn replace_environment(mut vars: Vec<(OsString, OsString)>) {
    vars.reverse();
    exec::replace_environment(&vars);
}

/// Forks; the child returns and goes on, the parent waits and mirrors the
/// child: a stopped child stops us too (then we continue it), its exit
/// status is ours, its fatal signal kills us. So `nsenter -p` behaves like
/// the program it runs, which lives in the target's PID namespace.
fn continue_as_child(prog: &Prog) -> Result<(), Failure> {
    // An inherited SIG_IGN for SIGCHLD would make waitpid fail.
    crate::signals::set_default(libc::SIGCHLD);
    let child = match exec::fork() {
        Ok(None) => return Ok(()),
        Ok(Some(pid)) => pid,
        Err(e) => return Err(prog.fail_errno("fork failed", &e)),
    };
    loop {
        match exec::wait_child(child, true) {
            Ok(exec::ChildEnd::Stopped(_)) => {
                crate::signals::stop_self();
                crate::signals::kill(child, libc::SIGCONT);
            }
            end => crate::report::exit(exec::finish_like_child(prog, end)),
        }
    }
}
