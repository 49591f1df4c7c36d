//! `ipcmk`'s option table: parsing, help, man page and completions.
//! Each option carries its one-line help, its man page text and the
//! kind of its value.

use crate::getopt::{Opt, Ordering, ToolSpec};
use crate::values::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Id {
    Shm,
    PosixShm,
    Sem,
    PosixSem,
    Queue,
    PosixQueue,
    Mode,
    Name,
    Key,
    Help,
    Version,
}

pub static SPEC: ToolSpec<Id> = ToolSpec {
    name: "ipcmk",
    usage: &["ipcmk [options]"],
    about: "Make System V or POSIX IPC objects and print their ids or names.",
    ordering: Ordering::Permute,
    options: &[
        Opt::value(
            Id::Shm,
            Some('M'),
            "shmem",
            "<size>",
            "make a System V shared memory segment of <size> bytes",
        )
        .man("Make a System V shared memory segment of <size> bytes."),
        Opt::value(
            Id::PosixShm,
            Some('m'),
            "posix-shmem",
            "<size>",
            "make a POSIX shared memory object of <size> bytes",
        )
        .man("Make a POSIX shared memory object (a file in /dev/shm) of <size> bytes. Needs --name."),
        Opt::value(
            Id::Sem,
            Some('S'),
            "semaphore",
            "<number>",
            "make a System V semaphore set of <number> semaphores",
        )
        .man("Make a System V semaphore set of <number> semaphores."),
        Opt::flag(
            Id::PosixSem,
            Some('s'),
            "posix-semaphore",
            "make a POSIX named semaphore (value 0)",
        )
        .man("Make a POSIX named semaphore (/dev/shm/sem.NAME) with the value 0. Needs --name."),
        Opt::flag(
            Id::Queue,
            Some('Q'),
            "queue",
            "make a System V message queue",
        )
        .man("Make a System V message queue."),
        Opt::flag(
            Id::PosixQueue,
            Some('q'),
            "posix-mqueue",
            "make a POSIX message queue",
        )
        .man("Make a POSIX message queue (seen in /dev/mqueue). Needs --name."),
        Opt::value(
            Id::Mode,
            Some('p'),
            "mode",
            "<mode>",
            "octal access permissions (default 0644)",
        )
        .man("The access permissions of the new objects, in octal (default 0644)."),
        Opt::value(
            Id::Name,
            Some('n'),
            "name",
            "<name>",
            "the name of the POSIX objects (needed by -m, -q, -s)",
        )
        .man("The name of the POSIX objects made, starting with /."),
        Opt::value(
            Id::Key,
            None,
            "key",
            "<key>",
            "System V key to use, not a random one (fails if taken)",
        )
        .man("Make the System V objects with this key instead of a random one; fails if an object with it exists. An nsipc option."),
        Opt::flag(Id::Help, Some('h'), "help", "display this help"),
        Opt::flag(Id::Version, Some('V'), "version", "display version"),
    ],
    epilog: "<size> is a number of bytes, optionally with a fraction and a suffix:\n\
             K, M, G, T, P, E (or KiB, MiB, ...) for powers of 1024, KB, MB, ... for\n\
             powers of 1000 (1.5K = 1536, 1KB = 1000); 0x and 0 prefixes mean hex and\n\
             octal. <key> is decimal, 0x hex or 0 octal (0 makes a private object).\n\
             A <name> should start with '/'; for message queues it must.",
    help_order: &[],
    operands: Value::Text,
};
