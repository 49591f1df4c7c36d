//! Lists the System V IPC objects of another IPC namespace without moving
//! the process into it (`ipcs --namespace`).
//!
//! `cargo run -p nsipc --example list_namespace -- PID` (or the path of an
//! IPC namespace file, such as a bind mount). Joining another namespace
//! needs `CAP_SYS_ADMIN` over its owning user namespace; nothing is
//! changed in it.

use nsipc::ipc::namespace::in_namespace;
use nsipc::ipc::sysv::{msg, sem, shm};
use nsipc::ns::{Kind, Namespace};

fn main() {
    // An IPC error names its call and object (`msgctl(MSG_INFO) on message
    // queues: …`): print it with Display, not main's Debug.
    if let Err(e) = run() {
        eprintln!("list_namespace: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let Some(arg) = std::env::args().nth(1) else {
        eprintln!("usage: list_namespace PID|PATH");
        std::process::exit(2);
    };
    let ns = match arg.parse::<nsipc::Pid>() {
        Ok(pid) => Namespace::of_process(pid, Kind::Ipc)?,
        Err(_) => Namespace::open(&arg)?,
    };
    println!("IPC namespace {}", ns.inode()?);
    // Every System V call of the closure runs on a helper thread that has
    // joined `ns`; this thread never moves.
    let (queues, segments, sets) = in_namespace(&ns, || -> nsipc::ipc::Result<_> {
        Ok((msg::list()?, shm::list()?, sem::list()?))
    })??;
    for q in queues {
        println!(
            "queue     key {:#010x} id {:>6} messages {}",
            q.perm.key, q.id, q.qnum
        );
    }
    for s in segments {
        println!(
            "segment   key {:#010x} id {:>6} bytes {}",
            s.perm.key, s.id, s.size
        );
    }
    for s in sets {
        println!(
            "semaphores key {:#010x} id {:>6} count {}",
            s.perm.key, s.id, s.nsems
        );
    }
    Ok(())
}
