//! Helpers shared by the fuzz targets. The parsers under test come from
//! the `nsipc` and `nsipc-cli` crates.

/// Splits fuzz input into NUL-separated words (argv-like). Bounded: at most
/// 64 words, so one input cannot make a target slow.
pub fn words(data: &[u8]) -> Vec<std::ffi::OsString> {
    use std::os::unix::ffi::OsStrExt;
    data.split(|&b| b == 0)
        .take(64)
        .map(|w| std::ffi::OsStr::from_bytes(w).to_owned())
        .collect()
}
