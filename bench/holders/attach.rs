// Filler of bench/holders/run.sh: makes N private System V segments in the
// current IPC namespace, attaches every other one, then sleeps until it is
// killed (the segments go with the benchmark's namespace).
fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(4000);
    extern "C" {
        fn shmget(key: i32, size: usize, flags: i32) -> i32;
        fn shmat(id: i32, addr: *const u8, flags: i32) -> *mut u8;
    }
    for i in 0..n {
        // SAFETY: plain System V calls; IPC_PRIVATE (0), mode 0600.
        let id = unsafe { shmget(0, 4096, 0o1000 | 0o600) };
        assert!(id >= 0, "shmget failed at {i}");
        if i % 2 == 0 {
            // SAFETY: attaching a segment just made; kept until exit.
            let addr = unsafe { shmat(id, std::ptr::null(), 0) };
            assert!(addr as isize != -1, "shmat failed");
        }
    }
    std::thread::sleep(std::time::Duration::from_secs(3600));
}
