//! How lsipc and ipcs list System V objects: walked by table index with
//! `*_STAT_ANY` where that gives what `/proc/sysvipc` gives, read from the
//! file otherwise. Either way the output must be util-linux's (which reads
//! the file), byte for byte.

use std::os::unix::fs::symlink;

use crate::common;

use common::{assert_same, nsipc_bin, stdout, Sandbox};

/// Many objects of each kind with holes in the kernel's table (removed
/// ones), messages in some queues, segments of several sizes.
fn state_with_holes(sb: &Sandbox) {
    sb.sh_ok(
        "set -e
         for i in $(seq 1 120); do
             q=$(/usr/bin/ipcmk -Q -p 0640 | grep -o '[0-9]*$')
             m=$(/usr/bin/ipcmk -M $((i * 1000)) | grep -o '[0-9]*$')
             s=$(/usr/bin/ipcmk -S $((i % 5 + 1)) | grep -o '[0-9]*$')
             if [ $((i % 7)) = 0 ]; then
                 perl -e \"msgsnd($q, pack('l! a*', 1, 'x' x $i), 0) or die\"
             fi
             if [ $((i % 3)) = 0 ] || { [ $i -gt 40 ] && [ $i -lt 70 ]; }; then
                 /usr/bin/ipcrm -q $q -m $m -s $s
             fi
         done",
    );
}

#[test]
fn listing_with_holes_matches_util_linux() {
    require_namespaces!();
    let sb = Sandbox::new();
    state_with_holes(&sb);
    for args in [
        &["-q"][..],
        &["-s"],
        &["-m"],
        &["-q", "-t"],
        &["-s", "-t", "--time-format=iso"],
        &["-m", "-c", "-b"],
        &["-m", "-o", "+COMMAND,CPID,LPID,ATTACH,DETACH,STATUS,NATTCH"],
        &["-s", "--json"],
        &["-q", "-r"],
        &["-s", "-i", "40"],
    ] {
        sb.compare("lsipc", args);
    }
    for args in [&["-q"][..], &["-s"], &["-m"], &["-a", "-p"], &["-a", "-t"]] {
        sb.compare("ipcs", args);
    }
    // -g: 2.38.1 lacks the POSIX lines; the counts of the listing agree.
    let used = |out: &std::process::Output, name: &str| {
        let text = stdout(out);
        let line = text
            .lines()
            .find(|l| l.starts_with(name))
            .map(str::to_owned);
        line.and_then(|l| l.split_whitespace().rev().nth(1).map(str::to_owned))
    };
    let (ours, theirs) = (sb.nsipc("lsipc", &["-g"]), sb.util_linux("lsipc", &["-g"]));
    for name in ["MSGMNI", "SHMMNI", "SHMALL", "SEMMNI"] {
        assert_eq!(used(&ours, name), used(&theirs, name), "{name}");
        assert!(used(&ours, name).is_some_and(|n| n != "0"), "{name}");
    }
}

/// In a new pid namespace that still sees the old `/proc`, the file and
/// the System V calls both give process ids as the reader's namespace
/// numbers them (0 for the processes it cannot see), whichever way the
/// listing goes.
#[test]
fn pid_namespace_without_its_own_proc_shows_the_files_pids() {
    require_namespaces!();
    let sb = Sandbox::new();
    let sender = sb.sh_ok(
        "set -e
         q=$(/usr/bin/ipcmk -Q | grep -o '[0-9]*$')
         perl -e \"msgsnd($q, pack('l! a*', 1, 'hi'), 0) or die; print \\$\\$\"
         /usr/bin/ipcmk -M 4096 >/dev/null
         /usr/bin/ipcmk -S 2 >/dev/null",
    );
    let dir = tempfile::tempdir().unwrap();
    let ours = dir.path().join("lsipc");
    symlink(nsipc_bin(), &ours).unwrap();
    for args in [&["-q"][..], &["-m"], &["-s"], &["-m", "-o", "+CPID,LPID"]] {
        let run = |bin: &std::path::Path| {
            sb.command("unshare")
                .args(["--pid", "--fork", "--"])
                .arg(bin)
                .args(args)
                .output()
                .unwrap()
        };
        let theirs = run(std::path::Path::new("/usr/bin/lsipc"));
        let ours = run(&ours);
        assert_same("lsipc", args, &theirs, &ours);
        if args == ["-q"] {
            // The sender, which the new namespace cannot see, is 0.
            assert!(
                stdout(&ours).contains("    0     0\n") && !stdout(&ours).contains(sender.trim()),
                "{}",
                stdout(&ours)
            );
        }
    }
}
