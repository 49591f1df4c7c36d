//! Containers: `CONTAINER`/`CONTAINERID`/`RUNTIME`/`POD` columns,
//! `--container`/`--pod`, and the container in `ipcs --all-namespaces`
//! headers (docs/containers.md).
//!
//! - Against a real podman container (podman + runc + busybox-static; the
//!   image is imported from a local tarball, nothing is downloaded). The
//!   container and image are removed by a Drop guard, also when a check
//!   fails. The message queue is made inside the container's own IPC
//!   namespace; the host's IPC namespace is only read.
//! - Against fixtures of the other runtimes (Docker, containerd/Kubernetes,
//!   CRI-O, nspawn, LXC, rootless podman): real processes moved into real
//!   cgroups named as each runtime names them (a subtree of the cgroup2
//!   hierarchy, removed at the end), and the runtime's state files on
//!   tmpfs mounts in a private mount namespace. Where each file's format
//!   comes from is said at each fixture.
//!
//! On CI a test that cannot run fails.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{nsipc_bin, on_ci, stderr, stdout};
use serde_json::Value;

/// Runs `nsipc TOOL ARGS` on the host (no sandbox: the container is the
/// host's; these commands only read, or act inside the container).
fn nsipc(tool: &str, args: &[&str]) -> Output {
    use std::os::unix::process::CommandExt;
    Command::new(nsipc_bin())
        .arg0(tool)
        .args(args)
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .output()
        .expect("run nsipc")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        stdout(out),
        stderr(out)
    );
    stdout(out)
}

/// Whether this test can run: root, and the tools it needs. On CI a
/// missing one fails the test.
fn can_run(tools: &[&str]) -> bool {
    let root = unsafe { libc::geteuid() } == 0;
    let missing: Vec<&&str> = tools.iter().filter(|t| !Path::new(t).exists()).collect();
    if root && missing.is_empty() {
        return true;
    }
    assert!(
        !on_ci(),
        "container tests need root and {missing:?} on CI (scripts/deps.sh installs them)"
    );
    eprintln!("skipping: needs root and {missing:?}");
    false
}

// ---------------------------------------------------------------------------
// A real podman container

/// A podman image imported from a tarball of busybox-static, and one
/// container of it, both removed on drop.
struct Podman {
    image: String,
    name: String,
    hostname: String,
}

fn podman(args: &[&str]) -> Output {
    Command::new("podman")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run podman")
}

impl Podman {
    fn start(tag: &str) -> Podman {
        let pid = std::process::id();
        let guard = Podman {
            image: format!("localhost/nsipc-test-{tag}-{pid}:1"),
            name: format!("nsipc-test-{tag}-{pid}"),
            hostname: format!("{tag}-host"),
        };
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        std::fs::create_dir_all(root.join("bin")).unwrap();
        std::fs::copy("/bin/busybox", root.join("bin/busybox")).unwrap();
        for link in ["sh", "sleep", "hostname", "cat"] {
            std::os::unix::fs::symlink("busybox", root.join("bin").join(link)).unwrap();
        }
        let tar = dir.path().join("image.tar");
        let out = Command::new("tar")
            .arg("-C")
            .arg(&root)
            .arg("-cf")
            .arg(&tar)
            .arg(".")
            .output()
            .unwrap();
        assert!(out.status.success(), "tar: {}", stderr(&out));
        let out = podman(&["import", tar.to_str().unwrap(), &guard.image]);
        assert!(out.status.success(), "podman import: {}", stderr(&out));
        // runc: crun refuses this VM's hybrid cgroup layout; the rlimits
        // cannot be raised here.
        let out = podman(&[
            "run",
            "-d",
            "--runtime",
            "runc",
            "--ulimit",
            "nofile=1024:1024",
            "--ulimit",
            "nproc=1024:1024",
            "--name",
            &guard.name,
            "--hostname",
            &guard.hostname,
            &guard.image,
            "sleep",
            "1000",
        ]);
        assert!(out.status.success(), "podman run: {}", stderr(&out));
        guard
    }

    /// The container's init pid as podman knows it.
    fn pid(&self) -> String {
        let out = podman(&["inspect", "-f", "{{.State.Pid}}", &self.name]);
        assert!(out.status.success(), "podman inspect: {}", stderr(&out));
        stdout(&out).trim().to_string()
    }
}

impl Drop for Podman {
    fn drop(&mut self) {
        let _ = podman(&["rm", "-f", "-t", "0", &self.name]);
        let _ = podman(&["rmi", "-f", &self.image]);
    }
}

#[test]
fn podman_container_is_named_entered_and_its_queues_listed() {
    if !can_run(&["/usr/bin/podman", "/usr/sbin/runc", "/bin/busybox"]) {
        return;
    }
    let c = Podman::start("web1");
    let pid = c.pid();
    let bin = nsipc_bin();
    let bin = bin.to_str().unwrap();

    // lsns -p PID: the container's own namespaces carry its name.
    let text = ok(&nsipc(
        "lsns",
        &["-p", &pid, "-o", "TYPE,CONTAINER,RUNTIME", "-r", "-n"],
    ));
    for kind in ["uts", "ipc", "mnt", "pid", "net"] {
        let want = format!("{kind} {} podman", c.name);
        assert!(text.lines().any(|l| l == want), "no '{want}' in:\n{text}");
    }
    let v: Value = serde_json::from_str(&ok(&nsipc(
        "lsns",
        &[
            "-p",
            &pid,
            "-t",
            "uts",
            "-o",
            "+CONTAINER,CONTAINERID,RUNTIME,POD",
            "-J",
        ],
    )))
    .unwrap();
    let row = &v["namespaces"][0];
    assert_eq!(row["container"], c.name.as_str());
    assert_eq!(row["runtime"], "podman");
    assert_eq!(row["containerid"].as_str().unwrap().len(), 64);
    assert_eq!(row["pod"], Value::Null);
    let id = row["containerid"].as_str().unwrap().to_string();
    // -Q on a container column.
    let filter = format!("CONTAINER == '{}' and TYPE == 'uts'", c.name);
    assert_eq!(
        ok(&nsipc("lsns", &["-n", "-o", "PID", "-Q", &filter])).trim(),
        pid
    );

    // --container by name and by an id prefix: the init process, the one
    // podman reports.
    for word in [c.name.as_str(), &id[..12]] {
        let arg = format!("--container={word}");
        let out = ok(&nsipc("lsns", &[&arg, "-t", "uts", "-o", "PID", "-n"]));
        assert_eq!(out.trim(), pid, "{arg}");
    }
    let arg = format!("--container={}", c.name);
    assert_eq!(
        ok(&nsipc("nsenter", &[&arg, "-u", "hostname"])).trim(),
        c.hostname
    );
    assert_eq!(
        ok(&nsipc(
            "nsenter",
            &[&format!("--container={}", &id[..20]), "-u", "hostname"]
        ))
        .trim(),
        c.hostname
    );

    // A queue made inside the container's IPC namespace.
    let out = ok(&nsipc(
        "nsenter",
        &[&arg, "-i", bin, "ipcmk", "-Q", "-p", "600"],
    ));
    assert!(out.starts_with("Message queue id: "), "{out}");
    let v: Value = serde_json::from_str(&ok(&nsipc(
        "lsipc",
        &["--all-namespaces", "-q", "-o", "+CONTAINER,RUNTIME", "-J"],
    )))
    .unwrap();
    let mine: Vec<&Value> = v["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["container"] == c.name.as_str())
        .collect();
    assert_eq!(mine.len(), 1, "{v}");
    assert_eq!(mine[0]["runtime"], "podman");
    assert_eq!(mine[0]["nspid"].to_string().trim_matches('"'), pid);
    let key = mine[0]["key"].as_str().unwrap().to_string();
    let text = ok(&nsipc(
        "lsipc",
        &["--all-namespaces", "-q", "-o", "+CONTAINER"],
    ));
    assert!(
        text.lines()
            .any(|l| l.contains(&key) && l.ends_with(&c.name)),
        "{text}"
    );

    // ipcs --all-namespaces: the container's block says so, and holds the queue.
    let text = ok(&nsipc("ipcs", &["--all-namespaces", "-q"]));
    let header = format!(
        "(pid {pid}, sleep 1000; container {}, podman) ------",
        c.name
    );
    let block = text
        .split("------ IPC namespace ")
        .find(|b| b.lines().next().is_some_and(|l| l.ends_with(&header)))
        .unwrap_or_else(|| panic!("no header ending '{header}' in:\n{text}"));
    assert!(block.lines().any(|l| l.starts_with(&key)), "{block}");
    // ipcs/lsipc --container: that namespace only.
    let text = ok(&nsipc("ipcs", &[&arg, "-q"]));
    assert!(text.lines().any(|l| l.starts_with(&key)), "{text}");
    let text = ok(&nsipc(
        "lsipc",
        &[&arg, "-q", "--noheadings", "-r", "-o", "KEY,PERMS"],
    ));
    assert_eq!(text.trim(), format!("{key} rw-------"));
}

#[test]
fn unknown_and_conflicting_container_options() {
    if !can_run(&["/usr/bin/podman", "/usr/sbin/runc", "/bin/busybox"]) {
        return;
    }
    let c = Podman::start("errs");
    for tool in ["nsenter", "lsns", "ipcs", "lsipc"] {
        let out = nsipc(
            tool,
            &["--container=nsipc-no-such-container", "-u", "true"]
                [..if tool == "nsenter" { 3 } else { 1 }],
        );
        assert_eq!(out.status.code(), Some(1), "{tool}");
        let err = stderr(&out);
        assert!(
            err.starts_with(&format!(
                "{tool}: container 'nsipc-no-such-container' not found; running: "
            )),
            "{err}"
        );
        assert!(err.contains(&format!("{} (podman ", c.name)), "{err}");
        assert!(stdout(&out).is_empty());
    }
    let arg = format!("--container={}", c.name);
    let out = nsipc("lsipc", &[&arg, "--all-namespaces"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "lsipc: options --all-namespaces and --container cannot be combined\n"
    );
    let out = nsipc("ipcs", &[&arg, "--namespace=1"]);
    assert_eq!(
        stderr(&out),
        "ipcs: options --namespace and --container cannot be combined\n"
    );
    let out = nsipc("lsns", &[&arg, "-p", "1"]);
    assert_eq!(
        stderr(&out),
        "lsns: options --task and --container cannot be combined\n"
    );
    let out = nsipc("nsenter", &["-t", "1", &arg, "-u", "true"]);
    assert_eq!(
        stderr(&out),
        "nsenter: option --target may be given only once\n"
    );
}
