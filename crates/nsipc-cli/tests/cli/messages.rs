//! The text of error messages: arguments echoed byte for byte (a byte that
//! is not UTF-8 stays that byte, as in util-linux), no Rust-only text such
//! as `(os error 2)`, and the real cause rather than a later symptom.

use crate::common;

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::os::unix::process::CommandExt;
use std::process::Output;

use common::{nsipc_bin, on_ci, stderr, util_linux_bin, Sandbox};

/// `arg` with every `%` replaced by the byte 0xff.
fn raw(arg: &str) -> OsString {
    OsString::from_vec(
        arg.bytes()
            .map(|b| if b == b'%' { 0xff } else { b })
            .collect(),
    )
}

fn run(sb: &Sandbox, bin: &std::path::Path, tool: &str, args: &[OsString]) -> Output {
    sb.command(bin).arg0(tool).args(args).output().unwrap()
}

/// Non-UTF-8 bytes in arguments come back in messages as those bytes
/// (`ipcmk -M $'\xff'` → `'\377'`), where they were printed as U+FFFD —
/// in option values, operands and unknown options alike (glibc's getopt
/// shows the first byte of an unknown option character: `-é` → `'\303'`):
/// every case compared with util-linux, stderr byte for byte.
#[test]
fn arguments_are_echoed_byte_for_byte() {
    require_namespaces!();
    let sb = Sandbox::new();
    let cases: &[&[&str]] = &[
        &["ipcmk", "-M", "%"],
        &["ipcmk", "-S", "1%"],
        &["ipcrm", "-q", "%"],
        &["ipcrm", "-m", "%"],
        &["ipcrm", "-Q", "%"],
        &["ipcrm", "%"],
        &["ipcrm", "shm", "%"],
        &["ipcs", "-i", "%"],
        &["lsipc", "-i", "%"],
        &["lsipc", "-o", "%"],
        &["lsns", "-p", "%"],
        &["lsns", "-t", "%"],
        &["lsns", "-o", "KEY,%"],
        &["lsns", "%"],
        &["nsenter", "-u%"],
        &["unshare", "-S", "%", "true"],
        &["unshare", "--kill-child=%", "true"],
        &["unshare", "/%"],
        &["unshare", "-R", "/%", "true"],
        &["ipcs", "-%"],
        &["ipcs", "--%"],
        &["ipcs", "-a%"],
        &["ipcs", "-é"],
        &["lsns", "--%x=1"],
        &["lsipc", "--bogus=%"],
        &["unshare", "-%"],
        &["nsenter", "--%"],
    ];
    for case in cases {
        let (tool, args) = (case[0], &case[1..]);
        let args: Vec<OsString> = args.iter().map(|a| raw(a)).collect();
        let ours = run(&sb, &nsipc_bin(), tool, &args);
        assert!(
            !case.iter().any(|a| a.contains('%')) || ours.stderr.contains(&0xff),
            "{case:?}: the byte is missing: {}",
            stderr(&ours)
        );
        match util_linux_bin(tool) {
            Some(bin) => {
                let theirs = run(&sb, &bin, tool, &args);
                assert_eq!(
                    (&ours.stderr, ours.status.code()),
                    (&theirs.stderr, theirs.status.code()),
                    "{case:?}"
                );
            }
            None => assert!(!on_ci(), "util-linux {tool} must be installed on CI"),
        }
    }
}

/// With an empty /proc, lsns cannot read `/proc/self/mountinfo`: the
/// message is the C library's text, without Rust's `(os error 2)`.
#[test]
fn no_rust_error_suffix() {
    require_namespaces!();
    let sb = Sandbox::new();
    sb.sh_ok("umount -l /proc 2>/dev/null; mount -t tmpfs none /proc");
    let o = sb.nsipc("lsns", &[]);
    assert_eq!(
        (stderr(&o).as_str(), o.status.code()),
        (
            "lsns: cannot read /proc/self/mountinfo: No such file or directory\n",
            Some(1)
        )
    );
}

/// `nsenter -a`: as in util-linux master, only ENOENT from our own
/// `/proc/self/ns/<type>` (the kernel lacks the type, or there is no
/// /proc) leaves a type out. Any other failure — here a symlink loop —
/// must not hide the namespace: nsenter joins the target's UTS namespace
/// through its pidfd and the program sees the target's hostname. (It said
/// "no namespace specified".) Without /proc at all, master's message.
#[test]
fn nsenter_all_skips_only_missing_types() {
    require_namespaces!();
    let sb = Sandbox::new();
    sb.sh_ok("hostname nsipc-inner");
    let host = hostname();
    assert_ne!(host, "nsipc-inner");
    let target = std::process::id().to_string();
    sb.sh_ok(
        "umount -l /proc 2>/dev/null; mount -t tmpfs none /proc; \
         mkdir -p /proc/self/ns; ln -s uts /proc/self/ns/uts",
    );
    let o = sb.nsipc("nsenter", &["-a", "-t", &target, "hostname"]);
    assert_eq!(
        (common::stdout(&o), o.status.code()),
        (format!("{host}\n"), Some(0)),
        "{}",
        stderr(&o)
    );
    sb.sh_ok("rm /proc/self/ns/uts");
    let o = sb.nsipc("nsenter", &["-a", "-t", &target, "hostname"]);
    assert_eq!(
        (stderr(&o).as_str(), o.status.code()),
        ("nsenter: no namespace specified\n", Some(1))
    );
}

/// The test's own hostname (the host's UTS namespace).
fn hostname() -> String {
    let out = std::process::Command::new("uname")
        .arg("-n")
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .trim_end()
        .to_string()
}
