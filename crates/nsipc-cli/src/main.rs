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
//! (`unshare -iu true` is benchmarked against util-linux, bench/unshare),
//! and the SIGPIPE change would reach the programs unshare and nsenter
//! run. So, as in a C program, every signal disposition and the signal
//! mask stay exactly as the caller gave them (an ignored SIGPIPE stays
//! ignored, for us and for the program). What matters of the start-up is
//! kept: arguments still come from `std::env::args_os` (glibc hands them
//! to std's init hook), and closed standard descriptors are reopened on
//! /dev/null first — close-on-exec, so the program still finds them closed.
//!
//! A setuid, setgid or file-capability copy of nsipc (`AT_SECURE`) refuses
//! to run: see [`refuse_elevated_privileges`].

#![cfg_attr(not(test), no_main)]

mod allns;
mod alloc;
mod containers;
mod doc;
mod exec;
mod filter;
mod getopt;
mod multicall;
mod names;
mod numparse;
mod orphans;
mod output;
mod report;
mod stderr;
mod tools;
mod values;

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use report::Prog;

/// Allocation failures end the tool as util-linux's `xmalloc` does.
#[global_allocator]
static GLOBAL: alloc::Checked = alloc::Checked;

/// The process entry point, called by the C runtime.
#[cfg(not(test))]
#[no_mangle]
pub extern "C" fn main(_argc: libc::c_int, _argv: *const *const libc::c_char) -> libc::c_int {
    report::note_stderr_state();
    ensure_standard_fds();
    if let Some(status) = refuse_elevated_privileges() {
        return status;
    }
    run()
}

/// nsipc is not made to run with more privilege than its caller (nor are
/// util-linux's tools): a setuid-root copy would let anyone join any
/// process's namespaces, read any process's environment or remove anyone's
/// IPC objects. When the kernel ran us with `AT_SECURE` set (setuid,
/// setgid or file capabilities that the caller lacks), the tool refuses
/// before reading its command line, so such a packaging mistake grants
/// nothing. Returns the exit status to end with, or `None` to go on.
fn refuse_elevated_privileges() -> Option<i32> {
    // SAFETY: getauxval only reads the auxiliary vector.
    if unsafe { libc::getauxval(libc::AT_SECURE) } == 0 {
        return None;
    }
    let argv0 = std::env::args_os().next().unwrap_or_else(|| "nsipc".into());
    let name = match basename(&argv0) {
        name if tools::find(&name).is_some() => name,
        _ => "nsipc".to_string(),
    };
    let prog = Prog::new(&name, &argv0.to_string_lossy());
    let report::Failure(status) = prog.fail(
        "refusing to run with privileges the caller does not have \
         (setuid, setgid or file capabilities)",
    );
    Some(status)
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
            // Close-on-exec: our own output is safe, and the program
            // unshare or nsenter runs still finds the descriptor closed,
            // as the caller left it (and as util-linux leaves it).
            // SAFETY: open of a constant NUL-terminated path; the lowest
            // free descriptor, i.e. the closed one, is taken.
            unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDWR | libc::O_CLOEXEC) };
        }
    }
}

fn run() -> i32 {
    // No signal is touched here: without Rust's start-up SIGPIPE is as the
    // caller left it, as in util-linux (default: `ipcs | head` dies
    // silently; ignored: a write error, and the program run by unshare or
    // nsenter inherits the ignored SIGPIPE).
    let mut args: Vec<OsString> = std::env::args_os().collect();
    let argv0 = args.first().cloned().unwrap_or_else(|| "nsipc".into());
    let called_as = basename(&argv0);

    let status = if let Some(tool) = tools::find(&called_as) {
        args.remove(0);
        (tool.main)(&Prog::new(tool.name, &crate::report::shown(&argv0)), args)
    } else {
        args.remove(0);
        multicall::main(&Prog::new("nsipc", &crate::report::shown(&argv0)), args)
    };
    report::exit(status);
}

/// Under `cargo test` the harness supplies the entry point; this keeps the
/// real one's code checked.
#[cfg(test)]
fn main() {
    report::note_stderr_state();
    ensure_standard_fds();
    if refuse_elevated_privileges().is_none() {
        run();
    }
}

fn basename(arg0: &OsString) -> String {
    let name = Path::new(arg0)
        .file_name()
        .map(|n| n.as_bytes())
        .unwrap_or_default();
    String::from_utf8_lossy(name).into_owned()
}
