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

/// util-linux's `strtopid_or_err`: a PID is 1..=INT_MAX; 0 and negative
/// numbers are out of range.
pub fn parse_pid(s: &str) -> Result<i32, NumError> {
    match parse_as::<i32>(s, 10)? {
        pid @ 1.. => Ok(pid),
        _ => Err(NumError::Range),
    }
}

/// `strtos32_or_err` and friends: parse `arg` or report
/// `prog: what: 'arg'` (plus `: Numerical result out of range`) and fail.
pub fn parse_or_fail<T: TryFrom<i128>>(
    prog: &Prog,
    arg: &OsStr,
    base: u32,
    what: &str,
) -> Result<T, Failure> {
    let text = crate::report::shown(arg);
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

/// C's `isspace` in the C locale.
fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// The longest number at the start of `s` as `strtoumax(s, &end, base)`
/// reads it (blanks, a `+`, base 0's `0x`/`0` prefixes): its value (`None`
/// on overflow) and how many bytes it used (0: no number at all).
fn strtou_prefix(s: &[u8], base: u32) -> (Option<u64>, usize) {
    let mut i = s.iter().take_while(|&&b| is_c_space(b)).count();
    if s.get(i) == Some(&b'+') {
        i += 1;
    }
    let hex_digit_at = |j: usize| s.get(j).is_some_and(|b| b.is_ascii_hexdigit());
    let zero_x = s.get(i) == Some(&b'0') && matches!(s.get(i + 1), Some(b'x' | b'X'));
    let radix = match base {
        0 | 16 if zero_x && hex_digit_at(i + 2) => {
            i += 2;
            16
        }
        0 if s.get(i) == Some(&b'0') => 8,
        0 => 10,
        b => b,
    };
    let digits = s[i..]
        .iter()
        .take_while(|b| char::from(**b).is_digit(radix))
        .count();
    if digits == 0 {
        return (None, 0);
    }
    let value = s[i..i + digits].iter().try_fold(0u64, |acc, &b| {
        let d = char::from(b).to_digit(radix).unwrap_or(0);
        acc.checked_mul(u64::from(radix))?.checked_add(u64::from(d))
    });
    (value, i + digits)
}

/// `do_scale_by_power`: multiplies `x` by `base` `power` times, leaving
/// it at the last value that fitted when the next would overflow.
fn scale_by_power(x: &mut u64, base: u64, power: u32) -> Result<(), NumError> {
    for _ in 0..power {
        *x = x.checked_mul(base).ok_or(NumError::Range)?;
    }
    Ok(())
}

/// Parses a size as util-linux's `ul_parse_size` (`strtosize`) does:
/// a `strtoumax` base-0 number (`0x10`, `010` = 8), optionally a decimal
/// fraction, and a suffix `K M G T P E Z Y` (either case) meaning powers
/// of 1024, the same with `iB` (`KiB`), or with `B` (`KB`) for powers of
/// 1000: `1.5K` = 1536, `1KB` = 1000. A leading `-`, an empty string, a
/// fraction without suffix and any other suffix are invalid; values past
/// `u64` are out of range. The odd corners of the C code are kept on
/// purpose (e.g. `1.K` = 1024, zeros of a repeated `.` accumulate), with
/// one exception: a fraction that would wrap the result is out of range
/// instead of wrapping.
pub fn parse_size(s: &str) -> Result<u64, NumError> {
    let s = s.as_bytes();
    if s.is_empty() {
        return Err(NumError::Invalid);
    }
    let first = s.iter().position(|&b| !is_c_space(b));
    if first.is_some_and(|i| s[i] == b'-') {
        return Err(NumError::Invalid);
    }
    let (value, used) = strtou_prefix(s, 0);
    if used == 0 {
        return Err(NumError::Invalid);
    }
    let mut x = value.ok_or(NumError::Range)?;
    let mut p = &s[used..];
    if p.is_empty() {
        return Ok(x);
    }
    let mut base: u64 = 1024;
    let mut frac: u64 = 0;
    let mut frac_zeros: u32 = 0;
    loop {
        match (p.get(1), p.get(2), p.len()) {
            (Some(b'i'), Some(b'B' | b'b'), 3) => base = 1024,
            (Some(b'B' | b'b'), _, 2) => base = 1000,
            (None, _, _) => {}
            (Some(_), _, _) => {
                // Only one decimal point, and only before the suffix.
                if frac != 0 || p[0] != b'.' {
                    return Err(NumError::Invalid);
                }
                let zeros = p[1..].iter().take_while(|&&b| b == b'0').count();
                frac_zeros = frac_zeros.saturating_add(zeros as u32);
                let mut rest = &p[1 + zeros..];
                if rest.first().is_some_and(u8::is_ascii_digit) {
                    let (value, used) = strtou_prefix(rest, 0);
                    frac = value.ok_or(NumError::Range)?;
                    rest = &rest[used..];
                }
                if rest.is_empty() {
                    return Err(NumError::Invalid);
                }
                p = rest;
                continue;
            }
        }
        break;
    }
    let power = match b"KMGTPEZY"
        .iter()
        .position(|&c| c == p[0].to_ascii_uppercase())
    {
        Some(i) => i as u32 + 1,
        None => return Err(NumError::Invalid),
    };
    let scaled = scale_by_power(&mut x, base, power);
    if frac != 0 {
        x = add_fraction(x, frac, frac_zeros, base, power)?;
    }
    scaled.map(|()| x)
}

/// Adds `0.<frac_zeros zeros><frac>` units of `base^power` to `x`, digit
/// by digit from the last as util-linux does (each digit's share rounded
/// down).
fn add_fraction(
    mut x: u64,
    mut frac: u64,
    frac_zeros: u32,
    base: u64,
    power: u32,
) -> Result<u64, NumError> {
    let mut unit = 1u64;
    // A unit past u64 (1Y) stops growing where it would overflow, as in C.
    let _ = scale_by_power(&mut unit, base, power);
    // The divisor of the last digit: 10 for 0.5, 100 for 0.05 or 0.25.
    let mut frac_div: u64 = 10;
    // One more digit of precision: a bigger divisor while it fits, else
    // one digit of the fraction dropped.
    let widen = |frac_div: &mut u64, frac: &mut u64| {
        if *frac_div <= u64::MAX / 10 {
            *frac_div *= 10;
        } else {
            *frac /= 10;
        }
    };
    while frac_div < frac {
        widen(&mut frac_div, &mut frac);
    }
    // Past 20 more zeros the fraction is 0 anyway; the bound keeps
    // hostile input from looping for long.
    for _ in 0..frac_zeros.min(64) {
        widen(&mut frac_div, &mut frac);
    }
    let mut position: u64 = 1;
    while frac != 0 {
        let digit = frac % 10;
        let digit_div = frac_div / position;
        frac /= 10;
        position = position.wrapping_mul(10);
        if digit != 0 && digit_div / digit != 0 {
            x = x
                .checked_add(unit / (digit_div / digit))
                .ok_or(NumError::Range)?;
        }
    }
    Ok(x)
}

/// Parses a System V IPC key (or, with base 10, an id of `ipcrm`'s old
/// syntax) as `strtoul` does: blanks, a sign, base 0's prefixes. util-linux
/// then truncates the `unsigned long` to a 32-bit `key_t`, so
/// `0x100000001` would silently become key 1; here a value must fit in 32
/// bits: `0`..=`0xffffffff` (above `0x7fffffff` meaning the negative key
/// with the same bits, as ipcs shows it) or `-2147483648`..=`-1`.
pub fn parse_key(s: &str, base: u32) -> Result<i32, NumError> {
    let v = parse_integer(s, base)?;
    if (0..=i128::from(u32::MAX)).contains(&v) {
        Ok(v as u32 as i32)
    } else {
        i32::try_from(v).map_err(|_| NumError::Range)
    }
}

/// Parses a permission mode as util-linux master does
/// (`str2unum_or_err(s, 8, …, 07777)`): octal, at most `07777`.
pub fn parse_mode(s: &str) -> Result<u32, NumError> {
    let v: u64 = parse_as(s, 8)?;
    if v > 0o7777 {
        return Err(NumError::Range);
    }
    Ok(v as u32)
}

/// Reports a value that did not parse as util-linux's `err()` does when
/// errno is set: `prog: what: 'text': strerror` (EINVAL or ERANGE).
pub fn errno_failure(prog: &Prog, what: &str, text: &str, e: NumError) -> Failure {
    let errno = match e {
        NumError::Invalid => libc::EINVAL,
        NumError::Range => libc::ERANGE,
    };
    prog.fail_errno(
        format_args!("{what}: '{text}'"),
        &std::io::Error::from_raw_os_error(errno),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pids_start_at_one() {
        assert_eq!(parse_pid("1"), Ok(1));
        assert_eq!(parse_pid(" +7"), Ok(7));
        assert_eq!(parse_pid("2147483647"), Ok(i32::MAX));
        assert_eq!(parse_pid("0"), Err(NumError::Range));
        assert_eq!(parse_pid("-1"), Err(NumError::Range));
        assert_eq!(parse_pid("2147483648"), Err(NumError::Range));
        assert_eq!(parse_pid("1x"), Err(NumError::Invalid));
    }

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
    #[test]
    fn sizes_as_ul_parse_size() {
        use NumError::{Invalid, Range};
        let cases: &[(&str, Result<u64, NumError>)] = &[
            ("1", Ok(1)),
            ("0", Ok(0)),
            ("  12", Ok(12)),
            ("+12", Ok(12)),
            ("0x10", Ok(16)),
            ("0X1f", Ok(31)),
            ("010", Ok(8)),
            ("1K", Ok(1024)),
            ("1k", Ok(1024)),
            ("1KiB", Ok(1024)),
            ("1Kib", Ok(1024)),
            ("1KB", Ok(1000)),
            ("1kb", Ok(1000)),
            ("2M", Ok(2 << 20)),
            ("1MB", Ok(1_000_000)),
            ("1G", Ok(1 << 30)),
            ("1T", Ok(1 << 40)),
            ("1P", Ok(1 << 50)),
            ("1E", Ok(1 << 60)),
            ("15E", Ok(15 << 60)),
            ("16E", Err(Range)),
            ("1Z", Err(Range)),
            ("0Z", Ok(0)),
            ("0.5Y", Ok(1 << 59)),
            ("1ZB", Err(Range)),
            ("1EB", Ok(1_000_000_000_000_000_000)),
            ("1.5K", Ok(1536)),
            ("1.5KiB", Ok(1536)),
            ("1.5KB", Ok(1500)),
            ("0.5M", Ok(512 << 10)),
            ("0.5MB", Ok(500_000)),
            ("0.25G", Ok((1 << 30) / 20 + (1 << 30) / 5)),
            ("1.05K", Ok(1024 + 1024 / 20)),
            ("1.50K", Ok(1536)),
            ("1.K", Ok(1024)),
            ("1.0.5K", Ok(1024 + 1024 / 20)),
            ("0x10K", Ok(16 << 10)),
            ("18446744073709551615", Ok(u64::MAX)),
            ("18446744073709551616", Err(Range)),
            ("1.99999999999999999999999K", Err(Range)),
            ("", Err(Invalid)),
            ("   ", Err(Invalid)),
            ("-1", Err(Invalid)),
            (" -1K", Err(Invalid)),
            ("1X", Err(Invalid)),
            ("1KX", Err(Invalid)),
            ("1K ", Err(Invalid)),
            ("1 K", Err(Invalid)),
            ("1.5", Err(Invalid)),
            ("1.", Err(Invalid)),
            ("1.0", Err(Invalid)),
            ("1..5K", Ok(1536)),
            ("1.5.5K", Err(Invalid)),
            ("0x", Err(Invalid)),
            ("08", Err(Invalid)),
            ("abc", Err(Invalid)),
            ("K", Err(Invalid)),
            ("1iB", Err(Invalid)),
            ("1.iB", Err(Invalid)),
            ("1B", Err(Invalid)),
            ("1\u{e9}", Err(Invalid)),
            ("1KiBB", Err(Invalid)),
        ];
        for (text, want) in cases {
            assert_eq!(parse_size(text), *want, "size {text:?}");
        }
    }

    #[test]
    fn sizes_never_panic() {
        let pieces = [
            "",
            "0",
            "1",
            "9",
            ".",
            "0x",
            "K",
            "iB",
            "B",
            "Y",
            "-",
            " ",
            "99999999999999999999",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let _ = parse_size(&format!("{a}{b}{c}"));
                }
            }
        }
        let _ = parse_size(&format!("1.{}K", "0".repeat(10_000)));
        let _ = parse_size(&format!("1.{}5Y", "0".repeat(100)));
    }

    #[test]
    fn keys_fit_32_bits() {
        use NumError::{Invalid, Range};
        let cases: &[(&str, u32, Result<i32, NumError>)] = &[
            ("0", 0, Ok(0)),
            ("1", 0, Ok(1)),
            ("0x1", 0, Ok(1)),
            ("0X7fffffff", 0, Ok(i32::MAX)),
            ("0xffffffff", 0, Ok(-1)),
            ("0x80000000", 0, Ok(i32::MIN)),
            ("4294967295", 0, Ok(-1)),
            ("010", 0, Ok(8)),
            ("010", 10, Ok(10)),
            ("0x10", 10, Err(Invalid)),
            ("-1", 0, Ok(-1)),
            ("-2147483648", 0, Ok(i32::MIN)),
            ("-2147483649", 0, Err(Range)),
            ("4294967296", 0, Err(Range)),
            ("0x100000001", 0, Err(Range)),
            ("99999999999999999999999", 0, Err(Range)),
            (" 12", 0, Ok(12)),
            ("+12", 0, Ok(12)),
            ("", 0, Err(Invalid)),
            ("12 ", 0, Err(Invalid)),
            ("0xzz", 0, Err(Invalid)),
            ("abc", 10, Err(Invalid)),
        ];
        for (text, base, want) in cases {
            assert_eq!(parse_key(text, *base), *want, "key {text:?} base {base}");
        }
    }

    #[test]
    fn modes_are_octal_up_to_07777() {
        use NumError::{Invalid, Range};
        let cases: &[(&str, Result<u32, NumError>)] = &[
            ("644", Ok(0o644)),
            ("0644", Ok(0o644)),
            ("0", Ok(0)),
            ("-0", Ok(0)),
            ("7777", Ok(0o7777)),
            ("07777", Ok(0o7777)),
            ("10000", Err(Range)),
            ("100000", Err(Range)),
            ("-1", Err(Range)),
            ("999", Err(Invalid)),
            ("8", Err(Invalid)),
            ("abc", Err(Invalid)),
            ("0x1ff", Err(Invalid)),
            ("", Err(Invalid)),
            ("644 ", Err(Invalid)),
            ("99999999999999999999999", Err(Invalid)),
            ("7777777777777777777777777", Err(Range)),
        ];
        for (text, want) in cases {
            assert_eq!(parse_mode(text), *want, "mode {text:?}");
        }
    }
}
