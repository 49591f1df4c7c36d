//! Namespaces found from processes: `/proc/PID/ns/*`, their threads
//! (`/proc/PID/task/TID/ns/*`), `/proc/PID/task` (owner and thread count)
//! and, for parent pids, `/proc/PID/stat`.

use crate::Pid;
use std::ffi::CStr;
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use rustix::fs::{AtFlags, Mode, OFlags, CWD};

use super::{owner_of, parent_of, Ino, Kind, Namespace, Ppids, Process, ScanError, Scanner};

// ---------------------------------------------------------------------------
// /proc/PID

/// Parses `/proc/PID/stat`: (pid, ppid, num_threads). The command may hold
/// spaces and parentheses, so the fields after it are found from the last `)`.
pub fn parse_proc_stat(text: &[u8]) -> Option<(i32, i32, u32)> {
    let close = text.iter().rposition(|&b| b == b')')?;
    let open = text.iter().position(|&b| b == b'(')?;
    let pid = std::str::from_utf8(&text[..open])
        .ok()?
        .trim()
        .parse()
        .ok()?;
    let rest = std::str::from_utf8(text.get(close + 1..)?).ok()?;
    let mut fields = rest.split_ascii_whitespace();
    let _state = fields.next()?;
    let ppid = fields.next()?.parse().ok()?;
    // Field 20 of the whole line; we are past field 4 (ppid).
    let threads = fields.nth(15).and_then(|t| t.parse().ok()).unwrap_or(1);
    Some((pid, ppid, threads))
}

fn read_small(dir: BorrowedFd<'_>, name: &str, buf: &mut [u8]) -> io::Result<usize> {
    let fd = rustix::fs::openat(dir, name, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())?;
    // procfs hands out small files like `stat` in one read.
    Ok(rustix::io::read(&fd, buf)?)
}

/// The numeric entries (pids, tids, fd numbers) of a directory, and the
/// directory fd back for `*at` calls. Reading stops at the first error.
pub(super) fn numeric_entries(dir: OwnedFd) -> Option<(rustix::fs::Dir, Vec<i32>)> {
    let mut names = Vec::new();
    // Dir::new takes the fd as is (read_from would reopen it).
    let mut entries = rustix::fs::Dir::new(dir).ok()?;
    while let Some(Ok(entry)) = entries.read() {
        if let Some(n) = crate::procfs::pid_of(entry.file_name().to_bytes()) {
            names.push(n);
        }
    }
    Some((entries, names))
}

/// `ns/<name>`, the path of a namespace file under `/proc/PID` (a C
/// string: no copy to terminate it per call).
fn ns_path(kind: Kind) -> &'static CStr {
    match kind {
        Kind::Mount => c"ns/mnt",
        Kind::Uts => c"ns/uts",
        Kind::Ipc => c"ns/ipc",
        Kind::Net => c"ns/net",
        Kind::Pid => c"ns/pid",
        Kind::User => c"ns/user",
        Kind::Cgroup => c"ns/cgroup",
        Kind::Time => c"ns/time",
    }
}

/// The inode in a namespace link's text, `net:[4026531840]`.
fn parse_ns_link(text: &[u8]) -> Option<Ino> {
    let open = text.iter().position(|&b| b == b'[')?;
    let digits = text.get(open + 1..)?.strip_suffix(b"]")?;
    if digits.is_empty() || digits.len() > 20 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    digits.iter().try_fold(0u64, |n, &d| {
        n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
    })
}

/// The inode of the namespace a `ns/<name>` link (relative to `dir`) names.
/// `readlinkat` only formats the name, where `statat` would follow the link
/// into nsfs; both check the same ptrace access. A text that is not
/// `name:[inode]` (never seen) falls back to `statat`.
fn ns_inode<P: rustix::path::Arg + Copy>(dir: BorrowedFd<'_>, path: P) -> io::Result<Ino> {
    let mut buf = [0u8; 64];
    let n = rustix::fs::readlinkat_raw(dir, path, &mut buf[..])?;
    match parse_ns_link(&buf[..n.min(buf.len())]) {
        Some(ino) => Ok(ino),
        None => Ok(rustix::fs::statat(dir, path, AtFlags::empty())?.st_ino),
    }
}

/// `n` in decimal, in `buf`: a pid or fd number as a file name without
/// allocating.
pub(super) fn decimal(n: u32, buf: &mut [u8; 10]) -> &str {
    let mut at = buf.len();
    let mut n = n;
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    std::str::from_utf8(&buf[at..]).unwrap_or("0")
}

/// Errors that mean "this process is gone or hidden": skip it quietly.
/// (util-linux compares with +ESRCH against a negative errno, so a process
/// that exits during the scan aborts its listing; we skip it.)
fn vanished(e: &io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc::ENOENT | libc::ESRCH | libc::EACCES | libc::EPERM)
    )
}

/// `Ok` for an error that means the process is gone or hidden, else the
/// error with the path it concerns (`/proc/PID` + `what`).
pub(super) fn unless_vanished(pid: Pid, what: &str, e: io::Error) -> Result<(), ScanError> {
    if vanished(&e) {
        Ok(())
    } else {
        Err(ScanError::Proc {
            path: format!("/proc/{pid}{what}"),
            source: e,
        })
    }
}

impl Scanner {
    pub(super) fn read_processes(&mut self) -> Result<(), ScanError> {
        let proc_dir = rustix::fs::openat(
            CWD,
            "/proc",
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| ScanError::Proc {
            path: "/proc".into(),
            source: e.into(),
        })?;
        let failed = |e: io::Error| ScanError::Proc {
            path: "/proc".into(),
            source: e,
        };
        let (dir, pids) =
            numeric_entries(proc_dir).ok_or_else(|| failed(io::Error::last_os_error()))?;
        let dir = dir.fd().map_err(|e| failed(e.into()))?;
        for pid in pids {
            self.read_process(dir, pid)?;
        }
        Ok(())
    }

    pub(super) fn read_process(
        &mut self,
        proc_dir: BorrowedFd<'_>,
        pid: Pid,
    ) -> Result<(), ScanError> {
        let mut name = [0u8; 10];
        let name = decimal(pid as u32, &mut name);
        let failed = |what: &str, e: io::Error| unless_vanished(pid, what, e);
        let dir = match rustix::fs::openat(
            proc_dir,
            name,
            OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        ) {
            Ok(dir) => dir,
            Err(e) => return failed("", e.into()),
        };
        // `task` has the owner of `/proc/PID` (both are 0555 directories,
        // which the kernel gives the effective uid) and 2 + the number of
        // threads as its link count: one call instead of `fstat` + `stat`.
        let (uid, threads) = match rustix::fs::statat(&dir, "task", AtFlags::empty()) {
            Ok(st) => (st.st_uid, st.st_nlink),
            Err(e) => return failed("/task", e.into()),
        };
        let ppid = if self.opts.ppid == Ppids::All {
            let mut buf = [0u8; 1024];
            let n = match read_small(dir.as_fd(), "stat", &mut buf) {
                Ok(n) => n,
                Err(e) => return failed("/stat", e),
            };
            let Some((_, ppid, _)) = parse_proc_stat(&buf[..n]) else {
                return Ok(());
            };
            ppid
        } else {
            0
        };
        let mut ns = [0; 8];
        for kind in Kind::ALL {
            if !self.opts.kinds.contains(kind.into()) {
                continue;
            }
            match ns_inode(dir.as_fd(), ns_path(kind)) {
                Ok(ino) => ns[kind as usize] = ino,
                Err(e) if vanished(&e) => {}
                Err(e) => return failed(&format!("/ns/{}", kind.proc_name()), e),
            }
        }
        let index = self.snap.processes.len();
        self.snap.processes.push(Process {
            pid,
            ppid,
            uid,
            thread_of: None,
            ns,
        });
        self.snap.by_pid.insert(pid, index);
        self.join_namespaces(dir.as_fd(), "", index)?;
        // A link count other than 3 (one thread) is looked at: a kernel
        // that counted otherwise would cost a listing, never a thread.
        if self.opts.threads && threads != 3 {
            self.read_threads(dir.as_fd(), pid, uid, &ns)?;
        }
        if self.opts.open_fds {
            self.read_open_fds(dir.as_fd(), pid)?;
        }
        Ok(())
    }

    /// Adds process `index` to its namespaces, creating those seen first.
    /// `prefix` leads from the process directory to the task (`task/TID/`).
    pub(super) fn join_namespaces(
        &mut self,
        dir: BorrowedFd<'_>,
        prefix: &str,
        index: usize,
    ) -> Result<(), ScanError> {
        for kind in Kind::ALL {
            let ino = self.snap.processes[index].ns[kind as usize];
            if ino == 0 {
                continue;
            }
            let ns = match self.snap.index.get(&ino) {
                Some(&i) => i,
                None if !self.needs_handle(kind) => self.insert(kind, ino, None, None, None, None),
                None => {
                    let path = format!("{prefix}ns/{}", kind.proc_name());
                    match rustix::fs::openat(
                        dir,
                        path.as_str(),
                        OFlags::RDONLY | OFlags::CLOEXEC,
                        Mode::empty(),
                    )
                    .map_err(io::Error::from)
                    .and_then(Namespace::from_fd)
                    {
                        Ok(handle) => self.add_namespace(&handle, kind, ino)?.0,
                        // Gone or hidden: still a namespace, relations unknown.
                        Err(e) if vanished(&e) => self.insert(kind, ino, None, None, None, None),
                        Err(e) => {
                            let pid = self.snap.processes[index].pid;
                            let pid = self.snap.processes[index].thread_of.unwrap_or(pid);
                            return Err(ScanError::Proc {
                                path: format!("/proc/{pid}/{path}"),
                                source: e,
                            });
                        }
                    }
                }
            };
            self.snap.namespaces[ns].members.push(index);
        }
        Ok(())
    }

    pub(super) fn read_threads(
        &mut self,
        dir: BorrowedFd<'_>,
        pid: Pid,
        uid: u32,
        leader: &[Ino; 8],
    ) -> Result<(), ScanError> {
        let task = match rustix::fs::openat(
            dir,
            "task",
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        ) {
            Ok(task) => task,
            Err(e) => return unless_vanished(pid, "/task", e.into()),
        };
        let Some((task, tids)) = numeric_entries(task) else {
            return Ok(());
        };
        let Ok(task) = task.fd() else {
            return Ok(());
        };
        for tid in tids.into_iter().filter(|&t| t != pid) {
            let mut ns = [0; 8];
            for kind in Kind::ALL {
                let here = leader[kind as usize];
                if here == 0 {
                    continue;
                }
                let path = format!("{tid}/ns/{}", kind.proc_name());
                if let Ok(ino) = ns_inode(task.as_fd(), path.as_str()) {
                    if ino != here {
                        ns[kind as usize] = ino;
                    }
                }
            }
            if ns.iter().all(|&i| i == 0) {
                continue;
            }
            let index = self.snap.processes.len();
            self.snap.processes.push(Process {
                pid: tid,
                ppid: pid,
                uid,
                thread_of: Some(pid),
                ns,
            });
            self.join_namespaces(task.as_fd(), &format!("{tid}/"), index)?;
        }
        Ok(())
    }

    /// The parent pids of the namespaces' holders ([`Ppids::Holders`]). A
    /// holder gone since keeps 0.
    pub(super) fn read_holder_ppids(&mut self) {
        let snap = &mut self.snap;
        let mut read = vec![false; snap.processes.len()];
        for ns in &snap.namespaces {
            let Some(h) = ns.holder else { continue };
            let proc = &mut snap.processes[h];
            if read[h] || proc.thread_of.is_some() {
                continue;
            }
            read[h] = true;
            let mut buf = [0u8; 1024];
            let path = format!("/proc/{}/stat", proc.pid);
            if let Ok(n) = read_small(CWD, &path, &mut buf) {
                if let Some((_, ppid, _)) = parse_proc_stat(&buf[..n]) {
                    proc.ppid = ppid;
                }
            }
        }
    }

    /// Parents and owners of process namespaces that no process holds
    /// (`lsns -T`): reopened through a member process.
    pub(super) fn add_process_ancestors(&mut self) -> Result<(), ScanError> {
        let mut missing = Vec::new();
        for ns in &self.snap.namespaces {
            let Some(&member) = ns.members.first() else {
                continue;
            };
            for rel in [ns.parent, ns.owner].into_iter().flatten() {
                if rel != ns.ino && !self.snap.index.contains_key(&rel) {
                    missing.push((self.snap.processes[member].pid, ns.kind, ns.ino));
                    break;
                }
            }
        }
        for (pid, kind, ino) in missing {
            let Ok(handle) = Namespace::open(format!("/proc/{pid}/ns/{}", kind.proc_name())) else {
                continue;
            };
            // The process may have moved since: only trust the same namespace.
            if handle.inode().ok() != Some(ino) {
                continue;
            }
            let parent = parent_of(&handle, kind)?;
            let owner = owner_of(&handle)?;
            self.add_relatives(parent, owner, ino, 0)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_lines() {
        let line = b"123 (a) b) (c) S 45 123 123 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 3 0 1 2 3";
        assert_eq!(parse_proc_stat(line), Some((123, 45, 3)));
        assert_eq!(parse_proc_stat(b"1 (x"), None);
        assert_eq!(parse_proc_stat(b"7 (x) S 1"), Some((7, 1, 1)));
    }

    #[test]
    fn ns_links() {
        assert_eq!(parse_ns_link(b"net:[4026531840]"), Some(4026531840));
        assert_eq!(parse_ns_link(b"pid_for_children:[7]"), Some(7));
        for bad in [
            &b"net:[]"[..],
            b"net:[12",
            b"net:[1x]",
            b"net",
            b"net:[99999999999999999999]",
        ] {
            assert_eq!(parse_ns_link(bad), None);
        }
    }

    #[test]
    fn ns_link_is_the_inode() {
        let proc_dir = rustix::fs::open("/proc/self", OFlags::PATH, Mode::empty()).unwrap();
        for kind in [Kind::Mount, Kind::Uts, Kind::Ipc, Kind::Net] {
            let st = rustix::fs::statat(&proc_dir, ns_path(kind), AtFlags::empty()).unwrap();
            assert_eq!(
                ns_inode(proc_dir.as_fd(), ns_path(kind)).unwrap(),
                st.st_ino
            );
        }
    }

    #[test]
    fn task_link_count_is_two_plus_threads() {
        // The test harness starts and ends threads while this runs: compare
        // only when the thread count did not change around the stat.
        let threads = || std::fs::read_dir("/proc/self/task").unwrap().count() as u64;
        let mut compared = false;
        for _ in 0..1000 {
            let before = threads();
            let st = rustix::fs::stat("/proc/self/task").unwrap();
            if threads() == before {
                assert_eq!(st.st_nlink as u64, 2 + before);
                assert_eq!(st.st_uid, rustix::fs::stat("/proc/self").unwrap().st_uid);
                compared = true;
                break;
            }
        }
        assert!(compared, "the thread count never held still");
    }

    #[test]
    fn decimals() {
        let mut buf = [0u8; 10];
        assert_eq!(decimal(0, &mut buf), "0");
        assert_eq!(decimal(4294967295, &mut buf), "4294967295");
        assert_eq!(decimal(120, &mut buf), "120");
    }
}
