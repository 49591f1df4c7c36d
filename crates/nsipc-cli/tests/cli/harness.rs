//! The harness itself: a sandbox really is private.

use crate::common;

use common::Sandbox;

#[test]
fn sandbox_is_isolated_from_the_host() {
    require_namespaces!();
    let sb = Sandbox::new();
    let inside = sb.sh_ok("readlink /proc/self/ns/ipc; hostname; ls -A /dev/shm; id -nu 1002");
    let host_ipc = std::fs::read_link("/proc/self/ns/ipc").unwrap();
    let mut lines = inside.lines();
    assert_ne!(lines.next().unwrap(), host_ipc.to_str().unwrap());
    assert_eq!(lines.next(), Some("nsipc-test"));
    assert_eq!(lines.next(), Some("averyverylongusername"));
    assert_eq!(lines.next(), None, "/dev/shm must start empty");
    // An object made inside is invisible outside.
    sb.sh_ok("/usr/bin/ipcmk -Q >/dev/null");
    let inside = sb.sh_ok("wc -l < /proc/sysvipc/msg");
    assert_eq!(inside.trim(), "2");
}

#[test]
fn multicall_binary_dispatches_by_name_and_rejects_unknown_tools() {
    let out = std::process::Command::new(common::nsipc_bin())
        .arg("nosuchtool")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        common::stderr(&out),
        "nsipc: unknown tool 'nosuchtool'\nTry 'nsipc --help' for more information.\n"
    );
}
