//! Namespaces kept alive by nsfs bind mounts: `/proc/self/mountinfo`.

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::PathBuf;

use super::{Ino, Namespace, NsfsMount, ScanError, Scanner};

// ---------------------------------------------------------------------------
// mountinfo

/// One line of `/proc/PID/mountinfo`, with the octal escapes (`\040`) of
/// root and mount point undone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountInfo {
    /// The mount id (field 1).
    pub id: u32,
    /// The parent mount's id (field 2).
    pub parent_id: u32,
    /// The root of the mount within its file system (field 4).
    pub root: OsString,
    /// The mount point (field 5).
    pub target: OsString,
    /// The file system type (after the ` - ` separator).
    pub fstype: String,
    /// The mount source (after the file system type).
    pub source: OsString,
}

/// Parses mountinfo text. Pure: malformed lines are skipped, never a panic.
pub fn parse_mountinfo(text: &[u8]) -> Vec<MountInfo> {
    text.split(|&b| b == b'\n')
        .filter_map(parse_mountinfo_line)
        .collect()
}

fn parse_mountinfo_line(line: &[u8]) -> Option<MountInfo> {
    let mut fields = line.split(|&b| b == b' ').filter(|f| !f.is_empty());
    let id = std::str::from_utf8(fields.next()?).ok()?.parse().ok()?;
    let parent_id = std::str::from_utf8(fields.next()?).ok()?.parse().ok()?;
    let _devno = fields.next()?;
    let root = unescape(fields.next()?);
    let target = unescape(fields.next()?);
    let _options = fields.next()?;
    // Optional fields ("shared:1", "master:2" …) end with a lone "-".
    for f in fields.by_ref() {
        if f == b"-" {
            break;
        }
    }
    let fstype = String::from_utf8_lossy(&unescape(fields.next()?)).into_owned();
    let source = OsString::from_vec(unescape(fields.next().unwrap_or(b"none")));
    Some(MountInfo {
        id,
        parent_id,
        root: OsString::from_vec(root),
        target: OsString::from_vec(target),
        fstype,
        source,
    })
}

/// The kernel escapes space, tab, newline and backslash as `\ooo`.
fn unescape(field: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(field.len());
    let mut i = 0;
    while i < field.len() {
        let octal = field
            .get(i + 1..i + 4)
            .filter(|d| field[i] == b'\\' && d.iter().all(|c| (b'0'..=b'7').contains(c)));
        match octal {
            Some(d) => {
                let v = (d[0] - b'0') as u32 * 64 + (d[1] - b'0') as u32 * 8 + (d[2] - b'0') as u32;
                out.push(v as u8);
                i += 4;
            }
            None => {
                out.push(field[i]);
                i += 1;
            }
        }
    }
    out
}

/// The nsfs bind mounts among mountinfo entries: root `name:[inode]`.
pub fn nsfs_mounts(entries: &[MountInfo]) -> Vec<NsfsMount> {
    entries
        .iter()
        .filter(|m| m.fstype == "nsfs")
        .filter_map(|m| {
            let (name, ino) = parse_nsfs_root(m.root.as_bytes())?;
            Some(NsfsMount {
                name,
                ino,
                target: PathBuf::from(&m.target),
            })
        })
        .collect()
}

/// `net:[4026531840]` → ("net", 4026531840).
fn parse_nsfs_root(root: &[u8]) -> Option<(String, Ino)> {
    let open = root.iter().position(|&b| b == b'[')?;
    let name = root[..open].strip_suffix(b":")?;
    let digits = root[open + 1..].strip_suffix(b"]")?;
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let ino = std::str::from_utf8(digits).ok()?.parse().ok()?;
    Some((String::from_utf8_lossy(name).into_owned(), ino))
}

impl Scanner {
    /// Persistent namespaces: nsfs bind mounts.
    pub(super) fn read_mounts(&mut self) -> Result<(), ScanError> {
        let text = std::fs::read("/proc/self/mountinfo").map_err(|e| ScanError::Proc {
            path: "/proc/self/mountinfo".into(),
            source: e,
        })?;
        self.snap.mounts = nsfs_mounts(&parse_mountinfo(&text));
        let mounts = std::mem::take(&mut self.snap.mounts);
        for m in &mounts {
            if self.snap.index.contains_key(&m.ino) {
                continue;
            }
            if let Ok(handle) = Namespace::open(&m.target) {
                // The mount may have been replaced since mountinfo was read.
                if handle.inode().ok() == Some(m.ino) {
                    self.add_namespace_fd(&handle, m.ino, 0)?;
                }
            }
        }
        self.snap.mounts = mounts;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mountinfo_lines() {
        let text = b"22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n\
            600 22 0:4 net:[4026532300] /run/netns/a\\040b rw shared:5 master:2 - nsfs nsfs rw\n\
            601 22 0:4 mnt:[4026532301] /x rw - nsfs nsfs rw\n\
            garbage\n\
            602 22 0:4 net:[12x] /y rw - nsfs nsfs rw\n";
        let all = parse_mountinfo(text);
        assert_eq!(all.len(), 4);
        assert_eq!(all[1].target, OsString::from("/run/netns/a b"));
        assert_eq!(all[1].fstype, "nsfs");
        let ns = nsfs_mounts(&all);
        assert_eq!(
            ns,
            vec![
                NsfsMount {
                    name: "net".into(),
                    ino: 4026532300,
                    target: "/run/netns/a b".into()
                },
                NsfsMount {
                    name: "mnt".into(),
                    ino: 4026532301,
                    target: "/x".into()
                },
            ]
        );
    }

    #[test]
    fn mountinfo_never_panics() {
        for text in [
            &b""[..],
            b"\n\n",
            b"1 2",
            b"1 2 3 4 5 6 -",
            b"1 2 3 \\12 \\",
            b"1 2 3 4 5 6 - nsfs",
            b"\xff\xfe 1",
        ] {
            let _ = nsfs_mounts(&parse_mountinfo(text));
        }
        assert_eq!(unescape(b"a\\134b\\0"), b"a\\b\\0");
    }
}
