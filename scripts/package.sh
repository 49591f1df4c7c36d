#!/usr/bin/env bash
# Packages both crates as `cargo publish` would and fails on any warning
# (missing metadata, a file the package lacks): `cargo package --workspace`
# builds each packaged crate on its own, nsipc-cli against the packaged
# nsipc. Needs the crates.io index (as the build does) and cargo >= 1.90,
# whose multi-package `cargo package` resolves the unpublished nsipc from
# the workspace; an older cargo checks nsipc alone.
#
# Publishing itself: cargo publish --workspace (nsipc first, then nsipc-cli).
set -euo pipefail
cd "$(dirname "$0")/.."
have=$(cargo --version | awk '{print $2}')
if [ "$(printf '%s\n%s\n' 1.90 "$have" | sort -V | head -n1)" = 1.90 ]; then
    packages=(--workspace)
else
    echo "package.sh: cargo $have < 1.90 packages nsipc-cli only against a published nsipc: checking nsipc alone" >&2
    packages=(-p nsipc)
fi
# cargo verifies nsipc-cli against the packaged nsipc through a local
# registry and keeps what it unpacks from there under
# CARGO_HOME/registry/src/-HASH/, by name and version only, so a copy from an
# earlier run of the same version (older sources) would be used again: remove
# those copies of this workspace's own crates first. Sources from crates.io
# (index.crates.io-*) are left alone.
for stale in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/nsipc-[0-9]* \
             "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/nsipc-cli-[0-9]*; do
    [ -d "$stale" ] && rm -rf "$stale"
done
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# --allow-dirty: also during development, with uncommitted changes.
if ! cargo package --allow-dirty "${packages[@]}" >"$log" 2>&1; then
    cat "$log" >&2
    echo "package.sh: cargo package failed" >&2
    exit 1
fi
if grep -q '^warning' "$log"; then
    cat "$log" >&2
    echo "package.sh: cargo package warned (above)" >&2
    exit 1
fi
grep -E '^ *Packaged ' "$log" >&2
