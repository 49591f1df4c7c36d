//! `unshare --X=FILE` leaves FILE bound only when the program ran: every
//! failure after the namespaces were bound to their files (a working
//! directory or root that cannot be entered, a missing program, a failed
//! mount, another file that cannot be bound) unmounts them again before
//! unshare exits — with and without
//! `--fork`, and when the files were bound from outside a new mount or user
//! namespace. util-linux leaves them bound (a pinned namespace nobody
//! asked for), so the expectations are explicit. `-S`/`-G` 4294967295
//! (`(uid_t) -1`, which only `setuid` refused, at the very end) is refused
//! while parsing.
//!
//! Everything runs in a [`Sandbox`], whose mount namespace keeps the binds
//! away from the host.

use crate::common;

use common::{stderr, stdout, Sandbox};

/// Whether `path` is a mount point in the sandbox.
fn bound(sb: &Sandbox, path: &str) -> bool {
    sb.sh(&format!("mountpoint -q {path}")).status.success()
}

#[test]
fn a_failure_after_binding_unbinds() {
    require_namespaces!();
    let sb = Sandbox::new();
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().display().to_string();
    let uts = format!("{base}/uts");
    let ipc = format!("{base}/ipc");
    sb.sh_ok(&format!("touch {uts} {ipc}"));
    let persist_uts = format!("--uts={uts}");
    let persist_ipc = format!("--ipc={ipc}");
    let no_wd = "unshare: cannot change directory to /nonexistent: No such file or directory\n";
    let no_prog = "unshare: failed to execute /nonexistent: No such file or directory\n";
    let no_root =
        "unshare: cannot change root directory to '/nonexistent': No such file or directory\n";
    let cases: Vec<(Vec<&str>, &str, i32)> = vec![
        (vec!["-w", "/nonexistent", "true"], no_wd, 1),
        (vec!["-R", "/nonexistent", "true"], no_root, 1),
        (vec!["/nonexistent"], no_prog, 127),
        (vec!["-f", "-w", "/nonexistent", "true"], no_wd, 1),
        (vec!["-f", "/nonexistent"], no_prog, 127),
        (vec!["--kill-child", "/nonexistent"], no_prog, 127),
        // Bound by the agent outside the new mount / user namespace.
        (vec!["-m", "-w", "/nonexistent", "true"], no_wd, 1),
        (vec!["-m", "-f", "/nonexistent"], no_prog, 127),
        (vec!["-r", "-w", "/nonexistent", "true"], no_wd, 1),
        (vec!["-r", "-f", "/nonexistent"], no_prog, 127),
        (
            vec!["-m", "--mount-proc=/nonexistent", "true"],
            "unshare: mount /nonexistent failed: No such file or directory\n",
            1,
        ),
    ];
    for (args, err, code) in &cases {
        let mut all = vec![persist_uts.as_str(), persist_ipc.as_str()];
        all.extend(args);
        let out = sb.nsipc("unshare", &all);
        assert_eq!(
            (
                stdout(&out).as_str(),
                stderr(&out).as_str(),
                out.status.code()
            ),
            ("", *err, Some(*code)),
            "{all:?}"
        );
        assert!(!bound(&sb, &uts), "{all:?}: {uts} left bound");
        assert!(!bound(&sb, &ipc), "{all:?}: {ipc} left bound");
    }
    // One bind fails: those made before it are undone (ipc is bound before
    // uts), with and without a new mount namespace.
    let missing = format!("--uts={base}/missing");
    for extra in [&[][..], &["-m"][..], &["-f"][..]] {
        let mut all = vec![persist_ipc.as_str(), missing.as_str()];
        all.extend(extra);
        all.push("true");
        let out = sb.nsipc("unshare", &all);
        let err = stderr(&out);
        assert!(
            err.starts_with("unshare: mount /proc/")
                && err.ends_with(&format!(
                    "/ns/uts on {base}/missing failed: No such file or directory\n"
                )),
            "{all:?}: {err}"
        );
        assert_eq!(out.status.code(), Some(1), "{all:?}");
        assert!(!bound(&sb, &ipc), "{all:?}: {ipc} left bound");
    }
    // The program ran (and failed by itself): the namespaces stay, as asked.
    for args in [&["false"][..], &["-f", "false"][..], &["-r", "false"][..]] {
        let mut all = vec![persist_uts.as_str(), persist_ipc.as_str()];
        all.extend(args);
        let out = sb.nsipc("unshare", &all);
        assert_eq!(out.status.code(), Some(1), "{all:?}: {}", stderr(&out));
        assert!(bound(&sb, &uts) && bound(&sb, &ipc), "{all:?}");
        sb.sh_ok(&format!("umount {uts} {ipc}"));
    }
}

#[test]
fn setuid_and_setgid_are_checked_while_parsing() {
    require_namespaces!();
    let sb = Sandbox::new();
    let dir = tempfile::tempdir().unwrap();
    let uts = format!("{}/uts", dir.path().display());
    sb.sh_ok(&format!("touch {uts}"));
    let persist = format!("--uts={uts}");
    for (opt, what) in [("-S", "uid"), ("-G", "gid")] {
        for value in ["4294967295", "4294967296", "-1"] {
            let out = sb.nsipc("unshare", &[&persist, opt, value, "true"]);
            assert_eq!(
                (stderr(&out), out.status.code()),
                (
                    format!(
                        "unshare: failed to parse {what}: '{value}': Numerical result out of range\n"
                    ),
                    Some(1)
                ),
                "{opt} {value}"
            );
            assert!(!bound(&sb, &uts), "{opt} {value}");
        }
    }
    // The largest valid id still works.
    let out = sb.nsipc(
        "unshare",
        &["-S", "4294967294", "-G", "4294967294", "id", "-u"],
    );
    assert_eq!(
        (stdout(&out).as_str(), out.status.code()),
        ("4294967294\n", Some(0)),
        "{}",
        stderr(&out)
    );
}
