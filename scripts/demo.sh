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
# The walkthrough runs in a private outer IPC + UTS namespace (made with
# /usr/bin/unshare until nsipc's unshare lands).
PATH="$tmp/bin:$PATH" /usr/bin/unshare --ipc --uts -- bash scripts/walkthrough.sh
