//! What libsmartcols asks of the environment: is stdout a terminal, how wide
//! is it, and does the locale use UTF-8 (tree symbols, wide characters).

use std::ffi::OsString;

/// The width tables are fitted to, or `None` when stdout is not a
/// terminal: libsmartcols then never truncates nor wraps (a pipe gets whole
/// lines, whatever `COLUMNS` says).
pub fn stdout_width() -> Option<usize> {
    let stdout = std::io::stdout();
    if !rustix::termios::isatty(&stdout) {
        return None;
    }
    let cols = rustix::termios::tcgetwinsize(&stdout)
        .map(|w| w.ws_col as usize)
        .unwrap_or(0);
    Some(width_or_default(cols, std::env::var_os("COLUMNS")))
}

/// util-linux `get_terminal_width(80)`: the tty's column count, else a
/// positive `COLUMNS`, else 80.
fn width_or_default(tty_cols: usize, columns: Option<OsString>) -> usize {
    if tty_cols > 0 {
        return tty_cols;
    }
    columns
        .and_then(|c| c.to_str().and_then(|s| s.trim().parse::<usize>().ok()))
        .filter(|&c| c > 0)
        .unwrap_or(80)
}

/// Whether the character set of the locale (LC_ALL, else LC_CTYPE, else
/// LANG, as setlocale resolves it) is UTF-8. libsmartcols draws trees with
/// `├─` there and with `|-` in other locales, and escapes non-ASCII bytes
/// outside UTF-8 locales.
pub fn locale_is_utf8() -> bool {
    let value = ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .filter_map(std::env::var_os)
        .find(|v| !v.is_empty());
    value.is_some_and(|v| {
        let v = v.to_string_lossy().to_ascii_lowercase();
        v.contains("utf-8") || v.contains("utf8")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_fallbacks() {
        assert_eq!(width_or_default(120, Some("40".into())), 120);
        assert_eq!(width_or_default(0, Some("40".into())), 40);
        assert_eq!(width_or_default(0, Some("0".into())), 80);
        assert_eq!(width_or_default(0, Some("x".into())), 80);
        assert_eq!(width_or_default(0, None), 80);
    }
}
