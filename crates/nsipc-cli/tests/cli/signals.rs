//! Signals and processes: SIGINT, SIGTERM and SIGHUP sent to a forking
//! `unshare -f` (plain, `--forward-signals`, `--kill-child`, both) and to
//! `nsenter -p`'s parent; a stopped program; a program killed by each common
//! signal. Checked: the exit status, whether the program got the signal, and
//! that no process is left behind once the case is over.
//!
//! Each expectation is checked against nsipc and — where util-linux 2.38.1
//! has the option — against util-linux too, so the table records
//! util-linux's behaviour, not ours. Nothing waits without a deadline: a
//! missed signal fails the test instead of hanging it.

use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use common::{nsipc_bin, util_linux_bin, Sandbox};

/// The program under test: reports its PID, then waits for stdin to close
/// (exit 0); SIGTERM, SIGINT and SIGHUP make it exit 42, 43, 44.
const PROGRAM: &str =
    "trap 'exit 42' TERM; trap 'exit 43' INT; trap 'exit 44' HUP; echo $$; read x; exit 0";

const DEADLINE: Duration = Duration::from_secs(20);

fn deadline_wait(child: &mut Child, what: &str) -> ExitStatus {
    let end = Instant::now() + DEADLINE;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > end {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Polls `cond` until it holds; fails the test at the deadline.
fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let end = Instant::now() + DEADLINE;
    while !cond() {
        assert!(Instant::now() < end, "timed out waiting: {what}");
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// The state letter of `/proc/PID/stat` (`None`: no such process).
fn state(pid: i32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit(") ").next()?.chars().next()
}

fn alive(pid: i32) -> bool {
    matches!(state(pid), Some(s) if s != 'Z' && s != 'X')
}

/// Whether `sig` is pending (blocked and queued) for process `pid`.
fn pending(pid: i32, sig: i32) -> bool {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .filter(|l| l.starts_with("SigPnd:") || l.starts_with("ShdPnd:"))
        .filter_map(|l| u64::from_str_radix(l.split_whitespace().nth(1)?, 16).ok())
        .any(|mask| mask & (1 << (sig - 1)) != 0)
}

/// Live processes whose environment carries `mark`.
fn marked(mark: &str) -> Vec<i32> {
    let needle = format!("NSIPC_SIGNAL_CASE={mark}\0");
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .is_ok_and(|env| env.windows(needle.len()).any(|w| w == needle.as_bytes()))
        })
        .filter(|&pid| alive(pid))
        .collect()
}

/// The tool running PROGRAM, and the program's PID (its own, outside any
/// PID namespace the tool made).
struct Running {
    tool: Child,
    stdin: Option<ChildStdin>,
    _out: BufReader<ChildStdout>,
    program: i32,
}

/// The one child process of `pid`.
fn only_child(pid: u32) -> i32 {
    let mut found = None;
    wait_until("the tool's child", || {
        let children =
            std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
        found = children
            .split_whitespace()
            .next()
            .and_then(|c| c.parse().ok());
        found.is_some()
    });
    found.unwrap()
}

fn start(sb: &Sandbox, bin: &PathBuf, tool: &str, args: &[&str], mark: &str) -> Running {
    let mut cmd = sb.command(bin);
    cmd.arg0(tool)
        .args(args)
        .args(["sh", "-c", PROGRAM])
        .env("NSIPC_SIGNAL_CASE", mark)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    let mut tool_child = cmd.spawn().expect("start the tool");
    let mut out = BufReader::new(tool_child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    assert!(!line.is_empty(), "{tool} {args:?}: program did not start");
    // $$ is the PID inside the program's PID namespace: find the program
    // from outside instead, as the forking tool's child.
    let program = only_child(tool_child.id());
    Running {
        stdin: tool_child.stdin.take(),
        tool: tool_child,
        _out: out,
        program,
    }
}

/// What a signal sent to the tool's process does.
#[derive(Clone, Copy, Debug)]
enum Outcome {
    /// Blocked in the tool: the program finishes normally (exit 0), the
    /// tool reports that.
    Blocked,
    /// Forwarded: the program's trap runs (exit code), the tool reports it.
    Forwarded(i32),
    /// The tool dies by the signal; the program keeps running (`true`) or
    /// is killed with it (`false`, `--kill-child`).
    ToolDies { program_survives: bool },
}

fn check(sb: &Sandbox, bin: &PathBuf, tool: &str, args: &[&str], sig: i32, want: Outcome) {
    let mark = format!("{}-{}-{sig}-{}", tool, args.join(""), std::process::id());
    let what = format!("{} {tool} {args:?} signal {sig}", bin.display());
    let mut r = start(sb, bin, tool, args, &mark);
    let tool_pid = r.tool.id() as i32;
    // SAFETY: signalling a child this test started and has not reaped.
    unsafe { libc::kill(tool_pid, sig) };
    match want {
        Outcome::Blocked => {
            wait_until(&format!("{what}: pending"), || pending(tool_pid, sig));
            assert!(alive(r.program), "{what}: the program died");
            drop(r.stdin.take());
            let status = deadline_wait(&mut r.tool, &what);
            assert_eq!(status.code(), Some(0), "{what}");
        }
        Outcome::Forwarded(code) => {
            let status = deadline_wait(&mut r.tool, &what);
            assert_eq!(status.code(), Some(code), "{what}: {status:?}");
        }
        Outcome::ToolDies { program_survives } => {
            let status = deadline_wait(&mut r.tool, &what);
            assert_eq!(status.signal(), Some(sig), "{what}: {status:?}");
            if program_survives {
                assert!(alive(r.program), "{what}: the program died");
                drop(r.stdin.take());
            }
            wait_until(&format!("{what}: program gone"), || !alive(r.program));
        }
    }
    drop(r.stdin.take());
    wait_until(&format!("{what}: nothing left behind"), || {
        marked(&mark).is_empty()
    });
}

/// nsipc, and util-linux when `ul` says 2.38.1 has the options.
fn binaries(tool: &str, ul: bool) -> Vec<PathBuf> {
    let mut bins = vec![nsipc_bin()];
    if ul {
        match util_linux_bin(tool) {
            Some(b) => bins.push(b),
            None => assert!(
                !common::on_ci(),
                "util-linux {tool} must be installed on CI"
            ),
        }
    }
    bins
}

#[test]
fn signals_to_unshare_fork() {
    require_namespaces!();
    let sb = Sandbox::new();
    use Outcome::*;
    let (int, term, hup) = (libc::SIGINT, libc::SIGTERM, libc::SIGHUP);
    // (options, util-linux 2.38.1 has them, signal, outcome)
    let table: &[(&[&str], bool, i32, Outcome)] = &[
        // INT and TERM are blocked while the parent waits (util-linux #1560);
        // HUP is not: the parent dies and its program is orphaned.
        (&["-f", "-i"], true, int, Blocked),
        (&["-f", "-i"], true, term, Blocked),
        (
            &["-f", "-i"],
            true,
            hup,
            ToolDies {
                program_survives: true,
            },
        ),
        // --kill-child: same, but the program dies with its parent.
        (&["--kill-child", "-i"], true, int, Blocked),
        (&["--kill-child", "-i"], true, term, Blocked),
        (
            &["--kill-child", "-i"],
            true,
            hup,
            ToolDies {
                program_survives: false,
            },
        ),
        (
            &["--kill-child=SIGTERM", "-i"],
            true,
            hup,
            ToolDies {
                program_survives: false,
            },
        ),
        // --forward-signals (2.42): INT and TERM reach the program.
        (&["--forward-signals", "-i"], false, int, Forwarded(43)),
        (&["--forward-signals", "-i"], false, term, Forwarded(42)),
        (
            &["--forward-signals", "-i"],
            false,
            hup,
            ToolDies {
                program_survives: true,
            },
        ),
        (
            &["--forward-signals", "--kill-child", "-i"],
            false,
            term,
            Forwarded(42),
        ),
        (
            &["--forward-signals", "--kill-child", "-i"],
            false,
            hup,
            ToolDies {
                program_survives: false,
            },
        ),
    ];
    for &(args, ul, sig, want) in table {
        for bin in binaries("unshare", ul) {
            check(&sb, &bin, "unshare", args, sig, want);
        }
    }
}

/// A process in a new PID namespace (for `nsenter -p`), killed on drop.
struct PidNsTarget(Child, i32);

impl PidNsTarget {
    fn new() -> PidNsTarget {
        let child = Command::new("/usr/bin/unshare")
            .args([
                "--pid",
                "--fork",
                "--kill-child",
                "--mount-proc",
                "sleep",
                "1000",
            ])
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        let sleeper = only_child(child.id());
        wait_until("target in its pid namespace", || {
            std::fs::read_link(format!("/proc/{sleeper}/ns/pid")).ok()
                != std::fs::read_link("/proc/self/ns/pid").ok()
        });
        crate::common::wait_for_sleep(sleeper as u32);
        PidNsTarget(child, sleeper)
    }
}

impl Drop for PidNsTarget {
    fn drop(&mut self) {
        // The sleeper first: it is unshare's child, not ours (and
        // --kill-child takes it down with unshare anyway).
        // SAFETY: signalling a process this test started.
        unsafe { libc::kill(self.1, libc::SIGKILL) };
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn signals_to_nsenter_parent() {
    require_namespaces!();
    let sb = Sandbox::new();
    let target = PidNsTarget::new();
    let t = target.1.to_string();
    // The parent does not block or forward anything (util-linux's
    // continue_as_child): it dies by the signal, its program stays.
    for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        for bin in binaries("nsenter", true) {
            check(
                &sb,
                &bin,
                "nsenter",
                &["-t", &t, "-p"],
                sig,
                Outcome::ToolDies {
                    program_survives: true,
                },
            );
        }
    }
}

/// `sh -c 'kill -SIG $$'` under the tool: the tool must end the same way.
fn killed_by(sb: &Sandbox, bin: &PathBuf, tool: &str, args: &[&str], sig: i32) -> ExitStatus {
    let mark = format!("killed-{tool}-{sig}-{}", std::process::id());
    let mut cmd = sb.command(bin);
    cmd.arg0(tool)
        .args(args)
        .args(["sh", "-c", &format!("kill -{sig} $$")])
        .env("NSIPC_SIGNAL_CASE", &mark)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    // No core files: the tool re-raises core-dumping signals on itself.
    // SAFETY: setrlimit only, between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let zero = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            libc::setrlimit(libc::RLIMIT_CORE, &zero);
            Ok(())
        });
    }
    let mut child = cmd.spawn().unwrap();
    let status = deadline_wait(&mut child, &format!("{tool} {args:?} kill -{sig}"));
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert_eq!(err, "", "{tool} {args:?} kill -{sig}");
    assert!(marked(&mark).is_empty(), "left behind");
    status
}

#[test]
fn program_killed_by_each_common_signal() {
    require_namespaces!();
    let sb = Sandbox::new();
    let target = PidNsTarget::new();
    let t = target.1.to_string();
    let signals = [
        libc::SIGHUP,
        libc::SIGINT,
        libc::SIGQUIT,
        libc::SIGILL,
        libc::SIGABRT,
        libc::SIGFPE,
        libc::SIGKILL,
        libc::SIGSEGV,
        libc::SIGPIPE,
        libc::SIGALRM,
        libc::SIGTERM,
        libc::SIGUSR1,
        libc::SIGUSR2,
    ];
    for sig in signals {
        for (tool, args) in [
            ("unshare", &["-f", "-i"][..]),
            ("nsenter", &["-t", &t, "-p"]),
        ] {
            let ours = killed_by(&sb, &nsipc_bin(), tool, args, sig);
            assert_eq!(ours.signal(), Some(sig), "{tool} kill -{sig}: {ours:?}");
            // 2.38.1's unshare fails on SIGKILL (#2614, fixed in 2.40).
            if sig == libc::SIGKILL && tool == "unshare" {
                continue;
            }
            if let Some(ul) = util_linux_bin(tool) {
                let theirs = killed_by(&sb, &ul, tool, args, sig);
                assert_eq!(theirs.signal(), ours.signal(), "{tool} kill -{sig}");
            }
        }
    }
}

#[test]
fn stopped_program_under_unshare() {
    require_namespaces!();
    let sb = Sandbox::new();
    for bin in binaries("unshare", true) {
        let mut cmd = sb.command(&bin);
        cmd.arg0("unshare")
            .args([
                "-f",
                "-i",
                "sh",
                "-c",
                "echo $$; kill -STOP $$; echo resumed",
            ])
            .stdout(Stdio::piped());
        let mut tool = cmd.spawn().unwrap();
        let mut out = BufReader::new(tool.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        let program = only_child(tool.id());
        wait_until("program stopped", || state(program) == Some('T'));
        // unshare keeps waiting (it does not wait for stops); the program
        // resumes when continued and both finish normally.
        let tool_pid = tool.id() as i32;
        wait_until("unshare waiting", || state(tool_pid) == Some('S'));
        // SAFETY: signalling a grandchild this test started.
        unsafe { libc::kill(program, libc::SIGCONT) };
        let status = deadline_wait(&mut tool, "stopped program");
        let mut rest = String::new();
        std::io::Read::read_to_string(&mut out, &mut rest).unwrap();
        assert_eq!((rest.as_str(), status.code()), ("resumed\n", Some(0)));
    }
    let _ = std::io::stdout().flush();
}
