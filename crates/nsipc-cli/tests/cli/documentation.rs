//! What the README and docs/ show: the IPC-namespace walkthrough
//! (`scripts/walkthrough.sh`, run by `scripts/demo.sh`) and the Rust examples,
//! which must all be compiled by the test suite.

use crate::common;

use std::path::Path;
use std::process::Stdio;

use common::{stderr, stdout};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// One command the walkthrough shows at a prompt, and what it printed.
#[derive(Debug)]
struct Step {
    host: String,
    command: String,
    output: Vec<String>,
}

/// `user@host:dir# command` → (host, command).
fn prompt_line(line: &str) -> Option<(String, String)> {
    let (prompt, command) = line.split_once("# ")?;
    let (_user, rest) = prompt.split_once('@')?;
    let (host, _dir) = rest.split_once(':')?;
    if host.is_empty() || host.contains(' ') || prompt.contains(' ') {
        return None;
    }
    Some((host.to_string(), command.to_string()))
}

fn steps_of(text: &str) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    let mut in_step = false;
    for line in text.lines() {
        if let Some((host, command)) = prompt_line(line) {
            steps.push(Step {
                host,
                command,
                output: Vec::new(),
            });
            in_step = true;
        } else if line.starts_with("== ") || line.starts_with("# ") {
            // A section title or a remark ends the output of a command.
            in_step = false;
        } else if in_step {
            steps.last_mut().unwrap().output.push(line.to_string());
        }
    }
    steps
}

/// The keys of the queues an `ipcs -q` listing shows.
fn keys(output: &[String]) -> Vec<String> {
    output
        .iter()
        .filter(|l| l.starts_with("0x"))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect()
}

/// `readlink /proc/…/ns/uts /proc/…/ns/ipc` output → (ipc inode, uts inode).
fn inodes(output: &[String]) -> (String, String) {
    let inode = |prefix: &str| {
        output
            .iter()
            .find_map(|l| l.strip_prefix(prefix)?.strip_suffix(']'))
            .unwrap_or_else(|| panic!("no {prefix} in {output:?}"))
            .to_string()
    };
    (inode("ipc:["), inode("uts:["))
}

fn own_inode(kind: &str) -> String {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(format!("/proc/self/ns/{kind}"))
        .unwrap()
        .ino()
        .to_string()
}

/// The walkthrough, run as the README says (nsipc's links first in PATH):
/// every command is shown at the prompt of the shell it is typed in, the
/// new IPC namespace does not see the first namespace's queue, nsenter sees
/// the second namespace's, and the closing summary states exactly what the
/// steps showed, with the inode numbers `readlink` printed. The host's
/// namespaces appear in the summary unused and its hostname is unchanged.
#[test]
fn walkthrough_shows_every_command_and_a_true_summary() {
    require_namespaces!();
    let dir = tempfile::tempdir().unwrap();
    let install = std::process::Command::new(common::nsipc_bin())
        .args(["--install"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(install.status.success(), "{}", stderr(&install));
    let path = format!(
        "{}:{}",
        dir.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let host_name = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    let out = std::process::Command::new("bash")
        .arg(format!("{ROOT}/scripts/walkthrough.sh"))
        .env("PATH", path)
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}\n{}", stderr(&out));
    let steps = steps_of(&text);

    // Every command, at the prompt of the shell it is typed in.
    let pid = steps
        .iter()
        .find(|s| s.command == "echo $$")
        .and_then(|s| s.output.first())
        .unwrap_or_else(|| panic!("no 'echo $$' step:\n{text}"))
        .clone();
    let readlink = "readlink /proc/$$/ns/uts /proc/$$/ns/ipc";
    let nsenter = format!("nsenter -t {pid} -u -i");
    let expected: Vec<(&str, String)> = vec![
        ("ubuntu", readlink.into()),
        ("ubuntu", "hostname".into()),
        ("ubuntu", "ipcs -q".into()),
        ("ubuntu", "ipcmk -Q".into()),
        ("ubuntu", "ipcs -q".into()),
        ("ubuntu", "unshare -iu bash".into()),
        ("ubuntu", "echo $$".into()),
        ("ubuntu", readlink.into()),
        ("ubuntu", "hostname container001".into()),
        ("ubuntu", "exec bash".into()),
        ("container001", "hostname".into()),
        ("container001", "ipcs -q".into()),
        ("container001", "ipcmk -Q".into()),
        ("container001", "ipcs -q".into()),
        ("ubuntu", "hostname".into()),
        ("ubuntu", "ipcs -q".into()),
        (
            "ubuntu",
            "unshare -iu --hostname=container001 hostname".into(),
        ),
        (
            "ubuntu",
            format!("{nsenter} readlink /proc/self/ns/uts /proc/self/ns/ipc"),
        ),
        ("ubuntu", format!("{nsenter} hostname")),
        ("ubuntu", format!("{nsenter} ipcs -q")),
    ];
    let shown: Vec<(&str, String)> = steps
        .iter()
        .map(|s| (s.host.as_str(), s.command.clone()))
        .collect();
    assert_eq!(shown, expected, "{text}");

    // What the steps showed.
    let first_ns = inodes(&steps[0].output);
    assert_eq!(steps[1].output, ["ubuntu"]);
    assert_eq!(keys(&steps[2].output), Vec::<String>::new(), "{text}");
    let first_queue = keys(&steps[4].output);
    assert_eq!(first_queue.len(), 1, "{text}");
    let second_ns = inodes(&steps[7].output);
    assert_ne!(second_ns.0, first_ns.0, "a new IPC namespace");
    assert_ne!(second_ns.1, first_ns.1, "a new UTS namespace");
    assert_eq!(steps[10].output, ["container001"]);
    assert_eq!(
        keys(&steps[11].output),
        Vec::<String>::new(),
        "the new IPC namespace must not see the first queue:\n{text}"
    );
    let second_queue = keys(&steps[13].output);
    assert_eq!(second_queue.len(), 1, "{text}");
    assert_ne!(second_queue, first_queue);
    assert_eq!(steps[14].output, ["ubuntu"], "first name unchanged");
    assert_eq!(
        keys(&steps[15].output),
        first_queue,
        "first queue unchanged"
    );
    assert_eq!(steps[16].output, ["container001"]);
    assert_eq!(inodes(&steps[17].output), second_ns, "nsenter joins");
    assert_eq!(steps[18].output, ["container001"]);
    assert_eq!(keys(&steps[19].output), second_queue);

    // The summary: namespace, IPC inode, UTS inode, hostname, queues seen.
    let summary = text
        .split("== Summary ==\n")
        .nth(1)
        .unwrap_or_else(|| panic!("no summary:\n{text}"));
    let rows: Vec<Vec<&str>> = summary
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().rev().take(4).collect::<Vec<_>>())
        .map(|mut r| {
            r.reverse();
            r
        })
        .collect();
    let row = |ns: &(String, String), name: &str, queues: &str| {
        vec![
            ns.0.clone(),
            ns.1.clone(),
            name.to_string(),
            queues.to_string(),
        ]
    };
    let host_ns = (own_inode("ipc"), own_inode("uts"));
    assert_eq!(
        rows,
        [
            row(&host_ns, host_name.trim(), "-"),
            row(&first_ns, "ubuntu", &first_queue[0]),
            row(&second_ns, "container001", &second_queue[0]),
            row(&second_ns, "container001", &second_queue[0]),
        ],
        "{text}"
    );
    assert!(summary.contains(&format!("\n{nsenter} ")), "{summary}");
    assert_ne!(first_ns.0, host_ns.0, "the host's IPC namespace untouched");
    assert_ne!(first_ns.1, host_ns.1, "the host's UTS namespace untouched");
    assert_eq!(
        std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap(),
        host_name
    );
}

/// Every Markdown page with a `rust` block is compiled by the test suite:
/// README.md and docs/*.md are doctests of the library (`documentation` in
/// crates/nsipc/src/lib.rs), docs/output-engine.md's examples are unit
/// tests of the output engine (they use the binary crate's modules).
#[test]
fn every_rust_example_is_compiled() {
    let lib = std::fs::read_to_string(format!("{ROOT}/crates/nsipc/src/lib.rs")).unwrap();
    let included: Vec<String> = lib
        .split("include_str!(\"../../../")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .collect();
    assert!(included.contains(&"README.md".to_string()), "{included:?}");
    let mut pages = vec!["README.md".to_string()];
    for entry in std::fs::read_dir(format!("{ROOT}/docs")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".md") {
            pages.push(format!("docs/{name}"));
        }
    }
    let mut with_rust = 0;
    for page in &pages {
        let text = std::fs::read_to_string(Path::new(ROOT).join(page)).unwrap();
        if !text.lines().any(|l| l.starts_with("```rust")) {
            continue;
        }
        with_rust += 1;
        if page == "docs/output-engine.md" {
            let tests = std::fs::read_to_string(format!(
                "{ROOT}/crates/nsipc-cli/src/output/doc_examples.rs"
            ))
            .unwrap();
            assert!(tests.contains("include_str!(\"../../../../docs/output-engine.md\")"));
        } else {
            assert!(
                included.contains(page),
                "{page} has Rust examples but is not included in crates/nsipc/src/lib.rs"
            );
        }
    }
    assert!(with_rust >= 3, "README, unshare.md and output-engine.md");
    for page in &included {
        assert!(Path::new(ROOT).join(page).is_file(), "{page}");
    }
}
