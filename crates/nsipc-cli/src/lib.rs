//! The code of the `nsipc` binary, as a library for the binary itself, its
//! fuzz targets (fuzz/) and its unit tests.
//!
//! **Not a stable API.** The modules are public so that the fuzz crate can
//! reach the parsers; names and signatures change with any release. The
//! library for other programs is the `nsipc` crate.
//!
//! `unsafe` code is denied in this crate (workspace lints) except in the
//! modules below that call into the C library or the kernel directly, each
//! allowed on its `mod` line with the reason.

#![doc(hidden)]

pub mod allns;
// The global allocator (GlobalAlloc is an unsafe trait; write(2) and _exit
// on failure).
#[allow(unsafe_code)]
pub mod alloc;
pub mod containers;
pub mod doc;
// fork, waitpid, execvp, prctl: the process calls of unshare and nsenter.
#[allow(unsafe_code)]
pub mod exec;
// regcomp/regexec, the C library's POSIX regular expressions (`=~`).
#[allow(unsafe_code)]
pub mod filter;
pub mod getopt;
pub mod multicall;
// getpwuid_r, getgrgid_r, getpwnam_r, getgrnam_r (NSS, only in the C library).
#[allow(unsafe_code)]
pub mod names;
pub mod numparse;
pub mod orphans;
pub mod output;
pub mod proc_command;
pub mod report;
// sigprocmask, sigaction, kill: rustix has no signal calls for programs.
#[allow(unsafe_code)]
pub mod signals;
// getauxval(AT_SECURE), poll and open of the standard descriptors at start-up.
#[allow(unsafe_code)]
pub mod start;
// fcntl(F_GETFD) on fd 2 before anything can open it.
#[allow(unsafe_code)]
pub mod stderr;
pub mod tools;
pub mod values;
