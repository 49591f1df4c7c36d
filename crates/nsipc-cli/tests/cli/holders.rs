//! Holders and orphans with processes that really attach: `lsipc` HOLDERS,
//! NHOLDERS, `--orphans`, `--older-than`, `--filter`, `--sort`, and
//! `ipcrm --orphans`.
//!
//! The attaching processes are this test binary itself, run again inside
//! the sandbox with `NSIPC_ATTACH` set: the `attach_helper_holds_what_it_is_told` entry then
//! attaches, maps or opens what it is told, prints `ready`, and sleeps
//! until it is killed (as a crashed server would be: SIGKILL, nothing
//! cleaned up).

use crate::common;

use std::ffi::CString;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use common::{stdout, As, Sandbox};

const ATTACH: &str = "NSIPC_ATTACH";

/// The helper: `NSIPC_ATTACH` holds `op:arg` words separated by spaces.
/// `shmat:ID` attaches a System V segment; `mkshm:SIZE` creates a private
/// segment, attaches it and prints `shm=ID`; `pshm:NAME` maps a POSIX
/// shared memory object (the descriptor is closed: the mapping alone
/// holds it); `mq:NAME` opens a POSIX queue and keeps the descriptor;
/// `msgsnd:ID` sends one message to a System V queue.
#[test]
fn attach_helper_holds_what_it_is_told() {
    let Ok(spec) = std::env::var(ATTACH) else {
        // Run as an ordinary test, it checks the helper itself: started in
        // a sandbox, it makes and attaches a segment the kernel counts.
        require_namespaces!();
        let sb = Sandbox::new();
        let h = Helper::start(&sb, "mkshm:4096");
        let id = h.shm_id();
        let nattch = sb.sh_ok(&format!(
            "awk '$2 == {id} {{ print $7 }}' /proc/sysvipc/shm"
        ));
        assert_eq!(nattch.trim(), "1", "segment {id} attached once");
        return;
    };
    for word in spec.split_whitespace() {
        let (op, arg) = word.split_once(':').expect("op:arg");
        // SAFETY: plain libc calls on values made here; the mappings and
        // descriptors are kept until the process dies.
        unsafe {
            match op {
                "shmat" => {
                    let addr = libc::shmat(arg.parse().unwrap(), std::ptr::null(), 0);
                    assert_ne!(addr as isize, -1, "shmat");
                }
                "mkshm" => {
                    let id = libc::shmget(libc::IPC_PRIVATE, arg.parse().unwrap(), 0o600);
                    assert!(id >= 0, "shmget");
                    let addr = libc::shmat(id, std::ptr::null(), 0);
                    assert_ne!(addr as isize, -1, "shmat");
                    println!("shm={id}");
                }
                "pshm" => {
                    let name = CString::new(arg).unwrap();
                    let fd = libc::shm_open(name.as_ptr(), libc::O_RDWR, 0);
                    assert!(fd >= 0, "shm_open");
                    let addr = libc::mmap(
                        std::ptr::null_mut(),
                        4096,
                        libc::PROT_READ,
                        libc::MAP_SHARED,
                        fd,
                        0,
                    );
                    assert_ne!(addr, libc::MAP_FAILED, "mmap");
                    libc::close(fd);
                }
                "mq" => {
                    let name = CString::new(arg).unwrap();
                    let mqd = libc::mq_open(name.as_ptr(), libc::O_RDWR);
                    assert!(mqd >= 0, "mq_open");
                }
                "msgsnd" => {
                    let msg: [libc::c_long; 2] = [1, 0];
                    let rc = libc::msgsnd(arg.parse().unwrap(), msg.as_ptr().cast(), 1, 0);
                    assert_eq!(rc, 0, "msgsnd");
                }
                _ => panic!("unknown op {op}"),
            }
        }
    }
    println!("ready");
    std::thread::sleep(std::time::Duration::from_secs(120));
}

/// A running helper, killed (SIGKILL) and reaped on drop.
struct Helper {
    child: Child,
    /// What it printed before `ready` (`shm=ID` lines).
    said: Vec<String>,
}

impl Helper {
    fn start(sandbox: &Sandbox, spec: &str) -> Helper {
        Self::start_as(sandbox, spec, As::default())
    }

    fn start_as(sandbox: &Sandbox, spec: &str, creds: As) -> Helper {
        let exe = std::env::current_exe().unwrap();
        let mut child = sandbox
            .command_as(exe, creds)
            .args([
                "--exact",
                "holders::attach_helper_holds_what_it_is_told",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(ATTACH, spec)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the helper");
        let mut said = Vec::new();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        loop {
            let line = lines
                .next()
                .unwrap_or_else(|| panic!("helper {spec:?} died"))
                .unwrap();
            // libtest prints `test holders::attach_helper… ... ` before the test's
            // own first line.
            let line = line.rsplit(' ').next().unwrap_or_default().to_string();
            if line == "ready" {
                break;
            }
            said.push(line);
        }
        Helper { child, said }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `shm=ID` as said by the helper.
    fn shm_id(&self) -> String {
        self.said
            .iter()
            .find_map(|l| l.strip_prefix("shm="))
            .expect("the helper made a segment")
            .to_string()
    }

    /// `pid(comm)`, as HOLDERS shows this helper.
    fn holder(&self) -> String {
        let comm = std::fs::read_to_string(format!("/proc/{}/comm", self.pid())).unwrap();
        format!("{}({})", self.pid(), comm.trim_end())
    }

    /// Kills it as `kill -9` would, and reaps it.
    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Helper {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn lsipc(sandbox: &Sandbox, args: &[&str]) -> String {
    let out = sandbox.nsipc("lsipc", args);
    assert!(
        out.status.success(),
        "lsipc {args:?}: {}",
        common::stderr(&out)
    );
    stdout(&out)
}

/// The words of each line after the header, trimmed.
fn rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .skip(1)
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .collect()
}

fn ids(text: &str) -> Vec<String> {
    let mut v: Vec<String> = rows(text)
        .into_iter()
        .filter_map(|r| r.into_iter().next())
        .collect();
    v.sort();
    v
}

#[test]
fn holders_of_every_kind_are_listed() {
    require_namespaces!();
    let sb = Sandbox::new();
    let shm = sb.sh_ok("$NSIPC ipcmk -M 4096 | sed 's/.*: //'");
    let shm = shm.trim();
    let idle = sb.sh_ok("$NSIPC ipcmk -M 8192 | sed 's/.*: //'");
    let msg = sb.sh_ok("$NSIPC ipcmk -Q | sed 's/.*: //'");
    let msg = msg.trim();
    sb.sh_ok("$NSIPC ipcmk -m 4096 -n /seg >/dev/null && $NSIPC ipcmk -m 4096 -n /other >/dev/null && setpriv --reuid=1002 --regid=1002 --clear-groups $NSIPC ipcmk -q -n /q -p 666 >/dev/null");
    let h = Helper::start(&sb, &format!("shmat:{shm} pshm:/seg mq:/q msgsnd:{msg}"));
    let second = Helper::start(&sb, &format!("shmat:{shm}"));

    let out = lsipc(
        &sb,
        &["-m", "-o", "ID,NATTCH,NHOLDERS,HOLDERS", "--sort", "ID"],
    );
    let mut both = [h.holder(), second.holder()];
    both.sort_by_key(|s| s.split('(').next().unwrap().parse::<u32>().unwrap());
    let expected = vec![
        vec![shm.to_string(), "2".into(), "2".into(), both.join(",")],
        vec![idle.trim().to_string(), "0".into(), "0".into()],
    ];
    assert_eq!(rows(&out), expected, "{out}");

    let out = lsipc(
        &sb,
        &["-M", "-o", "NAME,NHOLDERS,HOLDERS", "--sort", "NAME"],
    );
    assert_eq!(
        rows(&out),
        vec![
            vec!["other".to_string(), "0".into()],
            vec!["seg".into(), "1".into(), h.holder()]
        ],
        "{out}"
    );
    let out = lsipc(&sb, &["-Q", "-o", "NAME,HOLDERS"]);
    assert_eq!(
        rows(&out),
        vec![vec!["/q".to_string(), h.holder()]],
        "{out}"
    );
    // A queue's holder is its last live sender.
    let out = lsipc(&sb, &["-q", "-o", "ID,LSPID,NHOLDERS,HOLDERS"]);
    assert_eq!(
        rows(&out),
        vec![vec![
            msg.to_string(),
            h.pid().to_string(),
            "1".into(),
            h.holder()
        ]],
        "{out}"
    );
    // Filters see the new columns and compare sizes in bytes (the cell
    // prints 8K); JSON works with them.
    let out = lsipc(
        &sb,
        &["-m", "--filter", "NHOLDERS == 0 && SIZE > 5000", "-o", "ID"],
    );
    assert_eq!(ids(&out), vec![idle.trim().to_string()]);
    let out = lsipc(
        &sb,
        &["-m", "-J", "-o", "ID,NHOLDERS", "--filter", "NHOLDERS > 0"],
    );
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["sharedmemory"].as_array().unwrap().len(), 1, "{out}");
    // ipcs -p keeps util-linux's output.
    sb.compare("ipcs", &["-p"]);
    sb.compare("ipcs", &["-m", "-p"]);
}

#[test]
fn orphans_listed_and_removed_exactly() {
    require_namespaces!();
    let sb = Sandbox::new();
    // A "server" that made its segment and a POSIX object, then was killed.
    sb.sh_ok("$NSIPC ipcmk -m 4096 -n /pg_dead >/dev/null && $NSIPC ipcmk -m 4096 -n /pg_live >/dev/null");
    let server = Helper::start(&sb, "mkshm:65536 pshm:/pg_dead");
    let dead_shm = server.shm_id();
    server.kill();
    // A live server with its own segment and object.
    let live = Helper::start(&sb, "mkshm:65536 pshm:/pg_live");
    let live_shm = live.shm_id();
    // An unused queue (nobody ever sent) and a semaphore set: orphans too.
    let queue = sb.sh_ok("$NSIPC ipcmk -Q | sed 's/.*: //'");
    std::thread::sleep(std::time::Duration::from_secs(3));
    // A young abandoned segment: made after the pause.
    let young = Helper::start(&sb, "mkshm:4096");
    let young_shm = young.shm_id();
    young.kill();

    let out = lsipc(&sb, &["-m", "--orphans", "-o", "ID"]);
    let mut want = vec![dead_shm.clone(), young_shm.clone()];
    want.sort();
    assert_eq!(ids(&out), want);
    // Right after the young one was made: only the old one is 3 s old.
    let out = lsipc(&sb, &["-m", "--orphans", "--older-than=3", "-o", "ID"]);
    assert_eq!(ids(&out), vec![dead_shm.clone()]);
    let out = lsipc(&sb, &["-m", "--orphans", "--older-than=1h", "-o", "ID"]);
    assert_eq!(ids(&out), Vec::<String>::new());
    let out = lsipc(&sb, &["-M", "--orphans", "-o", "NAME"]);
    assert_eq!(ids(&out), vec!["pg_dead".to_string()]);
    let out = lsipc(&sb, &["-q", "--orphans", "-o", "ID"]);
    assert_eq!(ids(&out), vec![queue.trim().to_string()]);
    // Every output form selects the same objects.
    for form in [["-J"], ["-r"], ["-n"], ["-e"], ["-P"], ["-b"]] {
        let args = [&["-m", "--orphans"][..], &form[..]].concat();
        let text = lsipc(&sb, &args);
        assert!(text.contains(&dead_shm), "{form:?}: {text}");
        assert!(
            !text.contains(&format!("\"{live_shm}\"")),
            "{form:?}: {text}"
        );
    }

    // Dry run: says what it would remove, removes nothing (of any kind).
    let before = crate::ipc_state::snapshot(&sb);
    let out = sb.nsipc("ipcrm", &["--orphans=shm,pshm", "--dry-run"]);
    assert!(out.status.success());
    assert_eq!(
        stdout(&out),
        format!(
            "would remove shared memory segment id `{dead_shm}'\n\
             would remove shared memory segment id `{young_shm}'\n\
             would remove POSIX shared memory `pg_dead'\n"
        )
    );
    assert_eq!(crate::ipc_state::snapshot(&sb), before);

    // The real run removes exactly the orphans.
    let out = sb.nsipc("ipcrm", &["--orphans", "-v"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let mut left = vec![live_shm.clone()];
    left.sort();
    assert_eq!(ids(&lsipc(&sb, &["-m", "-o", "ID"])), left);
    assert_eq!(
        ids(&lsipc(&sb, &["-M", "-o", "NAME"])),
        vec!["pg_live".to_string()]
    );
    assert_eq!(ids(&lsipc(&sb, &["-q", "-o", "ID"])), Vec::<String>::new());
    drop(live);
}

#[test]
fn attaching_after_the_listing_keeps_the_object() {
    require_namespaces!();
    let sb = Sandbox::new();
    sb.sh_ok("$NSIPC ipcmk -m 4096 -n /late >/dev/null");
    let server = Helper::start(&sb, "mkshm:4096");
    let seg = server.shm_id();
    server.kill();
    let out = sb.nsipc("ipcrm", &["--orphans=shm,pshm", "--dry-run"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert_eq!(
        stdout(&out),
        format!("would remove shared memory segment id `{seg}'\nwould remove POSIX shared memory `late'\n")
    );
    // A process attaches between the listing and the removal.
    let late = Helper::start(&sb, &format!("shmat:{seg} pshm:/late"));
    let out = sb.nsipc("ipcrm", &["--orphans=shm,pshm", "-v"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert_eq!(stdout(&out), "");
    assert_eq!(ids(&lsipc(&sb, &["-m", "-o", "ID"])), vec![seg.clone()]);
    assert_eq!(
        ids(&lsipc(&sb, &["-M", "-o", "NAME"])),
        vec!["late".to_string()]
    );
    // Once it is gone, they are orphans again.
    late.kill();
    let out = sb.nsipc("ipcrm", &["--orphans=shm,pshm", "-v"]);
    assert_eq!(
        stdout(&out),
        format!("removing shared memory segment id `{seg}'\nremoving POSIX shared memory `late'\n")
    );
}

#[test]
fn other_namespaces_are_untouched() {
    require_namespaces!();
    let a = Sandbox::new();
    let b = Sandbox::new();
    // The same shmid in both namespaces: the first segment of each.
    let mut ids = Vec::new();
    for sb in [&a, &b] {
        let h = Helper::start(sb, "mkshm:4096");
        ids.push(h.shm_id());
        h.kill();
        sb.sh_ok("$NSIPC ipcmk -m 1 -n /x >/dev/null");
    }
    assert_eq!(ids[0], ids[1]);
    let id = ids[0].clone();
    // A holder in b is not a holder of a's segment with the same id.
    let h_b = Helper::start(&b, &format!("shmat:{id}"));
    let out = lsipc(&a, &["-m", "-o", "ID,NHOLDERS"]);
    assert_eq!(rows(&out), vec![vec![id.clone(), "0".to_string()]], "{out}");
    let out = lsipc(&b, &["-m", "-o", "ID,NHOLDERS"]);
    assert_eq!(rows(&out), vec![vec![id.clone(), "1".to_string()]], "{out}");
    // The same through --all-namespaces (each namespace on its own thread).
    let ino = |sb: &Sandbox| {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(format!("/proc/{}/ns/ipc", sb.pid()))
            .unwrap()
            .ino()
            .to_string()
    };
    let all = lsipc(
        &a,
        &["--all-namespaces", "-m", "-r", "-o", "IPCNS,ID,NHOLDERS"],
    );
    let lines: Vec<Vec<String>> = rows(&all);
    assert!(
        lines.contains(&vec![ino(&a), id.clone(), "0".to_string()]),
        "{all}"
    );
    assert!(
        lines.contains(&vec![ino(&b), id.clone(), "1".to_string()]),
        "{all}"
    );
    h_b.kill();
    // b's objects are orphans too now; removing a's leaves them.
    let out = a.nsipc("ipcrm", &["--orphans"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert_eq!(rows(&lsipc(&a, &["-m", "-o", "ID"])).len(), 0);
    assert_eq!(rows(&lsipc(&a, &["-M", "-o", "NAME"])).len(), 0);
    assert_eq!(rows(&lsipc(&b, &["-m", "-o", "ID"])).len(), 1);
    assert_eq!(rows(&lsipc(&b, &["-M", "-o", "NAME"])).len(), 1);
}

#[test]
fn unprivileged_users_see_and_remove_no_more_than_proc_and_ipcrm_allow() {
    require_namespaces!();
    let sb = Sandbox::new();
    let alice = As {
        uid: Some(1001),
        gid: Some(1001),
    };
    // Alice's segment and POSIX object, used by a root process.
    let seg = sb.sh_ok("setpriv --reuid=1001 --regid=1001 --clear-groups $NSIPC ipcmk -M 4096 -p 666 | sed 's/.*: //'");
    let seg = seg.trim().to_string();
    sb.sh_ok("setpriv --reuid=1001 --regid=1001 --clear-groups $NSIPC ipcmk -m 4096 -n /alice -p 600 >/dev/null");
    let root = Helper::start(&sb, &format!("shmat:{seg} pshm:/alice"));
    // Root sees the holder; alice cannot read root's maps.
    let out = lsipc(&sb, &["-m", "-o", "ID,NATTCH,NHOLDERS,HOLDERS"]);
    assert_eq!(
        rows(&out),
        vec![vec![seg.clone(), "1".into(), "1".into(), root.holder()]]
    );
    let out = stdout(&sb.nsipc_as("lsipc", &["-m", "-o", "ID,NATTCH,NHOLDERS"], alice));
    assert_eq!(
        rows(&out),
        vec![vec![seg.clone(), "1".into(), "0".into()]],
        "{out}"
    );
    // Not seeing the holder is no proof of an orphan: alice's object stays.
    let out = stdout(&sb.nsipc_as("lsipc", &["-M", "--orphans", "-o", "NAME"], alice));
    assert_eq!(rows(&out).len(), 0, "{out}");
    let out = sb.nsipc_as("ipcrm", &["--orphans", "-v"], alice);
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert_eq!(
        ids(&lsipc(&sb, &["-M", "-o", "NAME"])),
        vec!["alice".to_string()]
    );
    root.kill();
    // Root's orphan: alice may list it but not remove it, and says so.
    let dead = Helper::start(&sb, "mkshm:4096");
    let root_seg = dead.shm_id();
    dead.kill();
    let out = sb.nsipc_as("ipcrm", &["--orphans=shm"], alice);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        common::stderr(&out).contains(&format!("permission denied for id ({root_seg})")),
        "{}",
        common::stderr(&out)
    );
    assert!(ids(&lsipc(&sb, &["-m", "-o", "ID"])).contains(&root_seg));
}

#[test]
fn bad_orphan_options_change_nothing() {
    require_namespaces!();
    let sb = Sandbox::new();
    let h = Helper::start(&sb, "mkshm:4096");
    h.kill();
    // An orphan of every POSIX kind too, so that a bad command line that
    // removed anything would show.
    sb.sh_ok(": > /dev/shm/orphan; : > /dev/shm/sem.orphan; : > /dev/mqueue/orphan");
    let before = crate::ipc_state::snapshot(&sb);
    for (args, msg) in [
        (
            &["--orphans=shm,bogus"][..],
            "ipcrm: unknown argument: bogus\n",
        ),
        (
            &["--orphans", "--older-than=3x"][..],
            "ipcrm: invalid age: '3x'\n",
        ),
        (
            &["--dry-run"][..],
            "ipcrm: --older-than and --dry-run go with --orphans\n",
        ),
        (
            &["-a", "--orphans", "--dry-run"][..],
            "ipcrm: --dry-run goes with --orphans alone\n",
        ),
    ] {
        let out = sb.nsipc("ipcrm", args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(common::stderr(&out), msg, "{args:?}");
    }
    assert_eq!(rows(&lsipc(&sb, &["-m", "-o", "ID"])).len(), 1);
    assert_eq!(crate::ipc_state::snapshot(&sb), before);
    let out = sb.nsipc("lsipc", &["--orphans"]);
    assert_eq!(out.status.code(), Some(1));
    let out = sb.nsipc("lsipc", &["-m", "--older-than=1h"]);
    assert_eq!(
        common::stderr(&out),
        "lsipc: --older-than goes with --orphans\n"
    );
    let out = sb.nsipc("lsipc", &["-m", "--sort", "NSEMS"]);
    assert_eq!(common::stderr(&out), "lsipc: unknown column: NSEMS\n");
    let out = sb.nsipc("lsipc", &["-m", "--filter", "BOGUS > 1"]);
    assert_eq!(
        common::stderr(&out),
        "lsipc: unknown column: BOGUS\nlsipc: failed to initialize filter\n"
    );
    // util-linux's abbreviations keep their meaning.
    let out = sb.nsipc("lsipc", &["-m", "--o", "ID"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
}
