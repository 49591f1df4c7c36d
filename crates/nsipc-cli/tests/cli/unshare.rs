//! unshare: every option, against util-linux 2.38.1 where it has the same
//! feature (identical stdout, stderr and exit status after normalising
//! namespace inodes and PIDs), explicit expectations otherwise.
//!
//! Every test runs inside a `Sandbox` (private IPC, mount and UTS
//! namespaces), so persistence bind mounts, hostnames and mounts never reach
//! the host; unshare itself then creates further namespaces below it.

use crate::common;

use std::process::Output;

use common::{stderr, stdout, As, Sandbox};

pub(crate) const NOBODY: As = As {
    uid: Some(65534),
    gid: Some(65534),
};

/// Replaces what differs between two runs: `ns:[inode]` and `/proc/PID/`.
pub(crate) fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['[', '/']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix('[') {
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            if digits >= 5 && after[digits..].starts_with(']') {
                out.push_str("[INO]");
                rest = &after[digits + 1..];
                continue;
            }
        }
        if let Some(after) = tail.strip_prefix("/proc/") {
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 {
                out.push_str("/proc/PID");
                rest = &after[digits..];
                continue;
            }
        }
        out.push_str(&tail[..1]);
        rest = &tail[1..];
    }
    out.push_str(rest);
    out
}

/// Runs util-linux's and nsipc's unshare with `args` and requires the same
/// normalised stdout and stderr and the same exit status or signal.
pub(crate) fn compare_as(sb: &Sandbox, args: &[&str], creds: As) -> Output {
    common::compare_normalised_with(
        "unshare",
        args,
        sb.nsipc_as("unshare", args, creds),
        |_| sb.util_linux_as("unshare", args, creds),
        normalise,
    )
}

pub(crate) fn compare(sb: &Sandbox, args: &[&str]) -> Output {
    compare_as(sb, args, As::default())
}

/// Runs nsipc's unshare and requires exactly this stdout, stderr and status.
pub(crate) fn expect_as(sb: &Sandbox, args: &[&str], creds: As, out: &str, err: &str, code: i32) {
    let o = sb.nsipc_as("unshare", args, creds);
    assert_eq!(stdout(&o), out, "stdout: {args:?}\nstderr: {}", stderr(&o));
    assert_eq!(stderr(&o), err, "stderr: {args:?}");
    assert_eq!(o.status.code(), Some(code), "status: {args:?}");
}

pub(crate) fn expect(sb: &Sandbox, args: &[&str], out: &str, err: &str, code: i32) {
    expect_as(sb, args, As::default(), out, err, code)
}

/// The inode of the sandbox's own namespace of `kind`.
pub(crate) fn sandbox_ns(sb: &Sandbox, kind: &str) -> String {
    sb.sh_ok(&format!("readlink /proc/self/ns/{kind}"))
}

/// A persistence canary: a file for `--uts=FILE`, checked afterwards to be
/// no mount point (so the failing command created and kept nothing).
pub(crate) struct Canary(String);

impl Canary {
    pub(crate) fn new(sb: &Sandbox, name: &str) -> Canary {
        let path = format!("/tmp/nsipc-unshare-canary-{}-{name}", std::process::id());
        sb.sh_ok(&format!("touch {path}"));
        Canary(path)
    }

    pub(crate) fn arg(&self) -> String {
        format!("--uts={}", self.0)
    }

    pub(crate) fn assert_untouched(&self, sb: &Sandbox) {
        let out = sb.sh(&format!("mountpoint -q {}", self.0));
        assert!(!out.status.success(), "{} was bind-mounted", self.0);
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn usage_errors_match_util_linux_and_create_nothing() {
    require_namespaces!();
    let sb = Sandbox::new();
    let canary = Canary::new(&sb, "usage");
    let c = canary.arg();
    for args in [
        vec![&c[..], "--bogus"],
        vec![&c[..], "-x"],
        vec![&c[..], "-m/path"],
        vec![&c[..], "--map-u=1", "true"],
        vec![&c[..], "--help=3"],
        vec![&c[..], "-S"],
        vec![&c[..], "--kill-child=10", "true"],
        vec![&c[..], "--kill-child=NOSUCH", "true"],
        vec![&c[..], "--propagation=foo", "true"],
        vec![&c[..], "--setgroups=maybe", "true"],
        vec![&c[..], "-S", "abc", "true"],
        vec![&c[..], "-G", "1x", "true"],
        vec![&c[..], "-T", "--monotonic=x", "true"],
        vec![&c[..], "-T", "--boottime", "", "true"],
    ] {
        compare(&sb, &args);
    }
    // util-linux checks this after unshare(2) (2.38.1 even after failing to
    // persist): same message, but nsipc checks first.
    compare(&sb, &["--setgroups=allow", "--map-group=0", "true"]);
    expect(
        &sb,
        &[&c, "--setgroups=allow", "-r", "true"],
        "",
        "unshare: options --setgroups=allow and --map-group are mutually exclusive\n",
        1,
    );
    canary.assert_untouched(&sb);
}

#[test]
fn usage_errors_of_master_and_nsipc() {
    require_namespaces!();
    let sb = Sandbox::new();
    let canary = Canary::new(&sb, "master");
    let c = canary.arg();
    let c = &c[..];
    let cases: &[(&[&str], &str)] = &[
        // util-linux master's texts (2.38.1 words these differently).
        (
            &[c, "--monotonic=5", "true"],
            "unshare: options --monotonic and --boottime require unsharing of a time namespace (-T)\n",
        ),
        (
            &[c, "--map-user=nosuchuser", "true"],
            "unshare: failed to parse uid 'nosuchuser': Invalid argument\n",
        ),
        (
            &[c, "--map-group=nosuchgroup", "true"],
            "unshare: failed to parse gid 'nosuchgroup': Invalid argument\n",
        ),
        (
            &[c, "--map-user=4294967296", "true"],
            "unshare: failed to parse uid '4294967296': Numerical result out of range\n",
        ),
        (&[c, "--map-users=bad", "true"], "unshare: invalid mapping 'bad'\n"),
        (&[c, "--map-groups=1:2", "true"], "unshare: invalid mapping '1:2'\n"),
        (&[c, "--map-users=0:0:0", "true"], "unshare: invalid mapping '0:0:0'\n"),
        (
            &[c, "--map-users=4294967295:0:1", "true"],
            "unshare: invalid mapping '4294967295:0:1'\n",
        ),
        (&[c, "--owner=1", "true"], "unshare: failed to parse owner\n"),
        (&[c, "--owner=1:x", "true"], "unshare: failed to parse owner\n"),
        // Out of range ids are refused, not truncated (util-linux runs
        // `-S 4294967297` as uid 1).
        (
            &[c, "-S", "4294967297", "true"],
            "unshare: failed to parse uid: '4294967297': Numerical result out of range\n",
        ),
        (
            &[c, "-G", "4294967298", "true"],
            "unshare: failed to parse gid: '4294967298': Numerical result out of range\n",
        ),
        (
            &[c, "-S", "-1", "true"],
            "unshare: failed to parse uid: '-1': Numerical result out of range\n",
        ),
        (
            &[c, "--boottime=9223372036854775808", "-T", "true"],
            "unshare: failed to parse boottime offset: '9223372036854775808': Numerical result out of range\n",
        ),
        (
            &[c, &format!("--hostname={}", "x".repeat(65)), "true"],
            &format!(
                "unshare: hostname too long (at most 64 bytes): '{}'\n",
                "x".repeat(65)
            ),
        ),
    ];
    for (args, err) in cases {
        expect(&sb, args, "", err, 1);
    }
    // nsipc's extra options make `--mou` ambiguous among more names.
    expect(
        &sb,
        &[c, "--mou", "true"],
        "",
        "unshare: option '--mou' is ambiguous; possibilities: '--mount' '--mount-proc' \
         '--mount-binfmt' '--mount-mqueue' '--mount-shm'\nTry 'unshare --help' for more information.\n",
        1,
    );
    canary.assert_untouched(&sb);
}

#[test]
fn help_and_version() {
    require_namespaces!();
    let sb = Sandbox::new();
    let out = sb.nsipc("unshare", &["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = stdout(&out);
    assert!(help.starts_with("\nUsage:\n unshare [options] [<program> [<argument>...]]\n"));
    for opt in [
        "-m, --mount[=<file>]",
        "-T, --time[=<file>]",
        "--kill-child[=<signame>]",
        "--forward-signals",
        "--mount-binfmt[=<dir>]",
        "-l, --load-interp <string>",
        "--map-users <map>",
        "<inner>:<outer>:<count>, auto, subids or all",
        "--owner <uid>:<gid>",
        "--clear-env",
        "--whitelist-env <list>",
        "--mount-mqueue[=<dir>]",
        "--mount-shm[=<dir>]",
        "--hostname <name>",
        "--domainname <name>",
    ] {
        assert!(help.contains(opt), "--help lacks {opt}");
    }
    assert!(help.ends_with("For more details see unshare(1).\n"));
    // Help stops parsing at once, even after a bad value later on.
    let out = sb.nsipc("unshare", &["-h", "--bogus"]);
    assert_eq!(out.status.code(), Some(0));
    let out = sb.nsipc("unshare", &["-V"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("unshare from util-linux"));
}

#[test]
fn each_flag_makes_a_new_namespace() {
    require_namespaces!();
    let sb = Sandbox::new();
    for (flag, kind) in [
        ("-m", "mnt"),
        ("-u", "uts"),
        ("-i", "ipc"),
        ("-n", "net"),
        ("-U", "user"),
        ("-C", "cgroup"),
        ("-T", "time"),
        ("--mount", "mnt"),
        ("--ipc", "ipc"),
    ] {
        let out = compare(&sb, &[flag, "readlink", &format!("/proc/self/ns/{kind}")]);
        assert_eq!(out.status.code(), Some(0));
        assert_ne!(stdout(&out), sandbox_ns(&sb, kind), "{flag}");
        assert!(stdout(&out).starts_with(&format!("{kind}:[")));
    }
    // A pid namespace holds only children: -f.
    let out = compare(&sb, &["-fp", "readlink", "/proc/self/ns/pid"]);
    assert_ne!(stdout(&out), sandbox_ns(&sb, "pid"));
    // Several at once; the others stay shared.
    let out = compare(
        &sb,
        &[
            "-iu",
            "readlink",
            "/proc/self/ns/ipc",
            "/proc/self/ns/uts",
            "/proc/self/ns/net",
        ],
    );
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_ne!(lines[0], sandbox_ns(&sb, "ipc").trim());
    assert_ne!(lines[1], sandbox_ns(&sb, "uts").trim());
    assert_eq!(lines[2], sandbox_ns(&sb, "net").trim());
}

#[test]
fn hostname_stays_inside() {
    require_namespaces!();
    let sb = Sandbox::new();
    compare(&sb, &["-u", "sh", "-c", "hostname container001; hostname"]);
    assert_eq!(sb.sh_ok("hostname"), "nsipc-test\n");
}

#[test]
fn uts_options_set_names_in_a_new_namespace_only() {
    require_namespaces!();
    let sb = Sandbox::new();
    let out = sb.nsipc(
        "unshare",
        &[
            "--hostname=container001",
            "--domainname=example.org",
            "sh",
            "-c",
            "cat /proc/sys/kernel/hostname /proc/sys/kernel/domainname; readlink /proc/self/ns/uts",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(&lines[..2], ["container001", "example.org"]);
    assert_ne!(format!("{}\n", lines[2]), sandbox_ns(&sb, "uts"));
    // The sandbox keeps its own name.
    assert_eq!(sb.sh_ok("hostname"), "nsipc-test\n");
}

#[test]
fn time_offsets_are_set_in_a_new_time_namespace() {
    require_namespaces!();
    let sb = Sandbox::new();
    compare(
        &sb,
        &[
            "-T",
            "--monotonic",
            "100",
            "--boottime=200",
            "cat",
            "/proc/self/timens_offsets",
        ],
    );
    // Negative offsets (util-linux >= 2.40).
    expect(
        &sb,
        &["-T", "--monotonic=-5", "cat", "/proc/self/timens_offsets"],
        "monotonic          -5         0\nboottime            0         0\n",
        "",
        0,
    );
}

#[test]
fn fork_pid_makes_the_program_pid_1_with_its_own_proc() {
    require_namespaces!();
    let sb = Sandbox::new();
    compare(
        &sb,
        &[
            "-fp",
            "--mount-proc",
            "sh",
            "-c",
            "echo $$; cat /proc/1/comm",
        ],
    );
    compare(&sb, &["-r", "-fp", "--mount-proc", "sh", "-c", "echo $$"]);
    let dir = format!("/tmp/nsipc-unshare-proc-{}", std::process::id());
    sb.sh_ok(&format!("mkdir -p {dir}"));
    compare(
        &sb,
        &[
            "-fp",
            &format!("--mount-proc={dir}"),
            "cat",
            &format!("{dir}/1/comm"),
        ],
    );
    // The sandbox's /proc is untouched.
    assert_ne!(sb.sh_ok("cat /proc/1/comm"), "cat\n");
}

#[test]
fn propagation_matches_util_linux() {
    require_namespaces!();
    let sb = Sandbox::new();
    let root = "awk '$5 == \"/\" { for (i = 7; $i != \"-\"; i++) if ($i ~ /:/) { sub(/:.*/, \"\", $i); print $i } }' /proc/self/mountinfo";
    for p in ["shared", "slave", "private", "unchanged"] {
        compare(
            &sb,
            &["-m", &format!("--propagation={p}"), "sh", "-c", root],
        );
    }
}

#[test]
fn persistent_namespaces_outlive_their_process() {
    require_namespaces!();
    let sb = Sandbox::new();
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().display().to_string();
    sb.sh_ok(&format!("mkdir -p {base} && touch {base}/uts {base}/ipc {base}/mnt {base}/pid {base}/user {base}/net {base}/time {base}/cgroup"));
    // A UTS namespace kept by a file, joined again by nsenter.
    let out = sb.nsipc(
        "unshare",
        &[&format!("--uts={base}/uts"), "--hostname=persisted", "true"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        sb.sh_ok(&format!("/usr/bin/nsenter --uts={base}/uts hostname")),
        "persisted\n"
    );
    // Mount and user namespaces need the helper that stays outside.
    for (opt, kind) in [
        ("--user", "user"),
        ("--ipc", "ipc"),
        ("--net", "net"),
        ("--time", "time"),
        ("--cgroup", "cgroup"),
    ] {
        let args = [
            &format!("{opt}={base}/{kind}")[..],
            "readlink",
            &format!("/proc/self/ns/{kind}"),
        ];
        let out = sb.nsipc("unshare", &args);
        assert_eq!(out.status.code(), Some(0), "{opt}: {}", stderr(&out));
        let inode = sb.sh_ok(&format!("stat -L -c %i {base}/{kind}"));
        assert_eq!(
            stdout(&out),
            format!("{kind}:[{}]\n", inode.trim()),
            "{opt}"
        );
    }
    // A mount namespace file may only be bound into an older mount namespace
    // (the kernel's loop check compares namespace ids). Since Linux 6.18 ids
    // are handed out in per-CPU batches, so a namespace made on one CPU can
    // get a smaller id than an older one made on another, and the bind fails
    // with EINVAL — util-linux alike. Making both namespaces on one CPU
    // keeps the ids in creation order.
    let script = format!(
        "taskset -c 0 /usr/bin/unshare -m --propagation private sh -c \
         '\"$NSIPC\" unshare --mount={base}/mnt readlink /proc/self/ns/mnt && stat -L -c mnt:[%i] {base}/mnt'"
    );
    let text = sb.sh_ok(&script);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert_eq!(
        lines[0], lines[1],
        "--mount: the bound file is the new namespace"
    );
    // pid: only children enter it, so without -f there is nothing to bind.
    compare(&sb, &[&format!("--pid={base}/pid"), "true"]);
    let out = sb.nsipc(
        "unshare",
        &[
            &format!("--pid={base}/pid"),
            "-f",
            "readlink",
            "/proc/self/ns/pid",
        ],
    );
    let inode = sb.sh_ok(&format!("stat -L -c %i {base}/pid"));
    assert_eq!(stdout(&out), format!("pid:[{}]\n", inode.trim()));
    // A target that does not exist.
    let out = sb.nsipc("unshare", &[&format!("--ipc={base}/missing"), "true"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        normalise(&stderr(&out)),
        format!(
            "unshare: mount /proc/PID/ns/ipc on {base}/missing failed: No such file or directory\n"
        )
    );
}

#[test]
fn mqueue_and_shm_mounts_show_the_new_namespace() {
    require_namespaces!();
    let sb = Sandbox::new();
    sb.sh_ok("touch /dev/mqueue/outer /dev/shm/outer");
    let out = sb.nsipc(
        "unshare",
        &[
            "--mount-mqueue",
            "--mount-shm",
            "sh",
            "-c",
            "ls -A /dev/mqueue /dev/shm; touch /dev/mqueue/inner; ls /dev/mqueue",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "/dev/mqueue:\n\n/dev/shm:\ninner\n");
    // The outer namespace is unchanged.
    assert_eq!(
        sb.sh_ok("ls /dev/mqueue /dev/shm"),
        "/dev/mqueue:\nouter\n\n/dev/shm:\nouter\n"
    );
    // --mount-mqueue implies --ipc and --mount.
    let out = sb.nsipc(
        "unshare",
        &[
            "--mount-mqueue=/dev/mqueue",
            "readlink",
            "/proc/self/ns/ipc",
            "/proc/self/ns/mnt",
        ],
    );
    let text = stdout(&out);
    let mut lines = text.lines();
    assert_ne!(
        format!("{}\n", lines.next().unwrap()),
        sandbox_ns(&sb, "ipc")
    );
    assert_ne!(
        format!("{}\n", lines.next().unwrap()),
        sandbox_ns(&sb, "mnt")
    );
}

#[test]
fn mount_binfmt_mounts_a_private_binfmt_misc() {
    require_namespaces!();
    let sb = Sandbox::new();
    expect(
        &sb,
        &["--mount-binfmt", "-fp", "ls", "/proc/sys/fs/binfmt_misc"],
        "register\nstatus\n",
        "",
        0,
    );
    expect(
        &sb,
        &[
            "-r",
            "-fp",
            "-l",
            ":nsipctest:E::nsipc::/bin/sh:",
            "cat",
            "/proc/sys/fs/binfmt_misc/nsipctest",
        ],
        "enabled\ninterpreter /bin/sh\nflags: \nextension .nsipc\n",
        "",
        0,
    );
}
