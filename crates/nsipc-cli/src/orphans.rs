//! What `lsipc --orphans` lists and `ipcrm --orphans` removes: the rules of
//! `nsipc::ipc::orphans` plus the age limit (`--older-than`), and the one
//! `/proc` pass that finds holders, shared by both tools.

use std::collections::HashSet;
use std::ffi::OsString;
use std::path::Path;

use nsipc::ipc::holders::{self, Index, Targets};
use nsipc::ipc::orphans;
use nsipc::ipc::posix::{self, Attrs};
use nsipc::ipc::sysv::{MsgQueue, SemSet, ShmSegment};

/// `--older-than` for both tools' option tables.
pub const OLDER_THAN_HELP: &str = "only objects unchanged for AGE (30m, 2h, 7d; plain seconds)";

/// An age: a number with an optional unit `s`, `m`, `h`, `d` or `w`
/// (seconds when there is none). `None` for anything else.
pub fn parse_age(text: &str) -> Option<u64> {
    let (digits, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, ""),
    };
    let n: u64 = digits.parse().ok()?;
    let scale = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86400,
        "w" => 7 * 86400,
        _ => return None,
    };
    n.checked_mul(scale)
}

/// The seconds since the epoch now.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The orphan rules with an optional age limit.
#[derive(Clone, Copy, Debug)]
pub struct Rules {
    /// Only objects whose change time is at least this many seconds ago.
    pub older_than: Option<u64>,
    pub now: i64,
}

impl Rules {
    pub fn new(older_than: Option<u64>) -> Self {
        Rules {
            older_than,
            now: now(),
        }
    }

    /// Old enough: `changed` (ctime or mtime) at least the age ago.
    pub fn old_enough(&self, changed: i64) -> bool {
        self.older_than
            .is_none_or(|age| self.now.saturating_sub(changed) >= age as i64)
    }

    pub fn shm(&self, s: &ShmSegment) -> bool {
        self.old_enough(s.ctime) && orphans::shm_unused(s)
    }

    pub fn msg(&self, q: &MsgQueue) -> bool {
        self.old_enough(q.ctime) && orphans::msg_unused(q)
    }

    /// `last_pids`: the set's `sem::last_pids`, `None` when unreadable.
    pub fn sem(&self, s: &SemSet, last_pids: Option<&[i32]>) -> bool {
        self.old_enough(s.ctime) && orphans::sem_unused(last_pids)
    }

    pub fn posix(&self, index: &Index, attrs: &Attrs) -> bool {
        self.old_enough(attrs.mtime) && orphans::posix_unused(index, attrs)
    }
}

/// What one `/proc` pass should look for: System V segments, and/or the
/// files of one POSIX directory (`/dev/shm` for shared memory and
/// semaphores, `/dev/mqueue` for queues).
pub fn targets(sysv_shm: bool, posix_dirs: &[&str]) -> Targets {
    let mut t = Targets {
        sysv_shm,
        files: HashSet::new(),
        names: HashSet::new(),
    };
    for dir in posix_dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for entry in entries.flatten() {
            if let Ok(md) = std::fs::metadata(entry.path()) {
                use std::os::unix::fs::MetadataExt;
                t.files.insert((md.dev(), md.ino()));
                t.names.insert(holders::target_name(&entry.file_name()));
            }
        }
    }
    t
}

/// The POSIX directory of a kind of object.
pub fn posix_dir(queue: bool) -> &'static str {
    if queue {
        posix::MQUEUE_DIR
    } else {
        posix::SHM_DIR
    }
}

/// The file of a POSIX object as lsipc and ipcrm name it: `/q` for a
/// queue, the bare name for shared memory, `sem.NAME` for a semaphore.
pub fn posix_path(dir: &str, file: &OsString) -> std::path::PathBuf {
    Path::new(dir).join(holders::target_name(file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages() {
        assert_eq!(parse_age("90"), Some(90));
        assert_eq!(parse_age("45s"), Some(45));
        assert_eq!(parse_age("30m"), Some(1800));
        assert_eq!(parse_age("2h"), Some(7200));
        assert_eq!(parse_age("7d"), Some(604800));
        assert_eq!(parse_age("1w"), Some(604800));
        assert_eq!(parse_age("0"), Some(0));
        for bad in [
            "",
            "m",
            "1x",
            "1.5h",
            "-1",
            "1hm",
            " 1",
            "99999999999999999999",
        ] {
            assert_eq!(parse_age(bad), None, "{bad}");
        }
        assert_eq!(parse_age("18446744073709551615d"), None);
    }

    #[test]
    fn age_limit() {
        let rules = Rules {
            older_than: Some(3600),
            now: 10_000,
        };
        assert!(rules.old_enough(6400));
        assert!(!rules.old_enough(6401));
        let any = Rules {
            older_than: None,
            now: 0,
        };
        assert!(any.old_enough(i64::MAX));
    }
}
