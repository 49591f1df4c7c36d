#!/bin/bash
# ipcrm/ipcmk benchmark: nsipc against util-linux on the same work, in a
# private IPC + mount namespace (the host's objects are never touched).
#
#   sudo bench/ipcrm/run.sh           # RUNS=5 by default; needs root
#
# - `ipcrm -a` on 16,000 message queues, 16,000 semaphore sets and 4,096
#   segments (refilled before every run with bench/ipcs/fill.rs; only the
#   removal is timed). /dev/shm and /dev/mqueue are fresh and empty, so
#   nsipc's POSIX pass (which 2.38.1 lacks) costs only two empty listings.
# - 300 runs of `ipcmk -Q -M 4096 -S 1` (process start dominates).
# Prints medians and ratios. Not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-5}
QUEUES=${QUEUES:-16000} SETS=${SETS:-16000} SEGMENTS=${SEGMENTS:-4096}
MAKES=${MAKES:-300}

if [ "${1:-}" != --inside ]; then
    cargo build --release -q -p nsipc-cli
    rustc -O --edition 2021 -o target/release/ipcs-bench-fill bench/ipcs/fill.rs
    exec /usr/bin/unshare -im "$0" --inside
fi

mount -t tmpfs tmpfs /dev/shm
mount -t mqueue none /dev/mqueue
echo 32768 > /proc/sys/kernel/msgmni
echo 32768 > /proc/sys/kernel/shmmni
printf '250\t1024000000\t500\t32768\n' > /proc/sys/kernel/sem
NSIPC=$PWD/target/release/nsipc
FILL=$PWD/target/release/ipcs-bench-fill

objects() { cat /proc/sysvipc/msg /proc/sysvipc/shm /proc/sysvipc/sem | wc -l; }

# Milliseconds of one run of "$@" (stdout to /dev/null), after a refill.
removal_ms() {
    "$FILL" "$QUEUES" "$SETS" "$SEGMENTS"
    local start=$EPOCHREALTIME
    "$@" > /dev/null
    local end=$EPOCHREALTIME
    [ "$(objects)" = 3 ] || { echo "objects left after $*" >&2; exit 1; }
    awk -v a="$start" -v b="$end" 'BEGIN { print (b - a) * 1000 }'
}

# Milliseconds of MAKES runs of "$@", then everything removed (untimed).
makes_ms() {
    local start=$EPOCHREALTIME i
    for ((i = 0; i < MAKES; i++)); do "$@" > /dev/null; done
    local end=$EPOCHREALTIME
    /usr/bin/ipcrm -a
    awk -v a="$start" -v b="$end" 'BEGIN { print (b - a) * 1000 }'
}

median() {
    sort -g | awk '{ v[NR] = $1 } END { printf "%.1f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

ours_rm=$(for ((r = 0; r < RUNS; r++)); do removal_ms "$NSIPC" ipcrm -a; done | median)
theirs_rm=$(for ((r = 0; r < RUNS; r++)); do removal_ms /usr/bin/ipcrm -a; done | median)
ours_mk=$(for ((r = 0; r < RUNS; r++)); do makes_ms "$NSIPC" ipcmk -Q -M 4096 -S 1; done | median)
theirs_mk=$(for ((r = 0; r < RUNS; r++)); do makes_ms /usr/bin/ipcmk -Q -M 4096 -S 1; done | median)

printf '%s queues, %s semaphore sets, %s segments; %s ipcmk runs; median of %s\n' \
    "$QUEUES" "$SETS" "$SEGMENTS" "$MAKES" "$RUNS"
printf '%-36s %10s %10s\n' command "median ms" "util/nsipc"
printf '%-36s %10s %10s\n' "nsipc ipcrm -a" "$ours_rm" "$(ratio "$theirs_rm" "$ours_rm")"
printf '%-36s %10s\n' "util-linux ipcrm -a" "$theirs_rm"
printf '%-36s %10s %10s\n' "nsipc ipcmk -Q -M 4096 -S 1 (x$MAKES)" "$ours_mk" "$(ratio "$theirs_mk" "$ours_mk")"
printf '%-36s %10s\n' "util-linux ipcmk (x$MAKES)" "$theirs_mk"
