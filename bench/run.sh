#!/usr/bin/env bash
# Every nsipc benchmark, then one table of all results. Each compares nsipc
# with util-linux (and, where one is defined, a floor: the least work the
# task needs) in the same run; see bench/README.md for what each figure
# measures and bench/<tool>/run.sh for each benchmark's knobs. Needs root;
# builds the release binary; touches nothing on the host (every benchmark
# works in namespaces it makes and throws away). Not part of the test suite.
#
#   sudo bash bench/run.sh                 # all, about 10 minutes
#   sudo bash bench/run.sh --scale         # plus the growth figures
#   sudo bash bench/run.sh unshare lsns    # some
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
scale=
if [ "${1:-}" = --scale ]; then
    scale=--scale
    shift
fi
if [ $# -eq 0 ]; then
    set -- unshare nsenter lsipc lsns ipcs ipcrm
fi
cargo build --release -q -p nsipc-cli
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for bench in "$@"; do
    printf '\n===== %s =====\n' "$bench" >&2
    arg=
    case $bench in lsipc | lsns) arg=$scale ;; esac
    # Result lines are kept for the tables; the rest (the older benchmarks'
    # own tables, notes) is shown as it comes.
    bash "bench/$bench/run.sh" $arg | tee -a "$results" | grep -v -E '^(ROW|COUNT|SCALE|INFO)\|' >&2 || true
done

echo
echo "Wall time: median over the rounds; ratios: median of per-round ratios (< 1: nsipc faster)."
print_table < "$results"
if grep -q '^COUNT|' "$results"; then
    echo
    print_counts < "$results"
fi
grep '^INFO|' "$results" | cut -d'|' -f2- || true
if grep -q '^SCALE|' "$results"; then
    echo
    echo "Growth (nsipc, median wall time; per item = time / objects or processes):"
    awk -F'|' '$1 == "SCALE" { printf "%-12s %8d items %10.2f ms %8.2f us/item\n", $2, $3, $4, $4 * 1000 / $3 }' "$results"
fi
