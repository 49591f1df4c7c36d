//! Whole-output tests. Expected texts were produced by util-linux 2.38.1
//! (lsipc, lsns) on the same data, piped and on a terminal (`script` with
//! `COLUMNS`).

use super::*;

fn table(columns: &[(&str, f64, Flags)], rows: &[&[&str]]) -> Table {
    let mut t = Table::new();
    for (name, hint, flags) in columns {
        t.add_column(Column::new(*name, *hint, *flags));
    }
    for row in rows {
        let line = t.new_line(None);
        for (c, cell) in row.iter().enumerate() {
            t.set(line, c, cell.as_bytes());
        }
    }
    t
}

fn render(t: &Table, f: &Format) -> String {
    String::from_utf8(t.render(f)).unwrap()
}

fn human(width: Option<usize>) -> Format {
    Format::fixed(Mode::Human, width, true)
}

const R: Flags = Flags::RIGHT;
const N: Flags = Flags::NONE;

/// `lsipc -m`: right-aligned columns, an empty last column (the separator
/// before it stays, nothing after it), hints of 1.
fn lsipc_shm() -> Table {
    table(
        &[
            ("KEY", 1.0, N),
            ("ID", 1.0, N),
            ("PERMS", 1.0, R),
            ("OWNER", 1.0, R),
            ("SIZE", 1.0, R),
            ("NATTCH", 1.0, R),
            ("STATUS", 1.0, Flags::NOEXTREMES),
            ("CTIME", 1.0, R),
            ("CPID", 1.0, R),
            ("LPID", 1.0, R),
            ("COMMAND", 0.0, Flags::TRUNC),
        ],
        &[&[
            "0x1d62a42d",
            "0",
            "rw-r--r--",
            "root",
            "4K",
            "0",
            "",
            "12:42",
            "9808",
            "0",
            "",
        ]],
    )
}

#[test]
fn lsipc_shm_piped_and_narrow_terminal() {
    let expected = "KEY        ID     PERMS OWNER SIZE NATTCH STATUS CTIME CPID LPID COMMAND\n\
                    0x1d62a42d 0  rw-r--r--  root   4K      0        12:42 9808    0 \n";
    assert_eq!(render(&lsipc_shm(), &human(None)), expected);
    // Nothing here can shrink: a 20-column terminal gets the same lines.
    assert_eq!(render(&lsipc_shm(), &human(Some(20))), expected);
    assert_eq!(render(&lsipc_shm(), &human(Some(200))), expected);
}

fn lsipc_global() -> Table {
    let rows: &[&[&str]] = &[
        &["MSGMNI", "Number of message queues", "32000", "1", "0.00%"],
        &["MSGMAX", "Max size of message (bytes)", "8K", "-", "-"],
        &[
            "SHMALL",
            "Shared memory pages",
            "18446744073692774399",
            "1",
            "0.00%",
        ],
        &[
            "SEMMSL",
            "Max semaphores per semaphore set.",
            "32000",
            "-",
            "-",
        ],
    ];
    let mut t = table(
        &[
            ("RESOURCE", 1.0, N),
            ("DESCRIPTION", 1.0, N),
            ("LIMIT", 1.0, R),
            ("USED", 1.0, R),
            ("USE%", 1.0, R),
        ],
        rows,
    );
    t.set_name("ipclimits");
    t
}

#[test]
fn lsipc_global_formats() {
    assert_eq!(
        render(&lsipc_global(), &human(None)),
        "RESOURCE DESCRIPTION                                      LIMIT USED  USE%\n\
         MSGMNI   Number of message queues                         32000    1 0.00%\n\
         MSGMAX   Max size of message (bytes)                         8K    -     -\n\
         SHMALL   Shared memory pages               18446744073692774399    1 0.00%\n\
         SEMMSL   Max semaphores per semaphore set.                32000    -     -\n"
    );
    let mut f = human(None);
    f.noheadings = true;
    // Since util-linux 2.40 hidden headers no longer widen columns
    // (2.38.1 still counted them).
    assert!(render(&lsipc_global(), &f)
        .starts_with("MSGMNI Number of message queues                         32000 1 0.00%\n"));

    let mut f = Format::fixed(Mode::Export, None, true);
    f.shellvar = true;
    f.separator = "\n";
    assert!(render(&lsipc_global(), &f).starts_with(
        "RESOURCE=\"MSGMNI\"\nDESCRIPTION=\"Number of message queues\"\nLIMIT=\"32000\"\n\
         USED=\"1\"\nUSE_PCT=\"0.00%\"\nRESOURCE=\"MSGMAX\"\n"
    ));
    assert!(render(&lsipc_global(), &f).ends_with("USE_PCT=\"-\"\n"));

    let f = Format::fixed(Mode::Raw, None, true);
    assert_eq!(
        render(&lsipc_global(), &f)
            .lines()
            .take(2)
            .collect::<Vec<_>>(),
        [
            "RESOURCE DESCRIPTION LIMIT USED USE%",
            "MSGMNI Number\\x20of\\x20message\\x20queues 32000 1 0.00%"
        ]
    );
}

/// `lsipc -y -g -o USE%,RESOURCE`: the shell name is longer than the
/// column; right alignment keeps the line whole.
#[test]
fn shell_header_wider_than_column() {
    let mut t = table(
        &[("USE%", 1.0, R), ("RESOURCE", 1.0, N)],
        &[&["0.00%", "MSGMNI"], &["-", "MSGMAX"]],
    );
    let mut f = human(None);
    f.shellvar = true;
    assert_eq!(
        render(&t, &f),
        "USE_PCT RESOURCE\n0.00% MSGMNI\n    - MSGMAX\n"
    );
    t.set_name("x");
    let f = Format {
        mode: Mode::Json,
        ..f
    };
    assert!(render(&t, &f).contains("\"use_pct\": \"0.00%\""));
}

#[test]
fn json_like_lsipc() {
    let t = table(
        &[("KEY", 1.0, N), ("ID", 1.0, N), ("USE%", 1.0, R)],
        &[&["0x4fbb0dd9", "0", ""], &["0x1", "1", "x\"y"]],
    );
    let f = Format::fixed(Mode::Json, None, true);
    assert_eq!(
        render(&t, &f),
        "{\n   \"\": [\n      {\n         \"key\": \"0x4fbb0dd9\",\n         \"id\": \"0\",\n         \"use%\": null\n      },{\n         \"key\": \"0x1\",\n         \"id\": \"1\",\n         \"use%\": \"x\\\"y\"\n      }\n   ]\n}\n"
    );
    // No lines: the array is still printed (with upstream's empty line).
    let empty = table(&[("KEY", 1.0, N)], &[]);
    assert_eq!(render(&empty, &f), "{\n   \"\": [\n\n   ]\n}\n");
    // ... while the other formats print nothing at all.
    for mode in [Mode::Human, Mode::Raw, Mode::Export] {
        assert_eq!(render(&empty, &Format::fixed(mode, None, true)), "");
    }
}

#[test]
fn json_types_and_raw_bytes() {
    let mut t = Table::with_name("namespaces");
    let ns = t.add_column(Column::new("NS", 10.0, R).json(JsonType::Number));
    let b = t.add_column(Column::new("OK", 0.0, N).json(JsonType::Boolean));
    let o = t.add_column(Column::new("OPT", 0.0, N).json(JsonType::BooleanOptional));
    let a = t.add_column(
        Column::new("NSFS", 0.0, Flags::WRAP | Flags::MULTILINE).json(JsonType::ArrayString),
    );
    let c = t.add_column(Column::new("COMMAND", 0.0, Flags::TRUNC));
    let l = t.new_line(None);
    t.set(l, ns, "4026531840");
    t.set(l, b, "0");
    t.set(l, o, "-");
    t.set(l, a, "/run/netns/a\n/mnt/b");
    t.set(l, c, b"caf\xe9 \xff");
    let l = t.new_line(None);
    t.set(l, b, "yes");
    let out = t.render(&Format::fixed(Mode::Json, None, true));
    let expected: &[u8] = b"{\n   \"namespaces\": [\n      {\n         \"ns\": 4026531840,\n         \"ok\": false,\n         \"opt\": null,\n         \"nsfs\": [\n             \"/run/netns/a\", \"/mnt/b\"\n         ],\n         \"command\": \"caf\xe9 \xff\"\n      },{\n         \"ns\": null,\n         \"ok\": true,\n         \"opt\": null,\n         \"nsfs\": [],\n         \"command\": null\n      }\n   ]\n}\n";
    assert_eq!(out, expected);
}

/// `lsns` in a process tree, as util-linux 2.38.1 prints it piped and on a
/// 50-column terminal (COMMAND truncated, tree art kept).
fn lsns_tree() -> Table {
    let long = "sh -c mount -t tmpfs tmpfs /dev/shm; ipcmk -Q >/dev/null";
    let rows: &[[&str; 6]] = &[
        ["4026531832", "mnt", "82", "2", "root", "kthreadd"],
        ["4026531833", "net", "87", "2", "root", "kthreadd"],
        ["4026531834", "time", "87", "2", "root", "kthreadd"],
        ["4026531835", "cgroup", "87", "2", "root", "kthreadd"],
        ["4026531836", "pid", "87", "2", "root", "kthreadd"],
        ["4026531837", "user", "87", "2", "root", "kthreadd"],
        ["4026531838", "uts", "87", "2", "root", "kthreadd"],
        ["4026531839", "ipc", "83", "2", "root", "kthreadd"],
        ["4026531860", "mnt", "1", "25", "root", "kdevtmpfs"],
        ["4026532177", "mnt", "4", "10241", "root", long],
        ["4026532178", "ipc", "4", "10241", "root", long],
    ];
    let mut t = Table::with_name("namespaces");
    for (name, hint, flags, json) in [
        ("NS", 10.0, R, JsonType::Number),
        ("TYPE", 5.0, N, JsonType::String),
        ("NPROCS", 5.0, R, JsonType::Number),
        ("PID", 5.0, R, JsonType::Number),
        ("USER", 0.0, N, JsonType::String),
        ("COMMAND", 0.0, Flags::TRUNC | Flags::TREE, JsonType::String),
    ] {
        t.add_column(Column::new(name, hint, flags).json(json));
    }
    let mut ids = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let parent = (i == 8).then(|| ids[7]);
        let l = t.new_line(parent);
        for (c, cell) in row.iter().enumerate() {
            t.set(l, c, *cell);
        }
        ids.push(l);
    }
    t
}

#[test]
fn lsns_tree_on_a_terminal() {
    let expected = "        NS TYPE   NPROCS   PID USER COMMAND\n\
                    4026531832 mnt        82     2 root kthreadd\n\
                    4026531833 net        87     2 root kthreadd\n\
                    4026531834 time       87     2 root kthreadd\n\
                    4026531835 cgroup     87     2 root kthreadd\n\
                    4026531836 pid        87     2 root kthreadd\n\
                    4026531837 user       87     2 root kthreadd\n\
                    4026531838 uts        87     2 root kthreadd\n\
                    4026531839 ipc        83     2 root kthreadd\n\
                    4026531860 mnt         1    25 root └─kdevtmpfs\n\
                    4026532177 mnt         4 10241 root sh -c mount -t\n\
                    4026532178 ipc         4 10241 root sh -c mount -t\n";
    assert_eq!(render(&lsns_tree(), &human(Some(50))), expected);
    let piped = render(&lsns_tree(), &human(None));
    assert!(piped.ends_with(
        "4026532178 ipc         4 10241 root sh -c mount -t tmpfs tmpfs /dev/shm; ipcmk -Q >/dev/null\n"
    ));
    let ascii = render(&lsns_tree(), &Format::fixed(Mode::Human, Some(50), false));
    assert!(ascii.contains("4026531860 mnt         1    25 root `-kdevtmpfs\n"));
    let raw = render(&lsns_tree(), &Format::fixed(Mode::Raw, None, false));
    assert!(raw.contains("\n4026531860 mnt 1 25 root `-kdevtmpfs\n"));
}

#[test]
fn json_tree_nests_children() {
    let out = render(&lsns_tree(), &Format::fixed(Mode::Json, None, true));
    let v: Vec<&str> = out.lines().collect();
    let at = v
        .iter()
        .position(|l| l.contains("\"ns\": 4026531839"))
        .unwrap();
    assert_eq!(
        &v[at..at + 17],
        &[
            "         \"ns\": 4026531839,",
            "         \"type\": \"ipc\",",
            "         \"nprocs\": 83,",
            "         \"pid\": 2,",
            "         \"user\": \"root\",",
            "         \"command\": \"kthreadd\",",
            "         \"children\": [",
            "            {",
            "               \"ns\": 4026531860,",
            "               \"type\": \"mnt\",",
            "               \"nprocs\": 1,",
            "               \"pid\": 25,",
            "               \"user\": \"root\",",
            "               \"command\": \"kdevtmpfs\"",
            "            }",
            "         ]",
            "      },{",
        ]
    );
}

#[test]
fn multiline_cells_and_deep_trees() {
    let mut t = Table::new();
    let name = t.add_column(Column::new("NAME", 0.0, Flags::TREE));
    let nsfs = t.add_column(Column::new("NSFS", 0.0, Flags::WRAP | Flags::MULTILINE));
    t.add_column(Column::new("X", 0.0, R));
    let a = t.new_line(None);
    t.set(a, name, "a");
    t.set(a, nsfs, "/run/netns/one\n/two");
    t.set(a, 2, "1");
    let b = t.new_line(Some(a));
    t.set(b, name, "b");
    let c = t.new_line(Some(b));
    t.set(c, name, "c");
    let d = t.new_line(Some(a));
    t.set(d, name, "d");
    t.set(d, nsfs, "/x");
    let out = render(&t, &human(None));
    assert_eq!(
        out,
        "NAME  NSFS           X\n\
         a     /run/netns/one 1\n\
         │     /two           \n\
         ├─b                  \n\
         │ └─c                \n\
         └─d   /x             \n"
    );
    // Raw and export keep the newline, escaped.
    let raw = render(&t, &Format::fixed(Mode::Raw, None, true));
    assert!(raw.contains("a /run/netns/one\\x0a/two 1\n"));
}

#[test]
fn nowrap_hides_or_truncates_last_columns() {
    let t = table(
        &[("A", 1.0, N), ("B", 1.0, N), ("C", 1.0, N)],
        &[&["aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc"]],
    );
    let mut f = human(Some(25));
    f.nowrap = true;
    assert_eq!(
        render(&t, &f),
        "A          B          C\naaaaaaaaaa bbbbbbbbbb ccc\n"
    );
    f.width = Some(15);
    assert_eq!(render(&t, &f), "A          B\naaaaaaaaaa bbbb\n");
}

#[test]
fn list_columns_table() {
    let t = column_list_table(
        "lsns-columns",
        [
            ("NS", JsonType::Number, "namespace identifier"),
            ("TYPE", JsonType::String, "kind"),
        ],
    );
    let mut f = human(None);
    f.noheadings = true;
    assert_eq!(
        render(&t, &f),
        "  NS <integer> namespace identifier\nTYPE <string>  kind\n"
    );
}

#[test]
fn columns_added_after_lines() {
    let mut t = Table::new();
    let a = t.new_line(None);
    let x = t.add_column(Column::new("X", 0.0, N));
    t.set(a, x, "1");
    let b = t.new_line(None);
    t.set(b, x, "2");
    let y = t.add_column(Column::new("Y", 0.0, R));
    t.set(b, y, "3");
    assert_eq!(t.cell(a, x), b"1");
    assert_eq!(t.cell(b, x), b"2");
    assert!(!t.is_set(a, y));
    assert_eq!(render(&t, &human(None)), "X Y\n1 \n2 3\n");
}

/// A cell set twice: the width is that of what it holds last, not of the
/// longest text it ever held.
#[test]
fn cell_set_twice_takes_its_last_width() {
    let mut t = table(
        &[("A", 1.0, N), ("B", 1.0, R)],
        &[&["x", "1"], &["yy", "22"]],
    );
    let line = t.line_ids().next().unwrap();
    t.set(line, 0, "a very long first text");
    t.set(line, 0, "z");
    assert_eq!(render(&t, &human(None)), "A   B\nz   1\nyy 22\n");
    // A cell that is not plain ASCII in a column keeps the general path.
    let mut t = table(
        &[("A", 1.0, N), ("B", 1.0, N)],
        &[&["\u{e9}t\u{e9}", "b"], &["x\\xy", "c"]],
    );
    // Several cells at once; out-of-range ones are ignored.
    t.set_cells(LineId(1), b"xyz", &[(1, 0..1), (7, 0..3), (0, 2..9)]);
    assert_eq!(t.cell(LineId(1), 1), b"x");
    t.set(LineId(1), 1, "c");
    assert_eq!(
        render(&t, &human(None)),
        "A       B\n\u{e9}t\u{e9}     b\nx\\x5cxy c\n"
    );
}
