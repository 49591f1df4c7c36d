//! Shell completions and man pages, checked by running the real programs:
//! bash (the completion function with COMP_WORDS/COMP_CWORD, as bash calls
//! it), zsh (an interactive zsh in a pseudo-terminal, TAB pressed, every
//! candidate recorded), fish (`complete -C`), groff and mandoc.
//!
//! The differential test runs Debian's util-linux bash completions
//! (/usr/share/bash-completion/completions, package bash-completion) on the
//! same command lines: for every case in [`DIFFERENTIAL_CASES`] nsipc must
//! offer every candidate util-linux offers. IPC ids and keys are those of
//! objects made in a [`Sandbox`], never the host's.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::Sandbox;

const HARNESS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cli/completion");
const PROGRAMS: &[&str] = &[
    "unshare", "nsenter", "lsns", "ipcs", "ipcmk", "ipcrm", "lsipc", "nsipc",
];

/// Command lines (the last word is completed; `=` is a word of its own,
/// as bash splits `--opt=`) where util-linux's bash completion offers
/// values or options. Left out on purpose, and why (see docs):
/// util-linux's placeholders that are not values (`nsenter -S` → `uid`,
/// `ipcs -i` → `id`, `ipcmk -M` → `size`), `unshare -s` (no such option),
/// `lsns <operand>` (util-linux offers type names where lsns takes a
/// namespace inode), `nsenter --root=` (util-linux offers every file, nsipc
/// directories only).
pub const DIFFERENTIAL_CASES: &[&[&str]] = &[
    &["unshare", "--propagation", ""],
    &["unshare", "--setgroups", ""],
    &["unshare", "--"],
    &["unshare", "--mo"],
    &["nsenter", "-t", ""],
    &["nsenter", "--target", ""],
    &["nsenter", "--"],
    &["nsenter", "--mount", "="],
    &["lsns", "-t", ""],
    &["lsns", "--type", ""],
    &["lsns", "-o", ""],
    &["lsns", "-o", "NS,"],
    &["lsns", "--output", "P"],
    &["lsns", "-p", ""],
    &["lsns", "--task", ""],
    &["lsns", "--"],
    &["ipcs", ""],
    &["ipcs", "--"],
    &["ipcmk", ""],
    &["ipcmk", "--"],
    &["ipcrm", "-m", ""],
    &["ipcrm", "--shmem-id", ""],
    &["ipcrm", "-M", ""],
    &["ipcrm", "--shmem-key", ""],
    &["ipcrm", "-q", ""],
    &["ipcrm", "--queue-id", ""],
    &["ipcrm", "-Q", ""],
    &["ipcrm", "--queue-key", ""],
    &["ipcrm", "-s", ""],
    &["ipcrm", "--semaphore-id", ""],
    &["ipcrm", "-S", ""],
    &["ipcrm", "--semaphore-key", ""],
    &["ipcrm", "--all", "="],
    &["ipcrm", ""],
    &["ipcrm", "--"],
    &["lsipc", "--time-format", ""],
    &["lsipc", "-o", ""],
    &["lsipc", "--output", "KEY,"],
    &["lsipc", ""],
    &["lsipc", "--"],
];

/// Writes every program's script for `shell` into `dir` (zsh: `_NAME`).
fn write_scripts(dir: &Path, shell: &str) {
    for program in PROGRAMS {
        let out = Command::new(common::nsipc_bin())
            .args(["--completion", shell, program])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell} {program}");
        let name = match shell {
            "zsh" => format!("_{program}"),
            "fish" => format!("{program}.fish"),
            _ => program.to_string(),
        };
        std::fs::write(dir.join(name), out.stdout).unwrap();
    }
}

fn lines(out: &std::process::Output) -> Vec<String> {
    common::stdout(out)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Candidates of a bash completion function for `words`.
fn bash(cmd: Command, script: &Path, func: &str, words: &[&str], cwd: &Path) -> Vec<String> {
    let mut cmd = cmd;
    cmd.arg(format!("{HARNESS}/bash-complete.sh"))
        .arg(script)
        .arg(func)
        .args(words)
        .current_dir(cwd);
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{words:?}: {}", common::stderr(&out));
    lines(&out)
}

fn have(program: &str) -> bool {
    let found = ["/usr/bin", "/bin"]
        .iter()
        .any(|d| Path::new(d).join(program).exists());
    if !found {
        assert!(!common::on_ci(), "{program} must be installed on CI");
        eprintln!("skipping: {program} is not installed");
    }
    found
}

/// A sandbox with System V and POSIX objects of every kind (non-zero keys).
fn sandbox_with_objects() -> Sandbox {
    let sandbox = Sandbox::new();
    for args in [
        &["-Q", "--key", "0x1234"][..],
        &["-M", "4096", "--key", "0x2345"],
        &["-S", "2", "--key", "0x3456"],
        &["-Q"],
        &["-m", "64", "-n", "/frames"],
        &["-s", "-n", "/lock"],
    ] {
        let out = sandbox.nsipc("ipcmk", args);
        assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    }
    sandbox
}

#[test]
fn bash_offers_at_least_what_util_linux_offers() {
    if !common::can_use_namespaces() || !have("bash") {
        return;
    }
    let debian = Path::new("/usr/share/bash-completion/completions");
    if !debian.join("lsns").exists() {
        assert!(!common::on_ci(), "bash-completion must be installed on CI");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write_scripts(dir.path(), "bash");
    let cwd = tempfile::tempdir().unwrap();
    std::fs::write(cwd.path().join("netns-file"), "").unwrap();
    std::fs::create_dir(cwd.path().join("subdir")).unwrap();
    let sandbox = sandbox_with_objects();
    let mut checked = 0;
    for words in DIFFERENTIAL_CASES {
        let tool = words[0];
        let theirs = bash(
            sandbox.command("bash"),
            &debian.join(tool),
            &format!("_{tool}_module"),
            words,
            cwd.path(),
        );
        let ours = bash(
            sandbox.command("bash"),
            &dir.path().join(tool),
            &format!("_nsipc_{tool}"),
            words,
            cwd.path(),
        );
        assert!(
            !theirs.is_empty(),
            "util-linux offers nothing for {words:?}"
        );
        let missing: Vec<&String> = theirs
            .iter()
            .filter(|c| !ours.contains(c))
            // A PID util-linux saw that has exited since (its own subshell).
            .filter(|c| c.parse::<u32>().is_err() || Path::new("/proc").join(c).exists())
            .collect();
        assert!(
            missing.is_empty(),
            "{words:?}: nsipc lacks {missing:?}\nnsipc: {ours:?}\nutil-linux: {theirs:?}"
        );
        checked += 1;
    }
    assert_eq!(checked, DIFFERENTIAL_CASES.len());
}

#[test]
fn bash_completes_values_by_kind() {
    if !common::can_use_namespaces() || !have("bash") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write_scripts(dir.path(), "bash");
    let cwd = tempfile::tempdir().unwrap();
    std::fs::write(cwd.path().join("afile"), "").unwrap();
    std::fs::create_dir(cwd.path().join("adir")).unwrap();
    let sandbox = sandbox_with_objects();
    let run = |words: &[&str]| {
        let tool = words[0];
        bash(
            sandbox.command("bash"),
            &dir.path().join(tool),
            &format!("_nsipc_{tool}"),
            words,
            cwd.path(),
        )
    };
    // Live objects of the sandbox, of the right kind only.
    let q = run(&["ipcrm", "-Q", ""]);
    assert!(q.contains(&"0x00001234".to_string()), "{q:?}");
    assert!(
        !q.contains(&"0x00002345".to_string()),
        "a segment's key: {q:?}"
    );
    assert_eq!(run(&["ipcrm", "--shmem-key", "0x"]), ["0x00002345"]);
    assert_eq!(run(&["ipcrm", "--semaphore-key", ""]), ["0x00003456"]);
    assert_eq!(run(&["ipcrm", "--posix-shmem", ""]), ["/frames"]);
    assert_eq!(run(&["ipcrm", "--posix-semaphore", ""]), ["/lock"]);
    assert_eq!(run(&["ipcrm", "-q", ""]).len(), 2);
    // Columns after a comma and with '+', from lsns's column table.
    assert_eq!(
        run(&["lsns", "-o", "+NS,PP"]),
        ["+NS,PPID,"],
        "a column after '+' and a comma"
    );
    assert_eq!(run(&["lsns", "--output", "=", "ON"]), ["ONS,"]);
    assert!(run(&["lsipc", "-o", "IPC"]).contains(&"IPCNS,".to_string()));
    // Fixed words, signals, users, directories and files where meant.
    // -T takes no separate word: what follows is the namespace operand.
    assert!(!run(&["lsns", "-T", ""]).contains(&"owner".to_string()));
    assert_eq!(run(&["lsns", "--tree", "=", "o"]), ["owner"]);
    assert_eq!(run(&["unshare", "--kill-child", "=", "SIGKI"]), ["SIGKILL"]);
    assert!(run(&["unshare", "--setuid", ""]).contains(&"0".to_string()));
    assert!(run(&["nsenter", "-S", "f"]).contains(&"follow".to_string()));
    let base = cwd.path().display().to_string();
    assert_eq!(
        run(&["unshare", "--root", &format!("{base}/")]),
        [format!("{base}/adir")]
    );
    assert_eq!(
        run(&["nsipc", "--install", &format!("{base}/a")]),
        [format!("{base}/adir")]
    );
    assert_eq!(
        run(&["unshare", "--mount", "=", &format!("{base}/af")]),
        [format!("{base}/afile")]
    );
    assert_eq!(run(&["nsipc", "--completion", ""]), ["bash", "zsh", "fish"]);
    assert_eq!(
        run(&["nsipc", ""]),
        ["unshare", "nsenter", "lsns", "ipcs", "ipcmk", "ipcrm", "lsipc"]
    );
    // `nsipc TOOL …` completes as TOOL does, once TOOL's function is loaded.
    let both = dir.path().join("nsipc+lsns");
    let text = std::fs::read_to_string(dir.path().join("nsipc")).unwrap()
        + &std::fs::read_to_string(dir.path().join("lsns")).unwrap();
    std::fs::write(&both, text).unwrap();
    assert_eq!(
        bash(
            sandbox.command("bash"),
            &both,
            "_nsipc_nsipc",
            &["nsipc", "lsns", "-t", "u"],
            cwd.path()
        ),
        ["user", "uts"]
    );
    // lsns's operand: namespace inodes, e.g. our own IPC namespace's.
    let own = std::fs::read_link("/proc/self/ns/mnt").unwrap();
    let inode = own.to_string_lossy();
    let inode = inode.trim_start_matches("mnt:[").trim_end_matches(']');
    assert!(run(&["lsns", ""]).contains(&inode.to_string()));
    // unshare's operand is a command; after it, nothing of unshare's.
    assert!(run(&["unshare", "-r", "bas"]).contains(&"bash".to_string()));
    assert_eq!(
        run(&["unshare", "-r", "cat", &format!("{base}/af")]),
        [format!("{base}/afile")],
        "the program's arguments (files without bash-completion's _command_offset)"
    );
    assert_eq!(
        run(&["nsenter", "-t", "1", "--", "cat", "-t"]),
        Vec::<String>::new(),
        "nothing of nsenter's own after the program"
    );
}

fn zsh(cmd: Command, fpath: &Path, line: &str) -> Vec<String> {
    let mut cmd = cmd;
    cmd.args(["-f", &format!("{HARNESS}/zsh-complete.zsh")])
        .arg(fpath)
        .arg(line);
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{line}: {}", common::stderr(&out));
    lines(&out)
}

#[test]
fn zsh_completes_values_by_kind() {
    if !common::can_use_namespaces() || !have("zsh") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write_scripts(dir.path(), "zsh");
    let sandbox = sandbox_with_objects();
    let run = |line: &str| zsh(sandbox.command("zsh"), dir.path(), line);
    assert_eq!(
        run("lsns -t "),
        ["cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts"]
    );
    assert_eq!(run("lsns -o +P"), ["PATH", "PID", "PNS", "POD", "PPID"]);
    assert_eq!(
        run("unshare --propagation "),
        ["private", "shared", "slave", "unchanged"]
    );
    assert!(run("nsenter -t ").contains(&std::process::id().to_string()));
    assert_eq!(run("ipcrm -S "), ["0x00003456"]);
    assert_eq!(run("lsipc --time-format "), ["full", "iso", "short"]);
    // `nsipc TOOL …` completes as TOOL does.
    assert_eq!(run("nsipc lsns --type u"), ["user", "uts"]);
    assert_eq!(run("nsipc --completion "), ["bash", "fish", "zsh"]);
}

fn fish(cmd: Command, dir: &Path, program: &str, line: &str) -> Vec<String> {
    let mut cmd = cmd;
    cmd.arg("-c").arg(format!(
        "source {}/{program}.fish; complete -C'{line}'",
        dir.display()
    ));
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{line}: {}", common::stderr(&out));
    lines(&out)
        .into_iter()
        .map(|l| l.split('\t').next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn fish_completes_values_by_kind() {
    if !common::can_use_namespaces() || !have("fish") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write_scripts(dir.path(), "fish");
    let sandbox = sandbox_with_objects();
    let run = |program: &str, line: &str| fish(sandbox.command("fish"), dir.path(), program, line);
    assert_eq!(
        run("lsns", "lsns -t "),
        ["cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts"]
    );
    assert_eq!(run("lsns", "lsns -o NS,PP"), ["NS,PPID"]);
    assert_eq!(run("unshare", "unshare --setgroups "), ["allow", "deny"]);
    assert_eq!(
        run("unshare", "unshare --kill-child=SIGKI"),
        ["--kill-child=SIGKILL"]
    );
    let pids = run("nsenter", "nsenter -t ");
    assert!(
        !pids.is_empty() && pids.iter().all(|p| p.parse::<u32>().is_ok()),
        "{pids:?}"
    );
    assert_eq!(run("ipcrm", "ipcrm -M "), ["0x00002345"]);
    assert_eq!(run("ipcrm", "ipcrm --posix-semaphore "), ["/lock"]);
}

/// groff's and mandoc's checkers report nothing for any page.
#[test]
fn man_pages_pass_groff_and_mandoc() {
    let groff = have("groff");
    let mandoc = have("mandoc");
    let dir = tempfile::tempdir().unwrap();
    for program in PROGRAMS {
        let out = Command::new(common::nsipc_bin())
            .args(["--man", program])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let page = common::stdout(&out);
        // One heading per group: no repeated heading.
        let headings: Vec<&str> = page
            .lines()
            .filter(|l| l.starts_with(".SH ") || l.starts_with(".SS "))
            .collect();
        let mut unique = headings.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), headings.len(), "{program}: {headings:?}");
        for section in [
            "DESCRIPTION",
            "OPTIONS",
            "EXIT STATUS",
            "EXAMPLES",
            "NOTES",
            "SEE ALSO",
        ] {
            assert!(
                headings.contains(&format!(".SH {section}").as_str()),
                "{program}: {section}"
            );
        }
        let path: PathBuf = dir.path().join(format!("{program}.1"));
        std::fs::write(&path, &page).unwrap();
        if groff {
            let out = Command::new("groff")
                .args(["-man", "-ww", "-z"])
                .arg(&path)
                .output()
                .unwrap();
            assert!(
                out.status.success() && out.stderr.is_empty(),
                "{program}: {}",
                common::stderr(&out)
            );
        }
        if mandoc {
            let out = Command::new("mandoc")
                .args(["-T", "lint"])
                .arg(&path)
                .output()
                .unwrap();
            assert!(
                out.status.success() && out.stdout.is_empty() && out.stderr.is_empty(),
                "{program}: {}{}",
                common::stdout(&out),
                common::stderr(&out)
            );
        }
    }
}
