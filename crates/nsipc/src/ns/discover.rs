//! Finding namespaces: from processes (`/proc/PID/ns/*`), from the
//! namespace file descriptors and sockets processes hold open, and from
//! nsfs bind mounts (persistent namespaces); parents and owners through the
//! `NS_GET_*` ioctls; the network subsystem's id (NETNSID) over netlink.
//!
//! [`scan`] takes one snapshot of the host; [`namespaces_of_kind`] is the
//! simple question "every namespace of this kind, once, with a process that
//! holds it and its bind mounts" (`nsenter --all-namespaces` style).
//!
//! Speed matters here (`lsns` on a host with thousands of processes): every
//! process costs one directory fd, one `stat` read and one `statat` per
//! namespace kind; the ioctls run once per *namespace*, not per process, and
//! everything is looked up through hash maps. util-linux searches linked
//! lists, which is quadratic in the number of processes.

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::PathBuf;

use rustix::fs::{AtFlags, Mode, OFlags, CWD};

use super::{Kind, Kinds, Namespace};

/// A namespace's identity: the inode number of its nsfs file.
pub type Ino = u64;

/// Deepest chain of parents/owners followed (the kernel nests user and PID
/// namespaces at most 32 deep).
const MAX_RELATION_DEPTH: usize = 64;

/// util-linux reads `cmdline`/`comm` into a `BUFSIZ` buffer.
const COMMAND_MAX: usize = 8192;

/// What [`scan`] looks at besides `/proc/PID/ns/*`.
#[derive(Clone, Copy, Debug)]
pub struct ScanOptions {
    /// Kinds to report; others are not even `stat`ed.
    pub kinds: Kinds,
    /// Namespaces held only by open file descriptors: nsfs files, and the
    /// network namespaces of sockets (`pidfd_getfd` + `SIOCGSKNS`).
    pub open_fds: bool,
    /// Persistent namespaces: nsfs bind mounts in `/proc/self/mountinfo`.
    pub mounts: bool,
    /// Also add parents and owners of process namespaces that no process
    /// holds (needed to draw owner/parent trees). Relatives of namespaces
    /// found through fds and mounts are always added, as util-linux does.
    pub process_ancestors: bool,
    /// Ask the network subsystem for each network namespace's id.
    pub netnsid: bool,
    /// Look at the threads of multi-threaded processes: a thread that
    /// unshared a namespace is listed as a member of its own (util-linux
    /// reads only thread-group leaders and misses such namespaces).
    pub threads: bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            kinds: Kinds::all(),
            open_fds: true,
            mounts: true,
            process_ancestors: false,
            netnsid: false,
            threads: true,
        }
    }
}

/// A process (or a thread in namespaces of its own) as seen in `/proc`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Process {
    pub pid: i32,
    pub ppid: i32,
    /// Owner of `/proc/PID` (the process's effective uid, as util-linux shows it).
    pub uid: u32,
    /// For a thread listed on its own: its thread-group leader. Such a
    /// thread is a member only of the namespaces where it differs from
    /// its leader; its `ppid` is the leader's pid.
    pub thread_of: Option<i32>,
    /// Namespace inode per kind (`Kind as usize`), 0 when not read.
    pub ns: [Ino; 8],
}

/// The network subsystem's id of a network namespace (`RTM_GETNSID`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetNsId {
    Assigned(i32),
    /// `NETNSA_NSID_NOT_ASSIGNED`.
    Unassigned,
}

/// One namespace of the snapshot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NsInfo {
    pub ino: Ino,
    pub kind: Kind,
    /// Parent namespace (PID and user namespaces only), when visible.
    pub parent: Option<Ino>,
    /// Owning user namespace, when visible.
    pub owner: Option<Ino>,
    /// `NS_GET_OWNER_UID` (user namespaces only).
    pub owner_uid: Option<u32>,
    /// Member processes, as indexes into [`Snapshot::processes`], in
    /// `/proc` order.
    pub members: Vec<usize>,
    /// The member with the lowest pid.
    pub holder: Option<usize>,
    /// Only when [`ScanOptions::netnsid`] was asked for, network namespaces.
    pub netnsid: Option<NetNsId>,
}

/// A bind mount of a namespace file (`mountinfo` fstype `nsfs`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NsfsMount {
    /// The name before `:[` in the mount's root (`net`, `mnt`, …).
    pub name: String,
    pub ino: Ino,
    pub target: PathBuf,
}

/// Everything [`scan`] found.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Processes in `/proc` order (ascending pid), threads after their leader.
    pub processes: Vec<Process>,
    /// Namespaces sorted by inode.
    pub namespaces: Vec<NsInfo>,
    /// nsfs bind mounts in mountinfo order (all of them, not only the
    /// selected kinds).
    pub mounts: Vec<NsfsMount>,
    index: HashMap<Ino, usize>,
    by_pid: HashMap<i32, usize>,
}

impl Snapshot {
    /// The namespace with inode `ino`.
    pub fn namespace(&self, ino: Ino) -> Option<&NsInfo> {
        self.index.get(&ino).map(|&i| &self.namespaces[i])
    }

    /// The index of the process (not thread) with this pid.
    pub fn process_index(&self, pid: i32) -> Option<usize> {
        self.by_pid.get(&pid).copied()
    }

    /// Bind-mount targets of a namespace, in mountinfo order, each once.
    pub fn nsfs_targets(&self, ns: &NsInfo) -> Vec<&std::path::Path> {
        let mut out: Vec<&std::path::Path> = Vec::new();
        for m in &self.mounts {
            if m.ino == ns.ino && m.name == ns.kind.proc_name() && !out.contains(&&*m.target) {
                out.push(&m.target);
            }
        }
        out
    }
}

/// Why a scan failed.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// The kernel does not know an nsfs ioctl (ENOTTY/ENOSYS).
    #[error("Unsupported ioctl {0}")]
    UnsupportedIoctl(&'static str),
    /// `/proc` itself could not be read.
    #[error("cannot read {path}: {source}")]
    Proc { path: String, source: io::Error },
}

impl ScanError {
    /// The errno behind the failure.
    pub fn errno(&self) -> i32 {
        match self {
            ScanError::UnsupportedIoctl(_) => libc::ENOTTY,
            ScanError::Proc { source, .. } => source.raw_os_error().unwrap_or(libc::EIO),
        }
    }
}

// ---------------------------------------------------------------------------
// nsfs relations, through the `Namespace` handle

/// A relative (parent or owner) of a namespace: its inode and a handle.
type Relative = Option<(Ino, Namespace)>;

/// `NS_GET_PARENT` / `NS_GET_USERNS` results. EPERM (the relative is
/// outside our view, e.g. the initial namespace), ENOSYS (seen under
/// qemu-user) and EINVAL mean "none"; ENOTTY means the kernel lacks the
/// ioctl, which util-linux reports (exit status 2).
fn relative(found: io::Result<Namespace>, name: &'static str) -> Result<Relative, ScanError> {
    match found {
        Ok(rel) => Ok(rel.inode().ok().map(|ino| (ino, rel))),
        Err(e) if e.raw_os_error() == Some(libc::ENOTTY) => Err(ScanError::UnsupportedIoctl(name)),
        Err(_) => Ok(None),
    }
}

fn parent_of(ns: &Namespace, kind: Kind) -> Result<Relative, ScanError> {
    if matches!(kind, Kind::Pid | Kind::User) {
        relative(ns.parent(), "NS_GET_PARENT")
    } else {
        Ok(None)
    }
}

fn owner_of(ns: &Namespace) -> Result<Relative, ScanError> {
    relative(ns.owner(), "NS_GET_USERNS")
}

/// `SIOCGSKNS`: the network namespace of a socket.
fn socket_namespace(sock: BorrowedFd<'_>) -> io::Result<Namespace> {
    Namespace::from_fd(super::ioctl::socket_net_namespace(sock)?)
}

// ---------------------------------------------------------------------------
// NETNSID over rtnetlink

/// A NETLINK_ROUTE socket asking for namespace ids (`RTM_GETNSID`).
struct NsIdSocket(OwnedFd);

const NETNSA_NSID: u16 = 1;
const NETNSA_FD: u16 = 3;
const RTM_NEWNSID: u16 = 88;

impl NsIdSocket {
    fn open() -> io::Result<NsIdSocket> {
        use rustix::net::{socket_with, AddressFamily, SocketFlags, SocketType};
        // Protocol `None` is 0, NETLINK_ROUTE.
        let fd = socket_with(
            AddressFamily::NETLINK,
            SocketType::RAW,
            SocketFlags::CLOEXEC,
            None,
        )?;
        Ok(NsIdSocket(fd))
    }

    /// The id `target` (a network namespace fd) has in our namespace.
    fn query(&self, target: BorrowedFd<'_>) -> Option<NetNsId> {
        // nlmsghdr (16) + rtgenmsg padded to 4 + rtattr (4) + i32: the
        // request util-linux and iproute2 send.
        let mut req = [0u8; 28];
        req[0..4].copy_from_slice(&28u32.to_ne_bytes());
        req[4..6].copy_from_slice(&libc::RTM_GETNSID.to_ne_bytes());
        req[6..8].copy_from_slice(&(libc::NLM_F_REQUEST as u16).to_ne_bytes());
        req[16] = libc::AF_UNSPEC as u8;
        req[20..22].copy_from_slice(&8u16.to_ne_bytes());
        req[22..24].copy_from_slice(&NETNSA_FD.to_ne_bytes());
        req[24..28].copy_from_slice(&target.as_raw_fd().to_ne_bytes());
        rustix::net::send(&self.0, &req, rustix::net::SendFlags::empty()).ok()?;
        let mut buf = [0u8; 256];
        let (n, _) = rustix::net::recv(&self.0, &mut buf, rustix::net::RecvFlags::empty()).ok()?;
        parse_nsid_reply(&buf[..n.min(buf.len())])
    }
}

/// Parses an `RTM_NEWNSID` reply; pure, for testing.
fn parse_nsid_reply(msg: &[u8]) -> Option<NetNsId> {
    let u16_at = |i: usize| msg.get(i..i + 2).map(|b| u16::from_ne_bytes([b[0], b[1]]));
    let len = msg
        .get(0..4)
        .map(|b| u32::from_ne_bytes([b[0], b[1], b[2], b[3]]))? as usize;
    if len > msg.len() || len < 28 || u16_at(4)? != RTM_NEWNSID {
        return None;
    }
    let rta_len = u16_at(20)? as usize;
    if rta_len < 8 || 20 + rta_len > len || u16_at(22)? != NETNSA_NSID {
        return None;
    }
    let id = i32::from_ne_bytes(msg.get(24..28)?.try_into().ok()?);
    Some(if id == -1 {
        NetNsId::Unassigned
    } else {
        NetNsId::Assigned(id)
    })
}

// ---------------------------------------------------------------------------
// mountinfo

/// One line of `/proc/PID/mountinfo`, with the octal escapes (`\040`) of
/// root and mount point undone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountInfo {
    pub id: u32,
    pub parent_id: u32,
    pub root: OsString,
    pub target: OsString,
    pub fstype: String,
    pub source: OsString,
}

/// Parses mountinfo text. Pure: malformed lines are skipped, never a panic.
pub fn parse_mountinfo(text: &[u8]) -> Vec<MountInfo> {
    text.split(|&b| b == b'\n')
        .filter_map(parse_mountinfo_line)
        .collect()
}

fn parse_mountinfo_line(line: &[u8]) -> Option<MountInfo> {
    let mut fields = line.split(|&b| b == b' ').filter(|f| !f.is_empty());
    let id = std::str::from_utf8(fields.next()?).ok()?.parse().ok()?;
    let parent_id = std::str::from_utf8(fields.next()?).ok()?.parse().ok()?;
    let _devno = fields.next()?;
    let root = unescape(fields.next()?);
    let target = unescape(fields.next()?);
    let _options = fields.next()?;
    // Optional fields ("shared:1", "master:2" …) end with a lone "-".
    for f in fields.by_ref() {
        if f == b"-" {
            break;
        }
    }
    let fstype = String::from_utf8_lossy(&unescape(fields.next()?)).into_owned();
    let source = OsString::from_vec(unescape(fields.next().unwrap_or(b"none")));
    Some(MountInfo {
        id,
        parent_id,
        root: OsString::from_vec(root),
        target: OsString::from_vec(target),
        fstype,
        source,
    })
}

/// The kernel escapes space, tab, newline and backslash as `\ooo`.
fn unescape(field: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(field.len());
    let mut i = 0;
    while i < field.len() {
        let octal = field
            .get(i + 1..i + 4)
            .filter(|d| field[i] == b'\\' && d.iter().all(|c| (b'0'..=b'7').contains(c)));
        match octal {
            Some(d) => {
                let v = (d[0] - b'0') as u32 * 64 + (d[1] - b'0') as u32 * 8 + (d[2] - b'0') as u32;
                out.push(v as u8);
                i += 4;
            }
            None => {
                out.push(field[i]);
                i += 1;
            }
        }
    }
    out
}

/// The nsfs bind mounts among mountinfo entries: root `name:[inode]`.
pub fn nsfs_mounts(entries: &[MountInfo]) -> Vec<NsfsMount> {
    entries
        .iter()
        .filter(|m| m.fstype == "nsfs")
        .filter_map(|m| {
            let (name, ino) = parse_nsfs_root(m.root.as_bytes())?;
            Some(NsfsMount {
                name,
                ino,
                target: PathBuf::from(&m.target),
            })
        })
        .collect()
}

/// `net:[4026531840]` → ("net", 4026531840).
fn parse_nsfs_root(root: &[u8]) -> Option<(String, Ino)> {
    let open = root.iter().position(|&b| b == b'[')?;
    let name = root[..open].strip_suffix(b":")?;
    let digits = root[open + 1..].strip_suffix(b"]")?;
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let ino = std::str::from_utf8(digits).ok()?.parse().ok()?;
    Some((String::from_utf8_lossy(name).into_owned(), ino))
}

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

/// A process's command as util-linux shows it: `cmdline` with NULs as
/// spaces, else `comm` (kernel threads), the last byte (the terminating NUL
/// or newline) dropped, at most 8 KiB read.
pub fn process_command(pid: i32) -> Option<OsString> {
    read_command(&format!("/proc/{pid}/cmdline"))
        .or_else(|| read_command(&format!("/proc/{pid}/comm")))
}

fn read_command(path: &str) -> Option<OsString> {
    use std::io::Read;
    let mut buf = Vec::with_capacity(256);
    std::fs::File::open(path)
        .ok()?
        .take(COMMAND_MAX as u64)
        .read_to_end(&mut buf)
        .ok()?;
    if buf.is_empty() {
        return None;
    }
    buf.pop();
    for b in buf.iter_mut() {
        if *b == 0 {
            *b = b' ';
        }
    }
    Some(OsString::from_vec(buf))
}

fn read_small(dir: BorrowedFd<'_>, name: &str, buf: &mut [u8]) -> io::Result<usize> {
    let fd = rustix::fs::openat(dir, name, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())?;
    // procfs hands out small files like `stat` in one read.
    Ok(rustix::io::read(&fd, buf)?)
}

/// The numeric entries (pids, tids, fd numbers) of a directory, and the
/// directory fd back for `*at` calls. Reading stops at the first error.
fn numeric_entries(dir: OwnedFd) -> Option<(rustix::fs::Dir, Vec<i32>)> {
    let mut names = Vec::new();
    // Dir::new takes the fd as is (read_from would reopen it).
    let mut entries = rustix::fs::Dir::new(dir).ok()?;
    while let Some(Ok(entry)) = entries.read() {
        if let Some(n) = pid_name(entry.file_name().to_bytes()) {
            names.push(n);
        }
    }
    Some((entries, names))
}

/// `ns/<name>`, the path of a namespace file under `/proc/PID`.
fn ns_path(kind: Kind) -> String {
    format!("ns/{}", kind.proc_name())
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

// ---------------------------------------------------------------------------
// The scan

struct Scanner {
    opts: ScanOptions,
    snap: Snapshot,
    nsfs_dev: Option<u64>,
    netlink: Option<NsIdSocket>,
    seen_sockets: HashSet<(u64, u64)>,
}

/// Takes a snapshot of the namespaces visible from here.
pub fn scan(opts: &ScanOptions) -> Result<Snapshot, ScanError> {
    let mut sc = Scanner {
        opts: *opts,
        snap: Snapshot::default(),
        nsfs_dev: nsfs_device(),
        netlink: if opts.netnsid {
            NsIdSocket::open().ok()
        } else {
            None
        },
        seen_sockets: HashSet::new(),
    };
    sc.read_processes()?;
    if opts.mounts {
        sc.read_mounts()?;
    }
    if opts.process_ancestors {
        sc.add_process_ancestors()?;
    }
    sc.finish();
    Ok(sc.snap)
}

/// The device of the nsfs filesystem, to recognise namespace fds.
fn nsfs_device() -> Option<u64> {
    Kind::ALL.iter().find_map(|k| {
        rustix::fs::stat(format!("/proc/self/ns/{}", k.proc_name()).as_str())
            .ok()
            .map(|st| st.st_dev)
    })
}

impl Scanner {
    fn read_processes(&mut self) -> Result<(), ScanError> {
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

    fn read_process(&mut self, proc_dir: BorrowedFd<'_>, pid: i32) -> Result<(), ScanError> {
        let name = pid.to_string();
        let Ok(dir) = rustix::fs::openat(
            proc_dir,
            name.as_str(),
            OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        ) else {
            return Ok(());
        };
        let uid = match rustix::fs::fstat(&dir) {
            Ok(st) => st.st_uid,
            Err(_) => return Ok(()),
        };
        let mut buf = [0u8; 1024];
        let Ok(n) = read_small(dir.as_fd(), "stat", &mut buf) else {
            return Ok(());
        };
        let Some((_, ppid, threads)) = parse_proc_stat(&buf[..n]) else {
            return Ok(());
        };
        let mut ns = [0; 8];
        for kind in Kind::ALL {
            if !self.opts.kinds.contains(kind.into()) {
                continue;
            }
            match rustix::fs::statat(&dir, ns_path(kind), AtFlags::empty()) {
                Ok(st) => ns[kind as usize] = st.st_ino,
                Err(e) if vanished(&e.into()) => {}
                Err(_) => return Ok(()),
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
        if self.opts.threads && threads > 1 {
            self.read_threads(dir.as_fd(), pid, uid, &ns)?;
        }
        if self.opts.open_fds {
            self.read_open_fds(dir.as_fd(), pid)?;
        }
        Ok(())
    }

    /// Adds process `index` to its namespaces, creating those seen first.
    /// `prefix` leads from the process directory to the task (`task/TID/`).
    fn join_namespaces(
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
                None => {
                    let path = format!("{prefix}{}", ns_path(kind));
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
                        Err(_) => self.insert(kind, ino, None, None, None, None),
                    }
                }
            };
            self.snap.namespaces[ns].members.push(index);
        }
        Ok(())
    }

    /// Records a namespace with its relations (not its relatives).
    /// Returns its index and the relatives' handles.
    fn add_namespace(
        &mut self,
        handle: &Namespace,
        kind: Kind,
        ino: Ino,
    ) -> Result<(usize, Relative, Relative), ScanError> {
        let parent = parent_of(handle, kind)?;
        let owner = owner_of(handle)?;
        let owner_uid = if kind == Kind::User {
            handle.owner_uid().ok()
        } else {
            None
        };
        let netnsid = match (&self.netlink, kind) {
            (Some(sock), Kind::Net) => sock.query(handle.as_fd()),
            _ => None,
        };
        let index = self.insert(
            kind,
            ino,
            parent.as_ref().map(|r| r.0),
            owner.as_ref().map(|r| r.0),
            owner_uid,
            netnsid,
        );
        Ok((index, parent, owner))
    }

    fn insert(
        &mut self,
        kind: Kind,
        ino: Ino,
        parent: Option<Ino>,
        owner: Option<Ino>,
        owner_uid: Option<u32>,
        netnsid: Option<NetNsId>,
    ) -> usize {
        let index = self.snap.namespaces.len();
        self.snap.namespaces.push(NsInfo {
            ino,
            kind,
            parent,
            owner,
            owner_uid,
            members: Vec::new(),
            holder: None,
            netnsid,
        });
        self.snap.index.insert(ino, index);
        index
    }

    /// A namespace found through an fd or a mount (kind unknown until
    /// asked), then its parent and owner chains, as util-linux does.
    fn add_namespace_fd(
        &mut self,
        handle: &Namespace,
        ino: Ino,
        depth: usize,
    ) -> Result<(), ScanError> {
        if depth > MAX_RELATION_DEPTH || self.snap.index.contains_key(&ino) {
            return Ok(());
        }
        let Ok(kind) = handle.kind() else {
            return Ok(());
        };
        if !self.opts.kinds.contains(kind.into()) {
            return Ok(());
        }
        let (_, parent, owner) = self.add_namespace(handle, kind, ino)?;
        self.add_relatives(parent, owner, ino, depth)
    }

    fn add_relatives(
        &mut self,
        parent: Relative,
        owner: Relative,
        ino: Ino,
        depth: usize,
    ) -> Result<(), ScanError> {
        for (rel_ino, rel) in [parent, owner].into_iter().flatten() {
            if rel_ino != ino {
                self.add_namespace_fd(&rel, rel_ino, depth + 1)?;
            }
        }
        Ok(())
    }

    fn read_threads(
        &mut self,
        dir: BorrowedFd<'_>,
        pid: i32,
        uid: u32,
        leader: &[Ino; 8],
    ) -> Result<(), ScanError> {
        let Ok(task) = rustix::fs::openat(
            dir,
            "task",
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        ) else {
            return Ok(());
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
                let path = format!("{tid}/{}", ns_path(kind));
                if let Ok(st) = rustix::fs::statat(task, path.as_str(), AtFlags::empty()) {
                    if st.st_ino != here {
                        ns[kind as usize] = st.st_ino;
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

    /// `/proc/PID/fd/*`: nsfs files and sockets.
    fn read_open_fds(&mut self, dir: BorrowedFd<'_>, pid: i32) -> Result<(), ScanError> {
        let Ok(fd_dir) = rustix::fs::openat(
            dir,
            "fd",
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        ) else {
            return Ok(());
        };
        let Some((fd_dir, fds)) = numeric_entries(fd_dir) else {
            return Ok(());
        };
        let Ok(fd_dir) = fd_dir.fd() else {
            return Ok(());
        };
        let mut pidfd: Option<OwnedFd> = None;
        for num in fds {
            let name = num.to_string();
            let Ok(st) = rustix::fs::statat(fd_dir, name.as_str(), AtFlags::empty()) else {
                continue;
            };
            if Some(st.st_dev) == self.nsfs_dev {
                if self.snap.index.contains_key(&st.st_ino) {
                    continue;
                }
                if let Ok(fd) = rustix::fs::openat(
                    fd_dir,
                    name.as_str(),
                    OFlags::RDONLY | OFlags::CLOEXEC,
                    Mode::empty(),
                ) {
                    if let Ok(handle) = Namespace::from_fd(fd) {
                        self.add_namespace_fd(&handle, st.st_ino, 0)?;
                    }
                }
            } else if st.st_mode & libc::S_IFMT == libc::S_IFSOCK
                && self.opts.kinds.contains(Kinds::NET)
            {
                // A socket shared by several processes is asked about once.
                if !self.seen_sockets.insert((st.st_dev, st.st_ino)) {
                    continue;
                }
                if pidfd.is_none() {
                    pidfd = rustix::process::Pid::from_raw(pid).and_then(|p| {
                        rustix::process::pidfd_open(p, rustix::process::PidfdFlags::empty()).ok()
                    });
                }
                let Some(pidfd) = &pidfd else { continue };
                self.add_socket_namespace(pidfd.as_fd(), num)?;
            }
        }
        Ok(())
    }

    /// The network namespace of another process's socket. Extra
    /// information: every failure is ignored.
    fn add_socket_namespace(&mut self, pidfd: BorrowedFd<'_>, num: i32) -> Result<(), ScanError> {
        let Ok(sock) =
            rustix::process::pidfd_getfd(pidfd, num, rustix::process::PidfdGetfdFlags::empty())
        else {
            return Ok(());
        };
        let Ok(handle) = socket_namespace(sock.as_fd()) else {
            return Ok(());
        };
        let Ok(ino) = handle.inode() else {
            return Ok(());
        };
        self.add_namespace_fd(&handle, ino, 0)
    }

    /// Persistent namespaces: nsfs bind mounts.
    fn read_mounts(&mut self) -> Result<(), ScanError> {
        let text = std::fs::read("/proc/self/mountinfo").map_err(|e| ScanError::Proc {
            path: "/proc/self/mountinfo".into(),
            source: e,
        })?;
        self.snap.mounts = nsfs_mounts(&parse_mountinfo(&text));
        let mounts = std::mem::take(&mut self.snap.mounts);
        for m in &mounts {
            if self.snap.index.contains_key(&m.ino) {
                continue;
            }
            if let Ok(handle) = Namespace::open(&m.target) {
                // The mount may have been replaced since mountinfo was read.
                if handle.inode().ok() == Some(m.ino) {
                    self.add_namespace_fd(&handle, m.ino, 0)?;
                }
            }
        }
        self.snap.mounts = mounts;
        Ok(())
    }

    /// Parents and owners of process namespaces that no process holds
    /// (`lsns -T`): reopened through a member process.
    fn add_process_ancestors(&mut self) -> Result<(), ScanError> {
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
            let Ok(handle) = Namespace::open(format!("/proc/{pid}/{}", ns_path(kind))) else {
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

    /// Sorts by inode and picks each namespace's lowest-pid member.
    fn finish(&mut self) {
        let snap = &mut self.snap;
        snap.namespaces.sort_by_key(|ns| ns.ino);
        snap.index = snap
            .namespaces
            .iter()
            .enumerate()
            .map(|(i, ns)| (ns.ino, i))
            .collect();
        for ns in &mut snap.namespaces {
            ns.holder = ns
                .members
                .iter()
                .copied()
                .min_by_key(|&i| snap.processes[i].pid);
        }
    }
}

/// A directory name that is a pid (all digits, fits an i32).
fn pid_name(name: &[u8]) -> Option<i32> {
    if name.is_empty() || name.len() > 10 || !name.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(name).ok()?.parse().ok()
}

// ---------------------------------------------------------------------------
// The simple question

/// A namespace of the host, as [`namespaces_of_kind`] reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostNamespace {
    pub ino: Ino,
    /// The lowest-pid process in it, if any, and its command.
    pub pid: Option<i32>,
    pub command: Option<OsString>,
    /// Its nsfs bind mounts (persistent namespaces may have no process).
    pub nsfs_paths: Vec<PathBuf>,
}

/// Every namespace of `kind` visible from here, each once, sorted by inode:
/// those of processes and those bind-mounted. (Namespaces held only by an
/// open fd are left out: there is nothing to open them by.)
pub fn namespaces_of_kind(kind: Kind) -> Result<Vec<HostNamespace>, ScanError> {
    let snap = scan(&ScanOptions {
        kinds: Kinds::from(kind),
        open_fds: false,
        mounts: true,
        process_ancestors: false,
        netnsid: false,
        threads: true,
    })?;
    Ok(snap
        .namespaces
        .iter()
        .map(|ns| {
            let pid = ns.holder.map(|i| snap.processes[i].pid);
            HostNamespace {
                ino: ns.ino,
                pid,
                command: pid.and_then(process_command),
                nsfs_paths: snap
                    .nsfs_targets(ns)
                    .into_iter()
                    .map(PathBuf::from)
                    .collect(),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mountinfo_lines() {
        let text = b"22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n\
            600 22 0:4 net:[4026532300] /run/netns/a\\040b rw shared:5 master:2 - nsfs nsfs rw\n\
            601 22 0:4 mnt:[4026532301] /x rw - nsfs nsfs rw\n\
            garbage\n\
            602 22 0:4 net:[12x] /y rw - nsfs nsfs rw\n";
        let all = parse_mountinfo(text);
        assert_eq!(all.len(), 4);
        assert_eq!(all[1].target, OsString::from("/run/netns/a b"));
        assert_eq!(all[1].fstype, "nsfs");
        let ns = nsfs_mounts(&all);
        assert_eq!(
            ns,
            vec![
                NsfsMount {
                    name: "net".into(),
                    ino: 4026532300,
                    target: "/run/netns/a b".into()
                },
                NsfsMount {
                    name: "mnt".into(),
                    ino: 4026532301,
                    target: "/x".into()
                },
            ]
        );
    }

    #[test]
    fn mountinfo_never_panics() {
        for text in [
            &b""[..],
            b"\n\n",
            b"1 2",
            b"1 2 3 4 5 6 -",
            b"1 2 3 \\12 \\",
            b"1 2 3 4 5 6 - nsfs",
            b"\xff\xfe 1",
        ] {
            let _ = nsfs_mounts(&parse_mountinfo(text));
        }
        assert_eq!(unescape(b"a\\134b\\0"), b"a\\b\\0");
    }

    #[test]
    fn stat_lines() {
        let line = b"123 (a) b) (c) S 45 123 123 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 3 0 1 2 3";
        assert_eq!(parse_proc_stat(line), Some((123, 45, 3)));
        assert_eq!(parse_proc_stat(b"1 (x"), None);
        assert_eq!(parse_proc_stat(b"7 (x) S 1"), Some((7, 1, 1)));
    }

    #[test]
    fn nsid_reply() {
        let mut msg = [0u8; 28];
        msg[0..4].copy_from_slice(&28u32.to_ne_bytes());
        msg[4..6].copy_from_slice(&RTM_NEWNSID.to_ne_bytes());
        msg[20..22].copy_from_slice(&8u16.to_ne_bytes());
        msg[22..24].copy_from_slice(&NETNSA_NSID.to_ne_bytes());
        msg[24..28].copy_from_slice(&(-1i32).to_ne_bytes());
        assert_eq!(parse_nsid_reply(&msg), Some(NetNsId::Unassigned));
        msg[24..28].copy_from_slice(&7i32.to_ne_bytes());
        assert_eq!(parse_nsid_reply(&msg), Some(NetNsId::Assigned(7)));
        assert_eq!(parse_nsid_reply(&msg[..20]), None);
    }

    #[test]
    fn scan_finds_our_own_namespaces() {
        let snap = scan(&ScanOptions::default()).unwrap();
        let me = std::process::id() as i32;
        let index = snap.process_index(me).expect("our own process");
        let uts = snap.processes[index].ns[Kind::Uts as usize];
        let ino = std::fs::metadata("/proc/self/ns/uts")
            .map(|m| std::os::unix::fs::MetadataExt::ino(&m))
            .unwrap();
        assert_eq!(uts, ino);
        let ns = snap.namespace(uts).unwrap();
        assert_eq!(ns.kind, Kind::Uts);
        assert!(ns.members.contains(&index));
        assert!(snap.namespaces.windows(2).all(|w| w[0].ino < w[1].ino));
    }
}
