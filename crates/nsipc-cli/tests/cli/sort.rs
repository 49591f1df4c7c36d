//! `--sort COLUMN` of lsns (nsipc's own option: a flat list in ascending
//! order of the column, numbers as numbers). Reads the host's namespaces,
//! changes nothing.

use crate::common;

use std::os::unix::process::CommandExt;
use std::process::Command;

fn lsns(args: &[&str]) -> std::process::Output {
    Command::new(common::nsipc_bin())
        .arg0("lsns")
        .args(args)
        .env("LC_ALL", "C")
        .output()
        .unwrap()
}

#[test]
fn lsns_sorts_numbers_as_numbers() {
    let out = lsns(&["--sort", "NPROCS", "-n", "-o", "NPROCS"]);
    assert!(out.status.success());
    let n: Vec<u64> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.trim().parse().unwrap())
        .collect();
    assert!(n.len() > 1);
    assert!(n.windows(2).all(|w| w[0] <= w[1]), "{n:?}");
    // Text columns by their bytes; a hidden sort column is not printed.
    let out = lsns(&["--sort", "TYPE", "-r", "-n", "-o", "NS"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines().all(|l| !l.contains(' ') && !l.is_empty()),
        "{text}"
    );
    let out = lsns(&["--sort", "TYPE", "-r", "-n", "-o", "TYPE"]);
    let types: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    let mut want = types.clone();
    want.sort();
    assert_eq!(types, want);
    // JSON is flat and sorted too.
    let out = lsns(&["--sort", "NS", "-J", "-o", "NS"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ns: Vec<u64> = json["namespaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["ns"].as_u64().unwrap())
        .collect();
    assert!(ns.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn lsns_sort_errors() {
    let out = lsns(&["--sort", "BOGUS"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "lsns: unknown column: BOGUS\n"
    );
    let out = lsns(&["--sort", "NS", "-T"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "lsns: options --sort and --tree cannot be combined\n"
    );
}
