//! lsipc's columns: the column table, the resources and their default
//! columns.

use crate::containers;
use crate::output::Flags;

/// Every column, in util-linux's order (the detail view prints them in it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Col {
    Key,
    Ident,
    Owner,
    Perms,
    Cuid,
    Cuser,
    Cgid,
    Cgroup,
    Uid,
    User,
    Gid,
    Group,
    Ctime,
    Name,
    Mtime,
    UsedBytes,
    Msgs,
    Send,
    Recv,
    Lspid,
    Lrpid,
    Size,
    Nattch,
    Status,
    Attach,
    Detach,
    Command,
    Cpid,
    Lpid,
    Nsems,
    Otime,
    Resource,
    Desc,
    Limit,
    Used,
    UsePerc,
    Sval,
    IpcNs,
    NsPid,
    NsCommand,
    Holders,
    NHolders,
    Container,
    ContainerId,
    Runtime,
    Pod,
}

/// A column: its name, its label in the detail view, and how it prints.
pub(super) struct ColInfo {
    pub(super) col: Col,
    pub(super) name: &'static str,
    pub(super) pretty: &'static str,
    pub(super) flags: Flags,
}

pub(super) const fn info(
    col: Col,
    name: &'static str,
    pretty: &'static str,
    flags: Flags,
) -> ColInfo {
    ColInfo {
        col,
        name,
        pretty,
        flags,
    }
}

pub(super) const R: Flags = Flags::RIGHT;
pub(super) const L: Flags = Flags::NONE;

pub(super) static COLUMNS: &[ColInfo] = &[
    info(Col::Key, "KEY", "Key", L),
    info(Col::Ident, "ID", "ID", L),
    info(Col::Owner, "OWNER", "Owner", R),
    info(Col::Perms, "PERMS", "Permissions", R),
    info(Col::Cuid, "CUID", "Creator UID", R),
    info(Col::Cuser, "CUSER", "Creator user", L),
    info(Col::Cgid, "CGID", "Creator GID", R),
    info(Col::Cgroup, "CGROUP", "Creator group", L),
    info(Col::Uid, "UID", "UID", R),
    info(Col::User, "USER", "User name", L),
    info(Col::Gid, "GID", "GID", R),
    info(Col::Group, "GROUP", "Group name", L),
    info(Col::Ctime, "CTIME", "Last change", R),
    info(Col::Name, "NAME", "Name", L),
    info(Col::Mtime, "MTIME", "Last action", R),
    info(Col::UsedBytes, "USEDBYTES", "Bytes used", R),
    info(Col::Msgs, "MSGS", "Messages", L),
    info(Col::Send, "SEND", "Msg sent", R),
    info(Col::Recv, "RECV", "Msg received", R),
    info(Col::Lspid, "LSPID", "Msg sender", R),
    info(Col::Lrpid, "LRPID", "Msg receiver", R),
    info(Col::Size, "SIZE", "Segment size", R),
    info(Col::Nattch, "NATTCH", "Attached processes", R),
    info(Col::Status, "STATUS", "Status", Flags::NOEXTREMES),
    info(Col::Attach, "ATTACH", "Attach time", R),
    info(Col::Detach, "DETACH", "Detach time", R),
    info(Col::Command, "COMMAND", "Creator command", Flags::TRUNC),
    info(Col::Cpid, "CPID", "Creator PID", R),
    info(Col::Lpid, "LPID", "Last user PID", R),
    info(Col::Nsems, "NSEMS", "Semaphores", R),
    info(Col::Otime, "OTIME", "Last operation", R),
    info(Col::Resource, "RESOURCE", "Resource", L),
    info(Col::Desc, "DESCRIPTION", "Description", L),
    info(Col::Limit, "LIMIT", "Limit", R),
    info(Col::Used, "USED", "Used", R),
    info(Col::UsePerc, "USE%", "Use", R),
    info(Col::Sval, "SVAL", "Value", R),
    info(Col::IpcNs, "IPCNS", "IPC namespace", R),
    info(Col::NsPid, "NSPID", "Namespace PID", R),
    info(
        Col::NsCommand,
        "NSCOMMAND",
        "Namespace command",
        Flags::TRUNC,
    ),
    info(Col::Holders, "HOLDERS", "Holders", Flags::TRUNC),
    info(Col::NHolders, "NHOLDERS", "Number of holders", R),
    info(Col::Container, containers::COLUMNS[0].0, "Container", L),
    info(
        Col::ContainerId,
        containers::COLUMNS[1].0,
        "Container ID",
        L,
    ),
    info(Col::Runtime, containers::COLUMNS[2].0, "Runtime", L),
    info(Col::Pod, containers::COLUMNS[3].0, "Pod", L),
];

/// The columns `--all-namespaces` adds (tools allns.rs fills them).
pub(super) const NAMESPACE_COLUMNS: &[Col] = &[
    Col::IpcNs,
    Col::NsPid,
    Col::NsCommand,
    Col::Container,
    Col::ContainerId,
    Col::Runtime,
    Col::Pod,
];

/// Every column's name and label, from the table above (for the man page
/// and the completions).
pub fn column_list() -> Vec<(&'static str, &'static str)> {
    COLUMNS.iter().map(|c| (c.name, c.pretty)).collect()
}

pub(super) fn col_info(col: Col) -> &'static ColInfo {
    // COLUMNS is in enum order.
    &COLUMNS[col as usize]
}

/// util-linux's column array holds each column at most twice; a longer
/// `-o` fails silently with exit 1, as there.
pub(super) const MAX_COLUMNS: usize = 2 * 40;

/// The six kinds of objects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Resource {
    Msg,
    Shm,
    Sem,
    PosixMsg,
    PosixShm,
    PosixSem,
}

impl Resource {
    pub(super) fn is_posix(self) -> bool {
        matches!(
            self,
            Resource::PosixMsg | Resource::PosixShm | Resource::PosixSem
        )
    }

    pub(super) fn defaults(self) -> &'static [Col] {
        use Col::*;
        match self {
            Self::Msg => &[Key, Ident, Perms, Owner, UsedBytes, Msgs, Lspid, Lrpid],
            Self::Shm => &[
                Key, Ident, Perms, Owner, Size, Nattch, Status, Ctime, Cpid, Lpid, Command,
            ],
            Self::Sem => &[Key, Ident, Perms, Owner, Nsems],
            Self::PosixMsg => &[Name, Perms, Owner, Mtime, UsedBytes, Msgs],
            Self::PosixShm => &[Name, Perms, Owner, Size, Mtime],
            Self::PosixSem => &[Name, Perms, Owner, Mtime, Sval],
        }
    }

    /// Columns this resource fills, beyond the generic ones util-linux
    /// always accepts in `-o`.
    pub(super) fn own_columns(self) -> &'static [Col] {
        use Col::*;
        match self {
            Self::Msg => &[UsedBytes, Msgs, Send, Recv, Lspid, Lrpid],
            Self::Shm => &[Size, Nattch, Status, Attach, Detach, Command, Cpid, Lpid],
            Self::Sem => &[Nsems, Otime],
            Self::PosixMsg => &[Name, Mtime, UsedBytes, Msgs],
            Self::PosixShm => &[Name, Mtime, Size],
            Self::PosixSem => &[Name, Mtime, Sval],
        }
    }

    pub(super) fn long_option(self) -> &'static str {
        match self {
            Resource::Msg => "queues",
            Resource::Shm => "shmems",
            Resource::Sem => "semaphores",
            Resource::PosixMsg => "posix-mqueues",
            Resource::PosixShm => "posix-shmems",
            Resource::PosixSem => "posix-semaphores",
        }
    }
}

pub(super) const GLOBAL_COLUMNS: &[Col] = &[
    Col::Resource,
    Col::Desc,
    Col::Limit,
    Col::Used,
    Col::UsePerc,
];
