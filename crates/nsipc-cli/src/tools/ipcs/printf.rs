//! The printf conversions ipcs's rows are made of, written straight into
//! the output buffer.

/// Rows are formatted into a buffer handed to stdout in chunks of about
/// this size: one write per chunk, and memory stays flat however many
/// objects there are.
pub(super) const FLUSH_AT: usize = 16 * 1024;

/// printf's `%-W.Ps`: left-aligned, at most `max` bytes, padded with spaces
/// to `width` bytes (printf counts bytes, not characters).
pub(super) fn put_left(out: &mut Vec<u8>, s: &[u8], width: usize, max: usize) {
    let s = &s[..s.len().min(max)];
    out.extend_from_slice(s);
    out.resize(out.len() + width.saturating_sub(s.len()), b' ');
}

/// How [`int`] pads to its width.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Pad {
    /// `%-Nd`: spaces after.
    Left,
    /// `%Nd`: spaces before.
    Right,
    /// `%0Nx`: zeros before.
    Zero,
}

/// printf's integer conversions (`%d %u %o %x` with a width), written
/// straight into the buffer: the hot path of every listing, where
/// `core::fmt` padding (one `write_char` per space) showed up in profiles.
pub(super) fn int(out: &mut Vec<u8>, value: impl Into<i128>, radix: u32, width: usize, pad: Pad) {
    let value: i128 = value.into();
    let mut digits = [0u8; 24];
    // Every value printed fits u64 in magnitude (i64, u64 and smaller);
    // u64 division by a constant radix is far cheaper than i128's.
    let magnitude = u64::try_from(value.unsigned_abs()).unwrap_or(u64::MAX);
    let mut at = match radix {
        8 => digits_of::<8>(magnitude, &mut digits),
        16 => digits_of::<16>(magnitude, &mut digits),
        _ => digits_of::<10>(magnitude, &mut digits),
    };
    if value < 0 {
        at -= 1;
        digits[at] = b'-';
    }
    let text = &digits[at..];
    let fill = width.saturating_sub(text.len());
    match pad {
        Pad::Left => {
            out.extend_from_slice(text);
            out.resize(out.len() + fill, b' ');
        }
        Pad::Right => {
            out.resize(out.len() + fill, b' ');
            out.extend_from_slice(text);
        }
        Pad::Zero => {
            out.resize(out.len() + fill, b'0');
            out.extend_from_slice(text);
        }
    }
}

/// Writes `value` in base `RADIX` at the end of `buf`; returns where the
/// digits start.
pub(super) fn digits_of<const RADIX: u64>(mut value: u64, buf: &mut [u8; 24]) -> usize {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b"0123456789abcdef"[(value % RADIX) as usize];
        value /= RADIX;
        if value == 0 {
            return at;
        }
    }
}
