//! nsenter: every option against processes the tests start in new
//! namespaces, compared with util-linux 2.38.1's nsenter where both behave
//! the same, with explicit expectations where master (which nsipc follows)
//! differs or 2.38.1 lacks the feature.
//!
//! The targets are `sleep`s the tests spawn in their own namespaces (never
//! PID 1: root cannot open /proc/1/ns/* on CI); they are killed when the
//! test ends. nsenter itself changes nothing on the host: the programs it
//! runs only read.

use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Output, Stdio};

use common::{assert_same, nsipc_bin, stderr, stdout, util_linux_bin};

/// A process in namespaces of its own, killed on drop.
pub(crate) struct Target {
    pub(crate) child: Child,
    /// The process whose namespaces are entered (the child of `unshare
    /// --fork`, or `child` itself).
    pub(crate) pid: u32,
    /// Lines the target printed before "ready".
    pub(crate) said: Vec<String>,
    pub(crate) _out: BufReader<ChildStdout>,
}

impl Target {
    /// Runs `script` under `/usr/bin/unshare ARGS`; the script prints
    /// "ready" then execs `sleep`. With `--fork` the target is unshare's
    /// child.
    pub(crate) fn unshare(args: &[&str], script: &str) -> Target {
        let mut cmd = Command::new("/usr/bin/unshare");
        cmd.args(args).args(["sh", "-c", script]);
        let fork = args.contains(&"--fork");
        Target::start(cmd, fork).wait_for_sleep()
    }

    /// Runs `script` in a child that made its namespaces itself (pre_exec).
    pub(crate) fn command(cmd: Command) -> Target {
        Target::start(cmd, false)
    }

    /// [`Target::command`] for scripts that exec sleep right after "ready".
    pub(crate) fn command_sleeping(cmd: Command) -> Target {
        Target::start(cmd, false).wait_for_sleep()
    }

    pub(crate) fn start(mut cmd: Command, fork: bool) -> Target {
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped());
        cmd.env("LC_ALL", "C");
        let mut child = cmd.spawn().expect("start target");
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut said = Vec::new();
        loop {
            let mut line = String::new();
            let n = out.read_line(&mut line).unwrap();
            assert!(n > 0, "target died before it was ready: {said:?}");
            let line = line.trim_end().to_string();
            if line == "ready" {
                break;
            }
            said.push(line);
        }
        let pid = if fork {
            let id = child.id();
            let children =
                std::fs::read_to_string(format!("/proc/{id}/task/{id}/children")).unwrap();
            children.split_whitespace().next().unwrap().parse().unwrap()
        } else {
            child.id()
        };
        Target {
            child,
            pid,
            said,
            _out: out,
        }
    }

    /// "ready" comes just before the script execs sleep: waits for that, so
    /// /proc/PID shows sleep's state (environment included).
    pub(crate) fn wait_for_sleep(self) -> Target {
        crate::common::wait_for_sleep(self.pid);
        self
    }

    pub(crate) fn p(&self) -> String {
        self.pid.to_string()
    }

    /// `readlink /proc/PID/ns/<name>` seen from outside.
    pub(crate) fn ns(&self, name: &str) -> String {
        ns_link(&format!("/proc/{}/ns/{name}", self.pid))
    }

    /// Tells a target waiting on stdin to go on.
    pub(crate) fn go(&mut self) {
        let stdin = self.child.stdin.as_mut().unwrap();
        stdin.write_all(b"go\n").unwrap();
        stdin.flush().unwrap();
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn ns_link(path: &str) -> String {
    std::fs::read_link(path)
        .unwrap_or_else(|e| panic!("readlink {path}: {e}"))
        .to_string_lossy()
        .into_owned()
}

/// The usual target: new UTS (hostname `nsipc-target`) and IPC namespaces
/// with one message queue.
pub(crate) fn uts_ipc_target() -> Target {
    Target::unshare(
        &["--uts", "--ipc"],
        "hostname nsipc-target && ipcmk -Q >/dev/null && echo ready && exec sleep 60",
    )
}

/// A target in new mount, UTS, IPC, net, cgroup, time and PID namespaces.
pub(crate) fn all_ns_target() -> Target {
    Target::unshare(
        &[
            "--mount",
            "--uts",
            "--ipc",
            "--net",
            "--cgroup",
            "--time",
            "--pid",
            "--fork",
            "--kill-child",
        ],
        "hostname nsipc-all && echo ready && exec sleep 60",
    )
}

pub(crate) fn check(rc: libc::c_int) -> std::io::Result<()> {
    if rc == -1 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// A target in a new user namespace (mapping inner 0-65535 to outer
/// 100000-165535, written from outside) with its own UTS namespace.
pub(crate) fn user_target() -> Target {
    let mut cmd = Command::new("sh");
    cmd.args(["-c", "echo ready; read x; echo ready; exec sleep 60"]);
    // SAFETY: raw syscalls in the forked child before exec.
    unsafe {
        cmd.pre_exec(|| {
            check(libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL))?;
            check(libc::unshare(libc::CLONE_NEWUSER | libc::CLONE_NEWUTS))
        });
    }
    let mut t = Target::command(cmd);
    std::fs::write(format!("/proc/{}/uid_map", t.pid), "0 100000 65536\n").unwrap();
    std::fs::write(format!("/proc/{}/gid_map", t.pid), "0 100000 65536\n").unwrap();
    t.go();
    let mut line = String::new();
    t._out.read_line(&mut line).unwrap();
    assert_eq!(line, "ready\n");
    t.wait_for_sleep()
}

/// Runs `bin` as `nsenter` with `args`, from `/`, C locale, stdin empty.
pub(crate) fn run(bin: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(bin);
    cmd.arg0("nsenter")
        .args(args)
        .current_dir("/")
        .env("LC_ALL", "C")
        .stdin(Stdio::null());
    cmd.output().expect("run nsenter")
}

pub(crate) fn ours(args: &[&str]) -> Output {
    run(&nsipc_bin(), args)
}

pub(crate) fn util_linux() -> Option<PathBuf> {
    util_linux_bin("nsenter")
}

/// Runs both nsenters; requires identical stdout, stderr and exit status.
pub(crate) fn compare(args: &[&str]) -> Output {
    common::compare_with("nsenter", args, ours(args), |bin| run(bin, args))
}

/// Asserts our whole output.
pub(crate) fn expect(args: &[&str], out: &str, err: &str, code: i32) {
    let o = ours(args);
    assert_eq!(
        (stdout(&o).as_str(), stderr(&o).as_str(), o.status.code()),
        (out, err, Some(code)),
        "nsenter {args:?}"
    );
}

pub(crate) fn ok_out(o: &Output) -> String {
    assert!(o.status.success(), "failed: {}{}", stdout(o), stderr(o));
    stdout(o)
}

/// A user namespace inside a user namespace; the middle one's identity is
/// the first line the target said.
pub(crate) fn nested_user_target() -> Target {
    Target::unshare(
        &["--user", "--map-root-user"],
        "readlink /proc/self/ns/user && \
         exec /usr/bin/unshare --user --map-root-user --uts sh -c 'echo ready; exec sleep 60'",
    )
}

#[test]
fn walkthrough_case_hostname_and_queues() {
    require_namespaces!();
    let t = uts_ipc_target();
    let p = t.p();
    let o = compare(&["-t", &p, "-u", "-i", "hostname"]);
    assert_eq!(ok_out(&o), "nsipc-target\n");
    let o = compare(&["-t", &p, "-u", "-i", "ipcs", "-q"]);
    let queues = ok_out(&o).lines().filter(|l| l.starts_with("0x")).count();
    assert_eq!(queues, 1, "{}", stdout(&o));
    // The same through the long options and through namespace files.
    let o = compare(&["--target", &p, "--uts", "--ipc", "hostname"]);
    assert_eq!(ok_out(&o), "nsipc-target\n");
    let uts = format!("--uts=/proc/{p}/ns/uts");
    let o = compare(&[&uts, "hostname"]);
    assert_eq!(ok_out(&o), "nsipc-target\n");
    let uts = format!("-u/proc/{p}/ns/uts");
    let o = compare(&[&uts, "hostname"]);
    assert_eq!(ok_out(&o), "nsipc-target\n");
}

#[test]
fn every_namespace_kind_is_entered() {
    require_namespaces!();
    let t = all_ns_target();
    let p = t.p();
    for (flag, name) in [
        ("-m", "mnt"),
        ("-u", "uts"),
        ("-i", "ipc"),
        ("-n", "net"),
        ("-p", "pid"),
        ("-C", "cgroup"),
        ("-T", "time"),
    ] {
        let path = format!("/proc/self/ns/{name}");
        let o = compare(&["-t", &p, flag, "readlink", &path]);
        assert_eq!(ok_out(&o), format!("{}\n", t.ns(name)), "{flag}");
        assert_ne!(t.ns(name), ns_link(&path), "target must be in a new {name}");
    }
    // -p forks: the program is in the PID namespace. -F does not: only
    // its children would be.
    let o = compare(&[
        "-t",
        &p,
        "-p",
        "-F",
        "readlink",
        "/proc/self/ns/pid",
        "/proc/self/ns/pid_for_children",
    ]);
    assert_eq!(
        ok_out(&o),
        format!("{}\n{}\n", ns_link("/proc/self/ns/pid"), t.ns("pid"))
    );
    // -a: everything; the user namespace is ours, so it is skipped.
    let script =
        "for n in mnt uts ipc net pid cgroup time user; do readlink /proc/self/ns/$n; done";
    let o = compare(&["-t", &p, "-a", "sh", "-c", script]);
    let want: String = ["mnt", "uts", "ipc", "net", "pid", "cgroup", "time", "user"]
        .iter()
        .map(|n| t.ns(n) + "\n")
        .collect();
    assert_eq!(ok_out(&o), want);
    let o = compare(&["--target", &p, "--all", "hostname"]);
    assert_eq!(ok_out(&o), "nsipc-all\n");
}

#[test]
fn target_with_pidfd_inode() {
    require_namespaces!();
    let t = uts_ipc_target();
    // SAFETY: pidfd_open takes integers only; the fd is closed below.
    let pidfd = unsafe { libc::syscall(libc::SYS_pidfd_open, t.pid as libc::c_int, 0) } as i32;
    assert!(pidfd >= 0);
    // SAFETY: all-zero bytes are a valid `struct stat`.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: fstat writes into st.
    assert_eq!(unsafe { libc::fstat(pidfd, &mut st) }, 0);
    // SAFETY: the pidfd is ours and not used after this.
    unsafe { libc::close(pidfd) };
    let good = format!("{}:{}", t.pid, st.st_ino);
    let o = ours(&["-t", &good, "-u", "hostname"]);
    assert_eq!(ok_out(&o), "nsipc-target\n");
    let bad = format!("{}:{}", t.pid, st.st_ino + 1);
    expect(
        &["-t", &bad, "-u", "hostname"],
        "",
        &format!(
            "nsenter: failed to obtain a valid file descriptor for PID {}: No such process\n",
            t.pid
        ),
        1,
    );
}

#[test]
fn pid_argument_errors() {
    let e = |arg: &str, why: &str| {
        expect(
            &["-t", arg, "-u", "true"],
            "",
            &format!("nsenter: failed to parse PID argument '{arg}': {why}\n"),
            1,
        )
    };
    let range = "Numerical result out of range";
    e("abc", "Invalid argument");
    e("12x", "Invalid argument");
    e("0", range);
    e("-5", range);
    e("2147483648", range);
    e("12:", "Invalid argument");
    e("12:0", range);
    e("12:-1", range);
    expect(
        &["-t", "1", "-t", "1", "-u", "true"],
        "",
        "nsenter: option --target may be given only once\n",
        1,
    );
}

#[test]
fn usage_errors_match_util_linux() {
    require_namespaces!();
    let t = uts_ipc_target();
    let p = t.p();
    let ipc_file = format!("-u/proc/{p}/ns/ipc");
    let cases: Vec<Vec<&str>> = vec![
        vec!["--bogus"],
        vec!["-X"],
        vec!["-t"],
        vec!["--target"],
        vec!["--all=x"],
        vec!["-t", "999999999", "-u", "true"],
        vec!["-t", &p, "-u/nonexistent", "true"],
        vec!["-t", &p, "-u/", "hostname"],
        vec!["-t", &p, "-u/etc/passwd", "hostname"],
        vec!["-t", &p, &ipc_file, "hostname"],
        vec!["-t", &p, "-iu", "hostname"],
        vec!["-t", &p, "-r=/", "true"],
        vec!["-a", "true"],
        vec!["-t", &p, "-S", "abc", "-u", "true"],
        vec!["-t", &p, "-G", "x1", "-u", "true"],
        vec!["-t", &p, "-u", "/nonexistent/program"],
        vec!["-t", &p, "-u", "/etc/passwd"],
        vec!["-t", &p, "-a", "-u/nonexistent", "true"],
        vec!["-t", "999999999", "-a", "true"],
        vec!["-t", "999999999", "-u", "-r", "true"],
    ];
    for args in &cases {
        let o = compare(args);
        assert!(!o.status.success(), "{args:?} must fail");
        assert_eq!(stdout(&o), "", "{args:?}: nothing may run");
    }
}

#[test]
fn usage_errors_match_master() {
    require_namespaces!();
    let t = uts_ipc_target();
    let p = t.p();
    // Nothing to enter: master refuses instead of running the program.
    expect(
        &["-t", &p, "true"],
        "",
        "nsenter: no namespace specified\n",
        1,
    );
    expect(&["-u", "true"], "", "nsenter: no target PID specified\n", 1);
    expect(
        &["--mou", "true"],
        "",
        "nsenter: no target PID specified\n",
        1,
    );
    expect(
        &["-r", "-u/proc/self/ns/uts", "true"],
        "",
        "nsenter: neither filename nor target pid supplied for root\n",
        1,
    );
    expect(
        &["--u", "true"],
        "",
        "nsenter: option '--u' is ambiguous; possibilities: '--uts' '--user' '--user-parent'\n\
         Try 'nsenter --help' for more information.\n",
        1,
    );
    expect(
        &["-t", &p, "-w/tmp", "-W/tmp", "pwd"],
        "",
        "nsenter: options --wd and --wdns cannot be combined\n",
        1,
    );
    expect(
        &["-t", &p, "-W/tmp", "--wd", "pwd"],
        "",
        "nsenter: options --wdns and --wd cannot be combined\n",
        1,
    );
    // Ids above 2^32-1 are refused, not truncated (util-linux: uid 1).
    expect(
        &["-t", &p, "-u", "-S", "4294967297", "id", "-u"],
        "",
        "nsenter: failed to parse uid: '4294967297': Numerical result out of range\n",
        1,
    );
    expect(
        &["-t", &p, "-u", "-G", "-1", "id", "-u"],
        "",
        "nsenter: failed to parse gid: '-1': Numerical result out of range\n",
        1,
    );
    // Through the pidfd, one setns call: master's message names no file.
    expect(
        &["-t", &p, "-U", "true"],
        "",
        "nsenter: reassociate to namespaces failed: Invalid argument\n",
        1,
    );
    // A leading '=' is stripped from namespace files, -w and -W (not -r).
    let eq = format!("-u=/proc/{p}/ns/uts");
    expect(&[&eq, "hostname"], "nsipc-target\n", "", 0);
    expect(&["-t", &p, "-u", "-w=/tmp", "pwd"], "/tmp\n", "", 0);
    expect(&["-t", &p, "-u", "-W=/tmp", "pwd"], "/tmp\n", "", 0);
    // -W takes its value only attached in master: "/tmp" is the program.
    expect(
        &["-t", &p, "-u", "-W", "/tmp"],
        "",
        "nsenter: failed to execute /tmp: Permission denied\n",
        126,
    );
    // -Z is accepted; without SELinux it does nothing.
    let o = compare(&["-t", &p, "-Z", "-u", "hostname"]);
    assert_eq!(ok_out(&o), "nsipc-target\n");
}

#[test]
fn join_cgroup_needs_cgroup_v2() {
    require_namespaces!();
    let t = uts_ipc_target();
    let p = t.p();
    let v2 = Command::new("stat")
        .args(["-f", "-c", "%T", "/sys/fs/cgroup"])
        .output()
        .map(|o| stdout(&o).trim() == "cgroup2fs")
        .unwrap_or(false);
    if v2 {
        // The child runs in the target's cgroup, and no fd leaks (see
        // fd_leak test for the general rule).
        let want = std::fs::read_to_string(format!("/proc/{p}/cgroup")).unwrap();
        let o = ours(&["-t", &p, "-u", "-c", "cat", "/proc/self/cgroup"]);
        assert_eq!(ok_out(&o), want);
    } else {
        expect(
            &["-t", &p, "-u", "-c", "true"],
            "",
            "nsenter: --join-cgroup is only supported in cgroup v2\n",
            1,
        );
        expect(
            &["-t", &p, "-u", "--join-cgroup", "true"],
            "",
            "nsenter: --join-cgroup is only supported in cgroup v2\n",
            1,
        );
    }
}

/// `--join-cgroup` for real, on any host: in a private mount namespace a
/// cgroup2 hierarchy is mounted on /sys/fs/cgroup (already there on a pure
/// v2 host), the target is moved into a fresh child cgroup, and the program
/// nsenter runs must find itself there, with no `cgroup.procs` fd open.
/// The child cgroup is removed before the script ends.
#[test]
fn join_cgroup_moves_into_the_targets_cgroup() {
    require_namespaces!();
    let script = r#"
        set -e
        [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] || mount -t cgroup2 none /sys/fs/cgroup
        d=/sys/fs/cgroup/nsipc-test-$$
        mkdir "$d"
        sleep 60 & t=$!
        echo "$t" > "$d/cgroup.procs"
        set +e
        "$NSIPC" nsenter -t "$t" -u -c sh -c 'grep "^0::" /proc/self/cgroup; ls -l /proc/self/fd/ | grep -c cgroup.procs'
        echo "rc=$?"
        "$NSIPC" nsenter -t "$t" -u --join-cgroup true
        echo "rc=$?"
        kill "$t"; wait "$t" 2>/dev/null
        for i in $(seq 100); do rmdir "$d" 2>/dev/null && break; sleep 0.05; done
        [ ! -e "$d" ] && echo removed
    "#;
    let o = Command::new("/usr/bin/unshare")
        .args(["--mount", "--propagation", "private", "sh", "-c", script])
        .env("NSIPC", nsipc_bin())
        .output()
        .unwrap();
    let out = stdout(&o);
    let dir = out
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("0::/"))
        .unwrap_or_else(|| panic!("no cgroup line: {out}{}", stderr(&o)));
    assert!(dir.starts_with("nsipc-test-"), "{out}");
    // grep -c prints 0 (and fails): no fd on cgroup.procs reached the program.
    assert_eq!(
        out.lines().skip(1).collect::<Vec<_>>(),
        ["0", "rc=1", "rc=0", "removed"],
        "{out}{}",
        stderr(&o)
    );
}

#[test]
fn net_namespace_of_a_socket_is_entered() {
    require_namespaces!();
    let mut cmd = Command::new("sh");
    cmd.args(["-c", "echo ready; exec sleep 60"]);
    // SAFETY: raw syscalls in the forked child before exec.
    unsafe {
        cmd.pre_exec(|| {
            check(libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL))?;
            check(libc::unshare(libc::CLONE_NEWNET))?;
            let s = libc::socket(libc::AF_INET, libc::SOCK_DGRAM, 0);
            check(s)?;
            check(libc::dup2(s, 9))?;
            Ok(())
        });
    }
    let t = Target::command_sleeping(cmd);
    let p = t.p();
    let o = ours(&["-t", &p, "-N", "9", "readlink", "/proc/self/ns/net"]);
    assert_eq!(ok_out(&o), format!("{}\n", t.ns("net")));
    assert_ne!(t.ns("net"), ns_link("/proc/self/ns/net"));
    let o = ours(&["-t", &p, "--net-socket=9", "-u", "true"]);
    assert_eq!(stderr(&o), "");
    // Not a socket: the target's stdin is a pipe.
    expect(
        &["-t", &p, "-N", "0", "true"],
        "",
        "nsenter: ioctl(4, SIOCGSKNS): Inappropriate ioctl for device\n",
        1,
    );
    expect(
        &["-t", &p, "-N", "99", "true"],
        "",
        "nsenter: pidfd_getfd(3, 99): Bad file descriptor\n",
        1,
    );
    expect(
        &["-N", "9", "true"],
        "",
        "nsenter: no target PID specified\n",
        1,
    );
    expect(
        &["-t", &p, "-N", "x", "true"],
        "",
        "nsenter: failed to parse file descriptor: 'x'\n",
        1,
    );
}

#[test]
fn help_and_version() {
    let o = ours(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    let help = stdout(&o);
    assert!(help.starts_with("\nUsage:\n nsenter [options] [<program> [<argument>...]]\n"));
    for long in [
        "--all",
        "--target",
        "--mount",
        "--uts",
        "--ipc",
        "--net",
        "--net-socket",
        "--pid",
        "--cgroup",
        "--user",
        "--user-parent",
        "--time",
        "--setuid",
        "--setgid",
        "--preserve-credentials",
        "--keep-caps",
        "--root",
        "--wd",
        "--wdns",
        "--env",
        "--no-fork",
        "--join-cgroup",
        "--follow-context",
        "--help",
        "--version",
    ] {
        assert!(help.contains(long), "{long} missing from --help");
    }
    let o = ours(&["-V"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("nsenter from util-linux"));
    // -h stops parsing: later errors are not reached.
    let o = ours(&["-h", "--bogus"]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn without_a_program_the_login_shell_runs() {
    require_namespaces!();
    let t = uts_ipc_target();
    let p = t.p();
    let run_shell = |bin: &Path| {
        let mut cmd = Command::new(bin);
        cmd.arg0("nsenter")
            .args(["-t", &p, "-u"])
            .current_dir("/")
            .env("LC_ALL", "C")
            .env("SHELL", "/bin/sh")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b"hostname; echo \"$0\"; exit 3\n")
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let o = run_shell(&nsipc_bin());
    assert_eq!(stdout(&o), "nsipc-target\n-sh\n");
    assert_eq!(o.status.code(), Some(3));
    if let Some(bin) = util_linux() {
        assert_same("nsenter", &["-t", &p, "-u"], &run_shell(&bin), &o);
    }
}
