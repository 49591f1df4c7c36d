//! Bad input, tool by tool: invalid options, values out of range, missing
//! values, nonexistent ids, keys, names, PIDs and files, a namespace file of
//! the wrong type, a directory where a file is expected.
//!
//! Each case must give a clear `tool: message` on stderr and util-linux's
//! exit code — compared with util-linux 2.38.1 where it agrees (`Same`),
//! else spelled out (nsipc follows upstream master, see docs/) — and must
//! change nothing: the System V objects (`/proc/sysvipc/*`), the POSIX
//! objects (`/dev/shm`, `/dev/mqueue`) and the mounts of the sandbox are the
//! same before and after, no process is left behind, and the host's mounts
//! are untouched.
//!
//! The sandbox holds one object of each kind, so that a bad command line that
//! also names valid objects (`ipcrm -q ID -q abc`) would visibly remove them.

use crate::common;

use std::os::unix::process::CommandExt;
use std::process::Output;

use common::{assert_same, nsipc_bin, on_ci, stderr, util_linux_bin, Sandbox};

/// What a case must print on stderr, with which exit status.
enum Expect {
    /// Exactly what util-linux 2.38.1 prints (stdout too), same status.
    Same,
    /// This stderr, this status (nsipc follows master, or 2.38.1 is wrong).
    Exact(&'static str, i32),
    /// stderr starts with the first text and ends with the second (a PID or
    /// a path in the middle varies).
    Around(&'static str, &'static str, i32),
}
use Expect::*;

struct Case {
    tool: &'static str,
    /// `{msqid}`, `{shmid}`, `{semid}`, `{dir}`, `{file}`, `{holder}` are
    /// replaced before the run.
    args: &'static [&'static str],
    expect: Expect,
}

const fn case(tool: &'static str, args: &'static [&'static str], expect: Expect) -> Case {
    Case { tool, args, expect }
}

/// Ids and paths the cases refer to.
struct Fixture {
    sb: Sandbox,
    msqid: String,
    shmid: String,
    semid: String,
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let sb = Sandbox::new();
        let made = sb.sh_ok(
            "$NSIPC ipcmk --key 0x1111 -Q | sed 's/.*: //'; \
             $NSIPC ipcmk --key 0x2222 -M 4096 | sed 's/.*: //'; \
             $NSIPC ipcmk --key 0x3333 -S 2 | sed 's/.*: //'; \
             $NSIPC ipcmk -m 4096 -q -s -n /bad >/dev/null",
        );
        let ids: Vec<String> = made.lines().map(str::to_owned).collect();
        assert_eq!(ids.len(), 3, "fixture objects: {made}");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("file"), "not a namespace\n").unwrap();
        Fixture {
            sb,
            msqid: ids[0].clone(),
            shmid: ids[1].clone(),
            semid: ids[2].clone(),
            dir,
        }
    }

    fn fill(&self, arg: &str) -> String {
        arg.replace("{msqid}", &self.msqid)
            .replace("{shmid}", &self.shmid)
            .replace("{semid}", &self.semid)
            .replace("{file}", &format!("{}/file", self.dir.path().display()))
            .replace("{dir}", &self.dir.path().display().to_string())
            .replace("{holder}", &self.sb.pid().to_string())
    }

    /// Everything a bad command line must leave as it was. (util-linux runs on
    /// the same state for `Same` cases, so those must name no existing object:
    /// util-linux's ipcrm removes what it parsed before an error.)
    fn state(&self) -> String {
        self.sb.sh_ok(
            "cat /proc/sysvipc/msg /proc/sysvipc/shm /proc/sysvipc/sem; \
             ls -lan --time-style=+ /dev/shm /dev/mqueue; \
             cut -d' ' -f1-9 /proc/self/mountinfo",
        )
    }

    /// Runs `bin` as `tool` in the sandbox, marked so that any process it
    /// leaves behind can be found.
    fn run(&self, bin: &std::path::Path, tool: &str, args: &[String], mark: &str) -> Output {
        let mut cmd = self.sb.command(bin);
        cmd.arg0(tool).args(args).env("NSIPC_BAD_INPUT_CASE", mark);
        cmd.output().expect("run")
    }
}

/// Processes whose environment carries `mark`: left behind by a case.
fn leftovers(mark: &str) -> Vec<String> {
    let needle = format!("NSIPC_BAD_INPUT_CASE={mark}\0");
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if let Ok(env) = std::fs::read(entry.path().join("environ")) {
            if env.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                found.push(name);
            }
        }
    }
    found
}

fn host_mounts() -> String {
    std::fs::read_to_string("/proc/self/mountinfo").unwrap()
}

fn run_matrix(cases: &[Case]) {
    let fx = Fixture::new();
    let host_before = host_mounts();
    let mut before = fx.state();
    for (n, c) in cases.iter().enumerate() {
        let args: Vec<String> = c.args.iter().map(|a| fx.fill(a)).collect();
        let mark = format!("{}-{}-{n}", c.tool, std::process::id());
        let ours = fx.run(&nsipc_bin(), c.tool, &args, &mark);
        let what = format!("{} {:?}", c.tool, args);
        let err = stderr(&ours);
        // A clear message: one or more `tool: …` lines, never a panic.
        assert!(
            err.starts_with(&format!("{}: ", c.tool)) && !err.contains("panicked"),
            "{what}: unclear message: {err:?}"
        );
        match c.expect {
            Same => match util_linux_bin(c.tool) {
                Some(bin) => {
                    let theirs = fx.run(&bin, c.tool, &args, &mark);
                    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
                    assert_same(c.tool, &argv, &theirs, &ours);
                }
                None => assert!(!on_ci(), "util-linux {} must be installed on CI", c.tool),
            },
            Exact(text, code) => {
                assert_eq!(err, text, "{what}");
                assert_eq!(ours.status.code(), Some(code), "{what}: {err}");
            }
            Around(start, end, code) => {
                assert!(
                    err.starts_with(start) && err.ends_with(end),
                    "{what}: {err:?}"
                );
                assert_eq!(ours.status.code(), Some(code), "{what}: {err}");
            }
        }
        assert_ne!(ours.status.code(), Some(0), "{what}: bad input must fail");
        let after = fx.state();
        assert_eq!(before, after, "{what} changed the IPC objects or mounts");
        before = after;
        let left = leftovers(&mark);
        assert!(left.is_empty(), "{what} left processes behind: {left:?}");
    }
    assert_eq!(host_before, host_mounts(), "the host's mounts changed");
}

#[test]
fn ipcs_bad_input() {
    require_namespaces!();
    run_matrix(&[
        case("ipcs", &["-x"], Same),
        case("ipcs", &["--bogus"], Same),
        case("ipcs", &["--human=3"], Same),
        case("ipcs", &["-i"], Same),
        case("ipcs", &["-i", ""], Same),
        case("ipcs", &["-i", "abc"], Same),
        case("ipcs", &["-i", "12abc"], Same),
        case("ipcs", &["-i", "99999999999"], Same),
        case("ipcs", &["-i", "-99999999999"], Same),
        case("ipcs", &["-q", "-i", "{shmid}", "-m", "-s"], Same),
        case("ipcs", &["--id"], Same),
        case("ipcs", &["--shmems", "--i"], Same),
    ]);
}

#[test]
fn ipcmk_bad_input() {
    require_namespaces!();
    run_matrix(&[
        case("ipcmk", &[], Same),
        case("ipcmk", &["extra"], Same),
        case("ipcmk", &["-y"], Same),
        case("ipcmk", &["-M"], Same),
        case("ipcmk", &["-M", "abc"], Same),
        case("ipcmk", &["-M", "-1"], Same),
        case("ipcmk", &["-M", ""], Same),
        case("ipcmk", &["-M", "1X"], Same),
        case("ipcmk", &["-M", "99999999999999999999"], Same),
        case("ipcmk", &["-M", "16E"], Same),
        case("ipcmk", &["-M", "0"], Same),
        case("ipcmk", &["-S", "0"], Same),
        case("ipcmk", &["-S", "abc"], Same),
        case("ipcmk", &["-S", "-3"], Same),
        case("ipcmk", &["-S", "99999999"], Same),
        // 2.38.1 prints `failed to parse mode: Success`; master names the value.
        case(
            "ipcmk",
            &["-Q", "-p", "abc"],
            Exact("ipcmk: failed to parse mode: 'abc'\n", 1),
        ),
        case(
            "ipcmk",
            &["-Q", "-p", "8"],
            Exact("ipcmk: failed to parse mode: '8'\n", 1),
        ),
        case(
            "ipcmk",
            &["-Q", "-p", "100000"],
            Exact(
                "ipcmk: failed to parse mode: '100000': Numerical result out of range\n",
                1,
            ),
        ),
        // Taken keys and names: exclusive creation, nothing else made.
        case(
            "ipcmk",
            &["--key", "0x1111", "-Q"],
            Exact("ipcmk: create message queue failed: File exists\n", 1),
        ),
        case(
            "ipcmk",
            &["--key", "abc", "-Q"],
            Around("ipcmk: ", "'abc'\n", 1),
        ),
        case(
            "ipcmk",
            &["-M", "100", "-Q", "-S", "0"],
            Exact("ipcmk: create semaphore failed: Invalid argument\n", 1),
        ),
        case(
            "ipcmk",
            &["-m", "4096", "-n", "/bad"],
            Around("ipcmk: create POSIX ", "failed: File exists\n", 1),
        ),
        case("ipcmk", &["-m", "4096"], Around("ipcmk: ", "\n", 1)),
        case(
            "ipcmk",
            &["-q", "-n", "noslash"],
            Around("ipcmk: ", "\n", 1),
        ),
        case(
            "ipcmk",
            &["-q", "-n", "/a/b"],
            Around("ipcmk: create POSIX message queue failed: ", "\n", 1),
        ),
    ]);
}

#[test]
fn ipcrm_bad_input() {
    require_namespaces!();
    run_matrix(&[
        // 2.38.1 exits 0 silently; master: bad usage.
        case(
            "ipcrm",
            &[],
            Exact(
                "ipcrm: bad usage\nTry 'ipcrm --help' for more information.\n",
                1,
            ),
        ),
        case("ipcrm", &["-z"], Same),
        case("ipcrm", &["-q"], Same),
        case("ipcrm", &["-q", "abc"], Same),
        case("ipcrm", &["-q", "12345"], Same),
        case("ipcrm", &["-m", "99999999999"], Same),
        case("ipcrm", &["-Q", "0x1234"], Same),
        case("ipcrm", &["-Q", "0"], Same),
        case("ipcrm", &["-S", "abc"], Same),
        case("ipcrm", &["--all=bogus"], Same),
        case("ipcrm", &["shm", "5"], Same),
        case("ipcrm", &["bogus", "1"], Same),
        case("ipcrm", &["msg"], Same),
        case("ipcrm", &["sem", "abc"], Same),
        // A bad word anywhere: nothing is removed, not even the valid ids
        // before it (util-linux removes as it parses).
        case(
            "ipcrm",
            &["-q", "{msqid}", "-m", "{shmid}", "-s", "abc"],
            Exact("ipcrm: failed to parse argument: 'abc'\n", 1),
        ),
        case(
            "ipcrm",
            &["-Q", "0x1111", "-M", "0"],
            Exact("ipcrm: illegal key (0)\n", 1),
        ),
        case(
            "ipcrm",
            &["-m", "{shmid}", "extra"],
            Exact(
                "ipcrm: unknown argument: extra\nTry 'ipcrm --help' for more information.\n",
                1,
            ),
        ),
        case(
            "ipcrm",
            &["-a", "shm"],
            Exact(
                "ipcrm: unknown argument: shm\nTry 'ipcrm --help' for more information.\n",
                1,
            ),
        ),
        case(
            "ipcrm",
            &["-q", "{msqid}", "-M", "0x100000011"],
            Exact(
                "ipcrm: failed to parse argument: '0x100000011': Numerical result out of range\n",
                1,
            ),
        ),
        case(
            "ipcrm",
            &["shm", "{shmid}", "abc"],
            Exact("ipcrm: invalid id: abc\n", 1),
        ),
        case(
            "ipcrm",
            &["sem", "4294967296"],
            Exact("ipcrm: invalid id: 4294967296\n", 1),
        ),
        // util-linux removes the object named before the bad option.
        case(
            "ipcrm",
            &["-s", "{semid}", "--bogus"],
            Exact(
                "ipcrm: unrecognized option '--bogus'\nTry 'ipcrm --help' for more information.\n",
                1,
            ),
        ),
        case(
            "ipcrm",
            &["-m", "{shmid}", "-x"],
            Exact(
                "ipcrm: invalid option -- 'x'\nTry 'ipcrm --help' for more information.\n",
                1,
            ),
        ),
        case(
            "ipcrm",
            &["--posix-mqueue", "noslash"],
            Exact("ipcrm: name failed: Invalid argument\n", 1),
        ),
        case(
            "ipcrm",
            &["--posix-shmem", "/nonexistent"],
            Exact("ipcrm: name `/nonexistent' not found\n", 1),
        ),
    ]);
}

#[test]
fn nsenter_bad_input() {
    require_namespaces!();
    run_matrix(&[
        case("nsenter", &["-x"], Same),
        case("nsenter", &["--bogus"], Same),
        case("nsenter", &["-t"], Same),
        // 2.38.1 exits 0 without doing anything.
        case(
            "nsenter",
            &[],
            Exact("nsenter: no namespace specified\n", 1),
        ),
        case(
            "nsenter",
            &["-t", "abc", "-m", "true"],
            Exact(
                "nsenter: failed to parse PID argument 'abc': Invalid argument\n",
                1,
            ),
        ),
        case(
            "nsenter",
            &["-t", "0", "-m", "true"],
            Exact(
                "nsenter: failed to parse PID argument '0': Numerical result out of range\n",
                1,
            ),
        ),
        case(
            "nsenter",
            &["-t", "-5", "-m", "true"],
            Exact(
                "nsenter: failed to parse PID argument '-5': Numerical result out of range\n",
                1,
            ),
        ),
        // Nonexistent PIDs, files; a regular file, a directory, and a
        // namespace of another type where a namespace file is expected.
        case("nsenter", &["-t", "99999999", "-m", "true"], Same),
        case("nsenter", &["-t", "4194304", "-a", "true"], Same),
        case("nsenter", &["--mount=/nonexistent", "true"], Same),
        case("nsenter", &["--mount={file}", "true"], Same),
        case("nsenter", &["--mount={dir}", "true"], Same),
        case("nsenter", &["--net=/proc/self/ns/ipc", "true"], Same),
        case("nsenter", &["--ipc=/proc/self/ns/uts", "true"], Same),
        case(
            "nsenter",
            &["-S", "abc", "-t", "{holder}", "-i", "true"],
            Same,
        ),
        case(
            "nsenter",
            &["-G", "99999999999", "-t", "{holder}", "-i", "true"],
            Exact(
                "nsenter: failed to parse gid: '99999999999': Numerical result out of range\n",
                1,
            ),
        ),
        case(
            "nsenter",
            &["-t", "{holder}", "-i", "-r/nonexistent", "true"],
            Same,
        ),
        case(
            "nsenter",
            &["-t", "{holder}", "-i", "-w/nonexistent", "true"],
            Same,
        ),
        case(
            "nsenter",
            &["-t", "{holder}", "-i", "/nonexistent/prog"],
            Exact(
                "nsenter: failed to execute /nonexistent/prog: No such file or directory\n",
                127,
            ),
        ),
        case(
            "nsenter",
            &["-t", "{holder}", "-i", "{file}"],
            Around("nsenter: failed to execute ", ": Permission denied\n", 126),
        ),
        case(
            "nsenter",
            &["-t", "{holder}", "-i", "{dir}"],
            Around("nsenter: failed to execute ", ": Permission denied\n", 126),
        ),
    ]);
}

#[test]
fn unshare_bad_input() {
    require_namespaces!();
    run_matrix(&[
        case("unshare", &["--bogus"], Same),
        case("unshare", &["-x"], Same),
        case("unshare", &["--wd"], Same),
        case("unshare", &["--propagation=bogus", "true"], Same),
        case("unshare", &["--setgroups=maybe", "true"], Same),
        case("unshare", &["--kill-child=SIGBOGUS", "true"], Same),
        case("unshare", &["-f", "--kill-child=99", "true"], Same),
        case("unshare", &["-S", "abc", "true"], Same),
        case("unshare", &["--monotonic=abc", "-T", "true"], Same),
        case("unshare", &["-R", "/nonexistent", "true"], Same),
        case("unshare", &["-i", "/nonexistent/prog"], Same),
        case("unshare", &["-i", "{file}"], Same),
        case("unshare", &["-i", "{dir}"], Same),
        case(
            "unshare",
            &["--mount-proc=/nonexistent", "-m", "-p", "-f", "true"],
            Same,
        ),
        // master's messages (2.38.1: `could not parse ID`).
        case(
            "unshare",
            &["--map-users=abc", "true"],
            Exact("unshare: invalid mapping 'abc'\n", 1),
        ),
        case(
            "unshare",
            &["--map-users=0:0", "true"],
            Exact("unshare: invalid mapping '0:0'\n", 1),
        ),
        case(
            "unshare",
            &["--map-groups=0:0:0", "true"],
            Exact("unshare: invalid mapping '0:0:0'\n", 1),
        ),
        case(
            "unshare",
            &["--map-users=4294967295:0:1", "true"],
            Exact("unshare: invalid mapping '4294967295:0:1'\n", 1),
        ),
        case(
            "unshare",
            &["-G", "99999999999", "true"],
            Exact(
                "unshare: failed to parse gid: '99999999999': Numerical result out of range\n",
                1,
            ),
        ),
        case(
            "unshare",
            &["-w", "/nonexistent", "true"],
            Exact(
                "unshare: cannot change directory to /nonexistent: No such file or directory\n",
                1,
            ),
        ),
        // Persisting onto a missing path or a directory: the namespace is
        // not left mounted anywhere (the state check would see it).
        case(
            "unshare",
            &["--mount=/nonexistent/x", "true"],
            Around(
                "unshare: mount /proc/",
                "/ns/mnt on /nonexistent/x failed: No such file or directory\n",
                1,
            ),
        ),
        case(
            "unshare",
            &["--ipc={dir}", "true"],
            Around("unshare: mount /proc/", " failed: Not a directory\n", 1),
        ),
    ]);
}

#[test]
fn lsipc_bad_input() {
    require_namespaces!();
    run_matrix(&[
        case("lsipc", &["--bogus"], Same),
        case("lsipc", &["-x"], Same),
        case("lsipc", &["-i", "abc"], Same),
        case("lsipc", &["-i", "99999999999"], Same),
        case("lsipc", &["-o", "BOGUS"], Same),
        case("lsipc", &["-o", "KEY,BOGUS,ID"], Same),
        case("lsipc", &["--notruncate=1"], Same),
    ]);
}

#[test]
fn lsns_bad_input() {
    require_namespaces!();
    run_matrix(&[
        case("lsns", &["--bogus"], Same),
        case("lsns", &["-x"], Same),
        case("lsns", &["-t"], Same),
        case("lsns", &["-t", "bogus"], Same),
        case("lsns", &["--type=net", "--type=bogus"], Same),
        case("lsns", &["-p", "abc"], Same),
        case("lsns", &["-o", "BOGUS"], Same),
        case("lsns", &["12abc"], Same),
        case("lsns", &["99999999999999999999"], Same),
        // Not a namespace: missing, a regular file, a directory.
        case("lsns", &["/nonexistent"], Same),
        case("lsns", &["{file}"], Same),
        case("lsns", &["{dir}"], Same),
        // -Q is newer than 2.38.1 (libsmartcols filter messages).
        case(
            "lsns",
            &["-Q", "(("],
            Exact(
                "lsns: failed to parse \"((\": syntax error, unexpected end of file\n",
                1,
            ),
        ),
        case(
            "lsns",
            &["-Q", "FOO == 1"],
            Exact(
                "lsns: unknown column: FOO\nlsns: failed to initialize filter\n",
                1,
            ),
        ),
    ]);
}

/// When one `--X=FILE` cannot be bound, those bound before it are released:
/// a failed unshare leaves no namespace behind (util-linux keeps them).
#[test]
fn failed_persist_leaves_no_mount() {
    require_namespaces!();
    let sb = Sandbox::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ipc");
    std::fs::write(&file, "").unwrap();
    let before = sb.sh_ok("cut -d' ' -f1-9 /proc/self/mountinfo");
    let arg = format!("--ipc={}", file.display());
    let o = sb.nsipc("unshare", &["--uts=/nonexistent", &arg, "true"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let after = sb.sh_ok("cut -d' ' -f1-9 /proc/self/mountinfo");
    assert_eq!(before, after, "a namespace was left mounted");
}

/// A full disk on stdout (`> /dev/full`): `tool: write error: No space left
/// on device`, exit 1, as util-linux — for help, version and a listing of
/// every tool, never a panic. A signal or a panic would show as a missing
/// exit code or a different stderr.
#[test]
fn write_errors_on_stdout() {
    require_namespaces!();
    let sb = Sandbox::new();
    let run = |bin: &std::path::Path, tool: &str, args: &[&str]| {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        sb.command(bin)
            .arg0(tool)
            .args(args)
            .stdout(full)
            .output()
            .unwrap()
    };
    let listings: &[(&str, &[&str])] = &[
        ("ipcs", &["-a"]),
        ("ipcs", &["-l"]),
        ("lsipc", &["-g"]),
        ("lsns", &["-t", "uts"]),
    ];
    let tools = [
        "ipcs", "ipcmk", "ipcrm", "lsipc", "lsns", "unshare", "nsenter",
    ];
    let cases = tools
        .iter()
        .flat_map(|&t| [(t, &["--help"][..]), (t, &["-V"][..])])
        .chain(listings.iter().copied());
    for (tool, args) in cases {
        let ours = run(&nsipc_bin(), tool, args);
        let want = format!("{tool}: write error: No space left on device\n");
        assert_eq!(
            (stderr(&ours), ours.status.code()),
            (want, Some(1)),
            "{tool} {args:?}"
        );
        match util_linux_bin(tool) {
            Some(bin) => {
                let theirs = common::util_linux_lsns_again(|| run(&bin, tool, args));
                assert_same(tool, args, &theirs, &ours)
            }
            None => assert!(!on_ci(), "util-linux {tool} must be installed on CI"),
        }
    }
}

/// Where a case sends stderr.
#[derive(Clone, Copy, Debug)]
enum Stderr {
    /// `2>/dev/full`: every write fails with ENOSPC.
    Full,
    /// `2>&-`: fd 2 is closed.
    Closed,
}

/// A full or closed stderr (`2>/dev/full`, `2>&-`): every tool still ends
/// with util-linux's exit status — which is 1 whenever a message could not
/// be written, as its `close_stdout` checks stderr at exit — never a panic
/// or an abort. Also a full stdout and a full stderr together. `nsipc`
/// itself has no util-linux counterpart: 1, as with a working stderr.
#[test]
fn write_errors_on_stderr() {
    require_namespaces!();
    let sb = Sandbox::new();
    let run = |bin: &std::path::Path, tool: &str, args: &[&str], how: Stderr, full_out: bool| {
        let full = || {
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap()
        };
        let mut cmd = sb.command(bin);
        cmd.arg0(tool).args(args);
        if full_out {
            cmd.stdout(full());
        }
        match how {
            Stderr::Full => {
                cmd.stderr(full());
            }
            Stderr::Closed => {
                // SAFETY: close(2) between fork and exec.
                unsafe {
                    cmd.pre_exec(|| {
                        libc::close(2);
                        Ok(())
                    });
                }
            }
        }
        cmd.output().unwrap()
    };
    let cases: &[(&str, &[&str], bool)] = &[
        ("ipcs", &["-x"], false),
        ("ipcs", &["-i", "99999"], false),
        ("ipcs", &[], true),
        ("ipcs", &["-a"], true),
        ("ipcmk", &["-x"], false),
        ("ipcmk", &["-M", "abc"], false),
        ("ipcrm", &["-x"], false),
        ("ipcrm", &["-q", "99999"], false),
        ("ipcrm", &["-M", "0x99999"], false),
        ("lsipc", &["-x"], false),
        ("lsipc", &["-q", "-i", "99999"], false),
        ("lsipc", &["-g"], true),
        ("lsns", &["-x"], false),
        ("lsns", &["-t", "nosuch"], false),
        ("lsns", &["-t", "uts"], true),
        ("unshare", &["-x"], false),
        ("unshare", &["-u", "/nonexistent"], false),
        ("unshare", &["/nonexistent"], false),
        ("nsenter", &["-x"], false),
        ("nsenter", &["-t", "999999999", "-u"], false),
    ];
    for &(tool, args, full_out) in cases {
        for how in [Stderr::Full, Stderr::Closed] {
            let ours = run(&nsipc_bin(), tool, args, how, full_out);
            let what = format!("{tool} {args:?} {how:?} full stdout: {full_out}");
            assert!(ours.status.code().is_some(), "{what}: {:?}", ours.status);
            match util_linux_bin(tool) {
                Some(bin) => {
                    let theirs = run(&bin, tool, args, how, full_out);
                    assert_eq!(ours.status.code(), theirs.status.code(), "{what}");
                    assert_eq!(ours.stdout, theirs.stdout, "{what}");
                }
                None => assert!(!on_ci(), "util-linux {tool} must be installed on CI"),
            }
        }
    }
    for args in [&["-x"][..], &["nosuchtool"], &["--install"]] {
        for how in [Stderr::Full, Stderr::Closed] {
            let ours = run(&nsipc_bin(), "nsipc", args, how, false);
            assert_eq!(ours.status.code(), Some(1), "nsipc {args:?} {how:?}");
        }
    }
}
