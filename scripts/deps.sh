# Sourced by the scripts: installs what building and testing nsipc needs on
# a Debian machine (util-linux is the oracle of the differential tests).

# The Debian packages, as PACKAGE:FILE (installed when FILE is missing).
# One list: add a package here with a file it installs.
DEPS_PACKAGES=(
    util-linux:/usr/bin/lsipc          # the oracle of the differential tests
    mount:/usr/bin/mount
    procps:/usr/bin/ps
    passwd:/usr/sbin/useradd           # test users
    uidmap:/usr/bin/newuidmap          # unshare --map-users/--map-groups
    iproute2:/usr/sbin/ip
    ca-certificates:/etc/ssl/certs/ca-certificates.crt  # cargo reaches crates.io over HTTPS
    gcc:/usr/bin/gcc                   # the linker driver of rustc
    g++:/usr/bin/g++                   # libfuzzer-sys compiles libFuzzer (C++)
    libc6-dev:/usr/include/stdio.h
    # Completions are tested in the real shells; man pages with groff and
    # mandoc.
    bash-completion:/usr/share/bash-completion/completions/lsns
    zsh:/usr/bin/zsh
    fish:/usr/bin/fish
    groff-base:/usr/bin/groff
    mandoc:/usr/bin/mandoc
    # The container tests run a real podman container
    # (tests/cli/containers.rs) with runc and a busybox-static image.
    podman:/usr/bin/podman
    runc:/usr/sbin/runc
    busybox-static:/bin/busybox
)

# The toolchain that Debian 12 ships in main and in its security updates
# (1.85 in bookworm, newer in bookworm-security): /usr/bin/cargo, rustc,
# rustdoc, cargo-clippy, clippy-driver, cargo-fmt and rustfmt.
DEBIAN_RUST=(cargo-web rustc-web rust-web-clippy rustfmt-web)

install_deps() {
    local need=() pkg_file start=$SECONDS
    for pkg_file in "${DEPS_PACKAGES[@]}"; do
        [ -e "${pkg_file#*:}" ] || need+=("${pkg_file%%:*}")
    done
    if [ ${#need[@]} -gt 0 ]; then
        as_root "missing packages: ${need[*]}" || return 1
        apt_update || return 1
        apt_install "${need[@]}" || return 1
    fi
    if ! rust_is_recent_enough; then
        install_rust || return 1
    fi
    install_rust_tools || return 1
    echo "deps.sh: $(cargo --version) ($(command -v cargo)); set-up took $((SECONDS - start))s" >&2
}

# Fails with a message (what is missing) unless running as root.
as_root() {
    [ "$(id -u)" -eq 0 ] && return 0
    echo "deps.sh: $1 (run as root to install them)" >&2
    return 1
}

# apt-get update, once per script.
apt_update() {
    [ -n "${DEPS_APT_UPDATED:-}" ] && return 0
    apt-get update -qq && DEPS_APT_UPDATED=1
}

apt_install() {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# The workspace's rust-version (Cargo.toml).
required_rust() { sed -n 's/^rust-version *= *"\(.*\)"/\1/p' Cargo.toml; }

# True when version $1 is at least version $2.
version_at_least() {
    [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

# True when cargo exists and is at least the workspace's rust-version.
rust_is_recent_enough() {
    local have
    have=$(cargo --version 2>/dev/null | awk '{print $2}')
    [ -n "$have" ] && version_at_least "$have" "$(required_rust)"
}

# The version of Debian's cargo-web that apt would install (1.96.0 for
# 1.96.0+dfsg1-1~deb12u2), or nothing.
debian_rust_candidate() {
    apt-cache policy cargo-web 2>/dev/null |
        sed -n 's/^ *Candidate: *\([0-9][0-9.]*\).*/\1/p'
}

# A toolchain of at least the workspace's rust-version: Debian's own
# (cargo-web and friends) when apt offers a recent enough one, else rustup
# as a last resort (it downloads from its own server, which machines that
# reach only Debian's and Rust's package registries cannot).
install_rust() {
    local want candidate
    want=$(required_rust)
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        apt_update || return 1
        candidate=$(debian_rust_candidate)
        if [ -n "$candidate" ] && version_at_least "$candidate" "$want"; then
            echo "deps.sh: nsipc needs Rust >= $want; installing Debian's ${DEBIAN_RUST[*]} $candidate" >&2
            apt_install "${DEBIAN_RUST[@]}" || return 1
            # A rustup proxy without a toolchain earlier on PATH would hide
            # /usr/bin/cargo.
            rust_is_recent_enough || PATH="/usr/bin:$PATH"
            rust_is_recent_enough && return 0
        else
            echo "deps.sh: apt offers no cargo-web >= $want (candidate: ${candidate:-none})" >&2
        fi
    fi
    echo "deps.sh: falling back to rustup's installer from https://sh.rustup.rs (needs that server)" >&2
    command -v curl >/dev/null || { as_root "missing package: curl" && apt_update && apt_install curl; } || return 1
    if ! curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs |
        sh -s -- -y --profile minimal --component clippy,rustfmt >&2; then
        echo "deps.sh: could not install Rust. Install Rust >= $want (on Debian 12: apt-get install ${DEBIAN_RUST[*]}, with bookworm or bookworm-security in the apt sources; elsewhere from https://rustup.rs) and retry" >&2
        return 1
    fi
    # shellcheck disable=SC1091
    . "$HOME/.cargo/env"
}

# cargo fmt and cargo clippy, from rustup's components or Debian's packages.
install_rust_tools() {
    cargo fmt --version >/dev/null 2>&1 && cargo clippy --version >/dev/null 2>&1 && return 0
    if command -v rustup >/dev/null && rustup component list --installed >/dev/null 2>&1; then
        rustup component add clippy rustfmt
    elif [ "$(command -v cargo)" = /usr/bin/cargo ]; then
        as_root "missing packages: rust-web-clippy rustfmt-web" && apt_update &&
            apt_install rust-web-clippy rustfmt-web
    else
        echo "deps.sh: cargo fmt or cargo clippy is missing for $(command -v cargo); install rustfmt and clippy" >&2
        return 1
    fi
}
