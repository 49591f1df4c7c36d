//! The human format's fast path: lines whose visible columns hold only
//! plain cells (printable ASCII without a literal `\x`, which the table
//! notes as cells are set: [`Table::plain_width`]) and no tree art. Such a
//! cell is shown as it is and is as wide as it is long, so a line is
//! padding and copies.

use super::{Geometry, Printer, Table};

/// Whether every visible column is plain (and not the tree column), and
/// whether moreover each one's widest cell fits its width (always so but
/// on a terminal): then no line needs a look at its cells first.
pub(super) fn columns(table: &Table, geo: &[Geometry], visible: &[usize]) -> (bool, bool) {
    let all_plain = visible
        .iter()
        .all(|&c| !geo[c].tree && table.plain_width(c).is_some());
    let all_fit = all_plain
        && visible
            .iter()
            .all(|&c| table.plain_width(c).is_some_and(|w| w <= geo[c].width));
    (all_plain, all_fit)
}

impl Printer<'_> {
    /// A line of plain cells that all fit their columns, as `Self::line`
    /// prints it (and `Self::data` each cell) without the cases that cannot
    /// arise: no escaping, no truncation, no wrapping. False, with nothing
    /// written, for any other line.
    pub(super) fn plain_line(&self, out: &mut Vec<u8>, line: usize) -> bool {
        if !self.all_plain
            || !self.all_fit
                && self
                    .visible
                    .iter()
                    .any(|&c| self.table.at(line, c).len() > self.geo[c].width)
        {
            return false;
        }
        for (k, &c) in self.visible.iter().enumerate() {
            let data = self.table.at(line, c);
            let g = &self.geo[c];
            let pad = g.width - data.len();
            let is_last = self.is_last(k);
            if is_last {
                // No padding after the last cell; before it only when it
                // is right-aligned and has something to show.
                if g.right && !data.is_empty() {
                    Self::pad(out, pad);
                }
                out.extend_from_slice(data);
                break;
            }
            if g.right {
                Self::pad(out, pad);
                out.extend_from_slice(data);
            } else {
                out.extend_from_slice(data);
                Self::pad(out, pad);
            }
            self.separator(out);
        }
        true
    }
}
