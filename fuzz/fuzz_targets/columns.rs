//! `-o LIST` column lists (`+a,b`, trailing commas, repeats, multibyte
//! names): bounded by `max`, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nsipc_cli::output::{find_column, parse_column_list};

const NAMES: &[&str] = &["NS", "TYPE", "PATH", "KEY", "ID", "OWNER", "PERMS"];

fuzz_target!(|data: &[u8]| {
    let Ok(list) = std::str::from_utf8(data) else {
        return;
    };
    let max = data.len() % 9;
    let mut columns = vec![0usize, 1];
    let _ = parse_column_list(list, &mut columns, max.max(1), |name, _rest| {
        find_column(NAMES, name)
    });
    assert!(columns.len() <= max.max(1).max(2));
});
