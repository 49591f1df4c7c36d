//! Numbers as the tools read them from the command line: integers in every
//! base, sizes with suffixes, IPC keys, modes. Never a panic; results within
//! their documented bounds; decimal integers agree with Rust's own parser.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nsipc_cli::numparse::{self, NumError};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    for base in [0, 8, 10, 16] {
        let _ = numparse::parse_integer(s, base);
        let _ = numparse::parse_as::<u32>(s, base);
        let _ = numparse::parse_as::<i32>(s, base);
        let _ = numparse::parse_as::<u64>(s, base);
        let _ = numparse::parse_key(s, base);
    }
    // Plain decimal digits (optionally signed) must agree with str::parse.
    if !s.is_empty()
        && s.len() < 30
        && s.trim_start_matches(['-', '+'])
            .bytes()
            .all(|b| b.is_ascii_digit())
    {
        let ours = numparse::parse_integer(s, 10);
        let std: Result<i128, _> = s.parse();
        match (ours, std) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{s:?}"),
            (Err(NumError::Range), Ok(b)) => assert!(b.unsigned_abs() > u64::MAX as u128, "{s:?}"),
            (Err(_), Err(_)) => {}
            (a, b) => panic!("{s:?}: ours {a:?}, std {b:?}"),
        }
    }
    if let Ok(mode) = numparse::parse_mode(s) {
        assert!(mode <= 0o7777);
    }
    let _ = numparse::parse_size(s);
});
