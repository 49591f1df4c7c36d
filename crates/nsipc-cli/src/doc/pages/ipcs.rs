use super::Page;

pub static PAGE: Page = Page {
    summary: "show information on System V IPC facilities",
    description: "\
ipcs shows the System V IPC objects of the caller's IPC namespace: message queues (-q), \
shared memory segments (-m) and semaphore sets (-s), by default all three. The output \
formats show owners and permissions (the default), creators (-c), PIDs (-p), times (-t), \
the system-wide limits (-l) or the current usage (-u); -i shows one object in detail.

The data comes from /proc/sysvipc, or from the msgctl(2), shmctl(2) and semctl(2) \
calls when /proc is unusable. POSIX IPC is not shown: use lsipc.

With --namespace or --all-namespaces, ipcs shows other IPC namespaces without entering \
them for good: a helper thread joins the namespace and reads it.",
    ipc_namespace: true,
    epilog: false,
    columns: "",
    exit_status: "\
0 on success; 1 on a usage error or when an object asked for with -i does not exist.",
    environment: "",
    examples: "\
Every System V object, with creators:

    $ ipcs -c

One inventory across every IPC namespace of the host (as root), a header line per \
namespace:

    # ipcs --all-namespaces

The queues of the IPC namespace of process 1234, without entering it:

    # ipcs -q --namespace=1234

Limits, and sizes in bytes:

    $ ipcs -l -b",
    notes: "\
Where nsipc deliberately differs from util-linux:

- When /proc/sysvipc is unusable, the fallback listing shows the real creator gid and \
every object (*_STAT_ANY).
- The /proc parsers cannot loop on empty or malformed files; semaphore counts are \
bounded by the kernel's, not taken from text.
- --namespace, --all-namespaces and -J (JSON) are nsipc's own options.",
    see_also: &[
        "ipcmk(1)",
        "ipcrm(1)",
        "lsipc(1)",
        "msgget(2)",
        "semget(2)",
        "shmget(2)",
        "sysvipc(7)",
        "ipc_namespaces(7)",
    ],
};
