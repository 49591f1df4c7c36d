//! lsns's columns: util-linux's, then the container columns.

use crate::containers::{self, Field};
use crate::output::{Flags, JsonType};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Col {
    Ns,
    Type,
    Path,
    Nprocs,
    Pid,
    Ppid,
    Command,
    Uid,
    User,
    NetNsId,
    Nsfs,
    Pns,
    Ons,
    Container(Field),
}

pub(super) struct ColInfo {
    pub(super) col: Col,
    pub(super) name: &'static str,
    pub(super) width: f64,
    pub(super) flags: Flags,
    pub(super) json: JsonType,
    pub(super) help: &'static str,
}

pub(super) const fn info(
    col: Col,
    name: &'static str,
    width: f64,
    flags: Flags,
    json: JsonType,
    help: &'static str,
) -> ColInfo {
    ColInfo {
        col,
        name,
        width,
        flags,
        json,
        help,
    }
}

/// util-linux's column table: names, width hints, flags, JSON types.
pub(super) const COLUMNS: &[ColInfo] = &[
    info(
        Col::Ns,
        "NS",
        10.0,
        Flags::RIGHT,
        JsonType::Number,
        "inode number identifying the namespace",
    ),
    info(
        Col::Type,
        "TYPE",
        5.0,
        Flags::NONE,
        JsonType::String,
        "namespace type",
    ),
    info(
        Col::Path,
        "PATH",
        0.0,
        Flags::NONE,
        JsonType::String,
        "/proc path of the namespace file",
    ),
    info(
        Col::Nprocs,
        "NPROCS",
        5.0,
        Flags::RIGHT,
        JsonType::Number,
        "how many processes are in it",
    ),
    info(
        Col::Pid,
        "PID",
        5.0,
        Flags::RIGHT,
        JsonType::Number,
        "its process with the lowest PID",
    ),
    info(
        Col::Ppid,
        "PPID",
        5.0,
        Flags::RIGHT,
        JsonType::Number,
        "parent PID of that process",
    ),
    info(
        Col::Command,
        "COMMAND",
        0.0,
        Flags::TRUNC,
        JsonType::String,
        "command line of that process",
    ),
    info(
        Col::Uid,
        "UID",
        0.0,
        Flags::RIGHT,
        JsonType::Number,
        "user ID of that process",
    ),
    info(
        Col::User,
        "USER",
        0.0,
        Flags::NONE,
        JsonType::String,
        "user name of that process",
    ),
    info(
        Col::NetNsId,
        "NETNSID",
        0.0,
        Flags::RIGHT,
        JsonType::String,
        "network namespace id (netlink)",
    ),
    info(
        Col::Nsfs,
        "NSFS",
        0.0,
        Flags::WRAP,
        JsonType::String,
        "where it is bind-mounted (nsfs)",
    ),
    info(
        Col::Pns,
        "PNS",
        10.0,
        Flags::RIGHT,
        JsonType::Number,
        "inode number of the parent namespace",
    ),
    info(
        Col::Ons,
        "ONS",
        10.0,
        Flags::RIGHT,
        JsonType::Number,
        "inode number of the owner user namespace",
    ),
    // Not util-linux's: asked for by name, never by --output-all.
    container_col(0),
    container_col(1),
    container_col(2),
    container_col(3),
];

/// util-linux's columns, those --output-all prints.
pub(super) const UTIL_LINUX_COLUMNS: usize = 13;

pub(super) const fn container_col(i: usize) -> ColInfo {
    let (name, help, field) = containers::COLUMNS[i];
    info(
        Col::Container(field),
        name,
        0.1,
        Flags::NONE,
        JsonType::String,
        help,
    )
}

/// util-linux's `columns[]` array size.
pub(super) const MAX_COLUMNS: usize = UTIL_LINUX_COLUMNS * 2;

/// Every column's name and description, from the table above (for the man
/// page and the completions).
pub fn column_list() -> Vec<(&'static str, &'static str)> {
    COLUMNS.iter().map(|c| (c.name, c.help)).collect()
}

pub(super) fn col_info(col: Col) -> &'static ColInfo {
    COLUMNS.iter().find(|c| c.col == col).unwrap_or(&COLUMNS[0])
}

pub(super) fn find_col(name: &str) -> Option<Col> {
    COLUMNS
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(name))
        .map(|c| c.col)
}
