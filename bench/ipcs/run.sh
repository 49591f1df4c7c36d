#!/bin/bash
# ipcs benchmark: nsipc ipcs against util-linux ipcs and the floor (just
# reading /proc/sysvipc/*), on 32,000 message queues, 32,000 semaphore sets
# and 4,096 shared memory segments, in a private IPC namespace.
#
#   sudo bench/ipcs/run.sh            # RUNS=15 by default; needs root
#
# Builds the release binary, then re-executes itself under `unshare -i` so
# the host's IPC objects are never touched (the limits raised below are
# per IPC namespace too). Prints the median wall time of each command over
# RUNS runs and the ratios. Not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-15}
QUEUES=${QUEUES:-32000} SETS=${SETS:-32000} SEGMENTS=${SEGMENTS:-4096}

if [ "${1:-}" != --inside ]; then
    cargo build --release -q -p nsipc-cli
    rustc -O --edition 2021 -o target/release/ipcs-bench-fill bench/ipcs/fill.rs
    exec /usr/bin/unshare -i "$0" --inside
fi

echo 32768 > /proc/sys/kernel/msgmni
echo 32768 > /proc/sys/kernel/shmmni
printf '250\t1024000000\t500\t32768\n' > /proc/sys/kernel/sem
target/release/ipcs-bench-fill "$QUEUES" "$SETS" "$SEGMENTS"
printf 'objects: %s queues, %s semaphore sets, %s segments; %s runs each\n' \
    "$(($(wc -l < /proc/sysvipc/msg) - 1))" "$(($(wc -l < /proc/sysvipc/sem) - 1))" \
    "$(($(wc -l < /proc/sysvipc/shm) - 1))" "$RUNS"

NSIPC=$PWD/target/release/nsipc
# Same output, or the comparison is meaningless.
cmp <("$NSIPC" ipcs) <(/usr/bin/ipcs) || { echo "outputs differ" >&2; exit 1; }

# Median wall time in milliseconds of "$@" with stdout to /dev/null.
# EPOCHREALTIME avoids forking a `date` around each run.
median_ms() {
    local times=() i start end
    for ((i = 0; i < RUNS; i++)); do
        start=$EPOCHREALTIME
        "$@" > /dev/null
        end=$EPOCHREALTIME
        times+=("$start $end")
    done
    printf '%s\n' "${times[@]}" | awk '{ print ($2 - $1) * 1000 }' | sort -g |
        awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

floor=$(median_ms cat /proc/sysvipc/msg /proc/sysvipc/shm /proc/sysvipc/sem)
ours=$(median_ms "$NSIPC" ipcs)
theirs=$(median_ms /usr/bin/ipcs)
printf '%-34s %10s %10s\n' command "median ms" ratio
printf '%-34s %10s %10s\n' "cat /proc/sysvipc/* (floor)" "$floor" 1.00
printf '%-34s %10s %10s\n' "nsipc ipcs" "$ours" "$(ratio "$ours" "$floor")"
printf '%-34s %10s %10s\n' "util-linux ipcs" "$theirs" "$(ratio "$theirs" "$floor")"
printf 'nsipc ipcs is %sx faster than util-linux ipcs and %sx the floor\n' \
    "$(ratio "$theirs" "$ours")" "$(ratio "$ours" "$floor")"
