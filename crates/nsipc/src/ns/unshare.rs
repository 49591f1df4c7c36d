//! Running code or a program in new namespaces: a small builder over
//! [`super::unshare()`] for Rust users.
//!
//! ```no_run
//! use nsipc::ns::{unshare::Unshare, Kinds};
//! // `ipcs -q` in fresh IPC and UTS namespaces, with its own hostname.
//! let status = Unshare::new(Kinds::IPC | Kinds::UTS)
//!     .hostname("container001")
//!     .command("ipcs")
//!     .arg("-q")
//!     .status()?;
//! # Ok::<(), std::io::Error>(())
//! ```

use std::ffi::OsStr;
use std::io;
use std::os::unix::process::CommandExt;
use std::process::Command;

use super::{unshare, Kinds};

/// Which namespaces to create and how to set up the UTS one.
#[derive(Clone, Debug, Default)]
pub struct Unshare {
    kinds: Kinds,
    hostname: Option<Vec<u8>>,
    domainname: Option<Vec<u8>>,
}

/// The kernel's limit for host and domain names (`__NEW_UTS_LEN`).
pub const UTS_NAME_MAX: usize = 64;

impl Unshare {
    /// New namespaces of the given kinds.
    pub fn new(kinds: Kinds) -> Unshare {
        Unshare {
            kinds,
            ..Unshare::default()
        }
    }

    /// Sets the hostname in the new UTS namespace (implies [`Kinds::UTS`]).
    pub fn hostname(mut self, name: impl AsRef<[u8]>) -> Unshare {
        self.kinds |= Kinds::UTS;
        self.hostname = Some(name.as_ref().to_vec());
        self
    }

    /// Sets the NIS domain name in the new UTS namespace (implies
    /// [`Kinds::UTS`]).
    pub fn domainname(mut self, name: impl AsRef<[u8]>) -> Unshare {
        self.kinds |= Kinds::UTS;
        self.domainname = Some(name.as_ref().to_vec());
        self
    }

    /// The namespaces that will be created.
    pub fn kinds(&self) -> Kinds {
        self.kinds
    }

    /// Checks the names before anything is created: at most 64 bytes
    /// (`EINVAL` otherwise, as sethostname(2) would fail after the
    /// namespace exists).
    pub fn validate(&self) -> io::Result<()> {
        let too_long = |n: &Option<Vec<u8>>| n.as_ref().is_some_and(|n| n.len() > UTS_NAME_MAX);
        if too_long(&self.hostname) || too_long(&self.domainname) {
            return Err(io::Error::from_raw_os_error(libc::EINVAL));
        }
        Ok(())
    }

    /// Moves the calling process into the new namespaces and sets the names.
    /// A user namespace needs a single-threaded caller.
    pub fn apply(&self) -> io::Result<()> {
        self.validate()?;
        unshare(self.kinds)?;
        self.set_names()
    }

    /// Sets the host and domain names (after [`super::unshare()`] made a UTS
    /// namespace; in the caller's own one this would change the host's).
    pub fn set_names(&self) -> io::Result<()> {
        if let Some(name) = &self.hostname {
            rustix::system::sethostname(name)?;
        }
        if let Some(name) = &self.domainname {
            rustix::system::setdomainname(name)?;
        }
        Ok(())
    }

    /// A [`Command`] whose process enters the new namespaces between fork
    /// and exec; the caller is untouched. Errors (e.g. `EPERM`) are returned
    /// by `spawn`/`status`/`output`.
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut cmd = Command::new(program);
        let this = self.clone();
        // SAFETY: the hook runs in the forked child before exec and only
        // makes system calls (unshare, sethostname, setdomainname) on data
        // owned by the closure; it does not allocate or take locks.
        unsafe {
            cmd.pre_exec(move || this.apply());
        }
        cmd
    }
}
