//! Fills the current IPC namespace for the ipcs benchmark:
//! `fill QUEUES SETS SEGMENTS`. Standalone (no crates) so run.sh can build
//! it with plain rustc. Never run it outside a private IPC namespace.

use std::os::raw::{c_int, c_long};

extern "C" {
    fn msgget(key: c_int, flags: c_int) -> c_int;
    fn semget(key: c_int, nsems: c_int, flags: c_int) -> c_int;
    fn shmget(key: c_int, size: usize, flags: c_int) -> c_int;
    fn msgsnd(id: c_int, msg: *const Message, size: usize, flags: c_int) -> c_int;
}

#[repr(C)]
struct Message {
    mtype: c_long,
    text: [u8; 64],
}

const IPC_CREAT: c_int = 0o1000;
const IPC_NOWAIT: c_int = 0o4000;

fn count(arg: Option<String>) -> i32 {
    arg.and_then(|a| a.parse().ok()).expect("usage: fill QUEUES SETS SEGMENTS")
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (queues, sets, segments) = (count(args.next()), count(args.next()), count(args.next()));
    let msg = Message { mtype: 1, text: [b'x'; 64] };
    for i in 0..queues {
        // SAFETY: plain syscalls; `msg` is a valid message of 64 bytes.
        let id = unsafe { msgget(0x1000_0000 + i, IPC_CREAT | 0o644) };
        assert!(id >= 0, "msgget failed at {i}: {}", std::io::Error::last_os_error());
        if i % 3 == 0 {
            unsafe { msgsnd(id, &msg, 64, IPC_NOWAIT) };
        }
    }
    for i in 0..sets {
        // SAFETY: plain syscall.
        let id = unsafe { semget(0x2000_0000 + i, 1 + i % 4, IPC_CREAT | 0o600) };
        assert!(id >= 0, "semget failed at {i}: {}", std::io::Error::last_os_error());
    }
    for i in 0..segments {
        // SAFETY: plain syscall.
        let id = unsafe { shmget(0x3000_0000 + i, 4096, IPC_CREAT | 0o640) };
        assert!(id >= 0, "shmget failed at {i}: {}", std::io::Error::last_os_error());
    }
}
