//! `lsipc`'s option table: parsing, help, man page and completions.
//! Each option carries its one-line help, its man page text and the
//! kind of its value.

use crate::allns;
use crate::getopt::{Opt, Ordering, ToolSpec};
use crate::values::{Sysv, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Id {
    AllNamespaces,
    Bytes,
    Creator,
    Export,
    Global,
    Help,
    Ident,
    Json,
    List,
    Name,
    Namespace,
    Newline,
    NoHeadings,
    NoTruncate,
    NumericPerms,
    Output,
    PosixMqueues,
    PosixSemaphores,
    PosixShmems,
    Queues,
    Raw,
    Semaphores,
    Shmems,
    Time,
    TimeFormat,
    Version,
    Container,
    Pod,
    Filter,
    Sort,
    Orphans,
    OlderThan,
    Shell,
}

const RESOURCES: &str = "Resource options:";

pub static SPEC: ToolSpec<Id> = ToolSpec {
    name: "lsipc",
    usage: &["lsipc [options]"],
    about: "Show information on IPC facilities.",
    ordering: Ordering::Permute,
    // util-linux's long option order: glibc lists ambiguous prefixes
    // (`--n`) in table order.
    options: &[
        Opt::flag(
            Id::AllNamespaces,
            None,
            "all-namespaces",
            "every IPC namespace of the host (System V and -g)",
        )
        .man("Show the objects of every IPC namespace of the system in one table, with the columns IPCNS, NSPID and NSCOMMAND first. Needs the right to enter them (root)."),
        crate::containers::container_option(Id::Container),
        crate::containers::pod_option(Id::Pod),
        Opt::flag(
            Id::Bytes,
            Some('b'),
            "bytes",
            "print sizes in bytes, not in human units",
        )
        .man("Print sizes in bytes rather than in human-readable units."),
        Opt::flag(Id::Creator, Some('c'), "creator", "show creator and owner")
        .man("Add the creator's user and group columns."),
        Opt::flag(
            Id::Export,
            Some('e'),
            "export",
            "print NAME=\"value\" pairs",
        )
        .man("Print NAME=\"value\" pairs, one line per object."),
        Opt::flag(
            Id::Global,
            Some('g'),
            "global",
            "system-wide limits and use (alone, or for -m, -q, -s, -Q)",
        )
        .in_section(RESOURCES)
        .man("Show the system-wide limits and their use for the kinds given (all by default)."),
        Opt::flag(Id::Help, Some('h'), "help", "display this help"),
        Opt::value(
            Id::Ident,
            Some('i'),
            "id",
            "<id>",
            "the System V object with this id",
        )
        .in_section(RESOURCES)
        .values(Value::SysvId(Sysv::Any))
        .man("Show the System V object with identifier <id> in detail, one line per column. Needs -q, -m or -s."),
        Opt::flag(Id::Json, Some('J'), "json", "JSON output")
        .man("Print JSON."),
        Opt::flag(
            Id::List,
            Some('l'),
            "list",
            "list output, also with --id or --name",
        )
        .man("Print a list (one line per object) even with --id."),
        Opt::value(
            Id::Name,
            Some('N'),
            "name",
            "<name>",
            "the POSIX object with this name",
        )
        .in_section(RESOURCES)
        .man("Show the POSIX object <name> in detail. Needs -Q, -M or -S."),
        allns::namespace_option(Id::Namespace),
        Opt::flag(
            Id::Newline,
            Some('n'),
            "newline",
            "one NAME=\"value\" pair per line",
        )
        .man("Print each column on its own line."),
        Opt::flag(Id::NoHeadings, None, "noheadings", "no header line")
        .man("Print no header line."),
        Opt::flag(Id::NoTruncate, None, "notruncate", "never truncate COMMAND")
        .man("Never shorten the text of a column."),
        Opt::flag(
            Id::NumericPerms,
            Some('P'),
            "numeric-perms",
            "octal permissions",
        )
        .man("Print permissions as octal numbers."),
        Opt::value(
            Id::Output,
            Some('o'),
            "output",
            "<list>",
            "columns to show (+list appends)",
        )
        .values(Value::Columns)
        .man("Print the comma-separated columns listed (see OUTPUT COLUMNS); a list starting with + is added to the default columns."),
        Opt::flag(
            Id::PosixMqueues,
            Some('Q'),
            "posix-mqueues",
            "POSIX message queues",
        )
        .in_section(RESOURCES)
        .man("Show POSIX message queues."),
        Opt::flag(
            Id::PosixSemaphores,
            Some('S'),
            "posix-semaphores",
            "POSIX semaphores",
        )
        .in_section(RESOURCES)
        .man("Show POSIX named semaphores."),
        Opt::flag(
            Id::PosixShmems,
            Some('M'),
            "posix-shmems",
            "POSIX shared memory",
        )
        .in_section(RESOURCES)
        .man("Show POSIX shared memory objects."),
        Opt::flag(Id::Queues, Some('q'), "queues", "System V message queues").in_section(RESOURCES)
        .man("Show System V message queues."),
        Opt::flag(Id::Raw, Some('r'), "raw", "raw output")
        .man("Print raw output: cells separated by one space, special characters escaped."),
        Opt::flag(
            Id::Semaphores,
            Some('s'),
            "semaphores",
            "System V semaphore sets",
        )
        .in_section(RESOURCES)
        .man("Show System V semaphore sets."),
        Opt::flag(
            Id::Shmems,
            Some('m'),
            "shmems",
            "System V shared memory segments",
        )
        .in_section(RESOURCES)
        .man("Show System V shared memory segments."),
        Opt::flag(Id::Time, Some('t'), "time", "add the time columns")
        .man("Add the time columns."),
        Opt::value(
            Id::TimeFormat,
            None,
            "time-format",
            "<type>",
            "times as short, full or iso",
        )
        .values(Value::Words(&["short", "full", "iso"]))
        .man("Print times as short, full or iso."),
        Opt::flag(Id::Version, Some('V'), "version", "display version"),
        Opt::flag(
            Id::Shell,
            Some('y'),
            "shell",
            "column names usable as shell variables",
        )
        .man("Use column names that are valid shell variable names (USE% becomes USE_PCT)."),
        Opt::value(
            Id::Filter,
            None,
            "filter",
            "<expr>",
            "only lines matching EXPR (the language of lsns -Q)",
        )
        .in_section(SELECTION)
        .extension()
        .man("Print only the lines for which <expr> is true, in the expression language of lsns -Q: columns by name, ==, !=, <, <=, >, >=, =~, !~, &&, ||, !, parentheses. Sizes compare in bytes and times in seconds since the epoch, whatever -b or --time-format say. Long form only: -Q means POSIX message queues. An nsipc extension."),
        Opt::value(
            Id::Sort,
            None,
            "sort",
            "<column>",
            "sort lines by this column, ascending",
        )
        .in_section(SELECTION)
        .extension()
        .values(Value::Columns)
        .man("Sort the lines by <column>, ascending (numbers by value, empty cells first); with --all-namespaces, the lines of each namespace. An nsipc extension."),
        Opt::flag(
            Id::Orphans,
            None,
            "orphans",
            "only objects nobody can still be using",
        )
        .in_section(SELECTION)
        .extension()
        .man("Only objects nobody can still be using: shared memory with no attachment whose creator and last attacher are gone; POSIX objects no process maps or holds open; message queues and semaphore sets whose last-operation processes are gone (an idle queue of a live program looks the same: narrow with --older-than). Needs a resource option. An nsipc extension."),
        Opt::value(
            Id::OlderThan,
            None,
            "older-than",
            "<age>",
            crate::orphans::OLDER_THAN_HELP,
        )
        .in_section(SELECTION)
        .extension()
        .man("With --orphans: only objects unchanged for at least <age> (a number with s, m, h, d or w; plain seconds), by the change time of System V objects and the modification time of POSIX ones."),
    ],
    epilog: EPILOG,
    help_order: &[],
    operands: Value::Text,
};

/// The section of the selection options in help and man page.
const SELECTION: &str = "Selection and order:";

const EPILOG: &str = "\
Generic System V columns:
            KEY  key
             ID  identifier
          OWNER  owner name, or uid
          PERMS  permissions
           CUID  creator uid
          CUSER  creator user name
           CGID  creator gid
         CGROUP  creator group name
            UID  owner uid
           USER  owner user name
            GID  owner gid
          GROUP  owner group name
          CTIME  time of the last change

Generic POSIX columns:
           NAME  name
          OWNER  owner name, or uid
          PERMS  permissions
           CUID  owner uid
          CUSER  owner user name
           CGID  owner gid
         CGROUP  owner group name
          MTIME  time of the last change

System V shared memory columns (--shmems):
           SIZE  size
         NATTCH  attached processes
         STATUS  dest, locked, hugetlb, noreserve
         ATTACH  last attach time
         DETACH  last detach time
        COMMAND  command line of the creator
           CPID  creator pid
           LPID  last user pid

System V message queue columns (--queues):
      USEDBYTES  bytes in the queue
           MSGS  messages in the queue
           SEND  last send time
           RECV  last receive time
          LSPID  last sender pid
          LRPID  last receiver pid

System V semaphore columns (--semaphores):
          NSEMS  semaphores in the set
          OTIME  last operation time

POSIX message queue columns (--posix-mqueues): USEDBYTES MSGS
POSIX shared memory columns (--posix-shmems): SIZE
POSIX semaphore columns (--posix-semaphores):
           SVAL  semaphore value

Summary columns (--global):
       RESOURCE  resource name
    DESCRIPTION  description
          LIMIT  system-wide limit
           USED  currently used
           USE%  use in percent

Namespace columns (--all-namespaces, shown first by default):
          IPCNS  IPC namespace inode
          NSPID  a process in the namespace (lowest pid)
      NSCOMMAND  that process's command line

Holder columns (every resource, not --global):
        HOLDERS  processes using the object, as pid(command)
       NHOLDERS  number of holders
";
