//! POSIX message queues (the mqueue file system on `/dev/mqueue`).

use crate::ipc::{CreateOptions, Operation, PosixKind, Result};
use std::ffi::{CStr, OsStr, OsString};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStringExt;
use std::path::Path;

use rustix::fs::{Mode, OFlags};

use super::{on_name, scan, stat_at, sys, Attrs, MQUEUE_DIR};

const KIND: PosixKind = PosixKind::MessageQueue;

/// A message queue as listed from `/dev/mqueue`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MqObject {
    /// The queue name with its leading `/` (`/q` for `/dev/mqueue/q`).
    pub name: OsString,
    /// Owner, mode and times of the queue file.
    pub attrs: Attrs,
    /// Bytes queued (`QSIZE:` in the queue file); `None` when the file
    /// cannot be read (no read permission). util-linux leaves such queues
    /// out of its listings.
    pub qsize: Option<u64>,
    /// `mq_getattr` of the listed queue file; `None` when it cannot be
    /// opened for reading, or is no queue. (util-linux asks `mq_open` of
    /// the name in the caller's IPC namespace instead, does not check it,
    /// and prints garbage when it fails.)
    pub attr: Option<MqAttr>,
}

/// The attributes `mq_getattr(3)` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MqAttr {
    /// `mq_flags`: 0 or `O_NONBLOCK`.
    pub flags: i64,
    /// Capacity in messages (`mq_maxmsg`).
    pub max_messages: i64,
    /// Largest message in bytes (`mq_msgsize`).
    pub message_size: i64,
    /// Messages queued now (`mq_curmsgs`).
    pub messages: i64,
}

/// The POSIX queue limits of `/proc/sys/fs/mqueue` (of the IPC namespace
/// of the caller); `None` where a file is missing or unreadable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MqLimits {
    /// `queues_max`: queues in the system.
    pub queues_max: Option<u64>,
    /// `msgsize_max`: largest message.
    pub msgsize_max: Option<u64>,
    /// `msg_max`: messages in a queue.
    pub msg_max: Option<u64>,
}

/// Creates the queue `name` (which must start with `/`) with default
/// attributes and permissions `mode` (`mq_open(O_RDWR|O_CREAT)`; the umask
/// applies). With `exclusive` (`O_EXCL`) an existing queue is an `EEXIST`
/// error instead of being opened.
///
/// # Errors
///
/// `mq_open` on the name: `EINVAL` (no leading `/`, or an embedded NUL),
/// `EEXIST` (exclusive, and the queue exists), `EACCES`, `ENOSPC`
/// (`queues_max` reached), `EMFILE` (`RLIMIT_MSGQUEUE` reached).
///
/// # Examples
///
/// ``` no_run
/// use std::ffi::OsStr;
/// use nsipc::ipc::posix::mqueue;
/// use nsipc::ipc::CreateOptions;
/// mqueue::create(OsStr::new("/jobs"), CreateOptions::new().mode(0o600).exclusive())?;
/// mqueue::remove(OsStr::new("/jobs"))?;
/// # Ok::<(), nsipc::ipc::Error>(())
/// ```
///
/// # References
/// - [mq_open(3)](https://man7.org/linux/man-pages/man3/mq_open.3.html)
/// - [mq_unlink(3)](https://man7.org/linux/man-pages/man3/mq_unlink.3.html)
/// - [mq_overview(7)](https://man7.org/linux/man-pages/man7/mq_overview.7.html)
#[doc(alias = "mq_open")]
pub fn create(name: &OsStr, opts: CreateOptions) -> Result<()> {
    let (mode, exclusive) = (opts.mode_bits(), opts.is_exclusive());
    let mut oflag = libc::O_RDWR | libc::O_CREAT;
    if exclusive {
        oflag |= libc::O_EXCL;
    }
    sys::c_name(name)
        .and_then(|cname| sys::mq_open(&cname, oflag, mode))
        .map(drop)
        .map_err(on_name(MQ_OPEN, KIND, name))
}

const MQ_OPEN: Operation = Operation::new("mq_open");

/// Removes the queue `name` (`mq_unlink(3)`; the name must start with
/// `/`, else `EINVAL`).
///
/// # Errors
///
/// `mq_unlink` on the name: `ENOENT`, `EACCES`, `EINVAL`.
#[doc(alias = "mq_unlink")]
pub fn remove(name: &OsStr) -> Result<()> {
    sys::c_name(name)
        .and_then(|cname| sys::mq_unlink(&cname))
        .map_err(on_name(Operation::new("mq_unlink"), KIND, name))
}

/// The attributes of the queue `name` (opened read-only).
///
/// # Errors
///
/// `mq_open` on the name (`ENOENT`, `EACCES`, `EINVAL`), or
/// `mq_getattr`.
#[doc(alias = "mq_getattr")]
pub fn getattr(name: &OsStr) -> Result<MqAttr> {
    let mqd = sys::c_name(name)
        .and_then(|cname| sys::mq_open(&cname, libc::O_RDONLY, 0))
        .map_err(on_name(MQ_OPEN, KIND, name))?;
    let a = sys::mq_getattr(&mqd).map_err(on_name(Operation::new("mq_getattr"), KIND, name))?;
    Ok(MqAttr {
        flags: a.mq_flags,
        max_messages: a.mq_maxmsg,
        message_size: a.mq_msgsize,
        messages: a.mq_curmsgs,
    })
}

/// Every queue in `/dev/mqueue`.
///
/// # Errors
///
/// [`OPENDIR`](super::OPENDIR) on `/dev/mqueue`, with `ENOENT` when the
/// directory does not exist (nothing mounted mqueue), or
/// [`READDIR`](super::READDIR). A queue that cannot be read or opened is
/// still listed, without `qsize` or `attr`.
///
/// # Examples
///
/// ```
/// use nsipc::ipc::posix::mqueue;
/// // Fails (opendir, ENOENT) when nothing is mounted on /dev/mqueue.
/// if let Ok(queues) = mqueue::list() {
///     for q in queues {
///         println!("{} {:?} bytes queued", q.name.to_string_lossy(), q.qsize);
///     }
/// }
/// ```
///
/// # References
/// - [mq_overview(7)](https://man7.org/linux/man-pages/man7/mq_overview.7.html)
pub fn list() -> Result<Vec<MqObject>> {
    scan(
        Path::new(MQUEUE_DIR),
        |_| true,
        |dir, file, _| {
            let (attrs, qsize, attr) = read(dir, &file)?;
            let mut name = Vec::with_capacity(file.as_bytes().len() + 1);
            name.push(b'/');
            name.extend_from_slice(file.as_bytes());
            Some(MqObject {
                name: OsString::from_vec(name),
                attrs,
                qsize,
                attr,
            })
        },
    )
}

/// The attributes, `QSIZE:` and `mq_getattr` of the queue file `file` in
/// `dir`; `None` when the file is gone.
///
/// The file is opened once, read-only (what `mq_open(O_RDONLY)` needs
/// too), and serves all three: `fstat` for the attributes, `read` for
/// `QSIZE:`, and `mq_getattr` on the descriptor itself, so the figures are
/// those of the listed queue even when `/dev/mqueue` belongs to another
/// IPC namespace than the caller's (a queue looked up by name with
/// `mq_open` would be the caller's namespace's). A file that cannot be
/// opened gets its attributes from `stat` of the name and neither figure.
fn read(dir: BorrowedFd<'_>, file: &CStr) -> Option<(Attrs, Option<u64>, Option<MqAttr>)> {
    let Ok(fd) = rustix::fs::openat(dir, file, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())
    else {
        return Some((stat_at(dir, file)?, None, None));
    };
    let attrs = match rustix::fs::fstat(&fd) {
        Ok(st) => Attrs::from_stat(&st),
        Err(_) => stat_at(dir, file)?,
    };
    let qsize = read_qsize(&fd);
    let attr = sys::mq_getattr_fd(fd.as_fd()).ok().map(MqAttr::from);
    Some((attrs, qsize, attr))
}

impl From<libc::mq_attr> for MqAttr {
    fn from(a: libc::mq_attr) -> Self {
        MqAttr {
            flags: a.mq_flags,
            max_messages: a.mq_maxmsg,
            message_size: a.mq_msgsize,
            messages: a.mq_curmsgs,
        }
    }
}

/// The POSIX queue limits of the caller's IPC namespace.
pub fn limits() -> MqLimits {
    let read = |file: &str| {
        let text = std::fs::read_to_string(Path::new("/proc/sys/fs/mqueue").join(file)).ok()?;
        text.trim().parse().ok()
    };
    MqLimits {
        queues_max: read("queues_max"),
        msgsize_max: read("msgsize_max"),
        msg_max: read("msg_max"),
    }
}

/// `QSIZE:` of an open queue file (the first line is short: 128 bytes
/// suffice).
fn read_qsize(fd: &OwnedFd) -> Option<u64> {
    let mut buf = [0u8; 128];
    let n = rustix::io::retry_on_intr(|| rustix::io::read(fd, &mut buf)).ok()?;
    qsize_of(&buf[..n])
}

/// [`qsize_of`], public for the fuzz targets (`fuzzing` feature).
#[cfg(feature = "fuzzing")]
pub fn parse_qsize(text: &[u8]) -> Option<u64> {
    qsize_of(text)
}

/// Parses `QSIZE:<decimal>` at the start of a queue file, allowing blanks
/// before the number as `fscanf("QSIZE:%lu")` does.
fn qsize_of(text: &[u8]) -> Option<u64> {
    let rest = text.strip_prefix(b"QSIZE:")?;
    let start = rest.iter().position(|b| !b.is_ascii_whitespace())?;
    let digits: &[u8] = &rest[start..];
    let len = digits.iter().take_while(|b| b.is_ascii_digit()).count();
    std::str::from_utf8(&digits[..len]).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qsize_parsing() {
        let cases: &[(&[u8], Option<u64>)] = &[
            (
                b"QSIZE:0          NOTIFY:0     SIGNO:0     NOTIFY_PID:0     \n",
                Some(0),
            ),
            (b"QSIZE:123        NOTIFY:0", Some(123)),
            (b"QSIZE:  7", Some(7)),
            (b"QSIZE:18446744073709551615 ", Some(u64::MAX)),
            (b"QSIZE:18446744073709551616 ", None),
            (b"QSIZE:", None),
            (b"QSIZE:x", None),
            (b"qsize:1", None),
            (b"", None),
            (b"\xff\xfe", None),
        ];
        for (text, want) in cases {
            assert_eq!(qsize_of(text), *want, "{:?}", String::from_utf8_lossy(text));
        }
    }

    #[test]
    fn names_with_nul_are_invalid() {
        let err = remove(OsStr::new("/a\0b")).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EINVAL));
        assert_eq!(err.operation(), Operation::new("mq_unlink"));
        assert_eq!(
            err.to_string(),
            "mq_unlink on POSIX message queue /a\0b: Invalid argument"
        );
    }

    /// A real call that fails without touching any queue: glibc rejects a
    /// name without a leading `/` before any system call.
    #[test]
    fn failing_call_names_the_queue() {
        let err = getattr(OsStr::new("no-slash")).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EINVAL));
        assert_eq!(
            err.object(),
            &crate::ipc::Object::posix(KIND, OsStr::new("no-slash"))
        );
        assert_eq!(
            err.to_string(),
            "mq_open on POSIX message queue no-slash: Invalid argument"
        );
    }
}
