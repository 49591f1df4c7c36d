//! The table model: columns, lines (rows, optionally in a tree), and the
//! output format they are printed in.

use std::io::{self, Write};
use std::ops::{BitOr, Range};

use super::encode;
use super::{human, json::JsonWriter, term};

/// Column flags, libsmartcols' `SCOLS_FL_*`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flags(u32);

impl Flags {
    pub const NONE: Flags = Flags(0);
    /// Truncate the data when the terminal is too narrow.
    pub const TRUNC: Flags = Flags(1 << 0);
    /// The column holds the tree art (`├─`, `└─`).
    pub const TREE: Flags = Flags(1 << 1);
    /// Right-aligned.
    pub const RIGHT: Flags = Flags(1 << 2);
    /// Shrink this column first: its width varies a lot (`NOEXTREMES`).
    pub const NOEXTREMES: Flags = Flags(1 << 3);
    /// Never print this column.
    pub const HIDDEN: Flags = Flags(1 << 4);
    /// Wrap long data over several lines instead of truncating.
    pub const WRAP: Flags = Flags(1 << 5);
    /// Cells hold several lines separated by `\n`: printed one per output
    /// line (libsmartcols' `scols_wrapnl_*` wrap functions), as a JSON array
    /// for the array JSON types. Combine with `WRAP`.
    pub const MULTILINE: Flags = Flags(1 << 6);
    /// The width hint is an exact width, not a minimum.
    pub const STRICTWIDTH: Flags = Flags(1 << 7);

    pub const fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0 && other.0 != 0
    }

    pub const fn without(self, other: Flags) -> Flags {
        Flags(self.0 & !other.0)
    }
}

impl BitOr for Flags {
    type Output = Flags;
    fn bitor(self, rhs: Flags) -> Flags {
        Flags(self.0 | rhs.0)
    }
}

/// How a column's cells are written in JSON (`SCOLS_JSON_*`). Empty cells
/// are `null` for every type except the booleans (`false`) and arrays
/// (`[]`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
// Every JSON type libsmartcols knows, so a new column can say what it is;
// not all of them have a user among today's columns (the unit tests cover
// each).
#[allow(dead_code)]
pub enum JsonType {
    #[default]
    String,
    /// Written unquoted (`123`).
    Number,
    Float,
    /// Empty, `0`, `N`/`n…` → `false`, anything else `true`.
    Boolean,
    /// As `Boolean`, but empty or `-` → `null`.
    BooleanOptional,
    /// `[ "a", "b" ]`: one item per line of a `MULTILINE` cell.
    ArrayString,
    ArrayNumber,
}

impl JsonType {
    /// The type name `--list-columns` shows.
    pub fn type_name(self) -> &'static str {
        match self {
            JsonType::Number => "<integer>",
            JsonType::Float => "<float>",
            JsonType::Boolean => "<boolean>",
            _ => "<string>",
        }
    }
}

/// One column of a table.
#[derive(Clone, Debug)]
pub struct Column {
    pub name: String,
    /// libsmartcols width hint: >= 1 is a minimal width in cells, < 1 a
    /// fraction of the terminal width (used when the table is too wide).
    pub width_hint: f64,
    pub flags: Flags,
    pub json_type: JsonType,
    /// Bytes the human format prints unescaped (`scols_column_set_safechars`).
    pub safechars: &'static [u8],
}

impl Column {
    pub fn new(name: impl Into<String>, width_hint: f64, flags: Flags) -> Self {
        Column {
            name: name.into(),
            width_hint,
            flags,
            json_type: JsonType::String,
            safechars: b"",
        }
    }

    pub fn json(mut self, json_type: JsonType) -> Self {
        self.json_type = json_type;
        self
    }

    pub fn has(&self, flag: Flags) -> bool {
        self.flags.contains(flag)
    }
}

/// A handle to a line of a [`Table`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineId(pub(crate) usize);

pub(crate) struct Line {
    pub parent: Option<usize>,
    pub children: Vec<usize>,
}

/// A table: columns and lines of byte cells. Lines may have a parent:
/// when a column has [`Flags::TREE`], they print as a tree (children after
/// their parent, in the order they were added) and nest as `"children"` in
/// JSON.
#[derive(Default)]
pub struct Table {
    /// The JSON array name (`"namespaces"`); `""` when unset, as upstream.
    pub name: Option<String>,
    pub(crate) columns: Vec<Column>,
    pub(crate) lines: Vec<Line>,
    /// All cell bytes, appended as cells are set (tables of tens of
    /// thousands of lines would otherwise make an allocation per cell).
    data: Vec<u8>,
    /// `(start, len)` into `data` of each cell, line after line; [`UNSET`]
    /// for cells never set.
    cells: Vec<(usize, usize)>,
    /// Per column, what its cells are like, kept up as they are set: the
    /// human format then needs no second look at each cell.
    plain: Vec<PlainColumn>,
}

/// Whether every cell of a column is shown as it is (printable ASCII, no
/// literal `\x`: [`encode::is_plain`]), and the longest one's length. A
/// cell set twice makes the length unknown (`all_plain` false).
#[derive(Clone, Copy, Debug)]
struct PlainColumn {
    all_plain: bool,
    widest: usize,
}

impl Default for PlainColumn {
    fn default() -> Self {
        PlainColumn {
            all_plain: true,
            widest: 0,
        }
    }
}

/// The `cells` entry of a cell that was never set.
const UNSET: (usize, usize) = (usize::MAX, 0);

/// The output formats of libsmartcols.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// Aligned columns with a header line.
    #[default]
    Human,
    /// `--raw`: single spaces between cells, unsafe bytes as `\xHH`.
    Raw,
    /// `--pairs`/`--export`: `NAME="value"`.
    Export,
    /// `--json`.
    Json,
}

/// How a table is printed.
#[derive(Clone, Debug)]
pub struct Format {
    pub mode: Mode,
    pub noheadings: bool,
    /// `--shell`: column names usable as shell variables (`USE%` → `USE_PCT`).
    pub shellvar: bool,
    /// Between cells of a line (`lsipc --newline` uses `"\n"` with Export).
    pub separator: &'static str,
    /// Terminal width; `None` when stdout is not a terminal.
    pub width: Option<usize>,
    /// `--nowrap`: never wrap lines; truncate or hide the last columns.
    pub nowrap: bool,
    /// UTF-8 locale: tree drawn with box characters, wide chars passed.
    pub utf8: bool,
}

impl Format {
    /// A format for stdout, with the terminal width and locale of this
    /// process.
    pub fn new(mode: Mode) -> Self {
        Format {
            mode,
            noheadings: false,
            shellvar: false,
            separator: " ",
            width: if mode == Mode::Human {
                term::stdout_width()
            } else {
                None
            },
            nowrap: false,
            utf8: term::locale_is_utf8(),
        }
    }

    /// A fixed format, independent of the environment (tests, sub-tables).
    pub fn fixed(mode: Mode, width: Option<usize>, utf8: bool) -> Self {
        Format {
            mode,
            noheadings: false,
            shellvar: false,
            separator: " ",
            width,
            nowrap: false,
            utf8,
        }
    }

    /// The name a column is printed under in this format.
    pub(crate) fn column_name(&self, col: &Column) -> String {
        if self.shellvar {
            encode::shell_name(&col.name)
        } else {
            col.name.clone()
        }
    }
}

impl Table {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with_name(name: impl Into<String>) -> Self {
        Table {
            name: Some(name.into()),
            ..Self::default()
        }
    }

    pub fn set_name(&mut self, name: impl Into<String>) {
        self.name = Some(name.into());
    }

    /// Adds a column; returns its index.
    pub fn add_column(&mut self, column: Column) -> usize {
        let old = self.columns.len();
        self.columns.push(column);
        self.plain.push(PlainColumn::default());
        if !self.lines.is_empty() {
            let mut cells = Vec::with_capacity(self.lines.len() * (old + 1));
            for line in 0..self.lines.len() {
                cells.extend_from_slice(&self.cells[line * old..(line + 1) * old]);
                cells.push(UNSET);
            }
            self.cells = cells;
        }
        old
    }

    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// Adds an empty line, as the last child of `parent` if given.
    pub fn new_line(&mut self, parent: Option<LineId>) -> LineId {
        let id = self.lines.len();
        let parent = parent.map(|p| p.0).filter(|&p| p < id);
        self.lines.push(Line {
            parent,
            children: Vec::new(),
        });
        self.cells
            .extend(std::iter::repeat_n(UNSET, self.columns.len()));
        if let Some(p) = parent {
            self.lines[p].children.push(id);
        }
        LineId(id)
    }

    fn slot(&self, line: LineId, column: usize) -> Option<usize> {
        (line.0 < self.lines.len() && column < self.columns.len())
            .then(|| line.0 * self.columns.len() + column)
    }

    /// Sets a cell. Out-of-range indexes are ignored.
    pub fn set(&mut self, line: LineId, column: usize, data: impl AsRef<[u8]>) {
        if let Some(slot) = self.slot(line, column) {
            let data = data.as_ref();
            let start = self.data.len();
            self.data.extend_from_slice(data);
            self.filled(slot, column, start, data.len());
        }
    }

    /// Sets cells of `line` from one buffer: each `(column, range)` of
    /// `cells` gives a column and the bytes of `bytes` it holds. A line's
    /// cells are thus copied into the table at once. Out-of-range columns
    /// and ranges are ignored.
    pub fn set_cells(&mut self, line: LineId, bytes: &[u8], cells: &[(usize, Range<usize>)]) {
        if line.0 >= self.lines.len() {
            return;
        }
        let base = self.data.len();
        self.data.extend_from_slice(bytes);
        for (column, range) in cells {
            let Some(slot) = self.slot(line, *column) else {
                continue;
            };
            if range.start <= range.end && range.end <= bytes.len() {
                self.filled(slot, *column, base + range.start, range.len());
            }
        }
    }

    /// Records cell `slot` of `column` as the `len` bytes of `data` from
    /// `start` on, and what they are like.
    fn filled(&mut self, slot: usize, column: usize, start: usize, len: usize) {
        let plain = &mut self.plain[column];
        if self.cells[slot] != UNSET || !encode::is_plain_span(&self.data, start, start + len) {
            plain.all_plain = false;
        } else if len > plain.widest {
            plain.widest = len;
        }
        self.cells[slot] = (start, len);
    }

    /// The length of the longest cell of `column` when all its cells are
    /// shown as they are ([`encode::is_plain`]); `None` when some are not.
    pub(crate) fn plain_width(&self, column: usize) -> Option<usize> {
        let plain = self.plain.get(column)?;
        plain.all_plain.then_some(plain.widest)
    }

    /// Sets a cell to the text of `value` (numbers without a temporary
    /// string).
    pub fn set_display(&mut self, line: LineId, column: usize, value: impl std::fmt::Display) {
        use std::io::Write as _;
        if let Some(slot) = self.slot(line, column) {
            let start = self.data.len();
            let _ = write!(self.data, "{value}");
            self.filled(slot, column, start, self.data.len() - start);
        }
    }

    /// A cell's data (empty when unset).
    pub fn cell(&self, line: LineId, column: usize) -> &[u8] {
        self.slot(line, column)
            .map_or(&[], |slot| self.data_at(slot))
    }

    fn data_at(&self, slot: usize) -> &[u8] {
        match self.cells[slot] {
            UNSET => &[],
            (start, len) => &self.data[start..start + len],
        }
    }

    /// Whether a cell was set (even to nothing): lsipc's detail view
    /// prints set cells only.
    pub fn is_set(&self, line: LineId, column: usize) -> bool {
        self.slot(line, column)
            .is_some_and(|slot| self.cells[slot] != UNSET)
    }

    /// The lines, in the order they were added.
    pub fn line_ids(&self) -> impl Iterator<Item = LineId> {
        (0..self.lines.len()).map(LineId)
    }

    /// Cell by line index (crate-internal renderers).
    pub(crate) fn at(&self, line: usize, column: usize) -> &[u8] {
        self.data_at(line * self.columns.len() + column)
    }

    /// Whether lines print as a tree (some column has [`Flags::TREE`]).
    pub fn is_tree(&self) -> bool {
        self.columns.iter().any(|c| c.has(Flags::TREE))
    }

    /// Line indexes in print order: insertion order, or depth-first from
    /// the roots for a tree.
    pub(crate) fn print_order(&self) -> Vec<usize> {
        if !self.is_tree() {
            return (0..self.lines.len()).collect();
        }
        let mut order = Vec::with_capacity(self.lines.len());
        let mut stack: Vec<usize> = self
            .lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.parent.is_none())
            .map(|(i, _)| i)
            .rev()
            .collect();
        while let Some(i) = stack.pop() {
            order.push(i);
            stack.extend(self.lines[i].children.iter().rev());
        }
        order
    }

    pub(crate) fn is_last_child(&self, line: usize) -> bool {
        match self.lines[line].parent {
            Some(p) => self.lines[p].children.last() == Some(&line),
            None => false,
        }
    }

    pub(crate) fn visible(&self) -> Vec<usize> {
        (0..self.columns.len())
            .filter(|&i| !self.columns[i].has(Flags::HIDDEN))
            .collect()
    }

    /// The whole output as bytes (nothing at all for an empty non-JSON
    /// table, as libsmartcols prints).
    pub fn render(&self, format: &Format) -> Vec<u8> {
        let mut out = Vec::new();
        match format.mode {
            Mode::Json => self.render_json(&mut out, format),
            Mode::Raw | Mode::Export => self.render_plain(&mut out, format),
            Mode::Human => human::render(self, format, &mut out),
        }
        out
    }

    /// Prints the table.
    pub fn print(&self, out: &mut impl Write, format: &Format) -> io::Result<()> {
        out.write_all(&self.render(format))
    }

    fn render_json(&self, out: &mut Vec<u8>, format: &Format) {
        let mut w = JsonWriter::new(out);
        w.object_open(None);
        self.write_json_array(&mut w, format);
        w.object_close();
    }

    /// Writes the table as the member `"name": [lines…]` of the JSON object
    /// `w` has open: several tables in one document (`ipcs --json`).
    pub fn write_json_array(&self, w: &mut JsonWriter, format: &Format) {
        let visible = self.visible();
        let names: Vec<String> = visible
            .iter()
            .map(|&c| format.column_name(&self.columns[c]))
            .collect();
        w.array_open(Some(self.name.as_deref().unwrap_or("").as_bytes()));
        let roots: Vec<usize> = if self.is_tree() {
            (0..self.lines.len())
                .filter(|&i| self.lines[i].parent.is_none())
                .collect()
        } else {
            (0..self.lines.len()).collect()
        };
        for line in roots {
            self.json_line(w, line, &visible, &names);
        }
        w.array_close();
    }

    fn json_line(&self, w: &mut JsonWriter, line: usize, visible: &[usize], names: &[String]) {
        w.object_open(None);
        for (&c, name) in visible.iter().zip(names) {
            let col = &self.columns[c];
            json_value(w, col, name.as_bytes(), self.at(line, c));
        }
        if self.is_tree() && !self.lines[line].children.is_empty() {
            w.array_open(Some(b"children"));
            for &child in &self.lines[line].children {
                self.json_line(w, child, visible, names);
            }
            w.array_close();
        }
        w.object_close();
    }

    /// Raw and export formats: no alignment, one line per row.
    fn render_plain(&self, out: &mut Vec<u8>, format: &Format) {
        if self.lines.is_empty() {
            return;
        }
        let visible = self.visible();
        let sep = format.separator.as_bytes();
        if format.mode == Mode::Raw && !format.noheadings {
            for (n, &c) in visible.iter().enumerate() {
                if n > 0 {
                    out.extend_from_slice(sep);
                }
                encode::raw(out, format.column_name(&self.columns[c]).as_bytes());
            }
            out.push(b'\n');
        }
        let names: Vec<String> = visible
            .iter()
            .map(|&c| format.column_name(&self.columns[c]))
            .collect();
        let art = human::TreeArt::new(format.utf8);
        for (k, line) in self.print_order().into_iter().enumerate() {
            if k > 0 {
                out.push(b'\n');
            }
            for (n, &c) in visible.iter().enumerate() {
                if n > 0 {
                    out.extend_from_slice(sep);
                }
                let mut data = Vec::new();
                if self.columns[c].has(Flags::TREE) {
                    data.extend_from_slice(art.branch(self, line).as_bytes());
                }
                data.extend_from_slice(self.at(line, c));
                if format.mode == Mode::Raw {
                    encode::raw(out, &data);
                } else {
                    out.extend_from_slice(names[n].as_bytes());
                    out.push(b'=');
                    encode::quoted(out, &data);
                }
            }
        }
        out.push(b'\n');
    }
}

/// One `"name": value` of a JSON line.
fn json_value(w: &mut JsonWriter, col: &Column, name: &[u8], data: &[u8]) {
    let name = Some(name);
    match col.json_type {
        JsonType::String => w.string(name, data),
        JsonType::Number | JsonType::Float => w.raw(name, data),
        JsonType::Boolean | JsonType::BooleanOptional => {
            if col.json_type == JsonType::BooleanOptional && (data.is_empty() || data == b"-") {
                w.null(name);
            } else {
                let falsy = matches!(data.first(), None | Some(b'0' | b'N' | b'n'));
                w.boolean(name, !falsy);
            }
        }
        JsonType::ArrayString | JsonType::ArrayNumber => {
            let items: Vec<&[u8]> = if col.has(Flags::MULTILINE) {
                data.split(|&b| b == b'\n')
                    .filter(|s| !s.is_empty())
                    .collect()
            } else if data.is_empty() {
                Vec::new()
            } else {
                vec![data]
            };
            if items.is_empty() {
                w.empty_array(name);
                return;
            }
            w.array_open(name);
            for item in items {
                if col.json_type == JsonType::ArrayNumber && col.has(Flags::MULTILINE) {
                    w.raw(None, item);
                } else {
                    w.string(None, item);
                }
            }
            w.array_close();
        }
    }
}
