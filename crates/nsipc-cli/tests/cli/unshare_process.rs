//! unshare: the program it runs: exit status and signals, the login shell,
//! environment, descriptors, root and working directory, `--kill-child` and
//! `--forward-signals` (helpers in unshare.rs).

use crate::common;

use std::io::{BufRead, BufReader};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::Stdio;

use common::{stderr, stdout, Sandbox};

use crate::unshare::*;

#[test]
fn exit_status_and_signals() {
    require_namespaces!();
    let sb = Sandbox::new();
    for args in [
        &["-i", "sh", "-c", "exit 7"][..],
        &["-if", "sh", "-c", "exit 7"],
        &["-if", "sh", "-c", "kill -TERM $$"],
        &["-if", "sh", "-c", "kill -SEGV $$"],
        &["-i", "sh", "-c", "kill -TERM $$"],
        &["-i", "nosuchprogram"],
        &["-i", "/etc/passwd"],
        &["-if", "nosuchprogram"],
    ] {
        compare(&sb, args);
    }
    // SIGKILL: unshare dies by it too (2.38.1 printed an error, #2614).
    let out = sb.nsipc("unshare", &["-if", "sh", "-c", "kill -KILL $$"]);
    assert_eq!(out.status.signal(), Some(libc::SIGKILL));
    assert_eq!(stderr(&out), "");
    // The shell sees 128+N.
    assert_eq!(
        sb.sh_ok("\"$NSIPC\" unshare -if sh -c 'kill -TERM $$'; echo $?")
            .trim_end(),
        "143"
    );
}

#[test]
fn login_shell_without_program() {
    require_namespaces!();
    let sb = Sandbox::new();
    let out = sb
        .command(common::nsipc_bin())
        .arg0("unshare")
        .arg("-i")
        .env("SHELL", "/bin/sh")
        .stdin(std::fs::File::open("/dev/null").unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    // Without $SHELL (cleared), the password database's shell (/bin/sh for
    // root in the sandbox), as a login shell.
    let out = sb.sh_ok("echo 'echo $0' | \"$NSIPC\" unshare --clear-env -i");
    assert_eq!(out, "-sh\n");
    let out = sb.sh_ok("echo 'echo $0' | SHELL=/bin/sh /usr/bin/unshare -i; echo 'echo $0' | SHELL=/bin/sh \"$NSIPC\" unshare -i");
    assert_eq!(out, "-sh\n-sh\n");
}

#[test]
fn environment_passes_through_unchanged() {
    require_namespaces!();
    let sb = Sandbox::new();
    let run = |args: &[&str]| {
        let out = sb
            .command(common::nsipc_bin())
            .arg0("unshare")
            .args(args)
            .env("FOO", "1")
            .env("BAR", "2")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stdout(&out)
    };
    assert_eq!(run(&["--clear-env", "/usr/bin/env"]), "");
    assert_eq!(
        run(&[
            "--whitelist-env",
            "FOO,NOPE",
            "--whitelist-env=BAR",
            "/usr/bin/env"
        ]),
        // Last listed first, as util-linux master.
        "BAR=2\nFOO=1\n"
    );
    // Only unset names: an empty environment. util-linux master keeps the
    // whole environment then (its list stays empty, so it never clears).
    assert_eq!(run(&["--whitelist-env=NOPE", "/usr/bin/env"]), "");
    assert_eq!(run(&["--whitelist-env=", "/usr/bin/env"]), "");
    // A name listed again counts where it was listed last.
    assert_eq!(
        run(&["--whitelist-env=FOO,BAR,FOO", "/usr/bin/env"]),
        "FOO=1\nBAR=2\n"
    );
    assert!(run(&["-i", "/usr/bin/env"]).contains("FOO=1\n"));
}

#[test]
fn no_descriptor_leaks_into_the_program() {
    require_namespaces!();
    let sb = Sandbox::new();
    let file = format!("/tmp/nsipc-unshare-fd-{}", std::process::id());
    sb.sh_ok(&format!("touch {file}"));
    // ls of the shell's table, without a pipe (sh would hold its ends).
    let list = "ls /proc/$$/fd";
    for args in [
        vec!["-i", "sh", "-c", list],
        vec![
            "-f",
            "--kill-child",
            "-r",
            "--map-users=1:100000:10",
            "sh",
            "-c",
            list,
        ],
        vec!["--forward-signals", "-T", "--monotonic=1", "sh", "-c", list],
        vec![
            "-m",
            "--ipc",
            "--mount-mqueue",
            "--mount-shm",
            "--mount-proc",
            "-fp",
            "sh",
            "-c",
            list,
        ],
    ] {
        let mut args = args;
        let persist = format!("--uts={file}");
        args.insert(0, &persist);
        let mut cmd = sb.command(common::nsipc_bin());
        // SAFETY: close_range is a plain syscall; it leaves the caller with
        // exactly stdin, stdout and stderr, whatever the test runner holds.
        unsafe {
            cmd.pre_exec(|| {
                libc::syscall(libc::SYS_close_range, 3u32, u32::MAX, 0u32);
                Ok(())
            });
        }
        let out = cmd
            .arg0("unshare")
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "0\n1\n2\n", "{args:?}");
        sb.sh_ok(&format!("umount {file}"));
    }
}

#[test]
fn root_and_working_directory() {
    require_namespaces!();
    let sb = Sandbox::new();
    compare(&sb, &["-w", "/tmp", "pwd"]);
    compare(&sb, &["-R", "/", "pwd"]);
    compare(&sb, &["-R", "/", "-w", "/etc", "pwd"]);
    expect(
        &sb,
        &["-w", "/nonexistent", "true"],
        "",
        "unshare: cannot change directory to /nonexistent: No such file or directory\n",
        1,
    );
    expect(
        &sb,
        &["-R", "/nonexistent", "true"],
        "",
        "unshare: cannot change root directory to '/nonexistent': No such file or directory\n",
        1,
    );
}
/// Waits (bounded) for a line on the child's stdout.
fn read_line(reader: &mut impl BufRead) -> String {
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    line
}

#[test]
fn kill_child_leaves_no_orphan() {
    require_namespaces!();
    let sb = Sandbox::new();
    let mut child = sb
        .command(common::nsipc_bin())
        .arg0("unshare")
        .args(["--kill-child", "-i", "sh", "-c", "echo $$; exec sleep 1000"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let grandchild: i32 = read_line(&mut out).trim().parse().unwrap();
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
    child.wait().unwrap();
    // The program got SIGKILL too: its stdout closes and /proc forgets it.
    assert_eq!(read_line(&mut out), "");
    for _ in 0..1000 {
        let state = std::fs::read_to_string(format!("/proc/{grandchild}/stat")).unwrap_or_default();
        if state.is_empty() || state.contains(") Z ") {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    panic!("program {grandchild} survived unshare --kill-child");
}

#[test]
fn forwarded_signals_reach_the_program() {
    require_namespaces!();
    let sb = Sandbox::new();
    for (forward, want) in [(true, Some(42)), (false, Some(0))] {
        let mut cmd = sb.command(common::nsipc_bin());
        cmd.arg0("unshare");
        if forward {
            cmd.arg("--forward-signals");
        } else {
            cmd.arg("-f");
        }
        let mut child = cmd
            .args([
                "-i",
                "sh",
                "-c",
                "trap 'exit 42' TERM; echo ready; read x; exit 0",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        assert_eq!(read_line(&mut out), "ready\n");
        // SAFETY: signalling our own child.
        unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
        // Child::wait closes stdin, which would end `read` before a
        // forwarded signal arrives: hold it open until the child is gone.
        let mut stdin = child.stdin.take();
        if !forward {
            // Blocked in the parent: the child finishes normally and its
            // status is reported.
            drop(stdin.take());
        }
        let status = child.wait().unwrap();
        drop(stdin);
        assert_eq!(status.code(), want, "forward={forward}");
    }
}
