//! Beyond util-linux: `lsipc --all-namespaces`, `ipcs --all-namespaces`
//! and `ipcs --json` (docs/beyond.md).
//!
//! Everything runs inside a `Sandbox`. The extra IPC namespaces are made
//! from inside it: two held by processes this test spawns (`unshare -i`),
//! one kept only by a bind mount made in the sandbox's private mount
//! namespace (`unshare --ipc=FILE`), so nothing of the host changes. Other
//! tests run in parallel and make namespaces of their own: assertions look
//! at the namespaces made here, never at the total.

use crate::common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::process::{Child, Stdio};

use common::{stderr, stdout, As, Sandbox};
use serde_json::Value;

const ALICE: As = As {
    uid: Some(1001),
    gid: Some(1001),
};

/// A process holding a new IPC namespace (made inside the sandbox), killed
/// when dropped.
struct Holder {
    child: Child,
    ino: u64,
}

impl Holder {
    fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Holder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `unshare -i sh -c SETUP` in the sandbox; the shell then becomes
/// `sleep infinity` (same pid: the holder of the namespace).
fn hold(sb: &Sandbox, setup: &str) -> Holder {
    hold_exec(sb, setup, "sleep infinity")
}

/// As [`hold`], the shell becoming `exec` instead.
fn hold_exec(sb: &Sandbox, setup: &str, exec: &str) -> Holder {
    let script = format!("set -e\n{setup}\necho ready\nexec {exec}");
    let mut cmd = sb.command("/usr/bin/unshare");
    cmd.args(["-i", "sh", "-c", &script]).stdout(Stdio::piped());
    // SAFETY: one raw syscall in the child before exec.
    unsafe {
        cmd.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
    let mut child = cmd.spawn().expect("spawn unshare");
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line, "ready\n", "holder setup failed");
    // The shell execs sleep right after: wait for it (the holder's command
    // is part of what is checked).
    let comm = format!("/proc/{}/comm", child.id());
    for _ in 0..2500 {
        if std::fs::read(&comm).is_ok_and(|c| c == b"sleep\n") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let ino = std::fs::metadata(format!("/proc/{}/ns/ipc", child.id()))
        .unwrap()
        .ino();
    Holder { child, ino }
}

/// Perl one-liners making System V objects with known keys.
fn msg(key: u32, mode: u32) -> String {
    format!(
        "perl -e 'defined(msgget({key}, 0{:o})) or die \"$!\"'",
        0o1000 | mode
    )
}
fn shm(key: u32, size: u32, mode: u32) -> String {
    format!(
        "perl -e 'defined(shmget({key}, {size}, 0{:o})) or die \"$!\"'",
        0o1000 | mode
    )
}
fn sem(key: u32, nsems: u32, mode: u32) -> String {
    format!(
        "perl -e 'defined(semget({key}, {nsems}, 0{:o})) or die \"$!\"'",
        0o1000 | mode
    )
}

/// The namespaces of one test: the sandbox's own, two held by processes,
/// one kept by a bind mount only.
struct World {
    sb: Sandbox,
    a: Holder,
    b: Holder,
    /// The bind-mounted namespace: its file and inode.
    c_file: String,
    c_ino: u64,
    _dir: tempfile::TempDir,
}

impl World {
    fn sandbox_ino(&self) -> u64 {
        std::fs::metadata(format!("/proc/{}/ns/ipc", self.sb.pid()))
            .unwrap()
            .ino()
    }
}

fn world() -> World {
    let sb = Sandbox::new();
    sb.sh_ok(&msg(0x51, 0o644));
    let a = hold(
        &sb,
        &format!(
            "{}\n{}\necho 77 > /proc/sys/kernel/msgmni",
            msg(0xa1, 0o600),
            shm(0xa2, 4096, 0o640)
        ),
    );
    let b = hold(
        &sb,
        &format!("{}\n{}", sem(0xb1, 2, 0o644), shm(0xb2, 8192, 0o600)),
    );
    let dir = tempfile::tempdir().unwrap();
    let c_file = dir.path().join("ipcns").to_str().unwrap().to_string();
    // The bind mount is made in the sandbox's private mount namespace.
    sb.sh_ok(&format!(
        "touch {c_file} && /usr/bin/unshare --ipc={c_file} sh -c \"{}\"",
        sem(0xc1, 3, 0o600).replace('"', "\\\"")
    ));
    let c_ino: u64 = sb
        .sh_ok(&format!("stat -L -c %i {c_file}"))
        .trim()
        .parse()
        .unwrap();
    World {
        sb,
        a,
        b,
        c_file,
        c_ino,
        _dir: dir,
    }
}

fn json(out: &std::process::Output) -> Value {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("invalid JSON ({e}): {}", stdout(out)))
}

/// `(ipcns, nspid, key)` of the rows of `lsipc --all-namespaces -J` that
/// belong to `ours`. The holder of `ours[0]`, the sandbox's namespace, is
/// left out: the command under test is in it too, and after a pid
/// wrap-around it has the lowest pid.
fn rows(v: &Value, array: &str, ours: &[u64]) -> BTreeSet<(u64, Option<u64>, String)> {
    v[array]
        .as_array()
        .unwrap_or_else(|| panic!("no {array} in {v}"))
        .iter()
        .filter_map(|r| {
            let ns: u64 = r["ipcns"].as_str()?.parse().ok()?;
            ours.contains(&ns).then(|| {
                (
                    ns,
                    r["nspid"]
                        .as_str()
                        .and_then(|p| p.parse().ok())
                        .filter(|_| ns != ours[0]),
                    r["key"].as_str().unwrap_or("").to_string(),
                )
            })
        })
        .collect()
}

#[test]
fn lsipc_all_namespaces_finds_each_namespace_once() {
    require_namespaces!();
    let w = world();
    let s = w.sandbox_ino();
    let ours = [s, w.a.ino, w.b.ino, w.c_ino];
    let (apid, bpid) = (u64::from(w.a.pid()), u64::from(w.b.pid()));
    let k = |key: u32| format!("0x{key:08x}");

    let v = json(&w.sb.nsipc("lsipc", &["--all-namespaces", "-q", "-J"]));
    assert_eq!(
        rows(&v, "messages", &ours),
        BTreeSet::from([(s, None, k(0x51)), (w.a.ino, Some(apid), k(0xa1))])
    );
    let v = json(&w.sb.nsipc("lsipc", &["--all-namespaces", "-m", "-J"]));
    assert_eq!(
        rows(&v, "sharedmemory", &ours),
        BTreeSet::from([
            (w.a.ino, Some(apid), k(0xa2)),
            (w.b.ino, Some(bpid), k(0xb2))
        ])
    );
    let v = json(&w.sb.nsipc("lsipc", &["--all-namespaces", "-s", "-J"]));
    assert_eq!(
        rows(&v, "semaphores", &ours),
        BTreeSet::from([(w.b.ino, Some(bpid), k(0xb1)), (w.c_ino, None, k(0xc1))])
    );
    // Each namespace once in the limits view, with its own limits.
    let v = json(&w.sb.nsipc(
        "lsipc",
        &["--all-namespaces", "-g", "-q", "-J", "-o", "+NSCOMMAND"],
    ));
    let limits: Vec<&Value> = v["ipclimits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["resource"] == "MSGMNI")
        .collect();
    for ns in ours {
        let mine: Vec<&&Value> = limits
            .iter()
            .filter(|r| r["ipcns"] == ns.to_string().as_str())
            .collect();
        assert_eq!(mine.len(), 1, "namespace {ns} in {v}");
        let expected = if ns == w.a.ino { "77" } else { "32000" };
        if ns == w.a.ino || ns == w.b.ino {
            assert_eq!(mine[0]["limit"], expected);
            assert_eq!(mine[0]["nscommand"], "sleep infinity");
        }
        if ns == w.c_ino {
            assert_eq!(mine[0]["nspid"], Value::Null);
            assert_eq!(mine[0]["nscommand"], Value::Null);
        }
    }
    // Other output forms carry the same columns; default columns first.
    let out = w.sb.nsipc("lsipc", &["--all-namespaces", "-s", "-r"]);
    let text = stdout(&out);
    assert!(
        text.starts_with("IPCNS NSPID KEY ID PERMS OWNER NSEMS\n"),
        "{text}"
    );
    let line = format!("{} {} 0x000000b1 ", w.b.ino, bpid);
    assert_eq!(
        text.lines().filter(|l| l.starts_with(&line)).count(),
        1,
        "{text}"
    );
    let out = w.sb.nsipc(
        "lsipc",
        &["--all-namespaces", "-s", "-e", "-o", "IPCNS,KEY"],
    );
    let pair = format!("IPCNS=\"{}\" KEY=\"0x000000c1\"", w.c_ino);
    assert_eq!(stdout(&out).lines().filter(|l| *l == pair).count(), 1);
    // The column help names the new columns.
    let help = stdout(&w.sb.nsipc("lsipc", &["--help"]));
    for word in ["--all-namespaces", "IPCNS", "NSPID", "NSCOMMAND"] {
        assert!(help.contains(word), "{word} missing from --help");
    }
}

/// Splits `ipcs --all-namespaces` output into (header, block) pairs.
fn blocks(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        if line.starts_with("------ IPC namespace ") {
            out.push((line.to_string(), String::new()));
        } else {
            out.last_mut().expect("output starts with a header").1 += line;
        }
    }
    out
}

#[test]
fn ipcs_all_namespaces_prints_what_ipcs_prints_inside_each() {
    require_namespaces!();
    let w = world();
    let s = w.sandbox_ino();
    // The sandbox's holder is not checked: the command under test is in
    // that namespace too and may have the lowest pid after a wrap-around.
    let headers = [
        (s, String::new()),
        (w.a.ino, format!("(pid {}, sleep infinity)", w.a.pid())),
        (w.b.ino, format!("(pid {}, sleep infinity)", w.b.pid())),
        (w.c_ino, format!("(nsfs {})", w.c_file)),
    ];
    let enter = [
        String::new(),
        format!("/usr/bin/nsenter --ipc=/proc/{}/ns/ipc ", w.a.pid()),
        format!("/usr/bin/nsenter --ipc=/proc/{}/ns/ipc ", w.b.pid()),
        format!("/usr/bin/nsenter --ipc={} ", w.c_file),
    ];
    for args in [
        &[][..],
        &["-t"],
        &["-p"],
        &["-c"],
        &["-l"],
        &["-u"],
        &["-m", "-b"],
        &["-q", "-s", "--human"],
    ] {
        let mut all = vec!["--all-namespaces"];
        all.extend_from_slice(args);
        let out = w.sb.nsipc("ipcs", &all);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let found = blocks(&stdout(&out));
        for ((ino, holder), prefix) in headers.iter().zip(&enter) {
            let header = format!("------ IPC namespace {ino} {holder}");
            let mine: Vec<&(String, String)> = found
                .iter()
                .filter(|(h, _)| h.starts_with(&header) && h.ends_with(") ------\n"))
                .collect();
            let near: Vec<&String> = found
                .iter()
                .map(|(h, _)| h)
                .filter(|h| h.contains(&ino.to_string()))
                .collect();
            assert_eq!(mine.len(), 1, "{header} in {near:?}");
            // util-linux's ipcs run inside that namespace.
            let inside =
                w.sb.sh_ok(&format!("{prefix}/usr/bin/ipcs {}", args.join(" ")));
            assert_eq!(mine[0].1, inside, "ipcs {args:?} in {header}");
        }
        // No namespace is listed twice.
        let unique: BTreeSet<&String> = found.iter().map(|(h, _)| h).collect();
        assert_eq!(unique.len(), found.len());
    }
}

/// The rows of a JSON array.
fn array<'a>(v: &'a Value, name: &str) -> &'a Vec<Value> {
    v[name]
        .as_array()
        .unwrap_or_else(|| panic!("no {name} in {v}"))
}

#[test]
fn ipcs_json_reports_every_field() {
    require_namespaces!();
    let sb = Sandbox::new();
    // A user whose name is not UTF-8 (in the sandbox's private passwd).
    sb.sh_ok("printf 'b\\377d:x:1500:1500::/:/bin/sh\\n' >> /etc/passwd");
    sb.sh_ok(&format!(
        "{}\nperl -e 'msgsnd(msgget(0x1234, 0), pack(\"l! a*\", 1, \"hello world\"), 0) or die'\n{}\n{}\n\
         perl -e 'semop(semget(0x3456, 0, 0), pack(\"s!3\", 1, 5, 0)) or die'",
        msg(0x1234, 0o640),
        shm(0x2345, 8192, 0o600),
        sem(0x3456, 3, 0o644)
    ));
    let out = sb
        .command_as(
            "perl",
            As {
                uid: Some(1500),
                gid: Some(1500),
            },
        )
        .args(["-e", "defined(shmget(0x4567, 100, 01600)) or die"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let ids = |kind: &str| -> Vec<i64> {
        sb.sh_ok(&format!("awk 'NR>1 {{print $2}}' /proc/sysvipc/{kind}"))
            .lines()
            .map(|l| l.parse().unwrap())
            .collect()
    };
    let (qid, sids, mid) = (ids("msg")[0], ids("shm"), ids("sem")[0]);

    // Default view: every section, lsipc's keys, numbers as numbers.
    let v = json(&sb.nsipc("ipcs", &["-J"]));
    let q = &array(&v, "messages")[0];
    assert_eq!(q["key"], "0x00001234");
    assert_eq!(q["id"], qid);
    assert_eq!(q["owner"], "root");
    assert_eq!(q["perms"], "0640");
    assert_eq!(q["usedbytes"], 11);
    assert_eq!(q["msgs"], 1);
    let segs = array(&v, "sharedmemory");
    assert_eq!(segs.len(), 2);
    assert_eq!(segs[0]["key"], "0x00002345");
    assert_eq!(segs[0]["id"], sids[0]);
    assert_eq!(segs[0]["size"], 8192);
    assert_eq!(segs[0]["nattch"], 0);
    assert_eq!(segs[0]["status"], Value::Null);
    // Not UTF-8: the document stays valid (the JSON writer spells the
    // byte `\xff`; a lossy user database would give U+FFFD).
    let owner = segs[1]["owner"].as_str().unwrap();
    assert!(["b\\xffd", "b\u{fffd}d"].contains(&owner), "{owner}");
    assert_eq!(segs[1]["perms"], "0600");
    let m = &array(&v, "semaphores")[0];
    assert_eq!(m["key"], "0x00003456");
    assert_eq!(m["nsems"], 3);
    assert_eq!(m["perms"], "0644");
    // Only the sections asked for.
    let v = json(&sb.nsipc("ipcs", &["--json", "-q", "-s"]));
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["messages", "semaphores"]);

    // -c: numeric ids and names.
    let v = json(&sb.nsipc("ipcs", &["-J", "-m", "-c"]));
    let s1 = &array(&v, "sharedmemory")[1];
    assert_eq!(s1["cuid"], 1500);
    assert_eq!(s1["cuser"].as_str(), Some(owner));
    assert_eq!(s1["cgid"], 1500);
    assert_eq!(s1["cgroup"], Value::Null);
    assert_eq!(s1["user"].as_str(), Some(owner));
    // -t: ISO times, null when never set.
    let v = json(&sb.nsipc("ipcs", &["-J", "-t"]));
    let q = &array(&v, "messages")[0];
    assert!(q["send"].as_str().unwrap().ends_with("+00:00"), "{q}");
    assert_eq!(q["recv"], Value::Null);
    assert_eq!(array(&v, "sharedmemory")[0]["attach"], Value::Null);
    assert!(array(&v, "semaphores")[0]["otime"].is_string());
    // -p: pids; semaphores have no such view (as ipcs prints nothing).
    let v = json(&sb.nsipc("ipcs", &["-J", "-p"]));
    assert!(array(&v, "messages")[0]["lspid"].as_i64().unwrap() > 0);
    assert_eq!(array(&v, "messages")[0]["lrpid"], 0);
    assert!(v.get("semaphores").is_none());
    // -l and -u: the kernel's numbers.
    sb.sh_ok("echo 123 > /proc/sys/kernel/msgmni");
    let v = json(&sb.nsipc("ipcs", &["-J", "-l", "-q"]));
    assert_eq!(array(&v, "messagelimits")[0]["resource"], "MSGMNI");
    assert_eq!(array(&v, "messagelimits")[0]["limit"], 123);
    let v = json(&sb.nsipc("ipcs", &["-J", "-u"]));
    assert_eq!(array(&v, "messagestatus")[0]["queues"], 1);
    assert_eq!(array(&v, "messagestatus")[0]["usedbytes"], 11);
    assert_eq!(array(&v, "semaphorestatus")[0]["nsems"], 3);
    assert_eq!(array(&v, "sharedmemorystatus")[0]["segments"], 2);
    // -i: every field; semaphore values as elements.
    let v = json(&sb.nsipc("ipcs", &["-J", "-s", "-i", &mid.to_string()]));
    assert_eq!(array(&v, "semaphores")[0]["id"], mid);
    let values: Vec<i64> = array(&v, "elements")
        .iter()
        .map(|e| e["value"].as_i64().unwrap())
        .collect();
    assert_eq!(values, [0, 5, 0]);
    let v = json(&sb.nsipc("ipcs", &["-J", "-q", "-i", &qid.to_string()]));
    assert_eq!(array(&v, "messages")[0]["qbytes"], 16384);
    let v = json(&sb.nsipc("ipcs", &["-J", "-m", "-i", &sids[1].to_string()]));
    assert_eq!(array(&v, "sharedmemory")[0]["size"], 100);
    // Not found: ipcs' message, still a document, exit 0.
    let out = sb.nsipc("ipcs", &["-J", "-m", "-i", "99999"]);
    assert_eq!(stderr(&out), "ipcs: id 99999 not found\n");
    assert_eq!(array(&json(&out), "sharedmemory").len(), 0);

    // With --all-namespaces: one member per namespace; a holder whose
    // command line is not UTF-8 has it spelled out with \xHH.
    let odd = hold_exec(
        &sb,
        &msg(0x77, 0o600),
        "perl -e 'exec {\"sleep\"} \"\\xffsleep\", \"infinity\"'",
    );
    let v = json(&sb.nsipc("ipcs", &["-J", "--all-namespaces", "-q"]));
    let theirs: Vec<&Value> = array(&v, "namespaces")
        .iter()
        .filter(|n| n["ipcns"] == odd.ino)
        .collect();
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0]["nspid"], odd.pid());
    assert_eq!(theirs[0]["nscommand"], "\\xffsleep infinity");
    assert_eq!(array(theirs[0], "messages")[0]["key"], "0x00000077");
    let own = std::fs::metadata(format!("/proc/{}/ns/ipc", sb.pid()))
        .unwrap()
        .ino();
    let v = json(&sb.nsipc("ipcs", &["-J", "--all-namespaces", "-q"]));
    let mine: Vec<&Value> = array(&v, "namespaces")
        .iter()
        .filter(|n| n["ipcns"] == own)
        .collect();
    assert_eq!(mine.len(), 1);
    // (Its holder may be this very ipcs after a pid wrap-around.)
    assert!(mine[0]["nspid"].is_u64());
    assert!(mine[0]["nscommand"].is_string());
    assert_eq!(array(mine[0], "messages")[0]["key"], "0x00001234");
}

#[test]
fn bad_combinations_are_refused_and_change_nothing() {
    require_namespaces!();
    let w = world();
    let state = || {
        w.sb.sh_ok(&format!(
            "cat /proc/sysvipc/*; /usr/bin/nsenter --ipc=/proc/{}/ns/ipc cat /proc/sysvipc/*",
            w.a.pid()
        ))
    };
    let before = state();
    for (tool, args, message) in [
        (
            "ipcs",
            &["--all-namespaces", "-q", "-i", "0"][..],
            "ipcs: options --all-namespaces and --id cannot be combined\n",
        ),
        (
            "ipcs",
            &["--all-namespaces", "--namespace=1"],
            "ipcs: options --all-namespaces and --namespace cannot be combined\n",
        ),
        (
            "lsipc",
            &["--all-namespaces", "-Q"],
            "lsipc: options --all-namespaces and --posix-mqueues cannot be combined\n",
        ),
        (
            "lsipc",
            &["--all-namespaces", "-M"],
            "lsipc: options --all-namespaces and --posix-shmems cannot be combined\n",
        ),
        (
            "lsipc",
            &["-S", "--all-namespaces"],
            "lsipc: options --all-namespaces and --posix-semaphores cannot be combined\n",
        ),
        (
            "lsipc",
            &["--all-namespaces", "-m", "-i", "0"],
            "lsipc: options --all-namespaces and --id cannot be combined\n",
        ),
        (
            "lsipc",
            &["--all-namespaces", "-q", "--namespace=1"],
            "lsipc: options --all-namespaces and --namespace cannot be combined\n",
        ),
        (
            "lsipc",
            &["-q", "-o", "KEY,IPCNS"],
            "lsipc: column IPCNS needs --all-namespaces\n",
        ),
    ] {
        let out = w.sb.nsipc(tool, args);
        assert_eq!(stderr(&out), message, "{tool} {args:?}");
        assert_eq!(out.status.code(), Some(1), "{tool} {args:?}");
        assert!(out.stdout.is_empty(), "{tool} {args:?}");
    }
    assert_eq!(state(), before, "a refused command changed something");

    // Unprivileged: our own namespace is shown, one we cannot enter is
    // reported, and the exit status says the list is incomplete.
    let out = w.sb.nsipc_as("ipcs", &["--all-namespaces", "-q"], ALICE);
    assert_eq!(out.status.code(), Some(1));
    let s = w.sandbox_ino();
    assert!(
        stdout(&out).starts_with(&format!("------ IPC namespace {s} "))
            || stdout(&out).contains(&format!("\n------ IPC namespace {s} ")),
        "{}",
        stdout(&out)
    );
    // Namespaces of other users' processes are not even visible (as with
    // lsns); the bind-mounted one is, but cannot be entered.
    let denied = format!(
        "ipcs: cannot enter IPC namespace {}: Operation not permitted\n",
        w.c_ino
    );
    assert!(stderr(&out).contains(&denied), "{}", stderr(&out));
    assert!(!stdout(&out).contains(&format!("namespace {} ", w.a.ino)));
    let out =
        w.sb.nsipc_as("lsipc", &["--all-namespaces", "-q", "-J"], ALICE);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(array(&v, "messages")
        .iter()
        .any(|r| r["ipcns"] == s.to_string().as_str()));
    // Help lists the new options.
    let help = stdout(&w.sb.nsipc("ipcs", &["--help"]));
    assert!(help.contains("--all-namespaces"), "{help}");
    assert!(help.contains("-J, --json"), "{help}");
}
