#!/bin/sh
# deps/install.sh: checks for the Debian packages Stash builds, tests and
# benchmarks against, and installs the missing ones with apt-get (the only
# download the project ever makes). The Makefile runs it once and leaves the
# stamp file deps/.installed behind so later builds skip the check.
set -e
PKGS="build-essential pkg-config libjemalloc-dev liblua5.1-0-dev libhiredis-dev \
libcmocka-dev liblzf-dev lua-cjson-dev lua-bitop-dev redis-tools redis-server clang libclang-rt-14-dev tcl python3 python3-redis redis-sentinel prometheus-redis-exporter"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
        || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "deps: installing$missing"
    if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
    # Debian's redis-server package starts a service where an init system
    # runs; Stash wants the default port for itself.
    if command -v systemctl >/dev/null 2>&1; then
        for s in redis-server redis-sentinel prometheus-redis-exporter; do
            $SUDO systemctl disable --now $s >/dev/null 2>&1 || true
        done
    fi
fi
touch "$(dirname "$0")/.installed"
