//! Resource limits: few file descriptors (`ulimit -n`) and little address
//! space (`ulimit -v`). The tools must fail the way util-linux fails, with
//! its exit status, or succeed where it succeeds — never abort, never
//! print a partial result as if it were complete.

use crate::common;

use std::os::unix::process::CommandExt;
use std::process::{Command, Output};

use common::{nsipc_bin, on_ci, stderr, stdout, util_linux_bin, Sandbox};

/// Sets a resource limit (soft and hard) in the child, after the sandbox's
/// own set-up.
fn limit(cmd: &mut Command, resource: libc::__rlimit_resource_t, value: u64) -> &mut Command {
    // SAFETY: setrlimit between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            let rl = libc::rlimit {
                rlim_cur: value,
                rlim_max: value,
            };
            if libc::setrlimit(resource, &rl) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        })
    }
}

fn run_limited(
    sb: &Sandbox,
    bin: &std::path::Path,
    tool: &str,
    args: &[&str],
    resource: libc::__rlimit_resource_t,
    value: u64,
) -> Output {
    let mut cmd = sb.command(bin);
    cmd.arg0(tool).args(args);
    limit(&mut cmd, resource, value).output().unwrap()
}

/// With too few descriptors to open a process's files, lsns (listing,
/// JSON, `-p PID`) prints nothing and exits 1, as util-linux does — it
/// printed an empty or partial list and exited 0. nsipc also says which
/// file it could not read (util-linux master is silent).
#[test]
fn lsns_without_descriptors_fails() {
    require_namespaces!();
    let sb = Sandbox::new();
    let pid = sb.pid().to_string();
    for files in [4, 5] {
        for args in [&[][..], &["-J"], &["-p", &pid], &["-t", "ipc"]] {
            let what = format!("ulimit -n {files}; lsns {args:?}");
            let ours = run_limited(&sb, &nsipc_bin(), "lsns", args, libc::RLIMIT_NOFILE, files);
            assert_eq!(ours.status.code(), Some(1), "{what}: {}", stderr(&ours));
            assert_eq!(stdout(&ours), "", "{what}");
            let text = stderr(&ours);
            assert!(
                text.starts_with("lsns: cannot read /proc/")
                    && text.ends_with(": Too many open files\n")
                    && text.lines().count() == 1,
                "{what}: {text}"
            );
            match util_linux_bin("lsns") {
                Some(bin) => {
                    let theirs = run_limited(&sb, &bin, "lsns", args, libc::RLIMIT_NOFILE, files);
                    assert_eq!(theirs.status.code(), ours.status.code(), "{what}");
                    assert_eq!(theirs.stdout, ours.stdout, "{what}");
                }
                None => assert!(!on_ci(), "util-linux lsns must be installed on CI"),
            }
        }
    }
}

/// `ulimit -v` from 8000 to 16000 KiB, 20 runs each: ipcs must succeed
/// every time, as util-linux does. It aborted ("memory allocation of 131072
/// bytes failed", SIGABRT) in most runs at some of these limits; and an
/// allocation that does fail must end as util-linux's `xmalloc` ends (exit
/// 1 with a message), never by a signal.
#[test]
fn ipcs_under_address_space_limits() {
    require_namespaces!();
    let sb = Sandbox::new();
    sb.sh_ok("$NSIPC ipcmk -M 4096 -Q -S 2 >/dev/null");
    let want = sb.nsipc("ipcs", &[]);
    assert_eq!(want.status.code(), Some(0));
    for kib in (8000..=16000).step_by(1000) {
        let mut ok = 0;
        for _ in 0..20 {
            let o = run_limited(&sb, &nsipc_bin(), "ipcs", &[], libc::RLIMIT_AS, kib * 1024);
            match o.status.code() {
                Some(0) => {
                    assert_eq!(o.stdout, want.stdout, "ulimit -v {kib}");
                    ok += 1;
                }
                Some(1) => assert!(
                    stderr(&o).starts_with("ipcs: cannot allocate "),
                    "ulimit -v {kib}: {}",
                    stderr(&o)
                ),
                _ => panic!("ulimit -v {kib}: {:?} {}", o.status, stderr(&o)),
            }
        }
        assert_eq!(ok, 20, "ulimit -v {kib}: {ok} of 20 runs succeeded");
    }
}

/// `ipcs -i ID` reads the one object it shows: with a 200,000-object
/// `/proc/sysvipc/shm` (34 MB, a regular file mounted over it in the
/// sandbox) it runs under `ulimit -v 16000` — memory does not grow with the
/// file — and prints what util-linux prints without the limit. Keeping the
/// whole listing took some 25 MB and aborted.
#[test]
fn ipcs_id_memory_does_not_grow_with_the_file() {
    require_namespaces!();
    use std::io::Write;
    let sb = Sandbox::new();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shm");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(f, "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap").unwrap();
    for i in 0..200_000u32 {
        let id = if i == 150_000 { 77_777 } else { 100_000 + i };
        writeln!(
            f,
            "{:10} {id:10}  {:4o} {:21} {:5} {:5}  {:5} {:5} {:5} {:5} {:5} {:10} {:10} {:10} {:21} {:21}",
            1000 + i, 0o644, 4096, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1_700_000_000, 4096, 0
        )
        .unwrap();
    }
    f.into_inner().unwrap().sync_all().unwrap();
    sb.sh_ok(&format!(
        "mount --bind {} /proc/sysvipc/shm",
        path.display()
    ));
    let args = ["-m", "-i", "77777"];
    for _ in 0..5 {
        let o = run_limited(
            &sb,
            &nsipc_bin(),
            "ipcs",
            &args,
            libc::RLIMIT_AS,
            16000 * 1024,
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(stdout(&o).contains("shmid=77777"), "{}", stdout(&o));
        match util_linux_bin("ipcs") {
            Some(_) => assert_eq!(o.stdout, sb.util_linux("ipcs", &args).stdout),
            None => assert!(!on_ci(), "util-linux ipcs must be installed on CI"),
        }
    }
}

/// `ipcs ARGS` run in the sandbox, which must exit 0: its stdout goes into
/// `digest` (all but its first byte with `skip_first`), and it returns the
/// number of bytes and its peak resident memory (KB, `ru_maxrss` of the
/// child from `wait4`). The output is not kept: the child is forked from
/// this process, whose resident pages count in the child's peak until it
/// execs.
fn ipcs_peak_kb(
    sb: &Sandbox,
    args: &[&str],
    skip_first: bool,
    digest: &mut impl std::hash::Hasher,
) -> (usize, i64) {
    use std::io::Read;
    let mut cmd = sb.command(nsipc_bin());
    cmd.arg0("ipcs")
        .args(args)
        .stdout(std::process::Stdio::piped());
    // Reaped by wait4 below, which also gives its peak memory.
    #[allow(clippy::zombie_processes)]
    let mut child = cmd.spawn().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0;
    loop {
        let n = stdout.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        let skip = usize::from(skip_first && total == 0);
        digest.write(&buf[skip..n]);
        total += n;
    }
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; both pointers are valid.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32, "wait4");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "ipcs {args:?}: {status}"
    );
    (total, usage.ru_maxrss)
}

/// `ipcs` with every section renders the later sections on their own
/// threads while the first one streams; what they have rendered ahead must
/// stay bounded. With a 200,000-row `/proc/sysvipc/shm` (mounted over the
/// file in the sandbox) plain `ipcs` peaks no more than 4 MB above `ipcs -m`
/// alone — keeping the segment section whole took about 16 MB more.
#[test]
fn ipcs_later_sections_are_not_held_whole() {
    require_namespaces!();
    use std::io::Write;
    let sb = Sandbox::new();
    sb.sh_ok("$NSIPC ipcmk -Q >/dev/null");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shm");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(f, "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap").unwrap();
    for i in 0..200_000u32 {
        writeln!(
            f,
            "{:10} {:10}  {:4o} {:21} {:5} {:5}  {:5} {:5} {:5} {:5} {:5} {:10} {:10} {:10} {:21} {:21}",
            1000 + i, 100_000 + i, 0o644, 4096, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1_700_000_000, 4096, 0
        )
        .unwrap();
    }
    f.into_inner().unwrap().sync_all().unwrap();
    sb.sh_ok(&format!(
        "mount --bind {} /proc/sysvipc/shm",
        path.display()
    ));
    // Queues first (streamed), then the segments and sets from their
    // threads: the same bytes as the three listings one by one (each opens
    // with the same blank line).
    use std::hash::{DefaultHasher, Hasher};
    let mut one_by_one = DefaultHasher::new();
    ipcs_peak_kb(&sb, &["-q"], false, &mut one_by_one);
    let (size, alone) = ipcs_peak_kb(&sb, &["-m"], true, &mut one_by_one);
    ipcs_peak_kb(&sb, &["-s"], true, &mut one_by_one);
    let mut together = DefaultHasher::new();
    let (_, all) = ipcs_peak_kb(&sb, &[], false, &mut together);
    assert!(size > 10_000_000, "ipcs -m printed {size} bytes");
    assert_eq!(
        together.finish(),
        one_by_one.finish(),
        "ipcs differs from ipcs -q, -m and -s in turn"
    );
    assert!(
        all <= alone + 4096,
        "ipcs peaked at {all} KB, ipcs -m alone at {alone} KB"
    );
}

/// Under `ulimit -n 4` ipcs still shows owners by name, as util-linux does
/// (it reads the listing whole and closes it before asking NSS); streaming
/// the listing kept the one free descriptor busy, and owners showed as
/// numbers.
#[test]
fn ipcs_names_with_few_descriptors() {
    require_namespaces!();
    let sb = Sandbox::new();
    sb.sh_ok("$NSIPC ipcmk -M 4096 -Q -S 2 >/dev/null");
    for args in [
        &[][..],
        &["-q"],
        &["-a"],
        &["-c"],
        &["-m", "-t"],
        &["-s", "-p"],
    ] {
        for files in [4, 5] {
            let ours = run_limited(&sb, &nsipc_bin(), "ipcs", args, libc::RLIMIT_NOFILE, files);
            assert_eq!(ours.status.code(), Some(0), "{args:?}: {}", stderr(&ours));
            let text = stdout(&ours);
            if args != ["-s", "-p"] {
                assert!(
                    text.contains(" root "),
                    "ulimit -n {files}; ipcs {args:?}:\n{text}"
                );
            }
            // util-linux itself shows a uid now and then at 4 when tests
            // run in parallel: compared where it is steady.
            match util_linux_bin("ipcs") {
                Some(bin) if files == 5 => {
                    let theirs = run_limited(&sb, &bin, "ipcs", args, libc::RLIMIT_NOFILE, files);
                    assert_eq!(stdout(&theirs), text, "ulimit -n {files}; ipcs {args:?}");
                }
                Some(_) => {}
                None => assert!(!on_ci(), "util-linux ipcs must be installed on CI"),
            }
        }
    }
}
