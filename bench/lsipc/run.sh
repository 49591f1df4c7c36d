#!/bin/bash
# lsipc benchmark, in a private IPC + mount namespace (fresh /dev/shm and
# /dev/mqueue): the host's objects are never touched.
#
#   sudo bench/lsipc/run.sh            # RUNS=11 rounds by default; needs root
#   sudo bench/lsipc/run.sh --scale    # also 1k, 8k and 32k objects per kind
#
# - lsipc -q, -s, -m on 32,000 message queues, semaphore sets and segments
#   against util-linux lsipc and the floor `cat /proc/sysvipc/<kind>`
#   (targets: >= 4x faster than util-linux, <= 1.5x the floor);
# - lsipc -Q, -M, -S (POSIX views) on 10,000 queues, segments and
#   semaphores against the floor of listing the directory with the fields
#   lsipc shows (`find -printf`: one stat per object; lsipc also reads each
#   queue's file for -Q and each semaphore's value for -S), and
#   against util-linux master's lsipc if LSIPC_MASTER names one (2.38.1 has
#   no POSIX views; target >= 3x faster than master).
# ROW lines as bench/lib.sh describes; outputs are compared first.
# --scale adds SCALE lines: nsipc's median time at 1,000, 8,000 and 32,000
# objects of each kind (it must grow linearly: constant time per object).
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib.sh
RUNS=${RUNS:-11}
POSIX=${POSIX:-10000}

if [ "${1:-}" != --inside ] && [ "${2:-}" != --inside ]; then
    cargo build --release -q -p nsipc-cli
    rustc -O --edition 2021 -o target/release/ipcs-bench-fill bench/ipcs/fill.rs
    cc -O2 -o target/release/lsipc-bench-fill-posix bench/lsipc/fill-posix.c
    exec /usr/bin/unshare -im "$0" "${1:-}" --inside
fi
SCALE=
[ "${1:-}" = --scale ] && SCALE=1

mount -t tmpfs tmpfs /dev/shm
mount -t mqueue none /dev/mqueue
# The limits are per IPC namespace.
echo 32768 > /proc/sys/kernel/msgmni
echo 32768 > /proc/sys/kernel/shmmni
printf '250\t1024000000\t500\t32768\n' > /proc/sys/kernel/sem
echo $((POSIX + 256)) > /proc/sys/fs/mqueue/queues_max

tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
ln -s "$PWD/target/release/nsipc" "$tools/lsipc"
OURS=$tools/lsipc UL=/usr/bin/lsipc
FILL=target/release/ipcs-bench-fill

# fill N: exactly N queues, sets and segments.
fill() {
    /usr/bin/ipcrm -a > /dev/null 2>&1 || true
    "$FILL" "$1" "$1" "$1"
}

sysv_rows() {
    local n=$1 opt kind
    for opt in q s m; do
        case $opt in q) kind=msg ;; s) kind=sem ;; m) kind=shm ;; esac
        cmp <("$OURS" -$opt) <("$UL" -$opt) || { echo "outputs differ: lsipc -$opt" >&2; exit 1; }
        rounds "lsipc -$opt, $n objects" "$RUNS" "$OURS -$opt" "$UL -$opt" "cat /proc/sysvipc/$kind"
    done
}

if [ -n "$SCALE" ]; then
    for n in 1000 8000 32000; do
        fill "$n"
        sysv_rows "$n" | while IFS='|' read -r tag label ours _; do
            [ "$tag" = ROW ] && echo "SCALE|${label%%,*}|$n|$ours"
        done
    done
fi

fill 32000
sysv_rows 32000
rounds "lsipc -g" "$RUNS" "$OURS -g" "$UL -g" ""

/usr/bin/ipcrm -a > /dev/null 2>&1 || true
target/release/lsipc-bench-fill-posix "$POSIX" "$POSIX" "$POSIX"
for opt in Q M S; do
    case $opt in
        Q) floor="find /dev/mqueue -maxdepth 1 -type f -printf '%f %m %u %TT %s\n'" ;;
        M) floor="find /dev/shm -maxdepth 1 -type f ! -name 'sem.*' -printf '%f %m %u %TT %s\n'" ;;
        S) floor="find /dev/shm -maxdepth 1 -type f -name 'sem.*' -printf '%f %m %u %TT %s\n'" ;;
    esac
    master=
    if [ -n "${LSIPC_MASTER:-}" ]; then
        master="$LSIPC_MASTER -$opt"
        cmp <("$OURS" -$opt) <($master) || echo "note: lsipc -$opt differs from $LSIPC_MASTER" >&2
    fi
    rounds "lsipc -$opt, $POSIX objects" "$RUNS" "$OURS -$opt" "$master" "$floor"
done
