# Sourced by the scripts: installs what building and testing nsipc needs on
# a Debian machine (util-linux is the oracle of the differential tests).
install_deps() {
    local need=()
    for pkg_cmd in util-linux:/usr/bin/lsipc mount:/usr/bin/mount procps:/usr/bin/ps \
                   passwd:/usr/sbin/useradd uidmap:/usr/bin/newuidmap iproute2:/usr/sbin/ip; do
        [ -e "${pkg_cmd#*:}" ] || need+=("${pkg_cmd%%:*}")
    done
    command -v cargo >/dev/null || need+=(cargo)
    if [ ${#need[@]} -gt 0 ]; then
        if [ "$(id -u)" -ne 0 ]; then
            echo "missing packages: ${need[*]} (run as root to install them)" >&2
            return 1
        fi
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
    fi
    if command -v rustup >/dev/null; then
        rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt
    fi
}
