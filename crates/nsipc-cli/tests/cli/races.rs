//! Races with other users: objects that change while root's tools read
//! them must never kill the tools.

use crate::common;

use std::os::unix::process::ExitStatusExt;
use std::process::{Child, Stdio};

use common::{stderr, As, Sandbox};

const NOBODY: As = As {
    uid: Some(65534),
    gid: Some(65534),
};

/// Kills and reaps the truncating loop, also when the test fails.
struct Loop(Child);

impl Drop for Loop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `nobody` makes `/dev/shm/sem.x` and keeps resizing it between 32 bytes
/// (the size of a `sem_t`) and 0, with shell built-ins only so that the
/// loop is tight. Root's `lsipc -S`, `lsipc -S -N`, `ipcrm -a` and
/// `ipcrm -a=psem` read the value of every semaphore; a tool that mapped
/// the file (as `sem_open` does) would die with SIGBUS whenever the file
/// shrank between its size check and the access. None of 4 × 150 runs may
/// end by a signal, each must end with a status its tool can give, and
/// `ipcrm -a` must get through every kind (a message queue made before
/// each run is gone after it).
#[test]
fn semaphore_file_shrinking_underneath() {
    require_namespaces!();
    let sb = Sandbox::new();
    let script = "while :; do printf '%032d' 0 > /dev/shm/sem.x; : > /dev/shm/sem.x; done";
    let _truncating = Loop(
        sb.command_as("sh", NOBODY)
            .args(["-c", script])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the truncating loop"),
    );
    // The loop runs before the tools start.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !sb.sh("test -e /dev/shm/sem.x").status.success() {
        assert!(
            std::time::Instant::now() < deadline,
            "the loop never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let cases: &[(&str, &[&str])] = &[
        ("lsipc", &["-S"]),
        ("lsipc", &["-S", "-N"]),
        ("ipcrm", &["-a"]),
        ("ipcrm", &["-a=psem"]),
    ];
    for &(tool, args) in cases {
        for run in 0..150 {
            // `ipcrm -a` removes message queues after the semaphores: one
            // made now must be gone after the run (it stopped halfway).
            let all = args == ["-a"];
            if all {
                sb.sh_ok("$NSIPC ipcmk -Q >/dev/null");
            }
            let o = sb.nsipc(tool, args);
            assert_eq!(
                o.status.signal(),
                None,
                "{tool} {args:?} run {run} was killed: {}",
                stderr(&o)
            );
            assert!(
                matches!(o.status.code(), Some(0 | 1)),
                "{tool} {args:?} run {run}: {:?} {}",
                o.status,
                stderr(&o)
            );
            if all {
                let left = sb.sh_ok("tail -n +2 /proc/sysvipc/msg");
                assert_eq!(left, "", "ipcrm -a run {run} left a queue");
            }
        }
    }
}
