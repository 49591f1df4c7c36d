#!/bin/bash
# nsenter start-up: `nsenter -t PID -a true` with nsipc, util-linux and the
# floor (bench/floor/floor-nsenter.c: open the target's /proc/PID/ns/*,
# setns(2) each, fork, exec, wait), into a target the script starts in new
# mount, UTS, IPC, net, cgroup, time and PID namespaces (-a joins all of
# them and forks for the PID one).
#
#   sudo bench/nsenter/run.sh          # RUNS=301 rounds by default; needs root
#
# Rounds and output as bench/unshare/run.sh (ROW and COUNT lines of
# bench/lib.sh; target nsipc/util-linux <= 0.95). The target is killed on
# exit; nothing on the host changes.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib.sh
RUNS=${RUNS:-301}
[ "$RUNS" -ge 200 ] || { echo "RUNS must be >= 200" >&2; exit 1; }

cargo build --release -q -p nsipc-cli
LINKDIR=$(mktemp -d)
cc -O2 -o "$LINKDIR/floor-nsenter" bench/floor/floor-nsenter.c
ln -s "$PWD/target/release/nsipc" "$LINKDIR/nsenter"
OURS=$LINKDIR/nsenter UL=/usr/bin/nsenter FLOOR=$LINKDIR/floor-nsenter

/usr/bin/unshare --mount --uts --ipc --net --cgroup --time --pid --fork --kill-child \
    sleep 600 &
HOLDER=$!
cleanup() { kill "$HOLDER" 2> /dev/null || true; rm -rf "$LINKDIR"; }
trap cleanup EXIT
# The target is unshare's child; wait until it exists and runs sleep.
TARGET=
for _ in $(seq 1 500); do
    TARGET=$(cat "/proc/$HOLDER/task/$HOLDER/children" 2> /dev/null | awk '{print $1}')
    [ -n "$TARGET" ] && [ "$(tr '\0' ' ' < "/proc/$TARGET/cmdline" 2> /dev/null)" = "sleep 600 " ] && break
    sleep 0.01
done
[ -n "$TARGET" ] || { echo "target did not start" >&2; exit 1; }

# Same namespaces entered by all three, or the comparison is meaningless.
script='for n in mnt uts ipc net pid cgroup time; do readlink /proc/self/ns/$n; done'
want=$("$UL" -t "$TARGET" -a sh -c "$script")
[ "$want" = "$("$OURS" -t "$TARGET" -a sh -c "$script")" ] &&
    [ "$want" = "$("$FLOOR" "$TARGET" sh -c "$script")" ] ||
    { echo "nsipc, util-linux and the floor entered different namespaces" >&2; exit 1; }

rounds "nsenter -t PID -a true ($RUNS rounds)" "$RUNS" \
    "$OURS -t $TARGET -a true" "$UL -t $TARGET -a true" "$FLOOR $TARGET true"
counts "nsipc nsenter -t PID -a true" "$OURS" -t "$TARGET" -a true
counts "util-linux nsenter -t PID -a true" "$UL" -t "$TARGET" -a true
counts "floor (setns, fork, exec)" "$FLOOR" "$TARGET" true
