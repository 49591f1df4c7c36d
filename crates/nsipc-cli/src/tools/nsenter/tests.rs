use super::config::strip_equals;
use super::open::cgroup_path;
use super::*;

#[test]
fn pid_argument() {
    assert_eq!(parse_pid_arg("42"), Ok((42, None)));
    assert_eq!(parse_pid_arg(" +42"), Ok((42, None)));
    assert_eq!(parse_pid_arg("42:7"), Ok((42, Some(7))));
    assert_eq!(parse_pid_arg("0"), Err(NumError::Range));
    assert_eq!(parse_pid_arg("-3"), Err(NumError::Range));
    assert_eq!(parse_pid_arg("42:0"), Err(NumError::Range));
    assert_eq!(parse_pid_arg("42:"), Err(NumError::Invalid));
    assert_eq!(parse_pid_arg("42:-1"), Err(NumError::Range));
    assert_eq!(parse_pid_arg("abc"), Err(NumError::Invalid));
    assert_eq!(parse_pid_arg("4x"), Err(NumError::Invalid));
    assert_eq!(parse_pid_arg("2147483648"), Err(NumError::Range));
}

#[test]
fn environ_parsing() {
    let vars = parse_environ(b"A=1\0B=x=y\0noequals\0=empty\0A=2\0C=\0");
    let got: Vec<(String, String)> = vars
        .into_iter()
        .map(|(n, v)| (n.into_string().unwrap(), v.into_string().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            ("A".into(), "1".into()),
            ("B".into(), "x=y".into()),
            ("C".into(), "".into())
        ]
    );
    assert!(parse_environ(b"").is_empty());
}

#[test]
fn cgroup_line() {
    assert_eq!(
        cgroup_path(b"0::/user.slice/a\n"),
        Some(&b"/user.slice/a"[..])
    );
    // Hybrid host: the unified line wins over v1 controllers.
    assert_eq!(
        cgroup_path(b"9:name=systemd:/x\n4:memory:/m\n0::/u:v\n"),
        Some(&b"/u:v"[..])
    );
    assert_eq!(cgroup_path(b"4:memory:/m\n"), Some(&b"/m"[..]));
    assert_eq!(cgroup_path(b"nocolon\n"), None);
    assert_eq!(cgroup_path(b""), None);
}

#[test]
fn equals_stripping() {
    assert_eq!(strip_equals(OsStr::new("=/x")), OsStr::new("/x"));
    assert_eq!(strip_equals(OsStr::new("==/x")), OsStr::new("=/x"));
    assert_eq!(strip_equals(OsStr::new("/x")), OsStr::new("/x"));
}
