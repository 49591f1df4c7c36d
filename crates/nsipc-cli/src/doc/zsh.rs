//! zsh completion functions (`_<name>`, `#compdef <name>`) over
//! `_arguments`, with value actions by kind (see [`Value`]). The helpers are
//! repeated in every file so each works alone from `$fpath`.

use crate::getopt::{HasArg, Opt};
use crate::values::{Posix, Value};

use super::Program;

const HELPERS: &str = r#"(( $+functions[_nsipc_pids] )) || _nsipc_pids() {
  local -a pids descs
  local p c
  for p in /proc/<->(N:t); do
    c=
    { read -r c < /proc/$p/comm } 2>/dev/null
    pids+=($p)
    descs+=("$p  $c")
  done
  compadd -l -d descs -a pids
}
(( $+functions[_nsipc_list] )) || _nsipc_list() {
  # A comma-separated list of the items given (name=description),
  # after an optional leading '+'.
  compset -P '+'
  compset -P '*,'
  local item
  local -a names descs
  for item in "$@"; do
    names+=("${item%%=*}")
    descs+=("${(r:12:)${item%%=*}} ${item#*=}")
  done
  compadd -S , -q -l -d descs -a names
}
(( $+functions[_nsipc_ids] )) || _nsipc_ids() {
  # Numeric ids of passwd or group, names as descriptions; then extra words.
  local db=$1 line
  shift
  local -a ids descs
  for line in ${(f)"$(getent $db 2>/dev/null || < /etc/$db)"}; do
    local -a f=("${(@s.:.)line}")
    ids+=($f[3])
    descs+=("$f[3]  $f[1]")
  done
  compadd -l -d descs -a ids
  (( $# )) && compadd -a argv
}
(( $+functions[_nsipc_sysv] )) || _nsipc_sysv() {
  # id or key of live System V objects, from the /proc/sysvipc files named.
  local what=$1 f line k
  shift
  local -a words w
  for f in "$@"; do
    [[ -r /proc/sysvipc/$f ]] || continue
    for line in ${${(f)"$(</proc/sysvipc/$f)"}[2,-1]}; do
      w=(${=line})
      if [[ $what == id ]]; then
        words+=($w[2])
      elif (( w[1] != 0 )); then
        printf -v k '0x%08x' $(( w[1] & 0xffffffff ))
        words+=($k)
      fi
    done
  done
  compadd -a words
}
(( $+functions[_nsipc_posix] )) || _nsipc_posix() {
  local -a words
  case $1 in
  mqueue) words=(/dev/mqueue/*(N:t)) ;;
  shm) words=(/dev/shm/^sem.*(N.:t)) ;;
  sem) words=(/dev/shm/sem.*(N.:t)); words=(${words#sem.}) ;;
  esac
  words=(/${^words})
  compadd -a words
}
(( $+functions[_nsipc_nsinodes] )) || _nsipc_nsinodes() {
  local -a links=(${(f)"$(readlink /proc/<->/ns/*(N) 2>/dev/null)"})
  local -a inodes=(${${(u)links#*\[}%\]})
  compadd -a inodes
}
(( $+functions[_nsipc_envvars] )) || _nsipc_envvars() {
  compset -P '*,'
  local -a vars=(${(k)parameters[(R)*export*]})
  compadd -S , -q -a vars
}
"#;

/// Quoting for a word inside a single-quoted `_arguments` spec.
fn spec_text(text: &str) -> String {
    text.replace('\'', "'\\''")
        .replace('[', "\\[")
        .replace(']', "\\]")
}

fn words(list: &[&str]) -> String {
    list.iter()
        .map(|w| w.replace('\'', "'\\''").replace(' ', "\\ "))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `_arguments` action for a value of this kind.
fn action(value: Value, program: &Program) -> String {
    match value {
        Value::Text => " ".to_string(),
        Value::Words(list) => format!("({})", words(list)),
        Value::Pid => "_nsipc_pids".to_string(),
        Value::PidOrFile => "{_nsipc_pids; _files}".to_string(),
        Value::NsFile | Value::File => "_files".to_string(),
        Value::Dir => "_files -/".to_string(),
        Value::Command => "_command_names -e".to_string(),
        Value::Columns => {
            let items: Vec<String> = program
                .columns
                .iter()
                .map(|(n, d)| format!("{n}={d}").replace(':', " ").replace('\'', ""))
                .map(|i| format!("'\\''{i}'\\''"))
                .collect();
            format!("{{_nsipc_list {}}}", items.join(" "))
        }
        Value::Signal => {
            let names = super::signal_names();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            format!("({})", words(&names))
        }
        Value::User(extra) => format!("{{_users; compadd - {}}}", words(extra)),
        Value::Group(extra) => format!("{{_groups; compadd - {}}}", words(extra)),
        Value::Uid(extra) => format!("{{_nsipc_ids passwd {}}}", words(extra)),
        Value::Gid(extra) => format!("{{_nsipc_ids group {}}}", words(extra)),
        Value::SysvId(kind) => format!("{{_nsipc_sysv id {}}}", kind.proc_files().join(" ")),
        Value::SysvKey(kind) => format!("{{_nsipc_sysv key {}}}", kind.proc_files().join(" ")),
        Value::PosixName(kind) => format!(
            "{{_nsipc_posix {}}}",
            match kind {
                Posix::Mqueue => "mqueue",
                Posix::Shm => "shm",
                Posix::Sem => "sem",
            }
        ),
        Value::NsInode => "_nsipc_nsinodes".to_string(),
        Value::EnvVars => "_nsipc_envvars".to_string(),
    }
}

/// The message part of `:message:action`: the value name without `<>`
/// and colons.
fn message(opt: &Opt<()>) -> String {
    let m: String = opt
        .value_name
        .chars()
        .filter(|c| !matches!(c, '<' | '>'))
        .map(|c| if c == ':' { ' ' } else { c })
        .collect();
    if m.is_empty() {
        "value".to_string()
    } else {
        m
    }
}

fn specs(opt: &Opt<()>, program: &Program) -> Vec<String> {
    let help = spec_text(opt.help);
    let value = format!(
        "{}:{}:{}",
        if opt.arg == HasArg::Optional { ":" } else { "" },
        message(opt),
        action(opt.values, program)
    );
    let short = opt.short.map(|c| format!("-{c}"));
    let long = (!opt.long.is_empty()).then(|| format!("--{}", opt.long));
    let all: Vec<&str> = short
        .iter()
        .chain(long.iter())
        .map(String::as_str)
        .collect();
    // Flags are offered once; options with values may repeat.
    let exclude = match opt.arg {
        HasArg::No => format!("({})", all.join(" ")),
        _ => "*".to_string(),
    };
    let mut out = Vec::new();
    match opt.arg {
        HasArg::No => {
            for name in &all {
                out.push(format!("'{exclude}{name}[{help}]'"));
            }
        }
        HasArg::Required => {
            if let Some(s) = &short {
                out.push(format!("'{exclude}{s}+[{help}]{value}'"));
            }
            if let Some(l) = &long {
                out.push(format!("'{exclude}{l}=[{help}]{value}'"));
            }
        }
        HasArg::Optional => {
            if let Some(s) = &short {
                if opt.short_is_flag {
                    out.push(format!("'{exclude}{s}[{help}]'"));
                } else {
                    out.push(format!("'{exclude}{s}-[{help}]{value}'"));
                }
            }
            if let Some(l) = &long {
                out.push(format!("'{exclude}{l}=-[{help}]{value}'"));
            }
        }
    }
    out
}

/// The completion function of one program.
pub(super) fn script(program: &Program) -> String {
    let doc = &program.doc;
    let name = doc.name;
    let mut out = format!(
        "#compdef {name}\n# zsh completion for {name}, generated by 'nsipc --completion zsh {name}'\n\
         # from nsipc's option table.\n\n{HELPERS}\n_arguments -s -S \\\n"
    );
    for opt in doc.options.iter().filter(|o| !o.help.is_empty()) {
        for spec in specs(opt, program) {
            out.push_str(&format!("  {spec} \\\n"));
        }
    }
    match doc.operands {
        Value::Command => {
            out.push_str("  '(-)1:program:_command_names -e' \\\n  '*::arguments:_normal'\n")
        }
        Value::Words(list) if name == "nsipc" => out.push_str(&format!(
            "  '(-)1:tool:({})' \\\n  '*::arguments:_normal'\n",
            words(list)
        )),
        Value::Text => {
            // No operands: end the spec list.
            out.truncate(out.len() - 3);
            out.push('\n');
        }
        other => out.push_str(&format!(
            "  '1:{}:{}'\n",
            "argument",
            action(other, program).replace('\'', "'\\''")
        )),
    }
    out
}
