use super::Page;

pub static PAGE: Page = Page {
    summary: "show information on IPC facilities, System V and POSIX",
    description: "\
lsipc lists the IPC objects of the caller's IPC namespace, one kind at a time: System V \
message queues (-q), shared memory (-m), semaphores (-s), POSIX message queues (-Q), \
shared memory (-M) and semaphores (-S). Without a kind it shows the system-wide limits \
and usage of every kind; -g shows them for the kinds given. -i shows one object in \
detail. The output can be a table, raw, export, JSON or one value per line.

With --namespace or --all-namespaces, lsipc shows other IPC namespaces without entering \
them for good: a helper thread joins the namespace and reads it.",
    ipc_namespace: true,
    epilog: false,
    columns: "\
The columns -o takes; -o +LIST adds to the default ones. Which columns a kind fills \
depends on the kind (lsipc --help groups them):",
    exit_status: "\
0 on success; 1 on a usage error or when an object asked for with -i does not exist.",
    environment: "",
    examples: "\
Message queues as JSON:

    $ lsipc -q -J

Every shared memory segment of every IPC namespace (as root), with the namespace columns \
first:

    # lsipc -m --all-namespaces

Usage of the semaphore limits:

    $ lsipc -g -s

POSIX shared memory objects (the files of /dev/shm):

    $ lsipc -M",
    notes: "\
Where nsipc deliberately differs from util-linux:

- Exclusive options are really exclusive; -P shows numeric permissions.
- The CGID column is the creator's gid; SEMMNS counts every set.
- POSIX and System V objects are never merged into one table.
- A truncated /dev/shm/sem.* file does not crash lsipc.
- --namespace and --all-namespaces are nsipc's own options.",
    see_also: &[
        "ipcs(1)",
        "ipcmk(1)",
        "ipcrm(1)",
        "lsns(1)",
        "sysvipc(7)",
        "mq_overview(7)",
    ],
};
