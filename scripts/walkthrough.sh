#!/usr/bin/env bash
# The IPC-namespace walkthrough, step by step, with nsipc's own tools only
# (unshare, nsenter, ipcs and ipcmk in PATH must be nsipc's links;
# scripts/demo.sh installs them). Runs non-interactively as root and exits 0.
#
# Every command is printed with the prompt of the shell a reader would type
# it in (`root@ubuntu:~# ipcmk -Q`), then run, and its output shown:
#   1. the first shell, standing for the host: its namespaces, its hostname,
#      a message queue made with `ipcmk -Q`;
#   2. a second terminal: `unshare -iu bash` (new IPC and UTS namespaces),
#      renamed container001, which does not see the first queue and makes
#      its own;
#   3. the first shell again, unchanged, and `nsenter -t PID -u -i` joining
#      the second shell's namespaces;
#   4. a summary table: each namespace's IPC and UTS inode, hostname and the
#      queues it sees.
#
# The host's queues, hostname and mounts are never touched: before step 1
# the script moves itself into a private IPC + UTS + mount namespace with a
# fresh /dev/mqueue and the hostname "ubuntu", which plays the host's part.
set -euo pipefail

if [ -z "${NSIPC_WALKTHROUGH_OUTER:-}" ]; then
    for tool in unshare nsenter ipcs ipcmk; do
        path=$(command -v "$tool" || true)
        if [ -z "$path" ] || [ "$(basename "$(readlink -f "$path")")" != nsipc ]; then
            echo "walkthrough: '$tool' in PATH is not nsipc's (found: ${path:-nothing})" >&2
            exit 1
        fi
    done
    # What the summary reports for this machine's own namespaces, which the
    # walkthrough then leaves alone.
    NSIPC_WALKTHROUGH_HOST="$(stat -L -c %i /proc/self/ns/ipc) $(stat -L -c %i /proc/self/ns/uts) $(hostname)"
    export NSIPC_WALKTHROUGH_HOST NSIPC_WALKTHROUGH_OUTER=1
    exec unshare --ipc --uts --mount --mount-mqueue --hostname=ubuntu -- bash "$0" "$@"
fi

# Refuse to go on unless the outer namespaces really are new: the steps
# below create a queue and set a hostname.
for ns in ipc uts mnt; do
    if [ "$(readlink /proc/$$/ns/$ns)" = "$(readlink /proc/$PPID/ns/$ns)" ]; then
        echo "walkthrough: not in a private $ns namespace, stopping" >&2
        exit 1
    fi
done

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
# The prompt of an interactive root shell (bash's `\u@\h:\w# `). As in
# bash, the hostname is the one the shell started with (`prompt_host` is
# not exported: a new shell reads it again). Called in a command
# substitution, so the callers set `prompt_host`.
prompt() {
    local dir=$PWD
    [ -n "${HOME:-}" ] && [ "${dir#"$HOME"}" != "$dir" ] && dir="~${dir#"$HOME"}"
    printf '%s@%s:%s# ' "$(id -un)" "$prompt_host" "$dir"
}
# Shows a command as typed after the prompt, then runs it.
step() {
    : "${prompt_host:=$(hostname)}"
    printf '%s%s%s%s\n' "$bold" "$(prompt)" "$1" "$plain"
    eval "$1"
}
# Shows a command typed at the prompt that starts another shell.
typed() {
    : "${prompt_host:=$(hostname)}"
    printf '%s%s%s%s\n' "$bold" "$(prompt)" "$1" "$plain"
}
title() { printf '\n%s== %s ==%s\n' "$bold" "$1" "$plain"; }
# A remark between commands, as a shell comment.
say() { printf '# %s\n' "$@"; }
# One summary row: IPC inode, UTS inode, hostname, keys of the queues seen.
facts() {
    local keys
    keys=$(ipcs -q | awk '/^0x/ { print $1 }' | paste -sd, -)
    printf '%s %s %s %s\n' "$(stat -L -c %i /proc/self/ns/ipc)" \
        "$(stat -L -c %i /proc/self/ns/uts)" "$(hostname)" "${keys:-none}"
}
export -f prompt step typed title say facts
export bold plain

cd ~ 2>/dev/null || cd /
tmp=$(mktemp -d)
second=
cleanup() {
    if [ -n "$second" ]; then
        kill "$second" 2>/dev/null || true
        wait "$second" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

read -r host_ipc host_uts host_name <<<"$NSIPC_WALKTHROUGH_HOST"
printf '%s\n' "The IPC-namespace walkthrough, with nsipc's tools." \
    "" \
    "The first shell below stands for the host. So that this demo leaves the real" \
    "host ($host_name: IPC namespace $host_ipc, UTS namespace $host_uts) untouched, it" \
    "was started just now, before step 1, in a private IPC + UTS + mount namespace:" \
    "  unshare --ipc --uts --mount --mount-mqueue --hostname=ubuntu bash" \
    "so the first shell's hostname is \"ubuntu\" and its queues are its own."

title "1. The first shell (the host): its namespaces, its name, a queue"
step 'readlink /proc/$$/ns/uts /proc/$$/ns/ipc'
step 'hostname'
step 'ipcs -q'
step 'ipcmk -Q'
step 'ipcs -q'

title "2. A second terminal: new IPC and UTS namespaces"
say "unshare -iu starts bash in a new IPC namespace (no queues) and a new UTS" \
    "namespace (a copy of the first shell's: still named ubuntu until renamed)."
typed 'unshare -iu bash'
mkfifo "$tmp/ready"
# The second shell reads its commands from a file, as a person would type
# them (`exec bash` replaces it by a shell that reads on from the same
# file); it writes its summary row, signals the fifo, then stays alive (as
# the same process: unshare and bash exec) so that nsenter can join it.
cat >"$tmp/second.sh" <<'EOF'
step 'echo $$'
step 'readlink /proc/$$/ns/uts /proc/$$/ns/ipc'
step 'hostname container001'
say "(the prompt shows the new name in a new shell)"
typed 'exec bash'
exec bash
step 'hostname'
step 'ipcs -q'
step 'ipcmk -Q'
step 'ipcs -q'
facts >"$NSIPC_WALKTHROUGH_TMP/second.facts"
echo ready >"$NSIPC_WALKTHROUGH_TMP/ready"
exec sleep 1000
EOF
NSIPC_WALKTHROUGH_TMP=$tmp unshare -iu bash <"$tmp/second.sh" &
second=$!
read -r _ <"$tmp/ready"

title "3. The first shell again: its queue and its name are unchanged"
step 'hostname'
step 'ipcs -q'
say "nsipc's unshare can also set the name itself, in one command:"
step 'unshare -iu --hostname=container001 hostname'
say "nsenter joins the second shell's UTS and IPC namespaces (PID $second," \
    "its 'echo \$\$' above):"
step "nsenter -t $second -u -i readlink /proc/self/ns/uts /proc/self/ns/ipc"
step "nsenter -t $second -u -i hostname"
step "nsenter -t $second -u -i ipcs -q"

title "Summary"
{
    printf '%s %s %s %s\n' "$host_ipc" "$host_uts" "$host_name" "-"
    facts
    cat "$tmp/second.facts"
    nsenter -t "$second" -u -i bash -c facts
} | {
    printf '%-36s %-11s %-11s %-14s %s\n' namespace "IPC inode" "UTS inode" hostname "queues seen"
    for row in "this machine (not used)" "first shell (stands for the host)" \
        "second shell (unshare -iu bash)" "nsenter -t $second -u -i"; do
        read -r ipc uts name keys
        printf '%-36s %-11s %-11s %-14s %s\n' "$row" "$ipc" "$uts" "$name" "$keys"
    done
}

trap - EXIT
cleanup
