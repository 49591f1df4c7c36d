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
    Container,
    Pod,
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
        )
        .man("Enter every namespace of the target that the kernel has, except the user namespace when it is the caller's own."),
        Opt::value(
            Id::Target,
            Some('t'),
            "target",
            "<pid>[:<inode>]",
            "process whose namespaces are joined",
        )
        .values(Value::Pid)
        .man("The process whose namespaces are entered, and whose root and working directory -r and -w use by default. With :<inode>, the process must also have that pidfd inode (from pidfs), which guards against a reused PID."),
        crate::containers::container_option(Id::Container),
        crate::containers::pod_option(Id::Pod),
        ns(Kind::Mount, 'm', "mount", "join the mount namespace").values(Value::NsFile)
        .man("Enter the mount namespace: of the target, or of <file> (a namespace file or a bind mount of one)."),
        ns(
            Kind::Uts,
            'u',
            "uts",
            "join the UTS namespace (host and domain name)",
        )
        .values(Value::NsFile)
        .man("Enter the UTS namespace (host and domain name): of the target, or of <file>."),
        ns(
            Kind::Ipc,
            'i',
            "ipc",
            "join the System V IPC and POSIX queue namespace",
        )
        .values(Value::NsFile)
        .man("Enter the IPC namespace (System V IPC and POSIX message queues): of the target, or of <file>."),
        ns(Kind::Net, 'n', "net", "join the network namespace").values(Value::NsFile)
        .man("Enter the network namespace: of the target, or of <file>."),
        Opt::value(
            Id::NetSocket,
            Some('N'),
            "net-socket",
            "<fd>",
            "join the network namespace of the target's socket <fd>",
        )
        .man("Enter the network namespace of the socket <fd> of the target (duplicated with pidfd_getfd(2)). Requires --target."),
        ns(Kind::Pid, 'p', "pid", "join the PID namespace").values(Value::NsFile)
        .man("Enter the PID namespace: of the target, or of <file>. Only children enter it, so nsenter forks (unless --no-fork)."),
        ns(Kind::Cgroup, 'C', "cgroup", "join the cgroup namespace").values(Value::NsFile)
        .man("Enter the cgroup namespace: of the target, or of <file>."),
        ns(Kind::User, 'U', "user", "join the user namespace").values(Value::NsFile)
        .man("Enter the user namespace: of the target, or of <file>. Unless --preserve-credentials is given, the program runs as uid and gid 0 there."),
        Opt::flag(
            Id::UserParent,
            None,
            "user-parent",
            "join the parent of the user namespace",
        )
        .man("Enter the parent of the user namespace nsenter would enter."),
        ns(Kind::Time, 'T', "time", "join the time namespace").values(Value::NsFile)
        .man("Enter the time namespace: of the target, or of <file>."),
        Opt::value(
            Id::Setuid,
            Some('S'),
            "setuid",
            "<uid>|follow",
            "user id to run as inside",
        )
        .values(Value::Uid(&["follow"]))
        .man("Run the program as <uid> inside; follow means the owner of the target's /proc directory."),
        Opt::value(
            Id::Setgid,
            Some('G'),
            "setgid",
            "<gid>|follow",
            "group id to run as inside",
        )
        .values(Value::Gid(&["follow"]))
        .man("Run the program as <gid> inside; follow means the group of the target's /proc directory."),
        Opt::flag(
            Id::PreserveCred,
            None,
            "preserve-credentials",
            "keep the current user and group ids",
        )
        .man("Do not change user, group or supplementary groups when entering a user namespace."),
        Opt::flag(
            Id::KeepCaps,
            None,
            "keep-caps",
            "keep the capabilities a user namespace grants",
        )
        .man("Keep the capabilities granted by the entered user namespace after the program is executed."),
        Opt::optional(
            Id::Root,
            Some('r'),
            "root",
            "<dir>",
            "change the root directory",
        )
        .values(Value::Dir)
        .man("Change the root directory to <dir>, by default the target's root. The directory is opened before the namespaces are entered."),
        Opt::optional(
            Id::Wd,
            Some('w'),
            "wd",
            "<dir>",
            "change the working directory",
        )
        .values(Value::Dir)
        .man("Change the working directory to <dir>, by default the target's. The directory is opened before the namespaces are entered."),
        Opt::optional(
            Id::Wdns,
            Some('W'),
            "wdns",
            "<dir>",
            "change to <dir> as seen inside the namespaces",
        )
        .values(Value::Dir)
        .man("Change the working directory to <dir> as seen inside the entered namespaces (after --root)."),
        Opt::flag(
            Id::Env,
            Some('e'),
            "env",
            "use the environment of the target",
        )
        .man("Run the program with the environment of the target."),
        Opt::flag(
            Id::NoFork,
            Some('F'),
            "no-fork",
            "do not fork, even for a PID namespace",
        )
        .man("Do not fork before running the program, even when a PID namespace is entered."),
        Opt::flag(
            Id::JoinCgroup,
            Some('c'),
            "join-cgroup",
            "move into the target's cgroup (cgroup v2)",
        )
        .man("Move into the target's cgroup (cgroup v2 only) before running the program."),
        Opt::flag(
            Id::FollowContext,
            Some('Z'),
            "follow-context",
            "take the target's SELinux context",
        )
        .man("Run the program with the SELinux context of the target (SELinux builds only)."),
        Opt::flag(Id::Help, Some('h'), "help", "display this help"),
        Opt::flag(Id::Version, Some('V'), "version", "display version"),
    ],
    epilog: "",
    help_order: &[],
    operands: Value::Command,
};
