//! unshare: user namespaces and credentials: id maps (root, users, ranges,
//! subordinate ids), `-S`/`-G`, and the failures of unprivileged callers,
//! compared with util-linux 2.38.1 where both behave the same (helpers in
//! unshare.rs).

use crate::common;

use std::os::unix::process::CommandExt;

use common::{stderr, stdout, As, Sandbox};

use crate::unshare::*;

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
fn setuid_and_setgid_match_util_linux() {
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
