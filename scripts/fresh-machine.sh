#!/usr/bin/env bash
# Checks the README's set-up on a fresh Debian 12 machine: builds a minimal
# Debian 12 root (mmdebstrap, variant minbase: the Essential packages and
# apt) from this machine's Debian apt sources, copies a clean clone of this
# repository's HEAD into it, and runs the README's two commands in it as
# root with CI=true:
#
#   bash scripts/demo.sh
#   bash scripts/test.sh
#
# It prints the wall time of each step, the packages the two scripts
# installed and the toolchain they used.
#
#   scripts/fresh-machine.sh [WORKDIR]     (default: /var/tmp; needs ~10 GB)
#
# Needs root and mmdebstrap. Everything runs in a private mount namespace
# (with its own IPC and UTS namespaces, as a separate machine has): the
# host's mounts are never changed; the root is removed afterwards, also on
# failure or Ctrl-C (FRESH_KEEP=1 keeps it).
#
# The root gets this machine's CA bundle, local CAs and resolv.conf, and
# the proxy variables in the environment (http_proxy, https_proxy,
# no_proxy and their upper-case forms, CARGO_HTTP_PROXY, CARGO_HTTP_CAINFO),
# so that it reaches the package registries the way this machine does.
# FRESH_SOURCES=FILE replaces the apt sources (a sources.list or deb822 file).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
workdir=${1:-/var/tmp}
log() { printf 'fresh-machine: %s\n' "$*" >&2; }

if [ -z "${FRESH_MACHINE_INNER:-}" ]; then
    [ "$(id -u)" -eq 0 ] || { log "run as root"; exit 1; }
    command -v mmdebstrap >/dev/null || { log "needs mmdebstrap (apt-get install mmdebstrap)"; exit 1; }
    mkdir -p "$workdir"
    base=$(mktemp -d "$workdir/nsipc-fresh.XXXXXX")
    chmod 755 "$base" # apt in the root downloads as _apt
    # The mounts live and die with the private namespace below, so from here
    # the root is a plain directory tree: --one-file-system is a second
    # guard against ever descending into a mount.
    cleanup() {
        if [ -n "${FRESH_KEEP:-}" ]; then
            log "kept $base/root"
        else
            rm -rf --one-file-system "$base"
        fi
    }
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    status=0
    FRESH_MACHINE_INNER=$base unshare --mount --ipc --uts --propagation private \
        bash "$0" "$workdir" || status=$?
    exit "$status"
fi

# ---- inside the private namespaces ----
base=$FRESH_MACHINE_INNER
root=$base/root
hostname fresh-debian12

# Debian's sources of this machine (deb.debian.org lines), or FRESH_SOURCES.
sources=$base/sources
if [ -n "${FRESH_SOURCES:-}" ]; then
    cp "$FRESH_SOURCES" "$sources"
elif [ -f /etc/apt/sources.list.d/debian.sources ]; then
    cp /etc/apt/sources.list.d/debian.sources "$sources"
else
    grep -h '^deb .*debian' /etc/apt/sources.list >"$sources"
fi
# apt options of this machine that reaching its mirror may need.
aptopts=()
while IFS= read -r opt; do
    aptopts+=(--aptopt="$opt")
done < <(apt-config dump | grep -E '^Acquire::((https?|ftp)::Proxy|Check-Valid-Until|Check-Date) ' || true)

steps=() failed=0
step() { # step NAME COMMAND...: runs COMMAND, records its wall time and result
    local name=$1 start end status=0 result=passed
    shift
    log "== $name"
    start=$(date +%s)
    "$@" || status=$?
    end=$(date +%s)
    if [ "$status" -ne 0 ]; then
        result="FAILED (exit $status)"
        failed=1
    fi
    steps+=("$(printf '%-22s %5ds  %s' "$name" $((end - start)) "$result")")
    log "== $name: $((end - start))s, $result"
}

bootstrap() {
    mmdebstrap --variant=minbase "${aptopts[@]}" bookworm "$root" "$sources"
}
step "mmdebstrap minbase" bootstrap
[ "$failed" -eq 0 ] || exit 1

# The network as this machine reaches it: DNS, CAs (also for a later
# update-ca-certificates in the root), proxy variables.
cp /etc/resolv.conf "$root/etc/resolv.conf"
mkdir -p "$root/etc/ssl/certs" "$root/usr/local/share/ca-certificates"
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
if [ -d /usr/local/share/ca-certificates ]; then
    cp -r /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
fi
env_in=(CI=true HOME=/root TERM=dumb LANG=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)
for var in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY all_proxy ALL_PROXY \
    CARGO_HTTP_PROXY CARGO_HTTP_CAINFO; do
    [ -n "${!var:-}" ] && env_in+=("$var=${!var}")
done

# A clean clone of HEAD (committed work only).
rev=$(git -C "$repo" rev-parse HEAD)
git clone -q --no-local "$repo" "$root/root/nsipc"
git -C "$root/root/nsipc" checkout -q --detach "$rev"
log "nsipc at $(git -C "$root/root/nsipc" log -1 --format='%h %cs %s')"

dpkg_list() { chroot "$root" dpkg-query -W -f '${Package} ${Version}\n' | sort; }
dpkg_list >"$base/packages.before"

# The root is a mount point of its own (pivot_root below needs one; unshare
# made the old / private), with the kernel file systems a machine has.
mount --bind "$root" "$root"
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"
# A machine's own /dev/shm, /dev/mqueue (of this IPC namespace) and /run.
mount -t tmpfs -o mode=1777,nosuid,nodev shm "$root/dev/shm"
mount -t mqueue mqueue "$root/dev/mqueue"
mount -t tmpfs -o mode=755,nosuid,nodev run "$root/run"

# Runs a command as root of the fresh machine. chroot alone is not enough:
# a process that joins a mount namespace (setns) gets that namespace's root
# mount as its root, which would be this machine's / again. So each command
# runs in a mount namespace of its own whose root mount is the fresh root
# (pivot_root, then the old root is detached), as on a real machine.
in_root() {
    unshare --mount --propagation private bash -c '
        cd "$0" && mkdir -p .old-root && pivot_root . .old-root &&
            cd / && umount -l /.old-root && rmdir /.old-root &&
            exec /usr/bin/env -i "$@"' \
        "$root" "${env_in[@]}" bash -c "cd /root/nsipc && $1"
}
step "bash scripts/demo.sh" in_root "bash scripts/demo.sh"
step "bash scripts/test.sh" in_root "bash scripts/test.sh"

dpkg_list >"$base/packages.after"
log "== summary ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores)"
printf '%s\n' "${steps[@]}" >&2
log "toolchain: $(in_root 'cargo --version; rustc --version; cargo fuzz --version' | tr '\n' ';')"
log "packages the scripts installed ($(comm -13 "$base/packages.before" "$base/packages.after" | wc -l)):"
comm -13 "$base/packages.before" "$base/packages.after" | tr '\n' ' ' | fold -s -w 110 >&2
echo >&2
exit "$failed"
