#!/usr/bin/env bash
# The seed's walkthrough (IPC namespace isolation), step by step, with
# nsipc's own tools only (unshare, nsenter, ipcs, ipcmk must be nsipc's
# links in PATH; scripts/demo.sh installs them).
#
# The seed used two terminal windows on a real host. Here the "first window"
# is a private outer IPC + UTS + mount namespace made with nsipc's unshare,
# so the host's queues, hostname and mounts are never touched; the "second
# window" is a background process in a new IPC + UTS namespace, which
# nsenter joins at the end. Runs non-interactively and exits 0.
set -euo pipefail

if [ -z "${NSIPC_WALKTHROUGH_OUTER:-}" ]; then
    for tool in unshare nsenter ipcs ipcmk; do
        path=$(command -v "$tool" || true)
        if [ -z "$path" ] || [ "$(basename "$(readlink -f "$path")")" != nsipc ]; then
            echo "walkthrough: '$tool' in PATH is not nsipc's (found: ${path:-nothing})" >&2
            exit 1
        fi
    done
    export NSIPC_WALKTHROUGH_OUTER=1
    # The outer namespace: its own queues (and /dev/mqueue), its own name.
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

# Prints a command, then runs it (bold on a terminal, plain otherwise).
if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
step() { printf '\n%s$ %s%s\n' "$bold" "$*" "$plain"; "$@"; }
say() { printf '\n%s# %s%s\n' "$bold" "$*" "$plain"; }

tmp=$(mktemp -d)
inner=
cleanup() {
    if [ -n "$inner" ]; then
        kill "$inner" 2>/dev/null || true
        wait "$inner" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

say "first window: note the UTS and IPC namespaces, the hostname, the queues"
step readlink /proc/$$/ns/uts /proc/$$/ns/ipc
step hostname
step ipcs -q
step ipcmk -Q
step ipcs -q

say "second window: unshare -iu bash (new IPC and UTS namespaces)"
mkfifo "$tmp/ready"
export -f step
export bold plain
# The inner shell runs the seed's steps, signals the fifo, then stays alive
# (as the same process) so that nsenter can join its namespaces.
unshare -iu bash -c '
    step readlink /proc/$$/ns/uts /proc/$$/ns/ipc
    step hostname container001
    step hostname
    step ipcs -q
    step ipcmk -Q
    step ipcs -q
    echo ready > "$1"
    exec sleep 1000
' inner "$tmp/ready" &
inner=$!
read -r _ < "$tmp/ready"

say "the same in one command: nsipc's unshare sets the hostname itself"
step unshare -iu --hostname=container001 hostname

say "first window again: its queue and its name are unchanged"
step hostname
step ipcs -q

say "first window: nsenter joins the second window's UTS and IPC namespaces"
step nsenter -t "$inner" -u -i readlink /proc/self/ns/uts /proc/self/ns/ipc
step nsenter -t "$inner" -u -i hostname
step nsenter -t "$inner" -u -i ipcs -q

trap - EXIT
cleanup
