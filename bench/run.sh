#!/usr/bin/env bash
# Every nsipc benchmark, one after the other: each compares nsipc with
# util-linux in the same run and prints ratios (see bench/<tool>/run.sh for
# what each measures and its own knobs). Needs root; builds the release
# binary; touches nothing on the host (every benchmark works in namespaces
# it makes and throws away). Not part of the test suite.
#
#   sudo bash bench/run.sh            # all
#   sudo bash bench/run.sh ipcs lsns  # some
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then
    set -- $(for d in bench/*/; do [ -x "$d/run.sh" ] || [ -f "$d/run.sh" ] && basename "$d"; done)
fi
cargo build --release -q -p nsipc-cli
for bench in "$@"; do
    printf '\n===== %s =====\n' "$bench"
    bash "bench/$bench/run.sh"
done
