#!/bin/bash
# Holders benchmark: the cost of the one /proc pass behind lsipc's HOLDERS,
# NHOLDERS and --orphans with PROCS extra processes and SEGMENTS System V
# segments (2,000 x 4,000 by default), half of the segments attached by
# one process (4,000 more /SYSV lines in its maps).
#
#   sudo bench/holders/run.sh         # RUNS=11 by default; needs root
#
# Re-executes itself under `unshare -i` (a private IPC namespace: the
# host's objects are never touched). The processes are `sleep`s in that
# namespace, killed at the end. Prints the median wall time of `lsipc -m`
# without and with the holder columns, and of `lsipc -m --orphans`, over
# RUNS runs. Not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-11} PROCS=${PROCS:-2000} SEGMENTS=${SEGMENTS:-4000}

if [ "${1:-}" != --inside ]; then
    cargo build --release -q -p nsipc-cli
    rustc -O --edition 2021 -o target/release/holders-bench-attach bench/holders/attach.rs
    exec /usr/bin/unshare -i "$0" --inside
fi
echo 32768 > /proc/sys/kernel/shmmni
NSIPC=$PWD/target/release/nsipc
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; }
trap cleanup EXIT
# Makes SEGMENTS segments, attaches every other one, and waits.
target/release/holders-bench-attach "$SEGMENTS" & pids+=($!)
for ((i = 0; i < PROCS; i++)); do sleep 600 & pids+=($!); done
while [ "$(($(wc -l < /proc/sysvipc/shm) - 1))" -lt "$SEGMENTS" ]; do sleep 0.1; done
sleep 1
printf 'segments: %s; processes on the machine: %s; %s runs each\n' \
    "$(($(wc -l < /proc/sysvipc/shm) - 1))" "$(ls -d /proc/[0-9]* | wc -l)" "$RUNS"

lsipc_ours() { (exec -a lsipc "$NSIPC" "$@"); }
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
printf '%-44s %10s\n' command "median ms"
for args in "-m" "-m -o ID,NATTCH,NHOLDERS,HOLDERS" "-m --orphans"; do
    # shellcheck disable=SC2086
    printf '%-44s %10s\n' "lsipc $args" "$(median_ms lsipc_ours $args)"
done
