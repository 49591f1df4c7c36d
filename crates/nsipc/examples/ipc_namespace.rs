//! The IPC-namespace walkthrough as a library example: a System V message
//! queue made in one IPC namespace is invisible from a new IPC + UTS
//! namespace, which has its own hostname and its own queues.
//!
//! Run as root: `cargo run -p nsipc --example ipc_namespace`. The example
//! first moves itself into a private IPC + UTS namespace, so the host's
//! queues and hostname are never touched.

use std::process::Command;

use nsipc::ns::{self, unshare::Unshare, Kind, Kinds, NsId};

fn main() -> std::io::Result<()> {
    // A private "outer" namespace pair standing in for the host.
    Unshare::new(Kinds::IPC | Kinds::UTS)
        .hostname("outer")
        .apply()?;
    show_namespaces("outer")?;

    // A queue in the outer IPC namespace (`ipcmk -Q`).
    // SAFETY: msgget takes no pointers.
    let id = unsafe { libc::msgget(libc::IPC_PRIVATE, libc::IPC_CREAT | 0o644) };
    if id < 0 {
        return Err(std::io::Error::last_os_error());
    }
    println!("made message queue {id} in the outer namespace");
    run(Command::new("ipcs").arg("-q"))?;

    // `unshare -iu --hostname=container001 sh -c '...'`: a new IPC + UTS
    // namespace with its own hostname, which sees no queue.
    println!("\nin a new IPC + UTS namespace:");
    run(Unshare::new(Kinds::IPC | Kinds::UTS)
        .hostname("container001")
        .command("sh")
        .args([
            "-c",
            "readlink /proc/self/ns/uts /proc/self/ns/ipc; hostname; ipcs -q",
        ]))?;

    // The outer namespace still has its queue and its name.
    println!("\nback in the outer namespace:");
    run(&mut Command::new("hostname"))?;
    run(Command::new("ipcs").arg("-q"))?;
    // SAFETY: msgctl(IPC_RMID) takes no buffer.
    unsafe { libc::msgctl(id, libc::IPC_RMID, std::ptr::null_mut()) };
    Ok(())
}

fn show_namespaces(label: &str) -> std::io::Result<()> {
    for kind in [Kind::Uts, Kind::Ipc] {
        let id: NsId = NsId::current(kind)?;
        println!("{label}: {}", ns::link_text(kind, id.ino));
    }
    Ok(())
}

fn run(cmd: &mut Command) -> std::io::Result<()> {
    let status = cmd.status()?;
    if !status.success() {
        eprintln!("{cmd:?} failed: {status}");
    }
    Ok(())
}
