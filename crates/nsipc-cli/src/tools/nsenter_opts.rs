//! `nsenter`'s option table: parsing, help, man page and completions.
//! Each option carries its one-line help, its man page text and the
//! kind of its value.

use nsipc::ns::Kind;

use crate::getopt::{Opt, Ordering, ToolSpec};
use crate::values::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Id {
    All,
    Target,
    Ns(Kind),
    NetSocket,
    UserParent,
    Setuid,
    Setgid,
    PreserveCred,
    KeepCaps,
    Root,
    Wd,
    Wdns,
    Env,
    NoFork,
    JoinCgroup,
    FollowContext,
    Help,
    Version,
}

const fn ns(kind: Kind, short: char, long: &'static str, help: &'static str) -> Opt<Id> {
    Opt::optional(Id::Ns(kind), Some(short), long, "<file>", help)
}

pub static SPEC: ToolSpec<Id> = ToolSpec {
    name: "nsenter",
    usage: &["nsenter [options] [<program> [<argument>...]]"],
    about: "Run a program inside the namespaces of another process, or of namespace files.",
    ordering: Ordering::StopAtOperand,
    options: &[
        Opt::flag(
            Id::All,
            Some('a'),
            "all",
            "join every namespace of the target",
        ),
        Opt::value(
            Id::Target,
            Some('t'),
            "target",
            "<pid>[:<inode>]",
            "process whose namespaces are joined",
        )
        .values(Value::Pid),
        ns(Kind::Mount, 'm', "mount", "join the mount namespace").values(Value::NsFile),
        ns(
            Kind::Uts,
            'u',
            "uts",
            "join the UTS namespace (host and domain name)",
        )
        .values(Value::NsFile),
        ns(
            Kind::Ipc,
            'i',
            "ipc",
            "join the System V IPC and POSIX queue namespace",
        )
        .values(Value::NsFile),
        ns(Kind::Net, 'n', "net", "join the network namespace").values(Value::NsFile),
        Opt::value(
            Id::NetSocket,
            Some('N'),
            "net-socket",
            "<fd>",
            "join the network namespace of the target's socket <fd>",
        ),
        ns(Kind::Pid, 'p', "pid", "join the PID namespace").values(Value::NsFile),
        ns(Kind::Cgroup, 'C', "cgroup", "join the cgroup namespace").values(Value::NsFile),
        ns(Kind::User, 'U', "user", "join the user namespace").values(Value::NsFile),
        Opt::flag(
            Id::UserParent,
            None,
            "user-parent",
            "join the parent of the user namespace",
        ),
        ns(Kind::Time, 'T', "time", "join the time namespace").values(Value::NsFile),
        Opt::value(
            Id::Setuid,
            Some('S'),
            "setuid",
            "<uid>|follow",
            "user id to run as inside",
        )
        .values(Value::Uid(&["follow"])),
        Opt::value(
            Id::Setgid,
            Some('G'),
            "setgid",
            "<gid>|follow",
            "group id to run as inside",
        )
        .values(Value::Gid(&["follow"])),
        Opt::flag(
            Id::PreserveCred,
            None,
            "preserve-credentials",
            "keep the current user and group ids",
        ),
        Opt::flag(
            Id::KeepCaps,
            None,
            "keep-caps",
            "keep the capabilities a user namespace grants",
        ),
        Opt::optional(
            Id::Root,
            Some('r'),
            "root",
            "<dir>",
            "change the root directory",
        )
        .values(Value::Dir),
        Opt::optional(
            Id::Wd,
            Some('w'),
            "wd",
            "<dir>",
            "change the working directory",
        )
        .values(Value::Dir),
        Opt::optional(
            Id::Wdns,
            Some('W'),
            "wdns",
            "<dir>",
            "change to <dir> as seen inside the namespaces",
        )
        .values(Value::Dir),
        Opt::flag(
            Id::Env,
            Some('e'),
            "env",
            "use the environment of the target",
        ),
        Opt::flag(
            Id::NoFork,
            Some('F'),
            "no-fork",
            "do not fork, even for a PID namespace",
        ),
        Opt::flag(
            Id::JoinCgroup,
            Some('c'),
            "join-cgroup",
            "move into the target's cgroup (cgroup v2)",
        ),
        Opt::flag(
            Id::FollowContext,
            Some('Z'),
            "follow-context",
            "take the target's SELinux context",
        ),
        Opt::flag(Id::Help, Some('h'), "help", "display this help"),
        Opt::flag(Id::Version, Some('V'), "version", "display version"),
    ],
    epilog: "",
    help_order: &[],
    operands: Value::Command,
};
