#!/bin/bash
# unshare benchmark: `unshare -iu true` with nsipc against util-linux, in
# paired runs (each pair runs both, alternating which goes first, so load
# changes hit both alike). Prints the median wall time of each over RUNS
# pairs and the median of the per-pair ratios (target: <= 1.00).
#
#   sudo bench/unshare/run.sh          # RUNS=301 by default; needs root
#
# Builds the release binary once. Every run makes fresh IPC and UTS
# namespaces that vanish when `true` exits: the host is not touched. Not
# part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-301}
[ "$RUNS" -ge 200 ] || { echo "RUNS must be >= 200" >&2; exit 1; }

cargo build --release -q -p nsipc-cli
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Called through a link named unshare, as installed.
ln -s "$PWD/target/release/nsipc" "$tmp/unshare"
OURS=$tmp/unshare THEIRS=/usr/bin/unshare

# Both must work (and agree) before timing means anything.
"$OURS" -iu true && "$THEIRS" -iu true

# One timed run in microseconds; EPOCHREALTIME avoids forking a clock.
once() {
    local start=$EPOCHREALTIME
    "$1" -iu true
    local end=$EPOCHREALTIME
    echo $(( (${end/./} - ${start/./}) ))
}

: > "$tmp/pairs"
for ((i = 0; i < RUNS; i++)); do
    if ((i % 2)); then
        o=$(once "$OURS"); t=$(once "$THEIRS")
    else
        t=$(once "$THEIRS"); o=$(once "$OURS")
    fi
    echo "$o $t" >> "$tmp/pairs"
done

median() { sort -g | awk '{ v[NR] = $1 } END { printf "%.3f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ours=$(awk '{ print $1 / 1000 }' "$tmp/pairs" | median)
theirs=$(awk '{ print $2 / 1000 }' "$tmp/pairs" | median)
ratio=$(awk '{ print $1 / $2 }' "$tmp/pairs" | median)
printf 'unshare -iu true, %d paired runs (median wall time)\n' "$RUNS"
printf '  %-22s %8s ms\n' "nsipc unshare" "$ours" "util-linux unshare" "$theirs"
printf '  median per-pair ratio nsipc/util-linux: %s (target <= 1.00)\n' "$(printf '%.3f' "$ratio")"
printf '  binary: %s bytes, linked against: %s\n' "$(stat -c %s target/release/nsipc)" \
    "$(ldd target/release/nsipc 2>/dev/null | awk '{ print $1 }' | tr '\n' ' ')"
