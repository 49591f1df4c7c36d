#!/bin/bash
# lsns benchmark: nsipc lsns against util-linux lsns and the floor of
# reading every /proc/PID/ns/* link once
# (`find /proc/[0-9]*/ns -maxdepth 1 -type l -printf '%l\n'`).
#
#   sudo bench/lsns/run.sh             # RUNS=11 rounds by default; needs root
#   sudo bench/lsns/run.sh --scale     # also 500, 2,000 and 8,000 processes
#
# Runs in its own PID and mount namespaces (with their own /proc), so it
# sees only its own processes and they all die with it: NPROCS (2000)
# sleepers spread over NNS (500) `unshare -iu` groups, i.e. 1,000 new IPC
# and UTS namespaces. Target: nsipc <= 1.2x the floor. ROW lines as
# bench/lib.sh describes; --scale adds SCALE lines (nsipc's median time per
# process count: it must grow linearly).
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib.sh
RUNS=${RUNS:-11}
NPROCS=${NPROCS:-2000}
NNS=${NNS:-500}
LSNS=${LSNS:-/usr/bin/lsns}

if [ "${1:-}" != --inside ] && [ "${2:-}" != --inside ]; then
    cargo build --release -q -p nsipc-cli
    exec /usr/bin/unshare --pid --fork --mount-proc "$0" "${1:-}" --inside
fi
SCALE=
[ "${1:-}" = --scale ] && SCALE=1
OURS=$PWD/target/release/nsipc

holders=
# start N GROUPS: N sleepers in GROUPS new IPC+UTS namespace pairs.
start() {
    local per=$(($1 / $2)) i
    for ((i = 0; i < $2; i++)); do
        /usr/bin/unshare -iu sh -c "i=1; while [ \$i -lt $per ]; do sleep 3600 & i=\$((i+1)); done; exec sleep 3600" \
            < /dev/null > /dev/null 2>&1 &
        holders="$holders $!"
    done
    local n
    for _ in $(seq 1 600); do
        n=$(pgrep -c -x sleep || true)
        [ "$n" -ge $((per * $2)) ] && return
        sleep 0.1
    done
    echo "sleepers did not start" >&2
    exit 1
}
stop() {
    # Each group's sleepers, then the group leaders (all in this PID namespace).
    local kids
    if [ -n "$holders" ]; then
        kids=$(ps -o pid= --ppid "$(echo $holders | tr ' ' ,)" || true)
        [ -z "$kids" ] || kill -KILL $kids 2> /dev/null || true
        kill -KILL $holders 2> /dev/null || true
    fi
    wait 2> /dev/null || true
    holders=
}
trap stop EXIT

floor="find /proc/[0-9]*/ns -maxdepth 1 -type l -printf '%l\n'"
measure() {
    # The same namespaces from both (nsipc also lists fd-held and
    # persistent ones; none exist here).
    cmp -s <("$OURS" lsns -r -n -l -o NS,TYPE) <("$LSNS" -r -n -l -o NS,TYPE) ||
        echo "note: namespace sets differ" >&2
    rounds "lsns, $1 processes, $2 namespaces" "$RUNS" "$OURS lsns" "$LSNS" "$floor"
}

if [ -n "$SCALE" ]; then
    for n in 500 2000 8000; do
        start "$n" $((n / 4))
        measure "$n" $((n / 2)) | while IFS='|' read -r tag label ours _; do
            [ "$tag" = ROW ] && echo "SCALE|lsns|$n|$ours"
        done
        stop
    done
fi
start "$NPROCS" "$NNS"
measure "$NPROCS" $((NNS * 2))
