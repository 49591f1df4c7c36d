//! Test harness shared by every integration test.
//!
//! [`Sandbox`] is a private set of namespaces held open by a sleeping process:
//! a new IPC namespace, a new mount namespace (with propagation private) in
//! which `/dev/shm` is a fresh tmpfs and `/dev/mqueue` a fresh mqueue mount,
//! a new UTS namespace, and a private `/etc/passwd` and `/etc/group` with the
//! test users below bind-mounted over the host's. Commands run inside it by
//! joining those namespaces between fork and exec, so the host's IPC objects,
//! mounts and hostname are never touched, and tests run in parallel without
//! seeing each other.
//!
//! Namespaces need root (CI runs as root). Without the privilege a test
//! skips with a message — except on CI (`CI=true`), where it fails.

#![allow(dead_code)]

use std::ffi::{CString, OsStr};
use std::fs::File;
use std::io::Write;
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// Test users: (name, uid, gid). The long name exercises util-linux's
/// 10-column owner truncation.
pub const USERS: &[(&str, u32, u32)] = &[
    ("alice", 1001, 1001),
    ("averyverylongusername", 1002, 1002),
    ("bob", 1003, 2003),
];
/// A user and a group whose names are not UTF-8 (`b\xffd`): uid and gid.
pub const NON_UTF8_ID: u32 = 1004;
/// Test groups: (name, gid).
pub const GROUPS: &[(&str, u32)] = &[
    ("alice", 1001),
    ("averyverylonggroupname", 1002),
    ("staffers", 2003),
];

/// Path of the built multi-call binary. Also pins the umask (see
/// [`fixed_umask`]): every test that runs the binary asks for its path.
pub fn nsipc_bin() -> PathBuf {
    fixed_umask();
    PathBuf::from(env!("CARGO_BIN_EXE_nsipc"))
}

/// Sets the test process's umask to 022 once. The expected outputs hold the
/// modes of files and IPC objects the tests create (`rw-r-----` for a
/// `-p 0640` object), and the private /etc/passwd must be readable by the
/// test users: a caller's umask of 077 would change both.
pub fn fixed_umask() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    // SAFETY: umask only changes this process's file mode mask.
    ONCE.call_once(|| unsafe {
        libc::umask(0o022);
    });
}

/// util-linux's binary for `tool`, if installed. On CI it must be: a
/// comparison that cannot run fails there instead of being skipped.
pub fn util_linux_bin(tool: &str) -> Option<PathBuf> {
    let path = PathBuf::from("/usr/bin").join(tool);
    let found = path.exists();
    assert!(
        found || !on_ci(),
        "util-linux {tool} must be installed on CI"
    );
    found.then_some(path)
}

pub fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Whether namespace tests can run here; on CI a missing privilege fails the
/// test instead.
pub fn can_use_namespaces() -> bool {
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    if !root {
        assert!(!on_ci(), "namespace tests must run as root on CI");
        eprintln!("skipping: namespace tests need root");
    }
    root
}

/// Returns early from a test when namespaces are unavailable (never on CI).
#[macro_export]
macro_rules! require_namespaces {
    () => {
        if !$crate::common::can_use_namespaces() {
            return;
        }
    };
}

/// Waits until process `pid` runs `sleep` and has blocked in it.
///
/// `exe`, `comm` and even `cmdline` name the new program before execve has
/// finished: for a while `/proc/PID/environ` still reads empty, so a test that
/// takes the target's environment must wait for the sleep itself (state `S`,
/// which exec never shows). Panics after 20 s.
pub fn wait_for_sleep(pid: u32) {
    let end = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let sleeping = || {
        let argv0_is_sleep = std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|c| {
            let argv0 = c.split(|&b| b == 0).next().unwrap_or_default();
            argv0 == b"sleep" || argv0.ends_with(b"/sleep")
        });
        let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok();
        let blocked = state
            .as_deref()
            .and_then(|s| s.rsplit(") ").next())
            .is_some_and(|rest| rest.starts_with('S'));
        argv0_is_sleep && blocked
    };
    while !sleeping() {
        assert!(
            std::time::Instant::now() < end,
            "process {pid} did not start sleeping within 20 s"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

/// The variable that turns the long tests on (the soak: about 15 s of a
/// minute-long suite). `scripts/test.sh`, which CI runs, sets it to 1.
pub const LONG_TESTS: &str = "NSIPC_LONG_TESTS";

/// Whether the long tests run: only with `NSIPC_LONG_TESTS=1`. Without it
/// the test named `test` is reported as not run on stderr (written past
/// libtest's capture, so it shows) and passes — except on CI, where it fails:
/// CI must run every test.
pub fn long_tests(test: &str) -> bool {
    if std::env::var_os(LONG_TESTS).is_some_and(|v| v == "1") {
        return true;
    }
    assert!(
        !on_ci(),
        "{test} is a long test and CI must run it: set {LONG_TESTS}=1 (scripts/test.sh does)"
    );
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr(),
        "NOT RUN: {test} is a long test; {LONG_TESTS}=1 runs it"
    );
    false
}

/// Returns early from the long test `$test` unless `NSIPC_LONG_TESTS=1`
/// (never on CI): see [`long_tests`].
#[macro_export]
macro_rules! require_long_tests {
    ($test:ident) => {
        if !$crate::common::long_tests(concat!(module_path!(), "::", stringify!($test))) {
            return;
        }
    };
}

/// Which namespaces a command joins and with which credentials.
#[derive(Clone, Copy, Debug, Default)]
pub struct As {
    pub uid: Option<u32>,
    pub gid: Option<u32>,
}

/// A private IPC + mount + UTS namespace set, held by a sleeping process.
pub struct Sandbox {
    holder: Child,
    ipc: File,
    mnt: File,
    uts: File,
    _etc: tempfile::TempDir,
}

fn cstr(s: &str) -> CString {
    CString::new(s).expect("no NUL in test paths")
}

fn check(rc: libc::c_int) -> std::io::Result<()> {
    if rc == -1 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(())
    }
}

impl Sandbox {
    /// Creates the namespaces. Panics when they cannot be made.
    pub fn new() -> Sandbox {
        fixed_umask();
        let etc = tempfile::tempdir().expect("tempdir");
        let passwd = etc.path().join("passwd");
        let group = etc.path().join("group");
        write_account_files(&passwd, &group);

        let shm = cstr("/dev/shm");
        let mqueue = cstr("/dev/mqueue");
        let etc_passwd = cstr("/etc/passwd");
        let etc_group = cstr("/etc/group");
        let passwd_src = cstr(passwd.to_str().unwrap());
        let group_src = cstr(group.to_str().unwrap());
        let tmpfs = cstr("tmpfs");
        let mqueue_fs = cstr("mqueue");
        let root = cstr("/");
        let none = cstr("none");
        let hostname = cstr("nsipc-test");
        // /dev/mqueue is the standard mount point; create it if this host
        // lacks it (a directory only, nothing is mounted on the host).
        let _ = std::fs::create_dir("/dev/mqueue");

        let mut cmd = Command::new("sleep");
        cmd.arg("infinity").stdin(Stdio::null());
        // SAFETY: the closure runs in the forked child before exec and only
        // makes raw syscalls on data prepared above.
        unsafe {
            cmd.pre_exec(move || {
                check(libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL))?;
                check(libc::unshare(
                    libc::CLONE_NEWIPC | libc::CLONE_NEWNS | libc::CLONE_NEWUTS,
                ))?;
                check(libc::mount(
                    none.as_ptr(),
                    root.as_ptr(),
                    std::ptr::null(),
                    libc::MS_REC | libc::MS_PRIVATE,
                    std::ptr::null(),
                ))?;
                check(libc::mount(
                    tmpfs.as_ptr(),
                    shm.as_ptr(),
                    tmpfs.as_ptr(),
                    libc::MS_NOSUID | libc::MS_NODEV,
                    c"mode=1777".as_ptr().cast(),
                ))?;
                check(libc::mount(
                    mqueue_fs.as_ptr(),
                    mqueue.as_ptr(),
                    mqueue_fs.as_ptr(),
                    libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
                    std::ptr::null(),
                ))?;
                for (src, dst) in [(&passwd_src, &etc_passwd), (&group_src, &etc_group)] {
                    check(libc::mount(
                        src.as_ptr(),
                        dst.as_ptr(),
                        std::ptr::null(),
                        libc::MS_BIND,
                        std::ptr::null(),
                    ))?;
                }
                check(libc::sethostname(hostname.as_ptr(), 10))?;
                Ok(())
            });
        }
        let holder = cmd.spawn().expect("cannot create the test namespaces");
        let ns = |kind: &str| {
            let path = format!("/proc/{}/ns/{kind}", holder.id());
            // The holder may still be between fork and exec: wait until its
            // namespaces differ from ours.
            for _ in 0..500 {
                let mine = std::fs::read_link(format!("/proc/self/ns/{kind}")).ok();
                let theirs = std::fs::read_link(&path).ok();
                if theirs.is_some() && theirs != mine {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
            File::open(&path).unwrap_or_else(|e| panic!("open {path}: {e}"))
        };
        let (ipc, mnt, uts) = (ns("ipc"), ns("mnt"), ns("uts"));
        let sandbox = Sandbox {
            holder,
            ipc,
            mnt,
            uts,
            _etc: etc,
        };
        // Make sure the mounts are in place (they are made before exec of
        // sleep, but the namespace switch above may be seen first).
        for _ in 0..500 {
            let out = sandbox.sh("test -f /etc/passwd && grep -q averyverylong /etc/passwd && mountpoint -q /dev/mqueue");
            if out.status.success() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        sandbox
    }

    /// PID of the process holding the namespaces.
    pub fn pid(&self) -> u32 {
        self.holder.id()
    }

    /// A command that runs inside the sandbox, as root.
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        self.command_as(program, As::default())
    }

    /// A command that runs inside the sandbox with the given credentials.
    pub fn command_as(&self, program: impl AsRef<OsStr>, creds: As) -> Command {
        let mut cmd = Command::new(program);
        let fds = [
            self.ipc.as_raw_fd(),
            self.uts.as_raw_fd(),
            self.mnt.as_raw_fd(),
        ];
        cmd.env("LC_ALL", "C").env("TZ", "UTC").stdin(Stdio::null());
        // SAFETY: raw syscalls only, in the child between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                default_signals()?;
                for fd in fds {
                    check(libc::setns(fd, 0))?;
                }
                check(libc::chdir(c"/".as_ptr()))?;
                if let Some(gid) = creds.gid {
                    check(libc::setgroups(0, std::ptr::null()))?;
                    check(libc::setgid(gid))?;
                }
                if let Some(uid) = creds.uid {
                    check(libc::setuid(uid))?;
                }
                Ok(())
            });
        }
        cmd
    }

    /// Runs nsipc's `tool` inside the sandbox.
    pub fn nsipc(&self, tool: &str, args: &[&str]) -> Output {
        self.nsipc_as(tool, args, As::default())
    }

    pub fn nsipc_as(&self, tool: &str, args: &[&str], creds: As) -> Output {
        let mut cmd = self.command_as(nsipc_bin(), creds);
        cmd.arg0(tool).args(args);
        cmd.output().expect("run nsipc")
    }

    /// Runs util-linux's `tool` inside the sandbox (called by its bare
    /// name, so its messages carry the same argv[0] as nsipc's).
    pub fn util_linux(&self, tool: &str, args: &[&str]) -> Output {
        self.util_linux_as(tool, args, As::default())
    }

    pub fn util_linux_as(&self, tool: &str, args: &[&str], creds: As) -> Output {
        let bin =
            util_linux_bin(tool).unwrap_or_else(|| panic!("util-linux {tool} is not installed"));
        let mut cmd = self.command_as(bin, creds);
        cmd.arg0(tool).args(args);
        cmd.output().expect("run util-linux")
    }

    /// Runs a shell script inside the sandbox; `$NSIPC` is the nsipc binary.
    pub fn sh(&self, script: &str) -> Output {
        self.command("sh")
            .arg("-c")
            .arg(script)
            .env("NSIPC", nsipc_bin())
            .output()
            .expect("run sh")
    }

    /// Runs a script and panics unless it succeeds; returns its stdout.
    pub fn sh_ok(&self, script: &str) -> String {
        let out = self.sh(script);
        assert!(
            out.status.success(),
            "script failed: {script}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs util-linux's and nsipc's `tool` with `args` on the same state
    /// and requires identical stdout, stderr and exit status. Returns
    /// nsipc's output. util-linux must be installed (it is on CI); where it
    /// is not, only nsipc runs and the comparison is skipped loudly.
    pub fn compare(&self, tool: &str, args: &[&str]) -> Output {
        self.compare_as(tool, args, As::default())
    }

    pub fn compare_as(&self, tool: &str, args: &[&str], creds: As) -> Output {
        compare_with(tool, args, self.nsipc_as(tool, args, creds), |_| {
            self.util_linux_as(tool, args, creds)
        })
    }
}

/// Runs util-linux's lsns (through `run`) again, up to ten times, while it
/// fails without a word: its scan gives up silently, exit 1, when a process
/// exits under it (the ESRCH bug nsipc fixes), and concurrent tests start
/// and stop processes all the time.
pub fn util_linux_lsns_again(mut run: impl FnMut() -> Output) -> Output {
    let mut theirs = run();
    for _ in 0..10 {
        let silent =
            theirs.status.code() == Some(1) && theirs.stderr.is_empty() && theirs.stdout.is_empty();
        if !silent {
            break;
        }
        theirs = run();
    }
    theirs
}

/// The differential comparison every test uses: `ours` (nsipc's output of
/// `tool args`) against `theirs` run with util-linux's binary, required
/// identical ([`assert_same`]). Where util-linux is not installed (never
/// on CI) only nsipc ran and the comparison is skipped loudly. Returns
/// nsipc's output. The ways of running (in a [`Sandbox`], with a deadline,
/// against a target process) are the callers'.
pub fn compare_with(
    tool: &str,
    args: &[&str],
    ours: Output,
    theirs: impl FnOnce(&Path) -> Output,
) -> Output {
    compare_normalised_with(tool, args, ours, theirs, str::to_owned)
}

/// [`compare_with`], both outputs passed through `normalise` first (see
/// [`assert_same_normalised`]).
pub fn compare_normalised_with(
    tool: &str,
    args: &[&str],
    ours: Output,
    theirs: impl FnOnce(&Path) -> Output,
    normalise: impl Fn(&str) -> String,
) -> Output {
    match util_linux_bin(tool) {
        Some(bin) => assert_same_normalised(tool, args, &theirs(&bin), &ours, normalise),
        None => {
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr(),
                "util-linux {tool} not installed: comparison skipped"
            );
        }
    }
    ours
}

/// Panics with a readable diff unless both outputs are identical: stdout,
/// stderr, exit status and terminating signal.
pub fn assert_same(tool: &str, args: &[&str], theirs: &Output, ours: &Output) {
    assert_same_normalised(tool, args, theirs, ours, str::to_owned)
}

/// [`assert_same`] on stdout and stderr passed through `normalise` (which
/// replaces what differs between any two runs, such as PIDs or namespace
/// inodes).
pub fn assert_same_normalised(
    tool: &str,
    args: &[&str],
    theirs: &Output,
    ours: &Output,
    normalise: impl Fn(&str) -> String,
) {
    use std::os::unix::process::ExitStatusExt;
    let show = |b: &[u8]| normalise(&String::from_utf8_lossy(b));
    assert_eq!(
        show(&theirs.stdout),
        show(&ours.stdout),
        "stdout differs: {tool} {args:?}\n--- util-linux stderr: {}\n--- nsipc stderr: {}",
        show(&theirs.stderr),
        show(&ours.stderr)
    );
    assert_eq!(
        show(&theirs.stderr),
        show(&ours.stderr),
        "stderr differs: {tool} {args:?}"
    );
    assert_eq!(
        (theirs.status.code(), theirs.status.signal()),
        (ours.status.code(), ours.status.signal()),
        "exit status or signal differs: {tool} {args:?}\n--- stderr: {}",
        show(&ours.stderr)
    );
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.holder.kill();
        let _ = self.holder.wait();
    }
}

fn write_account_files(passwd: &Path, group: &Path) {
    let mut p = File::create(passwd).unwrap();
    writeln!(p, "root:x:0:0:root:/root:/bin/sh").unwrap();
    writeln!(
        p,
        "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin"
    )
    .unwrap();
    for (name, uid, gid) in USERS {
        writeln!(p, "{name}:x:{uid}:{gid}::/nonexistent:/bin/sh").unwrap();
    }
    p.write_all(
        &[
            b"b\xffd:x:".as_slice(),
            format!("{NON_UTF8_ID}:{NON_UTF8_ID}::/nonexistent:/bin/sh\n").as_bytes(),
        ]
        .concat(),
    )
    .unwrap();
    let mut g = File::create(group).unwrap();
    writeln!(g, "root:x:0:").unwrap();
    writeln!(g, "nogroup:x:65534:").unwrap();
    for (name, gid) in GROUPS {
        writeln!(g, "{name}:x:{gid}:").unwrap();
    }
    g.write_all(
        &[
            b"g\xffx:x:".as_slice(),
            format!("{NON_UTF8_ID}:\n").as_bytes(),
        ]
        .concat(),
    )
    .unwrap();
}

/// stdout as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// stderr as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every signal back to its default action and unblocked, in a child
/// between fork and exec. A test run started in the background by a
/// non-interactive shell inherits SIGINT and SIGQUIT ignored, and an
/// ignored signal stays ignored across exec: the signal tests would then
/// see the tools (rightly) survive SIGINT.
pub fn default_signals() -> std::io::Result<()> {
    // SAFETY: sigaction and sigprocmask are async-signal-safe; the sets are
    // local.
    unsafe {
        for sig in 1..libc::SIGRTMIN() {
            if sig != libc::SIGKILL && sig != libc::SIGSTOP {
                libc::signal(sig, libc::SIG_DFL);
            }
        }
        let mut none: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut none);
        check(libc::sigprocmask(
            libc::SIG_SETMASK,
            &none,
            std::ptr::null_mut(),
        ))
    }
}
