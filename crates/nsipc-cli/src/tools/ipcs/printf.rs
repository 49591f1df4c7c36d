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

/// `ctime(3)` text without the newline: `Sun Nov 29 11:50:42 2026`, in the
/// local time zone. `None` when the time cannot be broken down (where
/// ctime would return NULL).
pub(super) fn ctime(t: i64) -> Option<String> {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let t = libc::time_t::try_from(t).ok()?;
    // SAFETY: an all-zero `tm` is a valid value; localtime_r only writes it.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: both pointers are valid for the call; localtime_r is the
    // thread-safe form and keeps no reference to them.
    if unsafe { libc::localtime_r(&t, &mut tm) }.is_null() {
        return None;
    }
    Some(format!(
        "{} {}{:3} {:02}:{:02}:{:02} {}",
        DAYS.get(tm.tm_wday as usize)?,
        MONTHS.get(tm.tm_mon as usize)?,
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec,
        i64::from(tm.tm_year) + 1900
    ))
}

/// util-linux's `size_to_human_string` with one-letter suffixes: powers of
/// 1024, one decimal rounded half up and dropped when zero (`4.9K`, `16K`,
/// `200B`, `16E`).
pub fn human_size(bytes: u64) -> String {
    let mut buf = Vec::with_capacity(8);
    push_human_size(&mut buf, bytes);
    String::from_utf8(buf).unwrap_or_default()
}

/// [`human_size`] appended to a buffer (no temporary string: lsipc writes
/// one per line).
pub fn push_human_size(buf: &mut Vec<u8>, bytes: u64) {
    const LETTERS: &[u8] = b"BKMGTPE";
    let mut exp = 0u32;
    while exp < 60 && bytes >= 1u64 << (exp + 10) {
        exp += 10;
    }
    let letter = LETTERS[(exp / 10) as usize];
    let mut digits = itoa::Buffer::new();
    if exp == 0 {
        buf.extend_from_slice(digits.format(bytes).as_bytes());
        buf.push(letter);
        return;
    }
    let mut whole = bytes >> exp;
    let rest = bytes & ((1u64 << exp) - 1);
    // Three decimals, computed the way util-linux does (it scales large
    // remainders down first to avoid overflow), then round half up to one.
    let thousandths = if rest >= u64::MAX / 1000 {
        ((rest / 1024) * 1000) >> (exp - 10)
    } else {
        (rest * 1000) >> exp
    };
    let mut tenth = (thousandths + 50) / 100;
    if tenth == 10 {
        whole += 1;
        tenth = 0;
    }
    buf.extend_from_slice(digits.format(whole).as_bytes());
    if tenth != 0 {
        buf.extend_from_slice(&[b'.', b'0' + tenth as u8]);
    }
    buf.push(letter);
}
