//! How a tool talks to its user: the program name used in messages, errors in
//! util-linux's `prog: message` form, usage errors with the "Try --help" line,
//! and stdout with util-linux's close-time write-error check.

use std::fmt::Display;
use std::io::{self, Write};

use crate::stderr::to_stderr;
pub use crate::stderr::{exit, note_stderr_state, shown, write_stderr};

use crate::getopt::UsageError;

/// util-linux's exit status for every failure this module reports.
pub const EXIT_FAILURE: i32 = 1;

/// Who we are, as the user called us.
#[derive(Clone, Debug)]
pub struct Prog {
    /// Short name used in messages and `--help` hints (`ipcs`).
    pub name: String,
    /// `argv[0]` as typed: glibc's getopt prefixes its own messages with it
    /// (`./ipcs: invalid option -- 'x'`).
    pub argv0: String,
}

impl Prog {
    pub fn new(name: &str, argv0: &str) -> Self {
        crate::alloc::set_name(name);
        Prog {
            name: name.to_string(),
            argv0: argv0.to_string(),
        }
    }

    /// `prog: msg` on stderr (util-linux `warnx`).
    pub fn warnx(&self, msg: impl Display) {
        to_stderr(format_args!("{}: {msg}\n", self.name));
    }

    /// `prog: msg: strerror` on stderr (util-linux `warn`).
    pub fn warn(&self, msg: impl Display, err: &io::Error) {
        to_stderr(format_args!("{}: {msg}: {}\n", self.name, strerror(err)));
    }

    /// The "Try 'prog --help'" hint that follows every usage error.
    pub fn try_help(&self) {
        to_stderr(format_args!(
            "Try '{} --help' for more information.\n",
            self.name
        ));
    }

    /// A usage error detected by our own checks (`ipcmk: bad usage`).
    pub fn usage_error(&self, msg: impl Display) -> Failure {
        self.warnx(msg);
        self.try_help();
        Failure(EXIT_FAILURE)
    }

    /// A getopt error, prefixed by `argv[0]` as glibc does.
    pub fn getopt_error(&self, e: &UsageError) -> Failure {
        to_stderr(format_args!("{}: {e}\n", self.argv0));
        self.try_help();
        Failure(EXIT_FAILURE)
    }

    /// util-linux `errx`: message, exit 1.
    pub fn fail(&self, msg: impl Display) -> Failure {
        self.warnx(msg);
        Failure(EXIT_FAILURE)
    }

    /// util-linux `err`: message with strerror, exit 1.
    pub fn fail_errno(&self, msg: impl Display, err: &io::Error) -> Failure {
        self.warn(msg, err);
        Failure(EXIT_FAILURE)
    }

    /// `-V` output.
    pub fn version(&self) -> String {
        format!(
            "{} from util-linux 2.43-compatible nsipc {}\n",
            self.name,
            env!("CARGO_PKG_VERSION")
        )
    }
}

/// A failure already reported on stderr; carries the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failure(pub i32);

/// A tool's result: its exit status, or a failure already reported.
pub type ToolResult = Result<i32, Failure>;

/// `strerror(errno)` text without Rust's " (os error N)" suffix, so messages
/// match the C tools byte for byte.
pub fn strerror(err: &io::Error) -> String {
    let text = err.to_string();
    match err.raw_os_error() {
        Some(errno) => text
            .strip_suffix(&format!(" (os error {errno})"))
            .unwrap_or(&text)
            .to_string(),
        None => text,
    }
}

/// Buffered stdout. Call [`Stdout::finish`] at the end: like util-linux's
/// `close_stdout`, a failed write is reported as `prog: write error` and exits 1,
/// while a closed pipe (EPIPE) ends quietly.
pub struct Stdout {
    inner: io::BufWriter<io::StdoutLock<'static>>,
    failed: Option<io::Error>,
}

impl Default for Stdout {
    fn default() -> Self {
        Self::new()
    }
}

impl Stdout {
    pub fn new() -> Self {
        Stdout {
            inner: io::BufWriter::with_capacity(16 * 1024, io::stdout().lock()),
            failed: None,
        }
    }

    /// `--help` and `--version`: prints `text` and returns the exit status,
    /// 1 when it could not be written (`tool --help > /dev/full`).
    pub fn print(prog: &Prog, text: &str) -> i32 {
        let mut out = Stdout::new();
        let _ = out.write_all(text.as_bytes());
        out.finish(prog, 0)
    }

    /// Flushes what was written so far; false when any of it could not be
    /// written (the error is kept for [`Stdout::finish`] to report).
    pub fn delivered(&mut self) -> bool {
        if let Err(e) = self.inner.flush() {
            if self.failed.is_none() {
                self.failed = Some(e);
            }
        }
        self.failed.is_none()
    }

    /// Flushes and checks for write errors; returns the tool's final status.
    pub fn finish(mut self, prog: &Prog, status: i32) -> i32 {
        let flushed = self.inner.flush();
        let err = self.failed.take().or(flushed.err());
        match err {
            Some(e) if e.kind() == io::ErrorKind::BrokenPipe => status,
            Some(e) => {
                prog.warn("write error", &e);
                EXIT_FAILURE
            }
            None => status,
        }
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.inner.write(buf) {
            Ok(n) => Ok(n),
            Err(e) => {
                let copy = io::Error::from(e.kind());
                if self.failed.is_none() {
                    self.failed = Some(e);
                }
                Err(copy)
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strerror_has_no_rust_suffix() {
        let e = io::Error::from_raw_os_error(libc::ENOENT);
        assert_eq!(strerror(&e), "No such file or directory");
        let e = io::Error::from_raw_os_error(libc::ERANGE);
        assert_eq!(strerror(&e), "Numerical result out of range");
    }
}
