//! `nsipc`: util-linux's namespace and IPC tools in one multi-call binary.
//!
//! Called through a link named after a tool (`ipcs`, `unshare`, …) it runs
//! that tool; `nsipc TOOL ARGS…` does the same; `nsipc --install DIR` creates
//! the links.
//!
//! The binary has its own C `main` instead of Rust's runtime start-up
//! (`lang_start`): that start-up reads `/proc/self/maps` to place a stack
//! guard, maps an alternate signal stack with SIGSEGV/SIGBUS handlers and
//! ignores SIGPIPE — needless work for tools that run for a millisecond
//! (`unshare -iu true` is benchmarked against util-linux, bench/unshare).
//! What matters of it is kept: arguments still come from
//! `std::env::args_os` (glibc hands them to std's init hook), and closed
//! standard descriptors are reopened on /dev/null first.

#![cfg_attr(not(test), no_main)]

mod allns;
mod containers;
mod doc;
mod exec;
mod filter;
mod getopt;
mod multicall;
mod names;
mod numparse;
mod output;
mod report;
mod tools;

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use report::Prog;

/// The process entry point, called by the C runtime.
#[cfg(not(test))]
#[no_mangle]
pub extern "C" fn main(_argc: libc::c_int, _argv: *const *const libc::c_char) -> libc::c_int {
    ensure_standard_fds();
    run()
}

/// As Rust's runtime does: if fd 0, 1 or 2 is closed, open /dev/null on
/// it, so that no file opened later becomes someone's stdout by accident.
fn ensure_standard_fds() {
    let mut fds = [0, 1, 2].map(|fd| libc::pollfd {
        fd,
        events: 0,
        revents: 0,
    });
    // SAFETY: poll reads and writes the three initialised pollfds.
    if unsafe { libc::poll(fds.as_mut_ptr(), 3, 0) } < 0 {
        return;
    }
    for pfd in fds {
        if pfd.revents & libc::POLLNVAL != 0 {
            // SAFETY: open of a constant NUL-terminated path; the lowest
            // free descriptor, i.e. the closed one, is taken.
            unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDWR) };
        }
    }
}

fn run() -> i32 {
    // C programs die silently on a closed pipe (`ipcs | head`), and the
    // programs unshare/nsenter exec must not inherit Rust's SIG_IGN.
    // SAFETY: resetting a signal disposition to its default is always sound.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };

    let mut args: Vec<OsString> = std::env::args_os().collect();
    let argv0 = args.first().cloned().unwrap_or_else(|| "nsipc".into());
    let called_as = basename(&argv0);

    let status = if let Some(tool) = tools::find(&called_as) {
        args.remove(0);
        (tool.main)(&Prog::new(tool.name, &argv0.to_string_lossy()), args)
    } else {
        args.remove(0);
        multicall::main(&Prog::new("nsipc", &argv0.to_string_lossy()), args)
    };
    std::process::exit(status);
}

/// Under `cargo test` the harness supplies the entry point; this keeps the
/// real one's code checked.
#[cfg(test)]
fn main() {
    ensure_standard_fds();
    run();
}

fn basename(arg0: &OsString) -> String {
    let name = Path::new(arg0)
        .file_name()
        .map(|n| n.as_bytes())
        .unwrap_or_default();
    String::from_utf8_lossy(name).into_owned()
}
