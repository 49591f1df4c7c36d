//! Who holds an IPC object: one pass over `/proc` builds an [`Index`] of
//! the processes that attach, map or hold open IPC objects.
//!
//! - System V shared memory: an attached segment is a mapping named
//!   `/SYSV<key> (deleted)` in `/proc/PID/maps` whose inode is the
//!   segment's shmid (the key alone is ambiguous: every `IPC_PRIVATE`
//!   segment has key 0). Shmids are per IPC namespace, so the index keys
//!   them by the process's IPC namespace inode (`/proc/PID/ns/ipc`).
//! - POSIX shared memory and named semaphores are files of a tmpfs
//!   (`/dev/shm`): a holder maps the file (a `/proc/PID/maps` line with its
//!   device and inode) or holds a descriptor of it (`/proc/PID/fd`).
//! - POSIX message queues are files of an mqueue file system: a holder has
//!   a descriptor whose target has the queue file's device and inode.
//!
//! Files are matched by device and inode, never by name: a `/dev/shm/x` in
//! another mount namespace is another tmpfs, another object. Descriptors are
//! only `stat`ed when their link text ends in the name of an object asked
//! for ([`Targets::names`]), so the pass stays cheap on busy machines.
//!
//! System V message queues and semaphore sets have no attachment at all:
//! the kernel only records the last processes that operated on them
//! (`lspid`/`lrpid`, each semaphore's `sempid`); see [`alive`].
//!
//! Visibility: `/proc/PID/maps`, `/proc/PID/fd` and `/proc/PID/ns` are only
//! readable with ptrace access to the process (the same user, or
//! `CAP_SYS_PTRACE`), and `hidepid` hides other users' processes entirely.
//! A holder the caller cannot inspect is never shown; the index records
//! such processes in [`Index::opaque`] so that nothing is declared unused
//! on the strength of what could not be seen.

use std::collections::{HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::io::{BufRead, BufReader};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use super::sysv::IpcId;
use crate::Pid;

/// What to look for in one pass.
#[derive(Clone, Debug, Default)]
pub struct Targets {
    /// Record System V shared memory attachments (all of them).
    pub sysv_shm: bool,
    /// Files (POSIX objects) to find holders of, by `(st_dev, st_ino)`.
    pub files: HashSet<(u64, u64)>,
    /// The file names of those objects (`x` for `/dev/shm/x`, `sem.s`,
    /// `q` for the queue `/q`): only descriptors whose link ends in one of
    /// these names are `stat`ed.
    pub names: HashSet<OsString>,
}

/// A process seen in `/proc`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Process {
    /// Its process id.
    pub pid: Pid,
    /// `/proc/PID/comm` (empty when it could not be read).
    pub comm: String,
    /// Real uid (the owner of `/proc/PID`).
    pub uid: u32,
    /// IPC namespace inode; `None` when `/proc/PID/ns/ipc` is unreadable.
    pub ipc_ns: Option<u64>,
}

/// The result of one pass over `/proc`.
#[derive(Debug, Default)]
pub struct Index {
    procs: HashMap<i32, Process>,
    /// `(ipc namespace inode, shmid)` → attached pids.
    shm: HashMap<(u64, i32), Vec<i32>>,
    /// `(st_dev, st_ino)` → pids mapping or holding the file open.
    files: HashMap<(u64, u64), Vec<i32>>,
    /// Processes whose maps or descriptors could not be read, with the
    /// devices mounted in their mount namespace (`None`: unknown).
    opaque: Vec<(Process, Option<HashSet<u64>>)>,
    /// Whether `/proc` may hide processes from the caller (`hidepid`).
    hidden: bool,
}

impl Index {
    /// Scans every process of `/proc` once.
    pub fn scan(targets: &Targets) -> Index {
        Self::scan_in(Path::new("/proc"), targets)
    }

    fn scan_in(proc: &Path, targets: &Targets) -> Index {
        let mut index = Index {
            hidden: proc_hides_processes() && !is_root(),
            ..Index::default()
        };
        let Some(processes) = crate::procfs::processes(proc) else {
            index.hidden = true;
            return index;
        };
        let want_files = !targets.files.is_empty();
        for (pid, base) in processes {
            let Ok(md) = std::fs::metadata(&base) else {
                continue; // gone meanwhile
            };
            let comm = std::fs::read_to_string(base.join("comm"))
                .map(|s| s.trim_end_matches('\n').to_string())
                .unwrap_or_default();
            let ipc_ns = std::fs::metadata(base.join("ns/ipc")).ok().map(|m| m.ino());
            let process = Process {
                pid,
                comm,
                uid: md.uid(),
                ipc_ns,
            };
            let mut seen = true;
            if targets.sysv_shm || want_files {
                seen &= index.read_maps(&base, &process, targets);
            }
            if want_files {
                seen &= index.read_fds(&base, pid, targets);
            }
            if !seen {
                index.opaque.push((process.clone(), mounted_devices(&base)));
            }
            index.procs.insert(pid, process);
        }
        for pids in index.shm.values_mut().chain(index.files.values_mut()) {
            pids.sort_unstable();
            pids.dedup();
        }
        index
    }

    /// Records the mappings of one process; false if the caller may not
    /// read them (a process that exited meanwhile holds nothing).
    fn read_maps(&mut self, base: &Path, p: &Process, targets: &Targets) -> bool {
        let file = match std::fs::File::open(base.join("maps")) {
            Ok(file) => file,
            Err(e) => return !denied(&e),
        };
        let mut reader = BufReader::new(file);
        let mut line = Vec::with_capacity(256);
        let mut any = false;
        loop {
            line.clear();
            match reader.read_until(b'\n', &mut line) {
                Ok(0) => break,
                Ok(_) => any = true,
                // A process that exits mid-read: what was read counts.
                Err(_) => return any,
            }
            let Some(m) = parse_maps_line(&line) else {
                continue;
            };
            if m.sysv_shm {
                if let (true, Some(ns)) = (targets.sysv_shm, p.ipc_ns) {
                    if let Ok(id) = i32::try_from(m.inode) {
                        self.shm.entry((ns, id)).or_default().push(p.pid);
                    }
                }
            } else if targets.files.contains(&(m.dev, m.inode)) {
                self.files.entry((m.dev, m.inode)).or_default().push(p.pid);
            }
        }
        // Kernel threads have empty maps: readable, nothing in them.
        true
    }

    /// Records the descriptors of one process that point at a target file;
    /// false if the descriptor table is unreadable.
    fn read_fds(&mut self, base: &Path, pid: i32, targets: &Targets) -> bool {
        let fd_dir = base.join("fd");
        let dir = match std::fs::read_dir(&fd_dir) {
            Ok(dir) => dir,
            Err(e) => return !denied(&e),
        };
        for entry in dir.flatten() {
            let Ok(link) = std::fs::read_link(entry.path()) else {
                continue;
            };
            let Some(name) = link.file_name() else {
                continue;
            };
            if !targets.names.contains(name) {
                continue;
            }
            if let Ok(md) = std::fs::metadata(entry.path()) {
                let key = (md.dev(), md.ino());
                if targets.files.contains(&key) {
                    self.files.entry(key).or_default().push(pid);
                }
            }
        }
        true
    }

    /// The processes attached to System V segment `shmid` of the IPC
    /// namespace `ipc_ns`.
    pub fn sysv_shm(&self, ipc_ns: u64, shmid: IpcId) -> &[Pid] {
        self.shm
            .get(&(ipc_ns, shmid.as_raw()))
            .map_or(&[], Vec::as_slice)
    }

    /// The processes mapping or holding open the file `(dev, ino)` (only
    /// for files that were in [`Targets::files`]).
    pub fn file(&self, dev: u64, ino: u64) -> &[Pid] {
        self.files.get(&(dev, ino)).map_or(&[], Vec::as_slice)
    }

    /// A process seen by the scan.
    pub fn process(&self, pid: Pid) -> Option<&Process> {
        self.procs.get(&pid)
    }

    /// Processes seen but whose maps or descriptors could not be read.
    pub fn opaque(&self) -> impl Iterator<Item = &Process> {
        self.opaque.iter().map(|(p, _)| p)
    }

    /// Whether `/proc` may hide processes from the caller (mounted with
    /// `hidepid` and the caller is not root): then absence proves nothing.
    pub fn incomplete(&self) -> bool {
        self.hidden
    }

    /// Whether a process the caller could not inspect might hold a POSIX
    /// object owned by `uid` with permission bits `mode` on the file
    /// system `dev`: the file system is mounted in the process's mount
    /// namespace (`/proc/PID/mountinfo` is readable when its maps are not),
    /// and the process runs as root or as the owner, or the object grants
    /// group or other access. When `/proc` hides processes, any object
    /// might be held. (A descriptor passed over a socket to a process of
    /// another mount namespace escapes this test.)
    pub fn maybe_hidden_holder(&self, uid: u32, mode: u32, dev: u64) -> bool {
        if self.hidden {
            return true;
        }
        let shared = mode & 0o066 != 0;
        self.opaque.iter().any(|(p, devs)| {
            devs.as_ref().is_none_or(|d| d.contains(&dev)) && (shared || p.uid == 0 || p.uid == uid)
        })
    }
}

/// The devices (`st_dev`) of the file systems mounted in the mount
/// namespace of process `base`; `None` when unreadable.
fn mounted_devices(base: &Path) -> Option<HashSet<u64>> {
    let text = std::fs::read_to_string(base.join("mountinfo")).ok()?;
    Some(
        text.lines()
            .filter_map(|l| {
                let (major, minor) = l.split(' ').nth(2)?.split_once(':')?;
                Some(libc::makedev(major.parse().ok()?, minor.parse().ok()?))
            })
            .collect(),
    )
}

/// A permission error (as opposed to a process that is gone).
fn denied(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::PermissionDenied
}

/// One parsed `/proc/PID/maps` line.
#[derive(Debug, PartialEq, Eq)]
struct MapsEntry {
    dev: u64,
    inode: u64,
    /// Named `/SYSV<8 hex digits> (deleted)`: a System V segment.
    sysv_shm: bool,
}

/// `start-end perms offset major:minor inode path`; `None` for lines
/// without a file.
fn parse_maps_line(line: &[u8]) -> Option<MapsEntry> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let mut fields = line.splitn(6, |&b| b == b' ');
    let _range = fields.next()?;
    let _perms = fields.next()?;
    let _offset = fields.next()?;
    let dev = fields.next()?;
    let inode = fields.next()?;
    let path = fields.next().unwrap_or(b"");
    let inode: u64 = std::str::from_utf8(inode).ok()?.parse().ok()?;
    let (major, minor) = {
        let text = std::str::from_utf8(dev).ok()?;
        let (a, b) = text.split_once(':')?;
        (
            u32::from_str_radix(a, 16).ok()?,
            u32::from_str_radix(b, 16).ok()?,
        )
    };
    let path = path.trim_ascii_start();
    if path.is_empty() {
        return None;
    }
    Some(MapsEntry {
        dev: libc::makedev(major, minor),
        inode,
        sysv_shm: is_sysv_name(path),
    })
}

/// `/SYSV` + 8 hex digits + ` (deleted)`.
fn is_sysv_name(path: &[u8]) -> bool {
    let Some(rest) = path.strip_prefix(b"/SYSV") else {
        return false;
    };
    rest.len() == 8 + b" (deleted)".len()
        && rest[..8].iter().all(u8::is_ascii_hexdigit)
        && &rest[8..] == b" (deleted)"
}

/// Whether process `pid` exists and is not a zombie (`kill(pid, 0)`: also
/// true for processes the caller may not signal or cannot see in a
/// `hidepid` /proc). 0 and negative pids (no process recorded, or one
/// outside the caller's PID namespace) are not alive. A recycled pid makes
/// a dead process look alive: that errs on the side of keeping objects.
pub fn alive(pid: Pid) -> bool {
    // from_raw panics on negative values: check first.
    if pid <= 0 {
        return false;
    }
    let Some(pid) = rustix::process::Pid::from_raw(pid) else {
        return false;
    };
    match rustix::process::test_kill_process(pid) {
        Ok(()) => !is_zombie(pid.as_raw_nonzero().get()),
        Err(e) => e != rustix::io::Errno::SRCH,
    }
}

/// `Z` (or `X`) in `/proc/PID/stat`; false when it cannot be read.
fn is_zombie(pid: i32) -> bool {
    let Ok(stat) = std::fs::read(format!("/proc/{pid}/stat")) else {
        return false;
    };
    // The state follows the last ')' (the command may contain parentheses).
    let Some(close) = stat.iter().rposition(|&b| b == b')') else {
        return false;
    };
    matches!(stat.get(close + 2), Some(b'Z' | b'X'))
}

/// The IPC namespace inode of the calling thread.
pub fn current_ipc_ns() -> Option<u64> {
    std::fs::metadata("/proc/thread-self/ns/ipc")
        .ok()
        .map(|m| m.ino())
}

/// Whether `/proc` is mounted with `hidepid` other than 0/off.
fn proc_hides_processes() -> bool {
    let Ok(text) = std::fs::read_to_string("/proc/self/mountinfo") else {
        return true;
    };
    text.lines().any(|l| {
        let mut parts = l.split(" - ");
        let (Some(head), Some(tail)) = (parts.next(), parts.next()) else {
            return false;
        };
        head.split(' ').nth(4) == Some("/proc")
            && tail.starts_with("proc ")
            && tail.split([' ', ',']).any(|o| {
                o.strip_prefix("hidepid=")
                    .is_some_and(|v| v != "0" && v != "off")
            })
    })
}

fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

/// The name [`Targets::names`] wants for a file name of `/dev/shm` or of
/// the mqueue file system (the queue `/q` is the file `q`).
pub fn target_name(file: &OsStr) -> OsString {
    OsStr::from_bytes(
        file.as_bytes()
            .strip_prefix(b"/")
            .unwrap_or(file.as_bytes()),
    )
    .to_os_string()
}

#[cfg(test)]
#[allow(unsafe_code)] // the tests map a file with mmap(2) to be found as a holder
mod tests {
    use super::*;

    #[test]
    fn maps_lines() {
        let sysv = b"7f6ee9a58000-7f6ee9a59000 rw-s 00000000 00:01 32769                      /SYSV0000abcd (deleted)\n";
        assert_eq!(
            parse_maps_line(sysv),
            Some(MapsEntry {
                dev: libc::makedev(0, 1),
                inode: 32769,
                sysv_shm: true
            })
        );
        let shm = b"7f00-7f01 rw-s 00000000 00:1a 17 /dev/shm/seg";
        let m = parse_maps_line(shm).unwrap();
        assert_eq!(
            (m.dev, m.inode, m.sysv_shm),
            (libc::makedev(0, 0x1a), 17, false)
        );
        assert_eq!(parse_maps_line(b"7f00-7f01 rw-p 00000000 00:00 0 \n"), None);
        assert_eq!(parse_maps_line(b"garbage"), None);
        assert_eq!(parse_maps_line(b""), None);
        // A file someone named like a segment, not deleted: not System V.
        let fake = b"7f00-7f01 r--s 00000000 08:01 5 /SYSV0000abcd";
        assert!(!parse_maps_line(fake).unwrap().sysv_shm);
        assert!(!is_sysv_name(b"/SYSV0000abcg (deleted)"));
    }

    #[test]
    fn liveness() {
        assert!(alive(std::process::id() as i32));
        assert!(!alive(0));
        assert!(!alive(-1));
        // A reaped child is gone.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id() as i32;
        child.wait().unwrap();
        assert!(!alive(pid));
    }

    #[test]
    fn zombies_are_dead() {
        let child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id() as i32;
        // Not waited for: a zombie once it exits.
        for _ in 0..500 {
            if is_zombie(pid) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        assert!(!alive(pid));
        let mut child = child;
        child.wait().unwrap();
    }

    #[test]
    fn finds_a_mapped_file_by_device_and_inode() {
        use std::os::fd::AsRawFd;
        let dir = std::env::temp_dir().join(format!("nsipc-holders-{}", std::process::id()));
        std::fs::write(&dir, vec![0u8; 4096]).unwrap();
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&dir)
            .unwrap();
        let md = file.metadata().unwrap();
        // SAFETY: a fresh shared mapping of a 4096-byte file we own.
        let addr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                4096,
                libc::PROT_READ,
                libc::MAP_SHARED,
                file.as_raw_fd(),
                0,
            )
        };
        assert_ne!(addr, libc::MAP_FAILED);
        let mut targets = Targets::default();
        targets.files.insert((md.dev(), md.ino()));
        targets
            .names
            .insert(dir.file_name().unwrap().to_os_string());
        let index = Index::scan(&targets);
        let me = std::process::id() as i32;
        assert!(index.file(md.dev(), md.ino()).contains(&me));
        assert_eq!(index.process(me).map(|p| p.pid), Some(me));
        // SAFETY: unmapping the mapping made above.
        unsafe { libc::munmap(addr, 4096) };
        drop(file);
        let index = Index::scan(&targets);
        assert!(!index.file(md.dev(), md.ino()).contains(&me));
        std::fs::remove_file(&dir).unwrap();
    }
}
