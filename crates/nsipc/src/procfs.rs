//! Processes by number: the one place that tells a process directory of
//! `/proc` from the other entries (used by namespace discovery, container
//! resolution and the IPC holder scan) and that opens a pidfd.

use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use crate::Pid;

/// A directory name that is a process id: all digits, fitting a `pid_t`.
pub(crate) fn pid_of(name: &[u8]) -> Option<Pid> {
    if name.is_empty() || name.len() > 10 || !name.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(name).ok()?.parse().ok()
}

/// The processes of the `/proc` mounted at `proc`, as pid and directory;
/// `None` when it cannot be read.
pub(crate) fn processes(proc: &Path) -> Option<impl Iterator<Item = (Pid, PathBuf)>> {
    let dir = std::fs::read_dir(proc).ok()?;
    Some(dir.flatten().filter_map(|entry| {
        let pid = pid_of(entry.file_name().as_bytes())?;
        Some((pid, entry.path()))
    }))
}

/// `pidfd_open(pid, 0)`: a descriptor that keeps referring to process
/// `pid` (not to a later process that reuses the number). `ESRCH` for a
/// pid that is not positive.
pub(crate) fn pidfd_open(pid: Pid) -> std::io::Result<std::os::fd::OwnedFd> {
    let pid = rustix::process::Pid::from_raw(pid)
        .ok_or_else(|| std::io::Error::from_raw_os_error(libc::ESRCH))?;
    rustix::process::pidfd_open(pid, rustix::process::PidfdFlags::empty())
        .map_err(std::io::Error::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pid_names() {
        assert_eq!(pid_of(b"1"), Some(1));
        assert_eq!(pid_of(b"2147483647"), Some(i32::MAX));
        for bad in [
            &b""[..],
            b"self",
            b"+5",
            b"-1",
            b"2147483648",
            b"12345678901",
            b"1a",
        ] {
            assert_eq!(pid_of(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn our_own_process_is_listed() {
        let me = std::process::id() as Pid;
        let (pid, dir) = processes(Path::new("/proc"))
            .unwrap()
            .find(|(pid, _)| *pid == me)
            .unwrap();
        assert_eq!(pid, me);
        assert_eq!(dir, Path::new("/proc").join(me.to_string()));
    }
}
