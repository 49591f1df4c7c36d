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
//! process costs one directory fd, one `statat` of its `task` directory
//! (owner and thread count), one `readlinkat` per namespace kind (cheaper
//! than following the link to `stat` the nsfs inode) and one listing of its
//! open fds; `/proc/PID/stat` is read only when parent pids are asked for
//! ([`ScanOptions::ppid`]). Namespace files are opened for the `NS_GET_*`
//! ioctls only when relations are asked for ([`ScanOptions::relations`]),
//! and then once per *namespace*, not per process; everything is looked up
//! through hash maps. util-linux opens every namespace file of every
//! process and searches linked lists, which is quadratic in the number of
//! processes.

use crate::Pid;
use std::collections::{HashMap, HashSet};
use std::io;
use std::os::fd::AsFd;
use std::path::PathBuf;

use super::{Kind, Kinds, Namespace};

/// A namespace's identity: the inode number of its nsfs file.
pub type Ino = u64;

/// Deepest chain of parents/owners followed (the kernel nests user and PID
/// namespaces at most 32 deep).
const MAX_RELATION_DEPTH: usize = 64;

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
    /// Parents, owners and owner uids ([`NsInfo::parent`], [`NsInfo::owner`],
    /// [`NsInfo::owner_uid`]) of namespaces found through processes. When
    /// false they are `None` for those namespaces and their files are never
    /// opened (namespaces found only through fds and mounts, which may have
    /// no process to show, always get them). [`ScanOptions::process_ancestors`]
    /// implies it.
    pub relations: bool,
    /// Whose parent pid to read (`/proc/PID/stat`); the others have
    /// [`Process::ppid`] 0 (threads always name their leader).
    pub ppid: Ppids,
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
            relations: true,
            ppid: Ppids::All,
            threads: true,
        }
    }
}

/// Which processes [`scan`] reads the parent pid of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ppids {
    /// None: every [`Process::ppid`] is 0.
    None,
    /// Only the holders ([`NsInfo::holder`]), read after the scan: what a
    /// listing of namespaces with their holders shows.
    Holders,
    /// Every process, read with its namespaces.
    All,
}

/// A process (or a thread in namespaces of its own) as seen in `/proc`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Process {
    /// Process id.
    pub pid: Pid,
    /// Parent process id (0 for the roots of the PID namespace, and when
    /// [`ScanOptions::ppid`] was not asked for).
    pub ppid: Pid,
    /// Owner of `/proc/PID` (the process's effective uid, as util-linux shows it).
    pub uid: u32,
    /// For a thread listed on its own: its thread-group leader. Such a
    /// thread is a member only of the namespaces where it differs from
    /// its leader; its `ppid` is the leader's pid.
    pub thread_of: Option<Pid>,
    /// Namespace inode per kind (`Kind as usize`), 0 when not read.
    pub ns: [Ino; 8],
}

/// The network subsystem's id of a network namespace (`RTM_GETNSID`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetNsId {
    /// The id the caller's network namespace knows it by.
    Assigned(i32),
    /// `NETNSA_NSID_NOT_ASSIGNED`.
    Unassigned,
}

/// One namespace of the snapshot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NsInfo {
    /// Its inode number.
    pub ino: Ino,
    /// Its type.
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
    /// The inode of the namespace it keeps alive.
    pub ino: Ino,
    /// The mount point.
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
    pub fn process_index(&self, pid: Pid) -> Option<usize> {
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
    #[error("ioctl {0} not supported by the kernel")]
    UnsupportedIoctl(&'static str),
    /// `/proc` or a process's files could not be read for another reason
    /// than the process being gone or hidden (EMFILE, ENOMEM, EIO, …).
    #[error("cannot read {path}: {source}")]
    Proc {
        /// The file or directory.
        path: String,
        /// What reading it gave.
        source: io::Error,
    },
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

mod fds;
use fds::NsIdSocket;
mod mounts;
mod process;

#[cfg(feature = "fuzzing")]
pub use mounts::{nsfs_mounts, parse_mountinfo, MountInfo};
#[cfg(feature = "fuzzing")]
pub use process::parse_proc_stat;

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

pub(super) fn parent_of(ns: &Namespace, kind: Kind) -> Result<Relative, ScanError> {
    if matches!(kind, Kind::Pid | Kind::User) {
        relative(ns.parent(), "NS_GET_PARENT")
    } else {
        Ok(None)
    }
}

pub(super) fn owner_of(ns: &Namespace) -> Result<Relative, ScanError> {
    relative(ns.owner(), "NS_GET_USERNS")
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
///
/// # Examples
///
/// ```
/// use nsipc::ns::discover::{scan, ScanOptions};
/// let snap = scan(&ScanOptions::default())?;
/// for ns in &snap.namespaces {
///     println!("{} {} {} processes", ns.ino, ns.kind, ns.members.len());
/// }
/// # Ok::<(), nsipc::ns::discover::ScanError>(())
/// ```
///
/// # References
/// - [namespaces(7)](https://man7.org/linux/man-pages/man7/namespaces.7.html)
/// - [ioctl_ns(2)](https://man7.org/linux/man-pages/man2/ioctl_ns.2.html)
/// - [proc(5)](https://man7.org/linux/man-pages/man5/proc.5.html)
pub fn scan(opts: &ScanOptions) -> Result<Snapshot, ScanError> {
    let mut opts = *opts;
    // Finding the ancestors needs the relations of process namespaces.
    opts.relations |= opts.process_ancestors;
    let mut sc = Scanner {
        opts,
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
    if opts.ppid == Ppids::Holders {
        sc.read_holder_ppids();
    }
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
    /// Whether a namespace of `kind` found through a process must be opened:
    /// for its relations, or for its NETNSID.
    pub(super) fn needs_handle(&self, kind: Kind) -> bool {
        self.opts.relations || (kind == Kind::Net && self.netlink.is_some())
    }

    /// Records a namespace with its relations (not its relatives).
    /// Returns its index and the relatives' handles.
    pub(super) fn add_namespace(
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

    pub(super) fn insert(
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
    pub(super) fn add_namespace_fd(
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

    pub(super) fn add_relatives(
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

    /// Sorts by inode and picks each namespace's lowest-pid member.
    pub(super) fn finish(&mut self) {
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

// ---------------------------------------------------------------------------
// The simple question

/// A namespace of the host, as [`namespaces_of_kind`] reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostNamespace {
    /// Its inode number.
    pub ino: Ino,
    /// The lowest-pid process in it, if any.
    pub pid: Option<Pid>,
    /// Its nsfs bind mounts (persistent namespaces may have no process).
    pub nsfs_paths: Vec<PathBuf>,
}

/// Every namespace of `kind` visible from here, each once, sorted by inode:
/// those of processes and those bind-mounted. (Namespaces held only by an
/// open fd are left out: there is nothing to open them by.)
///
/// # Examples
///
/// ```
/// use nsipc::ns::discover::namespaces_of_kind;
/// use nsipc::ns::Kind;
/// for ns in namespaces_of_kind(Kind::Ipc)? {
///     println!("{} held by {:?}", ns.ino, ns.pid);
/// }
/// # Ok::<(), nsipc::ns::discover::ScanError>(())
/// ```
///
/// # References
/// - [namespaces(7)](https://man7.org/linux/man-pages/man7/namespaces.7.html)
pub fn namespaces_of_kind(kind: Kind) -> Result<Vec<HostNamespace>, ScanError> {
    let snap = scan(&ScanOptions {
        kinds: Kinds::from(kind),
        open_fds: false,
        mounts: true,
        process_ancestors: false,
        netnsid: false,
        relations: false,
        ppid: Ppids::None,
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
