//! Fault injection: the files the tools read replaced by broken ones, kernel
//! limits reached, permissions missing, target processes vanishing or their
//! PIDs reused. Every case must end with the correct result or a clear
//! error — never a hang: each run has a deadline, and missing it fails the
//! test (the process is killed) instead of blocking CI.
//!
//! The broken files are bind-mounted over `/proc/sysvipc/*` and
//! `/proc/sys/kernel/*` inside the test's sandbox (a private mount
//! namespace); the limits are set in the sandbox's own IPC namespace, where
//! they are per-namespace. The host sees none of it.

use crate::common;

use std::io::Read;
use std::os::fd::AsFd;
use std::os::unix::process::CommandExt;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{nsipc_bin, stderr, stdout, As, Sandbox};

const ALICE: As = As {
    uid: Some(1001),
    gid: Some(1001),
};

/// Runs `cmd` and returns its output, killing it and failing the test if
/// it runs past `secs` seconds.
fn run_within(mut cmd: Command, secs: u64, what: &str) -> Output {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut o = Vec::new();
        let _ = out.read_to_end(&mut o);
        o
    });
    let err_reader = std::thread::spawn(move || {
        let mut e = Vec::new();
        let _ = err.read_to_end(&mut e);
        e
    });
    let deadline = Instant::now() + Duration::from_secs(secs);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: hung (killed after {secs}s)");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Output {
        status,
        stdout: reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
    }
}

/// nsipc's `tool` in the sandbox, with a deadline.
fn ours(sb: &Sandbox, tool: &str, args: &[&str], creds: As) -> Output {
    let mut cmd = sb.command_as(nsipc_bin(), creds);
    cmd.arg0(tool).args(args);
    run_within(cmd, 30, &format!("{tool} {args:?}"))
}

/// util-linux's `tool` in the sandbox, with a deadline.
fn theirs(sb: &Sandbox, tool: &str, args: &[&str], creds: As) -> Option<Output> {
    let bin = common::util_linux_bin(tool)?;
    let mut cmd = sb.command_as(bin, creds);
    cmd.arg0(tool).args(args);
    Some(run_within(cmd, 30, &format!("util-linux {tool} {args:?}")))
}

/// Both, same stdout, stderr and status (util-linux must not hang either).
fn compare(sb: &Sandbox, tool: &str, args: &[&str], creds: As) -> Output {
    common::compare_with(tool, args, ours(sb, tool, args, creds), |_| {
        theirs(sb, tool, args, creds).expect("util-linux is installed")
    })
}

/// Replaces `target` (a /proc file) in the sandbox by a file holding
/// `content` with `mode`.
fn mount_file(sb: &Sandbox, dir: &tempfile::TempDir, target: &str, content: &[u8], mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let name = target.trim_start_matches('/').replace('/', "_");
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    sb.sh_ok(&format!("mount --bind '{}' {target}", path.display()));
}

const MSG_HEADER: &str = "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime\n";
const SHM_HEADER: &str = "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n";
const SEM_HEADER: &str =
    "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n";

/// A sandbox with one object of each System V kind (keys 0x1111..0x3333).
fn sandbox_with_objects() -> Sandbox {
    let sb = Sandbox::new();
    sb.sh_ok(
        "/usr/bin/ipcmk -Q >/dev/null && /usr/bin/ipcmk -M 4096 >/dev/null && \
         /usr/bin/ipcmk -S 2 >/dev/null",
    );
    sb
}

#[test]
fn empty_and_truncated_sysvipc_files() {
    require_namespaces!();
    let sb = sandbox_with_objects();
    let dir = tempfile::tempdir().unwrap();
    // Empty: nothing listed, exit 0.
    mount_file(&sb, &dir, "/proc/sysvipc/msg", b"", 0o444);
    // Truncated: the header and half a row.
    let half = format!("{SHM_HEADER}         0          0   644     40");
    mount_file(&sb, &dir, "/proc/sysvipc/shm", half.as_bytes(), 0o444);
    // Header only.
    mount_file(&sb, &dir, "/proc/sysvipc/sem", SEM_HEADER.as_bytes(), 0o444);
    // What util-linux prints when there are no objects at all (it cannot
    // be run on the broken files: 2.38.1's ipcs spins forever on an empty
    // /proc/sysvipc/msg).
    let empty = Sandbox::new();
    for args in [
        &["-q"][..],
        &["-m"],
        &["-s"],
        &["-a"],
        &["-q", "-c"],
        &["-m", "-t"],
    ] {
        let o = ours(&sb, "ipcs", args, As::default());
        if let Some(t) = theirs(&empty, "ipcs", args, As::default()) {
            common::assert_same("ipcs", args, &t, &o);
        }
        assert_eq!(o.status.code(), Some(0));
    }
    // lsipc and ipcrm go on working from what is readable.
    let o = ours(&sb, "lsipc", &["-q", "--noheadings"], As::default());
    assert_eq!((stdout(&o).as_str(), o.status.code()), ("", Some(0)));
    let o = ours(&sb, "lsipc", &["-m", "--noheadings"], As::default());
    assert_eq!((stdout(&o).as_str(), o.status.code()), ("", Some(0)));
}

#[test]
fn malformed_sysvipc_rows_are_skipped() {
    require_namespaces!();
    let sb = Sandbox::new();
    let dir = tempfile::tempdir().unwrap();
    // Garbage, overflowing numbers, a bad octal mode, binary bytes, a row
    // with too few fields — around one good row, which must be listed.
    // (util-linux's fscanf loop spins forever on such input, so there is no
    // comparison here.)
    let text = format!(
        "{MSG_HEADER}garbage line\n\
         99999999999999999999 1 644 0 0 0 0 0 0 0 0 0 0 0\n\
         5 2 999 0 0 0 0 0 0 0 0 0 0 0\n\
         \u{1}\u{2}\u{3} \u{7f}\n\
         7 3 644 0\n\
         \x20     4660          7   640          10          1     0     0     0     0     0     0          0          0 1700000000\n\
         -1 -1 -1\n"
    );
    mount_file(&sb, &dir, "/proc/sysvipc/msg", text.as_bytes(), 0o444);
    let o = ours(&sb, "ipcs", &["-q"], As::default());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("0x")).collect();
    assert_eq!(rows.len(), 1, "{text}");
    assert!(rows[0].starts_with("0x00001234 7          root       640        10           1"));
    let o = ours(
        &sb,
        "lsipc",
        &["-q", "-o", "KEY,ID", "--noheadings", "--raw"],
        As::default(),
    );
    assert_eq!(
        (stdout(&o).as_str(), o.status.code()),
        ("0x00001234 7\n", Some(0))
    );
}

#[test]
fn enormous_sysvipc_file() {
    require_namespaces!();
    let sb = Sandbox::new();
    let dir = tempfile::tempdir().unwrap();
    // 100,000 segments (the kernel allows at most 32768 per namespace):
    // listed completely, in time.
    let mut text = String::from(SHM_HEADER);
    for id in 0..100_000 {
        text.push_str(&format!(
            "{:>10} {id:>10}   600                  4096     1     1      0     0     0     0     0          0          0 1700000000                     0                     0\n",
            id + 1
        ));
    }
    mount_file(&sb, &dir, "/proc/sysvipc/shm", text.as_bytes(), 0o444);
    let o = ours(&sb, "ipcs", &["-m"], As::default());
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o).lines().filter(|l| l.starts_with("0x")).count(),
        100_000
    );
    let o = ours(
        &sb,
        "lsipc",
        &["-m", "--noheadings", "-o", "ID"],
        As::default(),
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o).lines().count(), 100_000);
    // A single line of 64 MiB without a newline: no row, no hang.
    let long = vec![b'7'; 64 << 20];
    mount_file(&sb, &dir, "/proc/sysvipc/msg", &long, 0o444);
    let o = ours(&sb, "ipcs", &["-q"], As::default());
    assert_eq!(o.status.code(), Some(0));
    assert!(!stdout(&o).contains("0x"));
}

#[test]
fn unreadable_sysvipc_files() {
    require_namespaces!();
    let sb = sandbox_with_objects();
    let dir = tempfile::tempdir().unwrap();
    // Unreadable for alice (root reads anything): a mode 000 file.
    for kind in ["msg", "shm", "sem"] {
        mount_file(&sb, &dir, &format!("/proc/sysvipc/{kind}"), b"", 0o000);
    }
    for args in [&["-q"][..], &["-m"], &["-s"], &["-a"]] {
        let o = compare(&sb, "ipcs", args, ALICE);
        assert_eq!(o.status.code(), Some(0));
    }
    let o = ours(&sb, "lsipc", &["--noheadings", "-o", "ID"], ALICE);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// No /dev/mqueue and no /dev/shm (an empty tmpfs over /dev, inside the
/// sandbox's own mount namespace): the warnings util-linux master prints
/// (checked against a master build; 2.38.1 has no POSIX support in these
/// tools), exit codes unchanged, System V still listed.
#[test]
fn posix_directories_missing() {
    require_namespaces!();
    let sb = sandbox_with_objects();
    sb.sh_ok("mount -t tmpfs tmpfs /dev");
    let hint = "/dev/mqueue does not seem to be mounted. Use 'mount -t mqueue none /dev/mqueue' to mount it.";
    let cases: [(&str, &[&str], String, i32); 7] = [
        ("lsipc", &["-Q"], format!("lsipc: {hint}\n"), 0),
        ("lsipc", &["-Q", "-N", "/x"], format!("lsipc: {hint}\n"), 0),
        ("lsipc", &["-M"], "lsipc: cannot open /dev/shm\n".into(), 0),
        ("lsipc", &["-S"], "lsipc: cannot open /dev/shm\n".into(), 0),
        ("ipcrm", &["--all=pmsg"], format!("ipcrm: {hint}\n"), 0),
        (
            "ipcrm",
            &["--posix-mqueue", "/x"],
            "ipcrm: name `/x' not found\n".into(),
            1,
        ),
        (
            "ipcrm",
            &["--all=pshm"],
            "ipcrm: cannot open /dev/shm\n".into(),
            0,
        ),
    ];
    for (tool, args, err, code) in cases {
        let o = ours(&sb, tool, args, As::default());
        assert_eq!(
            (stdout(&o).as_str(), stderr(&o).as_str(), o.status.code()),
            ("", err.as_str(), Some(code)),
            "{tool} {args:?}"
        );
    }
    // The limits view still shows System V, after the warning.
    let o = ours(&sb, "lsipc", &["-g", "-o", "RESOURCE"], As::default());
    assert_eq!(stderr(&o), format!("lsipc: {hint}\n"));
    assert!(stdout(&o).contains("MSGMNI"), "{}", stdout(&o));
    // ipcrm -a removes the System V objects and reports the POSIX kinds.
    let count = |sb: &Sandbox| {
        let out = ours(sb, "ipcs", &["-a"], As::default());
        stdout(&out).lines().filter(|l| l.starts_with("0x")).count()
    };
    assert_eq!(count(&sb), 3, "the queue, segment and set to remove");
    let o = ours(&sb, "ipcrm", &["-a"], As::default());
    assert_eq!(
        stderr(&o),
        format!("ipcrm: cannot open /dev/shm\nipcrm: cannot open /dev/shm\nipcrm: {hint}\n")
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(count(&sb), 0, "ipcrm -a left System V objects");
}

#[test]
fn missing_kernel_sysctls() {
    require_namespaces!();
    let sb = sandbox_with_objects();
    // An empty tmpfs over /proc/sys/kernel: msgmni, shmmax, sem, ... all
    // missing. The limits come from the IPC_INFO syscalls instead.
    sb.sh_ok("mount -t tmpfs none /proc/sys/kernel");
    for args in [
        &["-l"][..],
        &["-u"],
        &["-q", "-l"],
        &["-m", "-l"],
        &["-s", "-l"],
    ] {
        let o = compare(&sb, "ipcs", args, As::default());
        assert_eq!(o.status.code(), Some(0));
    }
    let o = ours(
        &sb,
        "lsipc",
        &["-g", "--noheadings", "-o", "RESOURCE"],
        As::default(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("MSGMNI"), "{}", stdout(&o));
    // Creating and removing still work.
    let o = ours(&sb, "ipcmk", &["-Q"], As::default());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Garbage where a number should be: a clear result, no panic.
    let sb = sandbox_with_objects();
    let dir = tempfile::tempdir().unwrap();
    mount_file(&sb, &dir, "/proc/sys/kernel/sem", b"not numbers\n", 0o444);
    mount_file(
        &sb,
        &dir,
        "/proc/sys/kernel/msgmni",
        b"99999999999999999999999\n",
        0o444,
    );
    mount_file(&sb, &dir, "/proc/sys/kernel/shmmax", b"", 0o444);
    for tool in ["ipcs", "lsipc"] {
        let args: &[&str] = if tool == "ipcs" { &["-l"] } else { &["-g"] };
        let o = ours(&sb, tool, args, As::default());
        let err = stderr(&o);
        assert!(!err.contains("panicked"), "{tool}: {err}");
        assert!(
            err.is_empty() || err.starts_with(&format!("{tool}: ")),
            "{tool}: {err}"
        );
    }
}

#[test]
fn kernel_limits_reached() {
    require_namespaces!();
    let sb = Sandbox::new();
    // Per IPC namespace: one queue, one semaphore set, one segment at most.
    sb.sh_ok(
        "echo 1 > /proc/sys/kernel/msgmni && echo '250 32000 32 1' > /proc/sys/kernel/sem \
         && echo 1 > /proc/sys/kernel/shmmni && echo 8192 > /proc/sys/kernel/shmmax",
    );
    for args in [&["-Q"][..], &["-S", "1"], &["-M", "4096"]] {
        let o = ours(&sb, "ipcmk", args, As::default());
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    }
    let before = sb.sh_ok("cat /proc/sysvipc/*");
    compare(&sb, "ipcmk", &["-Q"], As::default());
    let o = compare(&sb, "ipcmk", &["-S", "1"], As::default());
    assert_eq!(
        stderr(&o),
        "ipcmk: create semaphore failed: No space left on device\n"
    );
    // Larger than shmmax: EINVAL before the count is checked.
    compare(&sb, "ipcmk", &["-M", "1M"], As::default());
    let o = compare(&sb, "ipcmk", &["-M", "4096"], As::default());
    assert_eq!(
        stderr(&o),
        "ipcmk: create share memory failed: No space left on device\n"
    );
    // Several objects, the last over the limit: nsipc keeps none of them.
    sb.sh_ok("echo 2 > /proc/sys/kernel/msgmni");
    let o = ours(&sb, "ipcmk", &["-Q", "-M", "4096"], As::default());
    assert_eq!(
        (stderr(&o).as_str(), o.status.code()),
        (
            "ipcmk: create share memory failed: No space left on device\n",
            Some(1)
        )
    );
    assert_eq!(sb.sh_ok("cat /proc/sysvipc/*"), before);
}

#[test]
fn permission_denied_as_unprivileged_user() {
    require_namespaces!();
    let sb = Sandbox::new();
    let ids = sb.sh_ok(
        "$NSIPC ipcmk -Q -p 600 | sed 's/.*: //'; $NSIPC ipcmk -M 4096 -p 600 | sed 's/.*: //'; \
         $NSIPC ipcmk -S 1 -p 600 | sed 's/.*: //'; $NSIPC ipcmk -m 64 -q -n /root-only -p 600 >/dev/null",
    );
    let ids: Vec<&str> = ids.lines().collect();
    let before = sb.sh_ok("cat /proc/sysvipc/*; ls -ln /dev/shm /dev/mqueue");
    // Removal: refused, reported, nothing removed.
    for (opt, id) in [("-q", ids[0]), ("-m", ids[1]), ("-s", ids[2])] {
        let o = compare(&sb, "ipcrm", &[opt, id], ALICE);
        assert_eq!(
            stderr(&o),
            format!("ipcrm: permission denied for id ({id})\n")
        );
    }
    let o = ours(&sb, "ipcrm", &["--posix-shmem", "/root-only"], ALICE);
    assert_eq!(
        (stderr(&o).as_str(), o.status.code()),
        ("ipcrm: permission denied for name `/root-only'\n", Some(1))
    );
    let o = ours(&sb, "ipcrm", &["-a"], ALICE);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // Details of an object alice may not read.
    compare(&sb, "ipcs", &["-q", "-i", ids[0]], ALICE);
    compare(&sb, "ipcs", &["-s", "-i", ids[2]], ALICE);
    assert_eq!(
        sb.sh_ok("cat /proc/sysvipc/*; ls -ln /dev/shm /dev/mqueue"),
        before
    );
    // Namespaces: alice may neither make nor enter them.
    let holder = sb.pid().to_string();
    compare(&sb, "unshare", &["-i", "true"], ALICE);
    // util-linux opens /proc/PID/ns/ipc (EACCES); nsipc, like master,
    // joins through a pidfd, which the kernel refuses with EPERM.
    let o = ours(&sb, "nsenter", &["-t", &holder, "-i", "true"], ALICE);
    assert_eq!(
        (stderr(&o).as_str(), o.status.code()),
        (
            "nsenter: reassociate to namespaces failed: Operation not permitted\n",
            Some(1)
        )
    );
    let o = ours(&sb, "nsenter", &["--ipc=/proc/1/ns/ipc", "true"], ALICE);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).starts_with("nsenter: "), "{}", stderr(&o));
}

/// Waits until `pid` is a zombie (exited, not reaped).
fn wait_zombie(pid: u32) {
    for _ in 0..1000 {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        if let Some(state) = stat.rsplit(") ").next() {
            if state.starts_with('Z') {
                return;
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("{pid} did not exit");
}

#[test]
fn target_gone_before_nsenter() {
    require_namespaces!();
    // A target that has exited but is not reaped: its PID still exists,
    // its namespaces do not.
    let mut zombie = Command::new("true").spawn().unwrap();
    wait_zombie(zombie.id());
    let pid = zombie.id().to_string();
    for args in [&["-t", &pid, "-u", "true"][..], &["-t", &pid, "-a", "true"]] {
        let mut cmd = Command::new(nsipc_bin());
        cmd.arg0("nsenter").args(args);
        let o = run_within(cmd, 30, "nsenter on a zombie");
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).starts_with("nsenter: "), "{}", stderr(&o));
        assert!(stdout(&o).is_empty());
    }
    zombie.wait().unwrap();
    // Reaped: no such process.
    let mut cmd = Command::new(nsipc_bin());
    cmd.arg0("nsenter").args(["-t", &pid, "-u", "true"]);
    let o = run_within(cmd, 30, "nsenter on a reaped process");
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).starts_with("nsenter: "), "{}", stderr(&o));
}

#[test]
fn target_exits_while_nsenter_runs() {
    require_namespaces!();
    // Targets that exit at random moments while nsenter joins them: each
    // run either joins (and prints the target's hostname) or fails with a
    // message; none hangs or joins anything else.
    for round in 0..30 {
        let mut target = Command::new("/usr/bin/unshare")
            .args(["-u", "sh", "-c", "hostname target; exec sleep 0.0$1", "sh"])
            .arg((round % 10).to_string())
            .spawn()
            .unwrap();
        let pid = target.id().to_string();
        let mut cmd = Command::new(nsipc_bin());
        cmd.arg0("nsenter").args(["-t", &pid, "-u", "hostname"]);
        let o = run_within(cmd, 30, "nsenter racing its target");
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
        match o.status.code() {
            Some(0) => assert!(
                stdout(&o) == "target\n" || stdout(&o) == host,
                "joined something else: {}",
                stdout(&o)
            ),
            Some(1) => assert!(stderr(&o).starts_with("nsenter: "), "{}", stderr(&o)),
            other => panic!("status {other:?}: {}", stderr(&o)),
        }
        target.wait().unwrap();
    }
}

/// The PID-reuse check runs in a child process of this test binary, in a
/// new PID namespace where `ns_last_pid` can steer which PID comes next:
/// the test re-runs itself there with this variable set.
const REUSE_HELPER: &str = "NSIPC_FAULT_PID_REUSE_HELPER";

#[test]
fn reused_pid_is_never_entered() {
    require_namespaces!();
    if std::env::var_os(REUSE_HELPER).is_some() {
        return pid_reuse_check();
    }
    let exe = std::env::current_exe().unwrap();
    let mut cmd = Command::new("/usr/bin/unshare");
    cmd.args(["--pid", "--fork", "--mount-proc"])
        .arg(exe)
        .args([
            "--exact",
            "fault_injection::reused_pid_is_never_entered",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(REUSE_HELPER, "1");
    let o = run_within(cmd, 60, "pid reuse helper");
    let out = stdout(&o);
    assert!(
        o.status.success() && out.contains("pid reuse helper: ok"),
        "stdout: {out}\nstderr: {}",
        stderr(&o)
    );
}

/// The check itself, run by [`reused_pid_is_never_entered`] as PID 1 of a
/// PID namespace of its own (never the host's: it writes `ns_last_pid`).
fn pid_reuse_check() {
    assert_eq!(
        std::process::id(),
        1,
        "{REUSE_HELPER} is for a new PID namespace only"
    );
    use nsipc::ns::enter::{setns_pidfd, Target};
    use nsipc::ns::Kinds;

    let spawn_named = |name: &str| {
        let mut child = Command::new("/usr/bin/unshare")
            .args([
                "-u",
                "sh",
                "-c",
                &format!("hostname {name}; echo; exec sleep 1000"),
            ])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut byte = [0u8];
        child.stdout.take().unwrap().read_exact(&mut byte).unwrap();
        child
    };
    let mut first = spawn_named("first");
    let pid = first.id();
    // The handle nsenter keeps: a pidfd taken at lookup time, plus the
    // pidfs inode that `-t PID:INODE` names.
    let mut target = Target::new(pid as i32);
    let inode = rustix::fs::fstat(target.open_pidfd().unwrap())
        .unwrap()
        .st_ino;
    first.kill().unwrap();
    first.wait().unwrap();
    // The next process gets the same PID.
    std::fs::write("/proc/sys/kernel/ns_last_pid", (pid - 1).to_string()).unwrap();
    let mut second = spawn_named("second");
    assert_eq!(second.id(), pid, "PID was not reused");

    // Library: the pidfd still names the dead process.
    let err = setns_pidfd(target.pidfd().unwrap().as_fd(), Kinds::UTS).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::ESRCH));
    assert_ne!(
        std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap(),
        "second\n"
    );
    let err = Target::with_inode(pid as i32, inode)
        .err()
        .expect("stale inode refused");
    assert_eq!(err.raw_os_error(), Some(libc::ESRCH));

    // Tool: `-t PID:INODE` with the first process's inode refuses the
    // second process; plain `-t PID` means the second one.
    let run = |t: &str| {
        let mut cmd = Command::new(nsipc_bin());
        cmd.arg0("nsenter").args(["-t", t, "-u", "hostname"]);
        run_within(cmd, 30, "nsenter on a reused PID")
    };
    let o = run(&format!("{pid}:{inode}"));
    assert_eq!(
        (stdout(&o).as_str(), stderr(&o).as_str(), o.status.code()),
        (
            "",
            format!("nsenter: failed to obtain a valid file descriptor for PID {pid}: No such process\n").as_str(),
            Some(1)
        )
    );
    let o = run(&pid.to_string());
    assert_eq!(
        (stdout(&o).as_str(), o.status.code()),
        ("second\n", Some(0))
    );
    second.kill().unwrap();
    second.wait().unwrap();
    println!("pid reuse helper: ok");
}

/// A target's environment is input its owner controls: `nsenter -e` on
/// 100,000 variables (889 KB) must finish (it once took minutes: a
/// quadratic duplicate check and one setenv per variable).
#[test]
fn environment_of_100k_variables_does_not_hang() {
    require_namespaces!();
    let env: Vec<(String, String)> = (0..100_000)
        .map(|i| (format!("V{i}"), "1".into()))
        .collect();
    let mut target = Command::new("/usr/bin/unshare")
        .args(["-u", "sleep", "1000"])
        .env_clear()
        .envs(env)
        .spawn()
        .unwrap();
    let pid = target.id();
    common::wait_for_sleep(pid);
    let mut cmd = Command::new(nsipc_bin());
    cmd.arg0("nsenter")
        .args([
            "-t",
            &pid.to_string(),
            "-u",
            "-e",
            "sh",
            "-c",
            "env | grep -c '^V'",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break Some(s);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let _ = target.kill();
    let _ = target.wait();
    let mut err = String::new();
    let _ = child.stderr.take().unwrap().read_to_string(&mut err);
    let mut seen = String::new();
    let _ = child.stdout.take().unwrap().read_to_string(&mut seen);
    assert!(
        status.is_some_and(|s| s.success()),
        "nsenter -e on a large environment: {status:?} (None: still running after 60 s); \
         stdout: {seen:?}; stderr: {err}"
    );
    assert_eq!(seen, "100000\n", "every variable of the target, once");
}
