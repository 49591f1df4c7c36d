//! Inter-process communication objects of an IPC namespace.
//!
//! - [`sysv`]: System V message queues, semaphore sets, shared memory.
//! - [`posix`]: POSIX message queues (`/dev/mqueue`), shared memory
//!   (`/dev/shm`) and named semaphores (`/dev/shm/sem.*`).
//! - [`namespace`]: looking at another IPC namespace without entering it.
//! - [`holders`]: which processes attach, map or hold each object.
//! - [`orphans`]: which objects nobody can still be using.

pub mod holders;
pub mod namespace;
pub mod orphans;
pub mod posix;
pub mod sysv;
