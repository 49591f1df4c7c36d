#!/usr/bin/env bash
# Builds nsipc and runs its main job: the seed's IPC-namespace walkthrough,
# with nsipc's own tools, inside a private outer namespace so the host's
# IPC objects and hostname are untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
install_deps
cargo build --release
bin="$PWD/target/release"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin/nsipc" --install "$tmp/bin"
# The walkthrough puts itself in a private outer IPC + UTS + mount namespace
# with nsipc's own unshare, so the host is untouched.
PATH="$tmp/bin:$PATH" bash scripts/walkthrough.sh
