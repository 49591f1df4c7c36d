//! Pure parsers for the `/proc` text that describes System V IPC.
//!
//! They take bytes (whole, or in chunks through [`Rows`]) and never fail as a whole: a line that does not parse is
//! skipped, so a truncated or garbled file yields the objects that are
//! intact. Each loop advances by one line per iteration, so no input can make
//! them spin (util-linux's `fscanf` loops never consume a non-matching line
//! and spin forever on one). Numbers that overflow their type make the line
//! invalid rather than wrapping.
//!
//! Field order, from the kernel's `sysvipc_*_proc_show()`:
//! - msg: `key msqid perms cbytes qnum lspid lrpid uid gid cuid cgid stime rtime ctime`
//! - shm: `key shmid perms size cpid lpid nattch uid gid cuid cgid atime dtime ctime rss swap`
//!   (`rss swap` since Linux 2.6.28; optional here)
//! - sem: `key semid perms nsems uid gid cuid cgid otime ctime`
//!
//! Later kernels may append fields; extra fields are ignored.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

use super::{IpcId, IpcPerm, Key, MsgQueue, SemSet, ShmSegment};

/// The whitespace-separated numeric fields of a line, parsed in a single
/// pass over the bytes (no UTF-8 validation: stray bytes simply fail to
/// parse as numbers). It may look at a buffer of many lines: nothing here
/// reads past the line's `\n`.
struct Fields<'a> {
    rest: &'a [u8],
}

impl Fields<'_> {
    /// Skips blanks up to the next field, never past the end of the line.
    #[inline(always)]
    fn skip_blanks(&mut self) {
        // One scan over a local slice (the fields are padded with runs of
        // spaces: this loop sees most bytes of the file).
        let mut rest = self.rest;
        // Eight spaces at a time first: the padding of `%10d` fields.
        while let Some((eight, tail)) = rest.split_first_chunk::<8>() {
            if eight != b"        " {
                break;
            }
            rest = tail;
        }
        let blanks = rest
            .iter()
            .position(|&b| b != b' ' && (b == b'\n' || !b.is_ascii_whitespace()))
            .unwrap_or(rest.len());
        self.rest = &rest[blanks..];
    }

    /// True when no field is left on this line.
    fn at_end(&mut self) -> bool {
        self.skip_blanks();
        matches!(self.rest.first(), None | Some(b'\n'))
    }

    /// The next field as `[+-]digits` in `radix`: sign and magnitude, or
    /// `None` if it is missing, has a stray byte or overflows u64.
    #[inline(always)]
    fn number(&mut self, radix: u64) -> Option<(bool, u64)> {
        self.skip_blanks();
        let rest = self.rest;
        let (negative, start) = match rest.first()? {
            b'-' => (true, 1),
            b'+' => (false, 1),
            _ => (false, 0),
        };
        // One pass over the digits; the field must then end (white space
        // or the end of the data), or it has a stray byte.
        let mut i = start;
        let mut value = 0u64;
        while let Some(&b) = rest.get(i) {
            let d = u64::from(b.wrapping_sub(b'0'));
            if d >= radix {
                break;
            }
            // 19 digits of any radix up to 10 cannot overflow a u64.
            value = if i - start < 19 {
                value * radix + d
            } else {
                value.checked_mul(radix)?.checked_add(d)?
            };
            i += 1;
        }
        if i == start || rest.get(i).is_some_and(|b| !b.is_ascii_whitespace()) {
            return None;
        }
        self.rest = &rest[i..];
        Some((negative, value))
    }

    /// The next field in decimal (as `str::parse` accepts it), into `T`.
    #[inline(always)]
    fn dec<T: Decimal>(&mut self) -> Option<T> {
        let (negative, magnitude) = self.number(10)?;
        T::from_parts(negative, magnitude)
    }

    /// The next field in octal (permissions, `%o`).
    fn oct(&mut self) -> Option<u32> {
        match self.number(8)? {
            (false, value) => u32::try_from(value).ok(),
            (true, _) => None,
        }
    }

    /// True when nothing but white space (newlines included) is left.
    fn only_blanks_left(&self) -> bool {
        self.rest.iter().all(u8::is_ascii_whitespace)
    }

    /// An optional trailing field: absent is `Some(None)`, malformed `None`.
    fn optional(&mut self) -> Option<Option<u64>> {
        if self.at_end() {
            Some(None)
        } else {
            self.dec().map(Some)
        }
    }
}

/// A decimal integer type the parsers can produce, with overflow checks.
trait Decimal: Sized {
    fn from_parts(negative: bool, magnitude: u64) -> Option<Self>;
}

macro_rules! decimal {
    ($($t:ty),*) => {$(
        impl Decimal for $t {
            fn from_parts(negative: bool, magnitude: u64) -> Option<Self> {
                if negative {
                    // -magnitude, checked: only signed types accept it.
                    let v = i128::from(magnitude).checked_neg()?;
                    <$t>::try_from(v).ok()
                } else {
                    <$t>::try_from(magnitude).ok()
                }
            }
        }
    )*};
}
decimal!(i32, u32, i64, u64);

/// `uid gid cuid cgid`, which follow the kind's own fields in every file,
/// with the `key` and `mode` read at the start of the line.
fn owners(it: &mut Fields<'_>, key: Key, mode: u32) -> Option<IpcPerm> {
    Some(IpcPerm {
        key,
        mode,
        uid: it.dec()?,
        gid: it.dec()?,
        cuid: it.dec()?,
        cgid: it.dec()?,
    })
}

fn msg_fields(it: &mut Fields<'_>) -> Option<MsgQueue> {
    let (key, id, mode) = (Key(it.dec()?), IpcId(it.dec()?), it.oct()?);
    let (cbytes, qnum, lspid, lrpid) = (it.dec()?, it.dec()?, it.dec()?, it.dec()?);
    Some(MsgQueue {
        id,
        perm: owners(it, key, mode)?,
        cbytes,
        qnum,
        lspid,
        lrpid,
        stime: it.dec()?,
        rtime: it.dec()?,
        ctime: it.dec()?,
        qbytes: None,
    })
}

fn shm_fields(it: &mut Fields<'_>) -> Option<ShmSegment> {
    let (key, id, mode) = (Key(it.dec()?), IpcId(it.dec()?), it.oct()?);
    let (size, cpid, lpid, nattch) = (it.dec()?, it.dec()?, it.dec()?, it.dec()?);
    Some(ShmSegment {
        id,
        perm: owners(it, key, mode)?,
        size,
        cpid,
        lpid,
        nattch,
        atime: it.dec()?,
        dtime: it.dec()?,
        ctime: it.dec()?,
        // Optional, like util-linux (which accepts 14 or 16 fields); a
        // present but malformed value still rejects the line.
        rss: it.optional()?,
        swap: it.optional()?,
    })
}

fn sem_fields(it: &mut Fields<'_>) -> Option<SemSet> {
    let (key, id, mode) = (Key(it.dec()?), IpcId(it.dec()?), it.oct()?);
    let nsems = it.dec()?;
    Some(SemSet {
        id,
        perm: owners(it, key, mode)?,
        nsems,
        otime: it.dec()?,
        ctime: it.dec()?,
    })
}

/// One line of `/proc/sysvipc/msg`; `None` for the header or a malformed
/// line. `qbytes` is `None` (the file lacks it).
pub fn msg_line(line: &[u8]) -> Option<MsgQueue> {
    msg_fields(&mut Fields { rest: line })
}

/// One line of `/proc/sysvipc/shm`.
pub fn shm_line(line: &[u8]) -> Option<ShmSegment> {
    shm_fields(&mut Fields { rest: line })
}

/// One line of `/proc/sysvipc/sem`.
pub fn sem_line(line: &[u8]) -> Option<SemSet> {
    sem_fields(&mut Fields { rest: line })
}

/// A hasher for the de-duplication set. Ids are chosen by the kernel, not
/// by whoever creates objects, so there is no flooding to defend against,
/// and SipHash showed up in profiles of 60,000-object listings.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }

    fn write_i32(&mut self, id: i32) {
        // Fibonacci hashing: spreads consecutive ids over the table.
        self.0 = u64::from(id as u32).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

type IdSet = HashSet<i32, BuildHasherDefault<IdHasher>>;

/// Lines longer than this are dropped whole: real rows are under 200
/// bytes, and a bound keeps garbage input from growing memory.
pub const MAX_LINE: usize = 4096;

/// Turns a `/proc/sysvipc` file, fed in chunks of any size, into objects:
/// lines are reassembled across chunks, malformed ones skipped, and each
/// id kept once (some kernels, around 5.3, util-linux issue #1110, printed
/// an object twice). Used whole by [`msg`], [`shm`], [`sem`] and chunk by
/// chunk by the listing, which thus never holds the file in memory.
pub struct Rows<T> {
    parse: fn(&mut Fields<'_>) -> Option<T>,
    id: fn(&T) -> i32,
    partial: Vec<u8>,
    overlong: bool,
    seen: Seen,
    /// Set by [`Rows::only_id`]: pass on only objects with this id, and
    /// remember nothing.
    only: Option<i32>,
}

/// The ids seen so far. The kernel lists objects by table index and ids
/// mostly grow with it, so a run of increasing ids is kept in a sorted
/// vector (one comparison per object); only ids out of that order go to a
/// hash set.
#[derive(Default)]
struct Seen {
    ascending: Vec<i32>,
    others: IdSet,
}

impl Seen {
    /// True the first time `id` is offered.
    fn first_time(&mut self, id: i32) -> bool {
        match self.ascending.last() {
            Some(&last) if id <= last => {
                self.ascending.binary_search(&id).is_err() && self.others.insert(id)
            }
            // Above every id in `ascending`; and `others` only ever gets ids
            // below the last of `ascending` at the time, so not there either.
            _ => {
                self.ascending.push(id);
                true
            }
        }
    }
}

impl<T> Rows<T> {
    fn new(parse: fn(&mut Fields<'_>) -> Option<T>, id: fn(&T) -> i32) -> Self {
        Rows {
            parse,
            id,
            partial: Vec::new(),
            overlong: false,
            seen: Seen::default(),
            only: None,
        }
    }

    /// Passes on only the objects with `id` (the caller keeps the first):
    /// memory stays flat however long the file is, as no set of seen ids
    /// is kept.
    pub fn only_id(mut self, id: i32) -> Self {
        self.only = Some(id);
        self
    }

    /// Passes on only objects whose id is not in `ids` (as if they had been
    /// seen already).
    pub fn skipping(mut self, ids: &[i32]) -> Self {
        for &id in ids {
            self.seen.first_time(id);
        }
        self
    }

    /// The id of an object this parser made.
    pub fn id_of(&self, item: &T) -> i32 {
        (self.id)(item)
    }

    /// Parses every line completed by `chunk`, passing new objects to `each`.
    ///
    /// Complete lines are parsed where they lie in the chunk, by one pass
    /// that reads the fields and stops at the newline; only a line split
    /// across chunks is copied (into `partial`, at most [`MAX_LINE`] bytes).
    pub fn feed(&mut self, chunk: &[u8], mut each: impl FnMut(T)) {
        let mut rest = chunk;
        // The end of a line begun in an earlier chunk.
        if self.overlong || !self.partial.is_empty() {
            let Some(end) = rest.iter().position(|&b| b == b'\n') else {
                self.stash(rest);
                return;
            };
            if !self.overlong && self.partial.len() + end <= MAX_LINE {
                let mut line = std::mem::take(&mut self.partial);
                line.extend_from_slice(&rest[..end]);
                self.parse_lines(&line, &mut each);
                self.partial = line;
            }
            self.partial.clear();
            self.overlong = false;
            rest = &rest[end + 1..];
        }
        // Every complete line, then the start of the next one.
        let complete = rest
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |last| last + 1);
        let (lines, tail) = rest.split_at(complete);
        self.parse_lines(lines, &mut each);
        self.stash(tail);
    }

    /// Parses a last line that had no newline.
    pub fn finish(&mut self, mut each: impl FnMut(T)) {
        let last = std::mem::take(&mut self.partial);
        if !self.overlong {
            self.parse_lines(&last, &mut each);
        }
        self.overlong = false;
    }

    /// Keeps the start of an unfinished line, or drops it if too long.
    fn stash(&mut self, piece: &[u8]) {
        if self.overlong {
            return;
        }
        if self.partial.len() + piece.len() > MAX_LINE {
            self.partial.clear();
            self.overlong = true;
        } else {
            self.partial.extend_from_slice(piece);
        }
    }

    /// Parses whole lines (the last may lack its newline). Each step moves
    /// past one newline, so this ends on any input.
    fn parse_lines(&mut self, mut lines: &[u8], each: &mut impl FnMut(T)) {
        while !lines.is_empty() {
            let mut fields = Fields { rest: lines };
            let item = (self.parse)(&mut fields);
            let left = fields.rest;
            lines = match left.iter().position(|&b| b == b'\n') {
                Some(end) => &left[end + 1..],
                None => &[],
            };
            if let Some(item) = item {
                let id = (self.id)(&item);
                let wanted = match self.only {
                    Some(only) => only == id,
                    None => self.seen.first_time(id),
                };
                if wanted {
                    each(item);
                }
            }
        }
    }

    /// Parses a whole text at once.
    fn all(mut self, text: &[u8]) -> Vec<T> {
        let mut out = Vec::new();
        self.feed(text, |item| out.push(item));
        self.finish(|item| out.push(item));
        out
    }
}

/// A [`Rows`] for `/proc/sysvipc/msg`.
pub fn msg_rows() -> Rows<MsgQueue> {
    Rows::new(msg_fields, |q| q.id.0)
}

/// A [`Rows`] for `/proc/sysvipc/shm`.
pub fn shm_rows() -> Rows<ShmSegment> {
    Rows::new(shm_fields, |s| s.id.0)
}

/// A [`Rows`] for `/proc/sysvipc/sem`.
pub fn sem_rows() -> Rows<SemSet> {
    Rows::new(sem_fields, |s| s.id.0)
}

/// Parses all of `/proc/sysvipc/msg`.
pub fn msg(text: &[u8]) -> Vec<MsgQueue> {
    msg_rows().all(text)
}

/// Parses all of `/proc/sysvipc/shm`.
pub fn shm(text: &[u8]) -> Vec<ShmSegment> {
    shm_rows().all(text)
}

/// Parses all of `/proc/sysvipc/sem`.
pub fn sem(text: &[u8]) -> Vec<SemSet> {
    sem_rows().all(text)
}

/// Parses a one-number sysctl file such as `/proc/sys/kernel/msgmni`.
pub fn sysctl_number(text: &[u8]) -> Option<u64> {
    let mut fields = Fields { rest: text };
    let value = fields.dec()?;
    fields.only_blanks_left().then_some(value)
}

/// Parses `/proc/sys/kernel/sem`: `semmsl semmns semopm semmni`.
pub fn sysctl_sem(text: &[u8]) -> Option<[u64; 4]> {
    let mut fields = Fields { rest: text };
    let mut out = [0u64; 4];
    for slot in &mut out {
        *slot = fields.dec()?;
    }
    fields.only_blanks_left().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MSG: &str = "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime\n\
         -926940309          0   644         200          2  7119  7120     0     0     0     0 1796039442          0 1796039443\n\
                  0          1   600           0          0     0     0  1002   100  1002   100          0          0 1796039443\n";

    #[test]
    fn msg_parses_rows_and_skips_header() {
        let q = msg(MSG.as_bytes());
        assert_eq!(q.len(), 2);
        assert_eq!(q[0].perm.key.as_raw(), -926940309);
        assert_eq!(q[0].id.as_raw(), 0);
        assert_eq!(q[0].perm.mode, 0o644);
        assert_eq!(
            (q[0].cbytes, q[0].qnum, q[0].lspid, q[0].lrpid),
            (200, 2, 7119, 7120)
        );
        assert_eq!(
            (q[0].stime, q[0].rtime, q[0].ctime),
            (1796039442, 0, 1796039443)
        );
        assert_eq!(q[0].qbytes, None);
        assert_eq!(
            (q[1].perm.uid, q[1].perm.gid, q[1].perm.cuid, q[1].perm.cgid),
            (1002, 100, 1002, 100)
        );
    }

    #[test]
    fn empty_and_header_only() {
        assert!(msg(b"").is_empty());
        assert!(shm(b"").is_empty());
        assert!(sem(b"").is_empty());
        assert!(msg(b"       key      msqid perms").is_empty());
        assert!(sem(b"\n\n\n").is_empty());
    }

    #[test]
    fn truncated_last_line_is_dropped() {
        let cut = &MSG.as_bytes()[..MSG.len() - 30];
        let q = msg(cut);
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].id.as_raw(), 0);
    }

    #[test]
    fn malformed_lines_are_skipped_not_looped_on() {
        let text = "key semid\n1 2 abc 3 0 0 0 0 0 0\n\u{0}\u{ff}junk\n5 7 600 3 0 0 0 0 0 0\n";
        let s = sem(text.as_bytes());
        assert_eq!(s.len(), 1);
        assert_eq!(
            (s[0].perm.key.as_raw(), s[0].id.as_raw(), s[0].nsems),
            (5, 7, 3)
        );
        assert!(sem(&[0xff, 0xfe, b'\n', b'1']).is_empty());
    }

    #[test]
    fn huge_values_reject_the_line() {
        // key beyond i32, perms beyond u32, nsems beyond u64.
        let text = "99999999999 1 600 1 0 0 0 0 0 0\n\
                    1 1 77777777777777 1 0 0 0 0 0 0\n\
                    1 2 600 99999999999999999999999 0 0 0 0 0 0\n\
                    1 3 600 18446744073709551615 0 0 0 0 0 0\n";
        let s = sem(text.as_bytes());
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].nsems, u64::MAX);
    }

    #[test]
    fn number_edges() {
        // The full key_t range, signs as str::parse takes them.
        let ok = "-2147483648 1 600 1 0 0 0 0 0 0\n+7 2 600 1 0 0 0 0 0 0\n";
        let keys: Vec<i32> = sem(ok.as_bytes())
            .iter()
            .map(|s| s.perm.key.as_raw())
            .collect();
        assert_eq!(keys, vec![i32::MIN, 7]);
        for bad in [
            "-2147483649 1 600 1 0 0 0 0 0 0",          // key below i32
            "1 - 600 1 0 0 0 0 0 0",                    // a sign alone
            "1 1 600 1 -5 0 0 0 0 0",                   // negative uid
            "1 1 600 1 0 0 0 0 0 99999999999999999999", // time beyond i64
            "1 1 689 1 0 0 0 0 0 0",                    // not octal
            "1 1 600 1 0 0 0 0 0",                      // a field short
            "1 1 600 1 0 0 0 0 0 ０",                   // non-ASCII digit
        ] {
            assert!(sem(bad.as_bytes()).is_empty(), "{bad}");
        }
        // Tabs and CRLF are whitespace; later fields are ignored.
        let odd = "1\t1\t600\t1 0 0 0 0 0 0 extra\r\n";
        assert_eq!(sem(odd.as_bytes()).len(), 1);
    }

    #[test]
    fn chunked_feeding_equals_whole_parsing() {
        let whole = msg(MSG.as_bytes());
        for size in [1, 2, 7, 64, 1000] {
            let mut rows = msg_rows();
            let mut got = Vec::new();
            for chunk in MSG.as_bytes().chunks(size) {
                rows.feed(chunk, |q| got.push(q));
            }
            rows.finish(|q| got.push(q));
            assert_eq!(got, whole, "chunk size {size}");
        }
    }

    #[test]
    fn overlong_lines_are_dropped_whole() {
        let mut text = vec![b'1'; MAX_LINE + 10];
        text.extend_from_slice(b" 1 600 1 0 0 0 0 0 0\n5 7 600 3 0 0 0 0 0 0");
        let mut rows = sem_rows();
        let mut got = Vec::new();
        for chunk in text.chunks(100) {
            rows.feed(chunk, |s| got.push(s));
        }
        rows.finish(|s| got.push(s));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].id.as_raw(), 7);
        // Whole, the same.
        assert_eq!(sem(&text).len(), 1);
    }

    #[test]
    fn skipping_drops_the_ids_given() {
        let text = b"1 5 600 1 0 0 0 0 0 0\n1 6 600 1 0 0 0 0 0 0\n1 9 600 1 0 0 0 0 0 0\n1 2 600 1 0 0 0 0 0 0\n";
        let ids: Vec<i32> = sem_rows()
            .skipping(&[6, 2, 40])
            .all(text)
            .iter()
            .map(|s| s.id.as_raw())
            .collect();
        assert_eq!(ids, vec![5, 9]);
    }

    #[test]
    fn seen_in_and_out_of_order() {
        let mut seen = Seen::default();
        let offered = [5, 7, 7, 3, 5, 9, 3, 8, 9, 1, 8];
        let fresh: Vec<bool> = offered.iter().map(|&id| seen.first_time(id)).collect();
        assert_eq!(
            fresh,
            [true, true, false, true, false, true, false, true, false, true, false]
        );
    }

    #[test]
    fn duplicate_ids_are_kept_once() {
        let text = "0 4 600 1 0 0 0 0 0 0\n0 4 600 1 0 0 0 0 0 0\n0 5 600 2 0 0 0 0 0 0\n";
        let ids: Vec<i32> = sem(text.as_bytes()).iter().map(|s| s.id.0).collect();
        assert_eq!(ids, vec![4, 5]);
    }

    #[test]
    fn shm_with_and_without_rss_swap() {
        let full = "0 3 1600 8192 10 11 1 0 0 0 0 5 6 7 8192 0\n";
        let s = shm(full.as_bytes());
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].perm.mode, 0o1600);
        assert_eq!((s[0].rss, s[0].swap), (Some(8192), Some(0)));
        let old = "0 3 600 8192 10 11 1 0 0 0 0 5 6 7\n";
        assert_eq!(shm(old.as_bytes())[0].rss, None);
        let short = "0 3 600 8192 10 11 1 0 0 0 0 5 6\n";
        assert!(shm(short.as_bytes()).is_empty());
        let bad_rss = "0 3 600 8192 10 11 1 0 0 0 0 5 6 7 x 0\n";
        assert!(shm(bad_rss.as_bytes()).is_empty());
    }

    #[test]
    fn sysctl_files() {
        assert_eq!(sysctl_number(b"32000\n"), Some(32000));
        assert_eq!(
            sysctl_number(b"18446744073692774399\n"),
            Some(18446744073692774399)
        );
        assert_eq!(sysctl_number(b""), None);
        assert_eq!(sysctl_number(b"1 2"), None);
        assert_eq!(sysctl_number(b"1\n2\n"), None);
        assert_eq!(sysctl_number(b"-1"), None);
        assert_eq!(
            sysctl_sem(b"32000\t1024000000\t500\t32000\n"),
            Some([32000, 1024000000, 500, 32000])
        );
        assert_eq!(sysctl_sem(b"1 2 3"), None);
        assert_eq!(sysctl_sem(b"1 2 3 4 5"), None);
    }
}
