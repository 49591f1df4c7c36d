//! fish completions (`complete -c <name> …`), values by kind (see
//! [`Value`]). The helper functions are repeated in every file so each
//! works alone from `vendor_completions.d`.

use crate::getopt::{HasArg, Opt};
use crate::values::{Posix, Value};

use super::Program;

const HELPERS: &str = r#"# (fish globs know no [0-9]: the numeric entries of /proc are picked out.)
function __nsipc_pids
    for p in (string match -r -- '^/proc/\d+$' /proc/*)
        set -l pid (string replace /proc/ '' -- $p)
        read -l comm < $p/comm 2>/dev/null
        printf '%s\t%s\n' $pid "$comm"
    end
end
# A comma-separated list of the items given, after an optional '+'.
function __nsipc_list
    set -l tok (commandline -ct)
    set -l tok (string replace -r -- '^--[^=]*=' '' $tok)
    set -l head (string match -r -- '^\+?(?:.*,)?' $tok)
    for item in $argv
        contains -- $item (string split , -- (string trim -l -c + -- $head)); and continue
        printf '%s%s\n' "$head" $item
    end
end
function __nsipc_ids
    set -l db $argv[1]
    set -e argv[1]
    getent $db 2>/dev/null | string replace -r '^([^:]*):[^:]*:([^:]*):.*' '$2\t$1'
    printf '%s\n' $argv
end
function __nsipc_sysv
    set -l what $argv[1]
    set -e argv[1]
    for f in $argv
        test -r /proc/sysvipc/$f; or continue
        tail -n +2 /proc/sysvipc/$f | while read -l key id rest
            if test $what = id
                echo $id
            else if test $key -ne 0
                printf '0x%08x\n' (math "bitand($key, 0xffffffff)")
            end
        end
    end
end
function __nsipc_posix
    switch $argv[1]
        case mqueue
            for f in /dev/mqueue/*
                echo /(basename $f)
            end
        case shm
            for f in /dev/shm/*
                test -f $f; and not string match -q 'sem.*' (basename $f); and echo /(basename $f)
            end
        case sem
            for f in /dev/shm/sem.*
                echo /(string replace sem. '' (basename $f))
            end
    end
end
function __nsipc_nsinodes
    readlink /proc/*/ns/* 2>/dev/null | string replace -r '.*\[(\d+)\]' '$1' | sort -u
end
function __nsipc_operand_seen
    set -l tokens (commandline -opc)
    for t in $tokens[2..-1]
        string match -q -- '-*' $t; or return 0
    end
    return 1
end
"#;

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// `complete` arguments for a value of this kind: whether files are
/// offered, and the candidates.
fn action(value: Value, program: &Program) -> String {
    let words = |list: &[&str]| quote(&list.join(" "));
    match value {
        Value::Text => "-x".to_string(),
        Value::Words(list) => format!("-x -a {}", words(list)),
        Value::Pid => "-x -a '(__nsipc_pids)'".to_string(),
        Value::PidOrFile => "-r -F -a '(__nsipc_pids)'".to_string(),
        Value::NsFile | Value::File => "-r -F".to_string(),
        Value::Dir => "-x -a '(__fish_complete_directories (commandline -ct))'".to_string(),
        Value::Command => "-x -a '(__fish_complete_subcommand)'".to_string(),
        Value::Columns => {
            let names: Vec<&str> = program.columns.iter().map(|(n, _)| *n).collect();
            format!(
                "-x -a {}",
                quote(&format!("(__nsipc_list {})", names.join(" ")))
            )
        }
        Value::Signal => {
            let names = super::signal_names();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            format!("-x -a {}", words(&names))
        }
        Value::User(extra) => format!(
            "-x -a {}",
            quote(&format!("(__fish_complete_users) {}", extra.join(" ")))
        ),
        Value::Group(extra) => format!(
            "-x -a {}",
            quote(&format!("(__fish_complete_groups) {}", extra.join(" ")))
        ),
        Value::Uid(extra) => format!(
            "-x -a {}",
            quote(&format!("(__nsipc_ids passwd {})", extra.join(" ")))
        ),
        Value::Gid(extra) => format!(
            "-x -a {}",
            quote(&format!("(__nsipc_ids group {})", extra.join(" ")))
        ),
        Value::SysvId(kind) => format!(
            "-x -a {}",
            quote(&format!(
                "(__nsipc_sysv id {})",
                kind.proc_files().join(" ")
            ))
        ),
        Value::SysvKey(kind) => format!(
            "-x -a {}",
            quote(&format!(
                "(__nsipc_sysv key {})",
                kind.proc_files().join(" ")
            ))
        ),
        Value::PosixName(kind) => format!(
            "-x -a '(__nsipc_posix {})'",
            match kind {
                Posix::Mqueue => "mqueue",
                Posix::Shm => "shm",
                Posix::Sem => "sem",
            }
        ),
        Value::NsInode => "-x -a '(__nsipc_nsinodes)'".to_string(),
        Value::EnvVars => "-x -a '(__nsipc_list (set -xn))'".to_string(),
    }
}

fn line(name: &str, opt: &Opt<()>, program: &Program) -> String {
    let mut out = format!("complete -c {name}");
    if let Some(c) = opt.short {
        // A short flag of an option whose long form takes an optional
        // value (`unshare -m`) stays a flag.
        out.push_str(&format!(" -s {c}"));
    }
    if !opt.long.is_empty() {
        out.push_str(&format!(" -l {}", opt.long));
    }
    match opt.arg {
        HasArg::No => {}
        HasArg::Required => out.push_str(&format!(" {}", action(opt.values, program))),
        HasArg::Optional => {
            // fish completes `--long=<TAB>` from the candidates; no
            // separate word is taken.
            let a = action(opt.values, program);
            let a = a.replace("-x ", "-f ").replace("-r ", "");
            out.push_str(&format!(" {a}"));
        }
    }
    out.push_str(&format!(" -d {}", quote(opt.help)));
    out.push('\n');
    out
}

/// The completion file of one program.
pub(super) fn script(program: &Program) -> String {
    let doc = &program.doc;
    let name = doc.name;
    let mut out = format!(
        "# fish completion for {name}, generated by 'nsipc --completion fish {name}'\n\
         # from nsipc's option table.\n\n{HELPERS}\ncomplete -c {name} -e\ncomplete -c {name} -f\n"
    );
    for opt in doc.options.iter().filter(|o| !o.help.is_empty()) {
        out.push_str(&line(name, opt, program));
    }
    match doc.operands {
        Value::Text => {}
        Value::Words(list) if name == "nsipc" => {
            out.push_str(&format!(
                "complete -c nsipc -n 'not __nsipc_operand_seen' -x -a {}\n\
                 complete -c nsipc -n __nsipc_operand_seen -x -a '(__fish_complete_subcommand)'\n",
                quote(&list.join(" "))
            ));
        }
        other => out.push_str(&format!("complete -c {name} {}\n", action(other, program))),
    }
    out
}
