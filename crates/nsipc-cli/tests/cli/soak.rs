//! The short soak: `soak/run.sh 200 200 1000` (the long one is 10,000
//! unshare runs, 10,000 nsenter runs and 100,000 ipcmk/ipcrm cycles; run it
//! by hand). It fails when open fds, zombies, processes, IPC objects or
//! mounts differ before and after, when a program run through unshare or
//! nsenter sees an fd it should not, or when a run's exit status is not the
//! expected one. Everything happens in namespaces the script makes itself.
//! A long test: it runs with `NSIPC_LONG_TESTS=1` (scripts/test.sh, CI).

use crate::common;

use common::{nsipc_bin, stderr, stdout};

#[test]
fn short_soak() {
    require_long_tests!(short_soak);
    require_namespaces!();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../soak/run.sh");
    let out = std::process::Command::new("bash")
        .args([script, "200", "200", "1000"])
        .env("NSIPC", nsipc_bin())
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run soak/run.sh");
    let text = stdout(&out);
    assert!(
        out.status.success() && text.contains("soak: OK unshare=200/"),
        "soak failed\nstdout:\n{text}\nstderr:\n{}",
        stderr(&out)
    );
}
