#!/bin/bash
# ipcs benchmark: nsipc ipcs against util-linux ipcs and the floor (just
# reading /proc/sysvipc/*), on 32,000 message queues, 32,000 semaphore sets
# and 4,096 shared memory segments, in a private IPC namespace.
#
#   sudo bench/ipcs/run.sh            # RUNS=15 by default; needs root
#
# Builds the release binary, then re-executes itself under `unshare -i` so
# the host's IPC objects are never touched (the limits raised below are
# per IPC namespace too). Prints the median wall and CPU time of each
# command over RUNS interleaved rounds, and the ratios. Not part of the test
# suite. Also prints the ROW line of bench/lib.sh (wall-time medians,
# per-round ratios, and the peak RSS of one run of nsipc and of util-linux
# ipcs on the same state) for bench/run.sh's table.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-15}
. bench/fill.sh
. bench/lib.sh

if [ "${1:-}" != --inside ]; then
    fill_setup
    exec /usr/bin/unshare -i "$0" --inside
fi
fill_namespace "$RUNS"

NSIPC=$PWD/target/release/nsipc
# Same output, or the comparison is meaningless.
cmp <("$NSIPC" ipcs) <(/usr/bin/ipcs) || { echo "outputs differ" >&2; exit 1; }

# Rounds interleave the three commands, so a change in the machine's load
# (it is often shared) hits all of them alike. Bash's `time` gives each
# run's wall time and CPU time (user + sys) without forking a timer.
TIMEFORMAT='%R %U %S'
measure() {
    { time "$@" > /dev/null; } 2>&1
}
: > /tmp/ipcs-bench.$$
for ((i = 0; i < RUNS; i++)); do
    echo "floor $(measure cat /proc/sysvipc/msg /proc/sysvipc/shm /proc/sysvipc/sem)" >> /tmp/ipcs-bench.$$
    echo "nsipc $(measure "$NSIPC" ipcs)" >> /tmp/ipcs-bench.$$
    echo "util-linux $(measure /usr/bin/ipcs)" >> /tmp/ipcs-bench.$$
done

# Median of column $2 (1 = wall, 2 = cpu) for command $1, in ms.
med() {
    awk -v who="$1" -v col="$2" '$1 == who { print (col == 1 ? $2 : $3 + $4) * 1000 }' /tmp/ipcs-bench.$$ |
        sort -g | awk '{ v[NR] = $1 } END { printf "%.1f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

printf '%-28s %12s %12s %10s %10s\n' command "wall ms" "cpu ms" "wall/floor" "cpu/floor"
fw=$(med floor 1) fc=$(med floor 2)
for who in floor nsipc util-linux; do
    w=$(med "$who" 1) c=$(med "$who" 2)
    label=$who
    case $who in floor) label="cat /proc/sysvipc/* (floor)" ;; nsipc) label="nsipc ipcs" ;; util-linux) label="util-linux ipcs" ;; esac
    printf '%-28s %12s %12s %10s %10s\n' "$label" "$w" "$c" "$(ratio "$w" "$fw")" "$(ratio "$c" "$fc")"
done
printf 'nsipc ipcs: %sx faster than util-linux ipcs (wall), %sx the floor (wall), %sx (cpu)\n' \
    "$(ratio "$(med util-linux 1)" "$(med nsipc 1)")" "$(ratio "$(med nsipc 1)" "$fw")" \
    "$(ratio "$(med nsipc 2)" "$fc")"

# Medians of the per-round ratios: each round logged floor, nsipc and
# util-linux in that order.
round_ratio() {
    awk -v den="$1" '$1 == "floor" { f = $2 } $1 == "nsipc" { n = $2 }
        $1 == "util-linux" { print n / (den == "floor" ? f : $2) }' /tmp/ipcs-bench.$$ | median
}
nsipc_kb=$(peak_kb "$NSIPC" ipcs)
ul_kb=$(peak_kb /usr/bin/ipcs)
printf 'peak RSS: nsipc ipcs %s kB, util-linux ipcs %s kB\n' "$nsipc_kb" "$ul_kb"
echo "ROW|ipcs, $QUEUES q + $SETS s + $SEGMENTS m|$(med nsipc 1)|$(med util-linux 1)|$fw|$(round_ratio util-linux)|$(round_ratio floor)|$nsipc_kb|$ul_kb"
rm -f /tmp/ipcs-bench.$$
