//! Reading a runtime's state files without leaving the runtime's directory.
//!
//! The runtime's top directory (`/var/lib/docker`, `/run/containerd/…`, a
//! user's home) is opened by its path, as the administrator set it up (it
//! may itself be a symlink, e.g. Docker's data root moved to another
//! disk). Everything under it is opened with `openat2(RESOLVE_BENEATH |
//! RESOLVE_NO_MAGICLINKS)`: a symlink or `..` that leads out of that
//! directory fails instead of being followed, so a file planted by whoever
//! can write inside the state directory (a rootless user's own storage, a
//! container's bind mount) cannot make us read another file. Kernels before
//! 5.6 have no `openat2`; there every component is opened with
//! `O_NOFOLLOW`, which refuses every symlink. Only regular files are read
//! (a FIFO would block), at most `cap` bytes: a larger file counts as
//! unreadable.

use std::io::Read;
use std::os::fd::OwnedFd;
use std::path::Path;

use rustix::fs::{openat2, FileType, Mode, OFlags, ResolveFlags, CWD};
use rustix::io::Errno;

/// Opens directory `dir` (following symlinks in `dir` itself).
pub(crate) fn open_dir(dir: &Path) -> Option<OwnedFd> {
    rustix::fs::openat(
        CWD,
        dir,
        OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .ok()
}

/// Opens `rel` (a relative path) beneath `dir` with `flags`.
fn open_beneath(dir: &OwnedFd, rel: &str, flags: OFlags) -> Option<OwnedFd> {
    if rel.is_empty() || rel.starts_with('/') {
        return None;
    }
    let flags = flags | OFlags::CLOEXEC | OFlags::NOCTTY;
    match openat2(
        dir,
        rel,
        flags,
        Mode::empty(),
        ResolveFlags::BENEATH | ResolveFlags::NO_MAGICLINKS,
    ) {
        Ok(fd) => Some(fd),
        Err(Errno::NOSYS) => open_nofollow(dir, rel, flags),
        Err(_) => None,
    }
}

/// The pre-5.6 way: one component at a time, none of them a symlink, no
/// `..`.
fn open_nofollow(dir: &OwnedFd, rel: &str, flags: OFlags) -> Option<OwnedFd> {
    let parts: Vec<&str> = rel
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.contains(&"..") {
        return None;
    }
    let (last, dirs) = parts.split_last()?;
    let mut cur: Option<OwnedFd> = None;
    for part in dirs {
        let at = cur.as_ref().unwrap_or(dir);
        let next = rustix::fs::openat(
            at,
            *part,
            OFlags::PATH | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .ok()?;
        cur = Some(next);
    }
    let at = cur.as_ref().unwrap_or(dir);
    rustix::fs::openat(at, *last, flags | OFlags::NOFOLLOW, Mode::empty()).ok()
}

/// The contents of regular file `rel` beneath `dir`, if it is at most `cap`
/// bytes.
pub(crate) fn read_beneath(dir: &OwnedFd, rel: &str, cap: u64) -> Option<Vec<u8>> {
    // O_NONBLOCK: opening a FIFO must not wait for a writer.
    let fd = open_beneath(dir, rel, OFlags::RDONLY | OFlags::NONBLOCK)?;
    let st = rustix::fs::fstat(&fd).ok()?;
    if FileType::from_raw_mode(st.st_mode) != FileType::RegularFile {
        return None;
    }
    let mut data = Vec::new();
    std::fs::File::from(fd)
        .take(cap + 1)
        .read_to_end(&mut data)
        .ok()?;
    (data.len() as u64 <= cap).then_some(data)
}

/// The names of the subdirectories of `dir` (for containerd's namespaces),
/// at most `max` of them.
pub(crate) fn subdirs(dir: &OwnedFd, max: usize) -> Vec<String> {
    let Some(fd) = open_beneath(dir, ".", OFlags::RDONLY | OFlags::DIRECTORY) else {
        return Vec::new();
    };
    let Ok(mut entries) = rustix::fs::Dir::new(fd) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while let Some(Ok(entry)) = entries.next() {
        if out.len() >= max {
            break;
        }
        let Ok(name) = entry.file_name().to_str() else {
            continue;
        };
        if name == "." || name == ".." || entry.file_type() != FileType::Directory {
            continue;
        }
        out.push(name.to_string());
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symlinks_out_of_the_directory_are_refused() {
        let base = std::env::temp_dir().join(format!("nsipc-safefs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(base.join("state/sub")).unwrap();
        std::fs::write(base.join("secret"), "outside").unwrap();
        std::fs::write(base.join("state/sub/f"), "inside").unwrap();
        std::os::unix::fs::symlink("../secret", base.join("state/out")).unwrap();
        std::os::unix::fs::symlink("sub/f", base.join("state/in")).unwrap();
        std::os::unix::fs::symlink("/proc/self/root", base.join("state/magic")).unwrap();
        std::fs::write(base.join("state/big"), vec![b'x'; 100]).unwrap();
        let dir = open_dir(&base.join("state")).unwrap();
        assert_eq!(
            read_beneath(&dir, "sub/f", 10).as_deref(),
            Some(&b"inside"[..])
        );
        assert_eq!(
            read_beneath(&dir, "in", 10).as_deref(),
            Some(&b"inside"[..])
        );
        assert_eq!(read_beneath(&dir, "out", 10), None);
        assert_eq!(read_beneath(&dir, "../secret", 10), None);
        assert_eq!(read_beneath(&dir, "magic/etc/passwd", 1 << 20), None);
        assert_eq!(read_beneath(&dir, "/etc/passwd", 1 << 20), None);
        assert_eq!(read_beneath(&dir, "big", 99), None);
        assert_eq!(read_beneath(&dir, "big", 100).map(|d| d.len()), Some(100));
        assert_eq!(read_beneath(&dir, "sub", 100), None);
        // The pre-openat2 path refuses every symlink.
        let flags = OFlags::RDONLY;
        assert!(open_nofollow(&dir, "sub/f", flags).is_some());
        assert!(open_nofollow(&dir, "in", flags).is_none());
        assert!(open_nofollow(&dir, "../secret", flags).is_none());
        assert_eq!(subdirs(&dir, 10), ["sub"]);
        std::fs::remove_dir_all(&base).unwrap();
    }
}
