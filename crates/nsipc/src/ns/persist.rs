//! Persistent namespaces: a namespace lives as long as a process, an open
//! descriptor or a bind mount refers to it. Bind-mounting
//! `/proc/PID/ns/X` onto an ordinary file keeps it alive with no process
//! (`ip netns` does this for network namespaces); `nsenter --net=FILE`
//! joins it later and `umount FILE` lets it go.

use crate::Pid;
use std::io;
use std::path::{Path, PathBuf};

use super::{proc_path, Kind};

/// The file to bind for `kind` of process `pid`. A pid or time namespace
/// made by `unshare(2)` holds only the caller's future children, so it is
/// reached through `pid_for_children` / `time_for_children`.
pub fn source_path(pid: Pid, kind: Kind) -> PathBuf {
    proc_path(
        Some(pid),
        kind.for_children_name().unwrap_or(kind.proc_name()),
    )
}

/// Bind-mounts `source` (a namespace file) onto `target`, which must
/// exist. The mount is made in the caller's mount namespace: to be seen from
/// outside a new mount namespace it must be made by a process that stayed
/// outside (unshare's helper child does that).
pub fn bind(source: &Path, target: &Path) -> io::Result<()> {
    rustix::mount::mount_bind(source, target).map_err(io::Error::from)
}

/// Keeps process `pid`'s namespace of `kind` alive at `target`.
///
/// # Examples
///
/// ``` no_run
/// use std::path::Path;
/// use nsipc::ns::{persist, Kind};
/// // As root: keep process 1234's IPC namespace alive at /run/ipcns.
/// std::fs::File::create("/run/ipcns")?;
/// persist::persist(1234, Kind::Ipc, Path::new("/run/ipcns"))?;
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # References
/// - [mount(2)](https://man7.org/linux/man-pages/man2/mount.2.html)
/// - [namespaces(7)](https://man7.org/linux/man-pages/man7/namespaces.7.html)
pub fn persist(pid: Pid, kind: Kind, target: &Path) -> io::Result<()> {
    bind(&source_path(pid, kind), target)
}

/// Releases a persistent namespace (`umount`); the namespace disappears
/// once nothing else refers to it.
///
/// # Examples
///
/// ``` no_run
/// use std::path::Path;
/// // As root: let go of the namespace kept at /run/ipcns.
/// nsipc::ns::persist::release(Path::new("/run/ipcns"))?;
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # References
/// - [umount(2)](https://man7.org/linux/man-pages/man2/umount.2.html)
pub fn release(target: &Path) -> io::Result<()> {
    rustix::mount::unmount(target, rustix::mount::UnmountFlags::empty()).map_err(io::Error::from)
}
