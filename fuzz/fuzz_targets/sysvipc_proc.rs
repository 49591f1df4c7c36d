//! `/proc/sysvipc/{msg,shm,sem}` and `/proc/sys/kernel/{sem,msgmni,...}`:
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
});
