//! The IPC-namespace walkthrough as a library example: a System V message
//! queue made in one IPC namespace is invisible from a new IPC + UTS
//! namespace, which has its own hostname and its own queues.
//!
//! Run as root: `cargo run -p nsipc --example ipc_namespace`. The example
//! first moves itself into a private IPC + UTS namespace, so the host's
//! queues and hostname are never touched.

use std::io;

use nsipc::ipc::namespace::in_namespace;
use nsipc::ipc::sysv::{msg, Key};
use nsipc::ipc::CreateOptions;
use nsipc::ns::{self, Kind, Kinds, Namespace, NsId};

fn main() -> io::Result<()> {
    // A private "outer" namespace pair standing in for the host; the
    // process is still single-threaded here, as unshare(2) prefers.
    ns::unshare(Kinds::IPC | Kinds::UTS)?;
    rustix::system::sethostname(b"outer")?;
    show("outer")?;

    // A queue in the outer IPC namespace (`ipcmk -Q`).
    let id = msg::create(Key::PRIVATE, CreateOptions::new().mode(0o644))?;
    println!("made message queue {id} in the outer namespace");
    list("outer")?;

    // `unshare -iu --hostname=container001`: IPC and UTS namespaces belong
    // to a thread, so a thread can have new ones while the rest of the
    // process stays put. It keeps a handle, so the namespace outlives it.
    let inner = std::thread::spawn(|| -> io::Result<Namespace> {
        ns::unshare(Kinds::IPC | Kinds::UTS)?;
        rustix::system::sethostname(b"container001")?;
        show("inner")?;
        list("inner")?;
        msg::create(Key::from_raw(0x1234), CreateOptions::new().exclusive())?;
        Namespace::open("/proc/thread-self/ns/ipc")
    })
    .join()
    .expect("the inner thread does not panic")?;

    // The outer namespace still has its queue and its name, and can look
    // into the inner one without entering it.
    show("outer")?;
    list("outer")?;
    let queues = in_namespace(&inner, msg::list)??;
    println!("inner, seen from outside: {} queue(s)", queues.len());
    msg::remove(id)
}

/// The calling thread's UTS and IPC namespaces and its hostname.
fn show(label: &str) -> io::Result<()> {
    for kind in [Kind::Uts, Kind::Ipc] {
        let path = format!("/proc/thread-self/ns/{}", kind.proc_name());
        let id = NsId::of_path(path)?;
        println!("{label}: {}", ns::link_text(kind, id.ino));
    }
    let uname = rustix::system::uname();
    println!("{label}: hostname {}", uname.nodename().to_string_lossy());
    Ok(())
}

/// `ipcs -q` in the calling thread's IPC namespace.
fn list(label: &str) -> io::Result<()> {
    for q in msg::list()? {
        println!(
            "{label}: queue key {:#010x} id {} mode {:o}",
            q.perm.key,
            q.id,
            q.perm.mode & 0o777
        );
    }
    Ok(())
}
