//! `ipcrm`'s option table: parsing, help, man page and completions.
//! Each option carries its one-line help, its man page text and the
//! kind of its value.

use crate::getopt::{Opt, Ordering, ToolSpec};
use crate::values::{Posix, Sysv, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Id {
    /// `-m`, `-q`, `-s` remove by id; the `*Key` variants by key.
    Shm,
    ShmKey,
    PosixShm,
    Queue,
    QueueKey,
    PosixQueue,
    Sem,
    SemKey,
    PosixSem,
    All,
    Verbose,
    Help,
    Version,
    Orphans,
    OlderThan,
    DryRun,
}

pub static SPEC: ToolSpec<Id> = ToolSpec {
    name: "ipcrm",
    usage: &["ipcrm [options]", "ipcrm shm|msg|sem <id>..."],
    about: "Remove System V or POSIX IPC objects.",
    ordering: Ordering::Permute,
    options: &[
        Opt::value(
            Id::Shm,
            Some('m'),
            "shmem-id",
            "<id>",
            "remove the shared memory segment with this id",
        )
        .values(Value::SysvId(Sysv::Shm))
        .man("Remove the shared memory segment with identifier <id>; it is destroyed once no process has it attached."),
        Opt::value(
            Id::ShmKey,
            Some('M'),
            "shmem-key",
            "<key>",
            "remove the shared memory segment with this key",
        )
        .values(Value::SysvKey(Sysv::Shm))
        .man("Remove the shared memory segment with key <key>."),
        Opt::value(
            Id::PosixShm,
            None,
            "posix-shmem",
            "<name>",
            "remove the POSIX shared memory object of this name",
        )
        .values(Value::PosixName(Posix::Shm))
        .man("Remove the POSIX shared memory object <name>."),
        Opt::value(
            Id::Queue,
            Some('q'),
            "queue-id",
            "<id>",
            "remove the message queue with this id",
        )
        .values(Value::SysvId(Sysv::Msg))
        .man("Remove the message queue with identifier <id>; processes waiting on it are woken with an error."),
        Opt::value(
            Id::QueueKey,
            Some('Q'),
            "queue-key",
            "<key>",
            "remove the message queue with this key",
        )
        .values(Value::SysvKey(Sysv::Msg))
        .man("Remove the message queue with key <key>."),
        Opt::value(
            Id::PosixQueue,
            None,
            "posix-mqueue",
            "<name>",
            "remove the POSIX message queue of this name",
        )
        .values(Value::PosixName(Posix::Mqueue))
        .man("Remove the POSIX message queue <name>."),
        Opt::value(
            Id::Sem,
            Some('s'),
            "semaphore-id",
            "<id>",
            "remove the semaphore set with this id",
        )
        .values(Value::SysvId(Sysv::Sem))
        .man("Remove the semaphore set with identifier <id>; processes waiting on it are woken with an error."),
        Opt::value(
            Id::SemKey,
            Some('S'),
            "semaphore-key",
            "<key>",
            "remove the semaphore set with this key",
        )
        .values(Value::SysvKey(Sysv::Sem))
        .man("Remove the semaphore set with key <key>."),
        Opt::value(
            Id::PosixSem,
            None,
            "posix-semaphore",
            "<name>",
            "remove the POSIX named semaphore of this name",
        )
        .values(Value::PosixName(Posix::Sem))
        .man("Remove the POSIX named semaphore <name>."),
        Opt::optional(
            Id::All,
            Some('a'),
            "all",
            "<kind>",
            "remove every object (of one kind) you may read",
        )
        .values(Value::Words(&["shm", "msg", "sem", "pshm", "pmsg", "psem"]))
        .man("Remove every object the caller may remove, or only those of one kind: shm, msg, sem (System V), pshm, pmsg, psem (POSIX). The kind must be attached: -a=shm, -ashm or --all=shm."),
        Opt::flag(
            Id::Verbose,
            Some('v'),
            "verbose",
            "say what is removed (for the options that follow)",
        )
        .man("Say what is removed, for the options that follow."),
        Opt::flag(Id::Help, Some('h'), "help", "display this help"),
        Opt::flag(Id::Version, Some('V'), "version", "display version"),
        Opt::optional(
            Id::Orphans,
            None,
            "orphans",
            "<kind,...>",
            "remove the objects nobody can still be using (lsipc --orphans)",
        )
        .extension()
        .values(Value::Words(&["shm", "msg", "sem", "pshm", "pmsg", "psem"]))
        .man("Remove exactly the objects lsipc --orphans lists: shared memory nobody attaches whose creator and last attacher are gone, POSIX objects nobody maps or holds open, queues and semaphore sets whose last-operation processes are gone. Each object is checked again right before its removal; one that gained a holder is kept. With a comma-separated list of kinds (shm, msg, sem, pshm, pmsg, psem), only those kinds. An nsipc extension."),
        Opt::value(
            Id::OlderThan,
            None,
            "older-than",
            "<age>",
            crate::orphans::OLDER_THAN_HELP,
        )
        .extension()
        .man("With --orphans: only objects unchanged for at least <age> (a number with s, m, h, d or w; plain seconds), by the change time of System V objects and the modification time of POSIX ones."),
        Opt::flag(
            Id::DryRun,
            None,
            "dry-run",
            "with --orphans: print what would be removed, remove nothing",
        )
        .extension()
        .man("With --orphans: print what would be removed and remove nothing."),
    ],
    epilog: "<kind> is shm, msg or sem (System V), or pshm, pmsg or psem (POSIX);\n\
             attach it: -a=shm, -ashm or --all=shm ('-a shm' is an error).\n\
             --orphans takes a comma-separated list of them: --orphans=shm,pshm.\n\
             A <key> is decimal, 0x hex or 0 octal; an <id> is decimal.\n\
             Nothing is removed unless the whole command line is valid.",
    help_order: &[],
    operands: Value::Text,
};
