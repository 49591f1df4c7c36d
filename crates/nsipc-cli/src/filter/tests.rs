use super::regex::is_unsafe_regex;
use super::*;
use std::borrow::Cow;

struct Cells(Vec<(&'static str, DataType, Option<&'static str>)>);

impl Row for Cells {
    fn cell(&mut self, name: &str) -> (DataType, Option<Cow<'_, [u8]>>) {
        let (ty, text) = self
            .0
            .iter()
            .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
            .copied()
            .map(|(_, ty, text)| (ty, text))
            .unwrap_or((DataType::String, None));
        (ty, text.map(|t| Cow::Borrowed(t.as_bytes())))
    }
}

fn row() -> Cells {
    Cells(vec![
        ("NS", DataType::U64, Some("4026531840")),
        ("TYPE", DataType::String, Some("net")),
        ("NPROCS", DataType::U64, Some("3")),
        ("PID", DataType::U64, None),
        ("USER", DataType::String, Some("root")),
        ("NETNSID", DataType::String, Some("unassigned")),
    ])
}

fn eval_str(expr: &str) -> Result<bool, EvalError> {
    parse(expr).unwrap().unwrap().matches(&mut row())
}

fn err(expr: &str) -> String {
    parse(expr).unwrap_err().to_string()
}

#[test]
fn messages() {
    assert_eq!(err("BAD =="), "syntax error, unexpected end of file");
    assert_eq!(
        err("NS 5"),
        "syntax error, unexpected NUMBER, expecting end of file"
    );
    assert_eq!(
        err("NS == 5)"),
        "syntax error, unexpected ')', expecting end of file"
    );
    assert_eq!(err("(NS == 5"), "syntax error, unexpected end of file");
    assert_eq!(err("(NS == 5 6"), "syntax error, unexpected NUMBER");
    assert_eq!(err("NS == )"), "syntax error, unexpected ')'");
    assert_eq!(err("NS == 'a"), "syntax error, unexpected invalid token");
    assert_eq!(err("   "), "syntax error, unexpected end of file");
    assert_eq!(
        err("NS == 1Y"),
        "\"1Y\" token error: Numerical result out of range"
    );
    assert_eq!(err("NS == 09K"), "\"09K\" token error: Invalid argument");
    assert_eq!(
        err("NS 1Y"),
        "syntax error, unexpected INVALID_NUMBER, expecting end of file"
    );
    assert_eq!(err("TYPE =~ '('"), "Unmatched ( or \\(");
    assert_eq!(err("TYPE =~ 'a**'"), "(null)");
    assert_eq!(err("TYPE =~ 5"), "(null)");
    assert_eq!(err(&"(".repeat(300)), "memory exhausted");
    assert_eq!(err(&"x".repeat(1025)), "(null)");
    let many = vec!["1"; 200].join("&&");
    assert_eq!(err(&many), "(null)");
    assert!(parse("").unwrap().is_none());
}

#[test]
fn precedence_is_libsmartcols() {
    // (true or false) and false: false; C precedence would say true.
    assert_eq!(eval_str("true or false and false"), Ok(false));
    assert_eq!(eval_str("!NS == false"), Ok(true));
    assert_eq!(eval_str("not (NS == 1)"), Ok(true));
    assert_eq!(eval_str("1 == 1 == true"), Ok(true));
}

#[test]
fn comparisons_and_types() {
    assert_eq!(eval_str("NS == 4026531840"), Ok(true));
    assert_eq!(eval_str("ns eq 4026531840 && TYPE == 'net'"), Ok(true));
    assert_eq!(eval_str("NPROCS > 2 and NPROCS <= 3"), Ok(true));
    assert_eq!(eval_str("NPROCS > 2.5"), Ok(true));
    assert_eq!(eval_str("NPROCS == \"3\""), Ok(true));
    assert_eq!(eval_str("TYPE =~ '^(net|ipc)$'"), Ok(true));
    assert_eq!(eval_str("TYPE !~ 'n.t'"), Ok(false));
    assert_eq!(eval_str("USER == ' root '"), Ok(true));
    assert_eq!(eval_str("NPROCS == 3K"), Ok(false));
    assert_eq!(eval_str("NETNSID == 'unassigned'"), Ok(true));
    // Empty cells: number comparisons are false, the bare column too.
    assert_eq!(eval_str("PID == 0"), Ok(false));
    assert_eq!(eval_str("PID != 0"), Ok(false));
    assert_eq!(eval_str("PID"), Ok(false));
    assert_eq!(eval_str("!PID"), Ok(true));
    // A column that does not convert fails the whole evaluation.
    assert_eq!(eval_str("USER > 5"), Err(EvalError(libc::EINVAL)));
    assert_eq!(eval_str("NETNSID == 0"), Err(EvalError(libc::EINVAL)));
    assert_eq!(eval_str("NS > 5 or USER > 5"), Ok(true));
}

#[test]
fn lexer_longest_match() {
    assert_eq!(parse("andx").unwrap().unwrap().holders(), ["andx"]);
    assert_eq!(
        parse("NS==1 and TYPE").unwrap().unwrap().holders(),
        ["NS", "TYPE"]
    );
    // A lone '=' starts no token and is skipped.
    assert_eq!(
        err("NS = 1"),
        "syntax error, unexpected NUMBER, expecting end of file"
    );
    assert_eq!(eval_str("NS =~ '^4026'"), Ok(true));
}

#[test]
fn unsafe_regexes() {
    assert!(is_unsafe_regex(b"a++"));
    assert!(is_unsafe_regex(b"(a+)+"));
    assert!(is_unsafe_regex(b"a{1,2000}"));
    assert!(!is_unsafe_regex(b"(ab)+"));
    assert!(!is_unsafe_regex(b"a{1,20}"));
}

#[test]
fn never_panics() {
    for s in [
        "((", "))", "!", "! !", "'", "\"", "a =~", "=~ a", "1.", ".5", "0x10", "\u{e9}",
    ] {
        let _ = parse(s).map(|f| f.map(|f| f.matches(&mut row())));
    }
}
