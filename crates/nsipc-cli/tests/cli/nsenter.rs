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
use std::os::fd::AsRawFd;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Output, Stdio};

use common::{assert_same, nsipc_bin, stderr, stdout, util_linux_bin};

/// A process in namespaces of its own, killed on drop.
struct Target {
    child: Child,
    /// The process whose namespaces are entered (the child of `unshare
    /// --fork`, or `child` itself).
    pid: u32,
    /// Lines the target printed before "ready".
    said: Vec<String>,
    _out: BufReader<ChildStdout>,
}

impl Target {
    /// Runs `script` under `/usr/bin/unshare ARGS`; the script prints
    /// "ready" then execs `sleep`. With `--fork` the target is unshare's
    /// child.
    fn unshare(args: &[&str], script: &str) -> Target {
        let mut cmd = Command::new("/usr/bin/unshare");
        cmd.args(args).args(["sh", "-c", script]);
        let fork = args.contains(&"--fork");
        Target::start(cmd, fork).wait_for_sleep()
    }

    /// Runs `script` in a child that made its namespaces itself (pre_exec).
    fn command(cmd: Command) -> Target {
        Target::start(cmd, false)
    }

    /// [`Target::command`] for scripts that exec sleep right after "ready".
    fn command_sleeping(cmd: Command) -> Target {
        Target::start(cmd, false).wait_for_sleep()
    }

    fn start(mut cmd: Command, fork: bool) -> Target {
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
    /// /proc/PID shows sleep's state.
    fn wait_for_sleep(self) -> Target {
        for _ in 0..5000 {
            let cmdline = std::fs::read(format!("/proc/{}/cmdline", self.pid)).unwrap_or_default();
            if cmdline.starts_with(b"sleep\0") || cmdline.starts_with(b"/bin/sleep\0") {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        self
    }

    fn p(&self) -> String {
        self.pid.to_string()
    }

    /// `readlink /proc/PID/ns/<name>` seen from outside.
    fn ns(&self, name: &str) -> String {
        ns_link(&format!("/proc/{}/ns/{name}", self.pid))
    }

    /// Tells a target waiting on stdin to go on.
    fn go(&mut self) {
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

fn ns_link(path: &str) -> String {
    std::fs::read_link(path)
        .unwrap_or_else(|e| panic!("readlink {path}: {e}"))
        .to_string_lossy()
        .into_owned()
}

/// The usual target: new UTS (hostname `nsipc-target`) and IPC namespaces
/// with one message queue.
fn uts_ipc_target() -> Target {
    Target::unshare(
        &["--uts", "--ipc"],
        "hostname nsipc-target && ipcmk -Q >/dev/null && echo ready && exec sleep 60",
    )
}

/// A target in new mount, UTS, IPC, net, cgroup, time and PID namespaces.
fn all_ns_target() -> Target {
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

fn check(rc: libc::c_int) -> std::io::Result<()> {
    if rc == -1 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// A target in a new user namespace (mapping inner 0-65535 to outer
/// 100000-165535, written from outside) with its own UTS namespace.
fn user_target() -> Target {
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
fn run(bin: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(bin);
    cmd.arg0("nsenter")
        .args(args)
        .current_dir("/")
        .env("LC_ALL", "C")
        .stdin(Stdio::null());
    cmd.output().expect("run nsenter")
}

fn ours(args: &[&str]) -> Output {
    run(&nsipc_bin(), args)
}

fn util_linux() -> Option<PathBuf> {
    util_linux_bin("nsenter")
}

/// Runs both nsenters; requires identical stdout, stderr and exit status.
fn compare(args: &[&str]) -> Output {
    common::compare_with("nsenter", args, ours(args), |bin| run(bin, args))
}

/// Asserts our whole output.
fn expect(args: &[&str], out: &str, err: &str, code: i32) {
    let o = ours(args);
    assert_eq!(
        (stdout(&o).as_str(), stderr(&o).as_str(), o.status.code()),
        (out, err, Some(code)),
        "nsenter {args:?}"
    );
}

fn ok_out(o: &Output) -> String {
    assert!(o.status.success(), "failed: {}{}", stdout(o), stderr(o));
    stdout(o)
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
fn master_messages() {
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
fn credentials_in_a_user_namespace() {
    require_namespaces!();
    let t = user_target();
    let p = t.p();
    // Entering a user namespace makes us root in it, groups dropped.
    let o = compare(&["-t", &p, "-U", "id"]);
    assert_eq!(ok_out(&o), "uid=0(root) gid=0(root) groups=0(root)\n");
    let o = compare(&[
        "-t",
        &p,
        "-U",
        "-S",
        "1001",
        "-G",
        "2003",
        "sh",
        "-c",
        "id -u; id -g; id -G",
    ]);
    assert_eq!(ok_out(&o), "1001\n2003\n2003\n");
    // --preserve-credentials: host root is not mapped inside.
    let o = compare(&["-t", &p, "-U", "--preserve-credentials", "id", "-u"]);
    assert_eq!(ok_out(&o), "65534\n");
    let o = compare(&[
        "-t",
        &p,
        "-U",
        "-u",
        "readlink",
        "/proc/self/ns/user",
        "/proc/self/ns/uts",
    ]);
    assert_eq!(ok_out(&o), format!("{}\n{}\n", t.ns("user"), t.ns("uts")));
    // -a enters the user namespace too.
    let o = compare(&["-t", &p, "-a", "readlink", "/proc/self/ns/user"]);
    assert_eq!(ok_out(&o), format!("{}\n", t.ns("user")));
    // --keep-caps: the namespace's capabilities become ambient (master).
    let last: u32 = std::fs::read_to_string("/proc/sys/kernel/cap_last_cap")
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let all = format!("{:016x}", (1u64 << (last + 1)) - 1);
    let o = ours(&[
        "-t",
        &p,
        "-U",
        "--keep-caps",
        "grep",
        "CapAmb",
        "/proc/self/status",
    ]);
    assert_eq!(ok_out(&o), format!("CapAmb:\t{all}\n"));
    let o = ours(&["-t", &p, "-U", "grep", "CapAmb", "/proc/self/status"]);
    assert_eq!(ok_out(&o), "CapAmb:\t0000000000000000\n");
    // --keep-caps without a user namespace does nothing.
    let o = ours(&[
        "-t",
        &p,
        "-u",
        "--keep-caps",
        "grep",
        "CapAmb",
        "/proc/self/status",
    ]);
    assert_eq!(ok_out(&o), "CapAmb:\t0000000000000000\n");
}

#[test]
fn setuid_setgid_without_user_namespace() {
    require_namespaces!();
    let t = uts_ipc_target();
    let p = t.p();
    for args in [
        vec![
            "-t",
            &p,
            "-u",
            "-S",
            "1001",
            "-G",
            "2003",
            "sh",
            "-c",
            "id -u; id -g; id -G",
        ],
        vec!["-t", &p, "-u", "-S", "1001", "sh", "-c", "id -u; id -g"],
        vec![
            "-t",
            &p,
            "-u",
            "-G",
            "2003",
            "sh",
            "-c",
            "id -u; id -g; id -G",
        ],
    ] {
        compare(&args);
    }
    let o = ours(&[
        "-t",
        &p,
        "-u",
        "-S",
        "1001",
        "-G",
        "2003",
        "sh",
        "-c",
        "id -u; id -g; id -G",
    ]);
    assert_eq!(ok_out(&o), "1001\n2003\n2003\n");
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

/// A user namespace inside a user namespace; the middle one's identity is
/// the first line the target said.
fn nested_user_target() -> Target {
    Target::unshare(
        &["--user", "--map-root-user"],
        "readlink /proc/self/ns/user && \
         exec /usr/bin/unshare --user --map-root-user --uts sh -c 'echo ready; exec sleep 60'",
    )
}

#[test]
fn user_parent() {
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

#[test]
fn net_socket() {
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
