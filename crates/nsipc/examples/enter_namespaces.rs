//! Enters the UTS, IPC and network namespaces of a process, the way
//! `nsenter --target PID --uts --ipc --net` does, then runs a command there.
//!
//! `cargo run -p nsipc --example enter_namespaces -- PID [COMMAND...]` (as
//! root). The process is held by a pidfd, so a reused PID is never entered,
//! and the namespaces are joined in one `setns(2)` through it where the
//! kernel allows (Linux 5.8), in util-linux's order otherwise.

use std::io;
use std::process::Command;

use nsipc::ns::enter::{Joiner, Target};
use nsipc::ns::Kinds;

fn main() -> io::Result<()> {
    let mut args = std::env::args().skip(1);
    let Some(pid) = args.next().and_then(|a| a.parse::<nsipc::Pid>().ok()) else {
        eprintln!("usage: enter_namespaces PID [COMMAND...]");
        std::process::exit(2);
    };
    let mut target = Target::new(pid);
    let pidfd = target.open_pidfd()?;
    Joiner::new()
        .enter(Kinds::UTS | Kinds::IPC | Kinds::NET, Some(pidfd))
        .map_err(|e| io::Error::new(e.io_error().kind(), e))?;
    let program = args.next().unwrap_or_else(|| "hostname".into());
    let status = Command::new(program).args(args).status()?;
    std::process::exit(status.code().unwrap_or(1));
}
