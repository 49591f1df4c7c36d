#!/bin/bash
# unshare start-up: `unshare -iu true` with nsipc, util-linux and the floor
# (bench/floor/floor-unshare.c: unshare(2) then exec, nothing else).
#
#   sudo bench/unshare/run.sh          # RUNS=301 rounds by default; needs root
#
# Each round runs the three, rotating which goes first. Prints ROW lines
# (bench/lib.sh): median wall time of each, median per-round ratio
# nsipc/util-linux (target <= 0.95) and nsipc/floor, peak RSS; and COUNT
# lines: instructions until exec (callgrind), system calls (strace -f -c),
# minor page faults and peak RSS of one run of each. Every run makes IPC and
# UTS namespaces that vanish when `true` exits: the host is not touched.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib.sh
RUNS=${RUNS:-301}
[ "$RUNS" -ge 200 ] || { echo "RUNS must be >= 200" >&2; exit 1; }

cargo build --release -q -p nsipc-cli
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/floor-unshare" bench/floor/floor-unshare.c
# Called through a link named unshare, as installed.
ln -s "$PWD/target/release/nsipc" "$tmp/unshare"
OURS=$tmp/unshare THEIRS=/usr/bin/unshare FLOOR=$tmp/floor-unshare

# All must work before timing means anything.
"$OURS" -iu true && "$THEIRS" -iu true && "$FLOOR" true

rounds "unshare -iu true ($RUNS rounds)" "$RUNS" "$OURS -iu true" "$THEIRS -iu true" "$FLOOR true"
counts "nsipc unshare -iu true" "$OURS" -iu true
counts "util-linux unshare -iu true" "$THEIRS" -iu true
counts "floor (unshare, exec)" "$FLOOR" true
echo "INFO|nsipc binary: $(stat -c %s target/release/nsipc) bytes; needs: $(readelf -d target/release/nsipc | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | tr '\n' ' ')"
