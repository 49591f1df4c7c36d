//! Inter-process communication objects of an IPC namespace.
//!
//! - [`sysv`]: System V message queues, semaphore sets, shared memory.
//! - [`posix`]: POSIX message queues (`/dev/mqueue`), shared memory
//!   (`/dev/shm`) and named semaphores (`/dev/shm/sem.*`).
//! - [`namespace`]: looking at another IPC namespace without entering it.
//! - [`holders`]: which processes attach, map or hold each object.
//! - [`orphans`]: which objects nobody can still be using.
//!
//! Their calls fail with an [`Error`]: the errno, the call that gave it and
//! the object it was made on.

mod error;
pub mod holders;
pub mod namespace;
pub mod orphans;
pub mod posix;
pub mod sysv;

pub use error::{Error, Object, Operation, PosixKind, Result, SysvKind};

/// How a `create` call makes an IPC object: its permission bits and
/// whether an existing object of the same key or name is an error.
///
/// The default is mode `0o600`, not exclusive (an existing object is
/// opened). Only the low 9 bits of the mode are used.
///
/// # Examples
///
/// ```
/// use nsipc::ipc::CreateOptions;
/// let opts = CreateOptions::new().mode(0o644).exclusive();
/// assert_eq!(opts.mode_bits(), 0o644);
/// assert!(opts.is_exclusive());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CreateOptions {
    mode: u32,
    exclusive: bool,
}

impl CreateOptions {
    /// Mode `0o600`, not exclusive.
    pub const fn new() -> CreateOptions {
        CreateOptions {
            mode: 0o600,
            exclusive: false,
        }
    }

    /// Permission bits of a new object (System V: the low 9 bits; POSIX:
    /// the umask applies, as for `open(2)`).
    pub const fn mode(mut self, mode: u32) -> CreateOptions {
        self.mode = mode;
        self
    }

    /// Fail with `EEXIST` if the object exists (`IPC_EXCL`, `O_EXCL`)
    /// instead of opening it.
    pub const fn exclusive(mut self) -> CreateOptions {
        self.exclusive = true;
        self
    }

    /// The mode set by [`CreateOptions::mode`].
    pub const fn mode_bits(self) -> u32 {
        self.mode
    }

    /// Whether [`CreateOptions::exclusive`] was asked for.
    pub const fn is_exclusive(self) -> bool {
        self.exclusive
    }
}

impl Default for CreateOptions {
    fn default() -> CreateOptions {
        CreateOptions::new()
    }
}
