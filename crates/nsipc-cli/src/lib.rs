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
pub mod alloc;
pub mod containers;
pub mod doc;
pub mod exec;
pub mod filter;
pub mod getopt;
pub mod multicall;
pub mod names;
pub mod numparse;
pub mod orphans;
pub mod output;
pub mod report;
pub mod signals;
pub mod start;
pub mod stderr;
pub mod tools;
pub mod values;
