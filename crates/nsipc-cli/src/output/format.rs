//! Values as the tools show them, shared by every tool: sizes
//! (util-linux's `size_to_human_string`), permissions (`%#o`, `rwx`) and
//! times (`ctime`, ISO 8601, `strtime_short`) in the local time zone. No
//! tool formats these itself.

/// util-linux's `size_to_human_string` with one-letter suffixes: powers of
/// 1024, one decimal rounded half up and dropped when zero (`4.9K`, `16K`,
/// `200B`, `16E`).
pub(crate) fn human_size(bytes: u64) -> String {
    let mut buf = Vec::with_capacity(8);
    push_human_size(&mut buf, bytes);
    String::from_utf8(buf).unwrap_or_default()
}

/// [`human_size`] appended to a buffer (no temporary string: a listing writes
/// one per line).
pub(crate) fn push_human_size(buf: &mut Vec<u8>, bytes: u64) {
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

/// `localtime_r(3)` of a timestamp; `None` when it is out of range.
pub(crate) fn localtime(t: i64) -> Option<libc::tm> {
    let t = libc::time_t::try_from(t).ok()?;
    // SAFETY: an all-zero `tm` is a valid value; localtime_r only writes it.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: both pointers are valid for the call; localtime_r keeps no
    // reference to them.
    if unsafe { libc::localtime_r(&t, &mut tm) }.is_null() {
        return None;
    }
    Some(tm)
}

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn month(tm: &libc::tm) -> &'static str {
    MONTHS.get(tm.tm_mon as usize).copied().unwrap_or("???")
}

/// `asctime`: `Sun Nov 29 11:50:43 2026`.
pub(crate) fn asctime(tm: &libc::tm) -> String {
    format!(
        "{} {}{:3} {:02}:{:02}:{:02} {}",
        DAYS.get(tm.tm_wday as usize).copied().unwrap_or("???"),
        month(tm),
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec,
        i64::from(tm.tm_year) + 1900
    )
}

/// `2026-11-29T11:50:43+00:00`.
pub(crate) fn iso_time(tm: &libc::tm) -> String {
    let off_min = tm.tm_gmtoff / 60;
    format!(
        "{:4}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}",
        i64::from(tm.tm_year) + 1900,
        tm.tm_mon + 1,
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec,
        if off_min < 0 { '-' } else { '+' },
        (off_min / 60).abs(),
        (off_min % 60).abs()
    )
}

/// util-linux `strtime_short`: `HH:MM` today, `Nov05` this year,
/// `2025-Nov05` before.
pub(crate) fn short_time(tm: &libc::tm, now: Option<&libc::tm>) -> String {
    let same_year = now.is_some_and(|n| n.tm_year == tm.tm_year);
    if same_year && now.is_some_and(|n| n.tm_yday == tm.tm_yday) {
        format!("{:02}:{:02}", tm.tm_hour, tm.tm_min)
    } else if same_year {
        format!("{}{:02}", month(tm), tm.tm_mday)
    } else {
        format!(
            "{}-{}{:02}",
            i64::from(tm.tm_year) + 1900,
            month(tm),
            tm.tm_mday
        )
    }
}

/// `ctime(3)` text without the newline: `Sun Nov 29 11:50:42 2026`, in the
/// local time zone. `None` when the time cannot be broken down (where
/// ctime would return NULL).
pub(crate) fn ctime(t: i64) -> Option<String> {
    let tm = localtime(t)?;
    DAYS.get(tm.tm_wday as usize)?;
    MONTHS.get(tm.tm_mon as usize)?;
    Some(asctime(&tm))
}

/// printf's `%#o`: `0` for zero, else octal with a leading 0 (ipcs `-i`,
/// lsipc `--numeric-perms`, the JSON of `ipcs --json`).
pub(crate) fn alt_octal(mode: u32) -> String {
    if mode == 0 {
        "0".to_string()
    } else {
        format!("0{mode:o}")
    }
}

/// The nine permission bits of `mode` as `ls -l` shows them (`rw-r-----`),
/// appended to a buffer (lsipc's PERMS).
pub(crate) fn push_rwx(buf: &mut Vec<u8>, mode: u32) {
    for shift in [6, 3, 0] {
        let bits = (mode >> shift) & 7;
        buf.push(if bits & 4 != 0 { b'r' } else { b'-' });
        buf.push(if bits & 2 != 0 { b'w' } else { b'-' });
        buf.push(if bits & 1 != 0 { b'x' } else { b'-' });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions_as_printf_and_ls_show_them() {
        assert_eq!(alt_octal(0), "0");
        assert_eq!(alt_octal(0o644), "0644");
        assert_eq!(alt_octal(0o2644), "02644");
        let rwx = |mode| {
            let mut buf = Vec::new();
            push_rwx(&mut buf, mode);
            String::from_utf8(buf).unwrap()
        };
        assert_eq!(rwx(0), "---------");
        assert_eq!(rwx(0o640), "rw-r-----");
        assert_eq!(rwx(0o777), "rwxrwxrwx");
        assert_eq!(rwx(0o1751), "rwxr-x--x");
    }

    #[test]
    fn human_sizes_match_util_linux() {
        assert_eq!(human_size(0), "0B");
        assert_eq!(human_size(200), "200B");
        assert_eq!(human_size(1023), "1023B");
        assert_eq!(human_size(1024), "1K");
        assert_eq!(human_size(5000), "4.9K");
        assert_eq!(human_size(5200), "5.1K");
        assert_eq!(human_size(16384), "16K");
        assert_eq!(human_size(1536), "1.5K");
        assert_eq!(human_size(1024 * 1024 - 1), "1024K"); // as util-linux rounds
        assert_eq!(human_size(u64::MAX), "16E");
        assert_eq!(human_size(18446744073692774399), "16E");
    }
}
