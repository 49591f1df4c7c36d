#!/bin/sh
# lsns container columns: the cost of `lsns -o +CONTAINER,POD` over plain
# `lsns` (target: at most 1.25x) on a host with many containers.
#
# In a private mount namespace (state files on tmpfs, nothing of the host
# touched) it starts NPROCS sleepers spread over NNS new UTS+IPC namespace
# pairs, as bench/lsns does; each pair's holder and its sleepers are put in
# a cgroup named as Docker names its containers (docker-<id>.scope, under
# a cgroup2 subtree removed on exit) with that container's config.v2.json
# under /var/lib/docker, and every fourth pair in a containerd/Kubernetes
# one (cri-containerd-<id>.scope, a bundle config.json with the CRI
# annotations) so POD is filled. Then it times both commands RUNS times,
# alternating them, and prints the medians and the ratio.
#
# Usage: bench/lsns-containers/run.sh [NSIPC_BINARY]  (default target/release/nsipc)
# Environment: NPROCS (2000), NNS (500), RUNS (11). Needs root.
set -eu

NSIPC=${1:-target/release/nsipc}
[ -x "$NSIPC" ] || { echo "no $NSIPC: cargo build --release first" >&2; exit 1; }
if [ -z "${NSIPC_BENCH_PRIVATE:-}" ]; then
    NSIPC_BENCH_PRIVATE=1 exec unshare --mount --propagation private sh "$0" "$(realpath "$NSIPC")"
fi
NPROCS=${NPROCS:-2000}
NNS=${NNS:-500}
RUNS=${RUNS:-11}

base=/sys/fs/cgroup/nsipc-bench-$$
tmp=$(mktemp -d)
pids=
cleanup() {
    if [ -n "$pids" ]; then
        kids=$(ps -o pid= --ppid "$(echo $pids | tr ' ' ,)" || true)
        [ -z "$kids" ] || kill -KILL $kids 2>/dev/null || true
        kill -KILL $pids 2>/dev/null || true
    fi
    wait 2>/dev/null || true
    for i in $(seq 100); do
        [ -e "$base" ] || break
        find "$base" -depth -type d -exec rmdir {} + 2>/dev/null || true
        sleep 0.1
    done
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

[ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] || mount -t cgroup2 none /sys/fs/cgroup
mount -t tmpfs none /var/lib
mount -t tmpfs none /run
task=/run/containerd/io.containerd.runtime.v2.task/k8s.io

per_ns=$((NPROCS / NNS))
i=0
while [ "$i" -lt "$NNS" ]; do
    id=$(printf '%064x' "$((i + 1))")
    if [ $((i % 4)) -eq 0 ]; then
        cg="$base/kubepods.slice/kubepods-pod$i.slice/cri-containerd-$id.scope"
        mkdir -p "$task/$id"
        printf '{"ociVersion":"1.1.0","annotations":{"io.kubernetes.cri.container-type":"container","io.kubernetes.cri.container-name":"c%s","io.kubernetes.cri.sandbox-name":"pod%s","io.kubernetes.cri.sandbox-namespace":"bench"}}' \
            "$i" "$i" > "$task/$id/config.json"
    else
        cg="$base/system.slice/docker-$id.scope"
        mkdir -p "/var/lib/docker/containers/$id"
        printf '{"ID":"%s","Name":"/bench-%s","State":{"Running":true},"Config":{"Image":"busybox"}}' \
            "$id" "$i" > "/var/lib/docker/containers/$id/config.v2.json"
    fi
    mkdir -p "$cg"
    # The holder joins the cgroup before it forks its sleepers.
    unshare -iu sh -c "echo \$\$ > '$cg/cgroup.procs'; i=1; while [ \$i -lt $per_ns ]; do sleep 3600 & i=\$((i+1)); done; exec sleep 3600" \
        </dev/null >/dev/null 2>&1 &
    pids="$pids $!"
    i=$((i + 1))
done

want=$((NNS * per_ns))
n=0
while [ "$n" -lt 600 ]; do
    have=$(pgrep -c -x sleep || true)
    [ "$have" -ge "$want" ] && break
    sleep 0.1
    n=$((n + 1))
done
echo "processes: $(ls -d /proc/[0-9]* | wc -l), in containers: $("$NSIPC" lsns -n -l -t uts -o CONTAINER | grep -c . || true) uts namespaces named"

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
: > "$tmp/plain"; : > "$tmp/cols"
r=0
while [ "$r" -lt "$RUNS" ]; do
    t0=$(now); "$NSIPC" lsns >/dev/null; t1=$(now)
    echo $(((t1 - t0) / 1000)) >> "$tmp/plain"
    t0=$(now); "$NSIPC" lsns -o +CONTAINER,POD >/dev/null; t1=$(now)
    echo $(((t1 - t0) / 1000)) >> "$tmp/cols"
    r=$((r + 1))
done
plain=$(median < "$tmp/plain")
cols=$(median < "$tmp/cols")
echo "median of $RUNS runs: lsns ${plain} us, lsns -o +CONTAINER,POD ${cols} us"
awk -v a="$plain" -v b="$cols" 'BEGIN { r = b / a; printf "ratio %.2fx (target <= 1.25x): %s\n", r, (r <= 1.25 ? "ok" : "OVER") }'
