//! The lsns/lsipc filter language (`-Q EXPR`): parsing any text, then
//! evaluating what parsed against rows of every data type.
#![no_main]

use std::borrow::Cow;

use libfuzzer_sys::fuzz_target;
use nsipc_cli::filter::{self, DataType, Row};

/// A row whose cells are derived from the column name, so every type and
/// the empty cell are all reached.
struct FakeRow<'a>(&'a [u8]);

impl Row for FakeRow<'_> {
    fn cell(&mut self, name: &str) -> (DataType, Option<Cow<'_, [u8]>>) {
        let types = [
            DataType::Bool,
            DataType::U64,
            DataType::Float,
            DataType::String,
        ];
        let h = name
            .bytes()
            .fold(0usize, |a, b| a.wrapping_mul(31).wrapping_add(b as usize));
        let ty = types[h % types.len()];
        let text: Option<Cow<'_, [u8]>> = match h % 7 {
            0 => None,
            1 => Some(Cow::Borrowed(b"1")),
            2 => Some(Cow::Borrowed(b"-2.5")),
            3 => Some(Cow::Borrowed(b"true")),
            4 => Some(Cow::Borrowed(b"18446744073709551616")),
            5 => Some(Cow::Borrowed(b"")),
            _ => Some(Cow::Borrowed(self.0)),
        };
        (ty, text)
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(expr) = std::str::from_utf8(data) else {
        return;
    };
    match filter::parse(expr) {
        Ok(Some(f)) => {
            let _ = f.holders();
            let _ = f.matches(&mut FakeRow(data));
        }
        Ok(None) => assert!(expr.is_empty()),
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
