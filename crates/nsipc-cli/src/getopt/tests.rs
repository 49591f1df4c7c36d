use super::*;
use crate::values::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Id {
    Mount,
    MountProc,
    Uts,
    Ipc,
    Ident,
    Help,
    Human,
    Idle,
    Humble,
}

const OPTS: &[Opt<Id>] = &[
    Opt::optional(Id::Mount, Some('m'), "mount", "<file>", "mount"),
    Opt::optional(Id::MountProc, None, "mount-proc", "<dir>", "proc"),
    Opt::optional(Id::Uts, Some('u'), "uts", "<file>", "uts"),
    Opt::optional(Id::Ipc, Some('i'), "ipc", "<file>", "ipc"),
    Opt::value(Id::Ident, Some('I'), "id", "<id>", "id"),
    Opt::flag(Id::Help, Some('h'), "help", "help"),
    Opt::flag(Id::Human, None, "human", "human"),
    Opt::flag(Id::Idle, None, "idle", "idle").extension(),
    Opt::flag(Id::Humble, None, "humble", "humble").extension(),
];

#[test]
fn extensions_never_take_an_abbreviation() {
    // `--i` meant --ipc/--id before `--idle` existed: still ambiguous
    // between those two only; `--hu` is still --human.
    let e = parse(&STOP, &["--i"]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "option '--i' is ambiguous; possibilities: '--ipc' '--id'"
    );
    assert_eq!(parse(&STOP, &["--hu"]).unwrap(), vec![opt(Id::Human, None)]);
    // Abbreviations nothing else matches reach the extensions.
    assert_eq!(parse(&STOP, &["--idl"]).unwrap(), vec![opt(Id::Idle, None)]);
    assert_eq!(
        parse(&STOP, &["--humb"]).unwrap(),
        vec![opt(Id::Humble, None)]
    );
    assert_eq!(
        parse(&STOP, &["--idle"]).unwrap(),
        vec![opt(Id::Idle, None)]
    );
}

static STOP: ToolSpec<Id> = ToolSpec {
    name: "t",
    usage: &["t [options]"],
    about: "",
    ordering: Ordering::StopAtOperand,
    options: OPTS,
    epilog: "",
    help_order: &[],
    operands: Value::Text,
};

static PERMUTE: ToolSpec<Id> = ToolSpec {
    name: "t",
    usage: &["t [options]"],
    about: "",
    ordering: Ordering::Permute,
    options: OPTS,
    epilog: "",
    help_order: &[],
    operands: Value::Text,
};

fn parse(spec: &'static ToolSpec<Id>, args: &[&str]) -> Result<Vec<Arg<Id>>, UsageError> {
    Getopt::new(spec, args.iter().map(OsString::from)).collect_all()
}

fn opt(id: Id, v: Option<&str>) -> Arg<Id> {
    Arg::Opt(id, v.map(OsString::from))
}

#[test]
fn optional_value_eats_rest_of_cluster() {
    assert_eq!(
        parse(&STOP, &["-iu"]).unwrap(),
        vec![opt(Id::Ipc, Some("u"))]
    );
    assert_eq!(
        parse(&STOP, &["-m=/x"]).unwrap(),
        vec![opt(Id::Mount, Some("=/x"))]
    );
    assert_eq!(
        parse(&STOP, &["-m", "/bin/sh", "-c"]).unwrap(),
        vec![
            opt(Id::Mount, None),
            Arg::Program(vec!["/bin/sh".into(), "-c".into()])
        ]
    );
}

#[test]
fn short_flag_takes_no_value() {
    static SPEC: ToolSpec<Id> = ToolSpec {
        name: "t",
        usage: &["t"],
        about: "",
        ordering: Ordering::StopAtOperand,
        options: &[
            Opt::optional(Id::Mount, Some('m'), "mount", "<file>", "m").short_flag(),
            Opt::optional(Id::Uts, Some('u'), "uts", "<file>", "u").short_flag(),
        ],
        epilog: "",
        help_order: &[],
        operands: Value::Text,
    };
    assert_eq!(
        parse(&SPEC, &["-mu", "--mount=/x"]).unwrap(),
        vec![
            opt(Id::Mount, None),
            opt(Id::Uts, None),
            opt(Id::Mount, Some("/x"))
        ]
    );
    assert_eq!(
        parse(&SPEC, &["-m/x"]).unwrap_err().to_string(),
        "invalid option -- '/'"
    );
    assert!(SPEC.help().contains(" -m, --mount[=<file>]  m\n"));
}

#[test]
fn long_forms() {
    assert_eq!(
        parse(&STOP, &["--mount=/x"]).unwrap(),
        vec![opt(Id::Mount, Some("/x"))]
    );
    assert_eq!(
        parse(&STOP, &["--id", "5"]).unwrap(),
        vec![opt(Id::Ident, Some("5"))]
    );
    assert_eq!(
        parse(&STOP, &["--id=5"]).unwrap(),
        vec![opt(Id::Ident, Some("5"))]
    );
    assert_eq!(
        parse(&STOP, &["--mount"]).unwrap(),
        vec![opt(Id::Mount, None)]
    );
    assert_eq!(
        parse(&STOP, &["--hum"]).unwrap(),
        vec![opt(Id::Human, None)]
    );
}

#[test]
fn errors_in_glibc_words() {
    let e = parse(&STOP, &["--mou"]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "option '--mou' is ambiguous; possibilities: '--mount' '--mount-proc'"
    );
    let e = parse(&STOP, &["--h=3"]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "option '--h=3' is ambiguous; possibilities: '--help' '--human'"
    );
    assert_eq!(
        parse(&STOP, &["--bogus=x"]).unwrap_err().to_string(),
        "unrecognized option '--bogus=x'"
    );
    assert_eq!(
        parse(&STOP, &["-x"]).unwrap_err().to_string(),
        "invalid option -- 'x'"
    );
    assert_eq!(
        parse(&STOP, &["-I"]).unwrap_err().to_string(),
        "option requires an argument -- 'I'"
    );
    assert_eq!(
        parse(&STOP, &["--id"]).unwrap_err().to_string(),
        "option '--id' requires an argument"
    );
    assert_eq!(
        parse(&STOP, &["--help=1"]).unwrap_err().to_string(),
        "option '--help' doesn't allow an argument"
    );
    assert_eq!(
        parse(&STOP, &["--he=1"]).unwrap_err().to_string(),
        "option '--help' doesn't allow an argument"
    );
}

#[test]
fn exact_match_beats_prefix() {
    assert_eq!(
        parse(&STOP, &["--mount"]).unwrap(),
        vec![opt(Id::Mount, None)]
    );
}

#[test]
fn permute_and_stop() {
    assert_eq!(
        parse(&PERMUTE, &["x", "-h", "y"]).unwrap(),
        vec![
            Arg::Operand("x".into()),
            opt(Id::Help, None),
            Arg::Operand("y".into())
        ]
    );
    assert_eq!(
        parse(&STOP, &["-h", "--", "-x"]).unwrap(),
        vec![opt(Id::Help, None), Arg::Program(vec!["-x".into()])]
    );
    assert_eq!(
        parse(&STOP, &["ls", "-h"]).unwrap(),
        vec![Arg::Program(vec!["ls".into(), "-h".into()])]
    );
    // A required value is taken even when it looks like an option.
    assert_eq!(
        parse(&STOP, &["-I", "-h"]).unwrap(),
        vec![opt(Id::Ident, Some("-h"))]
    );
}

#[test]
fn help_layout() {
    let help = PERMUTE.help();
    assert!(help.starts_with("\nUsage:\n t [options]\n\nOptions:\n"));
    assert!(help.contains(" -m, --mount[=<file>]      mount\n"));
    assert!(help.contains("     --mount-proc[=<dir>]  proc\n"));
    assert!(help.contains("     --human               human\n"));
    assert!(help.ends_with("\nFor more details see t(1).\n"));
}
