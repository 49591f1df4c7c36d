//! `/proc/PID/mountinfo` and `/proc/PID/stat`, as lsns reads them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nsipc::ns::discover;

fuzz_target!(|data: &[u8]| {
    let lines = data.split(|&b| b == b'\n').count();
    let mounts = discover::parse_mountinfo(data);
    assert!(mounts.len() <= lines);
    let nsfs = discover::nsfs_mounts(&mounts);
    assert!(nsfs.len() <= mounts.len());
    let _ = discover::parse_proc_stat(data);
});
