//! The engine against util-linux 2.38.1's lsns on terminals: widths,
//! truncation of the tree column, tree art. (Master additionally widens
//! columns with absolute hints when a wide terminal leaves room; these
//! widths all need reducing, where both agree.)

use super::*;

fn build(
    v: &serde_json::Value,
    t: &mut Table,
    parent: Option<LineId>,
    nprocs: &std::collections::HashMap<String, String>,
) {
    for item in v.as_array().unwrap() {
        let l = t.new_line(parent);
        let ns = item["ns"].to_string();
        t.set(l, 0, ns.as_bytes());
        t.set(l, 1, item["type"].as_str().unwrap());
        t.set(
            l,
            2,
            nprocs
                .get(&ns)
                .cloned()
                .unwrap_or(item["nprocs"].to_string()),
        );
        t.set(l, 3, item["pid"].to_string());
        t.set(l, 4, item["user"].as_str().unwrap());
        t.set(l, 5, item["command"].as_str().unwrap());
        if let Some(ch) = item.get("children") {
            build(ch, t, Some(l), nprocs);
        }
    }
}

/// Expected outputs of util-linux 2.38.1 `lsns` (tree) and `lsns -l` on
/// terminals of these widths (`script` with `COLUMNS`), with the data of
/// `lsns -J` run in the same private PID namespace.
const FIXTURES: &[(&str, usize, &str)] = &[
    ("tree", 30, include_str!("fixtures/lsns-tree.30.txt")),
    ("tree", 50, include_str!("fixtures/lsns-tree.50.txt")),
    ("tree", 70, include_str!("fixtures/lsns-tree.70.txt")),
    ("tree", 100, include_str!("fixtures/lsns-tree.100.txt")),
    ("tree", 150, include_str!("fixtures/lsns-tree.150.txt")),
    ("list", 30, include_str!("fixtures/lsns-list.30.txt")),
    ("list", 50, include_str!("fixtures/lsns-list.50.txt")),
    ("list", 70, include_str!("fixtures/lsns-list.70.txt")),
    ("list", 100, include_str!("fixtures/lsns-list.100.txt")),
];

#[test]
fn lsns_on_terminals_of_many_widths() {
    for (json, prefix, tree) in [
        (include_str!("fixtures/lsns-tree.json"), "tree", true),
        (include_str!("fixtures/lsns-list.json"), "list", false),
    ] {
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        for &(_, c, expected) in FIXTURES.iter().filter(|f| f.0 == prefix) {
            let mut nprocs = std::collections::HashMap::new();
            for line in expected.lines().skip(1) {
                let f: Vec<&str> = line.split_whitespace().collect();
                nprocs.insert(f[0].to_string(), f[2].to_string());
            }
            let mut t = Table::with_name("namespaces");
            t.add_column(Column::new("NS", 10.0, Flags::RIGHT).json(JsonType::Number));
            t.add_column(Column::new("TYPE", 5.0, Flags::NONE));
            t.add_column(Column::new("NPROCS", 5.0, Flags::RIGHT));
            t.add_column(Column::new("PID", 5.0, Flags::RIGHT));
            t.add_column(Column::new("USER", 0.0, Flags::NONE));
            let f = if tree {
                Flags::TRUNC | Flags::TREE
            } else {
                Flags::TRUNC
            };
            t.add_column(Column::new("COMMAND", 0.0, f));
            build(&v["namespaces"], &mut t, None, &nprocs);
            let got =
                String::from_utf8(t.render(&Format::fixed(Mode::Human, Some(c), true))).unwrap();
            assert_eq!(got, expected, "{prefix} {c}");
        }
    }
}
