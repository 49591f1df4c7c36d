//! Column selection as util-linux tools do it: `-o LIST` replaces the
//! columns, `-o +LIST` appends to them (`string_add_to_idarray`), names are
//! matched without regard to ASCII case; and the `--list-columns` table.

use super::table::{Column, Flags, JsonType, Table};

/// Why `-o` was refused. `Lookup` has already been reported by the lookup
/// function (util-linux prints `unknown column: …` there); the others are
/// silent failures in util-linux (exit 1 without a message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnListError {
    /// Empty list, or an empty name (`a,,b`, `,a`).
    Empty,
    /// The lookup function rejected a name.
    Lookup,
    /// More columns than `max`.
    TooMany,
}

/// Index of `typed` in `names`, ignoring ASCII case.
pub fn find_column(names: &[&str], typed: &str) -> Option<usize> {
    names.iter().position(|n| n.eq_ignore_ascii_case(typed))
}

/// Applies `-o LIST` to `columns`: a plain list replaces them, `+LIST`
/// appends. `lookup(name, rest)` gets each name and, for messages, the list
/// from that name to its end (util-linux prints `unknown column: b,c` for
/// `-o a,b,c`); it returns `None` after reporting the problem. The result
/// may hold at most `max` columns. A trailing comma makes the last name
/// include it (`a,` looks up `a,`), as upstream.
pub fn parse_column_list<T: Copy>(
    list: &str,
    columns: &mut Vec<T>,
    max: usize,
    mut lookup: impl FnMut(&str, &str) -> Option<T>,
) -> Result<(), ColumnListError> {
    let add = match list.strip_prefix('+') {
        Some(rest) => rest,
        None => {
            columns.clear();
            list
        }
    };
    if add.is_empty() {
        return Err(ColumnListError::Empty);
    }
    let bytes = add.as_bytes();
    let mut begin: Option<usize> = None;
    for p in 0..bytes.len() {
        if columns.len() >= max {
            return Err(ColumnListError::TooMany);
        }
        let start = *begin.get_or_insert(p);
        let mut end = None;
        if bytes[p] == b',' {
            end = Some(p);
        }
        if p + 1 == bytes.len() {
            end = Some(p + 1);
        }
        let Some(end) = end else { continue };
        if end <= start || !add.is_char_boundary(start) || !add.is_char_boundary(end) {
            return Err(ColumnListError::Empty);
        }
        let id = lookup(&add[start..end], &add[start..]).ok_or(ColumnListError::Lookup)?;
        columns.push(id);
        begin = None;
    }
    Ok(())
}

/// The table `--list-columns` prints (util-linux `xcolumn_list_table_new`):
/// HOLDER (right-aligned), TYPE, DESCRIPTION; named `name` in JSON. Print it
/// with `noheadings` set.
pub fn column_list_table<'a>(
    name: &str,
    entries: impl IntoIterator<Item = (&'a str, JsonType, &'a str)>,
) -> Table {
    let mut t = Table::with_name(name);
    let holder = t.add_column(Column::new("HOLDER", 0.0, Flags::RIGHT));
    let kind = t.add_column(Column::new("TYPE", 0.0, Flags::NONE));
    let desc = t.add_column(Column::new("DESCRIPTION", 0.0, Flags::NONE));
    for (col, json_type, help) in entries {
        let line = t.new_line(None);
        t.set(line, holder, col);
        t.set(line, kind, json_type.type_name());
        t.set(line, desc, help);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: &[&str] = &["KEY", "ID", "USE%"];

    fn run(list: &str, start: &[usize]) -> (Result<(), ColumnListError>, Vec<usize>, Vec<String>) {
        let mut cols = start.to_vec();
        let mut warnings = Vec::new();
        let r = parse_column_list(list, &mut cols, 5, |name, rest| {
            let found = find_column(NAMES, name);
            if found.is_none() {
                warnings.push(format!("unknown column: {rest}"));
            }
            found
        });
        (r, cols, warnings)
    }

    #[test]
    fn replace_append_and_errors() {
        assert_eq!(run("id,key", &[2]), (Ok(()), vec![1, 0], vec![]));
        assert_eq!(run("+use%", &[0]), (Ok(()), vec![0, 2], vec![]));
        assert_eq!(
            run("KEY,FOO,ID", &[]),
            (
                Err(ColumnListError::Lookup),
                vec![0],
                vec!["unknown column: FOO,ID".to_string()]
            )
        );
        assert_eq!(run("KEY,", &[]).2, vec!["unknown column: KEY,".to_string()]);
        assert_eq!(run("", &[1]).0, Err(ColumnListError::Empty));
        assert_eq!(run("+", &[1]).0, Err(ColumnListError::Empty));
        assert_eq!(run("a,,b", &[]).0, Err(ColumnListError::Lookup));
        assert_eq!(run("key,,id", &[]).0, Err(ColumnListError::Empty));
        assert_eq!(run(",id", &[]).0, Err(ColumnListError::Empty));
        assert_eq!(
            run("id,id,id,id,id,id", &[]).0,
            Err(ColumnListError::TooMany)
        );
    }
}
