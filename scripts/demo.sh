#!/usr/bin/env bash
# Builds nsipc and runs the IPC-namespace walkthrough (scripts/walkthrough.sh)
# with nsipc's own tools. The walkthrough runs in a private IPC + UTS + mount
# namespace, so the host's IPC objects, hostname and mounts are untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
install_deps
cargo build --release
bin="$PWD/target/release"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin/nsipc" --install "$tmp/bin"
PATH="$tmp/bin:$PATH" bash scripts/walkthrough.sh
