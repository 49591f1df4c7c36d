//! unshare: every option, against util-linux 2.38.1 where it has the same
//! feature (identical stdout, stderr and exit status after normalising
//! namespace inodes and PIDs), explicit expectations otherwise.
//!
//! Every test runs inside a `Sandbox` (private IPC, mount and UTS
//! namespaces), so persistence bind mounts, hostnames and mounts never reach
//! the host; unshare itself then creates further namespaces below it.

use crate::common;

use std::io::{BufRead, BufReader};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Output, Stdio};

use common::{stderr, stdout, As, Sandbox};

const NOBODY: As = As {
    uid: Some(65534),
    gid: Some(65534),
};

/// Replaces what differs between two runs: `ns:[inode]` and `/proc/PID/`.
fn normalise(text: &str) -> String {
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
fn compare_as(sb: &Sandbox, args: &[&str], creds: As) -> Output {
    let ours = sb.nsipc_as("unshare", args, creds);
    if common::util_linux_bin("unshare").is_some() {
        let theirs = sb.util_linux_as("unshare", args, creds);
        common::assert_same_normalised("unshare", args, &theirs, &ours, normalise);
    }
    ours
}

fn compare(sb: &Sandbox, args: &[&str]) -> Output {
    compare_as(sb, args, As::default())
}

/// Runs nsipc's unshare and requires exactly this stdout, stderr and status.
fn expect_as(sb: &Sandbox, args: &[&str], creds: As, out: &str, err: &str, code: i32) {
    let o = sb.nsipc_as("unshare", args, creds);
    assert_eq!(stdout(&o), out, "stdout: {args:?}\nstderr: {}", stderr(&o));
    assert_eq!(stderr(&o), err, "stderr: {args:?}");
    assert_eq!(o.status.code(), Some(code), "status: {args:?}");
}

fn expect(sb: &Sandbox, args: &[&str], out: &str, err: &str, code: i32) {
    expect_as(sb, args, As::default(), out, err, code)
}

/// The inode of the sandbox's own namespace of `kind`.
fn sandbox_ns(sb: &Sandbox, kind: &str) -> String {
    sb.sh_ok(&format!("readlink /proc/self/ns/{kind}"))
}

/// A persistence canary: a file for `--uts=FILE`, checked afterwards to be
/// no mount point (so the failing command created and kept nothing).
struct Canary(String);

impl Canary {
    fn new(sb: &Sandbox, name: &str) -> Canary {
        let path = format!("/tmp/nsipc-unshare-canary-{}-{name}", std::process::id());
        sb.sh_ok(&format!("touch {path}"));
        Canary(path)
    }

    fn arg(&self) -> String {
        format!("--uts={}", self.0)
    }

    fn assert_untouched(&self, sb: &Sandbox) {
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
fn maps_for_root_and_users() {
    require_namespaces!();
    let sb = Sandbox::new();
    let show = [
        "cat",
        "/proc/self/uid_map",
        "/proc/self/gid_map",
        "/proc/self/setgroups",
    ];
    for creds in [As::default(), NOBODY] {
        for opts in [
            vec!["-r"],
            vec!["-c"],
            vec!["--map-user=0"],
            vec!["--map-group=0"],
            vec!["--map-user=1001", "--map-group=staffers"],
            vec!["-U"],
            vec!["-U", "--setgroups=deny"],
            vec!["-U", "--setgroups=allow"],
        ] {
            let args: Vec<&str> = opts.iter().copied().chain(show).collect();
            let out = compare_as(&sb, &args, creds);
            assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        }
        compare_as(&sb, &["-r", "id", "-u"], creds);
        // setgroups cannot change once the gid map is written: both fail.
        compare_as(&sb, &["-r", "--setgroups=deny", "true"], creds);
    }
}

#[test]
fn map_ranges_of_unprivileged_users_go_through_newuidmap() {
    require_namespaces!();
    let sb = Sandbox::new();
    // Both run newuidmap, which refuses ranges not in /etc/subuid.
    let out = compare_as(&sb, &["--map-users=100000,0,10", "/bin/true"], NOBODY);
    assert_eq!(out.status.code(), Some(1));
    // Without newuidmap in PATH: util-linux's exec failure, status 127.
    let run = |bin: std::path::PathBuf| {
        sb.command_as(bin, NOBODY)
            .arg0("unshare")
            .args(["--map-users=100000,0,10", "/bin/true"])
            .env("PATH", "/nonexistent")
            .output()
            .unwrap()
    };
    let ours = run(common::nsipc_bin());
    assert_eq!(
        stderr(&ours),
        "unshare: failed to execute newuidmap: No such file or directory\n"
    );
    assert_eq!(ours.status.code(), Some(127));
    if let Some(theirs) = common::util_linux_bin("unshare") {
        common::assert_same("unshare", &[], &run(theirs), &ours);
    }
}

#[test]
fn map_ranges_written_by_root() {
    require_namespaces!();
    let sb = Sandbox::new();
    let show = ["cat", "/proc/self/uid_map", "/proc/self/gid_map"];
    let cases: &[(&[&str], &str)] = &[
        (
            &["-r", "--map-users=1:100000:10", "--map-groups=100000,1,10"],
            "         0          0          1\n         1     100000         10\n         0          0          1\n         1     100000         10\n",
        ),
        // The single mapping wins and splits the range it overlaps.
        (
            &["--map-user=5", "--map-users=0:100000:10", "--map-groups=0:200000:3"],
            "         5          0          1\n         0     100000          5\n         6     100005          4\n         0     200000          3\n",
        ),
        // Repeatable, in command-line order.
        (
            &["--map-users=0:100000:10", "--map-users=10:200000:5", "--map-groups=0:0:1"],
            "         0     100000         10\n        10     200000          5\n         0          0          1\n",
        ),
        (
            &["--map-users=all", "--map-groups=all"],
            "         0          0 4294967295\n         0          0 4294967295\n",
        ),
    ];
    for (opts, want) in cases {
        let args: Vec<&str> = opts.iter().copied().chain(show).collect();
        expect(&sb, &args, want, "", 0);
    }
}

#[test]
fn subordinate_id_maps() {
    require_namespaces!();
    let sb = Sandbox::new();
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("sub");
    std::fs::write(&sub, "# test\nalice:5:5\n0:100000:65536\nroot:1:1\n").unwrap();
    // Private copies over /etc/subuid and /etc/subgid, in the sandbox's
    // mount namespace only.
    for f in ["/etc/subuid", "/etc/subgid"] {
        if !std::path::Path::new(f).exists() {
            eprintln!("{f} missing: subordinate id test skipped");
            assert!(!common::on_ci(), "{f} must exist on CI");
            return;
        }
        sb.sh_ok(&format!("mount --bind {} {f}", sub.display()));
    }
    let show = ["cat", "/proc/self/uid_map", "/proc/self/gid_map"];
    let cases: &[(&[&str], &str)] = &[
        (
            &["-r", "--map-auto"],
            "         0          0          1\n         1     100000      65536\n         0          0          1\n         1     100000      65536\n",
        ),
        (
            &["--map-subids"],
            "    100000     100000      65536\n    100000     100000      65536\n",
        ),
        (
            &["--map-users=auto", "--map-groups=subids"],
            "         0     100000      65536\n    100000     100000      65536\n",
        ),
    ];
    for (opts, want) in cases {
        let args: Vec<&str> = opts.iter().copied().chain(show).collect();
        expect(&sb, &args, want, "", 0);
    }
    std::fs::write(&sub, "alice:5:5\n").unwrap();
    expect(
        &sb,
        &["--map-auto", "true"],
        "",
        "unshare: no line matching user \"root\" in /etc/subuid\n",
        1,
    );
}

#[test]
fn time_offsets() {
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
fn exit_status_and_signals() {
    require_namespaces!();
    let sb = Sandbox::new();
    for args in [
        &["-i", "sh", "-c", "exit 7"][..],
        &["-if", "sh", "-c", "exit 7"],
        &["-if", "sh", "-c", "kill -TERM $$"],
        &["-if", "sh", "-c", "kill -SEGV $$"],
        &["-i", "sh", "-c", "kill -TERM $$"],
        &["-i", "nosuchprogram"],
        &["-i", "/etc/passwd"],
        &["-if", "nosuchprogram"],
    ] {
        compare(&sb, args);
    }
    // SIGKILL: unshare dies by it too (2.38.1 printed an error, #2614).
    let out = sb.nsipc("unshare", &["-if", "sh", "-c", "kill -KILL $$"]);
    assert_eq!(out.status.signal(), Some(libc::SIGKILL));
    assert_eq!(stderr(&out), "");
    // The shell sees 128+N.
    assert_eq!(
        sb.sh_ok("\"$NSIPC\" unshare -if sh -c 'kill -TERM $$'; echo $?")
            .trim_end(),
        "143"
    );
}

#[test]
fn login_shell_without_program() {
    require_namespaces!();
    let sb = Sandbox::new();
    let out = sb
        .command(common::nsipc_bin())
        .arg0("unshare")
        .arg("-i")
        .env("SHELL", "/bin/sh")
        .stdin(std::fs::File::open("/dev/null").unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    // Without $SHELL (cleared), the password database's shell (/bin/sh for
    // root in the sandbox), as a login shell.
    let out = sb.sh_ok("echo 'echo $0' | \"$NSIPC\" unshare --clear-env -i");
    assert_eq!(out, "-sh\n");
    let out = sb.sh_ok("echo 'echo $0' | SHELL=/bin/sh /usr/bin/unshare -i; echo 'echo $0' | SHELL=/bin/sh \"$NSIPC\" unshare -i");
    assert_eq!(out, "-sh\n-sh\n");
}

#[test]
fn environment() {
    require_namespaces!();
    let sb = Sandbox::new();
    let run = |args: &[&str]| {
        let out = sb
            .command(common::nsipc_bin())
            .arg0("unshare")
            .args(args)
            .env("FOO", "1")
            .env("BAR", "2")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stdout(&out)
    };
    assert_eq!(run(&["--clear-env", "/usr/bin/env"]), "");
    assert_eq!(
        run(&[
            "--whitelist-env",
            "FOO,NOPE",
            "--whitelist-env=BAR",
            "/usr/bin/env"
        ]),
        // Last listed first, as util-linux master.
        "BAR=2\nFOO=1\n"
    );
    // Only unset names: an empty environment. util-linux master keeps the
    // whole environment then (its list stays empty, so it never clears).
    assert_eq!(run(&["--whitelist-env=NOPE", "/usr/bin/env"]), "");
    assert_eq!(run(&["--whitelist-env=", "/usr/bin/env"]), "");
    // A name listed again counts where it was listed last.
    assert_eq!(
        run(&["--whitelist-env=FOO,BAR,FOO", "/usr/bin/env"]),
        "FOO=1\nBAR=2\n"
    );
    assert!(run(&["-i", "/usr/bin/env"]).contains("FOO=1\n"));
}

#[test]
fn no_descriptor_leaks_into_the_program() {
    require_namespaces!();
    let sb = Sandbox::new();
    let file = format!("/tmp/nsipc-unshare-fd-{}", std::process::id());
    sb.sh_ok(&format!("touch {file}"));
    // ls of the shell's table, without a pipe (sh would hold its ends).
    let list = "ls /proc/$$/fd";
    for args in [
        vec!["-i", "sh", "-c", list],
        vec![
            "-f",
            "--kill-child",
            "-r",
            "--map-users=1:100000:10",
            "sh",
            "-c",
            list,
        ],
        vec!["--forward-signals", "-T", "--monotonic=1", "sh", "-c", list],
        vec![
            "-m",
            "--ipc",
            "--mount-mqueue",
            "--mount-shm",
            "--mount-proc",
            "-fp",
            "sh",
            "-c",
            list,
        ],
    ] {
        let mut args = args;
        let persist = format!("--uts={file}");
        args.insert(0, &persist);
        let mut cmd = sb.command(common::nsipc_bin());
        // SAFETY: close_range is a plain syscall; it leaves the caller with
        // exactly stdin, stdout and stderr, whatever the test runner holds.
        unsafe {
            cmd.pre_exec(|| {
                libc::syscall(libc::SYS_close_range, 3u32, u32::MAX, 0u32);
                Ok(())
            });
        }
        let out = cmd
            .arg0("unshare")
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "0\n1\n2\n", "{args:?}");
        sb.sh_ok(&format!("umount {file}"));
    }
}

#[test]
fn root_and_working_directory() {
    require_namespaces!();
    let sb = Sandbox::new();
    compare(&sb, &["-w", "/tmp", "pwd"]);
    compare(&sb, &["-R", "/", "pwd"]);
    compare(&sb, &["-R", "/", "-w", "/etc", "pwd"]);
    expect(
        &sb,
        &["-w", "/nonexistent", "true"],
        "",
        "unshare: cannot change directory to /nonexistent: No such file or directory\n",
        1,
    );
    expect(
        &sb,
        &["-R", "/nonexistent", "true"],
        "",
        "unshare: cannot change root directory to '/nonexistent': No such file or directory\n",
        1,
    );
}

#[test]
fn credentials() {
    require_namespaces!();
    let sb = Sandbox::new();
    compare(
        &sb,
        &[
            "-S",
            "1001",
            "-G",
            "1002",
            "sh",
            "-c",
            "id -u; id -g; id -G",
        ],
    );
    compare(&sb, &["-r", "-S", "0", "-G", "0", "id", "-u"]);
    compare(
        &sb,
        &[
            "-r",
            "--keep-caps",
            "-S",
            "0",
            "grep",
            "^Cap",
            "/proc/self/status",
        ],
    );
    compare_as(
        &sb,
        &["-r", "--keep-caps", "grep", "^CapAmb", "/proc/self/status"],
        NOBODY,
    );
    expect(
        &sb,
        &["-U", "-S", "5", "true"],
        "",
        "unshare: setuid() failed: Invalid argument\n",
        1,
    );
    // --owner: the user namespace is created as 1001:1002; the single
    // mapping is written from outside by the helper.
    expect(
        &sb,
        &[
            "--owner=1001:1002",
            "--map-user=0",
            "--map-group=0",
            "cat",
            "/proc/self/uid_map",
            "/proc/self/gid_map",
        ],
        "         0          0          1\n         0          0          1\n",
        "",
        0,
    );
}

#[test]
fn unprivileged_failure_matches_util_linux() {
    require_namespaces!();
    let sb = Sandbox::new();
    // stderr is not a terminal: exactly util-linux's message, no hint.
    let out = compare_as(&sb, &["-i", "true"], NOBODY);
    assert_eq!(
        stderr(&out),
        "unshare: unshare failed: Operation not permitted\n"
    );
    // With a user namespace an unprivileged user gets everything.
    compare_as(&sb, &["-r", "-iu", "hostname"], NOBODY);
}

#[test]
fn eperm_hint_on_a_terminal() {
    require_namespaces!();
    let sb = Sandbox::new();
    // `script` gives the program a terminal.
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(!common::on_ci(), "script(1) must be installed on CI");
        return;
    }
    let out = sb
        .command_as("script", NOBODY)
        .args(["-qec"])
        .arg(format!("{} unshare -i true", common::nsipc_bin().display()))
        .arg("/dev/null")
        .env("NSIPC", common::nsipc_bin())
        .output()
        .unwrap();
    let text = stdout(&out).replace('\r', "");
    assert_eq!(
        text,
        "unshare: unshare failed: Operation not permitted\nunshare: hint: unprivileged users \
         can add -r/--map-root-user to create a user namespace first\n"
    );
}

#[test]
fn pid_namespace_and_proc() {
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
fn propagation() {
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
fn persistent_namespaces() {
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
fn binfmt_misc() {
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

/// Waits (bounded) for a line on the child's stdout.
fn read_line(reader: &mut impl BufRead) -> String {
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    line
}

#[test]
fn kill_child_leaves_no_orphan() {
    require_namespaces!();
    let sb = Sandbox::new();
    let mut child = sb
        .command(common::nsipc_bin())
        .arg0("unshare")
        .args(["--kill-child", "-i", "sh", "-c", "echo $$; exec sleep 1000"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let grandchild: i32 = read_line(&mut out).trim().parse().unwrap();
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
    child.wait().unwrap();
    // The program got SIGKILL too: its stdout closes and /proc forgets it.
    assert_eq!(read_line(&mut out), "");
    for _ in 0..1000 {
        let state = std::fs::read_to_string(format!("/proc/{grandchild}/stat")).unwrap_or_default();
        if state.is_empty() || state.contains(") Z ") {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    panic!("program {grandchild} survived unshare --kill-child");
}

#[test]
fn forward_signals() {
    require_namespaces!();
    let sb = Sandbox::new();
    for (forward, want) in [(true, Some(42)), (false, Some(0))] {
        let mut cmd = sb.command(common::nsipc_bin());
        cmd.arg0("unshare");
        if forward {
            cmd.arg("--forward-signals");
        } else {
            cmd.arg("-f");
        }
        let mut child = cmd
            .args([
                "-i",
                "sh",
                "-c",
                "trap 'exit 42' TERM; echo ready; read x; exit 0",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        assert_eq!(read_line(&mut out), "ready\n");
        // SAFETY: signalling our own child.
        unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
        // Child::wait closes stdin, which would end `read` before a
        // forwarded signal arrives: hold it open until the child is gone.
        let mut stdin = child.stdin.take();
        if !forward {
            // Blocked in the parent: the child finishes normally and its
            // status is reported.
            drop(stdin.take());
        }
        let status = child.wait().unwrap();
        drop(stdin);
        assert_eq!(status.code(), want, "forward={forward}");
    }
}
