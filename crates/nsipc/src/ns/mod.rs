//! Linux namespaces.
//!
//! A namespace wraps a global resource so that the processes inside it see
//! their own instance of it: an IPC namespace has its own System V objects
//! and POSIX message queues, a UTS namespace its own hostname, and so on.
//! Each is visible as `/proc/PID/ns/<name>`; opening that file gives a
//! handle that `setns(2)` joins and a bind mount keeps alive.
//!
//! - [`Kind`]: the eight namespace types, their clone flags and file names.
//! - [`enter`]: joining existing namespaces.
//! - [`discover`]: finding namespaces and their relations.

pub mod discover;
pub mod enter;

/// A namespace type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Mount,
    Uts,
    Ipc,
    Net,
    Pid,
    User,
    Cgroup,
    Time,
}

impl Kind {
    /// Every kind, in util-linux's listing order (`lsns -t`, `nsenter -a`).
    pub const ALL: [Kind; 8] = [
        Kind::Mount,
        Kind::Uts,
        Kind::Ipc,
        Kind::Net,
        Kind::Pid,
        Kind::User,
        Kind::Cgroup,
        Kind::Time,
    ];

    /// The `CLONE_NEW*` flag for `unshare(2)` and `setns(2)`.
    pub const fn clone_flag(self) -> libc::c_int {
        match self {
            Kind::Mount => libc::CLONE_NEWNS,
            Kind::Uts => libc::CLONE_NEWUTS,
            Kind::Ipc => libc::CLONE_NEWIPC,
            Kind::Net => libc::CLONE_NEWNET,
            Kind::Pid => libc::CLONE_NEWPID,
            Kind::User => libc::CLONE_NEWUSER,
            Kind::Cgroup => libc::CLONE_NEWCGROUP,
            Kind::Time => libc::CLONE_NEWTIME,
        }
    }

    /// The file name under `/proc/PID/ns/`.
    pub const fn proc_name(self) -> &'static str {
        match self {
            Kind::Mount => "mnt",
            Kind::Uts => "uts",
            Kind::Ipc => "ipc",
            Kind::Net => "net",
            Kind::Pid => "pid",
            Kind::User => "user",
            Kind::Cgroup => "cgroup",
            Kind::Time => "time",
        }
    }

    /// For pid and time namespaces, the file naming the namespace the
    /// process's *children* get (`pid_for_children`, `time_for_children`):
    /// unshare(2) of these moves only future children.
    pub const fn for_children_name(self) -> Option<&'static str> {
        match self {
            Kind::Pid => Some("pid_for_children"),
            Kind::Time => Some("time_for_children"),
            _ => None,
        }
    }

    /// Parses a `/proc/PID/ns/` name (`mnt`, `ipc`, …), as `lsns -t` takes it.
    pub fn from_proc_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.proc_name() == name)
    }

    /// The kind of a `CLONE_NEW*` flag, e.g. from `NS_GET_NSTYPE`.
    pub fn from_clone_flag(flag: libc::c_int) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.clone_flag() == flag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in Kind::ALL {
            assert_eq!(Kind::from_proc_name(kind.proc_name()), Some(kind));
            assert_eq!(Kind::from_clone_flag(kind.clone_flag()), Some(kind));
        }
        assert_eq!(Kind::from_proc_name("bogus"), None);
    }
}
