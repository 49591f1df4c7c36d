//! Reordering a flat table's lines (`--sort` of lsns and lsipc).

use super::table::{LineId, Table};

/// A sort key: numbers compare as numbers, anything else by its bytes;
/// `None` (an empty cell) sorts first.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SortKey {
    Num(u64),
    Text(Vec<u8>),
}

impl SortKey {
    /// The key of a cell's text; `numeric` columns parse as numbers where
    /// they can.
    pub fn of(text: &[u8], numeric: bool) -> SortKey {
        let num = numeric
            .then(|| std::str::from_utf8(text).ok()?.parse().ok())
            .flatten();
        match num {
            Some(n) => SortKey::Num(n),
            None => SortKey::Text(text.to_vec()),
        }
    }
}

/// A copy of `table` (its columns and name) with `lines` in the ascending
/// order of their keys; equal keys keep their order. Lines are copied
/// flat: tree parents are not kept.
pub fn sorted(table: &Table, mut lines: Vec<(LineId, Option<SortKey>)>) -> Table {
    lines.sort_by(|a, b| a.1.cmp(&b.1));
    let mut out = Table::new();
    out.name.clone_from(&table.name);
    for column in table.columns() {
        out.add_column(column.clone());
    }
    let columns = table.columns().len();
    for (line, _) in lines {
        let new = out.new_line(None);
        for c in 0..columns {
            if table.is_set(line, c) {
                out.set(new, c, table.cell(line, c));
            }
        }
    }
    out
}

/// [`sorted`] by the cells of column `column`.
pub fn sorted_by_column(table: &Table, column: usize, numeric: bool) -> Table {
    let lines = table
        .line_ids()
        .map(|l| {
            let key = table
                .is_set(l, column)
                .then(|| SortKey::of(table.cell(l, column), numeric));
            (l, key)
        })
        .collect();
    sorted(table, lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{Column, Flags, Format, Mode};

    #[test]
    fn numbers_as_numbers_empty_first_stable() {
        let mut t = Table::with_name("x");
        t.add_column(Column::new("N", 1.0, Flags::NONE));
        t.add_column(Column::new("S", 1.0, Flags::NONE));
        for (n, s) in [
            (Some("10"), "a"),
            (Some("9"), "b"),
            (None, "c"),
            (Some("10"), "d"),
        ] {
            let l = t.new_line(None);
            if let Some(n) = n {
                t.set(l, 0, n);
            }
            t.set(l, 1, s);
        }
        let text = |t: &Table| String::from_utf8(t.render(&Format::new(Mode::Raw))).unwrap();
        let by_num = sorted_by_column(&t, 0, true);
        assert_eq!(text(&by_num), "N S\n c\n9 b\n10 a\n10 d\n");
        let by_text = sorted_by_column(&t, 0, false);
        assert_eq!(text(&by_text), "N S\n c\n10 a\n10 d\n9 b\n");
        assert_eq!(by_num.name.as_deref(), Some("x"));
    }
}
