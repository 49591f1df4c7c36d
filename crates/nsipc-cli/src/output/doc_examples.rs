//! The examples of `docs/output-engine.md`, compiled and run here: the test
//! `documented_examples_are_these` fails when a `rust` block of that page
//! is not, character for character, part of this file.

use crate::output::{Column, Flags, Format, JsonType, Mode, Table};

fn namespace_tree(out: &mut impl std::io::Write, no_headings: bool) -> std::io::Result<()> {
    let mut t = Table::with_name("namespaces"); // JSON array name; "" when unset
    let ns = t.add_column(Column::new("NS", 10.0, Flags::RIGHT).json(JsonType::Number));
    let cmd = t.add_column(Column::new("COMMAND", 0.0, Flags::TRUNC | Flags::TREE));

    let parent = t.new_line(None); // a root line
    t.set(parent, ns, "4026531836"); // cells are bytes: &str, String, Vec<u8>
    let child = t.new_line(Some(parent)); // a child (tree art, JSON "children")
    t.set(child, cmd, b"any \xff bytes");

    let mut fmt = Format::new(Mode::Human); // stdout's terminal width, locale
    fmt.noheadings = no_headings;
    t.print(out, &fmt) // or t.render(&fmt) -> Vec<u8>
}

use crate::output::{find_column, parse_column_list, ColumnListError};

/// `-o LIST` replaces `columns`, `-o +LIST` appends to them; `max` is
/// util-linux's array size. Names are matched ignoring ASCII case.
fn select_columns(
    list: &str,
    columns: &mut Vec<usize>,
    names: &[&str],
    max: usize,
) -> Result<(), String> {
    let mut unknown = String::new();
    let result = parse_column_list(list, columns, max, |name, rest| {
        let found = find_column(names, name);
        if found.is_none() {
            // `rest` runs from the bad name to the end of the list:
            // util-linux prints `unknown column: FOO,ID` for `-o KEY,FOO,ID`.
            unknown = format!("unknown column: {rest}");
        }
        found
    });
    match result {
        Ok(()) => Ok(()),
        Err(ColumnListError::Lookup) => Err(unknown),
        // Silent exit-1 failures in util-linux.
        Err(ColumnListError::Empty | ColumnListError::TooMany) => Err(String::new()),
    }
}

/// The ` ```rust ` blocks of a Markdown page.
fn rust_blocks(page: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in page.lines() {
        match current.as_mut() {
            None if line.starts_with("```rust") => current = Some(String::new()),
            None => {}
            Some(block) if line.starts_with("```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
        }
    }
    blocks
}

#[test]
fn documented_examples_are_these() {
    let page = include_str!("../../../../docs/output-engine.md");
    let source = include_str!("doc_examples.rs");
    let blocks = rust_blocks(page);
    assert_eq!(blocks.len(), 2, "{blocks:?}");
    for block in blocks {
        assert!(
            source.contains(&block),
            "docs/output-engine.md has an example that is not in doc_examples.rs:\n{block}"
        );
    }
}

#[test]
fn namespace_tree_prints_both_lines() {
    let mut out = Vec::new();
    namespace_tree(&mut out, true).unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert_eq!(lines[0].trim(), "4026531836", "{text}");
    assert!(lines[1].ends_with(r"any \xff bytes"), "{text}");
    assert!(!text.contains("COMMAND"), "no headings: {text}");
}

#[test]
fn select_columns_replaces_appends_and_names_the_rest() {
    const NAMES: &[&str] = &["KEY", "ID", "OWNER"];
    let mut columns = vec![0];
    select_columns("id,Owner", &mut columns, NAMES, 8).unwrap();
    assert_eq!(columns, [1, 2]);
    select_columns("+key", &mut columns, NAMES, 8).unwrap();
    assert_eq!(columns, [1, 2, 0]);
    assert_eq!(
        select_columns("KEY,FOO,ID", &mut columns, NAMES, 8),
        Err("unknown column: FOO,ID".to_string())
    );
    assert_eq!(
        select_columns("", &mut columns, NAMES, 8),
        Err(String::new())
    );
    assert_eq!(
        select_columns("KEY,ID", &mut columns, NAMES, 1),
        Err(String::new())
    );
}
