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

pub mod container;
pub mod ipc;
pub mod ns;
