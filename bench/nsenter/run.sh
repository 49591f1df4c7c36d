#!/bin/bash
# nsenter benchmark: `nsenter -t PID -a true` with nsipc against util-linux,
# into a target the script starts in new mount, UTS, IPC, net, cgroup, time
# and PID namespaces (-a then joins all of them and forks for the PID one).
#
#   sudo bench/nsenter/run.sh          # RUNS=201 pairs by default; needs root
#
# Paired runs: each round runs both tools back to back, alternating which
# goes first, so drift in machine load hits both alike. Prints the median
# wall time of each over RUNS rounds, the median of the per-round ratios,
# and the ratio of the medians (target: <= 1.0). Not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-201}

cargo build --release -q -p nsipc-cli
NSIPC=$PWD/target/release/nsipc
UL=/usr/bin/nsenter

# The multi-call binary under the name nsenter, as installed.
LINKDIR=$(mktemp -d)
ln -s "$NSIPC" "$LINKDIR/nsenter"
OURS=$LINKDIR/nsenter

/usr/bin/unshare --mount --uts --ipc --net --cgroup --time --pid --fork --kill-child \
    sleep 600 &
HOLDER=$!
cleanup() { kill "$HOLDER" 2>/dev/null || true; rm -rf "$LINKDIR"; }
trap cleanup EXIT
# The target is unshare's child; wait until it exists and runs sleep.
TARGET=
for _ in $(seq 1 500); do
    TARGET=$(cat "/proc/$HOLDER/task/$HOLDER/children" 2>/dev/null | awk '{print $1}')
    [ -n "$TARGET" ] && [ "$(tr '\0' ' ' < "/proc/$TARGET/cmdline" 2>/dev/null)" = "sleep 600 " ] && break
    sleep 0.01
done
[ -n "$TARGET" ] || { echo "target did not start" >&2; exit 1; }

# Same result, or the comparison is meaningless.
script='for n in mnt uts ipc net pid cgroup time; do readlink /proc/self/ns/$n; done'
cmp <("$OURS" -t "$TARGET" -a sh -c "$script") <("$UL" -t "$TARGET" -a sh -c "$script") ||
    { echo "nsipc and util-linux entered different namespaces" >&2; exit 1; }

# One timed run of "$@" in microseconds (EPOCHREALTIME: no fork around it).
time_us() {
    local start end
    start=$EPOCHREALTIME
    "$@" > /dev/null
    end=$EPOCHREALTIME
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%d", (b - a) * 1000000 }'
}

ours=() theirs=() ratios=()
for ((i = 0; i < RUNS; i++)); do
    if ((i % 2)); then
        t=$(time_us "$UL" -t "$TARGET" -a true)
        o=$(time_us "$OURS" -t "$TARGET" -a true)
    else
        o=$(time_us "$OURS" -t "$TARGET" -a true)
        t=$(time_us "$UL" -t "$TARGET" -a true)
    fi
    ours+=("$o") theirs+=("$t")
    ratios+=("$(awk -v a="$o" -v b="$t" 'BEGIN { printf "%.4f", a / b }')")
done

median() {
    printf '%s\n' "$@" | sort -g |
        awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

mo=$(median "${ours[@]}")
mt=$(median "${theirs[@]}")
mr=$(median "${ratios[@]}")
printf 'nsenter -t PID -a true, %d paired runs\n' "$RUNS"
printf '%-22s %12s\n' tool "median us"
printf '%-22s %12s\n' "nsipc nsenter" "$mo"
printf '%-22s %12s\n' "util-linux nsenter" "$mt"
printf 'median of paired ratios nsipc/util-linux: %.3f\n' "$mr"
printf 'ratio of medians nsipc/util-linux:        %.3f (target <= 1.0)\n' \
    "$(awk -v a="$mo" -v b="$mt" 'BEGIN { print a / b }')"
