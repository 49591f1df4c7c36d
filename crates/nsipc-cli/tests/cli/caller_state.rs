//! What the caller hands to nsipc reaches the program unshare and nsenter
//! run unchanged, as with util-linux: ignored signals stay ignored, the
//! signal mask is the caller's, closed standard descriptors stay closed.
//! And a copy of nsipc that the kernel runs with more privilege than its
//! caller (setuid, setgid, file capabilities) refuses to run at all.
//!
//! Every case runs in a [`Sandbox`]; the differential ones run util-linux
//! 2.38.1 the same way and also check the expected state explicitly, so they
//! fail even where util-linux is not installed.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Output;

use common::{nsipc_bin, stderr, stdout, util_linux_bin, As, Sandbox};

/// The unshare and nsenter command lines every case runs, the program
/// appended; `{pid}` is the sandbox's holder.
fn tool_cases(pid: u32) -> Vec<(&'static str, Vec<String>)> {
    let p = pid.to_string();
    let v = |args: &[&str]| args.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    vec![
        ("unshare", v(&["-u"])),
        ("unshare", v(&["-f", "-u"])),
        ("unshare", v(&["--kill-child", "-u"])),
        ("nsenter", v(&["-t", &p, "-u"])),
        ("nsenter", v(&["-t", &p, "-u", "-p"])),
    ]
}

/// Runs `tool args program…` (nsipc's, or util-linux's with `util_linux`)
/// in the sandbox, with `setup` applied last in the child before exec.
fn run(
    sb: &Sandbox,
    util_linux: bool,
    tool: &str,
    args: &[String],
    program: &[&str],
    setup: fn() -> std::io::Result<()>,
) -> Output {
    let bin = match util_linux {
        true => util_linux_bin(tool).expect("util-linux installed"),
        false => nsipc_bin(),
    };
    let mut cmd = sb.command(bin);
    cmd.arg0(tool).args(args).args(program);
    // SAFETY: setup makes only async-signal-safe calls, in the child
    // between fork and exec (after the sandbox's own pre_exec).
    unsafe { cmd.pre_exec(setup) };
    cmd.output().expect("run tool")
}

fn have_util_linux(tool: &str) -> bool {
    util_linux_bin(tool).is_some()
}

/// SIGPIPE and SIGUSR1 ignored, SIGUSR2 and SIGHUP blocked: the state a
/// caller such as systemd (SIGPIPE ignored) or a shell after `trap '' PIPE`
/// gives.
fn ignore_and_block() -> std::io::Result<()> {
    // SAFETY: signal and sigprocmask on the child's own state, with a set
    // initialised by sigemptyset.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
        libc::signal(libc::SIGUSR1, libc::SIG_IGN);
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGUSR2);
        libc::sigaddset(&mut set, libc::SIGHUP);
        if libc::sigprocmask(libc::SIG_SETMASK, &set, std::ptr::null_mut()) != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

fn bit(signal: i32) -> u64 {
    1 << (signal - 1)
}

/// The `SigIgn` and `SigBlk` masks in a `/proc/PID/status` text.
fn masks(status: &str) -> (u64, u64) {
    let field = |name: &str| {
        let line = status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .unwrap_or_else(|| panic!("no {name} in {status}"));
        u64::from_str_radix(line.trim(), 16).unwrap()
    };
    (field("SigIgn:"), field("SigBlk:"))
}

#[test]
fn ignored_and_blocked_signals_reach_the_program() {
    require_namespaces!();
    let sb = Sandbox::new();
    let program = ["grep", "-E", "^Sig(Ign|Blk):", "/proc/self/status"];
    // What the program sees without any tool in between.
    let direct = {
        let mut cmd = sb.command(program[0]);
        cmd.args(&program[1..]);
        // SAFETY: as in `run`.
        unsafe { cmd.pre_exec(ignore_and_block) };
        cmd.output().unwrap()
    };
    let (ignored, blocked) = masks(&stdout(&direct));
    assert_eq!(ignored & bit(libc::SIGPIPE), bit(libc::SIGPIPE));
    assert_eq!(blocked, bit(libc::SIGUSR2) | bit(libc::SIGHUP));
    for (tool, args) in tool_cases(sb.pid()) {
        let ours = run(&sb, false, tool, &args, &program, ignore_and_block);
        assert!(ours.status.success(), "{tool} {args:?}: {}", stderr(&ours));
        assert_eq!(
            masks(&stdout(&ours)),
            (ignored, blocked),
            "{tool} {args:?}: the program's SigIgn/SigBlk"
        );
        if have_util_linux(tool) {
            let theirs = run(&sb, true, tool, &args, &program, ignore_and_block);
            assert_eq!(stdout(&theirs), stdout(&ours), "{tool} {args:?}");
        }
    }
}

/// The program: exit status 0 if its descriptor `fd` is open, 1 if not.
/// `test` opens nothing itself, so a closed descriptor stays free.
fn fd_probe(fd: i32) -> Vec<String> {
    vec![
        "/usr/bin/test".into(),
        "-e".into(),
        format!("/proc/self/fd/{fd}"),
    ]
}

fn close0() -> std::io::Result<()> {
    // SAFETY: close on the child's own descriptor.
    unsafe { libc::close(0) };
    Ok(())
}

fn close1() -> std::io::Result<()> {
    // SAFETY: as close0.
    unsafe { libc::close(1) };
    Ok(())
}

fn close2() -> std::io::Result<()> {
    // SAFETY: as close0.
    unsafe { libc::close(2) };
    Ok(())
}

#[test]
fn closed_standard_descriptors_stay_closed_for_the_program() {
    require_namespaces!();
    let sb = Sandbox::new();
    let closers: [fn() -> std::io::Result<()>; 3] = [close0, close1, close2];
    for (fd, close) in closers.into_iter().enumerate() {
        let probe = fd_probe(fd as i32);
        let probe: Vec<&str> = probe.iter().map(String::as_str).collect();
        for (tool, args) in tool_cases(sb.pid()) {
            let ours = run(&sb, false, tool, &args, &probe, close);
            assert_eq!(
                ours.status.code(),
                Some(1),
                "{tool} {args:?}: fd {fd} open in the program\n{}",
                stderr(&ours)
            );
            if have_util_linux(tool) {
                let theirs = run(&sb, true, tool, &args, &probe, close);
                assert_eq!(theirs.status.code(), Some(1), "util-linux {tool} {args:?}");
            }
        }
        // Still open when the caller left it open.
        let ours = run(&sb, false, "unshare", &["-u".into()], &probe, || Ok(()));
        assert_eq!(ours.status.code(), Some(0), "fd {fd}");
    }
    // nsipc's own output is guarded meanwhile: with stdout closed, its
    // messages still go to stderr and nothing lands on another file.
    let o = run(
        &sb,
        false,
        "unshare",
        &["-u".into()],
        &["/nonexistent"],
        close1,
    );
    assert_eq!(o.status.code(), Some(127));
    assert_eq!(
        stderr(&o),
        "unshare: failed to execute /nonexistent: No such file or directory\n"
    );
}

/// A setuid-root copy of nsipc, run by an ordinary user, refuses to run
/// whatever the tool or option (even `--version`), and does nothing: here
/// `unshare -u hostname X` would otherwise change the sandbox's hostname.
#[test]
fn setuid_copy_refuses_to_run() {
    require_namespaces!();
    let sb = Sandbox::new();
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let copy = dir.path().join("nsipc-copy");
    std::fs::copy(nsipc_bin(), &copy).unwrap();
    for tool in ["unshare", "nsenter", "ipcs", "nsipc"] {
        std::os::unix::fs::symlink(&copy, dir.path().join(tool)).unwrap();
    }
    let alice = As {
        uid: Some(1001),
        gid: Some(1001),
    };
    let run_as = |mode: u32, tool: &str, args: &[&str]| {
        std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(mode)).unwrap();
        let mut cmd = sb.command_as(dir.path().join(tool), alice);
        cmd.args(args);
        cmd.output().unwrap()
    };
    let msg = |tool: &str| {
        format!(
            "{tool}: refusing to run with privileges the caller does not have \
             (setuid, setgid or file capabilities)\n"
        )
    };
    let sandbox_hostname = || stdout(&sb.command("hostname").output().unwrap());
    let before = sandbox_hostname();
    for mode in [0o4755, 0o2755] {
        for (tool, args) in [
            ("unshare", &["--uts", "hostname", "changed"][..]),
            ("unshare", &["-V"][..]),
            ("nsenter", &["-t", "1", "-a", "true"][..]),
            ("ipcs", &[][..]),
            ("nsipc", &["--help"][..]),
        ] {
            let o = run_as(mode, tool, args);
            assert_eq!(
                (stdout(&o).as_str(), stderr(&o), o.status.code()),
                ("", msg(tool), Some(1)),
                "mode {mode:o}: {tool} {args:?}"
            );
        }
    }
    assert_eq!(sandbox_hostname(), before);
    // The same copy without the set-id bits runs normally.
    let o = run_as(0o755, "ipcs", &["-V"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(Path::new(&copy).exists());
    // And run by root itself, nothing is elevated: no refusal.
    let mut cmd = sb.command(dir.path().join("unshare"));
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o4755)).unwrap();
    cmd.args(["-u", "true"]);
    let o = cmd.output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}
