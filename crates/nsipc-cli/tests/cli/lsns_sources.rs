//! lsns: namespaces that no process's `/proc/PID/ns` link shows — kept by
//! a bind mount, an open descriptor, a socket or a single thread — found
//! as util-linux finds them. Same rules as the `lsns` module: each test
//! looks only at namespaces it creates, processes are killed on drop, mounts
//! stay inside the sandbox.

use crate::common;
use crate::lsns::{assert_ok, json, ns_of, ok, util_linux, Proc};

use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

use common::{stderr, Sandbox};
use serde_json::Value;

#[test]
fn persistent_namespace_via_bind_mount() {
    require_namespaces!();
    let sb = Sandbox::new();
    // A UTS namespace whose only reference is a bind mount.
    let ino =
        sb.sh_ok("touch /dev/shm/u && unshare --uts=/dev/shm/u true && stat -L -c %i /dev/shm/u");
    let ino: u64 = ino.trim().parse().unwrap();
    let filter = format!("NS == {ino}");
    let out = sb.nsipc(
        "lsns",
        &[
            "-P",
            "-J",
            "-o",
            "NS,TYPE,NPROCS,PID,PPID,USER,UID,COMMAND,PATH,NSFS",
            "-Q",
            &filter,
        ],
    );
    assert_ok(&out);
    let v = json(&out);
    let rows = v["namespaces"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{v}");
    let row = &rows[0];
    assert_eq!(row["ns"], Value::from(ino));
    assert_eq!(row["type"], "uts");
    assert_eq!(row["nprocs"], 0);
    assert_eq!(row["pid"], Value::Null);
    assert_eq!(row["ppid"], Value::Null);
    assert_eq!(row["command"], Value::Null);
    assert_eq!(row["path"], Value::Null);
    assert_eq!(row["user"], "root");
    assert_eq!(row["uid"], 0);
    assert_eq!(row["nsfs"], "/dev/shm/u");
    // Not a process namespace: -P keeps it, and a process's is dropped.
    let text = ok(
        &sb,
        &[
            "-n",
            "-r",
            "-t",
            "uts",
            "-o",
            "NS,NPROCS,NSFS",
            "-Q",
            &filter,
        ],
    );
    assert_eq!(text, format!("{ino} 0 /dev/shm/u\n"));
    let p = Proc::spawn(&["unshare", "-u", "sleep", "60"], 0);
    let filter = format!("NS == {}", p.ns("uts"));
    assert_eq!(ok(&sb, &["-P", "-n", "-Q", &filter]), "");
}

#[test]
fn namespace_held_only_by_a_descriptor() {
    require_namespaces!();
    let sb = Sandbox::new();
    let a = Proc::spawn(&["unshare", "-u", "sleep", "60"], 0);
    let ino = a.ns("uts");
    let script = format!("exec 3</proc/{}/ns/uts; exec sleep 60", a.pid());
    let _b = Proc::spawn(&["sh", "-c", &script], 0);
    drop(a);
    let filter = format!("NS == {ino}");
    let text = ok(
        &sb,
        &[
            "-n",
            "-r",
            "-t",
            "uts",
            "-o",
            "NS,TYPE,NPROCS,PID,USER",
            "-Q",
            &filter,
        ],
    );
    assert_eq!(text, format!("{ino} uts 0  root\n"));
}

#[test]
fn network_namespace_held_only_by_a_socket() {
    require_namespaces!();
    let sb = Sandbox::new();
    // The child makes a socket in a new network namespace, reports the
    // namespace's inode, returns to ours and execs sleep: the socket is
    // then the namespace's only reference.
    let ours = std::fs::File::open("/proc/self/ns/net").unwrap();
    let ours_fd = std::os::fd::AsRawFd::as_raw_fd(&ours);
    let mut cmd = Command::new("sleep");
    cmd.arg("60").stdin(Stdio::null()).stdout(Stdio::piped());
    // SAFETY: only raw syscalls and stack buffers between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            if libc::unshare(libc::CLONE_NEWNET) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            let sock = libc::socket(libc::AF_UNIX, libc::SOCK_STREAM, 0);
            let mut st: libc::stat = std::mem::zeroed();
            if sock < 0 || libc::stat(c"/proc/thread-self/ns/net".as_ptr(), &mut st) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            let mut buf = [b'\n'; 24];
            let mut n = st.st_ino;
            let mut i = 23;
            loop {
                i -= 1;
                buf[i] = b'0' + (n % 10) as u8;
                n /= 10;
                if n == 0 {
                    break;
                }
            }
            libc::write(1, buf[i..].as_ptr().cast(), 24 - i);
            if libc::setns(ours_fd, libc::CLONE_NEWNET) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().expect("spawn");
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let holder = Proc::wait_ready(child, 0);
    let ino: u64 = line.trim().parse().unwrap();
    assert_ne!(holder.ns("net"), ino);
    let filter = format!("NS == {ino}");
    let text = ok(
        &sb,
        &["-n", "-r", "-o", "NS,TYPE,NPROCS,PID,USER", "-Q", &filter],
    );
    assert_eq!(text, format!("{ino} net 0  root\n"));
}

#[test]
fn thread_in_its_own_namespace_is_listed() {
    require_namespaces!();
    let sb = Sandbox::new();
    let (tx, rx) = std::sync::mpsc::channel();
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let thread = std::thread::spawn(move || {
        // SAFETY: unshare of this thread's UTS namespace only.
        let rc = unsafe { libc::unshare(libc::CLONE_NEWUTS) };
        // SAFETY: gettid has no preconditions.
        let tid = unsafe { libc::gettid() };
        tx.send((rc, tid)).unwrap();
        let _ = done_rx.recv();
    });
    let (rc, tid) = rx.recv().unwrap();
    assert_eq!(rc, 0);
    let pid = std::process::id();
    let ino = std::fs::metadata(format!("/proc/{pid}/task/{tid}/ns/uts"))
        .unwrap()
        .ino();
    assert_ne!(ino, ns_of(pid, "uts"));
    let filter = format!("NS == {ino}");
    let text = ok(
        &sb,
        &[
            "-n",
            "-r",
            "-t",
            "uts",
            "-o",
            "NS,NPROCS,PID,PPID",
            "-Q",
            &filter,
        ],
    );
    assert_eq!(text, format!("{ino} 1 {tid} {pid}\n"));
    let text = ok(&sb, &[&ino.to_string(), "-n", "-r", "-o", "PID,PPID"]);
    assert_eq!(text, format!("{tid} {pid}\n"));
    // util-linux reads thread-group leaders only and misses it.
    if common::util_linux_bin("lsns").is_some() {
        let theirs = util_linux(&sb, &[&ino.to_string()]);
        assert_eq!(
            stderr(&theirs),
            format!("lsns: not found namespace: {ino}\n")
        );
    }
    done_tx.send(()).unwrap();
    thread.join().unwrap();
}
