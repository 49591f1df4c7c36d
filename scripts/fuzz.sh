#!/usr/bin/env bash
# Fuzzes every parser of nsipc (targets in fuzz/fuzz_targets).
#
#   scripts/fuzz.sh short [SECONDS]        each target SECONDS (default 5): CI,
#                                          run by scripts/test.sh
#   scripts/fuzz.sh long [SECONDS]         each target SECONDS (default 3600)
#   scripts/fuzz.sh run TARGET [SECONDS]   one target (default 300)
#   scripts/fuzz.sh list                   the targets
#
# The long run is for a person: `scripts/fuzz.sh long 14400` fuzzes each
# target for 4 hours, one after the other; run it under nohup or tmux.
# New inputs go to fuzz/corpus/TARGET (not committed); the committed
# starting inputs are fuzz/inputs/TARGET. A crash leaves its input in fuzz/artifacts/TARGET
# and makes this script fail; reproduce it with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run TARGET fuzz/artifacts/TARGET/crash-…
#
# Only the stable toolchain is needed: RUSTC_BOOTSTRAP=1 lets it accept the
# -Z flags cargo-fuzz passes (sanitizer, coverage instrumentation). That
# holds for rustup's toolchains and for Debian 12's rustc-web; Debian's has
# no AddressSanitizer runtime, so there the long runs fall back to no
# sanitizer (with a message) unless FUZZ_SANITIZER says otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

export RUSTC_BOOTSTRAP=1
# Short CI runs skip AddressSanitizer (the parsers are safe Rust, except
# filter/regex.rs's audited regcomp wrapper) and build without optimisation: the
# build is most of their cost (about a minute, against five for an
# optimised one). Overflow checks and debug assertions are on in both. Long
# runs use an optimised build with AddressSanitizer. FUZZ_SANITIZER
# overrides the sanitizer.
mode=${1:-short}
profile=()

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz.sh: installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked
fi

targets() { cargo fuzz list --fuzz-dir fuzz; }

# The default sanitizer of long runs: AddressSanitizer when the toolchain
# ships its runtime (rustc links lib/rustlib/HOST/lib/librustc-*_rt.asan.a).
default_sanitizer() {
    local lib
    lib="$(rustc --print sysroot)/lib/rustlib/$(rustc -vV | sed -n 's/^host: //p')/lib"
    if compgen -G "$lib/librustc-*_rt.asan.a" >/dev/null; then
        echo address
    else
        echo "fuzz.sh: $(rustc --version) has no AddressSanitizer runtime ($lib); fuzzing without a sanitizer (a rustup toolchain has one)" >&2
        echo none
    fi
}

# run TARGET SECONDS SANITIZER
run() {
    local target=$1 seconds=$2 sanitizer=$3
    mkdir -p "fuzz/corpus/$target"
    echo "fuzz.sh: $target for ${seconds}s (sanitizer: $sanitizer)" >&2
    # -timeout: one input running longer than 10 s is a hang and fails the
    # run; -rss_limit_mb catches unbounded allocation.
    cargo fuzz run --fuzz-dir fuzz "${profile[@]}" -s "$sanitizer" "$target" \
        "fuzz/corpus/$target" "fuzz/inputs/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=4096 -print_final_stats=1
}

case $mode in
    list)
        targets
        ;;
    short | long)
        if [ "$mode" = short ]; then
            seconds=${2:-5} sanitizer=${FUZZ_SANITIZER:-none} profile=(--dev)
        else
            seconds=${2:-3600} sanitizer=${FUZZ_SANITIZER:-$(default_sanitizer)}
        fi
        cargo fuzz build --fuzz-dir fuzz "${profile[@]}" -s "$sanitizer"
        start=$(date +%s)
        for target in $(targets); do
            run "$target" "$seconds" "$sanitizer"
        done
        echo "fuzz.sh: all targets clean, $(($(date +%s) - start))s of fuzzing" >&2
        ;;
    run)
        target=${2:?usage: fuzz.sh run TARGET [SECONDS]}
        run "$target" "${3:-300}" "${FUZZ_SANITIZER:-$(default_sanitizer)}"
        ;;
    *)
        sed -n "2,21p" "$0" >&2
        exit 2
        ;;
esac
