//! How cell bytes become output bytes, for each output format, with the
//! exact escaping rules of libsmartcols and util-linux's `carefulputc.h`.
//!
//! Cells are bytes, not `String`s: a command line or a file name may hold
//! anything, and util-linux passes non-UTF-8 bytes through (JSON) or escapes
//! them (tables, raw, export) rather than refusing them.

use unicode_width::UnicodeWidthChar;

/// Writes `\xHH` (lower-case hex, as `printf("\\x%02x")`).
fn push_hex(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.extend_from_slice(&[b'\\', b'x', HEX[(b >> 4) as usize], HEX[(b & 15) as usize]]);
}

/// `isprint` in the C and C.UTF-8 locales: only printable ASCII. (glibc
/// gives no single byte >= 0x80 the "print" class in either locale.)
fn is_print_byte(b: u8) -> bool {
    (0x20..0x7f).contains(&b)
}

fn is_cntrl_byte(b: u8) -> bool {
    b < 0x20 || b == 0x7f
}

/// The bytes as a `str` when the human format shows them unchanged: all
/// printable ASCII and no literal `\x` (a cell's usual case, which then
/// needs neither [`safe_encode`] nor a copy).
pub fn plain_ascii(data: &[u8]) -> Option<&str> {
    if !is_plain(data) {
        return None;
    }
    // Every byte is in 0x20..0x7f, i.e. ASCII, so this cannot fail.
    std::str::from_utf8(data).ok()
}

/// Whether [`plain_ascii`] takes the bytes: printable ASCII without a
/// literal `\x`; they are then shown as they are, as wide as they are long.
pub fn is_plain(data: &[u8]) -> bool {
    let mut rest = data;
    while let Some((eight, tail)) = rest.split_first_chunk::<8>() {
        if !word_ok(u64::from_le_bytes(*eight)) {
            return is_plain_bytewise(data);
        }
        rest = tail;
    }
    // The last bytes in a word of spaces (plain).
    let mut word = SPACES;
    for (i, &b) in rest.iter().enumerate() {
        word ^= u64::from(b ^ b' ') << (8 * i);
    }
    word_ok(word) || is_plain_bytewise(data)
}

/// Spaces in every byte of a word.
const SPACES: u64 = u64::from_ne_bytes([b' '; 8]);

/// Whether none of the eight bytes of `word` is below 0x20, above 0x7e or
/// a backslash (SWAR: one u64 holds eight bytes, checked at once). Every
/// table cell is checked as it is set; a backslash takes the exact check.
#[inline(always)]
fn word_ok(word: u64) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let low = word.wrapping_sub(0x20 * ONES) & !word;
    let high = word.wrapping_add(ONES) | word;
    let slash = word ^ (b'\\' as u64 * ONES);
    let slash = slash.wrapping_sub(ONES) & !slash;
    (low | high | slash) & HIGHS == 0
}

/// [`is_plain`] of `buf[start..end]`, reading whole words where the bytes
/// before `start` allow (a short cell is read as the last eight bytes up to
/// its end, the bytes before it taken as spaces).
pub fn is_plain_span(buf: &[u8], start: usize, end: usize) -> bool {
    let Some(cell) = buf.get(start..end) else {
        return false;
    };
    let len = cell.len();
    if len == 0 {
        return true;
    }
    if len >= 8 {
        let mut rest = cell;
        while let Some((eight, tail)) = rest.split_first_chunk::<8>() {
            if !word_ok(u64::from_le_bytes(*eight)) {
                return is_plain_bytewise(cell);
            }
            rest = tail;
        }
        // The last bytes, within the last eight of the cell.
        let last = cell
            .last_chunk::<8>()
            .map_or(SPACES, |w| u64::from_le_bytes(*w));
        return word_ok(last) || is_plain_bytewise(cell);
    }
    let Some(window) = end
        .checked_sub(8)
        .and_then(|from| buf[from..end].first_chunk::<8>())
    else {
        return is_plain(cell);
    };
    // The low 8 - len bytes are not the cell's: spaces instead.
    let others = (1u64 << (8 * (8 - len))) - 1;
    let word = (u64::from_le_bytes(*window) & !others) | (SPACES & others);
    word_ok(word) || is_plain_bytewise(cell)
}

/// [`is_plain`] one byte at a time.
fn is_plain_bytewise(data: &[u8]) -> bool {
    let mut prev = 0;
    for &b in data {
        if !is_print_byte(b) || (prev == b'\\' && b == b'x') {
            return false;
        }
        prev = b;
    }
    true
}

/// A cell as a human-readable table shows it: valid UTF-8 text in which
/// control characters, invalid bytes and a literal `\x` are written as
/// `\xHH`, and its width in terminal cells.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shown {
    pub text: String,
    pub width: usize,
}

/// libsmartcols' "safe encoding" of a cell for the human format
/// (`mbs_safe_encode_to_buffer`). `utf8` says whether the locale's charset is
/// UTF-8: then valid printable characters pass and count their `wcwidth`;
/// otherwise (C locale) every byte >= 0x80 is escaped. Bytes listed in
/// `safechars` pass unchanged and take no width, as upstream counts them.
pub fn safe_encode(data: &[u8], utf8: bool, safechars: &[u8]) -> Shown {
    let mut out: Vec<u8> = Vec::with_capacity(data.len());
    let mut width = 0;
    let mut i = 0;
    while i < data.len() {
        let b = data[i];
        if b == 0 {
            break; // C strings end here
        }
        if safechars.contains(&b) {
            out.push(b);
            i += 1;
            continue;
        }
        if (b == b'\\' && data.get(i + 1) == Some(&b'x')) || is_cntrl_byte(b) {
            push_hex(&mut out, b);
            width += 4;
            i += 1;
            continue;
        }
        if b < 0x80 {
            out.push(b);
            width += 1;
            i += 1;
            continue;
        }
        if !utf8 {
            push_hex(&mut out, b);
            width += 4;
            i += 1;
            continue;
        }
        match decode_utf8(&data[i..]) {
            Some((c, len)) => match c.width() {
                // Printable: copied as is, counted by its column width.
                Some(w) if !c.is_control() => {
                    out.extend_from_slice(&data[i..i + len]);
                    width += w;
                    i += len;
                }
                // A valid but unprintable character: every byte escaped.
                _ => {
                    for &x in &data[i..i + len] {
                        push_hex(&mut out, x);
                        width += 4;
                    }
                    i += len;
                }
            },
            None => {
                push_hex(&mut out, b);
                width += 4;
                i += 1;
            }
        }
    }
    // Only ASCII escapes and whole valid UTF-8 sequences were copied.
    let text = String::from_utf8(out).unwrap_or_default();
    Shown { text, width }
}

/// Decodes one UTF-8 character at the start of `bytes`.
fn decode_utf8(bytes: &[u8]) -> Option<(char, usize)> {
    let len = match bytes.first()? {
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return None,
    };
    let s = std::str::from_utf8(bytes.get(..len)?).ok()?;
    s.chars().next().map(|c| (c, len))
}

/// Width in terminal cells of already encoded (printable) text.
pub fn text_width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// Cuts `s` to at most `max` terminal cells (`mbs_truncate`); returns the
/// kept prefix and its width.
pub fn truncate(s: &str, max: usize) -> (&str, usize) {
    let mut width = 0;
    for (pos, c) in s.char_indices() {
        let w = c.width().unwrap_or(0);
        if width + w > max {
            return (&s[..pos], width);
        }
        width += w;
    }
    (s, width)
}

/// `--raw` cell (`fputs_nonblank`): blanks, backslashes and anything not
/// printable ASCII become `\xHH`, so a row splits on spaces.
pub fn raw(out: &mut Vec<u8>, data: &[u8]) {
    for &b in data.iter().take_while(|&&b| b != 0) {
        if b == b' ' || b == b'\t' || b == b'\\' || !is_print_byte(b) {
            push_hex(out, b);
        } else {
            out.push(b);
        }
    }
}

/// `--export`/`--pairs` value (`fputs_quoted`): double-quoted; `"`, `\`,
/// `` ` ``, `$` and anything not printable ASCII become `\xHH`, so the line
/// can be `eval`ed by a shell.
pub fn quoted(out: &mut Vec<u8>, data: &[u8]) {
    out.push(b'"');
    for &b in data.iter().take_while(|&&b| b != 0) {
        if matches!(b, b'"' | b'\\' | b'`' | b'$') || !is_print_byte(b) {
            push_hex(out, b);
        } else {
            out.push(b);
        }
    }
    out.push(b'"');
}

/// A JSON string (`fputs_quoted_case_json`): only `"`, `\` and control
/// characters are escaped; bytes >= 0x80 pass through unvalidated, as
/// util-linux writes them. `lower` lower-cases ASCII (used for keys).
pub fn json_string(out: &mut Vec<u8>, data: &[u8], lower: bool) {
    out.push(b'"');
    for &b in data.iter().take_while(|&&b| b != 0) {
        match b {
            b'"' | b'\\' => out.extend_from_slice(&[b'\\', b]),
            0x08 => out.extend_from_slice(b"\\b"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            0x0c => out.extend_from_slice(b"\\f"),
            b'\r' => out.extend_from_slice(b"\\r"),
            0..=0x1f => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.extend_from_slice(&[HEX[(b >> 4) as usize], HEX[(b & 15) as usize]]);
            }
            _ if lower => out.push(b.to_ascii_lowercase()),
            _ => out.push(b),
        }
    }
    out.push(b'"');
}

/// A column name usable as a shell variable (`--shell`,
/// `scols_shellvar_name`): a leading non-letter gets `_` in front, every
/// non-alphanumeric byte becomes `_`, and a trailing `%` adds `PCT`
/// (`USE%` → `USE_PCT`).
pub fn shell_name(name: &str) -> String {
    let mut s = String::with_capacity(name.len() + 4);
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        s.push('_');
    }
    s.extend(
        name.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }),
    );
    if name.ends_with('%') {
        s.push_str("PCT");
    }
    s
}

#[cfg(test)]
mod plain_tests {
    use super::{is_plain, is_plain_bytewise, is_plain_span};

    /// The next value of a xorshift64 sequence: random bytes to test with,
    /// the same every run.
    fn xorshift(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    #[test]
    fn eight_at_a_time_agrees_with_bytewise() {
        let alphabet = b"a Z~\\x\x1f\x20\x7e\x7f\x80\xff\x00\n0";
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..50_000 {
            let seed = xorshift(&mut seed);
            let len = (seed % 20) as usize;
            let data: Vec<u8> = (0..len)
                .map(|i| alphabet[((seed >> (i * 3)) % alphabet.len() as u64) as usize])
                .collect();
            assert_eq!(is_plain(&data), is_plain_bytewise(&data), "{data:?}");
        }
        for b in 0..=255u8 {
            for at in 0..12 {
                let mut data = vec![b'a'; 12];
                data[at] = b;
                assert_eq!(is_plain(&data), is_plain_bytewise(&data), "{b} at {at}");
            }
        }
        // Cells at every place of a buffer, after any bytes.
        let mut seed = 0x1234_5678_9abc_def1u64;
        for _ in 0..20_000 {
            let seed = xorshift(&mut seed);
            let len = (seed % 24) as usize;
            let buf: Vec<u8> = (0..len)
                .map(|i| alphabet[((seed >> (i * 2)) % alphabet.len() as u64) as usize])
                .collect();
            for start in 0..=len {
                for end in start..=len {
                    assert_eq!(
                        is_plain_span(&buf, start, end),
                        is_plain_bytewise(&buf[start..end]),
                        "{buf:?} {start}..{end}"
                    );
                }
            }
        }
        assert!(!is_plain_span(b"ab", 1, 3));
        assert!(is_plain(b""));
        assert!(!is_plain(b"ab\\xcd"));
        assert!(is_plain(b"ab\\ycd"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(data: &[u8], utf8: bool) -> (String, usize) {
        let s = safe_encode(data, utf8, b"");
        (s.text, s.width)
    }

    #[test]
    fn safe_encoding() {
        assert_eq!(enc(b"abc", false), ("abc".into(), 3));
        assert_eq!(enc(b"a\tb", false), ("a\\x09b".into(), 6));
        assert_eq!(enc(b"a\\xb", false), ("a\\x5cxb".into(), 7));
        assert_eq!(enc(b"a\\b", false), ("a\\b".into(), 3));
        assert_eq!(enc("é".as_bytes(), false), ("\\xc3\\xa9".into(), 8));
        assert_eq!(enc("é".as_bytes(), true), ("é".into(), 1));
        assert_eq!(enc("日本".as_bytes(), true), ("日本".into(), 4));
        assert_eq!(enc(b"\xff/x", true), ("\\xff/x".into(), 6));
        // C1 control characters are valid UTF-8 but not printable.
        assert_eq!(enc("\u{85}".as_bytes(), true), ("\\xc2\\x85".into(), 8));
        let s = safe_encode(b"a\nb", true, b"\n");
        assert_eq!((s.text.as_str(), s.width), ("a\nb", 2));
    }

    #[test]
    fn truncation() {
        assert_eq!(truncate("abcdef", 3), ("abc", 3));
        assert_eq!(truncate("ab", 3), ("ab", 2));
        assert_eq!(truncate("日本", 3), ("日", 2));
    }

    #[test]
    fn raw_export_json() {
        let mut v = Vec::new();
        raw(&mut v, b"a b\\c\xc3\xa9\n");
        assert_eq!(v, b"a\\x20b\\x5cc\\xc3\\xa9\\x0a");
        let mut v = Vec::new();
        quoted(&mut v, b"a b\"$`\\x");
        assert_eq!(v, b"\"a b\\x22\\x24\\x60\\x5cx\"");
        let mut v = Vec::new();
        json_string(&mut v, b"A\"\\\x01\n\xff", false);
        assert_eq!(v, b"\"A\\\"\\\\\\u0001\\n\xff\"");
        let mut v = Vec::new();
        json_string(&mut v, b"USE%", true);
        assert_eq!(v, b"\"use%\"");
    }

    #[test]
    fn shell_names() {
        assert_eq!(shell_name("USE%"), "USE_PCT");
        assert_eq!(shell_name("MAJ:MIN"), "MAJ_MIN");
        assert_eq!(shell_name("1FOO%"), "_1FOO_PCT");
        assert_eq!(shell_name("KEY"), "KEY");
    }
}
