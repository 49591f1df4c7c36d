//! The `=~`/`!~` operand: a POSIX extended regular expression compiled by
//! libc's `regcomp`.

use super::MAX_REPEAT;
use std::ffi::CString;
use std::fmt;

/// A compiled POSIX extended regular expression (libc `regcomp`, as
/// libsmartcols uses, so the dialect is the same).
pub struct Regex(Box<libc::regex_t>);

impl fmt::Debug for Regex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Regex")
    }
}

impl Regex {
    pub(super) fn new(pattern: &[u8]) -> Result<Regex, Option<String>> {
        let c = CString::new(pattern).map_err(|_| None)?;
        // SAFETY: regex_t is a plain C struct; all-zero is a valid initial
        // state for regcomp to fill in.
        let mut re: Box<libc::regex_t> = Box::new(unsafe { std::mem::zeroed() });
        // SAFETY: `re` points at writable storage, `c` is NUL-terminated.
        let rc =
            unsafe { libc::regcomp(&mut *re, c.as_ptr(), libc::REG_EXTENDED | libc::REG_NOSUB) };
        if rc != 0 {
            let mut buf = [0u8; 256];
            // SAFETY: regerror writes at most buf.len() bytes, NUL-terminated.
            unsafe { libc::regerror(rc, &*re, buf.as_mut_ptr().cast(), buf.len()) };
            let len = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
            // A failed regcomp leaves nothing for regfree (glibc frees its
            // own state on error); `re`, our Box, is freed as it drops.
            return Err(Some(String::from_utf8_lossy(&buf[..len]).into_owned()));
        }
        Ok(Regex(re))
    }

    pub(super) fn is_match(&self, text: &[u8]) -> bool {
        // Cell text never holds NUL; cut at one if it does, as C would.
        let end = text.iter().position(|&b| b == 0).unwrap_or(text.len());
        let Ok(c) = CString::new(&text[..end]) else {
            return false;
        };
        // SAFETY: the regex was compiled by regcomp and not freed; `c` is
        // NUL-terminated; no match offsets are requested (REG_NOSUB).
        unsafe { libc::regexec(&*self.0, c.as_ptr(), 0, std::ptr::null_mut(), 0) == 0 }
    }
}

impl Drop for Regex {
    fn drop(&mut self) {
        // SAFETY: compiled by a successful regcomp, freed once.
        unsafe { libc::regfree(&mut *self.0) };
    }
}

/// Patterns that make glibc's regcomp allocate gigabytes: consecutive
/// quantifiers (`a**`), a repeated group containing a quantifier
/// (`(a+)+`), repeat counts above 1024. libsmartcols refuses them.
pub(super) fn is_unsafe_regex(p: &[u8]) -> bool {
    let quant = |c: u8| c == b'+' || c == b'*';
    for i in 0..p.len().saturating_sub(1) {
        if quant(p[i]) && quant(p[i + 1]) {
            return true;
        }
        if p[i] == b')' && quant(p[i + 1]) {
            for &c in p[..i].iter().rev() {
                if c == b'(' {
                    break;
                }
                if quant(c) {
                    return true;
                }
            }
        }
        if p[i] == b'{' {
            let mut j = i + 1;
            while j < p.len() && p[j] != b'}' {
                if p[j].is_ascii_digit() {
                    let digits = p[j..].iter().take_while(|b| b.is_ascii_digit()).count();
                    let n = std::str::from_utf8(&p[j..j + digits])
                        .ok()
                        .and_then(|s| s.parse::<u64>().ok());
                    if n.is_none_or(|n| n > MAX_REPEAT) {
                        return true;
                    }
                    j += digits;
                } else {
                    j += 1;
                }
            }
        }
    }
    false
}
