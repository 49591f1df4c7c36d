//! The IPC-namespace walkthrough as a library example: a System V message
//! queue made in one IPC namespace is invisible from a new IPC + UTS
//! namespace, which has its own hostname and its own queues.
//!
//! Run as root: `cargo run -p nsipc --example ipc_namespace`. The example
//! first moves itself into a private IPC + UTS namespace, so the host's
//! queues and hostname are never touched.
//!
//! An IPC call that fails says which call on which object, with the errno:
//! `msgget on message queue key 0x00001234: File exists`.

use nsipc::ipc::namespace::in_namespace;
use nsipc::ipc::sysv::{msg, Key};
use nsipc::ipc::CreateOptions;
use nsipc::ns::{self, Kind, Kinds, Namespace, NsId};

/// Any error; an IPC error names its call and object.
type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn main() {
    if let Err(e) = run() {
        eprintln!("ipc_namespace: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
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
    let inner = std::thread::spawn(|| -> Result<Namespace> {
        ns::unshare(Kinds::IPC | Kinds::UTS)?;
        rustix::system::sethostname(b"container001")?;
        show("inner")?;
        list("inner")?;
        let key = Key::from_raw(0x1234);
        msg::create(key, CreateOptions::new().exclusive())?;
        // The key is taken now: the error names the call, the key and the
        // errno (EEXIST).
        if let Err(e) = msg::create(key, CreateOptions::new().exclusive()) {
            println!("inner: {e}");
        }
        Ok(Namespace::open("/proc/thread-self/ns/ipc")?)
    })
    .join()
    .expect("the inner thread does not panic")?;

    // The outer namespace still has its queue and its name, and can look
    // into the inner one without entering it.
    show("outer")?;
    list("outer")?;
    let queues = in_namespace(&inner, msg::list)??;
    println!("inner, seen from outside: {} queue(s)", queues.len());
    msg::remove(id)?;
    Ok(())
}

/// The calling thread's UTS and IPC namespaces and its hostname.
fn show(label: &str) -> std::io::Result<()> {
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
fn list(label: &str) -> nsipc::ipc::Result<()> {
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
