# Sourced by the scripts: installs what building and testing nsipc needs on
# a Debian machine (util-linux is the oracle of the differential tests).
install_deps() {
    local need=()
    for pkg_cmd in util-linux:/usr/bin/lsipc mount:/usr/bin/mount procps:/usr/bin/ps \
                   passwd:/usr/sbin/useradd uidmap:/usr/bin/newuidmap iproute2:/usr/sbin/ip \
                   bash-completion:/usr/share/bash-completion/completions/lsns zsh:/usr/bin/zsh \
                   fish:/usr/bin/fish groff-base:/usr/bin/groff mandoc:/usr/bin/mandoc \
                   podman:/usr/bin/podman runc:/usr/sbin/runc busybox-static:/bin/busybox; do
        [ -e "${pkg_cmd#*:}" ] || need+=("${pkg_cmd%%:*}")
    done
    # podman, runc and busybox-static: the container tests run a real
    # podman container (tests/cli/containers.rs).
    # Debian's own cargo is too old for nsipc (bookworm: 1.63); a toolchain
    # comes from rustup, below.
    if ! rust_is_recent_enough; then
        command -v curl >/dev/null || need+=(curl)
        [ -e /etc/ssl/certs/ca-certificates.crt ] || need+=(ca-certificates)
    fi
    if [ ${#need[@]} -gt 0 ]; then
        if [ "$(id -u)" -ne 0 ]; then
            echo "missing packages: ${need[*]} (run as root to install them)" >&2
            return 1
        fi
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
    fi
    if ! rust_is_recent_enough; then
        install_rust || return 1
    fi
    if command -v rustup >/dev/null; then
        rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt
    fi
}

# The workspace's rust-version (Cargo.toml).
required_rust() { sed -n 's/^rust-version *= *"\(.*\)"/\1/p' Cargo.toml; }

# True when cargo exists and is at least the workspace's rust-version.
rust_is_recent_enough() {
    local have
    have=$(cargo --version 2>/dev/null | awk '{print $2}')
    [ -n "$have" ] || return 1
    [ "$(printf '%s\n%s\n' "$(required_rust)" "$have" | sort -V | head -n1)" = "$(required_rust)" ]
}

# A stable toolchain through rustup's official installer (needs the network),
# with clippy and rustfmt; cargo is then on PATH for the calling script.
install_rust() {
    echo "deps.sh: nsipc needs Rust >= $(required_rust); installing it with rustup" >&2
    if ! curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs |
        sh -s -- -y --profile minimal --component clippy,rustfmt >&2; then
        echo "deps.sh: could not install Rust; install Rust >= $(required_rust) from https://rustup.rs and retry" >&2
        return 1
    fi
    # shellcheck disable=SC1091
    . "$HOME/.cargo/env"
}
