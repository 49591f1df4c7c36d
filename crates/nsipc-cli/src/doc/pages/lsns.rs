use super::Page;

pub static PAGE: Page = Page {
    summary: "list namespaces",
    description: "\
lsns lists the namespaces of the system: those processes are in, those held open only by \
a file descriptor or a socket, and those kept by a bind mount of a namespace file \
(persistent namespaces). Each line is one namespace with, by default, its inode number, \
type, number of processes, lowest PID, that process's user and command. By default the \
lines form a process tree (a namespace's line under the line of its process's parent); \
-T draws the owner or parent tree of namespaces, -l prints a flat list.

With a namespace ID (the inode number), lsns lists the processes in that namespace \
instead.

Processes are read from /proc; root sees every process, other users only their own \
processes' namespaces.",
    ipc_namespace: false,
    epilog: false,
    columns: "\
The columns -o takes (lsns -H describes them too); -o +LIST adds to the default ones:",
    exit_status: "\
0 on success, 1 on an error, 2 when the kernel does not know an ioctl lsns needs.",
    environment: "",
    examples: "\
Every IPC namespace and who is in it:

    $ lsns -t ipc

Only persistent namespaces (no process is in them):

    # lsns -P

Namespaces whose processes are not root's, as JSON:

    # lsns -J -Q 'USER != \"root\"'

IPC namespaces with more than one process, with their parent and owner:

    # lsns -t ipc -Q 'NPROCS > 1' -o NS,TYPE,NPROCS,PID,ONS,COMMAND",
    notes: "\
Where nsipc deliberately differs from util-linux:

- -l together with -T is refused (util-linux's exclusion table does not catch it).
- Namespaces held only by threads are listed.
- A process exiting during the scan is skipped (util-linux's ESRCH sign error made it \
print nothing).
- JSON is a flat list unless -T is given.",
    see_also: &["nsenter(1)", "unshare(1)", "lsipc(1)", "namespaces(7)"],
};
