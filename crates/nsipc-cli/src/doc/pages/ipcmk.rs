use super::Page;

pub static PAGE: Page = Page {
    summary: "make System V or POSIX IPC objects",
    description: "\
ipcmk makes IPC objects and prints their ids or names: System V message queues (-Q), \
shared memory segments (-M) and semaphore sets (-S), and POSIX message queues (-q), \
shared memory objects (-m) and named semaphores (-s). Several can be made at once. \
System V objects get a random key unless --key is given; POSIX objects need --name.

The objects belong to the caller's IPC namespace, except POSIX shared memory and \
semaphores, which are files in /dev/shm.",
    ipc_namespace: true,
    epilog: true,
    columns: "",
    exit_status: "\
0 when every object was made; 1 otherwise (a usage error, a key that exists, a limit).",
    environment: "",
    examples: "\
A queue, a 4 KiB segment and a set of 3 semaphores:

    $ ipcmk -Q -M 4K -S 3

A POSIX message queue named /jobs, readable by everyone:

    $ ipcmk -q -n /jobs -p 0644

A queue with a chosen key (fails if the key is taken):

    $ ipcmk -Q --key 0x1234",
    notes: "\
Where nsipc deliberately differs from util-linux:

- Random keys are created with IPC_EXCL (retried on a collision, never key 0) and POSIX \
objects with O_EXCL, so an existing object is never silently returned.
- -M and -m keep separate sizes.
- --key is nsipc's own option.",
    see_also: &[
        "ipcrm(1)",
        "ipcs(1)",
        "lsipc(1)",
        "msgget(2)",
        "mq_open(3)",
        "sysvipc(7)",
    ],
};
