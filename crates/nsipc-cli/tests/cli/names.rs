//! Owner and group names that are not UTF-8 are printed byte for byte, as
//! util-linux prints them (never replaced by U+FFFD).

use crate::common;

use common::{As, Sandbox, NON_UTF8_ID};

#[test]
fn non_utf8_names_byte_for_byte() {
    require_namespaces!();
    let sb = Sandbox::new();
    let owner = As {
        uid: Some(NON_UTF8_ID),
        gid: Some(NON_UTF8_ID),
    };
    for args in [["-Q"], ["-S"]] {
        let out = sb.nsipc_as(
            "ipcmk",
            &[args[0], if args[0] == "-S" { "2" } else { "" }]
                .iter()
                .copied()
                .filter(|a| !a.is_empty())
                .collect::<Vec<_>>(),
            owner,
        );
        assert!(out.status.success(), "{}", common::stderr(&out));
    }
    let out = sb.nsipc_as("ipcmk", &["-M", "4096"], owner);
    assert!(out.status.success(), "{}", common::stderr(&out));
    for args in [&["-a"][..], &["-c"], &["-q", "-t"], &["-m", "-p"]] {
        let out = sb.compare("ipcs", args);
        assert!(
            out.stdout.windows(3).any(|w| w == b"b\xffd"),
            "ipcs {args:?} shows the raw name"
        );
    }
    for args in [
        &["-q"][..],
        &["-m", "-c"],
        &["-s", "-c", "--raw"],
        &["-q", "-e"],
    ] {
        let out = sb.compare("lsipc", args);
        // libsmartcols escapes the byte in table cells (`b\xffd`); the
        // comparison above already holds us to its exact bytes.
        assert!(
            out.stdout.windows(6).any(|w| w == b"b\\xffd"),
            "lsipc {args:?} shows the escaped name"
        );
    }
}
