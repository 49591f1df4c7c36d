//! nsenter when `/proc` is not the target's: inside `unshare --pid --fork`
//! without `--mount-proc` (or in a container whose /proc is not its own),
//! `nsenter -t 2` joins the namespaces of *our* PID 2 through its pidfd,
//! while `/proc/2` is another process of the outer PID namespace.
//! util-linux then takes the working directory, environment, root, owner
//! and namespace files of that other process. nsipc proves every
//! `/proc/PID` directory it reads from belongs to the pidfd's process, and
//! refuses otherwise.
//!
//! The scene, inside a [`Sandbox`]: PID namespace A with its own /proc,
//! where PID 2 is a decoy (root, its own working directory, `OUTER_SECRET`
//! in its environment); PID namespace B inside A, still seeing A's /proc,
//! where PID 2 is the target (hostname `inner-host`, another working
//! directory, `INNER=1`, uid 65534).

use crate::common;

use common::{stderr, stdout, Sandbox};

/// PID namespace A, with its own /proc: PID 2 is the decoy.
const OUTER: &str = r#"
cd "$D/decoy" && env -i OUTER_SECRET=1 sleep 60 &
[ "$!" = 2 ] || { echo "decoy is not PID 2: $!"; exit 1; }
cd /
exec /usr/bin/unshare --pid --fork --kill-child sh "$D/inner.sh"
"#;

/// PID namespace B inside A, still with A's /proc: PID 2 is the target.
/// Runs nsenter with each set of options, then once more with B's own /proc
/// (once the target sleeps in `sleep`, with its final uid and environment:
/// `comm` names sleep while execve is still setting the environment up).
const INNER: &str = r#"
/usr/bin/unshare --uts sh "$D/target.sh" &
[ "$!" = 2 ] || { echo "target is not PID 2: $!"; exit 1; }
read x < "$D/ready"
for args in "-u -w -e" "-u -S follow -G follow" "-u -r" "-u -w" "-a"; do
  echo "== $args"
  "$D/nsenter" -t 2 $args sh "$D/show.sh" 2>&1
  echo "rc=$?"
done
echo "== own /proc"
/usr/bin/unshare --mount sh -c 'mount -t proc proc /proc &&
  until [ "$(cat /proc/2/comm)" = sleep ] && grep -q "^State:.S" /proc/2/status; do sleep 0.01; done &&
  "$D/nsenter" -t 2 -u -w -e -S follow -G follow sh "$D/show.sh"'
echo "rc=$?"
"#;

const TARGET: &str = r#"
hostname inner-host
cd "$D/inner"
echo > "$D/ready"
exec env -i INNER=1 setpriv --reuid 65534 --regid 65534 --clear-groups sleep 60
"#;

/// The program nsenter runs: what it got from where.
const SHOW: &str = r#"
echo "$(hostname) ${PWD##*/} uid=$(id -u) secret=${OUTER_SECRET-none} inner=${INNER-none}"
"#;

#[test]
fn proc_of_another_pid_namespace_is_refused() {
    require_namespaces!();
    let sb = Sandbox::new();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("decoy")).unwrap();
    std::fs::create_dir(d.join("inner")).unwrap();
    for (name, text) in [
        ("outer.sh", OUTER),
        ("inner.sh", INNER),
        ("target.sh", TARGET),
        ("show.sh", SHOW),
    ] {
        std::fs::write(d.join(name), text).unwrap();
    }
    let fifo = std::ffi::CString::new(d.join("ready").to_str().unwrap()).unwrap();
    // SAFETY: mkfifo with a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    std::os::unix::fs::symlink(common::nsipc_bin(), d.join("nsenter")).unwrap();
    let out = sb
        .command("/usr/bin/unshare")
        .args(["--pid", "--fork", "--mount-proc", "--kill-child", "sh"])
        .arg(d.join("outer.sh"))
        .env("D", d)
        .output()
        .unwrap();
    let refused = "nsenter: /proc does not belong to the target's PID namespace\nrc=1\n";
    let expected = [
        "== -u -w -e\n",
        refused,
        "== -u -S follow -G follow\n",
        refused,
        "== -u -r\n",
        refused,
        "== -u -w\n",
        refused,
        "== -a\n",
        refused,
        // With B's own /proc everything is the target's.
        "== own /proc\ninner-host inner uid=65534 secret=none inner=1\nrc=0\n",
    ]
    .concat();
    assert_eq!(stdout(&out), expected, "stderr: {}", stderr(&out));
    assert!(out.status.success(), "{}", stderr(&out));
}
