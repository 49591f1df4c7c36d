//! nsenter: what the program it runs gets: the target's environment, root
//! and working directory, no stray descriptors, and its exit status and
//! signals passed on (helpers in nsenter.rs).

use crate::common;

use std::os::fd::AsRawFd;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, Stdio};

use common::{nsipc_bin, stderr, stdout};

use crate::nsenter::*;

#[test]
fn environment_of_the_target() {
    require_namespaces!();
    let mut cmd = Command::new("/usr/bin/unshare");
    cmd.args(["--uts", "sh", "-c", "echo ready; exec sleep 60"])
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("NSIPC_A", "1")
        .env("NSIPC_B", "x=y");
    let t = Target::command_sleeping(cmd);
    let p = t.p();
    // The target's variables, last first, as util-linux master prints them
    // (it prepends each to a list, then sets the list in order).
    let environ = std::fs::read(format!("/proc/{p}/environ")).unwrap();
    let want: String = environ
        .split(|&b| b == 0)
        .filter(|e| !e.is_empty())
        .rev()
        .map(|e| String::from_utf8_lossy(e).into_owned() + "\n")
        .collect();
    assert!(want.contains("NSIPC_B=x=y\n"), "{want}");
    let o = ours(&["-t", &p, "-u", "-e", "env"]);
    assert_eq!(ok_out(&o), want);
    let o = ours(&["-t", &p, "-u", "--env", "/usr/bin/env"]);
    assert_eq!(ok_out(&o), want);
    // An empty environment gives an empty one.
    let t = Target::unshare(&["--uts"], "echo ready; exec env -i /bin/sleep 60");
    let o = ours(&["-t", &t.p(), "-u", "-e", "/usr/bin/env"]);
    assert_eq!(ok_out(&o), "");
}

/// A target chrooted into a tmpfs of its own mount namespace (with /usr
/// bind-mounted) and working in /usr/share.
fn chrooted_target(root: &Path) -> Target {
    let r = root.display();
    let script = format!(
        "mount -t tmpfs none {r} && mkdir {r}/usr {r}/proc && touch {r}/marker && \
         mount --bind /usr {r}/usr && ln -s usr/bin {r}/bin && ln -s usr/lib {r}/lib && \
         if [ -e /lib64 ]; then ln -s usr/lib64 {r}/lib64; fi && cd {r} && \
         exec /usr/sbin/chroot . /bin/sh -c 'cd /usr/share && echo ready && exec sleep 60'"
    );
    Target::unshare(&["--mount", "--uts", "--propagation", "private"], &script)
}

#[test]
fn root_and_working_directories() {
    require_namespaces!();
    let dir = tempfile::tempdir().unwrap();
    let t = chrooted_target(dir.path());
    let p = t.p();
    let o = compare(&["-t", &p, "-m", "-r", "-w", "pwd"]);
    assert_eq!(ok_out(&o), "/usr/share\n");
    let o = compare(&["-t", &p, "-m", "--root", "--wd", "ls", "/"]);
    let listing = ok_out(&o);
    assert!(listing.contains("marker\n"), "{listing}");
    let o = compare(&["-t", &p, "-m", "-r", "-W/usr", "pwd"]);
    assert_eq!(ok_out(&o), "/usr\n");
    let o = compare(&["-t", &p, "-m", "-r", "--wdns=/usr/bin", "pwd"]);
    assert_eq!(ok_out(&o), "/usr/bin\n");
    let root = format!("-r/proc/{p}/root");
    let o = compare(&["-t", &p, "-u", &root, "-w/", "ls", "/marker"]);
    assert_eq!(ok_out(&o), "/marker\n");
    let o = compare(&["-t", &p, "-u", "-w/tmp", "pwd"]);
    assert_eq!(ok_out(&o), "/tmp\n");
    let o = compare(&["-t", &p, "-m", "-r", "-W/nonexistent", "pwd"]);
    assert_eq!(
        stderr(&o),
        "nsenter: cannot open current working directory: No such file or directory\n"
    );
}

#[test]
fn exit_status_and_signals() {
    require_namespaces!();
    let t = all_ns_target();
    let p = t.p();
    for ns in ["-u", "-p"] {
        let o = compare(&["-t", &p, ns, "sh", "-c", "exit 7"]);
        assert_eq!(o.status.code(), Some(7));
        let o = compare(&["-t", &p, ns, "sh", "-c", "kill -TERM $$"]);
        assert_eq!(
            o.status.signal(),
            Some(libc::SIGTERM),
            "{ns}: dies by the signal"
        );
        let o = compare(&["-t", &p, ns, "sh", "-c", "kill -KILL $$"]);
        assert_eq!(o.status.signal(), Some(libc::SIGKILL), "{ns}");
        let o = compare(&["-t", &p, ns, "nonexistent-program-nsipc"]);
        assert_eq!(o.status.code(), Some(127));
        assert_eq!(
            stderr(&o),
            "nsenter: failed to execute nonexistent-program-nsipc: No such file or directory\n"
        );
    }
    // Seen from a shell: 128+N. (Through a link named nsenter, as
    // installed.)
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("nsenter");
    std::os::unix::fs::symlink(nsipc_bin(), &link).unwrap();
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "\"$NSENTER\" -t {p} -p sh -c 'kill -TERM $$'; echo $?"
        ))
        .env("NSENTER", &link)
        .output()
        .unwrap();
    assert_eq!(stdout(&o), "143\n");
}

#[test]
fn stopped_child_stops_nsenter() {
    require_namespaces!();
    let t = all_ns_target();
    let p = t.p();
    let mut cmd = Command::new(nsipc_bin());
    cmd.arg0("nsenter")
        .args(["-t", &p, "-p", "sh", "-c", "kill -STOP $$; echo resumed"])
        .stdout(Stdio::piped())
        .stdin(Stdio::null());
    let child = cmd.spawn().unwrap();
    let pid = child.id();
    // Wait (without a deadline assertion) until nsenter has stopped itself.
    let stopped = (0..5000).any(|_| {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let state = stat.rsplit(')').next().unwrap_or("").trim().chars().next();
        if state == Some('T') {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
        false
    });
    assert!(stopped, "nsenter must stop when its child stops");
    // SAFETY: signalling the child we started.
    unsafe { libc::kill(pid as i32, libc::SIGCONT) };
    let o = child.wait_with_output().unwrap();
    assert_eq!(stdout(&o), "resumed\n");
    assert_eq!(o.status.code(), Some(0));
}

/// The fds `sh -c 'ls /proc/$$/fd'` sees when run through nsenter with
/// `args` (None: run directly, the baseline). The caller passes its stdio,
/// fd 7, and whatever the test process itself inherited.
fn fds_seen(args: Option<&[&str]>, close_stdin: bool) -> String {
    let devnull = std::fs::File::open("/dev/null").unwrap();
    let raw = devnull.as_raw_fd();
    let mut cmd = match args {
        Some(args) => {
            let mut cmd = Command::new(nsipc_bin());
            cmd.arg0("nsenter").args(args);
            cmd.arg("sh");
            cmd
        }
        None => Command::new("sh"),
    };
    cmd.args(["-c", "ls /proc/$$/fd"])
        .current_dir("/")
        .stdin(Stdio::null());
    // SAFETY: raw syscalls in the forked child before exec.
    unsafe {
        cmd.pre_exec(move || {
            check(libc::dup2(raw, 7))?;
            if close_stdin {
                check(libc::close(0))?;
            }
            Ok(())
        });
    }
    let o = cmd.output().unwrap();
    ok_out(&o)
}

#[test]
fn no_fd_reaches_the_program() {
    require_namespaces!();
    let t = uts_ipc_target();
    let p = t.p();
    let u = user_target();
    let up = u.p();
    let nested = nested_user_target();
    let np = nested.p();
    let uts_file = format!("--uts=/proc/{p}/ns/uts");
    let ipc_file = format!("-i/proc/{p}/ns/ipc");
    let cases: Vec<Vec<&str>> = vec![
        vec!["-t", &p, "-u"],
        vec!["-t", &p, "-a"],
        vec![
            "-t", &p, "-a", "-r", "-w", "-e", "-S", "follow", "-G", "follow",
        ],
        vec!["-t", &p, "-u", "-r/", "-W/tmp"],
        vec![&uts_file, &ipc_file],
        vec!["-t", &p, "-u", "-p", "-m", "-n"],
        vec!["-t", &np, "-U", "--user-parent", "-u"],
        vec!["-t", &np, "-a"],
        vec!["-t", &up, "-a", "--keep-caps"],
    ];
    let baseline = fds_seen(None, false);
    assert!(baseline.contains("\n7\n"), "{baseline}");
    for args in &cases {
        assert_eq!(fds_seen(Some(args), false), baseline, "{args:?}");
    }
    // With stdin closed util-linux's pidfd became fd 0 and was then taken
    // for "no pidfd" (#4412). nsipc's start-up opens /dev/null,
    // close-on-exec, on a closed stdin before anything else, so nsipc's
    // pidfd never is fd 0, and the program finds stdin closed as the
    // caller left it; nothing else is added.
    let baseline = fds_seen(None, true);
    assert!(!baseline.starts_with("0\n"), "{baseline}");
    assert_eq!(fds_seen(Some(&["-t", &p, "-u"]), true), baseline);
    let o = {
        let mut cmd = Command::new(nsipc_bin());
        cmd.arg0("nsenter").args(["-t", &p, "-u", "hostname"]);
        // SAFETY: close(0) in the forked child.
        unsafe { cmd.pre_exec(|| check(libc::close(0))) };
        cmd.output().unwrap()
    };
    assert_eq!(ok_out(&o), "nsipc-target\n");
}
