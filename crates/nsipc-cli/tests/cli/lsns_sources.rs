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

/// The NETNSID of network namespaces kept by `ip netns` files: one with an
/// id assigned (`ip netns set`), one without, both with no process (as
/// util-linux master's tests/ts/lsns/netnsid-for-persistent-namespaces
/// checks; 2.38.1 does not list such namespaces), then one with a process
/// in it (differential). Everything happens in a new network namespace
/// inside the sandbox: the ids are assigned there, not on the host.
#[test]
fn netnsid_of_namespaces_kept_by_ip_netns() {
    require_namespaces!();
    let sb = Sandbox::new();
    let script = r#"
        set -e
        mount -t tmpfs none /run
        mkdir /run/netns
        touch /run/netns/x /run/netns/y
        "$NSIPC" unshare --net=/run/netns/x true
        "$NSIPC" unshare --net=/run/netns/y true
        ip netns set x 7
        "$NSIPC" lsns -n -r -o NETNSID,TYPE,NPROCS,NSFS -Q "NETNSID == '7'"
        echo ---
        "$NSIPC" lsns -n -r -t net -o NETNSID,NPROCS,NSFS | grep ' /run/netns/' | sort
        echo ---
        nsenter --net=/run/netns/x sleep 30 &
        trap 'kill $!' EXIT
        x=$(stat -L -c %i /run/netns/x)
        until [ "$(stat -L -c %i /proc/$!/ns/net)" = "$x" ]; do sleep 0.01; done
        # util-linux's scan gives up without a word when a process of
        # another test exits under it (the ESRCH bug nsipc fixes): again.
        if [ -n "$UL_LSNS" ]; then
            for try in 1 2 3 4 5 6 7 8 9 10; do
                theirs=$("$UL_LSNS" -t net -p $! -o NS,NPROCS,NETNSID,NSFS) && break
            done
            printf '%s\n' "$theirs"
        fi
        echo ---
        "$NSIPC" lsns -t net -p $! -o NS,NPROCS,NETNSID,NSFS
    "#;
    let theirs = common::util_linux_bin("lsns");
    let out = sb
        .command("unshare")
        .args(["--net", "sh", "-c", script])
        .env("NSIPC", common::nsipc_bin())
        .env("UL_LSNS", theirs.clone().unwrap_or_default())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = common::stdout(&out);
    let parts: Vec<&str> = text.split("---\n").collect();
    assert_eq!(parts.len(), 4, "{text}");
    assert_eq!(parts[0], "7 net 0 /run/netns/x\n");
    assert_eq!(parts[1], "7 0 /run/netns/x\nunassigned 0 /run/netns/y\n");
    assert!(
        parts[3].ends_with("      1       7 /run/netns/x\n"),
        "{}",
        parts[3]
    );
    if theirs.is_some() {
        assert_eq!(parts[2], parts[3]);
    }
}
