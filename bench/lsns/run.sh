#!/bin/sh
# lsns benchmark: nsipc against util-linux on a host with many namespaces.
#
# Starts NPROCS sleepers spread over NNS new UTS+IPC namespace pairs (one
# `unshare -iu sh` per pair, the rest of the sleepers its children), then
# times `lsns` (default output, to /dev/null) RUNS times for each
# implementation, alternating them, and prints the medians and the ratio.
# Every process it started is killed on exit.
#
# Usage: bench/lsns/run.sh [NSIPC_BINARY]   (default target/release/nsipc)
# Environment: NPROCS (2000), NNS (500), RUNS (11), LSNS (/usr/bin/lsns).
# Needs root (new namespaces).
set -eu

NSIPC=${1:-target/release/nsipc}
NPROCS=${NPROCS:-2000}
NNS=${NNS:-500}
RUNS=${RUNS:-11}
LSNS=${LSNS:-/usr/bin/lsns}

[ -x "$NSIPC" ] || { echo "no $NSIPC: cargo build --release first" >&2; exit 1; }
[ -x "$LSNS" ] || { echo "no $LSNS" >&2; exit 1; }

tmp=$(mktemp -d)
pids=
cleanup() {
    # The holders' sleepers, then the holders: by pid, nothing broader.
    if [ -n "$pids" ]; then
        kids=$(ps -o pid= --ppid "$(echo $pids | tr ' ' ,)" || true)
        [ -z "$kids" ] || kill -KILL $kids 2>/dev/null || true
        kill -KILL $pids 2>/dev/null || true
    fi
    wait 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

per_ns=$((NPROCS / NNS))
i=0
while [ "$i" -lt "$NNS" ]; do
    unshare -iu sh -c "i=1; while [ \$i -lt $per_ns ]; do sleep 3600 & i=\$((i+1)); done; exec sleep 3600" \
        </dev/null >/dev/null 2>&1 &
    pids="$pids $!"
    i=$((i + 1))
done

# Wait until every sleeper runs.
want=$((NNS * per_ns))
n=0
while [ "$n" -lt 600 ]; do
    have=$(pgrep -c -x sleep || true)
    [ "$have" -ge "$want" ] && break
    sleep 0.1
    n=$((n + 1))
done
echo "processes: $(ls -d /proc/[0-9]* | wc -l) (sleepers: $(pgrep -c -x sleep)), namespaces: $("$NSIPC" lsns -n -l | wc -l)"

# Same rows from both (process counts can change between runs on a busy
# host; compare the namespace inodes and types only).
"$NSIPC" lsns -r -n -l -o NS,TYPE > "$tmp/ours"
"$LSNS" -r -n -l -o NS,TYPE > "$tmp/theirs"
if ! cmp -s "$tmp/ours" "$tmp/theirs"; then
    echo "note: namespace sets differ (nsipc also lists fd-held and persistent ones):"
    diff "$tmp/theirs" "$tmp/ours" | head -5
fi

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

: > "$tmp/t_ours"; : > "$tmp/t_theirs"
r=0
while [ "$r" -lt "$RUNS" ]; do
    t0=$(now); "$NSIPC" lsns >/dev/null; t1=$(now)
    echo $(((t1 - t0) / 1000)) >> "$tmp/t_ours"
    t0=$(now); "$LSNS" >/dev/null; t1=$(now)
    echo $(((t1 - t0) / 1000)) >> "$tmp/t_theirs"
    r=$((r + 1))
done
ours=$(median < "$tmp/t_ours")
theirs=$(median < "$tmp/t_theirs")
echo "median of $RUNS runs: nsipc lsns ${ours} us, util-linux lsns ${theirs} us"
awk -v a="$theirs" -v b="$ours" 'BEGIN { printf "nsipc is %.2fx faster\n", a / b }'
