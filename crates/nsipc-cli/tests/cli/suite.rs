//! The test suite checks itself: every test file is a module of this
//! binary, and every test the documents cite exists.

use std::path::Path;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
const SUITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cli");

/// Every `file.rs::name` in `text`: the word characters around `.rs::`.
fn test_references(text: &str) -> Vec<(String, String)> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut refs = Vec::new();
    for (at, _) in text.match_indices(".rs::") {
        let file: String = text[..at].chars().rev().take_while(|&c| word(c)).collect();
        let file: String = file.chars().rev().collect();
        let name: String = text[at + 5..].chars().take_while(|&c| word(c)).collect();
        refs.push((file, name));
    }
    refs
}

/// Whether `source` has a `#[test]` function `name`: `#[test]` among the
/// attributes and doc comments right above `fn name(`.
fn has_test(source: &str, name: &str) -> bool {
    let lines: Vec<&str> = source.lines().map(str::trim).collect();
    let head = format!("fn {name}(");
    lines.iter().enumerate().any(|(i, line)| {
        line.starts_with(&head)
            && lines[..i]
                .iter()
                .rev()
                .take_while(|l| l.starts_with("#[") || l.starts_with("///"))
                .any(|l| *l == "#[test]")
    })
}

#[test]
fn docs_name_existing_tests() {
    let mut documents = vec![
        Path::new(ROOT).join("README.md"),
        Path::new(ROOT).join("SECURITY.md"),
    ];
    let mut docs: Vec<_> = std::fs::read_dir(Path::new(ROOT).join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    documents.extend(docs);
    let mut checked = 0;
    let mut missing = Vec::new();
    for doc in &documents {
        let text = std::fs::read_to_string(doc).unwrap();
        for (file, name) in test_references(&text) {
            let source = std::fs::read_to_string(Path::new(SUITE).join(format!("{file}.rs")))
                .unwrap_or_default();
            if !has_test(&source, &name) {
                missing.push(format!("{}: {file}.rs::{name}", doc.display()));
            }
            checked += 1;
        }
    }
    assert!(
        missing.is_empty(),
        "no such test in tests/cli/:\n{}",
        missing.join("\n")
    );
    // SECURITY.md alone cites about 30: finding none means the scan broke.
    assert!(checked >= 20, "only {checked} test references found");
}

#[test]
fn test_reference_scan_finds_file_and_name() {
    assert_eq!(
        test_references("- `soak.rs::short_soak` (and `a.rs::b_2`): x.rs::\n"),
        [("soak", "short_soak"), ("a", "b_2"), ("x", "")].map(|(f, n)| (f.into(), n.into()))
    );
    let source = "#[test]\n/// Doc.\nfn real() {}\n\nfn helper() {}\n";
    assert!(has_test(source, "real"));
    assert!(!has_test(source, "helper"));
    assert!(!has_test(source, "absent"));
}

/// A test file that is not a `mod` of main.rs is never compiled, so its
/// tests never run; a file directly under tests/ would be a binary of its
/// own, rebuilding the sandbox.
#[test]
fn every_test_file_is_a_module_of_the_one_binary() {
    let main = std::fs::read_to_string(Path::new(SUITE).join("main.rs")).unwrap();
    let mut files: Vec<String> = std::fs::read_dir(SUITE)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter_map(|f| f.strip_suffix(".rs").map(str::to_owned))
        .filter(|f| f != "main")
        .collect();
    files.sort();
    let undeclared: Vec<_> = files
        .iter()
        .filter(|f| !main.lines().any(|l| l.trim() == format!("mod {f};")))
        .collect();
    assert!(
        undeclared.is_empty(),
        "not a module of tests/cli/main.rs: {undeclared:?}"
    );
    let stray: Vec<_> = std::fs::read_dir(Path::new(SUITE).parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "rs"))
        .collect();
    assert!(stray.is_empty(), "test files outside tests/cli/: {stray:?}");
    assert!(files.len() >= 20, "{files:?}");
}

/// The one comparison of every differential test fails on any difference:
/// stdout, stderr, exit status or terminating signal.
#[test]
fn assert_same_fails_on_any_difference() {
    use std::os::unix::process::ExitStatusExt;
    use std::process::{ExitStatus, Output};
    let out = |stdout: &str, stderr: &str, raw: i32| Output {
        status: ExitStatus::from_raw(raw),
        stdout: stdout.into(),
        stderr: stderr.into(),
    };
    let same = |a: &Output, b: &Output| {
        std::panic::catch_unwind(|| crate::common::assert_same("t", &[], a, b)).is_ok()
    };
    let base = out("o\n", "e\n", 1 << 8);
    assert!(same(&base, &out("o\n", "e\n", 1 << 8)));
    assert!(!same(&base, &out("O\n", "e\n", 1 << 8)), "stdout");
    assert!(!same(&base, &out("o\n", "E\n", 1 << 8)), "stderr");
    assert!(!same(&base, &out("o\n", "e\n", 2 << 8)), "exit status");
    assert!(!same(&out("", "", 9), &out("", "", 15)), "signal");
}
