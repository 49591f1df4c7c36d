# Sourced by bench/ipcs/run.sh and bench/lsipc/run.sh: the large System V
# state both measure. `fill_setup` builds the release binary and the filler
# (run it before re-executing under `unshare -i`); `fill_namespace`, inside
# that private IPC namespace, raises its limits (they are per IPC namespace),
# creates QUEUES queues, SETS semaphore sets and SEGMENTS segments, and
# prints what it made.
QUEUES=${QUEUES:-32000} SETS=${SETS:-32000} SEGMENTS=${SEGMENTS:-4096}

fill_setup() {
    cargo build --release -q -p nsipc-cli
    rustc -O --edition 2021 -o target/release/ipcs-bench-fill bench/ipcs/fill.rs
}

fill_namespace() {
    echo 32768 > /proc/sys/kernel/msgmni
    echo 32768 > /proc/sys/kernel/shmmni
    printf '250\t1024000000\t500\t32768\n' > /proc/sys/kernel/sem
    target/release/ipcs-bench-fill "$QUEUES" "$SETS" "$SEGMENTS"
    printf 'objects: %s queues, %s semaphore sets, %s segments; %s runs each\n' \
        "$(($(wc -l < /proc/sysvipc/msg) - 1))" "$(($(wc -l < /proc/sysvipc/sem) - 1))" \
        "$(($(wc -l < /proc/sysvipc/shm) - 1))" "$1"
}
