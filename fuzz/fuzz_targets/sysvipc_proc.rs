//! `/proc/sysvipc/{msg,shm,sem}`, `/proc/sys/kernel/{sem,msgmni,...}` and
//! the `QSIZE:` line of a `/dev/mqueue` file:
//! any bytes give a bounded result (at most one object per line) without a
//! panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nsipc::ipc::sysv::parse;

fuzz_target!(|data: &[u8]| {
    let lines = data.split(|&b| b == b'\n').count();
    assert!(parse::msg(data).len() <= lines);
    assert!(parse::shm(data).len() <= lines);
    assert!(parse::sem(data).len() <= lines);
    let _ = parse::sysctl_number(data);
    let _ = parse::sysctl_sem(data);
    let _ = nsipc::ipc::posix::mqueue::parse_qsize(data);
});
