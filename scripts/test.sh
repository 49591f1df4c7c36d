#!/usr/bin/env bash
# Runs every test of nsipc: formatting, lints, packaging, fuzzing, unit tests, and the
# integration tests (namespaces, differential against util-linux).
# Run as root on a fresh Debian machine; installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
install_deps
cargo fmt --all -- --check
cargo clippy --all-targets -- -D warnings
# The library's API documentation builds without a broken link.
RUSTDOCFLAGS="-D warnings" cargo doc -p nsipc --no-deps
# Both crates package as they would be published, without a warning, and each
# packaged crate builds on its own (scripts/package.sh).
bash scripts/package.sh
# A few seconds of fuzzing per parser (scripts/fuzz.sh; installs cargo-fuzz).
bash scripts/fuzz.sh short
cargo test --workspace --no-fail-fast -- --test-threads="$(nproc)"
