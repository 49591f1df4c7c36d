//! The library against the kernel, in private IPC namespaces: one test
//! binary, a module per concern.
//!
//! Each test re-runs this test binary (just that test) in a child process
//! that first unshares its IPC namespace, so the host's objects are never
//! touched and tests do not see each other. The child does the work; the
//! parent only checks that it succeeded.

// The tests set up namespaces and IPC objects in pre_exec hooks and raw
// libc calls (each block with its `// SAFETY:` comment).
#![allow(unsafe_code)]

use std::io;
use std::os::unix::process::CommandExt;
use std::process::Command;

mod errors;
mod orphans;
mod sysv;

const CHILD: &str = "NSIPC_SYSV_TEST_CHILD";

/// Runs `body` in a private IPC namespace: in the parent, spawns the child
/// and requires it to pass (skips when namespaces are unavailable off CI);
/// in the child, runs `body`.
pub(crate) fn in_private_ipc(name: &str, body: impl FnOnce()) {
    if std::env::var_os(CHILD).is_some() {
        body();
        return;
    }
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
        assert!(!ci, "namespace tests must run as root on CI");
        eprintln!("skipping {name}: needs root for a private IPC namespace");
        return;
    }
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["--exact", name, "--nocapture", "--test-threads", "1"])
        .env(CHILD, "1");
    // SAFETY: unshare is a raw syscall, fine between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            if libc::unshare(libc::CLONE_NEWIPC) != 0 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = cmd
        .output()
        .expect("run the test in a private IPC namespace");
    assert!(
        out.status.success(),
        "{name} failed in its namespace:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("1 passed"),
        "{name} did not run in the child"
    );
}
