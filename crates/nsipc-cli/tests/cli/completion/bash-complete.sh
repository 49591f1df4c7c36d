# Runs one bash completion function as bash would, and prints the
# candidates one per line.
# usage: bash bash-complete.sh SCRIPT FUNCTION WORD... (the last word is the
# one being completed; '=' is its own word, as COMP_WORDBREAKS splits it)
script=$1 func=$2
shift 2
# util-linux's scripts call compopt, which only works inside a real
# completion; a no-op keeps their output clean.
compopt() { :; }
source "$script"
COMP_WORDS=("$@")
COMP_CWORD=$(( $# - 1 ))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
"$func" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
