//! A process's command as util-linux's listings show it (lsns COMMAND,
//! lsipc COMMAND and NSCOMMAND, the `ipcs --all-namespaces` headers): its
//! `/proc/PID/cmdline` with the NULs between arguments as spaces.

use std::io::Read;

/// util-linux reads `cmdline` and `comm` into a `BUFSIZ` buffer: longer
/// command lines are cut there.
const COMMAND_MAX: u64 = 8192;

/// `/proc/PID/cmdline` with NULs as spaces and its last byte (the final
/// NUL) dropped, at most 8 KiB read; `None` when the process is gone or the
/// file is empty (kernel threads, zombies).
pub fn command_line(pid: i32) -> Option<Vec<u8>> {
    if pid <= 0 {
        return None;
    }
    read_command(&format!("/proc/{pid}/cmdline"))
}

/// As lsns shows a process: its [`command_line`], else its `comm` (kernel
/// threads have no command line) without the final newline.
pub fn command(pid: i32) -> Option<Vec<u8>> {
    command_line(pid).or_else(|| read_command(&format!("/proc/{pid}/comm")))
}

fn read_command(path: &str) -> Option<Vec<u8>> {
    let mut buf = Vec::with_capacity(256);
    std::fs::File::open(path)
        .ok()?
        .take(COMMAND_MAX)
        .read_to_end(&mut buf)
        .ok()?;
    buf.pop()?;
    for b in &mut buf {
        if *b == 0 {
            *b = b' ';
        }
    }
    Some(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_command_line_has_spaces_between_arguments() {
        let want: Vec<u8> = std::env::args_os()
            .map(|a| a.into_encoded_bytes())
            .collect::<Vec<_>>()
            .join(&b' ');
        let got = command_line(std::process::id() as i32).unwrap();
        // Cut at 8 KiB minus the dropped final byte, as util-linux.
        let cut = want.len().min(COMMAND_MAX as usize - 1);
        assert_eq!(got, want[..cut]);
    }

    #[test]
    fn kernel_threads_fall_back_to_comm() {
        // kthreadd (pid 2 of the initial PID namespace) has no command
        // line; elsewhere pid 2 may be anything, so only check the shape.
        if std::fs::read("/proc/2/cmdline").is_ok_and(|c| c.is_empty()) {
            let comm = std::fs::read("/proc/2/comm").unwrap();
            assert_eq!(command(2).unwrap(), comm[..comm.len() - 1]);
            assert_eq!(command_line(2), None);
        }
        assert_eq!(command(0), None);
        assert_eq!(command(-1), None);
    }
}
