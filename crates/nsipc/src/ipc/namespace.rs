//! The IPC view of another namespace: run a closure with only the IPC
//! namespace switched, on a helper thread, so the caller never moves.
//!
//! System V IPC calls (`msgget`, `shmctl`, …), `/proc/sysvipc/*` and the
//! IPC sysctls under `/proc/sys/kernel/` all act on the IPC namespace of the
//! calling *thread*. `setns(CLONE_NEWIPC)` is allowed in a multi-threaded
//! process and only moves the thread that calls it, so a short-lived thread
//! that joins the target namespace sees exactly what a process inside it
//! would, while the caller (and every other thread) stays where it is. The
//! mount namespace is not changed: user and group names, for instance, are
//! still resolved from the caller's `/etc/passwd`.
//!
//! Threads the closure starts inherit the helper thread's namespaces.

use std::io;

use crate::ns::{Kind, Namespace};

/// Runs `f` on a new thread that has joined the IPC namespace `ns`, and
/// returns its result. The calling thread's namespaces never change.
///
/// Fails with `EINVAL` if `ns` is not an IPC namespace, and with the
/// `setns(2)` error (typically `EPERM`: joining needs `CAP_SYS_ADMIN` over
/// the namespace's owning user namespace) if the thread cannot join it. A
/// panic in `f` is propagated to the caller.
///
/// # Examples
///
/// ``` no_run
/// use nsipc::ipc::namespace::in_namespace;
/// use nsipc::ipc::sysv::msg;
/// use nsipc::ns::{Kind, Namespace};
/// // The message queues of process 1234's IPC namespace.
/// let ns = Namespace::of_process(1234, Kind::Ipc)?;
/// let queues = in_namespace(&ns, msg::list)??;
/// println!("{} queues", queues.len());
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # References
/// - [setns(2)](https://man7.org/linux/man-pages/man2/setns.2.html)
/// - [ipc_namespaces(7)](https://man7.org/linux/man-pages/man7/ipc_namespaces.7.html)
#[doc(alias = "setns")]
pub fn in_namespace<R, F>(ns: &Namespace, f: F) -> io::Result<R>
where
    F: FnOnce() -> R + Send,
    R: Send,
{
    if ns.kind()? != Kind::Ipc {
        return Err(io::Error::from_raw_os_error(libc::EINVAL));
    }
    std::thread::scope(|scope| {
        let helper = std::thread::Builder::new()
            .name("nsipc-ipc-ns".into())
            .spawn_scoped(scope, move || -> io::Result<R> {
                ns.enter(Some(Kind::Ipc))?;
                Ok(f())
            })?;
        match helper.join() {
            Ok(result) => result,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_a_namespace_file() {
        let ns = Namespace::open("/dev/null");
        assert_eq!(ns.unwrap_err().raw_os_error(), Some(libc::EINVAL));
    }

    #[test]
    fn the_caller_never_moves() {
        // Our own IPC namespace: joining it needs no privilege beyond what
        // setns checks, and nothing about the caller may change.
        let before = std::fs::read_link("/proc/thread-self/ns/ipc").unwrap();
        let ns = Namespace::current(Kind::Ipc).unwrap();
        let seen = in_namespace(&ns, || {
            std::fs::read_link("/proc/thread-self/ns/ipc").unwrap()
        });
        let after = std::fs::read_link("/proc/thread-self/ns/ipc").unwrap();
        assert_eq!(before, after);
        if let Ok(seen) = seen {
            assert_eq!(seen, before);
        }
    }

    #[test]
    fn other_kinds_are_refused() {
        let uts = Namespace::current(Kind::Uts).unwrap();
        let err = in_namespace(&uts, || ()).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EINVAL));
    }
}
