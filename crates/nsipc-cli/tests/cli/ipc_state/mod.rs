//! Helpers shared by the ipcmk and ipcrm tests: what IPC objects a sandbox
//! holds, and differential runs on identical fresh state.

#![allow(dead_code)]

use std::process::Output;

use crate::common::{self, As, Sandbox};

pub const ROOT: As = As {
    uid: None,
    gid: None,
};
pub const ALICE: As = As {
    uid: Some(1001),
    gid: Some(1001),
};
pub const BOB: As = As {
    uid: Some(1003),
    gid: Some(2003),
};

/// Everything about the sandbox's IPC objects, raw: /proc/sysvipc with all
/// times, and the entries of /dev/shm and /dev/mqueue with modes, owners,
/// sizes, modification times and queue contents. Equal snapshots mean no
/// object was created, removed or changed. (Left out: the directories' own
/// times, which making and removing a file changes, and status change
/// times, which reading a queue file changes.)
pub fn snapshot(sb: &Sandbox) -> String {
    sb.sh_ok(
        "cat /proc/sysvipc/msg /proc/sysvipc/shm /proc/sysvipc/sem; \
         find /dev/shm /dev/mqueue -mindepth 1 -printf '%p %y %m %U %G %s %T@\\n' | sort; \
         for q in /dev/mqueue/*; do [ -e \"$q\" ] && cat \"$q\"; done; true",
    )
}

/// The objects, without what differs between two sandboxes set up alike
/// (times, creator pids; keys too unless `keys`): one line per object,
/// sorted by id or name.
pub fn objects(sb: &Sandbox, keys: bool) -> String {
    let script = r#"
for f in msg shm sem; do
  echo "[$f]"
  case $f in
    msg) c='$1,$2,$3,$4,$5,$8,$9,$10,$11' ;;
    shm) c='$1,$2,$3,$4,$7,$8,$9,$10,$11' ;;
    sem) c='$1,$2,$3,$4,$5,$6,$7,$8' ;;
  esac
  tail -n +2 /proc/sysvipc/$f | awk "{print $c}" | sort -k2n
done
echo "[/dev/shm]"
find /dev/shm -mindepth 1 -printf '%P %m %s %U %G %y\n' | sort
echo "[/dev/mqueue]"
for q in /dev/mqueue/*; do
  [ -e "$q" ] && echo "${q#/dev/mqueue/} $(stat -c '%a %u %g' "$q") $(cut -d' ' -f1 "$q")"
done
true
"#;
    let text = sb.sh_ok(script);
    if keys {
        return text;
    }
    // Drop the key column of the System V lines.
    let mut section = String::new();
    text.lines()
        .map(|line| {
            if line.starts_with('[') {
                section = line.to_string();
                return format!("{line}\n");
            }
            match section.as_str() {
                "[msg]" | "[shm]" | "[sem]" => {
                    let rest: Vec<&str> = line.split(' ').skip(1).collect();
                    format!("{}\n", rest.join(" "))
                }
                _ => format!("{line}\n"),
            }
        })
        .collect()
}

/// The keys of the System V objects of `kind` (`msg`, `shm`, `sem`).
pub fn keys(sb: &Sandbox, kind: &str) -> Vec<i64> {
    sb.sh_ok(&format!("tail -n +2 /proc/sysvipc/{kind}"))
        .lines()
        .map(|l| l.split_whitespace().next().unwrap().parse().unwrap())
        .collect()
}

/// The fields of the only System V object of `kind`, by column name.
pub fn only(sb: &Sandbox, kind: &str) -> std::collections::HashMap<String, String> {
    let text = sb.sh_ok(&format!("cat /proc/sysvipc/{kind}"));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 1, "expected one {kind} object:\n{text}");
    header
        .iter()
        .zip(rows[0].split_whitespace())
        .map(|(h, v)| (h.to_string(), v.to_string()))
        .collect()
}

/// Runs `$NSIPC`-using `setup` (a shell script, as root) in two fresh
/// sandboxes, then util-linux's `tool args` in one and nsipc's in the
/// other, as `creds`; requires identical stdout, stderr, exit status and
/// resulting objects (`keys`: including System V keys). Returns nsipc's
/// output and the sandbox it ran in.
pub fn compare_fresh(
    setup: &str,
    tool: &str,
    args: &[&str],
    creds: As,
    keys: bool,
) -> (Output, Sandbox) {
    let ours_sb = Sandbox::new();
    ours_sb.sh_ok(setup);
    let ours = ours_sb.nsipc_as(tool, args, creds);
    if common::util_linux_bin(tool).is_none() {
        eprintln!("util-linux {tool} not installed: comparison skipped");
        return (ours, ours_sb);
    }
    let theirs_sb = Sandbox::new();
    theirs_sb.sh_ok(setup);
    let theirs = theirs_sb.util_linux_as(tool, args, creds);
    common::assert_same(tool, args, &theirs, &ours);
    assert_eq!(
        objects(&theirs_sb, keys),
        objects(&ours_sb, keys),
        "objects differ after {tool} {args:?}"
    );
    (ours, ours_sb)
}

/// Runs nsipc's `tool args` as `creds` and requires exactly this stdout,
/// stderr and exit status.
pub fn expect(
    sb: &Sandbox,
    tool: &str,
    args: &[&str],
    creds: As,
    stdout: &str,
    stderr: &str,
    code: i32,
) {
    let out = sb.nsipc_as(tool, args, creds);
    assert_eq!(common::stdout(&out), stdout, "stdout of {tool} {args:?}");
    assert_eq!(common::stderr(&out), stderr, "stderr of {tool} {args:?}");
    assert_eq!(out.status.code(), Some(code), "status of {tool} {args:?}");
}

/// Like [`expect`], and requires that the IPC objects did not change.
pub fn expect_unchanged(
    sb: &Sandbox,
    tool: &str,
    args: &[&str],
    creds: As,
    stderr: &str,
    code: i32,
) {
    let before = snapshot(sb);
    expect(sb, tool, args, creds, "", stderr, code);
    assert_eq!(snapshot(sb), before, "{tool} {args:?} changed the objects");
}
