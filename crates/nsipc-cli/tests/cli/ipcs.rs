//! `ipcs` against util-linux's, on the same IPC namespace state.
//!
//! Every listing and detail mode is compared byte for byte (stdout, stderr,
//! exit status) with `/usr/bin/ipcs`. Both run back to back on unchanged
//! state, so the times they print are the same.

use crate::common;

use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;

use common::{As, Sandbox};
use nsipc::ipc::sysv::{self, Key, SetPerm, IPC_PRIVATE};
use nsipc::ipc::CreateOptions;

const ALICE: As = As {
    uid: Some(1001),
    gid: Some(1001),
};
const LONG: As = As {
    uid: Some(1002),
    gid: Some(1002),
};
const BOB: As = As {
    uid: Some(1003),
    gid: Some(2003),
};

/// Every listing mode: resources × formats × units.
fn listing_modes() -> Vec<Vec<&'static str>> {
    let mut modes = Vec::new();
    for resource in [None, Some("-a"), Some("-q"), Some("-m"), Some("-s")] {
        for format in [
            None,
            Some("-t"),
            Some("-p"),
            Some("-c"),
            Some("-l"),
            Some("-u"),
        ] {
            for unit in [None, Some("-b"), Some("--human")] {
                modes.push([resource, format, unit].into_iter().flatten().collect());
            }
        }
    }
    modes
}

fn compare_all_listings(sb: &Sandbox, creds: As) {
    for args in listing_modes() {
        sb.compare_as("ipcs", &args, creds);
    }
}

/// Runs `setup` inside the sandbox (after the namespace switch, before exec
/// of `true`) with `creds`. Only raw syscalls belong in it.
fn run_in<F, E>(sb: &Sandbox, creds: As, mut setup: F)
where
    F: FnMut() -> Result<(), E> + Send + Sync + 'static,
    E: Into<io::Error>,
{
    let mut cmd = sb.command_as("/bin/true", creds);
    // SAFETY: `setup` only makes raw System V IPC syscalls (no allocation,
    // no locks), which is what is allowed between fork and exec; an error
    // of the library with an errno becomes its io::Error without
    // allocating.
    unsafe { cmd.pre_exec(move || setup().map_err(Into::into)) };
    let status = cmd.status().expect("run setup");
    assert!(status.success(), "setup failed in the sandbox");
}

#[repr(C)]
struct Message {
    mtype: libc::c_long,
    text: [u8; 200],
}

/// `msgsnd` of `len` bytes to queue `id`, from inside the sandbox.
fn send(sb: &Sandbox, id: i32, len: usize) {
    run_in(sb, As::default(), move || {
        let msg = Message {
            mtype: 1,
            text: [b'x'; 200],
        };
        // SAFETY: `msg` is a valid message buffer of at least `len` bytes
        // of text after the type.
        let rc =
            unsafe { libc::msgsnd(id, (&msg as *const Message).cast(), len, libc::IPC_NOWAIT) };
        if rc == -1 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    });
}

/// `msgrcv` of one message from queue `id`, from inside the sandbox.
fn receive(sb: &Sandbox, id: i32) {
    run_in(sb, As::default(), move || {
        let mut msg = Message {
            mtype: 0,
            text: [0; 200],
        };
        // SAFETY: `msg` has room for 200 bytes of text after the type.
        let rc = unsafe {
            libc::msgrcv(
                id,
                (&mut msg as *mut Message).cast(),
                200,
                0,
                libc::IPC_NOWAIT,
            )
        };
        if rc == -1 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    });
}

/// One `semop` adding `value` to semaphore `num` of set `id`.
fn semop(sb: &Sandbox, id: i32, num: u16, value: i16) {
    run_in(sb, As::default(), move || {
        let mut op = libc::sembuf {
            sem_num: num,
            sem_op: value,
            sem_flg: libc::IPC_NOWAIT as i16,
        };
        // SAFETY: one valid sembuf.
        if unsafe { libc::semop(id, &mut op, 1) } == -1 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    });
}

/// A process attached to a segment inside the sandbox, until dropped.
struct Attached {
    pid: libc::pid_t,
}

impl Attached {
    fn new(sb: &Sandbox, shmid: i32) -> Attached {
        let ns = File::open(format!("/proc/{}/ns/ipc", sb.pid())).unwrap();
        let mut fds = [0; 2];
        // SAFETY: plain pipe creation into a 2-element array.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        let nsfd = ns.as_raw_fd();
        // SAFETY: the child only makes raw syscalls (prctl, setns, shmat,
        // write, pause, _exit) before it is killed: async-signal-safe.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0, "fork failed");
        if pid == 0 {
            // SAFETY: see the fork above.
            unsafe {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                if libc::setns(nsfd, libc::CLONE_NEWIPC) != 0 {
                    libc::_exit(1);
                }
                if libc::shmat(shmid, std::ptr::null(), 0) as isize == -1 {
                    libc::_exit(2);
                }
                libc::write(fds[1], b"x".as_ptr().cast(), 1);
                loop {
                    libc::pause();
                }
            }
        }
        let mut byte = 0u8;
        // SAFETY: reading one byte into a valid buffer.
        let n = unsafe { libc::read(fds[0], (&mut byte as *mut u8).cast(), 1) };
        // SAFETY: both pipe ends are ours and not used after this.
        unsafe {
            libc::close(fds[0]);
            libc::close(fds[1]);
        }
        assert_eq!(n, 1, "the attaching child failed");
        Attached { pid }
    }
}

impl Drop for Attached {
    fn drop(&mut self) {
        // SAFETY: killing and reaping our own child.
        unsafe {
            libc::kill(self.pid, libc::SIGKILL);
            libc::waitpid(self.pid, std::ptr::null_mut(), 0);
        }
    }
}

/// Ids of the objects of one kind, in /proc order, as seen in the sandbox.
fn ids(sb: &Sandbox, kind: &str) -> Vec<i32> {
    sb.sh_ok(&format!("tail -n +2 /proc/sysvipc/{kind}"))
        .lines()
        .map(|l| l.split_whitespace().nth(1).unwrap().parse().unwrap())
        .collect()
}

fn last_id(sb: &Sandbox, kind: &str) -> i32 {
    *ids(sb, kind).last().expect("an object was created")
}

/// A namespace with one of everything: messages, received messages,
/// private keys, other owners (with and without names, the 21-character
/// user), locked and removed-while-attached segments, used semaphores.
struct Populated {
    sb: Sandbox,
    _attached: Attached,
    queues: Vec<i32>,
    segments: Vec<i32>,
    sets: Vec<i32>,
}

fn populated() -> Populated {
    let sb = Sandbox::new();
    // Queues: keyed with messages; private and owned by alice; by the long
    // user; one with a uid and gid that have no names.
    run_in(&sb, As::default(), || {
        sysv::msg::create(
            Key::from_raw(0x1234),
            CreateOptions::new().mode(0o644).exclusive(),
        )
        .map(|_| ())
    });
    let q0 = last_id(&sb, "msg");
    send(&sb, q0, 200);
    send(&sb, q0, 100);
    send(&sb, q0, 4900);
    receive(&sb, q0);
    run_in(&sb, ALICE, || {
        sysv::msg::create(IPC_PRIVATE, CreateOptions::new().mode(0o600)).map(|_| ())
    });
    let q1 = last_id(&sb, "msg");
    run_in(&sb, LONG, || {
        sysv::msg::create(
            Key::from_raw(-42),
            CreateOptions::new().mode(0o640).exclusive(),
        )
        .map(|_| ())
    });
    let q2 = last_id(&sb, "msg");
    run_in(&sb, As::default(), || {
        sysv::msg::create(
            Key::from_raw(0x7fff_ffff),
            CreateOptions::new().mode(0o666).exclusive(),
        )
        .map(|_| ())
    });
    let q3 = last_id(&sb, "msg");
    run_in(&sb, As::default(), move || {
        sysv::msg::set(
            q3.into(),
            &SetPerm {
                uid: Some(4242),
                gid: Some(4343),
                mode: None,
            },
            None,
        )
    });

    // Segments: keyed; locked; removed while attached; bob's; 1 MiB private.
    run_in(&sb, As::default(), || {
        sysv::shm::create(
            Key::from_raw(0x5678),
            5000,
            CreateOptions::new().mode(0o644).exclusive(),
        )
        .map(|_| ())
    });
    let s0 = last_id(&sb, "shm");
    run_in(&sb, As::default(), || {
        sysv::shm::create(
            Key::from_raw(0x5679),
            12,
            CreateOptions::new().mode(0o600).exclusive(),
        )
        .map(|_| ())
    });
    let s1 = last_id(&sb, "shm");
    run_in(&sb, As::default(), move || sysv::shm::lock(s1.into()));
    run_in(&sb, As::default(), || {
        sysv::shm::create(
            Key::from_raw(0x567a),
            8192,
            CreateOptions::new().mode(0o600).exclusive(),
        )
        .map(|_| ())
    });
    let s2 = last_id(&sb, "shm");
    let attached = Attached::new(&sb, s2);
    run_in(&sb, As::default(), move || sysv::shm::remove(s2.into()));
    run_in(&sb, BOB, || {
        sysv::shm::create(IPC_PRIVATE, 1 << 20, CreateOptions::new().mode(0o640)).map(|_| ())
    });
    let s3 = last_id(&sb, "shm");
    run_in(&sb, LONG, || {
        sysv::shm::create(
            Key::from_raw(-1),
            4096,
            CreateOptions::new().mode(0o600).exclusive(),
        )
        .map(|_| ())
    });
    let s4 = last_id(&sb, "shm");

    // Semaphore sets: keyed with operations; alice's private; the long
    // user's with no read permission for others.
    run_in(&sb, As::default(), || {
        sysv::sem::create(
            Key::from_raw(0x9abc),
            3,
            CreateOptions::new().mode(0o600).exclusive(),
        )
        .map(|_| ())
    });
    let m0 = last_id(&sb, "sem");
    semop(&sb, m0, 1, 5);
    semop(&sb, m0, 2, 1);
    run_in(&sb, ALICE, || {
        sysv::sem::create(IPC_PRIVATE, 1, CreateOptions::new().mode(0o644)).map(|_| ())
    });
    let m1 = last_id(&sb, "sem");
    run_in(&sb, LONG, || {
        sysv::sem::create(
            Key::from_raw(0x9abd),
            2,
            CreateOptions::new().mode(0o600).exclusive(),
        )
        .map(|_| ())
    });
    let m2 = last_id(&sb, "sem");

    Populated {
        sb,
        _attached: attached,
        queues: vec![q0, q1, q2, q3],
        segments: vec![s0, s1, s2, s3, s4],
        sets: vec![m0, m1, m2],
    }
}

#[test]
fn empty_namespace_every_listing_mode() {
    require_namespaces!();
    let sb = Sandbox::new();
    compare_all_listings(&sb, As::default());
    let out = sb.compare("ipcs", &[]);
    assert_eq!(
        common::stdout(&out),
        "\n------ Message Queues --------\n\
         key        msqid      owner      perms      used-bytes   messages    \n\n\
         ------ Shared Memory Segments --------\n\
         key        shmid      owner      perms      bytes      nattch     status      \n\n\
         ------ Semaphore Arrays --------\n\
         key        semid      owner      perms      nsems     \n\n"
    );
    assert_eq!(common::stdout(&sb.compare("ipcs", &["-s", "-p"])), "\n\n");
}

#[test]
fn populated_namespace_every_listing_mode() {
    require_namespaces!();
    let p = populated();
    compare_all_listings(&p.sb, As::default());
    // Non-root callers see the same listing (from /proc, whatever the
    // permissions), including the long user.
    for creds in [ALICE, LONG] {
        for args in [&[][..], &["-c"], &["-t"], &["-p"], &["-u"]] {
            p.sb.compare_as("ipcs", args, creds);
        }
    }
    // A spot check that the state is what the comparisons claim to cover.
    let out = common::stdout(&p.sb.nsipc("ipcs", &["-m"]));
    assert!(out.contains(" dest "), "{out}");
    assert!(out.contains("locked\n"), "{out}");
    assert!(out.contains("averyveryl"), "{out}");
    let out = common::stdout(&p.sb.nsipc("ipcs", &["-q", "-c"]));
    assert!(
        out.contains("averyverylongusername averyverylonggroupname"),
        "{out}"
    );
    assert!(out.contains("4242       4343"), "{out}");
}

#[test]
fn detail_of_each_kind_found_and_not_found() {
    require_namespaces!();
    let p = populated();
    let sb = &p.sb;
    let kinds = [("-q", &p.queues), ("-m", &p.segments), ("-s", &p.sets)];
    for (flag, ids) in kinds {
        for id in ids.iter() {
            let id = id.to_string();
            for unit in [None, Some("-b"), Some("--human")] {
                let args: Vec<&str> = [Some(flag), Some("-i"), Some(id.as_str()), unit]
                    .into_iter()
                    .flatten()
                    .collect();
                let out = sb.compare("ipcs", &args);
                assert_eq!(out.status.code(), Some(0));
                assert!(!out.stdout.is_empty());
            }
            // Format options are ignored with -i.
            sb.compare("ipcs", &[flag, "--id", &id, "-t"]);
            // As a user without read permission: msg shows qbytes=0, sem
            // fails on its values, shm shows everything.
            sb.compare_as("ipcs", &[flag, "-i", &id], ALICE);
        }
        let out = sb.compare("ipcs", &[flag, "-i", "999999"]);
        assert_eq!(common::stderr(&out), "ipcs: id 999999 not found\n");
        assert_eq!(out.status.code(), Some(0));
        assert!(out.stdout.is_empty());
    }
    // A negative id is not found (util-linux shows the first object under
    // it: a documented difference, so no comparison here).
    for flag in ["-q", "-m", "-s"] {
        let out = sb.nsipc("ipcs", &[flag, "-i", "-1"]);
        assert_eq!(common::stderr(&out), "ipcs: id -1 not found\n");
        assert_eq!(out.status.code(), Some(0));
        assert!(out.stdout.is_empty());
    }
    // The long user's 0600 set read by alice: the values cannot be read.
    let id = p.sets[2].to_string();
    let out = sb.compare_as("ipcs", &["-s", "-i", &id], ALICE);
    assert_eq!(
        common::stderr(&out),
        "ipcs: semctl(GETVAL) failed: Permission denied\n"
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    // The semaphore values and pids are shown.
    let out = common::stdout(&sb.nsipc("ipcs", &["-s", "-i", &p.sets[0].to_string()]));
    assert!(
        out.contains("\n1          5          0          0          "),
        "{out}"
    );
}

#[test]
fn usage_errors() {
    require_namespaces!();
    let sb = Sandbox::new();
    sb.sh_ok("/usr/bin/ipcmk -Q >/dev/null");
    let before = sb.sh_ok("cat /proc/sysvipc/msg /proc/sysvipc/shm /proc/sysvipc/sem");
    let cases: &[&[&str]] = &[
        &["-i", "abc"],
        &["-i", ""],
        &["-i", "12x"],
        &["-i", "0x1"],
        &["-i", "99999999999"],
        &["-i", "2147483648"],
        &["-i", "-2147483649"],
        &["-i", "0"],
        &["-q", "-m", "-i", "0"],
        &["-a", "-i", "0"],
        &["-i"],
        &["-q", "-i"],
        &["--id"],
        &["-x"],
        &["--bogus"],
        &["--all=1"],
        &["-i", "abc", "-x"],
        &["-x", "-i", "abc"],
        &["-qx"],
        &["--h"],
    ];
    for args in cases {
        let out = sb.compare("ipcs", args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let out = sb.nsipc("ipcs", &["-i", "abc"]);
    assert_eq!(
        common::stderr(&out),
        "ipcs: failed to parse id argument: 'abc'\n"
    );
    let out = sb.nsipc("ipcs", &["-q", "-s", "-i", "1"]);
    assert_eq!(
        common::stderr(&out),
        "ipcs: when using an ID, a single resource must be specified\n"
    );
    // Operands are ignored; unique prefixes of long options work.
    sb.compare("ipcs", &["extra", "-q"]);
    sb.compare("ipcs", &["--qu", "--sem", "--ti"]);
    let after = sb.sh_ok("cat /proc/sysvipc/msg /proc/sysvipc/shm /proc/sysvipc/sem");
    assert_eq!(before, after, "a usage error changed the namespace");
}

#[test]
fn fallback_without_proc_sysvipc_shows_the_same_objects() {
    require_namespaces!();
    let p = populated();
    let sb = &p.sb;
    let views: &[&[&str]] = &[&[], &["-c"], &["-t"], &["-p"], &["-i", "0", "-q"]];
    let before: Vec<_> = views.iter().map(|a| sb.nsipc("ipcs", a).stdout).collect();
    // Fault injection: hide /proc/sysvipc (in the sandbox's mount namespace
    // only). nsipc then walks the kernel table with *_STAT_ANY and must
    // show every object with its real creator gid (util-linux would show
    // the creator uid there, and hide objects root could not read).
    sb.sh_ok("mount -t tmpfs none /proc/sysvipc && ! test -e /proc/sysvipc/msg");
    for (args, before) in views.iter().zip(before) {
        let after = sb.nsipc("ipcs", args);
        assert_eq!(
            String::from_utf8_lossy(&before),
            String::from_utf8_lossy(&after.stdout),
            "{args:?}"
        );
    }
    // Bob's segment: creator gid 2003 (staffers), not his uid.
    let out = common::stdout(&sb.nsipc("ipcs", &["-m", "-c"]));
    assert!(
        out.contains(" bob        staffers   bob        staffers  \n"),
        "{out}"
    );
}

#[test]
fn limits_and_summary_in_a_fresh_namespace() {
    require_namespaces!();
    let sb = Sandbox::new();
    let out = sb.compare("ipcs", &["-l"]);
    let text = common::stdout(&out);
    // The wording util-linux's own tests parse.
    assert!(text.contains("\nmax number of segments = "), "{text}");
    assert!(
        text.contains("\nmax total shared memory (kbytes) = "),
        "{text}"
    );
    assert!(text.contains("\nmax seg size (kbytes) = "), "{text}");
    sb.compare("ipcs", &["-u"]);
    // Raised limits (per namespace) show through.
    sb.sh_ok(
        "echo 77 > /proc/sys/kernel/msgmni; echo 100 > /proc/sys/kernel/shmmni; \
              printf '250\\t32000\\t32\\t128\\n' > /proc/sys/kernel/sem",
    );
    for args in [&["-l"][..], &["-l", "-b"], &["-l", "--human"]] {
        sb.compare("ipcs", args);
    }
}

/// The limits util-linux's own suite writes (tests/ts/ipcs/limits: 32768
/// segments, shmall and shmmax at 2^32 - 1 pages and bytes) and reads back
/// through `ipcs -m -l`; the default shmall (which overflows in kbytes) is
/// the test above.
#[test]
fn shm_limits_at_2_pow_32_minus_1() {
    require_namespaces!();
    let sb = Sandbox::new();
    sb.sh_ok(
        "echo 32768 > /proc/sys/kernel/shmmni; echo 4294967295 > /proc/sys/kernel/shmall; \
         echo 4294967295 > /proc/sys/kernel/shmmax",
    );
    for args in [
        &["-m", "-l"][..],
        &["-l"],
        &["-m", "-l", "-b"],
        &["-m", "-l", "--human"],
    ] {
        sb.compare("ipcs", args);
    }
    let page: u64 = sb.sh_ok("getconf PAGESIZE").trim().parse().unwrap();
    let text = common::stdout(&sb.nsipc("ipcs", &["-m", "-l"]));
    for line in [
        "max number of segments = 32768".to_string(),
        format!("max seg size (kbytes) = {}", 4294967295u64 / 1024),
        format!(
            "max total shared memory (kbytes) = {}",
            4294967295u64 * (page / 1024)
        ),
    ] {
        assert!(text.lines().any(|l| l == line), "{line:?} not in {text}");
    }
}

#[test]
fn junk_over_proc_sysvipc_never_hangs_or_loops() {
    require_namespaces!();
    let p = populated();
    let sb = &p.sb;
    let msg_before = common::stdout(&sb.nsipc("ipcs", &["-q"]));
    let shm_before = common::stdout(&sb.nsipc("ipcs", &["-m"]));
    // msg: a directory; shm: a FIFO nobody writes to; sem: a regular file
    // of garbage (NULs, an overlong line, no final newline). The first two
    // are not regular files, so the listing falls back to the syscalls; the
    // third is what "/proc" says: no sets.
    sb.sh_ok(
        "mount -t tmpfs none /proc/sysvipc && cd /proc/sysvipc && mkdir msg && mkfifo shm && \
         { printf 'key semid\\n\\0\\0\\0\\n'; head -c 100000 /dev/zero | tr '\\0' 7; } > sem",
    );
    assert_eq!(common::stdout(&sb.nsipc("ipcs", &["-q"])), msg_before);
    assert_eq!(common::stdout(&sb.nsipc("ipcs", &["-m"])), shm_before);
    let out = sb.nsipc("ipcs", &["-s"]);
    assert_eq!(
        common::stdout(&out),
        "\n------ Semaphore Arrays --------\nkey        semid      owner      perms      nsems     \n\n"
    );
    assert_eq!(out.status.code(), Some(0));
}

/// Runs nsipc's ipcs in `viewer` with `--namespace=<spec>` first.
fn view(viewer: &Sandbox, spec: &str, args: &[&str], creds: As) -> std::process::Output {
    let flag = format!("--namespace={spec}");
    let mut all = vec![flag.as_str()];
    all.extend_from_slice(args);
    viewer.nsipc_as("ipcs", &all, creds)
}

#[test]
fn namespace_option_shows_the_other_namespace_byte_for_byte() {
    require_namespaces!();
    let p = populated();
    // Distinct limits in the target, and an object of the viewer's own
    // that must not show.
    p.sb.sh_ok("echo 77 > /proc/sys/kernel/msgmni");
    let viewer = Sandbox::new();
    viewer.sh_ok("/usr/bin/ipcmk -Q >/dev/null && /usr/bin/ipcmk -S 2 >/dev/null");
    let pid = p.sb.pid().to_string();
    let file = format!("/proc/{pid}/ns/ipc");
    let details: Vec<(&str, String)> = [("-q", &p.queues), ("-m", &p.segments), ("-s", &p.sets)]
        .into_iter()
        .flat_map(|(flag, ids)| {
            ids.iter()
                .map(|id| id.to_string())
                .chain(["999".to_string()])
                .map(move |id| (flag, id))
        })
        .collect();
    let mut modes = listing_modes();
    modes.extend(
        details
            .iter()
            .map(|(flag, id)| vec![*flag, "-i", id.as_str()]),
    );
    for args in &modes {
        let inside = p.sb.nsipc("ipcs", args);
        for spec in [pid.as_str(), file.as_str()] {
            let seen = view(&viewer, spec, args, As::default());
            common::assert_same("ipcs --namespace", args, &inside, &seen);
        }
    }
    // The viewer's own namespace is untouched and still its own.
    let own = common::stdout(&viewer.nsipc("ipcs", &["-q"]));
    assert_eq!(own.lines().count(), 5, "{own}");
}

#[test]
fn namespace_option_errors() {
    require_namespaces!();
    let target = Sandbox::new();
    let viewer = Sandbox::new();
    let pid = target.pid().to_string();
    // Without privilege: the namespace file cannot even be opened.
    let out = view(&viewer, &pid, &[], ALICE);
    assert_eq!(
        common::stderr(&out),
        format!("ipcs: cannot open /proc/{pid}/ns/ipc: Permission denied\n")
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    // Not a namespace, another kind of namespace, no such process.
    let out = view(&viewer, "/etc/passwd", &[], As::default());
    assert_eq!(
        common::stderr(&out),
        "ipcs: /etc/passwd: not a namespace file\n"
    );
    assert_eq!(out.status.code(), Some(1));
    let uts = format!("/proc/{pid}/ns/uts");
    let out = view(&viewer, &uts, &[], As::default());
    assert_eq!(
        common::stderr(&out),
        format!("ipcs: {uts}: not an IPC namespace\n")
    );
    assert_eq!(out.status.code(), Some(1));
    let out = view(&viewer, "999999999", &[], As::default());
    assert_eq!(
        common::stderr(&out),
        "ipcs: cannot open /proc/999999999/ns/ipc: No such file or directory\n"
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    // Usage errors still come first.
    let out = view(&viewer, &pid, &["-i", "x"], As::default());
    assert_eq!(
        common::stderr(&out),
        "ipcs: failed to parse id argument: 'x'\n"
    );
    let out = viewer.nsipc("ipcs", &["--namespace"]);
    assert_eq!(
        common::stderr(&out),
        "ipcs: option '--namespace' requires an argument\nTry 'ipcs --help' for more information.\n"
    );
}
