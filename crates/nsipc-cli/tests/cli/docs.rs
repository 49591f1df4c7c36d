//! Help, man pages, completions and `nsipc --install`: all generated from the
//! same option tables, so every option `--help` lists must appear in the man
//! page and the completions.

use crate::common;

use std::process::Command;

const PROGRAMS: &[&str] = &[
    "unshare", "nsenter", "lsns", "ipcs", "ipcmk", "ipcrm", "lsipc", "nsipc",
];

fn run(args: &[&str]) -> std::process::Output {
    Command::new(common::nsipc_bin())
        .args(args)
        .output()
        .unwrap()
}

fn help_of(program: &str) -> String {
    let out = if program == "nsipc" {
        run(&["--help"])
    } else {
        run(&[program, "--help"])
    };
    assert_eq!(out.status.code(), Some(0), "{program} --help");
    assert!(out.stderr.is_empty());
    common::stdout(&out)
}

/// Long option names listed by `--help` (`--id`, `--human`, …).
fn long_options(help: &str) -> Vec<String> {
    let mut names = Vec::new();
    for line in help.lines() {
        let trimmed = line.trim_start();
        let Some(rest) = trimmed.strip_prefix("--").or_else(|| {
            trimmed
                .get(4..)
                .filter(|_| trimmed.starts_with('-'))
                .and_then(|r| r.strip_prefix("--"))
        }) else {
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        if !name.is_empty() {
            names.push(name);
        }
    }
    names
}

#[test]
fn every_program_has_help_with_options() {
    for program in PROGRAMS {
        let help = help_of(program);
        assert!(help.starts_with("\nUsage:\n "), "{program}: {help}");
        assert!(help.ends_with(&format!("For more details see {program}(1).\n")));
        let options = long_options(&help);
        assert!(
            options.contains(&"help".to_string()),
            "{program}: {options:?}"
        );
        assert!(
            options.contains(&"version".to_string()),
            "{program}: {options:?}"
        );
    }
}

#[test]
fn man_pages_document_every_option() {
    for program in PROGRAMS {
        let out = run(&["--man", program]);
        assert_eq!(out.status.code(), Some(0), "--man {program}");
        let page = common::stdout(&out);
        let header = format!(".TH {} 1 ", program.to_uppercase());
        assert!(page.starts_with(&header), "{program}: {page}");
        for section in [
            ".SH NAME\n",
            ".SH SYNOPSIS\n",
            ".SH DESCRIPTION\n",
            ".SH SEE ALSO\n",
        ] {
            assert!(page.contains(section), "{program} lacks {section}");
        }
        for option in long_options(&help_of(program)) {
            let roff = format!("\\-\\-{}", option.replace('-', "\\-"));
            assert!(page.contains(&roff), "{program}(1) lacks --{option}");
        }
        // No line may start with a roff control character by accident.
        for line in page.lines() {
            if line.starts_with('.') {
                assert!(
                    [
                        ".TH", ".SH", ".SS", ".TP", ".B", ".BR", ".br", ".nf", ".fi", ".PP", ".IP",
                        ".RS", ".RE", ".EX", ".EE",
                    ]
                    .iter()
                    .any(|m| line.starts_with(&format!("{m} ")) || line == *m),
                    "{program}: stray control line {line:?}"
                );
            }
        }
    }
}

#[test]
fn bash_completions_parse_and_complete() {
    for program in PROGRAMS {
        let out = run(&["--completion", "bash", program]);
        assert_eq!(out.status.code(), Some(0));
        let script = common::stdout(&out);
        for option in long_options(&help_of(program)) {
            assert!(
                script.contains(&format!("--{option}")),
                "{program}: --{option}"
            );
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("completion.bash");
        std::fs::write(&path, &script).unwrap();
        // Source it, complete `<program> --he`, print the candidates.
        let check = format!(
            "source {p}; COMP_WORDS=({program} --he); COMP_CWORD=1; _nsipc_{program}; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            p = path.display()
        );
        let out = Command::new("bash").arg("-c").arg(&check).output().unwrap();
        assert!(out.status.success(), "{program}: {}", common::stderr(&out));
        assert_eq!(common::stdout(&out), "--help\n", "{program}");
    }
}

#[test]
fn zsh_completions_list_every_option() {
    for program in PROGRAMS {
        let out = run(&["--completion", "zsh", program]);
        assert_eq!(out.status.code(), Some(0));
        let script = common::stdout(&out);
        assert!(script.starts_with(&format!("#compdef {program}\n")));
        for option in long_options(&help_of(program)) {
            assert!(
                script.contains(&format!("--{option}")),
                "{program}: --{option}"
            );
        }
    }
}

#[test]
fn completion_and_man_errors() {
    let out = run(&["--completion", "csh", "ipcs"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        common::stderr(&out),
        "nsipc: unsupported shell 'csh': use bash, zsh or fish\n"
    );
    let out = run(&["--man", "bogus"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(common::stderr(&out), "nsipc: unknown tool 'bogus'\n");
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        common::stderr(&out),
        "nsipc: no tool specified\nTry 'nsipc --help' for more information.\n"
    );
    let out = run(&["--prefix", "/tmp/x"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        common::stderr(&out),
        "nsipc: --prefix requires --install\nTry 'nsipc --help' for more information.\n"
    );
}

#[test]
fn install_binary_links_man_pages_and_completions() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    let prefix = dir.path().join("usr");
    std::fs::create_dir(&prefix).unwrap();
    let out = run(&[
        "--install",
        bin.to_str().unwrap(),
        "--prefix",
        prefix.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    assert!(out.stderr.is_empty());
    // One line per kind.
    let report = common::stdout(&out);
    let kinds: Vec<&str> = report
        .lines()
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "binary",
            "tool links (-> nsipc)",
            "man pages",
            "bash completions",
            "zsh completions",
            "fish completions"
        ],
        "{report}"
    );
    // A copy of the binary, not a link into the build tree: the install
    // survives `cargo clean`.
    let copy = bin.join("nsipc");
    let meta = std::fs::symlink_metadata(&copy).unwrap();
    assert!(meta.file_type().is_file(), "a real file");
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        std::fs::read(common::nsipc_bin()).unwrap()
    );
    for tool in &PROGRAMS[..7] {
        let link = bin.join(tool);
        // Relative links to the copy.
        assert_eq!(
            std::fs::read_link(&link).unwrap(),
            std::path::Path::new("nsipc")
        );
        let out = Command::new(&link).arg("--help").output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert!(
            common::stdout(&out).starts_with(&format!("\nUsage:\n {tool} ")),
            "{tool}"
        );
    }
    for program in PROGRAMS {
        for file in [
            format!("share/man/man1/{program}.1"),
            format!("share/bash-completion/completions/{program}"),
            format!("share/zsh/site-functions/_{program}"),
            format!("share/fish/vendor_completions.d/{program}.fish"),
        ] {
            let path = prefix.join(&file);
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(!text.is_empty(), "{file}");
        }
    }
    // The installed nsipc installing into its own directory copies nothing
    // and replaces the links; -v names every file.
    let out = Command::new(&copy)
        .args(["--install", bin.to_str().unwrap(), "-v"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let expected: String = PROGRAMS[..7]
        .iter()
        .map(|t| format!("tool links (-> nsipc): {}\n", bin.join(t).display()))
        .collect();
    assert_eq!(common::stdout(&out), expected);
}

#[test]
fn install_creates_only_the_last_directory() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nonexistent");
    let target = missing.join("dir");
    let out = run(&["--install", target.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        common::stderr(&out),
        format!(
            "nsipc: cannot create directory {}: No such file or directory\n",
            target.display()
        )
    );
    assert!(out.stdout.is_empty());
    assert!(!missing.exists(), "the parent must not be created");
    // A missing prefix is refused too, after nothing of the prefix exists.
    let bin = dir.path().join("bin");
    let out = run(&[
        "--install",
        bin.to_str().unwrap(),
        "--prefix",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        common::stderr(&out).ends_with(&format!(
            "cannot install into {}: No such file or directory\n",
            missing.display()
        )),
        "{}",
        common::stderr(&out)
    );
    assert!(!missing.exists());
}

#[test]
fn install_never_overwrites_a_real_file() {
    let dir = tempfile::tempdir().unwrap();
    let ipcs = dir.path().join("ipcs");
    std::fs::write(&ipcs, "precious").unwrap();
    let out = run(&["--install", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        common::stderr(&out),
        format!("nsipc: cannot install {}: File exists\n", ipcs.display())
    );
    assert_eq!(std::fs::read_to_string(&ipcs).unwrap(), "precious");
    // Every target is checked before anything is created.
    let entries: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(entries.len(), 1, "only the precious file: {entries:?}");
}

/// The long options of a help text, in the order listed.
fn listed_order(help: &str) -> Vec<String> {
    long_options(help)
}

#[test]
fn lsns_help_lists_options_in_util_linux_order() {
    // util-linux master's usage(): the order of its lines.
    const MASTER: &[&str] = &[
        "json",
        "list",
        "noheadings",
        "output",
        "output-all",
        "persistent",
        "task",
        "filter",
        "raw",
        "notruncate",
        "nowrap",
        "type",
        "tree",
        "list-columns",
        "help",
        "version",
    ];
    // nsipc's own options sit among them; master's keep its order.
    const OWN: &[&str] = &["sort", "container", "pod"];
    let all = listed_order(&help_of("lsns"));
    assert!(
        OWN.iter().all(|own| all.iter().any(|o| o == own)),
        "{all:?}"
    );
    let ours: Vec<String> = all
        .into_iter()
        .filter(|o| !OWN.contains(&o.as_str()))
        .collect();
    assert_eq!(ours, MASTER);
    // And 2.38.1's, for the options it has.
    if let Some(lsns) = common::util_linux_bin("lsns") {
        let out = Command::new(lsns).arg("--help").output().unwrap();
        let theirs = listed_order(&common::stdout(&out));
        let ours_common: Vec<&String> = ours.iter().filter(|o| theirs.contains(o)).collect();
        let theirs_common: Vec<&String> = theirs.iter().filter(|o| ours.contains(o)).collect();
        assert_eq!(ours_common, theirs_common);
    } else {
        assert!(!common::on_ci(), "util-linux lsns must be installed on CI");
    }
}
