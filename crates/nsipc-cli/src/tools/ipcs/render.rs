//! The renderer: the output buffer, its flushing, and the cells every row is
//! made of.

use super::printf::{int, put_left, Pad, FLUSH_AT};
use super::{Format, Kind, Unit};
use crate::names::Names;
use crate::output::format::{ctime, human_size};
use nsipc::ipc::sysv::{self, IpcPerm};
use std::collections::HashMap;
use std::io::Write;

pub(super) struct Render<'a> {
    pub(super) out: Vec<u8>,
    /// Where full chunks go; `None` keeps everything in `out`.
    pub(super) sink: Option<&'a mut dyn Write>,
    pub(super) names: Names,
    /// `ctime` text per timestamp: objects made together share times.
    pub(super) times: HashMap<i64, Option<String>>,
    /// The last `%-10.10s` owner column printed, by uid.
    pub(super) owner_column: Option<(u32, Vec<u8>)>,
    pub(super) unit: Unit,
}

impl<'a> Render<'a> {
    pub(super) fn new(sink: Option<&'a mut dyn Write>, unit: Unit) -> Self {
        Render {
            out: Vec::with_capacity(2 * FLUSH_AT),
            sink,
            names: Names::default(),
            times: HashMap::new(),
            owner_column: None,
            unit,
        }
    }

    /// One listing section followed by its blank line.
    pub(super) fn section(&mut self, kind: Kind, format: Format) {
        match kind {
            Kind::Msg => self.msg_section(format),
            Kind::Shm => self.shm_section(format),
            Kind::Sem => self.sem_section(format),
        }
        self.out.push(b'\n');
    }
    /// Hands the buffered text to the sink. Write errors are the sink's
    /// business ([`Stdout`] remembers them and reports at the end).
    pub(super) fn flush(&mut self) {
        if let Some(sink) = self.sink.as_mut() {
            let _ = sink.write_all(&self.out);
            self.out.clear();
        }
    }

    /// Appends already rendered text without copying it through `out`.
    pub(super) fn write_through(&mut self, text: &[u8]) {
        self.flush();
        match self.sink.as_mut() {
            Some(sink) => {
                let _ = sink.write_all(text);
            }
            None => self.out.extend_from_slice(text),
        }
    }

    /// Called after each row.
    pub(super) fn row_done(&mut self) {
        if self.out.len() >= FLUSH_AT {
            self.flush();
        }
    }

    pub(super) fn ctime(&mut self, t: i64) -> Option<&str> {
        self.times.entry(t).or_insert_with(|| ctime(t)).as_deref()
    }

    pub(super) fn text(&mut self, s: &str) {
        self.out.extend_from_slice(s.as_bytes());
    }

    /// `0x%08x ` of the key as the unsigned 32-bit value of `key_t`.
    pub(super) fn key(&mut self, key: sysv::Key) {
        self.text("0x");
        int(&mut self.out, key.as_raw() as u32, 16, 8, Pad::Zero);
        self.out.push(b' ');
    }

    /// ` %-10o `: the permission bits.
    pub(super) fn perms(&mut self, perms: u32) {
        self.out.push(b' ');
        int(&mut self.out, perms & 0o777, 8, 10, Pad::Left);
        self.out.push(b' ');
    }

    /// `%-10d %-10.10s` (or `%-8d`): id and owner name cut to 10 bytes, or
    /// the uid when it has no name.
    pub(super) fn id_owner(&mut self, id: i32, id_width: usize, uid: u32) {
        int(&mut self.out, id, 10, id_width, Pad::Left);
        self.out.push(b' ');
        // Rows mostly share owners: keep the last owner column as printed.
        if let Some((last, column)) = &self.owner_column {
            if *last == uid {
                self.out.extend_from_slice(column);
                return;
            }
        }
        let mut column = Vec::with_capacity(10);
        match self.names.user(uid) {
            Some(name) => put_left(&mut column, name, 10, 10),
            None => int(&mut column, uid, 10, 10, Pad::Left),
        }
        self.out.extend_from_slice(&column);
        self.owner_column = Some((uid, column));
    }

    /// `key`, `id_owner` and `perms`: how every default row begins.
    pub(super) fn head(&mut self, id: i32, p: &IpcPerm) {
        self.key(p.key);
        self.id_owner(id, 10, p.uid);
        self.perms(p.mode);
    }

    /// `-c` rows: id, perms, then creator and owner names in full.
    pub(super) fn creator_row(&mut self, id: i32, p: &IpcPerm) {
        int(&mut self.out, id, 10, 10, Pad::Left);
        self.out.push(b' ');
        int(&mut self.out, p.mode & 0o777, 8, 10, Pad::Left);
        for (n, is_user) in [
            (p.cuid, true),
            (p.cgid, false),
            (p.uid, true),
            (p.gid, false),
        ] {
            self.out.push(b' ');
            let name = if is_user {
                self.names.user(n)
            } else {
                self.names.group(n)
            };
            match name {
                Some(name) => put_left(&mut self.out, name, 10, usize::MAX),
                None => int(&mut self.out, n, 10, 10, Pad::Left),
            }
        }
        self.out.push(b'\n');
    }

    /// ` %-20.16s` of `ctime()+4` (`Nov 29 11:50:42 `), or `Not set`.
    pub(super) fn short_time(&mut self, t: i64) {
        self.out.push(b' ');
        let text = if t == 0 {
            "Not set".to_string()
        } else {
            let full = self.ctime(t).unwrap_or_default();
            full.get(4..).unwrap_or_default().to_string()
        };
        put_left(&mut self.out, text.as_bytes(), 20, 16);
    }

    /// `%-26.24s` of the full `ctime()`, or `Not set` when `unset_ok`.
    pub(super) fn long_time(&mut self, t: i64, unset_ok: bool) {
        let text = if t == 0 && unset_ok {
            "Not set".to_string()
        } else {
            self.ctime(t).unwrap_or("(null)").to_string()
        };
        put_left(&mut self.out, text.as_bytes(), 26, 24);
    }

    /// util-linux's `ipc_print_size`: an optional label (`name = `,
    /// `name (bytes) = `, `name (kbytes) = `, or `name=` as given), then the
    /// size in `unit`, right-aligned to `width` (left-aligned if negative).
    pub(super) fn size(
        &mut self,
        unit: Unit,
        label: Option<&str>,
        size: u64,
        end: &str,
        width: isize,
    ) {
        match label {
            None => {}
            Some(l) if l.ends_with('=') => self.text(l),
            Some(l) => {
                let _ = match unit {
                    Unit::Bytes => write!(self.out, "{l} (bytes) = "),
                    Unit::Kb => write!(self.out, "{l} (kbytes) = "),
                    _ => write!(self.out, "{l} = "),
                };
            }
        }
        let pad = if width < 0 { Pad::Left } else { Pad::Right };
        let width = width.unsigned_abs();
        match unit {
            Unit::Default | Unit::Bytes => int(&mut self.out, size, 10, width, pad),
            Unit::Kb => int(&mut self.out, size / 1024, 10, width, pad),
            Unit::Human => {
                let text = human_size(size);
                if pad == Pad::Right {
                    self.out
                        .resize(self.out.len() + width.saturating_sub(text.len()), b' ');
                }
                put_left(&mut self.out, text.as_bytes(), 0, usize::MAX);
                if pad == Pad::Left {
                    self.out
                        .resize(self.out.len() + width.saturating_sub(text.len()), b' ');
                }
            }
        }
        self.text(end);
    }
}

/// The object with `id`, from one of the `sysv::*::find` functions, which
/// read the listing without keeping the other objects. Negative ids are
/// never found (util-linux would show the first object under the negative
/// id).
pub(super) fn find<T>(found: nsipc::ipc::Result<Option<T>>) -> Option<T> {
    found.ok().flatten()
}

/// `pages * unit`, or when that overflows u64 the largest multiple of
/// `unit` (util-linux's clamp for the default shmall).
pub(super) fn total_or_clamp(pages: u64, unit: u64) -> u64 {
    match pages.checked_mul(unit) {
        Some(total) => total,
        None => u64::MAX - u64::MAX % unit.max(1),
    }
}
