# Completes a command line in a real interactive zsh (through zpty) with
# the completion functions of a directory, and prints every candidate the
# completion system was given, one per line.
# usage: zsh -f zsh-complete.zsh FPATH_DIR 'command line'
zmodload zsh/zpty || exit 2
local dir=$1 line=$2 out=$(mktemp)
zpty z zsh -f -i
zpty -w z "PS1='' fpath=($dir \$fpath); autoload -U compinit; compinit -u -D"
zpty -w z "zstyle ':completion:*' list-prompt ''; zstyle ':completion:*' menu no"
# Record the matches of every compadd call that adds matches.
zpty -w z "compadd() { if (( \${@[(I)-[ODA]*]} )); then builtin compadd \"\$@\"; return; fi; local -a __m; builtin compadd -A __m \"\$@\"; print -rl -- \$__m >> $out; builtin compadd \"\$@\"; }"
# Wait for a marker after each step: zle drops typeahead it reads
# while a command still runs.
sync() {
  zpty -w z "echo __$1''__"
  local text
  while zpty -r z text; do
    [[ $text == *__$1__* && $text != *__$1\'\'__* ]] && break
  done
}
sync SETUP
zpty -w -n z "$line"$'\t'
sleep 0.3
zpty -w -n z $'\C-u'
sync DONE
zpty -d z
sort -u $out
rm -f $out
