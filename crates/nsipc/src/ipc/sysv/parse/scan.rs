//! The byte scanning under [`super::Fields`]: blanks and decimal digits
//! eight bytes at a time (SWAR: one `u64` holds eight bytes), which is
//! most of the work of listing tens of thousands of objects: a row of
//! `/proc/sysvipc/msg` is about 150 bytes, two thirds of them padding.
//!
//! Each function looks at a slice and says how far the blanks or digits at
//! its start go; eight bytes are read at once only where the slice has
//! them, the rest byte by byte, so the result never depends on what lies
//! past a field (the next line in the same buffer, or nothing).

/// `b` in every byte.
const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

const SPACES: u64 = splat(b' ');
const ZEROS: u64 = splat(b'0');
const HIGH_NIBBLES: u64 = splat(0xf0);

/// A blank between fields: white space other than the newline that ends
/// the line.
#[inline(always)]
fn is_blank(b: u8) -> bool {
    b != b'\n' && b.is_ascii_whitespace()
}

/// The number of blanks at the start of `s`.
#[inline(always)]
pub(super) fn blanks(s: &[u8]) -> usize {
    let mut i = 0;
    loop {
        if let Some(eight) = s.get(i..).and_then(|r| r.first_chunk::<8>()) {
            // The first byte that is not a space, if any of the eight.
            let other = u64::from_le_bytes(*eight) ^ SPACES;
            if other == 0 {
                i += 8;
                continue;
            }
            i += (other.trailing_zeros() / 8) as usize;
        }
        // `s[i]` is not a space, or fewer than eight bytes are left: one
        // byte (a tab, a space at the end) at a time.
        match s.get(i) {
            Some(&b) if is_blank(b) => i += 1,
            _ => return i,
        }
    }
}

/// The value of the decimal digits in bytes `0..len` of `word` (the
/// first digit in the lowest byte), `1 <= len <= 8`; the other bytes may
/// hold anything.
#[inline(always)]
fn eight_digits(word: u64, len: usize) -> u64 {
    // Each byte's digit value, moved up so that the digits end at the
    // top byte: a number of eight digits with leading zeros. (A byte
    // below '0' past the digits borrows only from the bytes above it,
    // which the shift drops.)
    let v = word.wrapping_sub(ZEROS) << (8 * (8 - len));
    // Pairs, then fours, then all eight (the usual SWAR reduction).
    let v = v.wrapping_mul(10).wrapping_add(v >> 8);
    const MASK: u64 = 0x0000_00ff_0000_00ff;
    const MUL1: u64 = 100 + (1_000_000 << 32);
    const MUL2: u64 = 1 + (10_000 << 32);
    ((v & MASK)
        .wrapping_mul(MUL1)
        .wrapping_add(((v >> 16) & MASK).wrapping_mul(MUL2)))
        >> 32
}

/// How many of the eight bytes of `word` (first byte lowest) are decimal
/// digits before the first one that is not.
#[inline(always)]
fn digit_run(word: u64) -> usize {
    // A byte is a digit when its high nibble is 3 both as it is and plus
    // 6 ('0'..='9' → 0x36..=0x3f). A carry out of a byte >= 0xfa only
    // touches the bytes after it, past the first non-digit.
    let not_digit = ((word & HIGH_NIBBLES) ^ splat(0x30))
        | ((word.wrapping_add(splat(6)) & HIGH_NIBBLES) ^ splat(0x30));
    (not_digit.trailing_zeros() / 8) as usize
}

/// 10^n for n in 0..=8.
const POW10: [u64; 9] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
];

/// The decimal digits at the start of `s`: their value and count, or
/// `None` when the value overflows u64. `(0, 0)` when there are none.
#[inline(always)]
pub(super) fn decimal(s: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    let mut i = 0;
    while let Some(eight) = s.get(i..).and_then(|r| r.first_chunk::<8>()) {
        let word = u64::from_le_bytes(*eight);
        let len = digit_run(word);
        if len == 0 {
            return Some((value, i));
        }
        let part = eight_digits(word, len);
        // Up to 19 digits cannot overflow a u64.
        value = if i + len <= 19 {
            value * POW10[len] + part
        } else {
            value.checked_mul(POW10[len])?.checked_add(part)?
        };
        i += len;
        if len < 8 {
            return Some((value, i));
        }
    }
    // Fewer than eight bytes left.
    while let Some(&b) = s.get(i) {
        let d = u64::from(b.wrapping_sub(b'0'));
        if d >= 10 {
            break;
        }
        value = if i < 19 {
            value * 10 + d
        } else {
            value.checked_mul(10)?.checked_add(d)?
        };
        i += 1;
    }
    Some((value, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Byte at a time, as the scanner must agree with.
    fn slow_decimal(s: &[u8]) -> Option<(u64, usize)> {
        let n = s.iter().take_while(|b| b.is_ascii_digit()).count();
        if n == 0 {
            return Some((0, 0));
        }
        let mut v = 0u64;
        for &b in &s[..n] {
            v = v.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
        }
        Some((v, n))
    }

    fn slow_blanks(s: &[u8]) -> usize {
        s.iter().take_while(|&&b| is_blank(b)).count()
    }

    #[test]
    fn agrees_with_a_byte_at_a_time() {
        let mut inputs: Vec<Vec<u8>> = Vec::new();
        let digits = b"01234567890123456789012345";
        for len in 0..=digits.len() {
            for tail in [
                &b""[..],
                b" ",
                b"\n",
                b"x",
                b"/",
                b":",
                b"\xff9",
                b"\xfa9",
                b" 12345678",
            ] {
                let mut v = digits[..len].to_vec();
                v.extend_from_slice(tail);
                inputs.push(v.clone());
                let mut nines = vec![b'9'; len];
                nines.extend_from_slice(tail);
                inputs.push(nines);
            }
        }
        inputs.push(b"18446744073709551615 ".to_vec());
        inputs.push(b"18446744073709551616 ".to_vec());
        inputs.push(b"00000000000000000000000000007".to_vec());
        // Pseudo-random bytes from a small alphabet.
        let alphabet = b"0123456789 \t\n\r\x0bx\xff/:";
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            let len = (seed % 24) as usize;
            let mut v = Vec::with_capacity(len);
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                v.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            inputs.push(v);
        }
        for s in &inputs {
            for start in 0..s.len().min(3) {
                let s = &s[start..];
                assert_eq!(
                    decimal(s),
                    slow_decimal(s),
                    "{:?}",
                    String::from_utf8_lossy(s)
                );
                assert_eq!(
                    blanks(s),
                    slow_blanks(s),
                    "{:?}",
                    String::from_utf8_lossy(s)
                );
            }
        }
    }

    #[test]
    fn every_length_of_every_digit() {
        for len in 1..=8 {
            for d in b'0'..=b'9' {
                let mut s = vec![d; len];
                s.extend_from_slice(b"        ");
                let want = (0..len).fold(0u64, |v, _| v * 10 + u64::from(d - b'0'));
                assert_eq!(decimal(&s), Some((want, len)));
            }
        }
    }
}
