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
        .values(Value::File),
        ns_opt(
            Kind::Uts,
            'u',
            "uts",
            "new UTS namespace (hostname, domain name)",
        )
        .values(Value::File),
        ns_opt(
            Kind::Ipc,
            'i',
            "ipc",
            "new IPC namespace (System V IPC, POSIX queues)",
        )
        .values(Value::File),
        ns_opt(Kind::Net, 'n', "net", "new network namespace")
        .values(Value::File),
        ns_opt(
            Kind::Pid,
            'p',
            "pid",
            "new PID namespace, for children (see --fork)",
        )
        .values(Value::File),
        ns_opt(Kind::User, 'U', "user", "new user namespace")
        .values(Value::File),
        ns_opt(Kind::Cgroup, 'C', "cgroup", "new cgroup namespace")
        .values(Value::File),
        ns_opt(Kind::Time, 'T', "time", "new time namespace")
        .values(Value::File),
        Opt::flag(
            Id::Fork,
            Some('f'),
            "fork",
            "run <program> as a child and wait for it",
        )
        .in_section(FORK),
        Opt::optional(
            Id::KillChild,
            None,
            "kill-child",
            "<signame>",
            "signal the child (default SIGKILL) if unshare dies; implies --fork",
        )
        .in_section(FORK)
        .values(Value::Signal),
        Opt::flag(
            Id::ForwardSignals,
            None,
            "forward-signals",
            "pass SIGTERM and SIGINT on to the child; implies --fork",
        )
        .in_section(FORK),
        Opt::optional(
            Id::MountProc,
            None,
            "mount-proc",
            "<dir>",
            "mount a proc filesystem on <dir> (default /proc); implies --mount",
        )
        .in_section(MOUNTS)
        .values(Value::Dir),
        Opt::optional(
            Id::MountBinfmt,
            None,
            "mount-binfmt",
            "<dir>",
            "mount binfmt_misc on <dir>; implies --user and --mount",
        )
        .in_section(MOUNTS)
        .values(Value::Dir),
        Opt::optional(
            Id::MountMqueue,
            None,
            "mount-mqueue",
            "<dir>",
            "mount the new IPC namespace's mqueue fs on <dir> (default /dev/mqueue); \
             implies --ipc and --mount (nsipc)",
        )
        .in_section(MOUNTS)
        .values(Value::Dir),
        Opt::optional(
            Id::MountShm,
            None,
            "mount-shm",
            "<dir>",
            "mount a private tmpfs on <dir> (default /dev/shm) so POSIX shared memory \
             is private too; implies --mount (nsipc)",
        )
        .in_section(MOUNTS)
        .values(Value::Dir),
        Opt::value(
            Id::MapUser,
            None,
            "map-user",
            "<uid>|<name>",
            "map the current user to <uid>; implies --user",
        )
        .in_section(USER)
        .values(Value::User(&[])),
        Opt::value(
            Id::MapUsers,
            None,
            "map-users",
            "<map>",
            "map uids: <inner>:<outer>:<count>, auto, subids or all (repeatable); implies --user",
        )
        .in_section(USER)
        .values(Value::Words(&["auto", "subids", "all"])),
        Opt::value(
            Id::MapGroup,
            None,
            "map-group",
            "<gid>|<name>",
            "map the current group to <gid>; implies --user",
        )
        .in_section(USER)
        .values(Value::Group(&[])),
        Opt::value(
            Id::MapGroups,
            None,
            "map-groups",
            "<map>",
            "map gids: <inner>:<outer>:<count>, auto, subids or all (repeatable); implies --user",
        )
        .in_section(USER)
        .values(Value::Words(&["auto", "subids", "all"])),
        Opt::flag(
            Id::MapRootUser,
            Some('r'),
            "map-root-user",
            "map the current user and group to root; implies --user",
        )
        .in_section(USER),
        Opt::flag(
            Id::MapCurrentUser,
            Some('c'),
            "map-current-user",
            "map the current user and group to themselves; implies --user",
        )
        .in_section(USER),
        Opt::flag(
            Id::MapAuto,
            None,
            "map-auto",
            "map your first /etc/subuid and /etc/subgid blocks from 0; implies --user",
        )
        .in_section(USER),
        Opt::flag(
            Id::MapSubids,
            None,
            "map-subids",
            "map your first subordinate id blocks to themselves; implies --user",
        )
        .in_section(USER),
        Opt::value(
            Id::Owner,
            None,
            "owner",
            "<uid>:<gid>",
            "create the user namespace as <uid>:<gid>; implies --user",
        )
        .in_section(USER),
        Opt::value(
            Id::Propagation,
            None,
            "propagation",
            "<mode>",
            "propagation of / in the new mount namespace: slave, shared, private (default) or unchanged",
        )
        .in_section(MOUNTS)
        .values(Value::Words(&["slave", "shared", "private", "unchanged"])),
        Opt::value(
            Id::Setgroups,
            None,
            "setgroups",
            "<allow|deny>",
            "whether setgroups(2) is allowed in the user namespace",
        )
        .in_section(USER)
        .values(Value::Words(&["allow", "deny"])),
        Opt::flag(
            Id::KeepCaps,
            None,
            "keep-caps",
            "keep the user namespace's capabilities across exec",
        )
        .in_section(USER),
        Opt::value(
            Id::Setuid,
            Some('S'),
            "setuid",
            "<uid>",
            "run <program> as <uid>",
        )
        .in_section(USER)
        .values(Value::Uid(&[])),
        Opt::value(
            Id::Setgid,
            Some('G'),
            "setgid",
            "<gid>",
            "run <program> as <gid>, without supplementary groups",
        )
        .in_section(USER)
        .values(Value::Gid(&[])),
        Opt::value(
            Id::Root,
            Some('R'),
            "root",
            "<dir>",
            "chroot to <dir> before <program>",
        )
        .in_section(MOUNTS)
        .values(Value::Dir),
        Opt::value(
            Id::Wd,
            Some('w'),
            "wd",
            "<dir>",
            "change directory to <dir>",
        )
        .in_section(MOUNTS)
        .values(Value::Dir),
        Opt::value(
            Id::Monotonic,
            None,
            "monotonic",
            "<offset>",
            "offset of CLOCK_MONOTONIC in seconds; needs --time",
        )
        .in_section(TIME),
        Opt::value(
            Id::Boottime,
            None,
            "boottime",
            "<offset>",
            "offset of CLOCK_BOOTTIME in seconds; needs --time",
        )
        .in_section(TIME),
        Opt::value(
            Id::LoadInterp,
            Some('l'),
            "load-interp",
            "<string>",
            "register a binfmt_misc interpreter; implies --mount-binfmt",
        )
        .in_section(MOUNTS)
        .values(Value::Text),
        Opt::flag(
            Id::ClearEnv,
            None,
            "clear-env",
            "start <program> with an empty environment",
        )
        .in_section(ENV),
        Opt::value(
            Id::WhitelistEnv,
            None,
            "whitelist-env",
            "<list>",
            "keep only these comma-separated variables",
        )
        .in_section(ENV)
        .values(Value::EnvVars),
        Opt::value(
            Id::Hostname,
            None,
            "hostname",
            "<name>",
            "set the hostname in the new UTS namespace; implies --uts (nsipc)",
        )
        .in_section(UTS),
        Opt::value(
            Id::Domainname,
            None,
            "domainname",
            "<name>",
            "set the NIS domain name in the new UTS namespace; implies --uts (nsipc)",
        )
        .in_section(UTS),
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
