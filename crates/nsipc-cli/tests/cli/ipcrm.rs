//! `ipcrm`: differential against util-linux 2.38.1 on identical fresh
//! sandboxes (output and the objects left), explicit expectations for
//! master-only behaviour (POSIX, `-a=kind`, no arguments) and for nsipc's
//! fixes (nothing is removed unless the whole command line is valid).

use crate::common;
use crate::ipc_state;

use common::Sandbox;
use ipc_state::{compare_fresh, expect, expect_unchanged, objects, ALICE, BOB, ROOT};

const TRY: &str = "Try 'ipcrm --help' for more information.\n";

/// Two objects of each System V kind, keys 0x11 and 0x22, ids 0 and 1.
const TWO_OF_EACH: &str = "$NSIPC ipcmk --key=0x11 -M 100 -Q -S 1 >/dev/null && \
                           $NSIPC ipcmk --key=0x22 -M 200 -Q -S 2 >/dev/null";

/// Root's private (0600) and readable (0644) objects, and alice's own
/// (0600, key 0x33).
const MIXED_OWNERS: &str = "$NSIPC ipcmk --key=0x11 -M 100 -Q -S 1 -p 600 >/dev/null && \
     $NSIPC ipcmk --key=0x22 -M 100 -Q -S 1 -p 644 >/dev/null && \
     setpriv --reuid=1001 --regid=1001 --clear-groups $NSIPC ipcmk --key=0x33 -M 1 -Q -S 1 -p 600 >/dev/null";

/// POSIX objects of every kind, plus the System V ones.
const POSIX_TOO: &str = "umask 022 && \
     $NSIPC ipcmk --key=0x11 -M 100 -Q -S 1 >/dev/null && \
     $NSIPC ipcmk -m 10 -q -s -n /p1 >/dev/null && \
     $NSIPC ipcmk -m 20 -q -s -n /p2 -p 600 >/dev/null";

/// Removals as util-linux does them: same messages, statuses, objects left.
#[test]
fn removes_like_util_linux() {
    require_namespaces!();
    let cases: &[&[&str]] = &[
        &["-m", "0"],
        &["-q", "1"],
        &["-s", "0"],
        &["-m", "0", "-m", "1"],
        &["--shmem-id", "1", "--queue-id=0", "--semaphore-id", "1"],
        &["-M", "0x11"],
        &["-Q", "0x22"],
        &["-S", "17"],
        &[
            "--shmem-key",
            "0X22",
            "--queue-key=34",
            "--semaphore-key",
            "0x11",
        ],
        &["-v", "-m", "0", "-q", "0", "-s", "0"],
        &["-v", "-M", "0x11", "-Q", "0x11", "-S", "0x22"],
        // -v applies to what follows it (util-linux acts while parsing).
        &["-m", "0", "-v", "-q", "0"],
        &["-a"],
        &["-v", "-a"],
        &["-a", "-v"],
        &["-ashm"],
        &["-amsg", "-v"],
        &["--all=sem"],
        &["-v", "--all=shm", "-m", "0"],
        &["-vasem"],
        // Options in any order with ids; old syntax.
        &["shm", "0", "1"],
        &["msg", "1"],
        &["sem", "0", "1"],
    ];
    for args in cases {
        compare_fresh(TWO_OF_EACH, "ipcrm", args, ROOT, true);
    }
}

/// Failures util-linux reports the same way (and, with one bad argument,
/// the same objects left).
#[test]
fn errors_like_util_linux() {
    require_namespaces!();
    let cases: &[(&[&str], &str, i32)] = &[
        (&["-m", "99999"], "ipcrm: invalid id (99999)\n", 1),
        (&["-m", "-1"], "ipcrm: invalid id (-1)\n", 1),
        (
            &["-q", "0", "-q", "99999", "-s", "99999"],
            "ipcrm: invalid id (99999)\nipcrm: invalid id (99999)\n",
            1,
        ),
        (&["-m", "0", "-m", "0"], "ipcrm: invalid id (0)\n", 1),
        (&["-M", "0x99"], "ipcrm: invalid key (0x99)\n", 1),
        (&["-M", "011"], "ipcrm: invalid key (011)\n", 1),
        (&["-S", "-1"], "ipcrm: invalid key (-1)\n", 1),
        (&["-M", "0"], "ipcrm: illegal key (0)\n", 1),
        (&["-Q", "0x00000000"], "ipcrm: illegal key (0x00000000)\n", 1),
        (&["-m", "abc"], "ipcrm: failed to parse argument: 'abc'\n", 1),
        (&["-q", "0x0"], "ipcrm: failed to parse argument: '0x0'\n", 1),
        (&["-s", ""], "ipcrm: failed to parse argument: ''\n", 1),
        (
            &["-m", "2147483648"],
            "ipcrm: failed to parse argument: '2147483648': Numerical result out of range\n",
            1,
        ),
        (&["-M", "0xzz"], "ipcrm: failed to parse argument: '0xzz'\n", 1),
        (&["-Q", ""], "ipcrm: failed to parse argument: ''\n", 1),
        (
            &["-S", "99999999999999999999"],
            "ipcrm: failed to parse argument: '99999999999999999999': Numerical result out of range\n",
            1,
        ),
        (&["-x"], "ipcrm: invalid option -- 'x'\n", 1),
        (&["-m"], "ipcrm: option requires an argument -- 'm'\n", 1),
        (&["--bogus"], "ipcrm: unrecognized option '--bogus'\n", 1),
        (&["--verbose=1"], "ipcrm: option '--verbose' doesn't allow an argument\n", 1),
        (
            &["--shmem", "0"],
            "ipcrm: option '--shmem' is ambiguous; possibilities: '--shmem-id' '--shmem-key'\n",
            1,
        ),
        (&["foo", "1"], "ipcrm: unknown argument: foo\n", 1),
        (&["-abogus"], "ipcrm: unknown argument: bogus\n", 1),
        (&["--all=x"], "ipcrm: unknown argument: x\n", 1),
        (&["shm"], "ipcrm: not enough arguments\n", 1),
        (&["sem", "99999"], "ipcrm: invalid id (99999)\n", 1),
        (&["msg", "0", "99999"], "ipcrm: invalid id (99999)\n", 1),
        (&["shm", "abc"], "ipcrm: invalid id: abc\n", 1),
    ];
    for (args, first_lines, code) in cases {
        let (out, _) = compare_fresh(TWO_OF_EACH, "ipcrm", args, ROOT, true);
        let stderr = common::stderr(&out);
        assert!(stderr.starts_with(first_lines), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(*code), "{args:?}");
    }
}

/// Another user: unreadable objects are invisible to -a, readable ones
/// cannot be removed, own ones can.
#[test]
fn permissions_like_util_linux() {
    require_namespaces!();
    let cases: &[&[&str]] = &[
        &["-a"],
        &["-v", "-a"],
        &["-m", "0"],
        &["-m", "1"],
        &["-m", "2"],
        &["-M", "0x11"],
        &["-Q", "0x22"],
        &["-S", "0x33"],
        &["-v", "-q", "2", "-q", "0", "-s", "1"],
        &["shm", "2", "1"],
    ];
    for args in cases {
        compare_fresh(MIXED_OWNERS, "ipcrm", args, ALICE, true);
    }
    // Bob owns nothing: every readable object is a permission failure.
    let (out, _) = compare_fresh(MIXED_OWNERS, "ipcrm", &["-a"], BOB, true);
    assert_eq!(
        common::stderr(&out),
        "ipcrm: permission denied for id (1)\n".repeat(3)
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn no_arguments_is_bad_usage_as_master() {
    require_namespaces!();
    let sb = Sandbox::new();
    sb.sh_ok(TWO_OF_EACH);
    expect_unchanged(
        &sb,
        "ipcrm",
        &[],
        ROOT,
        &format!("ipcrm: bad usage\n{TRY}"),
        1,
    );
}

/// The whole command line is checked before anything is removed; util-linux
/// removes as it goes (with `-a shm`: everything).
#[test]
fn bad_arguments_remove_nothing() {
    require_namespaces!();
    let sb = Sandbox::new();
    sb.sh_ok(POSIX_TOO);
    let usage = |word: &str| format!("ipcrm: unknown argument: {word}\n{TRY}");
    let cases: Vec<(Vec<&str>, String)> = vec![
        (vec!["-a", "shm"], usage("shm")),
        (vec!["-a", "pshm"], usage("pshm")),
        (vec!["-v", "--all", "msg"], usage("msg")),
        (vec!["-m", "0", "extra"], usage("extra")),
        (vec!["extra", "-m", "0", "more"], usage("extra")),
        (
            vec!["-m", "0", "-a=bogus"],
            "ipcrm: unknown argument: bogus\n".into(),
        ),
        (
            vec!["-m", "0", "-m", "abc"],
            "ipcrm: failed to parse argument: 'abc'\n".into(),
        ),
        (
            vec!["-m", "0", "-Q", "0xzz"],
            "ipcrm: failed to parse argument: '0xzz'\n".into(),
        ),
        (
            vec!["-m", "0", "-M", "0"],
            "ipcrm: illegal key (0)\n".into(),
        ),
        (
            vec!["-m", "0", "-M", "0x100000011"],
            "ipcrm: failed to parse argument: '0x100000011': Numerical result out of range\n"
                .into(),
        ),
        (
            vec!["-a", "--posix-shmem", "/p1", "--posix-mqueue", "p1"],
            "ipcrm: name failed: Invalid argument\n".into(),
        ),
        (
            vec!["-a", "-x"],
            format!("ipcrm: invalid option -- 'x'\n{TRY}"),
        ),
        (
            vec!["-a", "-m"],
            format!("ipcrm: option requires an argument -- 'm'\n{TRY}"),
        ),
        (vec!["shm", "abc", "0"], "ipcrm: invalid id: abc\n".into()),
        (
            vec!["shm", "x", "0", "y"],
            "ipcrm: invalid id: x\nipcrm: invalid id: y\n".into(),
        ),
        // util-linux truncates this to id 0 and removes it.
        (
            vec!["shm", "4294967296"],
            "ipcrm: invalid id: 4294967296\n".into(),
        ),
        (vec!["shm"], format!("ipcrm: not enough arguments\n{TRY}")),
    ];
    for (args, stderr) in &cases {
        expect_unchanged(&sb, "ipcrm", args, ROOT, stderr, 1);
    }
    // Help and version act at once too, and remove nothing.
    let before = ipc_state::snapshot(&sb);
    for args in [&["-m", "0", "-h"][..], &["-a", "--help"], &["-a", "-V"]] {
        let out = sb.nsipc("ipcrm", args);
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(common::stderr(&out), "");
    }
    assert_eq!(ipc_state::snapshot(&sb), before);
}

/// `-a=kind` (master strips the '='; 2.38.1 rejects it) and the POSIX kinds.
#[test]
fn all_of_one_kind_removes_only_that_kind() {
    require_namespaces!();
    let cases: &[(&str, &str)] = &[
        ("-a=shm", "removing shared memory segment id `0'\n"),
        (
            "-a=pshm",
            "removing POSIX shared memory `p2'\nremoving POSIX shared memory `p1'\n",
        ),
        (
            "-a=psem",
            "removing POSIX semaphore `p2'\nremoving POSIX semaphore `p1'\n",
        ),
        (
            "-a=pmsg",
            "removing POSIX message queue `/p2'\nremoving POSIX message queue `/p1'\n",
        ),
        ("--all==sem", "removing semaphore id `0'\n"),
        ("-amsg", "removing message queue id `0'\n"),
    ];
    for (option, removed) in cases {
        let sb = Sandbox::new();
        sb.sh_ok(POSIX_TOO);
        let before = objects(&sb, true);
        let out = sb.nsipc("ipcrm", &["-v", option]);
        assert_eq!(common::stderr(&out), "", "{option}");
        assert_eq!(out.status.code(), Some(0), "{option}");
        // Directory order is the file system's: compare as sets.
        let mut got: Vec<&str> = common::stdout(&out).leak().lines().collect();
        let mut want: Vec<&str> = removed.lines().collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{option}");
        // Exactly the objects of that kind are gone.
        let after = objects(&sb, true);
        let gone: Vec<&str> = before.lines().filter(|l| !after.contains(l)).collect();
        assert_eq!(gone.len(), want.len(), "{option}: {gone:?}");
        assert_eq!(after.lines().count() + gone.len(), before.lines().count());
    }
}

#[test]
fn everything_with_verbose_prints_each_line_once() {
    require_namespaces!();
    let sb = Sandbox::new();
    sb.sh_ok(POSIX_TOO);
    let out = sb.nsipc("ipcrm", &["-a", "-v"]);
    assert_eq!(common::stderr(&out), "");
    assert_eq!(out.status.code(), Some(0));
    let text = common::stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    // The order of kinds is util-linux's; within a POSIX kind it is the
    // directory's.
    let kind_of = |line: &str| {
        [
            "removing shared memory",
            "removing POSIX shared memory",
            "removing semaphore",
            "removing POSIX semaphore",
            "removing message queue",
            "removing POSIX message queue",
        ]
        .iter()
        .position(|p| line.starts_with(p))
        .unwrap()
    };
    let kinds: Vec<usize> = lines.iter().map(|l| kind_of(l)).collect();
    assert_eq!(kinds, [0, 1, 1, 2, 3, 3, 4, 5, 5], "{text}");
    let mut sorted = lines.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), lines.len(), "a line is repeated:\n{text}");
    assert!(text.contains("removing POSIX message queue `/p1'\n"));
    assert!(text.contains("removing POSIX semaphore `p2'\n"));
    assert_eq!(
        objects(&sb, true),
        "[msg]\n[shm]\n[sem]\n[/dev/shm]\n[/dev/mqueue]\n"
    );
}

#[test]
fn posix_objects_by_name() {
    require_namespaces!();
    let sb = Sandbox::new();
    sb.sh_ok(POSIX_TOO);
    // glibc strips the leading '/' of shm and semaphore names.
    expect(
        &sb,
        "ipcrm",
        &[
            "-v",
            "--posix-shmem",
            "/p1",
            "--posix-shmem",
            "p2",
            "--posix-semaphore",
            "p1",
        ],
        ROOT,
        "removing POSIX shared memory `/p1'\nremoving POSIX shared memory `p2'\n\
         removing POSIX semaphore `p1'\n",
        "",
        0,
    );
    expect(
        &sb,
        "ipcrm",
        &["--posix-semaphore", "/p2", "--posix-mqueue", "/p1"],
        ROOT,
        "",
        "",
        0,
    );
    assert_eq!(
        objects(&sb, true),
        "[msg]\n17 0 644 0 0 0 0 0 0\n[shm]\n17 0 644 100 0 0 0 0 0\n[sem]\n17 0 644 1 0 0 0 0\n\
         [/dev/shm]\n[/dev/mqueue]\np2 600 0 0 QSIZE:0\n"
    );
    let long = format!("/{}", "x".repeat(256));
    let cases: Vec<(Vec<&str>, String)> = vec![
        (
            vec!["--posix-shmem", "/p1"],
            "ipcrm: name `/p1' not found\n".into(),
        ),
        (
            vec!["--posix-semaphore", "nope"],
            "ipcrm: name `nope' not found\n".into(),
        ),
        (
            vec!["--posix-mqueue", "/p1"],
            "ipcrm: name `/p1' not found\n".into(),
        ),
        (
            vec!["--posix-mqueue", "/nope", "--posix-shmem", "nope"],
            "ipcrm: name `/nope' not found\nipcrm: name `nope' not found\n".into(),
        ),
        (
            vec!["--posix-shmem", &long],
            format!("ipcrm: name `{long}' too long\n"),
        ),
        (
            vec!["--posix-mqueue", "p2"],
            "ipcrm: name failed: Invalid argument\n".into(),
        ),
        (
            vec!["--posix-mqueue", ""],
            "ipcrm: name failed: Invalid argument\n".into(),
        ),
        (
            vec!["--posix-mqueue", "/a/b"],
            "ipcrm: permission denied for name `/a/b'\n".into(),
        ),
    ];
    for (args, stderr) in &cases {
        expect_unchanged(&sb, "ipcrm", args, ROOT, stderr, 1);
    }
    // A missing object does not stop the others.
    expect(
        &sb,
        "ipcrm",
        &["--posix-shmem", "/gone", "--posix-mqueue", "/p2", "-m", "0"],
        ROOT,
        "",
        "ipcrm: name `/gone' not found\n",
        1,
    );
    assert_eq!(
        objects(&sb, true),
        "[msg]\n17 0 644 0 0 0 0 0 0\n[shm]\n[sem]\n17 0 644 1 0 0 0 0\n[/dev/shm]\n[/dev/mqueue]\n"
    );
}

/// Other users' POSIX objects: /dev/shm and /dev/mqueue are sticky, so
/// only the owner (or root) may remove; -a skips semaphores it cannot open
/// and queues it cannot read, as util-linux.
#[test]
fn posix_permissions() {
    require_namespaces!();
    let sb = Sandbox::new();
    sb.sh_ok(POSIX_TOO);
    let cases: Vec<(Vec<&str>, String)> = vec![
        (
            vec!["--posix-shmem", "p1"],
            "ipcrm: permission denied for name `p1'\n".into(),
        ),
        (
            vec!["--posix-semaphore", "/p2"],
            "ipcrm: permission denied for name `/p2'\n".into(),
        ),
        (
            vec!["--posix-mqueue", "/p1"],
            "ipcrm: permission denied for name `/p1'\n".into(),
        ),
    ];
    for (args, stderr) in &cases {
        expect_unchanged(&sb, "ipcrm", args, ALICE, stderr, 1);
    }
    let before = ipc_state::snapshot(&sb);
    let out = sb.nsipc_as("ipcrm", &["-a"], ALICE);
    assert_eq!(out.status.code(), Some(1));
    let mut errors: Vec<String> = common::stderr(&out).lines().map(String::from).collect();
    errors.sort();
    assert_eq!(
        errors,
        [
            // System V: only the readable 0644 objects of root are tried.
            "ipcrm: permission denied for id (0)",
            "ipcrm: permission denied for id (0)",
            "ipcrm: permission denied for id (0)",
            // Every shm file is tried; p1's semaphore (0644) cannot be
            // opened read-write and p2's (0600) not at all: skipped; the
            // readable queue p1 is tried.
            "ipcrm: permission denied for name `/p1'",
            "ipcrm: permission denied for name `p1'",
            "ipcrm: permission denied for name `p2'",
        ]
    );
    assert_eq!(ipc_state::snapshot(&sb), before);
}

/// Odd things in /dev/shm: a directory is not "shared memory" to remove
/// (util-linux gives up on it with "Is a directory"), and a file named
/// like a semaphore but too short to be one is left alone rather than
/// mapped (touching it would kill the process with SIGBUS).
#[test]
fn hostile_dev_shm_entries_are_left_alone() {
    require_namespaces!();
    let sb = Sandbox::new();
    sb.sh_ok(
        "mkdir /dev/shm/dir && : > /dev/shm/sem.empty && : > /dev/shm/plainfile && \
         ln -s /etc/passwd /dev/shm/link && $NSIPC ipcmk -s -n /real >/dev/null",
    );
    let out = sb.nsipc("ipcrm", &["-v", "-a=pshm"]);
    let mut removed: Vec<String> = common::stdout(&out).lines().map(String::from).collect();
    removed.sort();
    assert_eq!(
        removed,
        [
            "removing POSIX shared memory `link'",
            "removing POSIX shared memory `plainfile'"
        ]
    );
    assert_eq!(common::stderr(&out), "");
    assert_eq!(out.status.code(), Some(0));
    let left = sb.sh_ok("cd /dev/shm && ls -A | sort");
    assert_eq!(left, "dir\nsem.empty\nsem.real\n");
    let out = sb.nsipc("ipcrm", &["-v", "-a=psem"]);
    assert_eq!(common::stdout(&out), "removing POSIX semaphore `real'\n");
    assert_eq!(common::stderr(&out), "");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(sb.sh_ok("cd /dev/shm && ls -A | sort"), "dir\nsem.empty\n");
    assert!(sb.sh_ok("cat /etc/passwd").contains("alice"));
}

#[test]
fn help_and_version() {
    require_namespaces!();
    let sb = Sandbox::new();
    let out = sb.nsipc("ipcrm", &["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = common::stdout(&out);
    assert!(
        help.starts_with("\nUsage:\n ipcrm [options]\n ipcrm shm|msg|sem <id>...\n"),
        "{help}"
    );
    for option in [
        "-m, --shmem-id <id>",
        "-M, --shmem-key <key>",
        "    --posix-shmem <name>",
        "-q, --queue-id <id>",
        "-Q, --queue-key <key>",
        "    --posix-mqueue <name>",
        "-s, --semaphore-id <id>",
        "-S, --semaphore-key <key>",
        "    --posix-semaphore <name>",
        "-a, --all[=<kind>]",
        "-v, --verbose",
        "-h, --help",
        "-V, --version",
    ] {
        assert!(help.contains(option), "help lacks {option}");
    }
    let out = sb.nsipc("ipcrm", &["-V"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(common::stdout(&out).starts_with("ipcrm from util-linux"));
}
