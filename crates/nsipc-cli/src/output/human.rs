//! The human-readable format: column widths, fitting a terminal, alignment,
//! truncation, multi-line cells and tree art, as libsmartcols computes them
//! (`calculate.c`, `print.c` of util-linux master).
//!
//! When stdout is not a terminal nothing is ever shrunk: each column is as
//! wide as its widest cell (at least its header, at least an absolute width
//! hint). On a terminal, columns are reduced in libsmartcols' stages (the
//! most varying columns with `TRUNC`/`NOEXTREMES` first) and, if room is
//! left, widened again.

use std::borrow::Cow;

use super::encode;
use super::table::{Flags, Format, Table};

// Lines whose cells are all plain ASCII, printed without the general path.
mod plain;

/// Tree symbols: box drawing in UTF-8 locales, ASCII elsewhere.
pub(crate) struct TreeArt {
    branch: &'static str,
    vertical: &'static str,
    right: &'static str,
}

impl TreeArt {
    pub fn new(utf8: bool) -> Self {
        if utf8 {
            TreeArt {
                branch: "\u{251c}\u{2500}",
                vertical: "\u{2502} ",
                right: "\u{2514}\u{2500}",
            }
        } else {
            TreeArt {
                branch: "|-",
                vertical: "| ",
                right: "`-",
            }
        }
    }

    /// What stands left of `line`'s ancestors: `│ ` where an ancestor has
    /// later siblings, blanks where it was the last child.
    fn indent(&self, table: &Table, line: usize, out: &mut String) {
        let mut chain = Vec::new();
        let mut cur = line;
        let mut guard = 0;
        while let Some(p) = table.lines[cur].parent {
            chain.push(cur);
            cur = p;
            guard += 1;
            if guard > table.lines.len() {
                break; // parents always precede children; never loop
            }
        }
        for &l in chain.iter().rev() {
            out.push_str(if table.is_last_child(l) {
                "  "
            } else {
                self.vertical
            });
        }
    }

    /// The art before a line's data: `├─`/`└─` after its ancestors' art.
    pub fn branch(&self, table: &Table, line: usize) -> String {
        let mut s = String::new();
        if let Some(p) = table.lines[line].parent {
            self.indent(table, p, &mut s);
            s.push_str(if table.is_last_child(line) {
                self.right
            } else {
                self.branch
            });
        }
        s
    }

    /// The art in the tree column of a continuation line (a multi-line
    /// cell of another column): the lines go on under this one.
    fn continuation(&self, table: &Table, line: usize) -> String {
        let mut s = String::new();
        self.indent(table, line, &mut s);
        if !table.lines[line].children.is_empty() {
            s.push_str(self.vertical);
        }
        s
    }
}

/// A column's computed geometry.
#[derive(Clone, Debug, Default)]
struct Geometry {
    width: usize,
    width_min: usize,
    width_max: usize,
    width_treeart: usize,
    avg: f64,
    dev: f64,
    hint: f64,
    hidden: bool,
    trunc: bool,
    /// Plain wrapping (cut by width, `WRAP` without `MULTILINE`).
    wrap: bool,
    right: bool,
    tree: bool,
    noextremes: bool,
    strict: bool,
}

impl Geometry {
    fn is_trunc(&self) -> bool {
        self.trunc || self.wrap
    }
}

/// How cells are shown: encoding, multi-line chunks, tree art.
struct Shower<'t> {
    table: &'t Table,
    utf8: bool,
    art: TreeArt,
}

impl<'t> Shower<'t> {
    /// The output lines of a cell: one, or one per line of a `MULTILINE`
    /// (with `WRAP`) cell.
    fn chunks(&self, line: usize, col: usize) -> impl Iterator<Item = &'t [u8]> {
        let data = self.table.at(line, col);
        let c = &self.table.columns[col];
        let multi = c.has(Flags::MULTILINE) && c.has(Flags::WRAP);
        let mut parts = data.split(|&b| b == b'\n');
        let mut single = Some(data);
        std::iter::from_fn(move || if multi { parts.next() } else { single.take() })
    }

    /// One chunk as printed (escaped, after the tree art) and its width.
    /// Plain ASCII is borrowed, not copied.
    fn show(&self, line: usize, col: usize, chunk: &'t [u8]) -> (Cow<'t, str>, usize) {
        let c = &self.table.columns[col];
        let (text, width) = match encode::plain_ascii(chunk) {
            Some(text) => (Cow::Borrowed(text), chunk.len()),
            None => {
                let shown = encode::safe_encode(chunk, self.utf8, c.safechars);
                (Cow::Owned(shown.text), shown.width)
            }
        };
        if !c.has(Flags::TREE) || self.table.lines[line].parent.is_none() {
            return (text, width);
        }
        let prefix = self.art.branch(self.table, line);
        let w = encode::text_width(&prefix);
        (Cow::Owned(prefix + &text), width + w)
    }

    /// A cell shown as it is: plain ASCII (hence one chunk: no newline) in
    /// a column without tree art. Most cells are; this skips the general
    /// path's iterators and copies.
    fn plain(&self, line: usize, col: usize) -> Option<&'t str> {
        if self.table.columns[col].has(Flags::TREE) {
            return None;
        }
        encode::plain_ascii(self.table.at(line, col))
    }

    /// Whether a column's cells may have several chunks.
    fn multi(&self, col: usize) -> bool {
        let c = &self.table.columns[col];
        c.has(Flags::MULTILINE) && c.has(Flags::WRAP)
    }

    /// The width a cell takes: its widest chunk (by bytes, the last one on
    /// ties, as libsmartcols picks it).
    fn width(&self, line: usize, col: usize) -> usize {
        if let Some(text) = self.plain(line, col) {
            return text.len();
        }
        let mut best: Option<(usize, &'t [u8])> = None;
        for chunk in self.chunks(line, col) {
            if best.is_none_or(|(len, _)| chunk.len() >= len) {
                best = Some((chunk.len(), chunk));
            }
        }
        best.map_or(0, |(_, chunk)| self.show(line, col, chunk).1)
    }
}

/// libsmartcols' square root (Newton's method, bounded here).
fn sqrtroot(num: f64) -> f64 {
    let (mut tmp, mut sq) = (0.0, num / 2.0);
    let mut rounds = 0;
    while sq != tmp && rounds < 200 {
        tmp = sq;
        sq = (num / tmp + tmp) / 2.0;
        rounds += 1;
    }
    sq
}

fn header_width(table: &Table, c: usize, format: &Format) -> Option<usize> {
    if format.noheadings {
        return None;
    }
    // The width counts the real name even with --shell (as upstream).
    Some(encode::safe_encode(table.columns[c].name.as_bytes(), format.utf8, b"").width)
}

/// Computes every column's width for this output.
fn calculate(table: &Table, format: &Format, shower: &Shower) -> Vec<Geometry> {
    let n = table.columns.len();
    let mut geo: Vec<Geometry> = table
        .columns
        .iter()
        .map(|c| Geometry {
            hint: c.width_hint,
            hidden: c.has(Flags::HIDDEN),
            trunc: c.has(Flags::TRUNC),
            wrap: c.has(Flags::WRAP) && !c.has(Flags::MULTILINE),
            right: c.has(Flags::RIGHT),
            tree: c.has(Flags::TREE),
            noextremes: c.has(Flags::NOEXTREMES),
            strict: c.has(Flags::STRICTWIDTH),
            ..Geometry::default()
        })
        .collect();
    // Per-cell widths, kept for the statistics of a terminal.
    let lines = table.lines.len();
    let mut cell_width = if format.width.is_some() {
        vec![0usize; lines * n]
    } else {
        Vec::new()
    };
    let colsep = encode::text_width(format.separator);
    let last_visible = table.visible().last().copied();
    let mut total = 0usize;
    for c in 0..n {
        if geo[c].hidden {
            continue;
        }
        let g = &mut geo[c];
        let header = header_width(table, c, format);
        g.width_min = header.unwrap_or(0);
        if g.width_min == 0 {
            g.width_min = 1;
        }
        match table.plain_width(c).filter(|_| !g.tree) {
            // Every cell as wide as it is long, the widest known: only a
            // terminal's statistics need each one.
            Some(widest) => {
                g.width_max = widest;
                if !cell_width.is_empty() {
                    for l in 0..lines {
                        cell_width[l * n + c] = table.at(l, c).len();
                    }
                }
            }
            None => {
                for l in 0..lines {
                    let w = shower.width(l, c);
                    if !cell_width.is_empty() {
                        cell_width[l * n + c] = w;
                    }
                    g.width_max = g.width_max.max(w);
                    if g.tree {
                        let art_width = encode::text_width(&shower.art.branch(table, l));
                        g.width_treeart = g.width_treeart.max(art_width);
                    }
                }
            }
        }
        g.width = g.width_max;
        if g.width <= g.width_min && !g.strict {
            g.width = g.width_min;
        } else if g.hint >= 1.0
            && (g.width as f64) < g.hint.floor()
            && (g.width_min as f64) < g.hint.floor()
        {
            g.width = g.hint as usize;
        }
        if g.width_max == 0 && header.is_none() && g.width_min == 1 && g.width <= 1 {
            g.width = 0;
            g.width_min = 0;
        }
        total += g.width + if Some(c) == last_visible { 0 } else { colsep };
    }
    let Some(outwidth) = format.width else {
        return geo;
    };

    // Statistics: average and deviation of the cell widths.
    let mut ignore_extremes = 0;
    for c in 0..n {
        let g = &mut geo[c];
        let width_of = |l: usize| cell_width[l * n + c] as f64;
        if lines > 0 {
            let sum: f64 = (0..lines).map(width_of).sum();
            g.avg = sum / lines as f64;
        }
        if lines > 1 {
            let sqr: f64 = (0..lines)
                .map(|l| {
                    let d = width_of(l) - g.avg;
                    d * d
                })
                .sum();
            g.dev = sqrtroot(sqr / (lines - 1) as f64);
        }
        if g.noextremes {
            ignore_extremes += 1;
        }
    }

    // Columns ordered by deviation (stable), visited from the worst.
    let mut order: Vec<usize> = (0..n).collect();
    let key = |g: &Geometry| g.avg + 3.0 * g.dev;
    let mut sorted = false;
    let mut width = total;
    let mut stage = 0;
    while width > outwidth {
        if !sorted {
            order.sort_by(|&a, &b| {
                key(&geo[a])
                    .partial_cmp(&key(&geo[b]))
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
            sorted = true;
        }
        let before = width;
        let mut xrc = 0;
        for (nth, &c) in order.iter().rev().enumerate() {
            if width <= outwidth || xrc != 0 {
                break;
            }
            xrc = reduce_column(&mut geo[c], outwidth, &mut width, stage, nth);
        }
        if xrc != 0 {
            break;
        }
        if before == width {
            stage += 1;
        }
    }

    if width < outwidth {
        if ignore_extremes > 0 {
            if !sorted {
                order.sort_by(|&a, &b| {
                    key(&geo[a])
                        .partial_cmp(&key(&geo[b]))
                        .unwrap_or(std::cmp::Ordering::Equal)
                });
                sorted = true;
            }
            for &c in order.iter().rev() {
                let g = &mut geo[c];
                if !g.noextremes || g.hidden {
                    continue;
                }
                if g.width_min == 0 && g.width == 0 {
                    continue;
                }
                if g.width >= g.width_max {
                    continue;
                }
                let mut add = outwidth - width;
                if add > 0 && g.width_max > 0 && g.width + add > g.width_max {
                    add = g.width_max - g.width;
                }
                if add == 0 {
                    continue;
                }
                g.width += add;
                width += add;
                if width == outwidth {
                    break;
                }
            }
        }
        // Columns with an absolute hint grow back towards it, one cell each
        // round.
        while width < outwidth {
            let mut changed = false;
            let visit: Vec<usize> = if sorted {
                order.iter().rev().copied().collect()
            } else {
                (0..n).rev().collect()
            };
            for c in visit {
                let g = &mut geo[c];
                if g.hidden || g.hint < 1.0 || g.width >= g.hint as usize {
                    continue;
                }
                g.width += 1;
                width += 1;
                changed = true;
                if width == outwidth {
                    break;
                }
            }
            if !changed {
                break;
            }
        }
        // The last column takes what is left (it is never padded anyway).
        if width < outwidth && n > 0 && !geo[n - 1].right {
            geo[n - 1].width += outwidth - width;
            width = outwidth;
        }
    }

    if format.nowrap && width > outwidth {
        for c in (0..n).rev() {
            let g = &mut geo[c];
            if g.hidden {
                continue;
            }
            if width <= outwidth {
                break;
            }
            if width - g.width < outwidth {
                let r = width - outwidth;
                g.trunc = true;
                g.width -= r;
                width -= r;
            } else {
                g.hidden = true;
                width = width.saturating_sub(g.width + colsep);
            }
        }
    }
    geo
}

/// Shrinks the widest data to cover 68% of the cells (`reduce_to_68`).
fn reduce_to_68(g: &mut Geometry, wanted: usize) {
    if g.dev < 1.0 {
        return;
    }
    let mut new = (g.avg + g.dev) as usize;
    if new < g.width_min {
        new = g.width_min;
    } else if new > g.width_max {
        new = g.width_max;
    }
    if new >= g.width {
        return;
    }
    if g.width - new > wanted {
        g.width -= wanted;
    } else {
        g.width = new;
    }
}

/// One reduction step of one column; 1 = fits now, -1 = no more stages.
fn reduce_column(
    g: &mut Geometry,
    outwidth: usize,
    width: &mut usize,
    stage: u32,
    nth: usize,
) -> i32 {
    if stage > 6 {
        return -1;
    }
    if outwidth >= *width {
        return 1;
    }
    if g.hidden || g.width == g.width_min || g.width == 0 {
        return 0;
    }
    if g.tree && *width <= g.width_treeart {
        return 0;
    }
    let org = g.width;
    let wanted = *width - outwidth;
    let is_trunc = g.is_trunc();
    match stage {
        0 => {
            if (is_trunc || g.noextremes) && nth == 0 {
                reduce_to_68(g, wanted);
            }
        }
        1 | 2 => {
            if (stage == 2 || g.dev >= g.avg / 2.0) && g.noextremes {
                reduce_to_68(g, wanted);
            }
        }
        3 | 4 => {
            if (stage == 4 || g.dev >= g.avg / 2.0)
                && is_trunc
                && g.hint > 0.0
                && g.hint < 1.0
                && g.width >= (g.hint * outwidth as f64) as usize
            {
                reduce_to_68(g, wanted);
            }
        }
        _ => {
            if (stage == 6 || g.dev >= g.avg / 2.2) && (is_trunc || g.noextremes) {
                let mut reduce = if nth == 0 { wanted.min(3) } else { 1 };
                if g.width < reduce {
                    reduce = g.width;
                }
                if g.width - reduce > g.width_min {
                    g.width -= reduce;
                } else {
                    g.width = g.width_min;
                }
            }
        }
    }
    if g.width == 0 {
        g.hidden = true;
    }
    *width -= org - g.width;
    0
}

/// Prints the table in the human format.
pub(crate) fn render(table: &Table, format: &Format, out: &mut Vec<u8>) {
    if table.lines.is_empty() {
        return;
    }
    let shower = Shower {
        table,
        utf8: format.utf8,
        art: TreeArt::new(format.utf8),
    };
    let geo = calculate(table, format, &shower);
    let visible: Vec<usize> = (0..geo.len()).filter(|&c| !geo[c].hidden).collect();
    let (all_plain, all_fit) = plain::columns(table, &geo, &visible);
    let printer = Printer {
        table,
        format,
        geo: &geo,
        visible: &visible,
        art: &shower.art,
        shower: &shower,
        all_plain,
        all_fit,
    };
    // The whole output at once, roughly (cells wider than their column on
    // a terminal wrap onto more lines, which only costs a reallocation).
    let per_line: usize = visible
        .iter()
        .map(|&c| geo[c].width + format.separator.len())
        .sum();
    out.reserve((table.lines.len() + 1) * (per_line + 1));
    if !format.noheadings {
        let mut line = Vec::new();
        for (k, &c) in visible.iter().enumerate() {
            let name = format.column_name(&table.columns[c]);
            let shown = encode::safe_encode(name.as_bytes(), format.utf8, b"");
            printer.data(&mut line, k, &shown.text, shown.width, None);
        }
        out.extend_from_slice(&line);
        out.push(b'\n');
    }
    for (n, line) in table.print_order().into_iter().enumerate() {
        if n > 0 {
            out.push(b'\n');
        }
        printer.line(out, line);
    }
    out.push(b'\n');
}

struct Printer<'a> {
    shower: &'a Shower<'a>,
    table: &'a Table,
    format: &'a Format,
    geo: &'a [Geometry],
    visible: &'a [usize],
    art: &'a TreeArt,
    /// Every visible column is plain ([`Table::plain_width`]) and has no
    /// tree art: lines whose cells fit their columns print by
    /// [`Printer::plain_line`].
    all_plain: bool,
    /// Moreover every cell fits its column.
    all_fit: bool,
}

/// What remains of a cell after its first output line.
enum Pending<'s> {
    None,
    /// Next chunk index of a multi-line cell.
    Chunk(usize),
    /// The rest of a cell cut at the column width.
    Rest(&'s str),
}

impl Printer<'_> {
    fn is_last(&self, k: usize) -> bool {
        k + 1 == self.visible.len()
    }

    /// The column separator (one byte but for custom ones: no copy loop).
    fn separator(&self, out: &mut Vec<u8>) {
        match self.format.separator.as_bytes() {
            [b] => out.push(*b),
            sep => out.extend_from_slice(sep),
        }
    }

    fn pad(out: &mut Vec<u8>, n: usize) {
        out.resize(out.len() + n, b' ');
    }

    /// One cell of a line (`print_data`). Returns the rest of a wrapped
    /// cell.
    fn data<'s>(
        &self,
        out: &mut Vec<u8>,
        k: usize,
        text: &'s str,
        len: usize,
        line: Option<usize>,
    ) -> Option<&'s str> {
        let g = &self.geo[self.visible[k]];
        let is_last = self.is_last(k);
        let mut width = g.width;
        let (mut text, mut len) = (text, len);
        if is_last && len < width && !g.right {
            width = len;
        }
        if len > width && g.trunc {
            (text, len) = encode::truncate(text, width);
        }
        let mut rest = None;
        if len > width && g.wrap {
            let full = text;
            (text, len) = encode::truncate(full, width);
            if !text.is_empty() && text.len() < full.len() {
                rest = Some(&full[text.len()..]);
            }
        }
        if !text.is_empty() {
            if g.right {
                Self::pad(out, width.saturating_sub(len));
                len = width;
            }
            out.extend_from_slice(text.as_bytes());
        }
        if is_last {
            return rest;
        }
        Self::pad(out, width.saturating_sub(len));
        if len > width && !g.trunc {
            // The next column starts on a new line, under itself.
            out.push(b'\n');
            for kk in 0..=k {
                self.empty(out, kk, line);
            }
        } else {
            self.separator(out);
        }
        rest
    }

    /// Padding, or tree art, where a cell has nothing to show.
    fn empty(&self, out: &mut Vec<u8>, k: usize, line: Option<usize>) {
        let g = &self.geo[self.visible[k]];
        let mut len = 0;
        if let (Some(line), true) = (line, g.tree) {
            let art = self.art.continuation(self.table, line);
            len = encode::text_width(&art);
            out.extend_from_slice(art.as_bytes());
        }
        if self.is_last(k) {
            return;
        }
        Self::pad(out, g.width.saturating_sub(len));
        self.separator(out);
    }

    /// A continuation chunk of a multi-line or wrapped cell
    /// (`print_pending_data`: never right-aligned).
    fn pending<'s>(
        &self,
        out: &mut Vec<u8>,
        k: usize,
        text: &'s str,
        len: usize,
    ) -> Option<&'s str> {
        let g = &self.geo[self.visible[k]];
        let width = g.width;
        let (mut text, mut len) = (text, len);
        let mut rest = None;
        if len > width && g.wrap {
            let full = text;
            (text, len) = encode::truncate(full, width);
            if !text.is_empty() && text.len() < full.len() {
                rest = Some(&full[text.len()..]);
            }
        }
        out.extend_from_slice(text.as_bytes());
        if self.is_last(k) {
            return rest;
        }
        Self::pad(out, width.saturating_sub(len));
        self.separator(out);
        rest
    }

    fn line(&self, out: &mut Vec<u8>, line: usize) {
        if self.plain_line(out, line) {
            return;
        }
        let sh = self.shower;
        let mut texts: Vec<Cow<str>> = Vec::with_capacity(self.visible.len());
        let mut pending: Vec<Pending> = Vec::with_capacity(self.visible.len());
        for &c in self.visible {
            if let Some(text) = sh.plain(line, c) {
                texts.push(Cow::Borrowed(text));
                continue;
            }
            let first = sh.chunks(line, c).next().unwrap_or_default();
            texts.push(sh.show(line, c, first).0);
        }
        for (k, &c) in self.visible.iter().enumerate() {
            let text: &str = &texts[k];
            let width = if text.is_ascii() {
                text.len()
            } else {
                encode::text_width(text)
            };
            let rest = self.data(out, k, text, width, Some(line));
            pending.push(match rest {
                Some(r) => Pending::Rest(r),
                None if sh.multi(c) && sh.chunks(line, c).nth(1).is_some() => Pending::Chunk(1),
                None => Pending::None,
            });
        }
        let prefix_of = |c: usize| -> String {
            if self.geo[c].tree {
                self.art.branch(self.table, line)
            } else {
                String::new()
            }
        };
        while pending.iter().any(|p| !matches!(p, Pending::None)) {
            out.push(b'\n');
            for (k, &c) in self.visible.iter().enumerate() {
                let next = match pending[k] {
                    Pending::None => {
                        self.empty(out, k, Some(line));
                        Pending::None
                    }
                    Pending::Chunk(i) => {
                        let chunk = sh.chunks(line, c).nth(i).unwrap_or_default();
                        let (text, width) = sh.show(line, c, chunk);
                        self.pending(out, k, &text, width);
                        if sh.chunks(line, c).nth(i + 1).is_some() {
                            Pending::Chunk(i + 1)
                        } else {
                            Pending::None
                        }
                    }
                    Pending::Rest(rest) => {
                        let text = format!("{}{rest}", prefix_of(c));
                        let width = encode::text_width(&text);
                        match self.pending(out, k, &text, width) {
                            // Point back into the cell, past the prefix.
                            Some(r) => {
                                let consumed = text.len() - r.len();
                                let skip = consumed - prefix_of(c).len();
                                Pending::Rest(&rest[skip.min(rest.len())..])
                            }
                            None => Pending::None,
                        }
                    }
                };
                pending[k] = next;
            }
        }
    }
}
