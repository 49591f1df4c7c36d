//! The CLI's integration tests, as one test binary: a module per tool or
//! concern, all sharing the [`common`] sandbox (compiled once).
//!
//! `cargo test -p nsipc-cli --test cli` runs them; `cargo test -p nsipc-cli
//! --test cli ipcs::` runs one module. Long tests (the soak) run only with
//! `NSIPC_LONG_TESTS=1` (see [`common::long_tests`]); `scripts/test.sh` sets
//! it.

// The tests set up namespaces and IPC objects in pre_exec hooks and raw
// libc calls (each block with its `// SAFETY:` comment).
#![allow(unsafe_code)]

#[macro_use]
mod common;
mod ipc_state;

mod bad_input;
mod beyond;
mod caller_state;
mod completion;
mod containers;
mod docs;
mod documentation;
mod fault_injection;
mod foreign_proc;
mod harness;
mod holders;
mod ipcmk;
mod ipcrm;
mod ipcs;
mod limits;
mod lsipc;
mod lsipc_listing;
mod lsns;
mod lsns_sources;
mod messages;
mod names;
mod nsenter;
mod nsenter_credentials;
mod nsenter_process;
mod races;
mod signals;
mod soak;
mod sort;
mod suite;
mod unshare;
mod unshare_ids;
mod unshare_persist;
mod unshare_process;
