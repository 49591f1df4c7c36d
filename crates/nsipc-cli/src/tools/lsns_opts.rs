//! `lsns`'s option table: parsing, help, man page and completions.
//! Each option carries its one-line help, its man page text and the
//! kind of its value.

use crate::getopt::{Opt, Ordering, ToolSpec};
use crate::values::{Value, NS_TYPES};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Id {
    Json,
    List,
    NoHeadings,
    Output,
    OutputAll,
    Persistent,
    Task,
    Filter,
    Raw,
    NoTruncate,
    NoWrap,
    Type,
    Tree,
    ListColumns,
    Help,
    Version,
    Sort,
    Container,
    Pod,
}

pub static SPEC: ToolSpec<Id> = ToolSpec {
    name: "lsns",
    usage: &["lsns [options] [<namespace ID>]"],
    about: "Show the namespaces of the system: those of processes, those held open\n\
            by file descriptors or sockets, and bind-mounted (persistent) ones.",
    ordering: Ordering::Permute,
    // util-linux's long option table order (glibc lists ambiguous
    // prefixes in table order): json task help output output-all
    // persistent filter notruncate version noheadings nowrap list raw type
    // tree list-columns. Help lists them in util-linux's help order.
    options: &[
        Opt::flag(Id::Json, Some('J'), "json", "print JSON")
        .man("Print JSON: {\"namespaces\": [...]}, numbers as numbers. A flat list unless -T is given."),
        Opt::value(
            Id::Task,
            Some('p'),
            "task",
            "<pid>",
            "only the namespaces of this process",
        )
        .values(Value::Pid)
        .man("Show only the namespaces of process <pid>."),
        Opt::flag(Id::Help, Some('h'), "help", "display this help"),
        Opt::value(
            Id::Output,
            Some('o'),
            "output",
            "<list>",
            "columns to print (+list adds)",
        )
        .values(Value::Columns)
        .man("Print the comma-separated columns listed (see OUTPUT COLUMNS); a list starting with + is added to the default columns."),
        Opt::flag(Id::OutputAll, None, "output-all", "print every column")
        .man("Print every column."),
        Opt::flag(
            Id::Persistent,
            Some('P'),
            "persistent",
            "only namespaces no process is in",
        )
        .man("Show only namespaces no process is in: held by a bind mount or an open file descriptor."),
        Opt::value(
            Id::Filter,
            Some('Q'),
            "filter",
            "<expr>",
            "only rows matching the expression",
        )
        .man("Show only the lines matching <expr>, an expression over the columns in libsmartcols' filter language, e.g. 'TYPE == \"ipc\" && NPROCS > 1'. The columns it names need not be printed."),
        Opt::flag(
            Id::NoTruncate,
            Some('u'),
            "notruncate",
            "never shorten cells",
        )
        .man("Never shorten the text of a column to fit the terminal."),
        Opt::flag(Id::Version, Some('V'), "version", "display version"),
        Opt::flag(Id::NoHeadings, Some('n'), "noheadings", "no header line")
        .man("Print no header line."),
        Opt::flag(
            Id::NoWrap,
            Some('W'),
            "nowrap",
            "keep each cell on one line",
        )
        .man("Keep every cell on one line (NSFS lists its mount points separated by commas)."),
        Opt::flag(
            Id::List,
            Some('l'),
            "list",
            "a flat list, not a process tree",
        )
        .man("Print a flat list instead of the process tree."),
        Opt::flag(Id::Raw, Some('r'), "raw", "raw output format")
        .man("Print raw output: cells separated by one space, special characters escaped. Implies --nowrap."),
        Opt::value(
            Id::Type,
            Some('t'),
            "type",
            "<name>",
            "only this kind (mnt net ipc user pid uts cgroup time)",
        )
        .values(Value::Words(NS_TYPES))
        .man("Show only namespaces of this type: mnt, net, ipc, user, pid, uts, cgroup or time. May be repeated."),
        Opt::optional(
            Id::Tree,
            Some('T'),
            "tree",
            "<rel>",
            "tree by process, owner (default) or parent",
        )
        .values(Value::Words(&["process", "owner", "parent"]))
        .man("Print a tree: of processes (process), of owning user namespaces (owner, the default) or of parent namespaces (parent). The value must be attached: -Towner or --tree=owner."),
        Opt::flag(
            Id::ListColumns,
            Some('H'),
            "list-columns",
            "describe the columns and exit",
        )
        .man("Describe the available columns and exit."),
        crate::containers::container_option(Id::Container),
        crate::containers::pod_option(Id::Pod),
        Opt::value(
            Id::Sort,
            None,
            "sort",
            "<column>",
            "a flat list sorted by this column, ascending",
        )
        .extension()
        .values(Value::Columns)
        .man("Print a flat list sorted by <column>, ascending: numbers by value, text by bytes. The column need not be one of the printed ones. Not with -T. An nsipc extension: util-linux's lsns has no --sort."),
    ],
    epilog: "",
    // util-linux master's help order.
    help_order: &[
        Id::Json,
        Id::List,
        Id::NoHeadings,
        Id::Output,
        Id::OutputAll,
        Id::Persistent,
        Id::Task,
        Id::Filter,
        Id::Sort,
        Id::Raw,
        Id::NoTruncate,
        Id::NoWrap,
        Id::Type,
        Id::Tree,
        Id::ListColumns,
        Id::Help,
        Id::Version,
    ],
    operands: Value::NsInode,
};
