//! Number parsing with C's `strto*` rules and util-linux's error messages.
//!
//! util-linux parses with `strtoimax`/`strtoumax` and then insists the whole
//! word was used: leading white space and a sign are accepted, base 0 takes
//! `0x` (hex) and `0` (octal) prefixes, trailing garbage is an error, and an
//! out-of-range value is reported with `: Numerical result out of range`.
//! Unsigned parsers reject negative numbers as out of range, as
//! `ul_strtou64` does (C's `strtoul` would silently wrap them).

use std::ffi::OsStr;

use crate::report::{Failure, Prog};

/// Why a number did not parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumError {
    /// Not a number at all, or trailing characters (EINVAL).
    Invalid,
    /// A number, but outside the target type (ERANGE).
    Range,
}

/// Parses the whole of `s` as an integer in `base` (0 = C prefixes).
pub fn parse_integer(s: &str, base: u32) -> Result<i128, NumError> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let (negative, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let has_hex_prefix = |t: &str| {
        (t.starts_with("0x") || t.starts_with("0X"))
            && t[2..].chars().next().is_some_and(|c| c.is_ascii_hexdigit())
    };
    let (radix, digits) = match base {
        0 if has_hex_prefix(t) => (16, &t[2..]),
        0 if t.starts_with('0') && t.len() > 1 => (8, &t[1..]),
        0 => (10, t),
        16 if has_hex_prefix(t) => (16, &t[2..]),
        b => (b, t),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(NumError::Invalid);
    }
    let mut value: i128 = 0;
    for c in digits.chars() {
        let d = c.to_digit(radix).unwrap_or(0) as i128;
        value = value
            .checked_mul(radix as i128)
            .and_then(|v| v.checked_add(d))
            .ok_or(NumError::Range)?;
        if value > u64::MAX as i128 + 1 {
            return Err(NumError::Range);
        }
    }
    Ok(if negative { -value } else { value })
}

/// Parses into any integer type, mapping overflow to [`NumError::Range`].
pub fn parse_as<T: TryFrom<i128>>(s: &str, base: u32) -> Result<T, NumError> {
    let v = parse_integer(s, base)?;
    T::try_from(v).map_err(|_| NumError::Range)
}

/// `strtos32_or_err` and friends: parse `arg` or report
/// `prog: what: 'arg'` (plus `: Numerical result out of range`) and fail.
pub fn parse_or_fail<T: TryFrom<i128>>(
    prog: &Prog,
    arg: &OsStr,
    base: u32,
    what: &str,
) -> Result<T, Failure> {
    let text = arg.to_string_lossy();
    parse_as(&text, base).map_err(|e| number_failure(prog, what, &text, e))
}

/// Reports a number that did not parse, in util-linux's words.
pub fn number_failure(prog: &Prog, what: &str, text: &str, e: NumError) -> Failure {
    match e {
        NumError::Invalid => prog.fail(format_args!("{what}: '{text}'")),
        NumError::Range => prog.fail(format_args!(
            "{what}: '{text}': Numerical result out of range"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_rules() {
        assert_eq!(parse_integer("42", 10), Ok(42));
        assert_eq!(parse_integer("  +42", 10), Ok(42));
        assert_eq!(parse_integer("-42", 10), Ok(-42));
        assert_eq!(parse_integer("0x1f", 0), Ok(31));
        assert_eq!(parse_integer("010", 0), Ok(8));
        assert_eq!(parse_integer("0", 0), Ok(0));
        assert_eq!(parse_integer("0x", 0), Err(NumError::Invalid));
        assert_eq!(parse_integer("0x1f", 10), Err(NumError::Invalid));
        assert_eq!(parse_integer("12 ", 10), Err(NumError::Invalid));
        assert_eq!(parse_integer("", 10), Err(NumError::Invalid));
        assert_eq!(parse_integer("abc", 10), Err(NumError::Invalid));
        assert_eq!(
            parse_integer("99999999999999999999999999999999999999999", 10),
            Err(NumError::Range)
        );
    }

    #[test]
    fn typed() {
        assert_eq!(parse_as::<i32>("2147483647", 10), Ok(i32::MAX));
        assert_eq!(parse_as::<i32>("2147483648", 10), Err(NumError::Range));
        assert_eq!(parse_as::<u32>("-1", 10), Err(NumError::Range));
        assert_eq!(parse_as::<u64>("18446744073709551615", 10), Ok(u64::MAX));
        assert_eq!(
            parse_as::<u64>("18446744073709551616", 10),
            Err(NumError::Range)
        );
    }
}
