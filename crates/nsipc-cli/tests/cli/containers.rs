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

use crate::common;

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
    // SAFETY: geteuid has no preconditions.
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
    assert_eq!(mine.len(), 1, "{mine:?}");
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
        .unwrap_or_else(|| panic!("no header ending '{header}'"));
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

// ---------------------------------------------------------------------------
// Fixtures of the other runtimes

/// Ids: 64 hex digits, distinct leading digits per fixture.
fn id(prefix: &str) -> String {
    format!("{prefix:0<64}")
}

/// The fixture script: run by `unshare --mount --propagation private`, so
/// its tmpfs mounts over /var/lib, /run and /root (where the runtimes keep
/// their state) and its cgroup2 mount are private; the cgroups it makes
/// under `nsipc-fixture-PID` are real and removed by its EXIT trap.
///
/// File formats:
/// - Docker `containers/<id>/config.v2.json`: moby `container/container.go`
///   (`Container`, saved by `toDisk`): `ID`, `Name` (with a leading `/`),
///   `State`, `Config`, `Driver`…
/// - containerd: the OCI bundle `config.json` (runtime-spec `config.md`)
///   under `/run/containerd/io.containerd.runtime.v2.task/<namespace>/<id>/`
///   with the CRI plugin's annotations (containerd `pkg/cri/annotations`:
///   `io.kubernetes.cri.container-type`, `…container-name`,
///   `…sandbox-name`, `…sandbox-namespace`, `…sandbox-id`).
/// - CRI-O: the same OCI `config.json`, in containers/storage's run root,
///   `/run/containers/storage/overlay-containers/<id>/userdata/`, with
///   CRI-O's annotations (cri-o `pkg/annotations`: `io.kubernetes.container.name`,
///   `io.kubernetes.pod.name`, `io.kubernetes.pod.namespace`,
///   `io.kubernetes.cri-o.ContainerType`).
/// - podman (rootful and rootless): containers/storage
///   `overlay-containers/containers.json` (containers/storage
///   `containers.go`: `id`, `names`, `image`, `layer`, `metadata`,
///   `created`), as on this machine's real podman store.
/// - nspawn / machined: `machine.slice/machine-<unit-escaped name>.scope`
///   (systemd `unit_name_escape`: `-` → `\x2d`); LXC 4+:
///   `lxc.payload.<name>`. Their names are in the cgroup path only.
const FIXTURES: &str = r#"
set -e
base=/sys/fs/cgroup/nsipc-fixture-$$
PIDS=
cleanup() {
    # SIGKILL: a pid namespace's init ignores SIGTERM from outside.
    for p in $PIDS; do kill -KILL "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    for i in $(seq 200); do
        [ -e "$base" ] || break
        find "$base" -depth -type d -exec rmdir {} + 2>/dev/null || true
        sleep 0.05
    done
    if [ -e "$base" ]; then echo "CGROUP LEFT $base" >&2; fi
}
trap cleanup EXIT
[ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] || mount -t cgroup2 none /sys/fs/cgroup
for d in /var/lib /run /root; do mount -t tmpfs -o mode=755 none "$d"; done

# spawn LABEL CGROUP UNSHARE-FLAGS: a process with its own UTS namespace
# (hostname h-LABEL) in cgroup CGROUP.
spawn() {
    mkdir -p "$base/$2"
    unshare $3 sh -c "hostname h-$1; exec sleep 60" &
    p=$!
    echo "$p" > "$base/$2/cgroup.procs"
    PIDS="$PIDS $p"
    echo "PID $1 $p"
}

dk=/var/lib/docker/containers
docker_state() { # id name
    mkdir -p "$dk/$1"
    printf '{"StreamConfig":{},"State":{"Running":true,"Paused":false,"Pid":0,"ExitCode":0},"ID":"%s","Created":"2026-01-01T00:00:00Z","Path":"sleep","Args":["60"],"Config":{"Hostname":"x","Image":"busybox"},"Image":"sha256:0","Name":"/%s","Driver":"overlay2","OS":"linux","RestartCount":0,"MountPoints":{}}' "$1" "$2" > "$dk/$1/config.v2.json"
}
docker_state "$D1" web-docker
# A user's cgroup named like the Docker container (started first, so that
# it would win the init choice if it were taken for the same container).
spawn fake "user.slice/user-1000.slice/user@1000.service/app.slice/docker-$D1.scope" -u
sleep 0.1
spawn docker "system.slice/docker-$D1.scope" -ui
docker_state "$D2" dup
spawn dockerfs "docker/$D2" -u
# Hostile state: a symlink out of /var/lib/docker, a FIFO, broken JSON.
mkdir -p /run/outside "$dk/$D3" "$dk/$D4" "$dk/$D5"
printf '{"Name":"/stolen"}' > /run/outside/config.v2.json
ln -s /run/outside/config.v2.json "$dk/$D3/config.v2.json"
mkfifo "$dk/$D4/config.v2.json"
printf '{"ID":"%s","Name":' "$D5" > "$dk/$D5/config.v2.json"
spawn symlink "system.slice/docker-$D3.scope" -u
spawn fifo "system.slice/docker-$D4.scope" -u
spawn broken "system.slice/docker-$D5.scope" -u

task=/run/containerd/io.containerd.runtime.v2.task/k8s.io
oci() { # file annotations-json
    mkdir -p "$(dirname "$1")"
    printf '{"ociVersion":"1.1.0","process":{"args":["sleep","60"],"cwd":"/"},"root":{"path":"rootfs"},"hostname":"x","annotations":%s,"linux":{"namespaces":[{"type":"pid"},{"type":"ipc"},{"type":"uts"},{"type":"mount"}]}}' "$2" > "$1"
}
pod=kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod0f1e2d3c_1111_2222_3333_444455556666.slice
oci "$task/$C1/config.json" '{"io.kubernetes.cri.container-type":"sandbox","io.kubernetes.cri.sandbox-id":"'"$C1"'","io.kubernetes.cri.sandbox-name":"web-0","io.kubernetes.cri.sandbox-namespace":"shop"}'
spawn sandbox "$pod/cri-containerd-$C1.scope" -u
oci "$task/$C2/config.json" '{"io.kubernetes.cri.container-type":"container","io.kubernetes.cri.container-name":"nginx","io.kubernetes.cri.sandbox-id":"'"$C1"'","io.kubernetes.cri.sandbox-name":"web-0","io.kubernetes.cri.sandbox-namespace":"shop"}'
spawn nginx "$pod/cri-containerd-$C2.scope" -u
oci "$task/$C3/config.json" '{"io.kubernetes.cri.container-type":"container","io.kubernetes.cri.container-name":"redis","io.kubernetes.cri.sandbox-name":"cache-0","io.kubernetes.cri.sandbox-namespace":"shop"}'
spawn redis "kubepods/besteffort/pod0f1e2d3c-aaaa-bbbb-cccc-ddddeeeeffff/$C3" -u
spawn nostate "kubepods/burstable/pod12345678-aaaa-bbbb-cccc-ddddeeeeffff/$K1" -u

oci "/run/containers/storage/overlay-containers/$R1/userdata/config.json" '{"io.kubernetes.container.name":"api","io.kubernetes.pod.name":"api-7","io.kubernetes.pod.namespace":"prod","io.kubernetes.cri-o.ContainerType":"container"}'
spawn crio "kubepods.slice/kubepods-pod99.slice/crio-$R1.scope" -ui

# systemd-nspawn stays in the machine's scope as the parent of the
# container's PID 1 (a new pid namespace): the supervisor is not the init.
cg="$base/machine.slice/machine-my\x2dvm.scope"
mkdir -p "$cg"
unshare -u sh -c "echo \$\$ > '$cg/cgroup.procs'; hostname h-nspawn-supervisor; exec unshare -p -f unshare -u sh -c 'hostname h-nspawn; exec sleep 60'" &
sup=$!
PIDS="$PIDS $sup"
for i in $(seq 300); do
    p=$(pgrep -P "$sup" || true)
    [ -n "$p" ] && [ "$(cat /proc/$p/comm 2>/dev/null)" = sleep ] && break
    sleep 0.01
done
PIDS="$PIDS $p"
echo "PID nspawn $p"
echo "PID supervisor $sup"
spawn lxc lxc.payload.dup -u

store() { # dir id name
    mkdir -p "$1/overlay-containers"
    printf '[{"id":"%s","names":["%s"],"image":"0","layer":"0","metadata":"{\\"name\\":\\"%s\\"}","created":"2026-01-01T00:00:00Z","flags":{"MountLabel":"","ProcessLabel":""}}]' "$2" "$3" "$3" > "$1/overlay-containers/containers.json"
}
store /var/lib/containers/storage "$P1" web-podman
spawn podman "machine.slice/libpod-$P1.scope" -u
home=$(awk -F: '$3 == 0 { print $6; exit }' /etc/passwd)
store "$home/.local/share/containers/storage" "$P2" rootless-web
spawn rootless "user.slice/user-0.slice/user@0.service/user.slice/libpod-$P2.scope" -u

# A later process entering the Docker container from outside (an exec):
# not its init.
sleep 0.2
spawn exec "system.slice/docker-$D1.scope" -u

for p in $PIDS; do
    [ "$p" = "$sup" ] && continue
    for i in $(seq 200); do
        [ "$(cat /proc/$p/comm 2>/dev/null)" = sleep ] && break
        sleep 0.01
    done
done
run() { echo "== $*"; "$NSIPC" "$@" 2>&1 || echo "rc=$?"; }
run lsns -t uts -J -o PID,CONTAINER,CONTAINERID,RUNTIME,POD
run nsenter --container=web-docker -u hostname
run nsenter --container="${D1%%000*}" -u hostname
run nsenter --pod=shop/web-0:nginx -u hostname
run nsenter --pod=shop/web-0 -u hostname
run nsenter --pod=prod/api-7:api -u hostname
run nsenter --container=rootless-web -u hostname
run nsenter --container=my-vm -u hostname
run lsns --container=redis -t uts -n -o CONTAINER,POD
run lsns --container=dup -n
run lsns --pod=shop/nope -n
run nsenter --container=web-docker -i "$NSIPC" ipcmk -Q -p 0600
run ipcs --all-namespaces -q
run lsipc --all-namespaces -q -o IPCNS,NSPID,CONTAINER,RUNTIME,POD -J
"#;

struct Fixture {
    pids: std::collections::HashMap<String, String>,
    sections: std::collections::HashMap<String, String>,
}

fn run_fixtures() -> Fixture {
    let out = Command::new("/usr/bin/unshare")
        .args(["--mount", "--propagation", "private", "sh", "-c", FIXTURES])
        .env("NSIPC", nsipc_bin())
        .env("LC_ALL", "C")
        .envs(IDS.iter().map(|(k, v)| (k, id(v))))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(out.status.success(), "{text}\n{}", stderr(&out));
    assert!(!stderr(&out).contains("CGROUP LEFT"), "{}", stderr(&out));
    let mut pids = std::collections::HashMap::new();
    let mut sections = std::collections::HashMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("PID ") {
            let (label, pid) = rest.split_once(' ').unwrap();
            pids.insert(label.to_string(), pid.to_string());
        } else if let Some(cmd) = line.strip_prefix("== ") {
            current = Some(cmd.to_string());
            sections.insert(cmd.to_string(), String::new());
        } else if let Some(cmd) = &current {
            let s = sections.get_mut(cmd).unwrap();
            s.push_str(line);
            s.push('\n');
        }
    }
    Fixture { pids, sections }
}

const IDS: &[(&str, &str)] = &[
    ("D1", "d1"),
    ("D2", "d2"),
    ("D3", "d3"),
    ("D4", "d4"),
    ("D5", "d5"),
    ("C1", "c1"),
    ("C2", "c2"),
    ("C3", "c3"),
    ("K1", "e1"),
    ("R1", "b1"),
    ("P1", "a1"),
    ("P2", "a2"),
];

impl Fixture {
    fn section(&self, cmd: &str) -> &str {
        self.sections
            .get(cmd)
            .unwrap_or_else(|| panic!("no output of '{cmd}': {:?}", self.sections.keys()))
    }
}

#[test]
fn runtime_fixtures_are_named_and_entered() {
    if !can_run(&["/usr/bin/unshare"]) {
        return;
    }
    let f = run_fixtures();
    let v: Value =
        serde_json::from_str(f.section("lsns -t uts -J -o PID,CONTAINER,CONTAINERID,RUNTIME,POD"))
            .unwrap();
    let rows = v["namespaces"].as_array().unwrap();
    let row = |label: &str| -> [String; 4] {
        let pid = &f.pids[label];
        let r = rows
            .iter()
            .find(|r| r["pid"].as_u64().map(|p| p.to_string()).as_ref() == Some(pid))
            .unwrap_or_else(|| panic!("no uts namespace of {label} (pid {pid}) in {v}"));
        ["container", "containerid", "runtime", "pod"]
            .map(|k| r[k].as_str().unwrap_or("-").to_string())
    };
    let short = |p: &str| id(p)[..12].to_string();
    let expect: &[(&str, [&str; 4])] = &[
        ("docker", ["web-docker", &id("d1"), "docker", "-"]),
        ("dockerfs", ["dup", &id("d2"), "docker", "-"]),
        ("symlink", [&short("d3"), &id("d3"), "docker", "-"]),
        ("fifo", [&short("d4"), &id("d4"), "docker", "-"]),
        ("broken", [&short("d5"), &id("d5"), "docker", "-"]),
        (
            "sandbox",
            [&short("c1"), &id("c1"), "containerd", "shop/web-0"],
        ),
        ("nginx", ["nginx", &id("c2"), "containerd", "shop/web-0"]),
        ("redis", ["redis", &id("c3"), "containerd", "shop/cache-0"]),
        ("nostate", [&short("e1"), &id("e1"), "kubernetes", "-"]),
        ("crio", ["api", &id("b1"), "cri-o", "prod/api-7"]),
        ("nspawn", ["my-vm", "my-vm", "nspawn", "-"]),
        ("supervisor", ["my-vm", "my-vm", "nspawn", "-"]),
        ("lxc", ["dup", "dup", "lxc", "-"]),
        ("podman", ["web-podman", &id("a1"), "podman", "-"]),
        ("rootless", ["rootless-web", &id("a2"), "podman", "-"]),
        ("exec", ["web-docker", &id("d1"), "docker", "-"]),
        ("fake", [&short("d1"), &id("d1"), "docker", "-"]),
    ];
    for (label, want) in expect {
        assert_eq!(row(label), want.map(str::to_string), "{label}");
    }

    // nsenter --container / --pod: the init process (not the later exec).
    for (cmd, host) in [
        ("nsenter --container=web-docker -u hostname", "h-docker"),
        ("nsenter --pod=shop/web-0:nginx -u hostname", "h-nginx"),
        ("nsenter --pod=shop/web-0 -u hostname", "h-sandbox"),
        ("nsenter --pod=prod/api-7:api -u hostname", "h-crio"),
        ("nsenter --container=rootless-web -u hostname", "h-rootless"),
        ("nsenter --container=my-vm -u hostname", "h-nspawn"),
    ] {
        assert_eq!(f.section(cmd), format!("{host}\n"), "{cmd}");
    }
    assert_eq!(
        f.section("lsns --container=redis -t uts -n -o CONTAINER,POD"),
        "redis shop/cache-0\n"
    );
    // The id is also the user's cgroup's: ambiguous, the user's one said.
    let err = f.section("nsenter --container=d1 -u hostname");
    assert!(
        err.starts_with("nsenter: container 'd1' is ambiguous; candidates: ")
            && err.contains("d10000000000 (docker d10000000000, user 1000)")
            && err.contains("web-docker (docker d10000000000)"),
        "{err}"
    );
    // Two containers named dup: an error that lists both.
    let err = f.section("lsns --container=dup -n");
    assert!(
        err.starts_with("lsns: container 'dup' is ambiguous; candidates: dup (docker d20000000000), dup (lxc dup)\n"),
        "{err}"
    );
    assert!(err.ends_with("rc=1\n"), "{err}");
    let err = f.section("lsns --pod=shop/nope -n");
    assert!(
        err.starts_with("lsns: pod 'shop/nope' not found; running: "),
        "{err}"
    );
    assert!(
        err.contains("nginx (containerd c20000000000, pod shop/web-0)"),
        "{err}"
    );

    // The IPC namespaces of the Docker and CRI-O fixtures are theirs.
    let text = f.section("ipcs --all-namespaces -q");
    for (label, what) in [
        ("docker", "container web-docker, docker"),
        ("crio", "container api, cri-o, pod prod/api-7"),
    ] {
        let header = format!("(pid {}, sleep 60; {what}) ------", f.pids[label]);
        assert!(text.lines().any(|l| l.ends_with(&header)), "no '{header}'");
    }
    let v: Value = serde_json::from_str(
        f.section("lsipc --all-namespaces -q -o IPCNS,NSPID,CONTAINER,RUNTIME,POD -J"),
    )
    .unwrap();
    let docker_queues: Vec<&Value> = v["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["nspid"].as_str() == Some(&f.pids["docker"]))
        .collect();
    assert_eq!(docker_queues.len(), 1, "{docker_queues:?}");
    assert_eq!(docker_queues[0]["container"], "web-docker");
    assert_eq!(docker_queues[0]["runtime"], "docker");
    assert_eq!(docker_queues[0]["pod"], Value::Null);
    assert!(f
        .section(&format!(
            "nsenter --container=web-docker -i {} ipcmk -Q -p 0600",
            nsipc_bin().display()
        ))
        .starts_with("Message queue id: "));
}

/// `--container` and `--pod` are nsipc's own: an abbreviation reaches them
/// only when it matches no util-linux option, so util-linux's abbreviations
/// keep their meaning (`ipcs --p` is `--pid`, `ipcs --c` and `lsipc --c`
/// are `--creator`, `nsenter --c` is `--cgroup`), byte for byte.
#[test]
fn util_linux_abbreviations_keep_their_meaning() {
    require_namespaces!();
    let sb = common::Sandbox::new();
    let pid = sb.pid().to_string();
    for (tool, args) in [
        ("ipcs", &["--p"][..]),
        ("ipcs", &["--c"]),
        ("lsipc", &["--c", "-q"]),
        ("nsenter", &["--c", "-t", &pid, "echo", "joined"]),
    ] {
        sb.compare(tool, args);
    }
    // Typed in full, or abbreviated where util-linux has nothing that
    // matches, they are nsipc's.
    for (tool, args, first) in [
        (
            "lsns",
            &["--container"][..],
            "lsns: option '--container' requires an argument",
        ),
        (
            "ipcs",
            &["--po"],
            "ipcs: option '--pod' requires an argument",
        ),
        (
            "nsenter",
            &["--contai=nsipc-nonexistent", "true"],
            "nsenter: container 'nsipc-nonexistent' not found",
        ),
    ] {
        let out = sb.nsipc(tool, args);
        assert_eq!(out.status.code(), Some(1), "{tool} {args:?}");
        let err = stderr(&out);
        assert!(err.starts_with(first), "{tool} {args:?}: {err}");
    }
}
