use super::Page;

pub static PAGE: Page = Page {
    summary: "run a program in the namespaces of another process",
    description: "\
nsenter runs a program (by default $SHELL) in the namespaces of a target process (-t) or \
of namespace files (a /proc/PID/ns/TYPE file or a bind mount of one, as unshare --TYPE=file \
makes). Each namespace option chooses one namespace; -a chooses all of them.

nsenter enters through one pidfd of the target where the kernel allows it (setns(2) on a \
pidfd enters several namespaces at once, in the kernel's order), otherwise through the \
namespace files, in two passes so that a user namespace is entered first when that is \
what grants the right to enter the others. Entering a PID namespace forks, because only \
children change PID namespace (unless --no-fork).",
    ipc_namespace: true,
    epilog: false,
    columns: "",
    exit_status: "\
The program's exit status. With a fork, a child killed by a signal makes nsenter kill \
itself with the same signal. nsenter exits with 1 on an error of its own, 126 when the \
program cannot be executed and 127 when it is not found.",
    environment: "\
- SHELL: the shell run when no program is given.",
    examples: "\
The IPC-namespace walkthrough, continued: from another terminal, enter the UTS and IPC \
namespaces of the shell that unshare -iu started (PID 1234) and see its host name and \
its queue:

    # nsenter -t 1234 -u -i hostname
    container001
    # nsenter -t 1234 -u -i ipcs -q

Enter every namespace of a container's main process, with its root and working \
directory:

    # nsenter -t 1234 -a -r -w

Enter a namespace kept by a bind mount:

    # nsenter --net=/run/netns/blue ip address",
    notes: "\
Where nsipc deliberately differs from util-linux:

- nsenter enters through one pidfd and never looks the PID up again, so a reused PID \
cannot redirect it.
- --join-cgroup reads the target's cgroup v2 line (0::) instead of the first line, which \
is a v1 controller on hybrid hosts; the cgroup.procs descriptor it opens as root is \
close-on-exec and closed before the program runs (util-linux opens it without O_CLOEXEC \
and never closes it).
- User and group ids above 2^32-1 are refused, not silently truncated.
- No file descriptor nsipc opened reaches the program.",
    see_also: &[
        "unshare(1)",
        "lsns(1)",
        "setns(2)",
        "namespaces(7)",
        "ipc_namespaces(7)",
    ],
};
