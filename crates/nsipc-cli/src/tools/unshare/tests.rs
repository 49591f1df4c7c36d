use super::setup::is_fixed;
use super::*;
use std::ffi::OsStr;

#[test]
fn signal_names() {
    assert_eq!(parse_signal_name("KILL"), Some(libc::SIGKILL));
    assert_eq!(parse_signal_name("sigterm"), Some(libc::SIGTERM));
    assert_eq!(parse_signal_name("SigUsr1"), Some(libc::SIGUSR1));
    assert_eq!(parse_signal_name("rtmin+1"), Some(libc::SIGRTMIN() + 1));
    assert_eq!(parse_signal_name("RTMAX-0"), Some(libc::SIGRTMAX()));
    assert_eq!(parse_signal_name("RTMIN+99"), None);
    assert_eq!(parse_signal_name("10"), None);
    assert_eq!(parse_signal_name(""), None);
    assert_eq!(parse_signal_name("SIG"), None);
    assert_eq!(parse_signal_name("RT"), None);
    assert_eq!(parse_signal_name("é"), None);
    assert_eq!(parse_signal_name("SIé"), None);
}

#[test]
fn fixed_interpreters() {
    assert!(is_fixed(OsStr::new(":qemu:M::\\x7fELF::/usr/bin/qemu:OCF")));
    assert!(!is_fixed(OsStr::new(":qemu:M::\\x7fELF::/usr/bin/qemu:OC")));
    assert!(!is_fixed(OsStr::new("noflags")));
}

#[test]
fn propagation_values() {
    assert_eq!(parse_propagation("unchanged"), Some(0));
    assert_eq!(parse_propagation("private"), Some(MS_REC | MS_PRIVATE));
    assert_eq!(parse_propagation("Private"), None);
}
