//! nsenter: credentials and user namespaces: `-S`/`-G` with and without a
//! user namespace, the target's owner taken over, `--user-parent`, and
//! unprivileged callers (helpers in nsenter.rs).

use crate::common;

use std::io::BufRead;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{assert_same, nsipc_bin, stderr, stdout};

use crate::nsenter::*;

/// How a case is checked: against util-linux, or nsipc alone (master's
/// behaviour that 2.38.1 lacks).
#[derive(Clone, Copy, PartialEq)]
enum Check {
    Differential,
    Ours,
}

/// Runs `nsenter -t PID ARGS…` for each case and requires its stdout.
fn run_cases(pid: &str, cases: &[(Check, &[&str], String)]) {
    for (check, args, want) in cases {
        let args: Vec<&str> = ["-t", pid].iter().chain(args.iter()).copied().collect();
        let o = match check {
            Check::Differential => compare(&args),
            Check::Ours => ours(&args),
        };
        assert_eq!(ok_out(&o), *want, "nsenter {args:?}");
    }
}

const IDS: &str = "id -u; id -g; id -G";

#[test]
fn credentials_in_a_user_namespace() {
    require_namespaces!();
    let t = user_target();
    let last: u32 = std::fs::read_to_string("/proc/sys/kernel/cap_last_cap")
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let all_caps = format!("CapAmb:\t{:016x}\n", (1u64 << (last + 1)) - 1);
    let no_caps = "CapAmb:\t0000000000000000\n".to_string();
    let amb = ["grep", "CapAmb", "/proc/self/status"];
    use Check::*;
    #[rustfmt::skip]
    let cases: &[(Check, &[&str], String)] = &[
        // Entering a user namespace makes us root in it, groups dropped.
        (Differential, &["-U", "id"], "uid=0(root) gid=0(root) groups=0(root)\n".into()),
        (Differential, &["-U", "-S", "1001", "-G", "2003", "sh", "-c", IDS], "1001\n2003\n2003\n".into()),
        // --preserve-credentials: host root is not mapped inside.
        (Differential, &["-U", "--preserve-credentials", "id", "-u"], "65534\n".into()),
        (Differential, &["-U", "-u", "readlink", "/proc/self/ns/user", "/proc/self/ns/uts"],
            format!("{}\n{}\n", t.ns("user"), t.ns("uts"))),
        // -a enters the user namespace too.
        (Differential, &["-a", "readlink", "/proc/self/ns/user"], format!("{}\n", t.ns("user"))),
        // --keep-caps: the namespace's capabilities become ambient (master);
        // without a user namespace it does nothing.
        (Ours, &["-U", "--keep-caps", amb[0], amb[1], amb[2]], all_caps),
        (Ours, &["-U", amb[0], amb[1], amb[2]], no_caps.clone()),
        (Ours, &["-u", "--keep-caps", amb[0], amb[1], amb[2]], no_caps),
    ];
    run_cases(&t.p(), cases);
}

#[test]
fn setuid_setgid_without_user_namespace() {
    require_namespaces!();
    let t = uts_ipc_target();
    use Check::*;
    #[rustfmt::skip]
    let cases: &[(Check, &[&str], String)] = &[
        (Differential, &["-u", "-S", "1001", "-G", "2003", "sh", "-c", IDS], "1001\n2003\n2003\n".into()),
        (Differential, &["-u", "-S", "1001", "sh", "-c", "id -u; id -g"], "1001\n0\n".into()),
        (Differential, &["-u", "-G", "2003", "sh", "-c", IDS], "0\n2003\n2003\n".into()),
    ];
    run_cases(&t.p(), cases);
}

#[test]
fn follow_takes_the_owner_of_the_target() {
    require_namespaces!();
    let mut cmd = Command::new("sh");
    cmd.args(["-c", "echo ready; exec sleep 60"]);
    // SAFETY: raw syscalls in the forked child before exec.
    unsafe {
        cmd.pre_exec(|| {
            check(libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL))?;
            check(libc::unshare(libc::CLONE_NEWUTS))?;
            check(libc::setgroups(0, std::ptr::null()))?;
            check(libc::setgid(2003))?;
            check(libc::setuid(1001))
        });
    }
    let t = Target::command_sleeping(cmd);
    let p = t.p();
    let o = ours(&[
        "-t",
        &p,
        "-u",
        "-S",
        "follow",
        "-G",
        "follow",
        "sh",
        "-c",
        "id -u; id -g",
    ]);
    assert_eq!(ok_out(&o), "1001\n2003\n");
    let o = ours(&["-t", &p, "-u", "--setuid=follow", "id", "-u"]);
    assert_eq!(ok_out(&o), "1001\n");
    expect(
        &["-u/proc/self/ns/uts", "-S", "follow", "true"],
        "",
        "nsenter: neither filename nor target pid supplied for \n",
        1,
    );
}

#[test]
fn user_parent_enters_the_owning_user_namespace() {
    require_namespaces!();
    // A user namespace inside a user namespace; the middle one prints its
    // identity before the inner one is made.
    let t = nested_user_target();
    let p = t.p();
    let middle = t.said[0].clone();
    assert_ne!(middle, t.ns("user"));
    let o = ours(&["-t", &p, "--user-parent", "readlink", "/proc/self/ns/user"]);
    assert_eq!(ok_out(&o), format!("{middle}\n"));
    let o = ours(&[
        "-t",
        &p,
        "-U",
        "--user-parent",
        "-u",
        "readlink",
        "/proc/self/ns/user",
        "/proc/self/ns/uts",
    ]);
    assert_eq!(ok_out(&o), format!("{middle}\n{}\n", t.ns("uts")));
    // Through a -U file: its parent.
    let user = format!("--user=/proc/{p}/ns/user");
    let o = ours(&[
        "-t",
        &p,
        &user,
        "--user-parent",
        "readlink",
        "/proc/self/ns/user",
    ]);
    assert_eq!(ok_out(&o), format!("{middle}\n"));
    // The initial user namespace has no parent.
    let plain = uts_ipc_target();
    expect(
        &["-t", &plain.p(), "--user-parent", "true"],
        "",
        "nsenter: failed to open parent namespace: Operation not permitted\n",
        1,
    );
    expect(
        &["--user-parent", "true"],
        "",
        "nsenter: no target PID specified\n",
        1,
    );
}
/// Runs nsenter (`bin`) as uid/gid `id`, without supplementary groups.
fn run_as(bin: &Path, args: &[&str], id: u32) -> Output {
    let mut cmd = Command::new(bin);
    cmd.arg0("nsenter")
        .args(args)
        .current_dir("/")
        .env("LC_ALL", "C")
        .stdin(Stdio::null());
    // SAFETY: raw syscalls in the forked child before exec.
    unsafe {
        cmd.pre_exec(move || {
            check(libc::setgroups(0, std::ptr::null()))?;
            check(libc::setgid(id))?;
            check(libc::setuid(id))
        });
    }
    cmd.output().expect("run nsenter")
}

#[test]
fn unprivileged_user_enters_its_own_user_namespace_first() {
    require_namespaces!();
    // Made by uid 1001: its UTS namespace is owned by its user namespace,
    // so uid 1001 can join the UTS namespace only after the user namespace.
    let mut cmd = Command::new("sh");
    cmd.args([
        "-c",
        "echo ready; read x; hostname nsipc-user; echo ready; exec sleep 60",
    ]);
    // SAFETY: raw syscalls in the forked child before exec.
    unsafe {
        cmd.pre_exec(|| {
            check(libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL))?;
            check(libc::setgroups(0, std::ptr::null()))?;
            check(libc::setgid(1001))?;
            check(libc::setuid(1001))?;
            check(libc::unshare(libc::CLONE_NEWUSER | libc::CLONE_NEWUTS))
        });
    }
    cmd.current_dir("/");
    let mut t = Target::command(cmd);
    std::fs::write(format!("/proc/{}/uid_map", t.pid), "0 1001 1\n").unwrap();
    std::fs::write(format!("/proc/{}/gid_map", t.pid), "0 1001 1\n").unwrap();
    t.go();
    let mut line = String::new();
    t._out.read_line(&mut line).unwrap();
    assert_eq!(line, "ready\n");
    let t = t.wait_for_sleep();
    let p = t.p();
    let theirs = util_linux();
    for args in [
        vec!["-t", &p, "-U", "-u", "sh", "-c", "hostname; id -u; id -g"],
        vec![
            "-t",
            &p,
            "-U",
            "-u",
            "--preserve-credentials",
            "sh",
            "-c",
            "hostname; id -u",
        ],
    ] {
        let o = run_as(&nsipc_bin(), &args, 1001);
        assert_eq!(ok_out(&o).lines().next(), Some("nsipc-user"), "{args:?}");
        if let Some(bin) = &theirs {
            assert_same("nsenter", &args, &run_as(bin, &args, 1001), &o);
        }
    }
    // A user namespace file with the target's UTS namespace: the file is
    // joined first in pass 2, then the pidfd's UTS namespace.
    let user = format!("--user=/proc/{p}/ns/user");
    let o = run_as(&nsipc_bin(), &["-t", &p, &user, "-u", "hostname"], 1001);
    assert_eq!(ok_out(&o), "nsipc-user\n");
    // -a also names the host's mount, net, ... namespaces, which uid 1001
    // may not join (util-linux fails the same way, on 'ns/cgroup').
    let o = run_as(&nsipc_bin(), &["-t", &p, "-a", "hostname"], 1001);
    assert_eq!(
        (stdout(&o).as_str(), stderr(&o).as_str(), o.status.code()),
        (
            "",
            "nsenter: reassociate to namespaces failed: Operation not permitted\n",
            Some(1)
        )
    );
    // Another user may not: the pidfd's setns is refused as a whole.
    let o = run_as(&nsipc_bin(), &["-t", &p, "-U", "-u", "hostname"], 1003);
    assert_eq!(
        (stdout(&o).as_str(), stderr(&o).as_str(), o.status.code()),
        (
            "",
            "nsenter: reassociate to namespaces failed: Operation not permitted\n",
            Some(1)
        )
    );
}
