//! Inter-process communication objects of an IPC namespace.
//!
//! - [`sysv`]: System V message queues, semaphore sets, shared memory.
//! - [`posix`]: POSIX message queues (`/dev/mqueue`), shared memory
//!   (`/dev/shm`) and named semaphores (`/dev/shm/sem.*`).
//! - [`namespace`]: looking at another IPC namespace without entering it.

pub mod namespace;
pub mod posix;
pub mod sysv;
