//! The `nsipc` binary's modules, reachable from the fuzz targets (see
//! build.rs), plus helpers shared by the targets.

#![allow(dead_code, unused_imports, clippy::all)]

include!(concat!(env!("OUT_DIR"), "/cli_modules.rs"));

/// Splits fuzz input into NUL-separated words (argv-like). Bounded: at most
/// 64 words, so one input cannot make a target slow.
pub fn words(data: &[u8]) -> Vec<std::ffi::OsString> {
    use std::os::unix::ffi::OsStrExt;
    data.split(|&b| b == 0)
        .take(64)
        .map(|w| std::ffi::OsStr::from_bytes(w).to_owned())
        .collect()
}
