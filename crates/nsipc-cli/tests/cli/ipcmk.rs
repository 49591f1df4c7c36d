//! `ipcmk`: differential against util-linux 2.38.1 where it has the same
//! feature, explicit expectations for master-only behaviour (POSIX objects,
//! bounded modes) and for nsipc's fixes (exclusive creation, rollback,
//! separate `-M`/`-m` sizes, `--key`). Every run is inside a sandbox.

use crate::common;
use crate::ipc_state;

use std::os::unix::process::CommandExt;

use common::Sandbox;
use ipc_state::{compare_fresh, expect, expect_unchanged, objects, only, ALICE, ROOT};

const TRY: &str = "Try 'ipcmk --help' for more information.\n";
const EMPTY: &str = "[msg]\n[shm]\n[sem]\n[/dev/shm]\n[/dev/mqueue]\n";

/// System V creation as util-linux does it (random keys, so keys are left
/// out of the object comparison): same output, same objects.
#[test]
fn creates_system_v_objects_like_util_linux() {
    require_namespaces!();
    let cases: &[(&[&str], &str)] = &[
        (&["-Q"], "Message queue id: 0\n"),
        (&["--queue"], "Message queue id: 0\n"),
        (&["-M", "4096"], "Shared memory id: 0\n"),
        (&["--shmem=1"], "Shared memory id: 0\n"),
        (&["-S", "3"], "Semaphore id: 0\n"),
        (&["--semaphore", "1"], "Semaphore id: 0\n"),
        (
            &["-S", "2", "-Q", "-M", "100", "-p", "600"],
            "Shared memory id: 0\nMessage queue id: 0\nSemaphore id: 0\n",
        ),
        (&["-Q", "-p", "0"], "Message queue id: 0\n"),
        (&["-Q", "-p", "0777"], "Message queue id: 0\n"),
        (&["-Q", "-p", "7777"], "Message queue id: 0\n"),
        (&["-Q", "extra", "words"], "Message queue id: 0\n"),
        (&["--sh", "5"], "Shared memory id: 0\n"),
        (&["-M", "1", "-M", "2"], "Shared memory id: 0\n"),
    ];
    for (args, stdout) in cases {
        let (out, _) = compare_fresh("true", "ipcmk", args, ROOT, false);
        assert_eq!(common::stdout(&out), *stdout, "{args:?}");
        assert_eq!(out.status.code(), Some(0));
    }
}

/// The objects really exist with the requested size, mode and count, and
/// with a key that is not IPC_PRIVATE.
#[test]
fn created_objects_have_the_requested_attributes() {
    require_namespaces!();
    let sb = Sandbox::new();
    let out = sb.nsipc("ipcmk", &["-M", "1.5K", "-S", "7", "-Q", "-p", "0640"]);
    assert_eq!(
        common::stdout(&out),
        "Shared memory id: 0\nMessage queue id: 0\nSemaphore id: 0\n"
    );
    let shm = only(&sb, "shm");
    assert_eq!(
        (shm["size"].as_str(), shm["perms"].as_str()),
        ("1536", "640")
    );
    let sem = only(&sb, "sem");
    assert_eq!((sem["nsems"].as_str(), sem["perms"].as_str()), ("7", "640"));
    let msg = only(&sb, "msg");
    assert_eq!(msg["perms"], "640");
    for kind in ["shm", "sem", "msg"] {
        assert!(ipc_state::keys(&sb, kind).iter().all(|&k| k != 0));
    }
    // Made by another user: owned by that user.
    sb.nsipc_as("ipcmk", &["-Q"], ALICE);
    let text = sb.sh_ok("awk 'NR>1 {print $8, $9}' /proc/sysvipc/msg");
    assert_eq!(text, "0 0\n1001 1001\n");
}

/// Every size syntax gives the same segment size as util-linux.
#[test]
fn every_size_syntax_gives_util_linux_sizes() {
    require_namespaces!();
    for size in [
        "1", "4096", "0x10", "010", "1K", "1k", "1KiB", "1KB", "1kb", "2M", "1MB", "1.5K", "1.5KB",
        "0.5M", "1.05K", "1.50K", "1.K", "1..5K", "1.0.5K", "0x10K", " 12", "+12", "0.25G",
    ] {
        compare_fresh("true", "ipcmk", &["-M", size], ROOT, false);
    }
}

#[test]
fn bad_input_is_reported_like_util_linux_and_changes_nothing() {
    require_namespaces!();
    let cases: &[(&[&str], &str)] = &[
        (&[], "ipcmk: bad usage\n"),
        (&["-p", "600"], "ipcmk: bad usage\n"),
        (&["extra"], "ipcmk: bad usage\n"),
        (
            &["-M", "1X"],
            "ipcmk: failed to parse size: '1X': Invalid argument\n",
        ),
        (
            &["-M", "-1"],
            "ipcmk: failed to parse size: '-1': Invalid argument\n",
        ),
        (
            &["-M", ""],
            "ipcmk: failed to parse size: '': Invalid argument\n",
        ),
        (
            &["-M", "1.5"],
            "ipcmk: failed to parse size: '1.5': Invalid argument\n",
        ),
        (
            &["-M", "1K "],
            "ipcmk: failed to parse size: '1K ': Invalid argument\n",
        ),
        (
            &["-M", "1KiBB"],
            "ipcmk: failed to parse size: '1KiBB': Invalid argument\n",
        ),
        (
            &["-M", "99999999999999999999"],
            "ipcmk: failed to parse size: '99999999999999999999': Numerical result out of range\n",
        ),
        (
            &["-M", "16E"],
            "ipcmk: failed to parse size: '16E': Numerical result out of range\n",
        ),
        (
            &["-M", "0"],
            "ipcmk: create share memory failed: Invalid argument\n",
        ),
        (
            &["-S", "0"],
            "ipcmk: create semaphore failed: Invalid argument\n",
        ),
        (
            &["-S", "-1"],
            "ipcmk: create semaphore failed: Invalid argument\n",
        ),
        (
            &["-S", "99999"],
            "ipcmk: create semaphore failed: Invalid argument\n",
        ),
        (&["-S", "abc"], "ipcmk: failed to parse elements: 'abc'\n"),
        (&["-S", ""], "ipcmk: failed to parse elements: ''\n"),
        (
            &["-S", "2147483648"],
            "ipcmk: failed to parse elements: '2147483648': Numerical result out of range\n",
        ),
        (&["-M"], "ipcmk: option requires an argument -- 'M'\n"),
        (&["-x"], "ipcmk: invalid option -- 'x'\n"),
        (&["--bogus"], "ipcmk: unrecognized option '--bogus'\n"),
        (
            &["--queue=1"],
            "ipcmk: option '--queue' doesn't allow an argument\n",
        ),
        (
            &["--s", "1"],
            "ipcmk: option '--s' is ambiguous; possibilities: '--shmem' '--semaphore'\n",
        ),
        // The first bad value in command-line order is the one reported.
        (
            &["-M", "1X", "-x"],
            "ipcmk: failed to parse size: '1X': Invalid argument\n",
        ),
    ];
    for (args, first_line) in cases {
        let setup = "$NSIPC ipcmk --key=0x51 -Q >/dev/null";
        let (out, sb) = compare_fresh(setup, "ipcmk", args, ROOT, true);
        let stderr = common::stderr(&out);
        assert!(stderr.starts_with(first_line), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(common::stdout(&out), "");
        assert_eq!(ipc_state::keys(&sb, "msg"), [0x51], "{args:?}");
        assert!(ipc_state::keys(&sb, "shm").is_empty());
        assert!(ipc_state::keys(&sb, "sem").is_empty());
    }
}

/// Master's mode parsing (2.38.1 says "failed to parse mode: Success").
#[test]
fn bad_modes_as_master() {
    require_namespaces!();
    let sb = Sandbox::new();
    for (mode, message) in [
        ("abc", "ipcmk: failed to parse mode: 'abc'\n"),
        ("999", "ipcmk: failed to parse mode: '999'\n"),
        ("8", "ipcmk: failed to parse mode: '8'\n"),
        ("", "ipcmk: failed to parse mode: ''\n"),
        ("0x1ff", "ipcmk: failed to parse mode: '0x1ff'\n"),
        (
            "10000",
            "ipcmk: failed to parse mode: '10000': Numerical result out of range\n",
        ),
        (
            "100000",
            "ipcmk: failed to parse mode: '100000': Numerical result out of range\n",
        ),
        (
            "-1",
            "ipcmk: failed to parse mode: '-1': Numerical result out of range\n",
        ),
    ] {
        expect_unchanged(&sb, "ipcmk", &["-Q", "-p", mode], ROOT, message, 1);
    }
}

/// System V objects get only the permission bits of the mode: util-linux
/// ORs 07777 into the shmget flags, where 04000 is SHM_HUGETLB, and fails.
#[test]
fn high_mode_bits_are_not_flags() {
    require_namespaces!();
    let sb = Sandbox::new();
    expect(
        &sb,
        "ipcmk",
        &["-M", "4096", "-p", "7777"],
        ROOT,
        "Shared memory id: 0\n",
        "",
        0,
    );
    assert_eq!(only(&sb, "shm")["perms"], "777");
}

#[test]
fn posix_objects_are_created() {
    require_namespaces!();
    let sb = Sandbox::new();
    let out = sb.sh("umask 022; $NSIPC ipcmk -m 2K -q -s -n /obj -p 0640");
    assert_eq!(
        common::stdout(&out),
        "POSIX shared memory name: /obj\nPOSIX message queue name: /obj\nPOSIX semaphore name: /obj\n"
    );
    assert_eq!(common::stderr(&out), "");
    assert_eq!(out.status.code(), Some(0));
    let sem_size = std::mem::size_of::<libc::sem_t>();
    assert_eq!(
        objects(&sb, true),
        format!(
            "[msg]\n[shm]\n[sem]\n[/dev/shm]\nobj 640 2048 0 0 f\nsem.obj 640 {sem_size} 0 0 f\n\
             [/dev/mqueue]\nobj 640 0 0 QSIZE:0\n"
        )
    );
    // The umask applies, as to any file, and names may omit the '/'
    // (except for message queues).
    let out = sb.sh("umask 077; $NSIPC ipcmk --posix-shmem 0x10 --posix-semaphore --name plain");
    assert_eq!(
        common::stdout(&out),
        "POSIX shared memory name: plain\nPOSIX semaphore name: plain\n"
    );
    let listing = sb.sh_ok("find /dev/shm -name '*plain' -printf '%P %m %s\\n' | sort");
    assert_eq!(listing, format!("plain 600 16\nsem.plain 600 {sem_size}\n"));
}

/// util-linux 2.41+ shares one size between -M and -m; here each keeps its own.
#[test]
fn shmem_and_posix_shmem_keep_their_sizes() {
    require_namespaces!();
    let sb = Sandbox::new();
    expect(
        &sb,
        "ipcmk",
        &["-M", "1M", "-m", "2K", "-n", "/x"],
        ROOT,
        "Shared memory id: 0\nPOSIX shared memory name: /x\n",
        "",
        0,
    );
    assert_eq!(only(&sb, "shm")["size"], "1048576");
    assert_eq!(sb.sh_ok("stat -c %s /dev/shm/x"), "2048\n");
}

#[test]
fn posix_usage_errors_create_nothing() {
    require_namespaces!();
    let sb = Sandbox::new();
    sb.sh_ok("$NSIPC ipcmk -m 1 -q -s -n /taken >/dev/null");
    let name_required = format!("ipcmk: name is required for POSIX IPC\n{TRY}");
    for args in [
        &["-m", "1"][..],
        &["-q"],
        &["-s"],
        &["-Q", "-s"],
        &["-M", "1", "-q"],
    ] {
        expect_unchanged(&sb, "ipcmk", args, ROOT, &name_required, 1);
    }
    let cases: &[(&[&str], &str)] = &[
        (
            &["-q", "-n", "noslash"],
            "create POSIX message queue failed: Invalid argument",
        ),
        (
            &["-q", "-n", "/a/b"],
            "create POSIX message queue failed: Permission denied",
        ),
        (
            &["-m", "1", "-n", "/a/b"],
            "create POSIX shared memory failed: Invalid argument",
        ),
        (
            &["-s", "-n", ""],
            "create POSIX semaphore failed: Invalid argument",
        ),
        (
            &["-m", "1", "-n", "/"],
            "create POSIX shared memory failed: Invalid argument",
        ),
        (
            &["-m", "1x", "-n", "/y"],
            "failed to parse size: '1x': Invalid argument",
        ),
        (
            &["-m", "16E", "-n", "/y"],
            "failed to parse size: '16E': Numerical result out of range",
        ),
        (
            &["-m", "15E", "-n", "/y"],
            "create POSIX shared memory failed: Invalid argument",
        ),
        // Existing objects are not opened (or resized!) as if new.
        (
            &["-q", "-n", "/taken"],
            "create POSIX message queue failed: File exists",
        ),
        (
            &["-m", "0", "-n", "/taken"],
            "create POSIX shared memory failed: File exists",
        ),
        (
            &["-s", "-n", "taken"],
            "create POSIX semaphore failed: File exists",
        ),
    ];
    for (args, message) in cases {
        expect_unchanged(&sb, "ipcmk", args, ROOT, &format!("ipcmk: {message}\n"), 1);
    }
    // Permission to create is the directory's: another user may not
    // replace root's object either.
    expect_unchanged(
        &sb,
        "ipcmk",
        &["-s", "-n", "/taken"],
        ALICE,
        "ipcmk: create POSIX semaphore failed: File exists\n",
        1,
    );
}

/// When one of several objects cannot be made, the ones made before it are
/// removed again and nothing is printed on stdout (util-linux leaves them
/// and prints their ids).
#[test]
fn a_failure_leaves_nothing_behind() {
    require_namespaces!();
    let sb = Sandbox::new();
    sb.sh_ok("$NSIPC ipcmk --key=0x77 -Q -q -n /q >/dev/null");
    let cases: &[(&[&str], &str)] = &[
        (
            &["-M", "100", "-S", "0"],
            "create semaphore failed: Invalid argument",
        ),
        (
            &["-M", "100", "-Q", "-m", "10", "-s", "-q", "-n", "/q"],
            "create POSIX message queue failed: File exists",
        ),
        (
            &["-M", "100", "-m", "10", "-s", "-q", "-n", "noslash"],
            "create POSIX message queue failed: Invalid argument",
        ),
        (
            &["--key=0x77", "-M", "100", "-S", "1", "-Q"],
            "create message queue failed: File exists",
        ),
    ];
    for (args, message) in cases {
        expect_unchanged(&sb, "ipcmk", args, ROOT, &format!("ipcmk: {message}\n"), 1);
    }
}

/// When the ids and names cannot be written (`> /dev/full`), nobody could
/// find the objects to remove them: they are removed again, and the run
/// ends with util-linux's write error. Every kind, alone and together, with
/// and without `-p`.
#[test]
fn unwritten_ids_leave_nothing_behind() {
    require_namespaces!();
    let sb = Sandbox::new();
    let kinds: &[&[&str]] = &[
        &["-M", "100"],
        &["-Q"],
        &["-S", "2"],
        &["-m", "10", "-n", "/a"],
        &["-q", "-n", "/b"],
        &["-s", "-n", "/c"],
        &[
            "-M", "100", "-Q", "-S", "1", "-m", "10", "-q", "-s", "-n", "/d",
        ],
    ];
    for kind in kinds {
        for mode in [&[][..], &["-p", "600"], &["-p", "0"]] {
            let args = [*kind, mode].concat();
            let before = ipc_state::snapshot(&sb);
            let full = std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap();
            let out = sb
                .command(common::nsipc_bin())
                .arg0("ipcmk")
                .args(&args)
                .stdout(full)
                .output()
                .unwrap();
            assert_eq!(
                (common::stderr(&out).as_str(), out.status.code()),
                ("ipcmk: write error: No space left on device\n", Some(1)),
                "{args:?}"
            );
            assert_eq!(ipc_state::snapshot(&sb), before, "{args:?} left objects");
        }
    }
}

#[test]
fn explicit_key_is_used_for_every_kind() {
    require_namespaces!();
    let sb = Sandbox::new();
    expect(
        &sb,
        "ipcmk",
        &["--key=0x1234", "-Q", "-M", "10", "-S", "1"],
        ROOT,
        "Shared memory id: 0\nMessage queue id: 0\nSemaphore id: 0\n",
        "",
        0,
    );
    for kind in ["msg", "shm", "sem"] {
        assert_eq!(ipc_state::keys(&sb, kind), [0x1234]);
    }
    // Taken: a clear error, nothing changes.
    for args in [&["--key=0x1234", "-Q"][..], &["--key", "4660", "-Q"]] {
        expect_unchanged(
            &sb,
            "ipcmk",
            args,
            ROOT,
            "ipcmk: create message queue failed: File exists\n",
            1,
        );
    }
    // Other spellings: octal, negative and high keys (as ipcs shows them).
    expect(
        &sb,
        "ipcmk",
        &["--key=010", "-Q"],
        ROOT,
        "Message queue id: 1\n",
        "",
        0,
    );
    expect(
        &sb,
        "ipcmk",
        &["--key=-2", "-Q"],
        ROOT,
        "Message queue id: 2\n",
        "",
        0,
    );
    expect(
        &sb,
        "ipcmk",
        &["--ke=0xfffffffd", "-Q"],
        ROOT,
        "Message queue id: 3\n",
        "",
        0,
    );
    assert_eq!(ipc_state::keys(&sb, "msg"), [0x1234, 8, -2, -3]);
    // Key 0 is IPC_PRIVATE: a new private object each time.
    expect(
        &sb,
        "ipcmk",
        &["--key=0", "-Q"],
        ROOT,
        "Message queue id: 4\n",
        "",
        0,
    );
    expect(
        &sb,
        "ipcmk",
        &["--key=0", "-Q"],
        ROOT,
        "Message queue id: 5\n",
        "",
        0,
    );
    for (key, message) in [
        ("zz", "ipcmk: failed to parse key: 'zz'\n"),
        ("", "ipcmk: failed to parse key: ''\n"),
        ("1 ", "ipcmk: failed to parse key: '1 '\n"),
        (
            "0x100000000",
            "ipcmk: failed to parse key: '0x100000000': Numerical result out of range\n",
        ),
        (
            "-2147483649",
            "ipcmk: failed to parse key: '-2147483649': Numerical result out of range\n",
        ),
    ] {
        expect_unchanged(&sb, "ipcmk", &["-Q", "--key", key], ROOT, message, 1);
    }
    expect_unchanged(
        &sb,
        "ipcmk",
        &["--key"],
        ROOT,
        &format!("ipcmk: option '--key' requires an argument\n{TRY}"),
        1,
    );
}

/// Many random keys in one namespace: all distinct, none 0.
#[test]
fn random_keys_are_distinct_and_never_private() {
    require_namespaces!();
    let sb = Sandbox::new();
    sb.sh_ok("i=0; while [ $i -lt 100 ]; do $NSIPC ipcmk -Q -M 1 -S 1 >/dev/null || exit 1; i=$((i+1)); done");
    for kind in ["msg", "shm", "sem"] {
        let mut keys = ipc_state::keys(&sb, kind);
        assert_eq!(keys.len(), 100);
        assert!(!keys.contains(&0));
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), 100, "{kind} keys repeat");
    }
}

#[test]
fn help_and_version() {
    require_namespaces!();
    let sb = Sandbox::new();
    let out = sb.nsipc("ipcmk", &["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = common::stdout(&out);
    assert!(help.starts_with("\nUsage:\n ipcmk [options]\n"), "{help}");
    for option in [
        "-M, --shmem <size>",
        "-m, --posix-shmem <size>",
        "-S, --semaphore <number>",
        "-s, --posix-semaphore",
        "-Q, --queue",
        "-q, --posix-mqueue",
        "-p, --mode <mode>",
        "-n, --name <name>",
        "    --key <key>",
        "-h, --help",
        "-V, --version",
    ] {
        assert!(help.contains(option), "help lacks {option}");
    }
    // -h wins over what follows, but not over an earlier bad value.
    assert_eq!(
        common::stdout(&sb.nsipc("ipcmk", &["-h", "-M", "bad"])),
        help
    );
    let out = sb.nsipc("ipcmk", &["-M", "bad", "-h"]);
    assert_eq!(common::stdout(&out), "");
    assert_eq!(out.status.code(), Some(1));
    let out = sb.nsipc("ipcmk", &["-V"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(common::stdout(&out).starts_with("ipcmk from util-linux"));
    assert_eq!(objects(&sb, true), EMPTY);
}

/// Another user's objects are theirs, as with util-linux.
#[test]
fn creates_as_another_user_like_util_linux() {
    require_namespaces!();
    for args in [
        &["-Q", "-M", "10", "-S", "1"][..],
        &["-M", "1", "-p", "600"],
    ] {
        compare_fresh("true", "ipcmk", args, ALICE, false);
    }
}

/// Names are not text: they are printed byte for byte, by ipcmk and by
/// ipcrm -v.
#[test]
fn names_are_printed_byte_for_byte() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::process::CommandExt;
    require_namespaces!();
    let sb = Sandbox::new();
    let name = OsStr::from_bytes(b"/n\xffx");
    let run = |tool: &str, args: &[&str]| {
        sb.command(common::nsipc_bin())
            .arg0(tool)
            .args(args)
            .arg(name)
            .output()
            .unwrap()
    };
    let out = run("ipcmk", &["-m", "1", "-n"]);
    assert_eq!(out.stdout, b"POSIX shared memory name: /n\xffx\n");
    assert_eq!(
        sb.sh_ok("ls /dev/shm | od -An -c | tr -s ' '"),
        " n 377 x \\n\n"
    );
    let out = run("ipcrm", &["-v", "--posix-shmem"]);
    assert_eq!(out.stdout, b"removing POSIX shared memory `/n\xffx'\n");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(objects(&sb, true), EMPTY);
}
