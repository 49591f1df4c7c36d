//! lsipc: differential tests against util-linux 2.38.1 where it behaves
//! like master, explicit expectations where 2.38.1 differs (POSIX IPC, the
//! limits descriptions, `--noheadings` widths, option messages) or is buggy
//! (`-P` with `-q`, CGID, SEMMNS, exclusive options, `-g` with a resource).
//!
//! Every test runs in a private IPC + mount namespace (`Sandbox`).

use crate::common;

use common::{stderr, stdout, As, Sandbox};

/// Creates System V objects: two queues (one with a message, one 0600 by
/// another user), two shared memory segments (one by a user with a
/// different group), two semaphore sets (3 and 1 semaphores, one value set).
fn sysv_state(sb: &Sandbox) {
    sb.sh_ok(
        "set -e
         q=$(/usr/bin/ipcmk -Q | grep -o '[0-9]*$')
         perl -e \"msgsnd($q, pack('l! a*', 1, 'hello world'), 0) or die\"
         /usr/bin/ipcmk -M 4096 >/dev/null
         /usr/bin/ipcmk -M 100000 -p 0600 >/dev/null
         s=$(/usr/bin/ipcmk -S 3 | grep -o '[0-9]*$')
         perl -e \"semop($s, pack('s!3', 1, 2, 0)) or die\"
         /usr/bin/ipcmk -S 1 -p 0640 >/dev/null",
    );
    let out = sb
        .command_as(
            "/usr/bin/ipcmk",
            As {
                uid: Some(1002),
                gid: Some(1002),
            },
        )
        .args(["-Q", "-p", "0600"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn sysv_lists_and_modes_match_util_linux() {
    require_namespaces!();
    let sb = Sandbox::new();
    sysv_state(&sb);
    for args in [
        &["-q"][..],
        &["-m"],
        &["-s"],
        &["--queues", "--json"],
        &["-m", "-J"],
        &["-s", "-J"],
        &["-s", "-e"],
        &["-q", "-n"],
        &["-m", "-r"],
        &["-q", "-l"],
        &["-q", "-c"],
        &["-m", "-c"],
        &["-s", "-c", "-J"],
        &["-q", "-t"],
        &["-m", "-t"],
        &["-s", "-t"],
        &["-q", "-t", "--time-format=iso"],
        &["-m", "-t", "--time-format", "full"],
        &["-s", "-t", "--time-format=short"],
        &["-m", "-b"],
        &["-q", "-b", "-e"],
        &["-q", "-o", "KEY,ID,cuser,CGROUP,USER,GROUP"],
        &["-q", "-o", "+UID,GID,SEND,RECV"],
        &["-m", "-o", "+COMMAND,cpid,LPID,ATTACH,DETACH,STATUS,NATTCH"],
        &["-s", "-o", "NSEMS,OTIME,CTIME"],
        &["-m", "-y", "-e"],
        &["-s", "-P"],
        &["-m", "-P", "-r"],
        &["-q", "--notruncate"],
        &["-s", "-i", "-1"],
    ] {
        sb.compare("lsipc", args);
    }
}

#[test]
fn detail_views_match_util_linux() {
    require_namespaces!();
    let sb = Sandbox::new();
    sysv_state(&sb);
    for args in [
        &["-q", "-i", "0"][..],
        &["-q", "--id=1"],
        &["-m", "-i", "0"],
        &["-m", "-i", "1", "--time-format=iso"],
        &["-s", "-i", "0"],
        &["-s", "-i", "1", "-c"],
        &["-q", "-i", "0", "-t"],
        &["-q", "-i", "0", "-o", "KEY,MSGS"],
        &["-s", "-i", "0", "-o", "+KEY"],
        &["-s", "-i", "0", "-l"],
        &["-s", "-i", "0", "-J"],
        &["-m", "-i", "1", "-e"],
        &["-q", "-i", "0", "-r"],
        &["-q", "-i", "0", "-n"],
        &["-q", "-i", "99"],
        &["-s", "-i", "99", "-J"],
    ] {
        sb.compare("lsipc", args);
    }
    // The semaphore values are there, and the value set by semop.
    let out = sb.nsipc("lsipc", &["-s", "-i", "0"]);
    let text = stdout(&out);
    assert!(
        text.contains("Elements:\n\nSEMNUM VALUE NCOUNT ZCOUNT "),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("     1     2      0      0 ")),
        "{text}"
    );
    // "not found" is a warning, exit 0.
    let out = sb.nsipc("lsipc", &["-m", "-i", "42"]);
    assert_eq!(
        (stdout(&out).as_str(), stderr(&out).as_str()),
        ("", "lsipc: id 42 not found\n")
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn errors_match_util_linux() {
    require_namespaces!();
    let sb = Sandbox::new();
    sysv_state(&sb);
    for args in [
        &["--time-format=foo"][..],
        &["-q", "-i", "abc"],
        &["-q", "-i", "99999999999"],
        &["-q", "-x"],
        &["-q", "--bogus"],
        &["-q", "-o"],
        &["-q", "-o", "FOO"],
        &["-q", "-o", "KEY,FOO,ID"],
        &["-q", "-o", "KEY,"],
        &["-q", "-o", ","],
        &["-q", "-o", ""],
        &["-q", "-o", "SIZE"],
        &["-m", "-o", "+NSEMS"],
        &["-s", "-o", "USEDBYTES"],
        &["-g", "-o", "KEY,RESOURCE,NSEMS"],
        &["-s", "--time-format"],
    ] {
        sb.compare("lsipc", args);
    }
}

/// A long-lived creator: COMMAND truncated on a narrow terminal, whole
/// with --notruncate and when piped.
#[test]
fn terminal_width_matches_util_linux() {
    require_namespaces!();
    let sb = Sandbox::new();
    let mut holder = sb
        .command("perl")
        .args([
            "-e",
            "defined(shmget(0x1234, 8192, 01644)) or die; print qq(ok\\n); STDOUT->flush; sleep 60",
            "an-argument-long-enough-to-make-the-command-column-wide",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(holder.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    assert_eq!(line, "ok\n");
    for cols in ["70", "100", "200"] {
        for extra in ["", " --notruncate", " -t"] {
            let run = |bin: &str| {
                sb.command("script")
                    .args(["-qc", &format!("{bin} -m{extra}"), "/dev/null"])
                    .env("COLUMNS", cols)
                    .env("NSIPC", common::nsipc_bin())
                    .output()
                    .unwrap()
            };
            let theirs = run("/usr/bin/lsipc");
            // The multi-call form, not `exec -a`: script(1) runs the
            // command with $SHELL, which may be dash (CI has no SHELL set).
            let ours = run("$NSIPC lsipc");
            common::assert_same("lsipc", &["-m", extra, cols], &theirs, &ours);
        }
    }
    let ours = stdout(&sb.nsipc("lsipc", &["-m", "-o", "COMMAND"]));
    assert!(ours.contains("an-argument-long-enough-to-make-the-command-column-wide"));
    let _ = holder.kill();
    let _ = holder.wait();
}

#[test]
fn json_is_valid_and_all_strings() {
    require_namespaces!();
    let sb = Sandbox::new();
    sysv_state(&sb);
    let out = sb.nsipc("lsipc", &["-q", "-J", "-o", "+CUSER,CGID,SEND"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v["messages"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["key"].as_str().unwrap().len(), 10);
    assert_eq!(rows[0]["msgs"], "1");
    assert_eq!(rows[0]["usedbytes"], "11B");
    assert_eq!(rows[0]["send"].as_str().unwrap().len(), 5); // HH:MM
    assert_eq!(rows[1]["owner"], "averyverylongusername");
    assert_eq!(rows[1]["perms"], "rw-------");
    assert_eq!(rows[1]["cgid"], "1002");
    assert_eq!(rows[1]["send"], serde_json::Value::Null);
    for row in rows {
        for (_, value) in row.as_object().unwrap() {
            assert!(value.is_string() || value.is_null(), "{value}");
        }
    }
    let out = sb.nsipc("lsipc", &["-g", "-J", "-y"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v["ipclimits"].as_array().unwrap();
    assert_eq!(rows.len(), 15);
    assert_eq!(rows[0]["resource"], "MSGMNI");
    assert_eq!(rows[0]["used"], "2");
    assert!(rows[0]["use_pct"].as_str().unwrap().ends_with('%'));
    // Nothing to list: an empty, unnamed array, as util-linux.
    let empty = Sandbox::new();
    let out = empty.compare("lsipc", &["-q", "-J"]);
    assert_eq!(stdout(&out), "{\n   \"\": [\n\n   ]\n}\n");
    let out = empty.compare("lsipc", &["-m"]);
    assert_eq!(stdout(&out), "");
}

/// util-linux master fixed `-q -P` (2.38.1 printed an empty PERMS column).
#[test]
fn numeric_perms_for_queues() {
    require_namespaces!();
    let sb = Sandbox::new();
    sysv_state(&sb);
    let out = sb.nsipc("lsipc", &["-q", "-P", "-o", "ID,PERMS"]);
    assert_eq!(stdout(&out), "ID PERMS\n0   0644\n1   0600\n");
    let out = sb.nsipc("lsipc", &["-q", "-P", "-r", "-o", "PERMS", "--noheadings"]);
    assert_eq!(stdout(&out), "0644\n0600\n");
}

/// Creator gid is the creator's group (2.38.1 showed the CUID there for
/// queues and segments; master fixed both).
#[test]
fn creator_gid_is_shown() {
    require_namespaces!();
    let sb = Sandbox::new();
    for resource in ["-M", "-Q"] {
        let mut args = vec![resource];
        if resource == "-M" {
            args.push("4096");
        }
        let out = sb
            .command_as(
                "/usr/bin/ipcmk",
                As {
                    uid: Some(1001),
                    gid: Some(2003),
                },
            )
            .args(&args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let expected = "ID CUID CGID CUSER CGROUP    UID  GID\n0  1001 2003 alice staffers 1001 2003\n";
    for resource in ["-m", "-q"] {
        let out = sb.nsipc(
            "lsipc",
            &[resource, "-o", "ID,CUID,CGID,CUSER,CGROUP,UID,GID"],
        );
        assert_eq!(stderr(&out), "");
        assert_eq!(stdout(&out), expected, "{resource}");
    }
    let out = sb.nsipc("lsipc", &["-m", "-c", "-r", "--noheadings"]);
    assert!(
        stdout(&out).ends_with(" 1001 2003 1001 2003\n"),
        "{}",
        stdout(&out)
    );
}

/// Raw global view of util-linux 2.38.1, rewritten to master's words (the
/// "System V" descriptions and the POSIX queue rows): raw output has no
/// widths, so the rest must be identical.
#[test]
fn global_view_matches_util_linux() {
    require_namespaces!();
    let sb = Sandbox::new();
    sysv_state(&sb);
    let theirs = stdout(&sb.util_linux("lsipc", &["-g", "-r"]));
    let mq = sb.sh_ok("cat /proc/sys/fs/mqueue/queues_max /proc/sys/fs/mqueue/msgsize_max /proc/sys/fs/mqueue/msg_max");
    let mq: Vec<u64> = mq.lines().map(|l| l.parse().unwrap()).collect();
    let human = |n: u64| -> String {
        if n >= 1024 && n % 1024 == 0 && n < 1 << 20 {
            format!("{}K", n / 1024)
        } else {
            format!("{n}B")
        }
    };
    let mq_rows = format!(
        "MQUMNI Number\\x20of\\x20POSIX\\x20message\\x20queues {} 0 0.00%\n\
         MQUMAX Max\\x20size\\x20of\\x20POSIX\\x20message\\x20(bytes) {} - -\n\
         MQUMNB Number\\x20of\\x20messages\\x20in\\x20POSIX\\x20message\\x20queue {} - -\n",
        mq[0],
        human(mq[1]),
        mq[2]
    );
    let mut expected = String::new();
    for line in theirs.lines() {
        let line = line
            .replace(
                "of\\x20message\\x20queues",
                "of\\x20System\\x20V\\x20message\\x20queues",
            )
            .replace(
                "of\\x20message\\x20(bytes)",
                "of\\x20System\\x20V\\x20message\\x20(bytes)",
            )
            .replace(
                "of\\x20queue\\x20(bytes)",
                "of\\x20System\\x20V\\x20queue\\x20(bytes)",
            );
        expected.push_str(&line);
        expected.push('\n');
        if line.starts_with("MSGMNB ") {
            expected.push_str(&mq_rows);
        }
    }
    // 2.38.1 counts the first set's semaphores once per set (3 + 3); there
    // are 3 + 1.
    expected = expected.replace(
        "SEMMNS Total\\x20number\\x20of\\x20semaphores 1024000000 6 ",
        "SEMMNS Total\\x20number\\x20of\\x20semaphores 1024000000 4 ",
    );
    let ours = sb.nsipc("lsipc", &["-g", "-r"]);
    assert_eq!(stdout(&ours), expected);
    assert!(expected.contains(" 4 0.00%\n"), "{expected}");
    // No resource is the same as -g.
    assert_eq!(sb.nsipc("lsipc", &["-r"]).stdout, ours.stdout);
    // -g with a resource: only that resource's limits, only limit columns.
    let out = sb.nsipc("lsipc", &["-g", "-s", "--noheadings", "-r"]);
    let text = stdout(&out);
    let names: Vec<&str> = text.lines().map(|l| l.split(' ').next().unwrap()).collect();
    assert_eq!(names, ["SEMMNI", "SEMMNS", "SEMMSL", "SEMOPM", "SEMVMX"]);
    let out = sb.nsipc("lsipc", &["-g", "-q", "-o", "RESOURCE,USED"]);
    assert_eq!(
        stdout(&out),
        "RESOURCE USED\nMSGMNI      2\nMSGMAX      -\nMSGMNB      -\n"
    );
}

/// Since util-linux 2.40 a hidden header no longer widens its column.
#[test]
fn hidden_headers_do_not_widen_columns() {
    require_namespaces!();
    let sb = Sandbox::new();
    sysv_state(&sb);
    let out = sb.nsipc("lsipc", &["-s", "--noheadings", "-o", "ID,PERMS,NSEMS"]);
    assert_eq!(stdout(&out), "0 rw-r--r-- 3\n1 rw-r----- 1\n");
}

#[test]
fn exclusive_options_are_exclusive() {
    require_namespaces!();
    let sb = Sandbox::new();
    sysv_state(&sb);
    for (args, msg) in [
        (
            &["-J", "-r"][..],
            "options --json and --raw cannot be combined",
        ),
        (
            &["-q", "-e", "-l"],
            "options --export and --list cannot be combined",
        ),
        (
            &["-q", "-c", "-o", "KEY"],
            "options --creator and --output cannot be combined",
        ),
        (
            &["-q", "-t", "-c"],
            "options --time and --creator cannot be combined",
        ),
        (
            &["-M", "-m"],
            "options --posix-shmems and --shmems cannot be combined",
        ),
        (
            &["-q", "-s"],
            "options --queues and --semaphores cannot be combined",
        ),
        (
            &["-S", "-Q"],
            "options --posix-semaphores and --posix-mqueues cannot be combined",
        ),
        (
            &["-g", "-i", "0"],
            "options --global and --id cannot be combined",
        ),
        (
            &["-N", "/x", "-i", "0"],
            "options --name and --id cannot be combined",
        ),
        (
            &["-M", "-i", "0"],
            "options --posix-shmems and --id cannot be combined",
        ),
        (
            &["-i", "0", "-Q"],
            "options --id and --posix-mqueues cannot be combined",
        ),
        (
            &["-q", "-N", "x"],
            "options --queues and --name cannot be combined",
        ),
        // Our POSIX/System V selector rule is checked after parsing, so
        // whatever util-linux master refuses gets master's message.
        (
            &["-Q", "-i", "0", "-N", "/x"],
            "options --id and --name cannot be combined",
        ),
        (
            &["-M", "-i", "0", "--time-format=bad"],
            "unknown time format: bad",
        ),
        (
            &["-c"],
            "--global is mutually exclusive with --creator, --id, --name and --time",
        ),
        (
            &["-i", "0"],
            "--global is mutually exclusive with --creator, --id, --name and --time",
        ),
        (
            &["-N", "/x"],
            "--global is mutually exclusive with --creator, --id, --name and --time",
        ),
        (
            &["-g", "-q", "-t"],
            "--global is mutually exclusive with --creator, --id, --name and --time",
        ),
    ] {
        let out = sb.nsipc("lsipc", args);
        assert_eq!(stdout(&out), "", "{args:?}");
        assert_eq!(stderr(&out), format!("lsipc: {msg}\n"), "{args:?}");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
    }
    // The same option twice is fine.
    assert!(sb
        .nsipc("lsipc", &["-q", "-q", "-J", "-J"])
        .status
        .success());
}

/// POSIX objects: a queue with two messages, a shared memory file owned by
/// another user, a named semaphore with value 5.
fn posix_state(sb: &Sandbox) {
    use std::os::unix::process::CommandExt;
    let mut cmd = sb.command("true");
    // SAFETY: raw syscalls in the child, after it joined the sandbox's IPC
    // namespace (the sandbox's pre_exec runs first).
    unsafe {
        cmd.pre_exec(|| {
            let q = libc::mq_open(
                c"/pmq1".as_ptr(),
                libc::O_CREAT | libc::O_RDWR,
                0o640 as libc::mode_t,
                std::ptr::null_mut::<libc::mq_attr>(),
            );
            if q < 0 {
                return Err(std::io::Error::last_os_error());
            }
            for m in [&b"hello"[..], b"hi"] {
                if libc::mq_send(q, m.as_ptr().cast(), m.len(), 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
            }
            libc::mq_close(q);
            Ok(())
        });
    }
    assert!(cmd.status().unwrap().success());
    sb.sh_ok(
        "set -e
         head -c 5000 /dev/zero > /dev/shm/pshm1
         chown 1002:2003 /dev/shm/pshm1
         # glibc's sem_t: the value in the first word.
         printf '\\005\\000\\000\\000\\000\\000\\000\\000' > /dev/shm/sem.psem1
         head -c 24 /dev/zero >> /dev/shm/sem.psem1
         touch -d @1000000000 /dev/shm/pshm1 /dev/shm/sem.psem1 /dev/mqueue/pmq1",
    );
}

#[test]
fn posix_views_list_every_object() {
    require_namespaces!();
    let sb = Sandbox::new();
    posix_state(&sb);
    let run = |args: &[&str]| {
        let out = sb.nsipc("lsipc", args);
        assert_eq!(stderr(&out), "", "{args:?}");
        assert_eq!(out.status.code(), Some(0));
        stdout(&out)
    };
    // 2001-09-09 is not this year: short times show the date.
    assert_eq!(
        run(&["-Q"]),
        "NAME      PERMS OWNER      MTIME USEDBYTES MSGS\n/pmq1 rw-r-----  root 2001-Sep09        7B 2\n"
    );
    assert_eq!(
        run(&["-M", "-b", "-c"]),
        "NAME      PERMS                 OWNER SIZE      MTIME CUID CGID\n\
         pshm1 rw-r--r-- averyverylongusername 5000 2001-Sep09 1002 2003\n"
    );
    assert_eq!(
        run(&["-S", "--time-format=iso", "-P"]),
        "NAME  PERMS OWNER                     MTIME SVAL\npsem1  0644  root 2001-09-09T01:46:40+00:00    5\n"
    );
    assert_eq!(
        run(&["-M", "-e", "-o", "NAME,CUSER,CGROUP,SIZE"]),
        "NAME=\"pshm1\" CUSER=\"averyverylongusername\" CGROUP=\"staffers\" SIZE=\"4.9K\"\n"
    );
    let v: serde_json::Value = serde_json::from_str(&run(&["-Q", "-J"])).unwrap();
    assert_eq!(v["posix-messages"][0]["name"], "/pmq1");
    assert_eq!(v["posix-messages"][0]["msgs"], "2");
    let v: serde_json::Value = serde_json::from_str(&run(&["-S", "-J"])).unwrap();
    assert_eq!(v["posix-semaphores"][0]["sval"], "5");
    // The detail views; shm and semaphore names with or without '/'.
    let detail =
        |label: &str, value: &str| format!("{label}:{}{value:<36}\n", " ".repeat(35 - label.len()));
    let expected_sem = [
        detail("Owner", "root"),
        detail("Permissions", "rw-r--r--"),
        detail("Creator UID", "0"),
        detail("Creator user", "root"),
        detail("Creator GID", "0"),
        detail("Creator group", "root"),
        detail("Name", "psem1"),
        detail("Last action", "Sun Sep  9 01:46:40 2001"),
        detail("Value", "5"),
    ]
    .concat();
    assert_eq!(run(&["-S", "-N", "psem1"]), expected_sem);
    assert_eq!(run(&["-S", "-N", "/psem1"]), expected_sem);
    assert_eq!(
        run(&["-M", "-N", "/pshm1", "-o", "NAME,SIZE"]),
        [detail("Name", "pshm1"), detail("Segment size", "4.9K")].concat()
    );
    assert_eq!(
        run(&["-Q", "--name", "/pmq1", "-o", "MSGS,USEDBYTES", "-b"]),
        [detail("Messages", "2"), detail("Bytes used", "7")].concat()
    );
    // Limits of POSIX queues only.
    let out = run(&["-g", "-Q", "-o", "RESOURCE,USED", "-r"]);
    assert_eq!(out, "RESOURCE USED\nMQUMNI 1\nMQUMAX -\nMQUMNB -\n");
}

/// A `/dev/mqueue` mounted by another IPC namespace (here: the caller
/// unshared its own and did not remount): MSGS and USEDBYTES are those of
/// the listed queue, not of the caller's queue of the same name (2 and 0
/// messages).
#[test]
fn posix_queue_of_another_namespace() {
    require_namespaces!();
    let sb = Sandbox::new();
    posix_state(&sb);
    let out = sb.sh_ok(
        "set -e
         unshare -i sh -c '$NSIPC ipcmk -q -n /pmq1 >/dev/null
             $NSIPC lsipc -Q -b -r --noheadings -o NAME,USEDBYTES,MSGS'",
    );
    assert_eq!(out, "/pmq1 7 2\n");
}

#[test]
fn posix_lookup_errors_match_master() {
    require_namespaces!();
    let sb = Sandbox::new();
    posix_state(&sb);
    for (args, err) in [
        (
            &["-Q", "-N", "pmq1"][..],
            "lsipc: message queue name must start with '/': pmq1\n",
        ),
        (
            &["-Q", "-N", "/nosuch"],
            "lsipc: message queue /nosuch not found\n",
        ),
        (
            &["-M", "-N", "nosuch"],
            "lsipc: shared memory segment nosuch not found\n",
        ),
        (
            &["-S", "-N", "nosuch"],
            "lsipc: semaphore nosuch not found\n",
        ),
    ] {
        let out = sb.nsipc("lsipc", args);
        assert_eq!(
            (stdout(&out).as_str(), stderr(&out).as_str()),
            ("", err),
            "{args:?}"
        );
        assert_eq!(out.status.code(), Some(0));
    }
    let out = sb.nsipc("lsipc", &["-Q", "-o", "+SVAL"]);
    assert_eq!(
        stderr(&out),
        "lsipc: column SVAL does not apply to the specified IPC\n"
    );
    assert_eq!(out.status.code(), Some(1));
    // Columns a POSIX resource fills are accepted (util-linux refuses them).
    assert!(sb
        .nsipc("lsipc", &["-S", "-o", "NAME,SVAL"])
        .status
        .success());
    assert!(sb
        .nsipc("lsipc", &["-M", "-o", "NAME,SIZE"])
        .status
        .success());
}

/// `--namespace=PID|FILE` (beyond util-linux): the sandbox's objects, seen
/// from outside it without entering it.
#[test]
fn namespace_option_lists_another_namespace_from_outside() {
    require_namespaces!();
    let sb = Sandbox::new();
    sb.sh_ok("set -e; /usr/bin/ipcmk -Q >/dev/null; /usr/bin/ipcmk -S 2 >/dev/null; /usr/bin/ipcmk -M 8192 >/dev/null");
    let outside = |args: &[&str]| {
        use std::os::unix::process::CommandExt;
        std::process::Command::new(common::nsipc_bin())
            .arg0("lsipc")
            .args(args)
            .env("LC_ALL", "C")
            .env("TZ", "UTC")
            .output()
            .unwrap()
    };
    let pid = sb.pid().to_string();
    let file = format!("/proc/{pid}/ns/ipc");
    let cols = "KEY,ID,PERMS,CUID,CGID";
    for (resource, spec) in [("-q", &pid), ("-s", &file), ("-m", &pid)] {
        let inside = sb.nsipc("lsipc", &[resource, "-o", cols]);
        let ns_arg = format!("--namespace={spec}");
        let seen = outside(&[resource, "-o", cols, &ns_arg]);
        assert_eq!(stderr(&seen), "");
        assert_eq!(stdout(&seen), stdout(&inside), "{resource} {spec}");
        assert!(stdout(&seen).lines().count() == 2, "{}", stdout(&seen));
    }
    let inside = sb.nsipc("lsipc", &["-s", "-i", "0", "-o", "KEY,NSEMS"]);
    let seen = outside(&["-s", "-i", "0", "-o", "KEY,NSEMS", "--namespace", &pid]);
    assert_eq!(stdout(&seen), stdout(&inside));
    // The limits: the same as inside, through the process's root for the
    // POSIX queue count; unknown ("-") through a namespace file.
    let inside = sb.nsipc("lsipc", &["-g", "-r"]);
    let seen = outside(&["-g", "-r", "--namespace", &pid]);
    assert_eq!(stdout(&seen), stdout(&inside));
    let seen = outside(&[
        "-g",
        "-Q",
        "-r",
        "-o",
        "RESOURCE,USED",
        "--namespace",
        &file,
    ]);
    assert_eq!(
        stdout(&seen),
        "RESOURCE USED\nMQUMNI -\nMQUMAX -\nMQUMNB -\n"
    );
    for (args, err) in [
        (
            &["--namespace=/dev/null"][..],
            "lsipc: /dev/null: not a namespace file\n".to_string(),
        ),
        (
            &["--namespace=/proc/self/ns/uts"],
            "lsipc: /proc/self/ns/uts: not an IPC namespace\n".to_string(),
        ),
        (
            &["--namespace=/nonexistent"],
            "lsipc: cannot open /nonexistent: No such file or directory\n".to_string(),
        ),
        (
            &["-Q", "--namespace", "1"],
            "lsipc: options --namespace and --posix-mqueues cannot be combined\n".to_string(),
        ),
    ] {
        let out = outside(args);
        assert_eq!(
            (stdout(&out), stderr(&out)),
            (String::new(), err),
            "{args:?}"
        );
        assert_eq!(out.status.code(), Some(1));
    }
}
