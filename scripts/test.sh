#!/usr/bin/env bash
# Runs every test of nsipc: formatting, lints, packaging, fuzzing, unit tests, and the
# integration tests (namespaces, differential against util-linux).
# Run as root on a fresh Debian machine; installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
install_deps
# The tests also run nsipc as unprivileged users, who must reach the built
# binaries: a checkout they cannot enter (under /root, mode 700 on Debian)
# builds in a directory of its own instead (one per checkout), which must be
# this user's.
if [ -z "${CARGO_TARGET_DIR:-}" ] && [ "$(id -u)" -eq 0 ] &&
    ! setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$PWD" 2>/dev/null; then
    export CARGO_TARGET_DIR=/var/tmp/nsipc-target.$(id -u).$(printf %s "$PWD" | md5sum | cut -c1-12)
    mkdir -p -m 755 "$CARGO_TARGET_DIR"
    if [ -L "$CARGO_TARGET_DIR" ] || [ ! -O "$CARGO_TARGET_DIR" ]; then
        echo "test.sh: $CARGO_TARGET_DIR is not this user's own directory; set CARGO_TARGET_DIR" >&2
        exit 1
    fi
    chmod 755 "$CARGO_TARGET_DIR"
    echo "test.sh: other users cannot enter $PWD; building in $CARGO_TARGET_DIR" >&2
fi
cargo fmt --all -- --check
cargo clippy --all-targets -- -D warnings
# The library's API documentation builds without a broken link and
# documents every public item; the library's examples build.
RUSTDOCFLAGS="-D warnings -D missing_docs" cargo doc -p nsipc --no-deps
cargo build --examples
# Both crates package as they would be published, without a warning, and each
# packaged crate builds on its own (scripts/package.sh).
bash scripts/package.sh
# A few seconds of fuzzing per parser (scripts/fuzz.sh; installs cargo-fuzz).
bash scripts/fuzz.sh short
# NSIPC_LONG_TESTS=1: the long tests (the short soak) run too; on CI
# (CI=true) they fail without it.
NSIPC_LONG_TESTS=1 cargo test --workspace --no-fail-fast -- --test-threads="$(nproc)"
