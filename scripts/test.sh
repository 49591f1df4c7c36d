#!/usr/bin/env bash
# Runs every test of nsipc: formatting, lints, unit tests, and the
# integration tests (namespaces, differential against util-linux).
# Run as root on a fresh Debian machine; installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
install_deps
cargo fmt --all -- --check
cargo clippy --all-targets -- -D warnings
# The library's API documentation builds without a broken link and
# documents every public item; the library's examples build.
RUSTDOCFLAGS="-D warnings -D missing_docs" cargo doc -p nsipc --no-deps
cargo build --examples
# A few seconds of fuzzing per parser (scripts/fuzz.sh; installs cargo-fuzz).
bash scripts/fuzz.sh short
# NSIPC_LONG_TESTS=1: the long tests (the short soak) run too; on CI
# (CI=true) they fail without it.
NSIPC_LONG_TESTS=1 cargo test --workspace --no-fail-fast -- --test-threads="$(nproc)"
