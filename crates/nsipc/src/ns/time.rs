//! Time-namespace clock offsets (`time_namespaces(7)`).
//!
//! A new time namespace starts with zero offsets for `CLOCK_MONOTONIC` and
//! `CLOCK_BOOTTIME`. They can be set through
//! `/proc/self/timens_offsets` only after `unshare(CLONE_NEWTIME)` and
//! before any process has entered the namespace: the first child (or, on
//! Linux ≥ 5.8, the caller's own `execve`) freezes them.

use super::idmap::{write_proc_file, ProcWriteError};

/// The clocks a time namespace can offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// `CLOCK_MONOTONIC`.
    Monotonic,
    /// `CLOCK_BOOTTIME`.
    Boottime,
}

impl Clock {
    /// The `clockid_t` the kernel expects in `timens_offsets`.
    pub const fn clock_id(self) -> libc::clockid_t {
        match self {
            Clock::Monotonic => libc::CLOCK_MONOTONIC,
            Clock::Boottime => libc::CLOCK_BOOTTIME,
        }
    }
}

/// Where offsets are written: the namespace the caller's children get.
pub const OFFSETS_PATH: &str = "/proc/self/timens_offsets";

/// The line setting `clock`'s offset to `seconds` (nanoseconds 0).
pub fn offset_line(clock: Clock, seconds: i64) -> String {
    format!("{} {seconds} 0", clock.clock_id())
}

/// Sets the offset of `clock` in the caller's new time namespace.
///
/// # Examples
///
/// ``` no_run
/// use nsipc::ns::time::{set_offset, Clock};
/// use nsipc::ns::{self, Kinds};
/// // As root: a new time namespace whose children see the boot clock 1 day on.
/// ns::unshare(Kinds::TIME)?;
/// set_offset(Clock::Boottime, 86400).map_err(|e| std::io::Error::from(e.io().kind()))?;
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # References
/// - [time_namespaces(7)](https://man7.org/linux/man-pages/man7/time_namespaces.7.html)
pub fn set_offset(clock: Clock, seconds: i64) -> Result<(), ProcWriteError> {
    write_proc_file(OFFSETS_PATH, offset_line(clock, seconds).as_bytes())
}

/// Parses `timens_offsets` text (`monotonic 5 0` / `1 5 0` lines) into
/// (clock, seconds) pairs, skipping anything else.
pub fn parse_offsets(content: &str) -> Vec<(Clock, i64)> {
    content
        .lines()
        .filter_map(|line| {
            let mut f = line.split_ascii_whitespace();
            let clock = match f.next()? {
                "monotonic" | "1" => Clock::Monotonic,
                "boottime" | "7" => Clock::Boottime,
                _ => return None,
            };
            Some((clock, f.next()?.parse().ok()?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        assert_eq!(offset_line(Clock::Boottime, -5), "7 -5 0");
        assert_eq!(
            offset_line(Clock::Monotonic, i64::MAX),
            "1 9223372036854775807 0"
        );
        assert_eq!(
            parse_offsets("monotonic           10         0\nboottime  -3 0\nx\n"),
            vec![(Clock::Monotonic, 10), (Clock::Boottime, -3)]
        );
    }
}
