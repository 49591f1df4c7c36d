#!/usr/bin/env bash
# Soak test: runs unshare, nsenter and ipcmk/ipcrm many times and checks
# that nothing accumulates: open fds, zombies, IPC objects, mounts and
# processes are counted before and after and must be equal, and every
# program run through unshare/nsenter must see exactly the fds it would see
# without them.
#
#   soak/run.sh [UNSHARE_RUNS [NSENTER_RUNS [IPC_CYCLES]]]
#
# Defaults: 10000 10000 100000 (tens of minutes). tests/cli/soak.rs runs a short
# version (200 200 1000) in the test suite. The binary is $NSIPC, else
# target/release/nsipc, else target/debug/nsipc. Needs root. Everything
# happens in private IPC, mount, UTS, network and PID namespaces made at the
# start (with fresh /dev/shm and /dev/mqueue): the host is not touched.
set -euo pipefail

UNSHARE_RUNS=${1:-10000}
NSENTER_RUNS=${2:-10000}
IPC_CYCLES=${3:-100000}

here=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${NSIPC:-}" ]; then
    for b in "$here/target/release/nsipc" "$here/target/debug/nsipc"; do
        if [ -x "$b" ]; then NSIPC=$b; break; fi
    done
fi
[ -x "${NSIPC:-}" ] || { echo "soak: no nsipc binary (cargo build first, or set NSIPC)" >&2; exit 2; }
export NSIPC UNSHARE_RUNS NSENTER_RUNS IPC_CYCLES

if [ "${SOAK_INSIDE:-}" != 1 ]; then
    # Isolate: new namespaces, private mounts, fresh IPC filesystems.
    isolate=/usr/bin/unshare
    [ -x "$isolate" ] || isolate="$NSIPC unshare"
    exec env SOAK_INSIDE=1 $isolate --ipc --mount --uts --net --pid --fork --mount-proc \
        --propagation private bash "$0" "$@"
fi

mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mkdir -p /dev/mqueue
mount -t mqueue mqueue /dev/mqueue
hostname soak

# The links nsipc is called by.
bindir=$(mktemp -d)
trap 'rm -rf "$bindir"' EXIT
for t in unshare nsenter ipcmk ipcrm ipcs lsipc lsns; do ln -s "$NSIPC" "$bindir/$t"; done
U=$bindir/unshare N=$bindir/nsenter MK=$bindir/ipcmk RM=$bindir/ipcrm

# Counted with shell builtins where possible, so that counting starts no
# process of its own beyond the command substitution.
fds() { local f=(/proc/$$/fd/*); echo ${#f[@]}; }
processes() { local p=(/proc/[0-9]*); echo ${#p[@]}; }
zombies() {
    local n=0 s line
    for s in /proc/[0-9]*/stat; do
        read -r line < "$s" 2>/dev/null || continue
        line=${line##*) }
        [ "${line:0:1}" = Z ] && n=$((n + 1))
    done
    echo $n
}
ipc_objects() { cat /proc/sysvipc/msg /proc/sysvipc/shm /proc/sysvipc/sem | grep -vc 'key' || true; }
posix_objects() { local f=(/dev/shm/* /dev/mqueue/*); local n=0 x; for x in "${f[@]}"; do [ -e "$x" ] && n=$((n + 1)); done; echo $n; }
mounts() { local n=0 l; while read -r l; do n=$((n + 1)); done < /proc/self/mountinfo; echo $n; }
snapshot() {
    echo "fds=$(fds) zombies=$(zombies) processes=$(processes) sysv=$(ipc_objects) posix=$(posix_objects) mounts=$(mounts)"
}
fail() { echo "soak: FAILED: $*" >&2; exit 1; }

# What a program sees without nsipc: its fds.
probe='ls /proc/self/fd | tr "\n" " "'
baseline=$(sh -c "$probe")

before=$(snapshot)
echo "soak: before: $before"

# A target for nsenter, in namespaces of its own (sleeping); --kill-child
# takes it down with its parent at the end.
$U --kill-child --ipc --uts --mount --net --pid --fork --mount-proc sleep 1000000 &
holder=$!
for _ in $(seq 500); do
    target=$(cat /proc/$holder/task/$holder/children 2>/dev/null | awk '{print $1}')
    [ -n "$target" ] && [ "$(readlink /proc/$target/exe 2>/dev/null)" != "$NSIPC" ] && break
    sleep 0.01
done
[ -n "$target" ] || fail "nsenter target did not start"

start=$(date +%s)

# --- unshare ---------------------------------------------------------------
# "expected-exit-status options...": the bad ones exercise the error paths.
unshare_cases=(
    "0 -i true"
    "0 -u -i -m --propagation private true"
    "0 -f -p --mount-proc true"
    "0 --kill-child -i true"
    "0 -n -i -f true"
    "127 -i /nonexistent/program"
    "1 --map-users=abc true"
    "1 -U -r --map-users=0:0:0 true"
)
for i in $(seq "$UNSHARE_RUNS"); do
    set -- ${unshare_cases[$((i % ${#unshare_cases[@]}))]}
    want=$1; shift
    rc=0; $U "$@" >/dev/null 2>&1 || rc=$?
    [ "$rc" = "$want" ] || fail "unshare $*: exit $rc, expected $want"
    if [ $((i % 100)) = 0 ]; then
        seen=$($U -i -f sh -c "$probe")
        [ "$seen" = "$baseline" ] || fail "unshare run $i: program saw fds '$seen', expected '$baseline'"
    fi
done
t_unshare=$(($(date +%s) - start))
echo "soak: $UNSHARE_RUNS unshare runs in ${t_unshare}s: $(snapshot)"

# --- nsenter ---------------------------------------------------------------
nsenter_cases=(
    "0 -t $target -i -u true"
    "0 -t $target -m -n true"
    "0 -t $target -p true"
    "0 -t $target -a true"
    "0 -t $target -i -u -m -n -p -r -w true"
    "1 -t 99999999 -i true"
    "127 -t $target -i /nonexistent/program"
    "1 --net=/proc/self/ns/ipc true"
)
start=$(date +%s)
for i in $(seq "$NSENTER_RUNS"); do
    set -- ${nsenter_cases[$((i % ${#nsenter_cases[@]}))]}
    want=$1; shift
    rc=0; $N "$@" >/dev/null 2>&1 || rc=$?
    [ "$rc" = "$want" ] || fail "nsenter $*: exit $rc, expected $want"
    if [ $((i % 100)) = 0 ]; then
        seen=$($N -t "$target" -a sh -c "$probe")
        [ "$seen" = "$baseline" ] || fail "nsenter run $i: program saw fds '$seen', expected '$baseline'"
    fi
done
t_nsenter=$(($(date +%s) - start))
echo "soak: $NSENTER_RUNS nsenter runs in ${t_nsenter}s: $(snapshot)"

# --- ipcmk / ipcrm ---------------------------------------------------------
id_of() { sed -n 's/.*: //p'; }
start=$(date +%s)
for i in $(seq "$IPC_CYCLES"); do
    case $((i % 6)) in
        0) id=$($MK -Q | id_of) && $RM -q "$id" ;;
        1) id=$($MK -M 4096 | id_of) && $RM -m "$id" ;;
        2) id=$($MK -S 3 | id_of) && $RM -s "$id" ;;
        3) $MK -m 4096 -n /soak >/dev/null && $RM --posix-shmem /soak ;;
        4) $MK -q -n /soak >/dev/null && $RM --posix-mqueue /soak ;;
        5) $MK -s -n /soak >/dev/null && $RM --posix-semaphore /soak ;;
    esac || fail "ipc cycle $i (kind $((i % 6)))"
done
t_ipc=$(($(date +%s) - start))
echo "soak: $IPC_CYCLES ipcmk/ipcrm cycles in ${t_ipc}s: $(snapshot)"

kill -KILL "$holder"
wait "$holder" 2>/dev/null || true
# Orphans of the killed target are reaped by this shell (PID 1 here):
# give them a moment.
for _ in $(seq 200); do
    after=$(snapshot)
    [ "$before" = "$after" ] && break
    sleep 0.05
done
echo "soak: after: $after"
[ "$before" = "$after" ] || fail "before ($before) != after ($after)"
echo "soak: OK unshare=$UNSHARE_RUNS/${t_unshare}s nsenter=$NSENTER_RUNS/${t_nsenter}s ipc=$IPC_CYCLES/${t_ipc}s"
