//! `ipcmk`: create System V and POSIX IPC objects.
//!
//! Compatible with util-linux master (`-M -Q -S -p`, and the POSIX `-m -q -s`
//! with `-n`), with these fixes (see docs/ipcmk-ipcrm.md):
//! - random keys are created with `IPC_EXCL` and retried on collision (and
//!   never 0), so an existing object is never returned as if new; POSIX
//!   objects are created with `O_EXCL` for the same reason;
//! - `-M` and `-m` keep separate sizes;
//! - when one of several requested objects cannot be created, or their ids
//!   and names cannot be written to stdout, the ones made are removed
//!   again: a failed run leaves nothing behind;
//! - for System V objects only the permission bits of `-p` are used
//!   (util-linux ORs the whole mode into the flags, where `04000` means
//!   `SHM_HUGETLB`);
//! - `--key KEY` creates the System V objects with that key.

use std::ffi::OsString;
use std::io::{self, Write};

use nsipc::ipc::posix;
use nsipc::ipc::sysv::{self, IpcId};
use nsipc::ipc::CreateOptions;

/// A `key_t` as given on the command line or drawn at random.
type Key = i32;

use crate::getopt::{Arg, Getopt};
use crate::numparse::{
    errno_failure, number_failure, parse_key, parse_mode, parse_or_fail, parse_size,
};
use crate::report::{Failure, Prog, Stdout, ToolResult};

pub use super::ipcmk_opts::{Id, SPEC};

/// What the command line asks for.
#[derive(Debug, Default)]
struct Request {
    shm_size: Option<u64>,
    posix_shm_size: Option<u64>,
    queue: bool,
    posix_queue: bool,
    nsems: Option<i32>,
    posix_sem: bool,
    mode: u32,
    name: Option<OsString>,
    key: Option<Key>,
}

impl Request {
    fn wants_posix(&self) -> bool {
        self.posix_shm_size.is_some() || self.posix_queue || self.posix_sem
    }

    fn wants_anything(&self) -> bool {
        self.shm_size.is_some() || self.queue || self.nsems.is_some() || self.wants_posix()
    }
}

pub fn main(prog: &Prog, args: Vec<OsString>) -> i32 {
    let mut out = Stdout::new();
    let status = match run(prog, args, &mut out) {
        Ok(status) => status,
        Err(Failure(status)) => status,
    };
    out.finish(prog, status)
}

fn run(prog: &Prog, args: Vec<OsString>, out: &mut Stdout) -> ToolResult {
    let Some(request) = parse(prog, args, out)? else {
        return Ok(0);
    };
    let made = create_all(prog, &request)?;
    for object in &made {
        let _ = out.write_all(&object.describe());
    }
    // An object whose id or name could not be written (`> /dev/full`, a
    // closed pipe) is one nobody can find to remove: take them all back,
    // so that a failed run leaves nothing. `finish` reports the error.
    if !out.delivered() {
        for object in made.iter().rev() {
            object.undo();
        }
    }
    Ok(0)
}

/// Parses the command line in order, as util-linux does, so the first bad
/// value is the one reported. `Ok(None)`: help or version was printed.
fn parse(prog: &Prog, args: Vec<OsString>, out: &mut Stdout) -> Result<Option<Request>, Failure> {
    let mut request = Request {
        mode: 0o644,
        ..Request::default()
    };
    let mut getopt = Getopt::new(&SPEC, args);
    while let Some(arg) = getopt.next_or_fail(prog)? {
        // Operands are ignored, as by util-linux.
        let Arg::Opt(id, value) = arg else { continue };
        let value = value.unwrap_or_default();
        let text = crate::report::shown(&value);
        match id {
            Id::Shm => request.shm_size = Some(size(prog, &text)?),
            Id::PosixShm => request.posix_shm_size = Some(size(prog, &text)?),
            Id::Sem => {
                request.nsems = Some(parse_or_fail(prog, &value, 10, "failed to parse elements")?)
            }
            Id::PosixSem => request.posix_sem = true,
            Id::Queue => request.queue = true,
            Id::PosixQueue => request.posix_queue = true,
            Id::Mode => {
                request.mode = parse_mode(&text)
                    .map_err(|e| number_failure(prog, "failed to parse mode", &text, e))?
            }
            Id::Name => request.name = Some(value),
            Id::Key => {
                request.key = Some(
                    parse_key(&text, 0)
                        .map_err(|e| number_failure(prog, "failed to parse key", &text, e))?,
                )
            }
            Id::Help => {
                let _ = out.write_all(SPEC.help().as_bytes());
                return Ok(None);
            }
            Id::Version => {
                let _ = out.write_all(prog.version().as_bytes());
                return Ok(None);
            }
        }
    }
    if !request.wants_anything() {
        return Err(prog.usage_error("bad usage"));
    }
    if request.wants_posix() && request.name.is_none() {
        return Err(prog.usage_error("name is required for POSIX IPC"));
    }
    Ok(Some(request))
}

/// `ul_parse_size` with util-linux's message (always with strerror).
fn size(prog: &Prog, text: &str) -> Result<u64, Failure> {
    parse_size(text).map_err(|e| errno_failure(prog, "failed to parse size", text, e))
}

/// An object this run made.
enum Made {
    Shm(IpcId),
    PosixShm(OsString),
    Queue(IpcId),
    PosixQueue(OsString),
    Sem(IpcId),
    PosixSem(OsString),
}

impl Made {
    /// The line util-linux prints for it; names as given, byte for byte.
    fn describe(&self) -> Vec<u8> {
        use std::os::unix::ffi::OsStrExt;
        let (label, value) = match self {
            Made::Shm(id) => ("Shared memory id", id.to_string().into_bytes()),
            Made::PosixShm(name) => ("POSIX shared memory name", name.as_bytes().to_vec()),
            Made::Queue(id) => ("Message queue id", id.to_string().into_bytes()),
            Made::PosixQueue(name) => ("POSIX message queue name", name.as_bytes().to_vec()),
            Made::Sem(id) => ("Semaphore id", id.to_string().into_bytes()),
            Made::PosixSem(name) => ("POSIX semaphore name", name.as_bytes().to_vec()),
        };
        let mut line = format!("{label}: ").into_bytes();
        line.extend_from_slice(&value);
        line.push(b'\n');
        line
    }

    /// Removes it again. Only objects this run created exclusively get
    /// here, so nothing that existed before is touched.
    fn undo(&self) {
        let _ = match self {
            Made::Shm(id) => sysv::shm::remove(*id),
            Made::PosixShm(name) => posix::shm::remove(name),
            Made::Queue(id) => sysv::msg::remove(*id),
            Made::PosixQueue(name) => posix::mqueue::remove(name),
            Made::Sem(id) => sysv::sem::remove(*id),
            Made::PosixSem(name) => posix::sem::remove(name),
        };
    }
}

/// Creates everything requested, in util-linux's order (and output order):
/// shm, POSIX shm, queue, POSIX queue, semaphores, POSIX semaphore. On a
/// failure the objects already made are removed and util-linux's message
/// is printed.
fn create_all(prog: &Prog, r: &Request) -> Result<Vec<Made>, Failure> {
    let name = r.name.as_deref().unwrap_or_default();
    let opts = CreateOptions::new().mode(r.mode).exclusive();
    let mut made = Vec::new();
    let mut create = || -> Result<(), (&'static str, io::Error)> {
        let fail = |what: &'static str| move |e: io::Error| (what, e);
        // The messages are util-linux's, with the errno alone.
        let fail_ipc = |what: &'static str| move |e: nsipc::ipc::Error| (what, e.into());
        if let Some(size) = r.shm_size {
            let id = sysv_create(r.key, |key| sysv::shm::create(key.into(), size, opts))
                .map_err(fail("create share memory failed"))?;
            made.push(Made::Shm(id));
        }
        if let Some(size) = r.posix_shm_size {
            posix::shm::create(name, size, opts)
                .map_err(fail_ipc("create POSIX shared memory failed"))?;
            made.push(Made::PosixShm(name.into()));
        }
        if r.queue {
            let id = sysv_create(r.key, |key| sysv::msg::create(key.into(), opts))
                .map_err(fail("create message queue failed"))?;
            made.push(Made::Queue(id));
        }
        if r.posix_queue {
            posix::mqueue::create(name, opts)
                .map_err(fail_ipc("create POSIX message queue failed"))?;
            made.push(Made::PosixQueue(name.into()));
        }
        if let Some(nsems) = r.nsems {
            let id = sysv_create(r.key, |key| sysv::sem::create(key.into(), nsems, opts))
                .map_err(fail("create semaphore failed"))?;
            made.push(Made::Sem(id));
        }
        if r.posix_sem {
            posix::sem::create(name, 0, opts).map_err(fail_ipc("create POSIX semaphore failed"))?;
            made.push(Made::PosixSem(name.into()));
        }
        Ok(())
    };
    if let Err((what, e)) = create() {
        for object in made.iter().rev() {
            object.undo();
        }
        return Err(prog.fail_errno(what, &e));
    }
    Ok(made)
}

/// How many random keys to try before giving up: with 2^32 keys even a
/// namespace at the kernel's limit of 32768 objects per kind makes a
/// collision rare, so 64 failures in a row mean something else is wrong.
const KEY_ATTEMPTS: usize = 64;

/// Creates a System V object with `key`, or with a random key: exclusively,
/// trying another key when one is taken, so an existing object is never
/// returned as if it were new (util-linux's bug), and never with key 0,
/// which would silently make a private object.
fn sysv_create(
    key: Option<Key>,
    create: impl Fn(Key) -> nsipc::ipc::Result<IpcId>,
) -> io::Result<IpcId> {
    if let Some(key) = key {
        return Ok(create(key)?);
    }
    let mut last = io::Error::from_raw_os_error(libc::EEXIST);
    for _ in 0..KEY_ATTEMPTS {
        let key = random_key();
        if key == sysv::IPC_PRIVATE.as_raw() {
            continue;
        }
        match create(key) {
            Err(e) if e.raw_os_error() == Some(libc::EEXIST) => last = e.into(),
            other => return Ok(other?),
        }
    }
    Err(last)
}

/// A random key: getrandom, else /dev/urandom, else a mix of time and pid
/// (the same fallbacks as util-linux's `ul_random_get_bytes`).
fn random_key() -> Key {
    let mut buf = [0u8; 4];
    // SAFETY: `buf` is a valid, writable 4-byte buffer.
    let n = unsafe { libc::getrandom(buf.as_mut_ptr().cast(), buf.len(), libc::GRND_NONBLOCK) };
    if n == buf.len() as isize {
        return Key::from_ne_bytes(buf);
    }
    if let Ok(mut f) = std::fs::File::open("/dev/urandom") {
        if io::Read::read_exact(&mut f, &mut buf).is_ok() {
            return Key::from_ne_bytes(buf);
        }
    }
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or_default();
    let mixed = nanos ^ u64::from(std::process::id()).rotate_left(32);
    (mixed ^ (mixed >> 32)) as u32 as Key
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    fn failed(errno: i32) -> nsipc::ipc::Error {
        use nsipc::ipc::{Object, Operation, SysvKind};
        nsipc::ipc::Error::new(
            Operation::new("msgget"),
            Object::SysvKey(SysvKind::MessageQueue, sysv::Key::from_raw(1)),
            io::Error::from_raw_os_error(errno),
        )
    }

    fn eexist() -> nsipc::ipc::Error {
        failed(libc::EEXIST)
    }

    #[test]
    fn random_keys_retry_on_collision_and_skip_zero() {
        let tried = RefCell::new(Vec::new());
        let id = sysv_create(None, |key| {
            tried.borrow_mut().push(key);
            if tried.borrow().len() < 4 {
                Err(eexist())
            } else {
                Ok(IpcId::from_raw(7))
            }
        })
        .unwrap();
        assert_eq!(id, IpcId::from_raw(7));
        let tried = tried.into_inner();
        assert_eq!(tried.len(), 4);
        assert!(!tried.contains(&sysv::IPC_PRIVATE.as_raw()));
    }

    #[test]
    fn random_keys_give_up_after_a_bound() {
        let calls = RefCell::new(0);
        let err = sysv_create(None, |_| {
            *calls.borrow_mut() += 1;
            Err(eexist())
        })
        .unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EEXIST));
        assert!(*calls.borrow() <= KEY_ATTEMPTS);
    }

    #[test]
    fn other_errors_are_not_retried() {
        let calls = RefCell::new(0);
        let err = sysv_create(None, |_| {
            *calls.borrow_mut() += 1;
            Err(failed(libc::ENOSPC))
        })
        .unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::ENOSPC));
        assert_eq!(*calls.borrow(), 1);
    }

    #[test]
    fn an_explicit_key_is_used_once_as_given() {
        let tried = RefCell::new(Vec::new());
        let err = sysv_create(Some(0x1234), |key| {
            tried.borrow_mut().push(key);
            Err(eexist())
        })
        .unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EEXIST));
        assert_eq!(tried.into_inner(), [0x1234]);
    }

    #[test]
    fn random_keys_vary() {
        let keys: std::collections::HashSet<Key> = (0..64).map(|_| random_key()).collect();
        assert!(keys.len() > 60);
    }
}
