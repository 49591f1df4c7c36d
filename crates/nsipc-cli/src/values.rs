//! What an option's value (or a tool's operand) is: the one fact the shell
//! completions need beyond the option table's names. Each option of each
//! table carries one [`Value`]; `crate::doc` turns it into a bash, zsh or
//! fish action.

/// A System V IPC kind, for ids and keys of live objects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sysv {
    Msg,
    Sem,
    Shm,
    /// Any of the three (`ipcs -i`, `lsipc -i`).
    Any,
}

impl Sysv {
    /// The files under `/proc/sysvipc` holding this kind.
    pub fn proc_files(self) -> &'static [&'static str] {
        match self {
            Sysv::Msg => &["msg"],
            Sysv::Sem => &["sem"],
            Sysv::Shm => &["shm"],
            Sysv::Any => &["msg", "sem", "shm"],
        }
    }
}

/// A POSIX IPC kind, for names of live objects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Posix {
    /// Message queues: the files of `/dev/mqueue`.
    Mqueue,
    /// Shared memory: the files of `/dev/shm` except `sem.*`.
    Shm,
    /// Named semaphores: `/dev/shm/sem.NAME`.
    Sem,
}

/// The kind of an option's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    /// Nothing worth offering: a number, a size, a new name, an expression.
    Text,
    /// One of these words.
    Words(&'static [&'static str]),
    /// A process id (zsh and fish show the command name too).
    Pid,
    /// A process id or a namespace file (`--namespace=PID|FILE`).
    PidOrFile,
    /// A namespace file: `/proc/PID/ns/TYPE` or a bind mount of one.
    NsFile,
    /// Any file.
    File,
    /// A directory.
    Dir,
    /// A program to run, then its arguments.
    Command,
    /// A comma-separated list of the tool's own output columns, optionally
    /// starting with `+` (add to the default columns).
    Columns,
    /// A signal name (`unshare --kill-child`).
    Signal,
    /// A user name or number, or one of the extra words.
    User(&'static [&'static str]),
    /// A group name or number, or one of the extra words.
    Group(&'static [&'static str]),
    /// A numeric user id (names shown as descriptions), or an extra word.
    Uid(&'static [&'static str]),
    /// A numeric group id (names shown as descriptions), or an extra word.
    Gid(&'static [&'static str]),
    /// The id of a live System V object of this kind (`/proc/sysvipc`).
    SysvId(Sysv),
    /// The key of a live System V object of this kind, as `ipcs` prints it
    /// (`0x0001e240`); private objects (key 0) have none.
    SysvKey(Sysv),
    /// The name of a live POSIX object of this kind (`/name`).
    PosixName(Posix),
    /// The inode number of a namespace (`lsns <namespace ID>`).
    NsInode,
    /// A comma-separated list of environment variable names.
    EnvVars,
}

/// Namespace type names as `lsns -t` takes them.
pub const NS_TYPES: &[&str] = &["mnt", "net", "ipc", "user", "pid", "uts", "cgroup", "time"];
