use super::Page;

pub static PAGE: Page = Page {
    summary: "run a program in new namespaces",
    description: "\
unshare runs a program (by default a login shell: $SHELL, else the user's shell, else \
/bin/sh) in new namespaces, unshared from those of the caller with unshare(2). Each \
namespace option makes one new namespace; the rest of the system keeps the old ones. \
With =<file>, the new namespace is kept alive by a bind mount on <file> after the \
program ends, to be entered later with nsenter.

The options run in util-linux's order: helper processes for persistence and id maps, \
--owner, unshare(2), id maps, time offsets, the fork (with --fork), persistence; then, \
in the process that runs the program: propagation, chroot, mounts, host name, \
credentials, capabilities, environment, exec.",
    ipc_namespace: true,
    epilog: true,
    columns: "",
    exit_status: "\
Without --fork, unshare becomes the program, so the status is the program's. With \
--fork, the status of the child; a child killed by a signal makes unshare kill itself \
with the same signal. unshare itself exits with 1 on an error of its own (a usage error, \
a failed unshare(2) or mount), 126 when the program cannot be executed and 127 when it \
is not found.",
    environment: "\
- SHELL: the shell run when no program is given.",
    examples: "\
The IPC-namespace walkthrough: a queue made in one namespace is not seen in a new one. \
As root, in a scratch namespace or a test machine:

    # ipcmk -Q
    Message queue id: 0
    # unshare -iu --hostname=container001 bash
    # ipcs -q          (empty: a new IPC namespace)
    # ipcmk -Q         (a queue of its own)
    # echo $$          (the PID, for nsenter from another terminal)

Complete IPC isolation: a new IPC and mount namespace with its own /dev/mqueue and \
/dev/shm:

    # unshare -im --mount-mqueue --mount-shm bash

As an unprivileged user: a user namespace mapping you to root, with a new PID namespace \
and its own /proc:

    $ unshare -r --fork --pid --mount-proc bash

Keep a new UTS namespace after the program ends, then enter it:

    # touch /run/uts1
    # unshare --uts=/run/uts1 hostname ns1
    # nsenter --uts=/run/uts1 hostname",
    notes: "\
Where nsipc deliberately differs from util-linux:

- --whitelist-env naming only variables that are not set gives an empty environment \
(util-linux keeps all of it).
- User and group ids above 2^32-1 are refused, not silently truncated.
- No file descriptor nsipc opened reaches the program.
- An EPERM from unshare(2) on a terminal adds a hint naming -r.
- --mount-mqueue, --mount-shm, --hostname and --domainname are nsipc's own options.",
    see_also: &[
        "nsenter(1)",
        "lsns(1)",
        "ipcs(1)",
        "unshare(2)",
        "namespaces(7)",
        "ipc_namespaces(7)",
        "user_namespaces(7)",
    ],
};
