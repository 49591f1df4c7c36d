//! Text several pages share: what an IPC namespace isolates.

/// What an IPC namespace isolates and what it does not.
pub const IPC_NAMESPACE: &str = "\
An IPC namespace isolates System V IPC objects (message queues, semaphore sets and \
shared memory segments: their ids, keys and the limits in /proc/sys/kernel) and POSIX \
message queues. A process sees only the objects of its own IPC namespace; a key made in \
one namespace names nothing in another.

It does not isolate POSIX shared memory or POSIX named semaphores: those are files in \
/dev/shm, a tmpfs that belongs to the mount namespace, not to the IPC namespace. Two \
processes in different IPC namespaces that see the same /dev/shm share them. Likewise \
/dev/mqueue shows the queues of the IPC namespace that mounted it, so after unshare -i \
it keeps showing the old namespace's queues until a new mqueue filesystem is mounted \
(unshare --mount-mqueue). For complete isolation use a new mount namespace as well, \
with a private /dev/shm (unshare --mount-shm).";
