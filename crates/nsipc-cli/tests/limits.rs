//! Resource limits: few file descriptors (`ulimit -n`) and little address
//! space (`ulimit -v`). The tools must fail the way util-linux fails, with
//! its exit status, or succeed where it succeeds — never abort, never
//! print a partial result as if it were complete.

mod common;

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
