//! Safe Linux namespace and System V / POSIX IPC primitives.
//!
//! This crate is the library under the `nsipc` tools and knows nothing about
//! command lines. Every fallible call returns a typed error that keeps the
//! kernel's errno.
//!
//! - [`ipc`]: System V message queues, semaphore sets and shared memory
//!   (create, stat, set, remove, list, limits, usage), and POSIX message
//!   queues, shared memory and named semaphores.
//! - [`container`]: which container (podman, Docker, containerd, CRI-O,
//!   nspawn, LXC) a process belongs to, from cgroups and runtime state.
//! - [`ns`]: namespace kinds, unshare, setns by file or pidfd, identity,
//!   parents and owners, id maps, persistent namespaces, time offsets.

#![warn(missing_docs)]

pub mod container;
pub mod ipc;
pub mod ns;
mod procfs;

/// A process id (`pid_t`), as every function and struct of this crate
/// takes and reports it.
pub type Pid = i32;

/// The Rust examples of the README and of `docs/`, compiled (and, unless
/// marked `no_run`, run) by `cargo test --doc -p nsipc`, so that a
/// documented example cannot stop compiling unnoticed. Examples that need
/// root or would touch the host's IPC objects are `no_run`.
/// `docs/output-engine.md` is not here: its examples use the `nsipc` binary
/// crate's output engine and are compiled by that crate's unit tests
/// (`output::doc_examples`).
#[cfg(doctest)]
pub mod documentation {
    #[doc = include_str!("../../../README.md")]
    pub mod readme {}
    #[doc = include_str!("../../../docs/beyond.md")]
    pub mod beyond {}
    #[doc = include_str!("../../../docs/ipcmk-ipcrm.md")]
    pub mod ipcmk_ipcrm {}
    #[doc = include_str!("../../../docs/ipcs.md")]
    pub mod ipcs {}
    #[doc = include_str!("../../../docs/lsipc.md")]
    pub mod lsipc {}
    #[doc = include_str!("../../../docs/lsns.md")]
    pub mod lsns {}
    #[doc = include_str!("../../../docs/nsenter.md")]
    pub mod nsenter {}
    #[doc = include_str!("../../../docs/reliability.md")]
    pub mod reliability {}
    #[doc = include_str!("../../../docs/unshare.md")]
    pub mod unshare {}
}
