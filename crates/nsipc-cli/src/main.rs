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
//! to run: see `nsipc_cli::start::refuse_elevated_privileges`.

#![no_main]

use nsipc_cli::{alloc, report, start};

/// Allocation failures end the tool as util-linux's `xmalloc` does.
#[global_allocator]
static GLOBAL: alloc::Checked = alloc::Checked;

/// The process entry point, called by the C runtime.
// `no_mangle` counts as unsafe code: the symbol must be C's `main`.
#[allow(unsafe_code)]
#[no_mangle]
pub extern "C" fn main(_argc: libc::c_int, _argv: *const *const libc::c_char) -> libc::c_int {
    report::note_stderr_state();
    start::ensure_standard_fds();
    if let Some(status) = start::refuse_elevated_privileges() {
        return status;
    }
    start::run()
}
