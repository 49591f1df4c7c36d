//! `ipcs`'s option table: parsing, help, man page and completions.
//! Each option carries its one-line help, its man page text and the
//! kind of its value.

use crate::allns;
use crate::getopt::{Opt, Ordering, ToolSpec};
use crate::values::{Sysv, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Id {
    Select,
    Queues,
    Shmems,
    Semaphores,
    All,
    Time,
    Pid,
    Creator,
    Limits,
    Summary,
    Human,
    Bytes,
    Namespace,
    AllNamespaces,
    Json,
    Help,
    Version,
    Container,
    Pod,
}

const RESOURCES: &str = "Resource options:";
const OUTPUT: &str = "Output formats:";

pub static SPEC: ToolSpec<Id> = ToolSpec {
    name: "ipcs",
    usage: &[
        "ipcs [resource-option...] [output-option]",
        "ipcs -m|-q|-s -i <id>",
    ],
    about: "Show information on System V IPC facilities.",
    ordering: Ordering::Permute,
    // util-linux's long option order: glibc lists ambiguous prefixes
    // (`--h`) in table order.
    options: &[
        Opt::value(
            Id::Select,
            Some('i'),
            "id",
            "<id>",
            "show details of the object with this id",
        )
        .values(Value::SysvId(Sysv::Any))
        .man("Show the object with identifier <id> in detail, including each semaphore's value or each segment's attach state. Combine with -q, -m or -s to say which kind."),
        Opt::flag(Id::Queues, Some('q'), "queues", "message queues").in_section(RESOURCES)
        .man("Show message queues."),
        Opt::flag(Id::Shmems, Some('m'), "shmems", "shared memory segments").in_section(RESOURCES)
        .man("Show shared memory segments."),
        Opt::flag(Id::Semaphores, Some('s'), "semaphores", "semaphore sets").in_section(RESOURCES)
        .man("Show semaphore sets."),
        Opt::flag(Id::All, Some('a'), "all", "all three (the default)").in_section(RESOURCES)
        .man("Show all three kinds (the default)."),
        Opt::flag(
            Id::Time,
            Some('t'),
            "time",
            "last attach, detach, operation and change times",
        )
        .in_section(OUTPUT)
        .man("Show the times of the last attach, detach and change (segments), send, receive and change (queues), operation and change (semaphores)."),
        Opt::flag(
            Id::Pid,
            Some('p'),
            "pid",
            "creator and last operator process ids",
        )
        .in_section(OUTPUT)
        .man("Show the PIDs of the creator and of the last process that used each object."),
        Opt::flag(Id::Creator, Some('c'), "creator", "creator and owner names").in_section(OUTPUT)
        .man("Show the creator's and the owner's user and group."),
        Opt::flag(Id::Limits, Some('l'), "limits", "system-wide limits").in_section(OUTPUT)
        .man("Show the system-wide limits (/proc/sys/kernel/msg*, shm*, sem)."),
        Opt::flag(Id::Summary, Some('u'), "summary", "current usage summary").in_section(OUTPUT)
        .man("Show how much of the limits is in use."),
        Opt::flag(Id::Human, None, "human", "sizes in human-readable units").in_section(OUTPUT)
        .man("Print sizes in human-readable units (K, M, G...)."),
        Opt::flag(Id::Bytes, Some('b'), "bytes", "sizes in bytes").in_section(OUTPUT)
        .man("Print sizes in bytes."),
        allns::namespace_option(Id::Namespace),
        Opt::flag(
            Id::AllNamespaces,
            None,
            "all-namespaces",
            "every IPC namespace of the host, each under a header line",
        )
        .man("Show every IPC namespace of the system one after the other, each under a header line naming its inode, a process in it and that process's command. Needs the right to enter them (root)."),
        crate::containers::container_option(Id::Container),
        crate::containers::pod_option(Id::Pod),
        Opt::flag(Id::Json, Some('J'), "json", "JSON output").in_section(OUTPUT)
        .man("Print JSON through the same output engine as lsipc. An nsipc option."),
        Opt::flag(Id::Version, Some('V'), "version", "display version"),
        Opt::flag(Id::Help, Some('h'), "help", "display this help"),
    ],
    epilog: "",
    help_order: &[],
    operands: Value::Text,
};
