//! bash completion scripts: one function per program, `_nsipc_<name>`,
//! registered with `complete -F`. Values are completed by kind (see
//! [`Value`]); the helper functions below are repeated in every script so
//! that each file works alone (bash-completion loads them one by one).

use crate::getopt::{HasArg, Opt};
use crate::values::{Posix, Value};

use super::Program;

/// Helpers shared by the generated functions. `$1` is always the text
/// typed so far.
const HELPERS: &str = r#"_nsipc_words()
{
	local val=$1; shift
	local IFS=$'\n'
	COMPREPLY=( $(compgen -W "$*" -- "$val") )
}
_nsipc_pids()
{
	local p pids=()
	for p in /proc/[0-9]*; do pids+=("${p#/proc/}"); done
	_nsipc_words "$1" "${pids[@]}"
}
_nsipc_files()
{
	compopt -o filenames 2>/dev/null
	local IFS=$'\n'
	COMPREPLY=( $(compgen -f -- "$1") )
}
_nsipc_dirs()
{
	compopt -o filenames 2>/dev/null
	local IFS=$'\n'
	COMPREPLY=( $(compgen -d -- "$1") )
}
_nsipc_pids_files()
{
	_nsipc_files "$1"
	local files=("${COMPREPLY[@]}")
	_nsipc_pids "$1"
	COMPREPLY+=("${files[@]}")
}
_nsipc_commands()
{
	if [[ $1 == */* ]]; then
		_nsipc_files "$1"
	else
		local IFS=$'\n'
		COMPREPLY=( $(compgen -c -- "$1") )
	fi
}
# A comma-separated list: $1 typed text, $2 '+' when a leading '+' is
# allowed, then the items; items already in the list are not offered again.
_nsipc_list()
{
	local val=$1 plus=
	if [[ $2 == + && $val == +* ]]; then plus=+; val=${val#+}; fi
	shift 2
	local last=${val##*,}
	local done=${val%"$last"} item items=()
	for item in "$@"; do
		[[ ,$done == *",$item,"* ]] || items+=("$item")
	done
	compopt -o nospace 2>/dev/null
	local IFS=$'\n'
	COMPREPLY=( $(compgen -P "$plus$done" -S , -W "${items[*]}" -- "$last") )
}
# $1 passwd or group, $2 typed text, then extra words: numeric ids.
_nsipc_ids()
{
	local db=$1 val=$2; shift 2
	local ids=() line
	while IFS=: read -r _ _ line _; do ids+=("$line"); done < <(getent "$db" 2>/dev/null || cat "/etc/$db")
	_nsipc_words "$val" "${ids[@]}" "$@"
}
# $1 id or key, $2 typed text, then /proc/sysvipc file names.
_nsipc_sysv()
{
	local what=$1 val=$2 f key id rest words=()
	shift 2
	for f in "$@"; do
		[[ -r /proc/sysvipc/$f ]] || continue
		{
			read -r rest
			while read -r key id rest; do
				if [[ $what == id ]]; then
					words+=("$id")
				elif (( key != 0 )); then
					printf -v key '0x%08x' $(( key & 0xffffffff ))
					words+=("$key")
				fi
			done
		} < "/proc/sysvipc/$f"
	done
	_nsipc_words "$val" "${words[@]}"
}
# $1 mqueue, shm or sem, $2 typed text: names of live POSIX objects.
_nsipc_posix()
{
	local f words=()
	case $1 in
	mqueue) for f in /dev/mqueue/*; do [[ -e $f ]] && words+=("/${f##*/}"); done ;;
	shm) for f in /dev/shm/*; do [[ -f $f && ${f##*/} != sem.* ]] && words+=("/${f##*/}"); done ;;
	sem) for f in /dev/shm/sem.*; do [[ -f $f ]] && words+=("/${f##*/sem.}"); done ;;
	esac
	_nsipc_words "$2" "${words[@]}"
}
_nsipc_nsinodes()
{
	local link words=()
	while read -r link; do
		link=${link##*[}
		words+=("${link%]}")
	done < <(readlink /proc/[0-9]*/ns/* 2>/dev/null | sort -u)
	_nsipc_words "$1" "${words[@]}"
}
"#;

fn quote_words(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("'{}'", w.replace('\'', "'\\''")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The shell command that fills COMPREPLY for a value of this kind, from
/// the typed text in `$val`.
fn action(value: Value, program: &Program) -> String {
    match value {
        Value::Text => ":".to_string(),
        Value::Words(words) => format!("_nsipc_words \"$val\" {}", quote_words(words)),
        Value::Pid => "_nsipc_pids \"$val\"".to_string(),
        Value::PidOrFile => "_nsipc_pids_files \"$val\"".to_string(),
        Value::NsFile | Value::File => "_nsipc_files \"$val\"".to_string(),
        Value::Dir => "_nsipc_dirs \"$val\"".to_string(),
        Value::Command => "_nsipc_commands \"$val\"".to_string(),
        Value::Columns => {
            let names: Vec<&str> = program.columns.iter().map(|(n, _)| *n).collect();
            format!("_nsipc_list \"$val\" + {}", quote_words(&names))
        }
        Value::Signal => {
            let names = super::signal_names();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            format!("_nsipc_words \"$val\" {}", quote_words(&names))
        }
        Value::User(extra) => format!("_nsipc_words \"$val\" $(compgen -u) {}", quote_words(extra)),
        Value::Group(extra) => {
            format!("_nsipc_words \"$val\" $(compgen -g) {}", quote_words(extra))
        }
        Value::Uid(extra) => format!("_nsipc_ids passwd \"$val\" {}", quote_words(extra)),
        Value::Gid(extra) => format!("_nsipc_ids group \"$val\" {}", quote_words(extra)),
        Value::SysvId(kind) => format!("_nsipc_sysv id \"$val\" {}", kind.proc_files().join(" ")),
        Value::SysvKey(kind) => {
            format!("_nsipc_sysv key \"$val\" {}", kind.proc_files().join(" "))
        }
        Value::PosixName(kind) => format!(
            "_nsipc_posix {} \"$val\"",
            match kind {
                Posix::Mqueue => "mqueue",
                Posix::Shm => "shm",
                Posix::Sem => "sem",
            }
        ),
        Value::NsInode => "_nsipc_nsinodes \"$val\"".to_string(),
        Value::EnvVars => "_nsipc_list \"$val\" '' $(compgen -e)".to_string(),
    }
}

fn names(opt: &Opt<()>, short: bool) -> Vec<String> {
    let mut v = Vec::new();
    if short {
        if let Some(c) = opt.short {
            v.push(format!("-{c}"));
        }
    }
    if !opt.long.is_empty() {
        v.push(format!("--{}", opt.long));
    }
    v
}

/// The completion script of one program.
pub(super) fn script(program: &Program) -> String {
    let doc = &program.doc;
    let name = doc.name;
    let visible: Vec<&Opt<()>> = doc.options.iter().filter(|o| !o.help.is_empty()).collect();
    // Options whose value may be the next word.
    let separate: Vec<String> = visible
        .iter()
        .filter(|o| o.arg == HasArg::Required)
        .flat_map(|o| names(o, true))
        .collect();
    let separate = if separate.is_empty() {
        "--nsipc-none".to_string()
    } else {
        separate.join("|")
    };
    let mut cases = String::new();
    for opt in visible.iter().filter(|o| o.arg != HasArg::No) {
        let short = opt.arg == HasArg::Required;
        cases.push_str(&format!(
            "\t\t{})\n\t\t\t{}\n\t\t\t;;\n",
            names(opt, short).join("|"),
            action(opt.values, program)
        ));
    }
    let stop = doc.operands == Value::Command || name == "nsipc";
    let after_program = if name == "nsipc" {
        // `nsipc TOOL ARGS…`: complete ARGS as TOOL's own completion does.
        "\t\tlocal tool=${COMP_WORDS[i]}\n\
         \t\tif ! declare -F \"_nsipc_$tool\" >/dev/null; then\n\
         \t\t\tdeclare -F _completion_loader >/dev/null && _completion_loader \"$tool\"\n\
         \t\tfi\n\
         \t\tif declare -F \"_nsipc_$tool\" >/dev/null; then\n\
         \t\t\tCOMP_WORDS=(\"${COMP_WORDS[@]:i}\")\n\
         \t\t\t(( COMP_CWORD -= i ))\n\
         \t\t\t\"_nsipc_$tool\" \"$tool\"\n\
         \t\tfi\n\
         \t\treturn 0\n"
            .to_string()
    } else {
        "\t\tif declare -F _command_offset >/dev/null; then\n\
         \t\t\t_command_offset \"$i\"\n\
         \t\telse\n\
         \t\t\t_nsipc_files \"$cur\"\n\
         \t\tfi\n\
         \t\treturn 0\n"
            .to_string()
    };
    let operands = match doc.operands {
        // No operands: offer the options, as util-linux's scripts do.
        Value::Text => "\t_nsipc_words \"$cur\" $opts\n".to_string(),
        other => format!("\tval=$cur\n\t{}\n", action(other, program)),
    };
    let mut out = format!(
        "# bash completion for {name}, generated by 'nsipc --completion bash {name}'\n\
         # from nsipc's option table.\n\n{HELPERS}"
    );
    out.push_str(&format!(
        "_nsipc_{fname}()\n{{\n\
         \tlocal cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}}\n\
         \tlocal opt= val= pre= i=1 word\n\
         \tlocal opts={opts}\n\
         \tCOMPREPLY=()\n",
        fname = name,
        opts = quote_words(&[&super::option_words(doc).join(" ")]),
    ));
    if stop {
        out.push_str(&format!(
            "\t# The first operand is the program: complete its own arguments after it.\n\
             \twhile (( i < COMP_CWORD )); do\n\
             \t\tword=${{COMP_WORDS[i]}}\n\
             \t\tcase $word in\n\
             \t\t--) (( i++ )); break ;;\n\
             \t\t{separate}) (( i += 2 )); continue ;;\n\
             \t\t-*|=) ;;\n\
             \t\t*) [[ ${{COMP_WORDS[i-1]}} == = ]] || break ;;\n\
             \t\tesac\n\
             \t\t(( i++ ))\n\
             \tdone\n\
             \tif (( i < COMP_CWORD )); then\n{after_program}\tfi\n"
        ));
    }
    out.push_str(&format!(
        "\t# --opt=value arrives as '--opt' '=' 'value' when '=' breaks words.\n\
         \tif [[ $cur == = ]]; then\n\
         \t\topt=$prev val=\n\
         \telif [[ $prev == = ]] && (( COMP_CWORD >= 2 )); then\n\
         \t\topt=${{COMP_WORDS[COMP_CWORD-2]}} val=$cur\n\
         \telif [[ $cur == --*=* ]]; then\n\
         \t\topt=${{cur%%=*}} val=${{cur#*=}} pre=${{cur%%=*}}=\n\
         \telse\n\
         \t\tcase $prev in\n\
         \t\t{separate}) opt=$prev val=$cur ;;\n\
         \t\tesac\n\
         \tfi\n\
         \tif [[ -n $opt ]]; then\n\
         \t\tcase $opt in\n{cases}\
         \t\t*) opt= ;;\n\
         \t\tesac\n\
         \tfi\n\
         \tif [[ -n $opt ]]; then\n\
         \t\t[[ -n $pre ]] && COMPREPLY=(\"${{COMPREPLY[@]/#/$pre}}\")\n\
         \t\treturn 0\n\
         \tfi\n\
         \tif [[ $cur == -* ]]; then\n\
         \t\t_nsipc_words \"$cur\" $opts\n\
         \t\t[[ ${{#COMPREPLY[@]}} == 1 && $COMPREPLY == *= ]] && compopt -o nospace 2>/dev/null\n\
         \t\treturn 0\n\
         \tfi\n{operands}\
         \treturn 0\n}}\n\
         complete -F _nsipc_{name} {name}\n",
    ));
    out
}
