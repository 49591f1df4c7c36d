//! `unshare`'s option table: parsing, help, man page and completions.
//! Each option carries its one-line help, its man page text and the
//! kind of its value.

use nsipc::ns::Kind;

use crate::getopt::{Opt, Ordering, ToolSpec};
use crate::values::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Id {
    Ns(Kind),
    Fork,
    KillChild,
    ForwardSignals,
    MountProc,
    MountBinfmt,
    MountMqueue,
    MountShm,
    MapUser,
    MapUsers,
    MapGroup,
    MapGroups,
    MapRootUser,
    MapCurrentUser,
    MapAuto,
    MapSubids,
    Owner,
    Propagation,
    Setgroups,
    KeepCaps,
    Setuid,
    Setgid,
    Root,
    Wd,
    Monotonic,
    Boottime,
    LoadInterp,
    ClearEnv,
    WhitelistEnv,
    Hostname,
    Domainname,
    Help,
    Version,
}

const FORK: &str = "Processes and signals:";
const MOUNTS: &str = "Mounts and directories:";
const USER: &str = "User namespace (ids and capabilities):";
const TIME: &str = "Time namespace:";
const UTS: &str = "UTS namespace:";
const ENV: &str = "Environment:";
const HELP: &str = "Help:";

/// The option table. Long options are in util-linux master's order (glibc
/// lists ambiguous prefixes in table order), with nsipc's additions
/// (`--mount-mqueue`, `--mount-shm`, `--hostname`, `--domainname`) placed
/// where they belong.
pub static SPEC: ToolSpec<Id> = ToolSpec {
    name: "unshare",
    usage: &["unshare [options] [<program> [<argument>...]]"],
    about: "Run a program in new namespaces, unshared from those of the caller.\n\
            Without a program, run a login shell.",
    ordering: Ordering::StopAtOperand,
    options: &[
        ns_opt(
            Kind::Mount,
            'm',
            "mount",
            "new mount namespace; with <file>, keep it there",
        )
        .values(Value::File)
        .man("Make a new mount namespace. Its mounts start as a copy of the caller's; by default / is made private recursively (see --propagation), so mounts made inside do not reach the rest of the system. With =<file>, keep the namespace alive by bind-mounting it on <file>, which must exist."),
        ns_opt(
            Kind::Uts,
            'u',
            "uts",
            "new UTS namespace (hostname, domain name)",
        )
        .values(Value::File)
        .man("Make a new UTS namespace: the host name and NIS domain name can then be changed without affecting the rest of the system (see --hostname). With =<file>, keep it on <file>."),
        ns_opt(
            Kind::Ipc,
            'i',
            "ipc",
            "new IPC namespace (System V IPC, POSIX queues)",
        )
        .values(Value::File)
        .man("Make a new IPC namespace: the program sees no System V IPC object and no POSIX message queue of the caller, and the objects it makes stay inside. POSIX shared memory and semaphores in /dev/shm are not affected (see --mount-shm), and /dev/mqueue still shows the old namespace until remounted (see --mount-mqueue). With =<file>, keep it on <file>."),
        ns_opt(Kind::Net, 'n', "net", "new network namespace")
        .values(Value::File)
        .man("Make a new network namespace, with only a loopback device (down). With =<file>, keep it on <file>."),
        ns_opt(
            Kind::Pid,
            'p',
            "pid",
            "new PID namespace, for children (see --fork)",
        )
        .values(Value::File)
        .man("Make a new PID namespace. Only children enter it, so use --fork to run the program as its first process (PID 1); --mount-proc gives it a matching /proc. With =<file>, keep it on <file>."),
        ns_opt(Kind::User, 'U', "user", "new user namespace")
        .values(Value::File)
        .man("Make a new user namespace. Inside it, the caller is unmapped (uid 65534) unless a mapping option is given (-r, -c, --map-user, --map-users, ...). The new namespace grants a full set of capabilities over the namespaces it owns, which lets unprivileged users make the others. With =<file>, keep it on <file>."),
        ns_opt(Kind::Cgroup, 'C', "cgroup", "new cgroup namespace")
        .values(Value::File)
        .man("Make a new cgroup namespace: the caller's cgroup becomes the root of the cgroup tree the program sees. With =<file>, keep it on <file>."),
        ns_opt(Kind::Time, 'T', "time", "new time namespace")
        .values(Value::File)
        .man("Make a new time namespace, whose CLOCK_MONOTONIC and CLOCK_BOOTTIME can be offset (--monotonic, --boottime). The program enters it when it is executed. With =<file>, keep it on <file>."),
        Opt::flag(
            Id::Fork,
            Some('f'),
            "fork",
            "run <program> as a child and wait for it",
        )
        .in_section(FORK)
        .man("Run the program as a child of unshare instead of in place of it, and wait for it. Needed with --pid, since only children enter a new PID namespace. unshare exits with the child's status."),
        Opt::optional(
            Id::KillChild,
            None,
            "kill-child",
            "<signame>",
            "signal the child (default SIGKILL) if unshare dies; implies --fork",
        )
        .in_section(FORK)
        .values(Value::Signal)
        .man("When unshare dies, send <signame> (by default SIGKILL) to the child, so that the program does not outlive it. Names are case-insensitive, with or without SIG; RTMIN+n and RTMAX-n are accepted, numbers are not. Implies --fork."),
        Opt::flag(
            Id::ForwardSignals,
            None,
            "forward-signals",
            "pass SIGTERM and SIGINT on to the child; implies --fork",
        )
        .in_section(FORK)
        .man("Pass SIGTERM and SIGINT received by unshare on to the child instead of blocking them. Implies --fork."),
        Opt::optional(
            Id::MountProc,
            None,
            "mount-proc",
            "<dir>",
            "mount a proc filesystem on <dir> (default /proc); implies --mount",
        )
        .in_section(MOUNTS)
        .values(Value::Dir)
        .man("Mount a new proc filesystem on <dir> (by default /proc) before running the program, after any --root. Needed for ps and /proc to show a new PID namespace. Implies --mount."),
        Opt::optional(
            Id::MountBinfmt,
            None,
            "mount-binfmt",
            "<dir>",
            "mount binfmt_misc on <dir>; implies --user and --mount",
        )
        .in_section(MOUNTS)
        .values(Value::Dir)
        .man("Mount a binfmt_misc filesystem on <dir> (by default /proc/sys/fs/binfmt_misc). Implies --user and --mount."),
        Opt::optional(
            Id::MountMqueue,
            None,
            "mount-mqueue",
            "<dir>",
            "mount the new IPC namespace's mqueue fs on <dir> (default /dev/mqueue); \
             implies --ipc and --mount (nsipc)",
        )
        .in_section(MOUNTS)
        .values(Value::Dir)
        .man("Mount a new mqueue filesystem on <dir> (by default /dev/mqueue) after the new IPC namespace exists, so that the directory shows that namespace's POSIX message queues instead of the old ones. Implies --ipc and --mount. An nsipc option."),
        Opt::optional(
            Id::MountShm,
            None,
            "mount-shm",
            "<dir>",
            "mount a private tmpfs on <dir> (default /dev/shm) so POSIX shared memory \
             is private too; implies --mount (nsipc)",
        )
        .in_section(MOUNTS)
        .values(Value::Dir)
        .man("Mount a new private tmpfs on <dir> (by default /dev/shm), so that POSIX shared memory and named semaphores, which an IPC namespace does not isolate, are private too. Implies --mount. An nsipc option."),
        Opt::value(
            Id::MapUser,
            None,
            "map-user",
            "<uid>|<name>",
            "map the current user to <uid>; implies --user",
        )
        .in_section(USER)
        .values(Value::User(&[]))
        .man("Map the current effective user to <uid> (a number or a user name) inside the new user namespace, with a single-line uid_map. Implies --user."),
        Opt::value(
            Id::MapUsers,
            None,
            "map-users",
            "<map>",
            "map uids: <inner>:<outer>:<count>, auto, subids or all (repeatable); implies --user",
        )
        .in_section(USER)
        .values(Value::Words(&["auto", "subids", "all"]))
        .man("Map a range of user ids: <inner>:<outer>:<count> maps <count> ids from <outer> outside to <inner> inside; auto maps the caller's first block of /etc/subuid from 0, subids maps it to itself, all copies the current mapping. May be repeated. Ranges of other users need newuidmap(1) unless unshare runs as root. Implies --user."),
        Opt::value(
            Id::MapGroup,
            None,
            "map-group",
            "<gid>|<name>",
            "map the current group to <gid>; implies --user",
        )
        .in_section(USER)
        .values(Value::Group(&[]))
        .man("Map the current effective group to <gid> (a number or a group name) inside the new user namespace; setgroups(2) is then denied, as the kernel requires. Implies --user."),
        Opt::value(
            Id::MapGroups,
            None,
            "map-groups",
            "<map>",
            "map gids: <inner>:<outer>:<count>, auto, subids or all (repeatable); implies --user",
        )
        .in_section(USER)
        .values(Value::Words(&["auto", "subids", "all"]))
        .man("Map a range of group ids, like --map-users for /etc/subgid and newgidmap(1). May be repeated. Implies --user."),
        Opt::flag(
            Id::MapRootUser,
            Some('r'),
            "map-root-user",
            "map the current user and group to root; implies --user",
        )
        .in_section(USER)
        .man("Map the current user and group to root (0) inside the new user namespace, so that the program has root's rights over the namespaces it owns. Denies setgroups(2). Implies --user."),
        Opt::flag(
            Id::MapCurrentUser,
            Some('c'),
            "map-current-user",
            "map the current user and group to themselves; implies --user",
        )
        .in_section(USER)
        .man("Map the current user and group to the same ids inside the new user namespace. Denies setgroups(2). Implies --user."),
        Opt::flag(
            Id::MapAuto,
            None,
            "map-auto",
            "map your first /etc/subuid and /etc/subgid blocks from 0; implies --user",
        )
        .in_section(USER)
        .man("Map the caller's first block of subordinate user and group ids (/etc/subuid, /etc/subgid) from 0 inside the new user namespace. Implies --user."),
        Opt::flag(
            Id::MapSubids,
            None,
            "map-subids",
            "map your first subordinate id blocks to themselves; implies --user",
        )
        .in_section(USER)
        .man("Map the caller's first block of subordinate user and group ids to the same ids inside. Implies --user."),
        Opt::value(
            Id::Owner,
            None,
            "owner",
            "<uid>:<gid>",
            "create the user namespace as <uid>:<gid>; implies --user",
        )
        .in_section(USER)
        .man("Create the user namespace with the owner <uid>:<gid> (numbers) instead of the caller: unshare changes its credentials to them before unshare(2). Implies --user."),
        Opt::value(
            Id::Propagation,
            None,
            "propagation",
            "<mode>",
            "propagation of / in the new mount namespace: slave, shared, private (default) or unchanged",
        )
        .in_section(MOUNTS)
        .values(Value::Words(&["slave", "shared", "private", "unchanged"]))
        .man("Set the propagation of / in the new mount namespace, recursively: private (the default: mounts travel in neither direction), slave (mounts of the old namespace still appear), shared, or unchanged (keep the copied flags). Ignored without --mount."),
        Opt::value(
            Id::Setgroups,
            None,
            "setgroups",
            "<allow|deny>",
            "whether setgroups(2) is allowed in the user namespace",
        )
        .in_section(USER)
        .values(Value::Words(&["allow", "deny"]))
        .man("Write allow or deny to /proc/self/setgroups of the new user namespace. deny is required before a gid map can be written by an unprivileged process, and is implied by --map-group, -r and -c."),
        Opt::flag(
            Id::KeepCaps,
            None,
            "keep-caps",
            "keep the user namespace's capabilities across exec",
        )
        .in_section(USER)
        .man("Keep the capabilities the new user namespace grants after the program is executed (as ambient capabilities), instead of losing them at exec as a non-root user would."),
        Opt::value(
            Id::Setuid,
            Some('S'),
            "setuid",
            "<uid>",
            "run <program> as <uid>",
        )
        .in_section(USER)
        .values(Value::Uid(&[]))
        .man("Run the program as user <uid> (a number) inside the new namespaces."),
        Opt::value(
            Id::Setgid,
            Some('G'),
            "setgid",
            "<gid>",
            "run <program> as <gid>, without supplementary groups",
        )
        .in_section(USER)
        .values(Value::Gid(&[]))
        .man("Run the program as group <gid> (a number) inside the new namespaces, with no supplementary groups."),
        Opt::value(
            Id::Root,
            Some('R'),
            "root",
            "<dir>",
            "chroot to <dir> before <program>",
        )
        .in_section(MOUNTS)
        .values(Value::Dir)
        .man("Change the root directory to <dir> (chroot) before running the program; the working directory becomes / unless --wd is given."),
        Opt::value(
            Id::Wd,
            Some('w'),
            "wd",
            "<dir>",
            "change directory to <dir>",
        )
        .in_section(MOUNTS)
        .values(Value::Dir)
        .man("Change the working directory to <dir> before running the program (after --root)."),
        Opt::value(
            Id::Monotonic,
            None,
            "monotonic",
            "<offset>",
            "offset of CLOCK_MONOTONIC in seconds; needs --time",
        )
        .in_section(TIME)
        .man("Offset CLOCK_MONOTONIC by <offset> seconds (may be negative) in the new time namespace. Requires --time."),
        Opt::value(
            Id::Boottime,
            None,
            "boottime",
            "<offset>",
            "offset of CLOCK_BOOTTIME in seconds; needs --time",
        )
        .in_section(TIME)
        .man("Offset CLOCK_BOOTTIME by <offset> seconds (may be negative) in the new time namespace. Requires --time."),
        Opt::value(
            Id::LoadInterp,
            Some('l'),
            "load-interp",
            "<string>",
            "register a binfmt_misc interpreter; implies --mount-binfmt",
        )
        .in_section(MOUNTS)
        .values(Value::Text)
        .man("Register a binfmt_misc interpreter with the string <string> in the new namespace's binfmt_misc. Implies --mount-binfmt."),
        Opt::flag(
            Id::ClearEnv,
            None,
            "clear-env",
            "start <program> with an empty environment",
        )
        .in_section(ENV)
        .man("Run the program with an empty environment."),
        Opt::value(
            Id::WhitelistEnv,
            None,
            "whitelist-env",
            "<list>",
            "keep only these comma-separated variables",
        )
        .in_section(ENV)
        .values(Value::EnvVars)
        .man("Run the program with only the listed variables (comma-separated) of the current environment."),
        Opt::value(
            Id::Hostname,
            None,
            "hostname",
            "<name>",
            "set the hostname in the new UTS namespace; implies --uts (nsipc)",
        )
        .in_section(UTS)
        .man("Set the host name of the new UTS namespace to <name> before the program starts. Implies --uts. An nsipc option."),
        Opt::value(
            Id::Domainname,
            None,
            "domainname",
            "<name>",
            "set the NIS domain name in the new UTS namespace; implies --uts (nsipc)",
        )
        .in_section(UTS)
        .man("Set the NIS domain name of the new UTS namespace to <name> before the program starts. Implies --uts. An nsipc option."),
        Opt::flag(Id::Help, Some('h'), "help", "display this help").in_section(HELP),
        Opt::flag(Id::Version, Some('V'), "version", "display version").in_section(HELP),
    ],
    epilog: "Options marked (nsipc) are not in util-linux. --mount-mqueue mounts after the new\n\
             IPC namespace exists, so the mount shows that namespace's queues; --hostname and\n\
             --domainname are set before <program> starts, so no shell step is needed.",
    help_order: &[],
    operands: Value::Command,
};

const fn ns_opt(kind: Kind, short: char, long: &'static str, help: &'static str) -> Opt<Id> {
    // Short namespace flags take no value (`-iu` is two flags), as in
    // util-linux; only the long form accepts `=<file>`.
    Opt::optional(Id::Ns(kind), Some(short), long, "<file>", help).short_flag()
}
