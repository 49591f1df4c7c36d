//! stderr for messages: written without panicking (`eprintln!` panics on
//! a full or closed stderr, which aborts a `no_main` binary), with a failed
//! write turning the exit status into util-linux's, and arguments carried
//! byte for byte into the text (see [`shown`]).

use std::sync::atomic::{AtomicBool, Ordering};

use crate::report::EXIT_FAILURE;

/// Set once a write to stderr failed (full disk, closed descriptor).
static STDERR_FAILED: AtomicBool = AtomicBool::new(false);
/// Set when the caller started us with fd 2 closed: nothing is written to
/// fd 2 then, whatever it may have been reopened on since.
static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);

/// Records whether fd 2 is open; called first thing at start-up, before
/// anything can be opened on a closed descriptor.
pub fn note_stderr_state() {
    // SAFETY: F_GETFD only queries the descriptor's flags.
    if unsafe { libc::fcntl(libc::STDERR_FILENO, libc::F_GETFD) } < 0 {
        STDERR_CLOSED.store(true, Ordering::Relaxed);
    }
}

/// Writes a message to stderr. Never panics (unlike `eprintln!`): a failed
/// write is remembered so that [`final_status`] can report it the way
/// util-linux's `close_stdout` does. The text goes out with one `write`
/// where possible; arguments shown with [`shown`] get their raw bytes back.
pub fn to_stderr(args: std::fmt::Arguments<'_>) {
    let text = std::fmt::format(args);
    write_stderr(&unshow(&text));
}

/// Writes raw bytes to fd 2, remembering a failure.
pub fn write_stderr(mut bytes: &[u8]) {
    if STDERR_CLOSED.load(Ordering::Relaxed) {
        STDERR_FAILED.store(true, Ordering::Relaxed);
        return;
    }
    while !bytes.is_empty() {
        match rustix::io::write(rustix::stdio::stderr(), bytes) {
            Ok(0) => break,
            Ok(n) => bytes = &bytes[n..],
            Err(rustix::io::Errno::INTR) => {}
            Err(_) => break,
        }
    }
    if !bytes.is_empty() {
        STDERR_FAILED.store(true, Ordering::Relaxed);
    }
}

/// The exit status once the tool is done: util-linux's `close_stdout` (run
/// at exit by every tool) turns any status into `EXIT_FAILURE` when a write
/// to stderr failed, whether stderr was full or closed.
pub fn final_status(status: i32) -> i32 {
    if STDERR_FAILED.load(Ordering::Relaxed) {
        EXIT_FAILURE
    } else {
        status
    }
}

/// Ends the process with [`final_status`].
pub fn exit(status: i32) -> ! {
    std::process::exit(final_status(status))
}

/// First of the 256 private-use code points that stand for single bytes in
/// messages (U+10FF00..=U+10FFFF, the end of plane 16's private-use area).
const BYTE_BASE: u32 = 0x10_FF00;

/// An argument as it goes into a message: its bytes, exactly, once written
/// by [`to_stderr`]. Messages are built with `format!`, whose text must be
/// UTF-8; a byte that is not valid UTF-8 (`ipcmk -M $'\xff'`) is carried as
/// the code point `BYTE_BASE + byte` and turned back into that byte on
/// output, where `to_string_lossy` would print U+FFFD, so the message
/// shows the argument as util-linux does (`'\377'`).
///
/// Applying it to text it already made changes nothing, so a value shown
/// once may be shown again. The price: a character of U+10FF00..=U+10FFFF
/// (the last 256 private-use code points of plane 16) typed in an argument
/// is written as the byte it would stand for.
pub fn shown(arg: impl AsRef<std::ffi::OsStr>) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::new();
    for chunk in arg.as_ref().as_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        out.extend(chunk.invalid().iter().copied().map(byte_char));
    }
    out
}

fn byte_char(b: u8) -> char {
    char::from_u32(BYTE_BASE + u32::from(b)).unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// Undoes [`shown`]: the message's bytes as they are written.
fn unshow(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        match (c as u32).checked_sub(BYTE_BASE) {
            Some(b) => out.push(b as u8),
            None => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_keeps_every_byte() {
        use std::os::unix::ffi::OsStrExt;
        for bytes in [
            &b"plain"[..],
            b"\xff",
            b"a\xc3(b\x80",
            "é\u{10feff}".as_bytes(),
        ] {
            let text = shown(std::ffi::OsStr::from_bytes(bytes));
            assert_eq!(unshow(&format!("<{text}>")), [b"<", bytes, b">"].concat());
            assert_eq!(shown(&text), text, "shown twice");
        }
    }
}
