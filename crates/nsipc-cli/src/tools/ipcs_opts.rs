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
        .values(Value::SysvId(Sysv::Any)),
        Opt::flag(Id::Queues, Some('q'), "queues", "message queues").in_section(RESOURCES),
        Opt::flag(Id::Shmems, Some('m'), "shmems", "shared memory segments").in_section(RESOURCES),
        Opt::flag(Id::Semaphores, Some('s'), "semaphores", "semaphore sets").in_section(RESOURCES),
        Opt::flag(Id::All, Some('a'), "all", "all three (the default)").in_section(RESOURCES),
        Opt::flag(
            Id::Time,
            Some('t'),
            "time",
            "last attach, detach, operation and change times",
        )
        .in_section(OUTPUT),
        Opt::flag(
            Id::Pid,
            Some('p'),
            "pid",
            "creator and last operator process ids",
        )
        .in_section(OUTPUT),
        Opt::flag(Id::Creator, Some('c'), "creator", "creator and owner names").in_section(OUTPUT),
        Opt::flag(Id::Limits, Some('l'), "limits", "system-wide limits").in_section(OUTPUT),
        Opt::flag(Id::Summary, Some('u'), "summary", "current usage summary").in_section(OUTPUT),
        Opt::flag(Id::Human, None, "human", "sizes in human-readable units").in_section(OUTPUT),
        Opt::flag(Id::Bytes, Some('b'), "bytes", "sizes in bytes").in_section(OUTPUT),
        allns::namespace_option(Id::Namespace),
        Opt::flag(
            Id::AllNamespaces,
            None,
            "all-namespaces",
            "every IPC namespace of the host, each under a header line",
        ),
        Opt::flag(Id::Json, Some('J'), "json", "JSON output").in_section(OUTPUT),
        Opt::flag(Id::Version, Some('V'), "version", "display version"),
        Opt::flag(Id::Help, Some('h'), "help", "display this help"),
    ],
    epilog: "",
    help_order: &[],
    operands: Value::Text,
};
