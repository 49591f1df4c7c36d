//! The error of the IPC calls: the errno, the call that gave it and the
//! object it was made on.
//!
//! Every fallible function of [`super::sysv`], [`super::posix`] and
//! [`super::orphans`] returns [`Result`]. An [`Error`] prints as
//!
//! ```text
//! msgctl(IPC_RMID) on message queue id 32769: Operation not permitted
//! ```
//!
//! and converts into the [`io::Error`] it holds (`?` in a function that
//! returns `io::Result`), keeping the errno.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use super::sysv::{IpcId, Key};

/// The result of the IPC calls.
pub type Result<T> = std::result::Result<T, Error>;

/// A failed IPC call: which [`Operation`], on which [`Object`], and the
/// [`io::Error`] (with the kernel's or the C library's errno) it gave.
///
/// `Display` names all three, with the errno as its `strerror` text:
/// `shmctl(SHM_LOCK) on shared memory segment id 5: Cannot allocate memory`.
/// For a file (a listing's directory, a `/proc` file) there is no "on":
/// `opendir /dev/mqueue: No such file or directory`.
///
/// # Examples
///
/// ```
/// use nsipc::ipc::sysv::{msg, IpcId};
/// // A negative id never names a queue: nothing is removed.
/// let err = msg::remove(IpcId::from_raw(-1)).unwrap_err();
/// assert_eq!(err.raw_os_error(), Some(libc::EINVAL));
/// assert_eq!(err.operation().to_string(), "msgctl(IPC_RMID)");
/// assert_eq!(
///     err.to_string(),
///     "msgctl(IPC_RMID) on message queue id -1: Invalid argument"
/// );
/// // Into an io::Error (as `?` does), the errno stays.
/// let io: std::io::Error = err.into();
/// assert_eq!(io.raw_os_error(), Some(libc::EINVAL));
/// ```
#[derive(Debug, thiserror::Error)]
#[error("{}: {}", self.context(), Strerror(&self.source))]
pub struct Error {
    operation: Operation,
    object: Object,
    #[source]
    source: io::Error,
}

impl Error {
    /// `source` from `operation` on `object`.
    pub fn new(operation: Operation, object: Object, source: io::Error) -> Error {
        Error {
            operation,
            object,
            source,
        }
    }

    /// The call or action that failed (`msgget`, `msgctl(IPC_RMID)`,
    /// `mq_open`, `opendir` …).
    pub fn operation(&self) -> Operation {
        self.operation
    }

    /// What it was made on.
    pub fn object(&self) -> &Object {
        &self.object
    }

    /// The errno, as [`io::Error::raw_os_error`].
    pub fn raw_os_error(&self) -> Option<i32> {
        self.source.raw_os_error()
    }

    /// The errno's category, as [`io::Error::kind`].
    pub fn kind(&self) -> io::ErrorKind {
        self.source.kind()
    }

    /// The underlying error (also [`std::error::Error::source`]).
    pub fn io_error(&self) -> &io::Error {
        &self.source
    }

    /// The operation and the object, without the error text.
    fn context(&self) -> impl fmt::Display + '_ {
        struct Context<'a>(&'a Error);
        impl fmt::Display for Context<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let Error {
                    operation, object, ..
                } = self.0;
                match object {
                    Object::Path(path) => write!(f, "{operation} {}", path.display()),
                    _ => write!(f, "{operation} on {object}"),
                }
            }
        }
        Context(self)
    }
}

/// The [`io::Error`] itself when it carries an errno, so that
/// [`io::Error::raw_os_error`] still gives it (an `io::Error` cannot hold
/// both an errno and a message: the operation and object are dropped).
/// An error without an errno is wrapped whole, with its kind.
impl From<Error> for io::Error {
    fn from(err: Error) -> io::Error {
        if err.source.raw_os_error().is_some() {
            err.source
        } else {
            io::Error::new(err.source.kind(), err)
        }
    }
}

/// The text of an errno as `strerror(3)` gives it, without the
/// ` (os error N)` that `io::Error` adds.
struct Strerror<'a>(&'a io::Error);

impl fmt::Display for Strerror<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0.to_string();
        match self.0.raw_os_error() {
            Some(errno) => {
                let suffix = format!(" (os error {errno})");
                f.write_str(text.strip_suffix(&suffix).unwrap_or(&text))
            }
            None => f.write_str(&text),
        }
    }
}

/// A system call or C library call, with the command for the `*ctl` ones.
///
/// Displays as `msgget`, or `msgctl(IPC_RMID)` with a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Operation {
    call: &'static str,
    command: Option<&'static str>,
}

impl Operation {
    /// The call `call` (`msgget`, `mq_open`, `opendir` …).
    pub const fn new(call: &'static str) -> Operation {
        Operation {
            call,
            command: None,
        }
    }

    /// The call `call` with `command` (`shmctl` with `SHM_LOCK`).
    pub const fn with_command(call: &'static str, command: &'static str) -> Operation {
        Operation {
            call,
            command: Some(command),
        }
    }

    /// The call's name.
    pub const fn call(self) -> &'static str {
        self.call
    }

    /// The command, for the `*ctl` calls.
    pub const fn command(self) -> Option<&'static str> {
        self.command
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.command {
            Some(command) => write!(f, "{}({command})", self.call),
            None => f.write_str(self.call),
        }
    }
}

/// What an [`Operation`] was made on.
///
/// Displays as `message queue key 0x00001234`, `semaphore set id 3`,
/// `shared memory segment index 0`, `message queues`, `POSIX message
/// queue /jobs`, or the path.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Object {
    /// A System V object named by its key (the `*get` calls).
    SysvKey(SysvKind, Key),
    /// A System V object by its id.
    SysvId(SysvKind, IpcId),
    /// A System V object by its kernel table index (`*_STAT`).
    SysvIndex(SysvKind, i32),
    /// Every object of a System V kind: limits and usage (`IPC_INFO`,
    /// `*_INFO`).
    SysvAll(SysvKind),
    /// A POSIX object by its name, as given.
    Posix(PosixKind, OsString),
    /// A file or directory (`/dev/mqueue`, `/dev/shm`, an object's file).
    Path(PathBuf),
}

impl Object {
    /// The POSIX object `name` of `kind`.
    pub fn posix(kind: PosixKind, name: &OsStr) -> Object {
        Object::Posix(kind, name.to_os_string())
    }

    /// The file or directory at `path`.
    pub fn path(path: &Path) -> Object {
        Object::Path(path.to_path_buf())
    }
}

impl fmt::Display for Object {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Object::SysvKey(kind, key) => write!(f, "{kind} key {key:#010x}"),
            Object::SysvId(kind, id) => write!(f, "{kind} id {id}"),
            Object::SysvIndex(kind, index) => write!(f, "{kind} index {index}"),
            Object::SysvAll(kind) => write!(f, "{kind}s"),
            Object::Posix(kind, name) => write!(f, "{kind} {}", Path::new(name).display()),
            Object::Path(path) => write!(f, "{}", path.display()),
        }
    }
}

/// The three kinds of System V objects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SysvKind {
    /// A message queue ([`super::sysv::msg`]).
    MessageQueue,
    /// A semaphore set ([`super::sysv::sem`]).
    SemaphoreSet,
    /// A shared memory segment ([`super::sysv::shm`]).
    SharedMemory,
}

impl fmt::Display for SysvKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SysvKind::MessageQueue => "message queue",
            SysvKind::SemaphoreSet => "semaphore set",
            SysvKind::SharedMemory => "shared memory segment",
        })
    }
}

/// The three kinds of POSIX objects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PosixKind {
    /// A message queue ([`super::posix::mqueue`]).
    MessageQueue,
    /// A named semaphore ([`super::posix::sem`]).
    Semaphore,
    /// A shared memory object ([`super::posix::shm`]).
    SharedMemory,
}

impl fmt::Display for PosixKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PosixKind::MessageQueue => "POSIX message queue",
            PosixKind::Semaphore => "POSIX semaphore",
            PosixKind::SharedMemory => "POSIX shared memory object",
        })
    }
}

/// `map_err` of an `io::Result` from `operation` on `object`.
pub(crate) fn on(operation: Operation, object: Object) -> impl FnOnce(io::Error) -> Error {
    move |source| Error::new(operation, object, source)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    fn errno(e: i32) -> io::Error {
        io::Error::from_raw_os_error(e)
    }

    #[test]
    fn display_names_operation_and_object_without_os_error() {
        let cases = [
            (
                Error::new(
                    Operation::with_command("msgctl", "IPC_RMID"),
                    Object::SysvId(SysvKind::MessageQueue, IpcId::from_raw(32769)),
                    errno(libc::EPERM),
                ),
                "msgctl(IPC_RMID) on message queue id 32769: Operation not permitted",
            ),
            (
                Error::new(
                    Operation::new("msgget"),
                    Object::SysvKey(SysvKind::MessageQueue, Key::from_raw(0x1234)),
                    errno(libc::ENOENT),
                ),
                "msgget on message queue key 0x00001234: No such file or directory",
            ),
            (
                Error::new(
                    Operation::new("shmget"),
                    Object::SysvKey(SysvKind::SharedMemory, Key::from_raw(-1)),
                    errno(libc::EACCES),
                ),
                "shmget on shared memory segment key 0xffffffff: Permission denied",
            ),
            (
                Error::new(
                    Operation::with_command("semctl", "SEM_STAT"),
                    Object::SysvIndex(SysvKind::SemaphoreSet, 3),
                    errno(libc::EINVAL),
                ),
                "semctl(SEM_STAT) on semaphore set index 3: Invalid argument",
            ),
            (
                Error::new(
                    Operation::with_command("shmctl", "SHM_INFO"),
                    Object::SysvAll(SysvKind::SharedMemory),
                    errno(libc::ENOSYS),
                ),
                "shmctl(SHM_INFO) on shared memory segments: Function not implemented",
            ),
            (
                Error::new(
                    Operation::new("mq_open"),
                    Object::posix(PosixKind::MessageQueue, OsStr::new("/jobs")),
                    errno(libc::EEXIST),
                ),
                "mq_open on POSIX message queue /jobs: File exists",
            ),
            (
                Error::new(
                    Operation::new("shm_unlink"),
                    Object::posix(PosixKind::SharedMemory, OsStr::new("frame")),
                    errno(libc::ENOENT),
                ),
                "shm_unlink on POSIX shared memory object frame: No such file or directory",
            ),
            (
                Error::new(
                    Operation::new("opendir"),
                    Object::path(Path::new("/dev/mqueue")),
                    errno(libc::ENOENT),
                ),
                "opendir /dev/mqueue: No such file or directory",
            ),
        ];
        for (err, want) in cases {
            let text = err.to_string();
            assert_eq!(text, want);
            assert!(!text.contains("os error"), "{text}");
        }
    }

    #[test]
    fn accessors_and_source() {
        let err = Error::new(
            Operation::with_command("shmctl", "SHM_LOCK"),
            Object::SysvId(SysvKind::SharedMemory, IpcId::from_raw(5)),
            errno(libc::EPERM),
        );
        assert_eq!(err.raw_os_error(), Some(libc::EPERM));
        assert_eq!(err.kind(), io::ErrorKind::PermissionDenied);
        assert_eq!(err.operation().call(), "shmctl");
        assert_eq!(err.operation().command(), Some("SHM_LOCK"));
        assert_eq!(
            err.object(),
            &Object::SysvId(SysvKind::SharedMemory, IpcId::from_raw(5))
        );
        let source = err.source().expect("a source");
        let io = source.downcast_ref::<io::Error>().expect("an io::Error");
        assert_eq!(io.raw_os_error(), Some(libc::EPERM));
    }

    #[test]
    fn errno_survives_conversion_into_io_error() {
        fn through_question_mark() -> io::Result<()> {
            Err(Error::new(
                Operation::new("sem_unlink"),
                Object::posix(PosixKind::Semaphore, OsStr::new("s")),
                errno(libc::ENAMETOOLONG),
            ))?;
            Ok(())
        }
        let io = through_question_mark().unwrap_err();
        assert_eq!(io.raw_os_error(), Some(libc::ENAMETOOLONG));
        assert_eq!(io.kind(), errno(libc::ENAMETOOLONG).kind());
    }

    /// Real calls that fail without changing anything in the caller's
    /// IPC namespace: the kernel rejects a negative id before looking
    /// anything up, and `msgget(key, 0)` of a key no queue has creates
    /// nothing.
    #[test]
    fn real_failures_name_their_call_and_object() {
        use crate::ipc::sysv::{msg, sem, shm};
        let none = IpcId::from_raw(-1);
        let err = msg::remove(none).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EINVAL));
        assert_eq!(
            err.to_string(),
            "msgctl(IPC_RMID) on message queue id -1: Invalid argument"
        );
        let err = shm::unlock(none).unwrap_err();
        assert_eq!(
            err.to_string(),
            "shmctl(SHM_UNLOCK) on shared memory segment id -1: Invalid argument"
        );
        let err = sem::stat(none).unwrap_err();
        assert_eq!(
            err.to_string(),
            "semctl(IPC_STAT) on semaphore set id -1: Invalid argument"
        );
        let err = io::Error::from(sem::remove(none).unwrap_err());
        assert_eq!(err.raw_os_error(), Some(libc::EINVAL));

        let used: Vec<Key> = msg::list()
            .unwrap_or_default()
            .iter()
            .map(|q| q.perm.key)
            .collect();
        let key = (0x6e73_6970..)
            .map(Key::from_raw)
            .find(|k| !used.contains(k))
            .unwrap();
        let err = msg::lookup(key).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::ENOENT));
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
        assert_eq!(err.object(), &Object::SysvKey(SysvKind::MessageQueue, key));
        assert_eq!(
            err.to_string(),
            format!("msgget on message queue key {key:#010x}: No such file or directory")
        );
    }

    #[test]
    fn errors_without_errno_keep_their_context_in_io_error() {
        let err = Error::new(
            Operation::new("read"),
            Object::path(Path::new("/proc/sysvipc/shm")),
            io::Error::new(io::ErrorKind::InvalidData, "garbage"),
        );
        let io = io::Error::from(err);
        assert_eq!(io.kind(), io::ErrorKind::InvalidData);
        assert_eq!(io.to_string(), "read /proc/sysvipc/shm: garbage");
    }
}
