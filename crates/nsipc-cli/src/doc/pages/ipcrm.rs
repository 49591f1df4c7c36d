use super::Page;

pub static PAGE: Page = Page {
    summary: "remove System V or POSIX IPC objects",
    description: "\
ipcrm removes IPC objects of the caller's IPC namespace: System V message queues, \
shared memory segments and semaphore sets by id or key, POSIX message queues, shared \
memory objects and named semaphores by name, or all objects of one kind (-a). A shared \
memory segment is destroyed once the last process detaches it.

The old form ipcrm shm|msg|sem ID... is still accepted.",
    ipc_namespace: true,
    epilog: true,
    columns: "",
    exit_status: "\
0 when everything named was removed; 1 otherwise (a usage error, an object that does \
not exist, no permission).",
    environment: "",
    examples: "\
Remove queue 3 and the segment with key 0x1234:

    $ ipcrm -q 3 -M 0x1234

Remove every semaphore set, saying what is removed:

    $ ipcrm -v -a=sem

Remove the POSIX message queue /jobs:

    $ ipcrm --posix-mqueue /jobs",
    notes: "\
Where nsipc deliberately differs from util-linux: ipcrm parses and validates every \
argument before removing anything. ipcrm -a shm (a typo for -a=shm) removes nothing; \
util-linux removes everything, then complains.",
    see_also: &[
        "ipcmk(1)",
        "ipcs(1)",
        "lsipc(1)",
        "msgctl(2)",
        "shmctl(2)",
        "semctl(2)",
    ],
};
