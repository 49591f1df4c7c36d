//! Inputs parsed inside the tools: a target's `/proc/PID/environ`
//! (`nsenter -e`: its owner controls it), `nsenter -t PID[:INODE]` and
//! `unshare --propagation`. Never a panic; the environment parse keeps each
//! name once and never invents a variable.
#![no_main]

use std::os::unix::ffi::OsStrExt;

use libfuzzer_sys::fuzz_target;
use nsipc_cli::tools::{nsenter, unshare};

fuzz_target!(|data: &[u8]| {
    let vars = nsenter::parse_environ(data);
    let mut names = std::collections::HashSet::new();
    for (name, value) in &vars {
        assert!(!name.is_empty());
        assert!(!name.as_bytes().contains(&b'=') && !name.as_bytes().contains(&0));
        assert!(!value.as_bytes().contains(&0));
        assert!(names.insert(name.clone()), "a name kept twice");
    }
    assert!(vars.len() <= data.len() / 2 + 1);
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok((pid, _inode)) = nsenter::parse_pid_arg(text) {
            assert!(pid > 0);
        }
        let _ = unshare::parse_propagation(text);
    }
});
