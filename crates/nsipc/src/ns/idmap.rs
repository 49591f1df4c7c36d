//! User-namespace ID maps: which uids and gids outside a user namespace
//! appear as which ids inside it (`user_namespaces(7)`).
//!
//! A map is a list of [`IdRange`]s (`inner outer count`), written once to
//! `/proc/PID/uid_map` or `gid_map`. This module has three layers:
//!
//! - pure parsers and the merging rule (no I/O, safe on any input; these
//!   are what a fuzzer exercises): [`parse_decimal_u32`], [`parse_subid_line`],
//!   [`find_subid_range`], [`parse_kernel_map`], [`merge_single`],
//!   [`format_map`];
//! - reading the inputs: [`SubIdFile`], [`current_map`];
//! - applying a map: [`write_map`] (needs privilege over the target's user
//!   namespace), [`apply_map`], which goes through the setuid helpers
//!   `newuidmap` / `newgidmap` when unprivileged, and [`write_setgroups`].

use crate::Pid;
use std::io;
use std::path::Path;

/// `uid` or `gid`: which map, which subid file, which helper.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdKind {
    /// User ids (`uid_map`, `/etc/subuid`, `newuidmap`).
    Uid,
    /// Group ids (`gid_map`, `/etc/subgid`, `newgidmap`).
    Gid,
}

impl IdKind {
    /// `uid_map` / `gid_map` under `/proc/PID/`.
    pub const fn map_file(self) -> &'static str {
        match self {
            IdKind::Uid => "uid_map",
            IdKind::Gid => "gid_map",
        }
    }

    /// `/etc/subuid` / `/etc/subgid`.
    pub const fn subid_file(self) -> &'static str {
        match self {
            IdKind::Uid => "/etc/subuid",
            IdKind::Gid => "/etc/subgid",
        }
    }

    /// The setuid helper from shadow-utils: `newuidmap` / `newgidmap`.
    pub const fn helper(self) -> &'static str {
        match self {
            IdKind::Uid => "newuidmap",
            IdKind::Gid => "newgidmap",
        }
    }
}

/// One line of an ID map: `count` ids starting at `outer` in the parent
/// user namespace appear as ids starting at `inner` inside.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct IdRange {
    /// First id inside the namespace.
    pub inner: u32,
    /// First id outside (in the parent user namespace).
    pub outer: u32,
    /// Number of ids; never 0 in a valid range.
    pub count: u32,
}

impl IdRange {
    /// A range the kernel can accept: non-empty, and neither side wraps
    /// past 2^32-1 (the kernel reserves `(u32)-1` as "no id").
    pub fn is_valid(&self) -> bool {
        self.count > 0
            && u64::from(self.inner) + u64::from(self.count) <= u64::from(u32::MAX)
            && u64::from(self.outer) + u64::from(self.count) <= u64::from(u32::MAX)
    }
}

/// Plain decimal digits that fit in a u32.
pub fn parse_decimal_u32(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// One line of `/etc/subuid` or `/etc/subgid`: `owner:start:count`, where
/// owner is a user name or a uid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SubIdLine<'a> {
    /// The user name or number the line is for.
    pub owner: &'a str,
    /// First subordinate id.
    pub start: u32,
    /// Number of subordinate ids.
    pub count: u32,
}

/// Why a subid line could not be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubIdError {
    /// The line belongs to the user but its start or count is not a number
    /// (util-linux: `failed to parse subid map`).
    BadNumber,
}

/// Splits one line; `None` when it has fewer than three fields (such lines
/// are skipped, as shadow-utils and util-linux do).
pub fn parse_subid_line(line: &str) -> Option<(&str, &str, &str)> {
    let line = line.strip_suffix('\n').unwrap_or(line);
    let (owner, rest) = line.split_once(':')?;
    let (start, count) = rest.split_once(':')?;
    Some((owner, start, count))
}

/// The first block of `content` (a subid file) owned by the user `name`
/// with uid `uid`: the owner field matches the name, or is the uid in
/// decimal. Unlike util-linux, a non-numeric owner never matches uid 0 (C's
/// `strtoul` turns any name into 0, handing root other users' blocks).
///
/// # Examples
///
/// ```
/// use nsipc::ns::idmap::{find_subid_range, SubIdError, SubIdLine};
/// let subuid = "alice:100000:65536\n1001:165536:65536\n";
/// assert_eq!(
///     find_subid_range(subuid, "alice", 1000),
///     Ok(Some(SubIdLine { owner: "alice", start: 100000, count: 65536 }))
/// );
/// // By uid when the line names the user by number.
/// assert_eq!(find_subid_range(subuid, "bob", 1001).unwrap().unwrap().start, 165536);
/// assert_eq!(find_subid_range(subuid, "root", 0), Ok(None));
/// assert_eq!(find_subid_range("carol:x:1\n", "carol", 1002), Err(SubIdError::BadNumber));
/// ```
pub fn find_subid_range<'a>(
    content: &'a str,
    name: &str,
    uid: u32,
) -> Result<Option<SubIdLine<'a>>, SubIdError> {
    for line in content.lines() {
        let Some((owner, start, count)) = parse_subid_line(line) else {
            continue;
        };
        if owner != name && parse_decimal_u32(owner) != Some(uid) {
            continue;
        }
        let start = parse_decimal_u32(start.trim()).ok_or(SubIdError::BadNumber)?;
        let count = parse_decimal_u32(count.trim()).ok_or(SubIdError::BadNumber)?;
        return Ok(Some(SubIdLine {
            owner,
            start,
            count,
        }));
    }
    Ok(None)
}

/// A subordinate-id file read into memory (`/etc/subuid`, `/etc/subgid`).
#[derive(Clone, Debug)]
pub struct SubIdFile {
    /// The whole file.
    pub content: String,
}

impl SubIdFile {
    /// Reads the file; at most 16 MiB are considered.
    pub fn read(path: impl AsRef<Path>) -> io::Result<SubIdFile> {
        use std::io::Read;
        let mut content = String::new();
        std::fs::File::open(path)?
            .take(16 << 20)
            .read_to_string(&mut content)?;
        Ok(SubIdFile { content })
    }
}

/// Parses `/proc/PID/uid_map` (`inner outer count` per line, white space
/// separated) into identity ranges `first..first+count` of the inner side:
/// every id usable in that namespace, passed through unchanged (`all`).
/// Malformed lines are skipped.
pub fn parse_kernel_map(content: &str) -> Vec<IdRange> {
    content
        .lines()
        .filter_map(|line| {
            let mut fields = line.split_ascii_whitespace();
            let start = parse_decimal_u32(fields.next()?)?;
            let _outer = fields.next()?;
            let count = parse_decimal_u32(fields.next()?)?;
            Some(IdRange {
                inner: start,
                outer: start,
                count,
            })
        })
        .collect()
}

/// The current process's map of `kind`, as identity ranges (`all`).
pub fn current_map(kind: IdKind) -> io::Result<Vec<IdRange>> {
    let content = std::fs::read_to_string(format!("/proc/self/{}", kind.map_file()))?;
    Ok(parse_kernel_map(&content))
}

/// A range before merging: `inner` is `None` for `auto`, whose inner side
/// starts at 0 and moves past the single mapping instead of losing an id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PendingRange {
    /// First id inside; `None` until chosen by [`merge_single`].
    pub inner: Option<u32>,
    /// First id outside.
    pub outer: u32,
    /// Number of ids.
    pub count: u32,
}

impl From<IdRange> for PendingRange {
    fn from(r: IdRange) -> PendingRange {
        PendingRange {
            inner: Some(r.inner),
            outer: r.outer,
            count: r.count,
        }
    }
}

/// One id `outer` (the caller's euid or egid) seen as `inner` inside: the
/// `--map-user` / `-r` / `-c` mapping.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SingleMap {
    /// The id inside.
    pub inner: u32,
    /// The id outside.
    pub outer: u32,
}

/// Combines the single mapping with the ranges, util-linux's rule: the
/// single mapping wins and comes first; a range containing its inner id or
/// its outer id gives that id up, and the rest of the range is split into at
/// most three pieces that skip it, pairing the remaining inner and outer ids
/// in order. A range losing an id on one side only loses its topmost id on
/// the other. `auto` ranges start at inner 0 and keep their full count,
/// shifting past the single inner id instead.
///
/// Unlike util-linux, overlap is tested on the half-open range
/// `start..start+count`: util-linux also counts the id just *after* a range
/// as overlapping and so drops an id it did not have to.
pub fn merge_single(ranges: &[PendingRange], single: Option<SingleMap>) -> Vec<IdRange> {
    let mut out = Vec::with_capacity(ranges.len() * 3 + 1);
    if let Some(single) = single {
        out.push(IdRange {
            inner: single.inner,
            outer: single.outer,
            count: 1,
        });
    }
    for range in ranges {
        split_range(range, single, &mut out);
    }
    out
}

/// The pieces of one range around the single mapping (see [`merge_single`]).
fn split_range(range: &PendingRange, single: Option<SingleMap>, out: &mut Vec<IdRange>) {
    let auto = range.inner.is_none();
    let inner_start = u64::from(range.inner.unwrap_or(0));
    let outer_start = u64::from(range.outer);
    let count = u64::from(range.count);
    // Index (within the range) of the id to skip on each side, if inside.
    let hole = |start: u64, id: Option<u32>, len: u64| {
        id.map(u64::from)
            .filter(|&id| id >= start && id < start + len)
            .map(|id| id - start)
    };
    let single_inner = single.map(|s| s.inner);
    let single_outer = single.map(|s| s.outer);
    let outer_hole = hole(outer_start, single_outer, count);
    // An auto range's inner side is unbounded above: it may always shift.
    let inner_hole = hole(
        inner_start,
        single_inner,
        if auto { count + 1 } else { count },
    );
    let pairs = if auto {
        count - u64::from(outer_hole.is_some())
    } else {
        count - u64::from(outer_hole.is_some() || inner_hole.is_some())
    };
    // Pair k maps inner_start + k (+1 past the inner hole) to
    // outer_start + k (+1 past the outer hole); runs break only at holes.
    let mut cuts = vec![0, pairs];
    cuts.extend(inner_hole.filter(|&h| h < pairs));
    cuts.extend(outer_hole.filter(|&h| h < pairs));
    cuts.sort_unstable();
    cuts.dedup();
    for w in cuts.windows(2) {
        let (from, to) = (w[0], w[1]);
        if from == to {
            continue;
        }
        let skip = |hole: Option<u64>| u64::from(hole.is_some_and(|h| from >= h));
        let inner = inner_start + from + skip(inner_hole);
        let outer = outer_start + from + skip(outer_hole);
        // Every value fits: inputs are u32 and at most one id is skipped
        // within the input range (auto ranges shift by one at most, which
        // is checked here rather than assumed).
        if let (Ok(inner), Ok(outer), Ok(count)) = (
            u32::try_from(inner),
            u32::try_from(outer),
            u32::try_from(to - from),
        ) {
            out.push(IdRange {
                inner,
                outer,
                count,
            });
        }
    }
}

/// The kernel accepts one write of at most one page per map file.
pub const MAP_WRITE_LIMIT: usize = 4096;

/// The map as the kernel reads it: `inner outer count` lines. `None` if it
/// exceeds [`MAP_WRITE_LIMIT`].
///
/// # Examples
///
/// ```
/// use nsipc::ns::idmap::{format_map, parse_kernel_map, IdRange};
/// let text = format_map(&[IdRange { inner: 0, outer: 100000, count: 65536 }]).unwrap();
/// assert_eq!(parse_kernel_map(&text)[0].count, 65536);
/// ```
///
/// # References
/// - [user_namespaces(7)](https://man7.org/linux/man-pages/man7/user_namespaces.7.html)
pub fn format_map(ranges: &[IdRange]) -> Option<String> {
    let mut text = String::new();
    for r in ranges {
        text.push_str(&format!("{} {} {}\n", r.inner, r.outer, r.count));
        if text.len() > MAP_WRITE_LIMIT {
            return None;
        }
    }
    Some(text)
}

/// Path of a process's map file: `/proc/PID/uid_map` (or `self`).
pub fn map_path(pid: Option<Pid>, kind: IdKind) -> String {
    match pid {
        Some(pid) => format!("/proc/{pid}/{}", kind.map_file()),
        None => format!("/proc/self/{}", kind.map_file()),
    }
}

/// Writes `text` (from [`format_map`]) to the map file of `pid` in one
/// `write(2)`, as the kernel requires. Needs CAP_SETUID/CAP_SETGID over the
/// parent user namespace, or a single mapping of the writer's own id.
pub fn write_map(pid: Option<Pid>, kind: IdKind, text: &str) -> Result<(), ProcWriteError> {
    write_proc_file(&map_path(pid, kind), text.as_bytes())
}

/// Whether a user namespace allows `setgroups(2)`; must be `deny` before
/// an unprivileged process may write its own gid map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setgroups {
    /// `allow`: the namespace may call `setgroups(2)`.
    Allow,
    /// `deny`: it may not (required before an unprivileged gid map).
    Deny,
}

impl Setgroups {
    /// `allow` / `deny`, as `/proc/PID/setgroups` and `--setgroups` say it.
    pub fn parse(s: &str) -> Option<Setgroups> {
        match s {
            "allow" => Some(Setgroups::Allow),
            "deny" => Some(Setgroups::Deny),
            _ => None,
        }
    }

    /// The word written to `/proc/PID/setgroups`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Setgroups::Allow => "allow",
            Setgroups::Deny => "deny",
        }
    }
}

/// Writes `/proc/PID/setgroups` (or `self`). Kernels before 3.19 have no
/// such file: `Ok(false)` then, as there is nothing to control.
pub fn write_setgroups(pid: Option<Pid>, value: Setgroups) -> Result<bool, ProcWriteError> {
    let path = match pid {
        Some(pid) => format!("/proc/{pid}/setgroups"),
        None => "/proc/self/setgroups".to_string(),
    };
    match write_proc_file(&path, value.as_str().as_bytes()) {
        Ok(()) => Ok(true),
        Err(ProcWriteError::Open(e)) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// The argument list of `newuidmap PID inner outer count...` (the helper's
/// name first).
fn newidmap_argv(kind: IdKind, pid: Pid, ranges: &[IdRange]) -> Vec<String> {
    let mut argv = vec![kind.helper().to_string(), pid.to_string()];
    for r in ranges {
        argv.extend([
            r.inner.to_string(),
            r.outer.to_string(),
            r.count.to_string(),
        ]);
    }
    argv
}

/// Writing a /proc control file failed: opening it (no such process, no
/// permission) or the write itself (the kernel refused the content).
#[derive(Debug, thiserror::Error)]
pub enum ProcWriteError {
    #[error("cannot open: {0}")]
    /// Opening the file failed.
    Open(#[source] io::Error),
    #[error("write failed: {0}")]
    /// The kernel refused the write.
    Write(#[source] io::Error),
}

impl ProcWriteError {
    /// The underlying error, errno kept.
    pub fn io(&self) -> &io::Error {
        match self {
            ProcWriteError::Open(e) | ProcWriteError::Write(e) => e,
        }
    }
}

/// Why [`apply_map`] failed.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// The map text is longer than the kernel accepts (4096 bytes).
    #[error("{path}: map longer than the kernel's limit of 4096 bytes")]
    TooLarge {
        /// The map file.
        path: String,
    },
    #[error("{path}: {source}")]
    /// Writing the map file failed.
    Write {
        /// The map file.
        path: String,
        #[source]
        /// What failed.
        source: ProcWriteError,
    },
    #[error("failed to execute {helper}: {source}")]
    /// The helper could not be run.
    Spawn {
        /// `newuidmap` or `newgidmap`.
        helper: &'static str,
        #[source]
        /// What running it gave.
        source: io::Error,
    },
    #[error("{helper} failed: {status}")]
    /// The helper ran and failed (it printed why).
    Helper {
        /// `newuidmap` or `newgidmap`.
        helper: &'static str,
        /// Its exit status.
        status: std::process::ExitStatus,
    },
}

/// Sets process `pid`'s map from outside its user namespace: written
/// directly when the caller is root (as util-linux ≥ 2.40 does), otherwise
/// through the setuid `newuidmap` / `newgidmap`, which check
/// /etc/subuid and /etc/subgid. `pid` must already be in the new namespace
/// and its map still unwritten.
///
/// # Examples
///
/// ``` no_run
/// use nsipc::ns::idmap::{apply_map, IdKind, IdRange};
/// // Map root of process 1234's new user namespace to uid 100000.
/// let range = IdRange { inner: 0, outer: 100000, count: 1 };
/// apply_map(IdKind::Uid, 1234, &[range]).map_err(|e| e.to_string())?;
/// # Ok::<(), String>(())
/// ```
///
/// # References
/// - [user_namespaces(7)](https://man7.org/linux/man-pages/man7/user_namespaces.7.html)
/// - [newuidmap(1)](https://man7.org/linux/man-pages/man1/newuidmap.1.html)
/// - [newgidmap(1)](https://man7.org/linux/man-pages/man1/newgidmap.1.html)
pub fn apply_map(kind: IdKind, pid: Pid, ranges: &[IdRange]) -> Result<(), ApplyError> {
    let path = map_path(Some(pid), kind);
    if rustix::process::geteuid().is_root() {
        let text = format_map(ranges).ok_or_else(|| ApplyError::TooLarge { path: path.clone() })?;
        return write_map(Some(pid), kind, &text)
            .map_err(|source| ApplyError::Write { path, source });
    }
    let argv = newidmap_argv(kind, pid, ranges);
    let helper = kind.helper();
    let status = std::process::Command::new(helper)
        .args(&argv[1..])
        .status()
        .map_err(|source| ApplyError::Spawn { helper, source })?;
    if !status.success() {
        return Err(ApplyError::Helper { helper, status });
    }
    Ok(())
}

/// Opens a /proc control file write-only (close-on-exec, as every file of
/// this crate) and writes `data` in a single call: the kernel parses
/// uid_map, setgroups and timens_offsets per write.
pub(crate) fn write_proc_file(path: &str, data: &[u8]) -> Result<(), ProcWriteError> {
    use rustix::fs::{Mode, OFlags};
    let fd = rustix::fs::open(
        path,
        OFlags::WRONLY | OFlags::CLOEXEC | OFlags::NOCTTY,
        Mode::empty(),
    )
    .map_err(|e| ProcWriteError::Open(e.into()))?;
    let n = rustix::io::write(&fd, data).map_err(|e| ProcWriteError::Write(e.into()))?;
    if n != data.len() {
        return Err(ProcWriteError::Write(io::Error::from_raw_os_error(
            libc::EIO,
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(inner: u32, outer: u32, count: u32) -> IdRange {
        IdRange {
            inner,
            outer,
            count,
        }
    }

    #[test]
    fn subid_lookup() {
        let file =
            "# comment\nbad line\nroot:100000:65536\nalice:x:1\n1001:200000:10\nalice:300000:5\n";
        assert_eq!(
            find_subid_range(file, "root", 0),
            Ok(Some(SubIdLine {
                owner: "root",
                start: 100000,
                count: 65536
            }))
        );
        // First match wins, and a bad number on a matching line is an error.
        assert_eq!(
            find_subid_range(file, "alice", 1001),
            Err(SubIdError::BadNumber)
        );
        assert_eq!(
            find_subid_range(file, "bob", 1001).unwrap().unwrap().start,
            200000
        );
        // A name never matches uid 0 (util-linux's strtoul quirk).
        assert_eq!(find_subid_range("alice:5:5\n", "root", 0), Ok(None));
        assert_eq!(find_subid_range("", "root", 0), Ok(None));
    }

    #[test]
    fn kernel_map() {
        assert_eq!(
            parse_kernel_map("         0          0 4294967295\n"),
            vec![r(0, 0, u32::MAX)]
        );
        assert_eq!(
            parse_kernel_map("0 1000 1\n1 100000 65536\ngarbage\n"),
            vec![r(0, 0, 1), r(1, 1, 65536)]
        );
    }

    fn pending(inner: Option<u32>, outer: u32, count: u32) -> PendingRange {
        PendingRange {
            inner,
            outer,
            count,
        }
    }

    #[test]
    fn merging() {
        let single = |inner, outer| Some(SingleMap { inner, outer });
        // No overlap: the single mapping is simply put first.
        assert_eq!(
            merge_single(&[r(1, 100000, 10).into()], single(0, 0)),
            vec![r(0, 0, 1), r(1, 100000, 10)]
        );
        // Inner overlap: the range loses inner 0 and its top outer id.
        assert_eq!(
            merge_single(&[r(0, 100000, 10).into()], single(0, 1000)),
            vec![r(0, 1000, 1), r(1, 100000, 9)]
        );
        // Inner id in the middle: split around it.
        assert_eq!(
            merge_single(&[r(0, 100000, 10).into()], single(5, 1000)),
            vec![r(5, 1000, 1), r(0, 100000, 5), r(6, 100005, 4)]
        );
        // Both sides overlap at different places: three pieces.
        assert_eq!(
            merge_single(&[r(0, 0, 10).into()], single(3, 7)),
            vec![r(3, 7, 1), r(0, 0, 3), r(4, 3, 4), r(8, 8, 2)]
        );
        // The id just past a range does not overlap it.
        assert_eq!(
            merge_single(&[r(0, 100000, 10).into()], single(10, 1000)),
            vec![r(10, 1000, 1), r(0, 100000, 10)]
        );
        // auto: starts at 0, shifts past the single inner id, keeps its count.
        assert_eq!(
            merge_single(&[pending(None, 100000, 65536)], single(0, 0)),
            vec![r(0, 0, 1), r(1, 100000, 65536)]
        );
        assert_eq!(
            merge_single(&[pending(None, 100000, 10)], None),
            vec![r(0, 100000, 10)]
        );
        // No single mapping: ranges unchanged, in order.
        assert_eq!(
            merge_single(&[r(0, 5, 1).into(), r(1, 6, 2).into()], None),
            vec![r(0, 5, 1), r(1, 6, 2)]
        );
        // A one-id range equal to the single mapping disappears.
        assert_eq!(
            merge_single(&[r(0, 0, 1).into()], single(0, 0)),
            vec![r(0, 0, 1)]
        );
        // Extreme values do not overflow.
        let out = merge_single(&[pending(None, 1, u32::MAX - 1)], single(0, u32::MAX - 1));
        assert!(out.iter().all(|r| r.count > 0));
    }

    #[test]
    fn merged_maps_never_map_an_id_twice() {
        // Exhaustive over small values: every output is a valid injective map.
        for inner in 0..6u32 {
            for outer in 0..6u32 {
                for start_in in 0..4u32 {
                    for start_out in 0..4u32 {
                        for count in 1..5u32 {
                            for auto in [false, true] {
                                let range = pending((!auto).then_some(start_in), start_out, count);
                                let out = merge_single(&[range], Some(SingleMap { inner, outer }));
                                let mut ins = std::collections::HashSet::new();
                                let mut outs = std::collections::HashSet::new();
                                for m in &out {
                                    assert!(m.count > 0);
                                    for k in 0..m.count {
                                        assert!(ins.insert(m.inner + k), "{range:?} {out:?}");
                                        assert!(outs.insert(m.outer + k), "{range:?} {out:?}");
                                    }
                                }
                                // Only ids of the range (plus the single one) are used.
                                for m in &out[1..] {
                                    assert!(m.outer >= start_out);
                                    assert!(m.outer + m.count <= start_out + count);
                                }
                                let mapped: u32 = out[1..].iter().map(|m| m.count).sum();
                                assert!(mapped + 1 >= count, "{range:?} {out:?}");
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn map_text() {
        assert_eq!(
            format_map(&[r(0, 1000, 1), r(1, 100000, 65536)]).as_deref(),
            Some("0 1000 1\n1 100000 65536\n")
        );
        let many = vec![r(4000000000, 4000000000, 1000000); 200];
        assert_eq!(format_map(&many), None);
        assert_eq!(
            newidmap_argv(IdKind::Gid, 42, &[r(0, 1000, 1)]),
            ["newgidmap", "42", "0", "1000", "1"]
        );
    }
}
