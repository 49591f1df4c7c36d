#!/bin/bash
# lsipc benchmark: nsipc lsipc against util-linux lsipc (`-q`, `-s`, `-g`)
# on 32,000 message queues, 32,000 semaphore sets and 4,096 shared memory
# segments in a private IPC namespace.
#
#   sudo bench/lsipc/run.sh           # RUNS=11 by default; needs root
#
# Builds the release binary and the filler shared with the ipcs benchmark
# (bench/ipcs/fill.rs), then re-executes itself under `unshare -i` so the
# host's IPC objects are never touched (the limits raised below are per IPC
# namespace). Prints the median wall time of each command over RUNS runs
# and the ratios. Not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-11}
. bench/fill.sh

if [ "${1:-}" != --inside ]; then
    fill_setup
    exec /usr/bin/unshare -i "$0" --inside
fi
fill_namespace "$RUNS"

NSIPC=$PWD/target/release/nsipc
lsipc_ours() { (exec -a lsipc "$NSIPC" "$@"); }

# Median wall time in milliseconds of "$@" with stdout to /dev/null.
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

printf '%-16s %14s %14s %8s\n' command "nsipc ms" "util-linux ms" speedup
for args in "-q" "-s" "-g"; do
    # The same output (lsipc -g differs on purpose: POSIX rows, wording,
    # SEMMNS), or the comparison is meaningless.
    if [ "$args" != -g ]; then
        cmp <(lsipc_ours $args) <(/usr/bin/lsipc $args) || { echo "outputs differ: $args" >&2; exit 1; }
    fi
    # shellcheck disable=SC2086
    ours=$(median_ms lsipc_ours $args)
    # shellcheck disable=SC2086
    theirs=$(median_ms /usr/bin/lsipc $args)
    printf '%-16s %14s %14s %7sx\n' "lsipc $args" "$ours" "$theirs" "$(ratio "$theirs" "$ours")"
done
