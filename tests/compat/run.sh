#!/usr/bin/env bash
# run.sh: runs units of the Redis 7.2.6 Tcl test suite against a server.
#
#   sh tests/compat/run.sh [server-binary]      (`make compat` passes stash-server)
#   sh tests/compat/run.sh /usr/bin/redis-server   sanity check of the harness
#   env: REDIS_SRC (Redis 7.2.6 source tree, default /work/ref),
#        COMPAT_UNITS (unit list, default tests/compat/units.txt),
#        COMPAT_UNIT_TIMEOUT (seconds per unit, default 600),
#        COMPAT_ARGS (extra test_helper.tcl arguments, e.g. "--only /SETRANGE"),
#        COMPAT_OUT (summary file, default build/compat-summary.txt),
#        COMPAT_PID_SHIM (auto, 1 or 0; see below)
#
# The suite runs in its normal mode: it starts its own servers from
# tests/assets/default.conf through src/redis-server. So we copy REDIS_SRC's
# tests/ and runtest into a scratch tree (build/compat-tree, never
# committed), put a copy of the server under test at src/redis-server
# (a copy, so a rebuild in progress cannot break a run) and Debian's
# redis-cli/redis-benchmark/redis-check-* beside it. Each unit then runs in
# its own test_helper.tcl process with one test client, under `timeout`, so
# a unit that crashes or hangs costs only itself. The [ok]/[err]/[exception]
# /[skip]/[ignore] lines of each unit's output (kept in build/compat-logs/)
# become one row of the summary table.
#
# The suite waits for " PID: <pid>" (part of the ASCII logo that
# always-show-logo yes prints) before "Server initialized" in the server's
# log. A server that lacks the logo would hang every unit, so by default
# (auto) a preflight start of the server checks for that line and, if it is
# missing, puts a wrapper at src/redis-server that logs it and then execs
# the server (same PID): the other tests can still be measured meanwhile,
# and the summary says the shim was needed. COMPAT_PID_SHIM=0/1 forces it.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SERVER=${1:-$ROOT/src/stash-server}
REDIS_SRC=${REDIS_SRC:-/work/ref}
UNITS=${COMPAT_UNITS:-$ROOT/tests/compat/units.txt}
UNIT_TIMEOUT=${COMPAT_UNIT_TIMEOUT:-600}
PID_SHIM=${COMPAT_PID_SHIM:-auto}
EXTRA_ARGS=${COMPAT_ARGS:-}
OUT=${COMPAT_OUT:-$ROOT/build/compat-summary.txt}
TREE=$ROOT/build/compat-tree
LOGS=$ROOT/build/compat-logs

die() { echo "compat: $*" >&2; exit 2; }
[ -x "$SERVER" ] || die "no server binary at $SERVER"
[ -f "$REDIS_SRC/tests/test_helper.tcl" ] || die "no Redis test suite under REDIS_SRC=$REDIS_SRC"
[ -f "$UNITS" ] || die "no unit list at $UNITS"
command -v tclsh >/dev/null || die "tclsh not installed"

# copy_server dest: a copy that answers --version, retried for a while in
# case the binary is being relinked by a concurrent make right now.
copy_server() {
    local i
    for i in $(seq 30); do
        cp "$SERVER" "$1" 2>/dev/null && timeout 5 "$1" --version >/dev/null 2>&1 && return 0
        sleep 2
    done
    die "cannot get a working copy of $SERVER"
}

# Fresh scratch tree: the suite's tests/ and runtest, our binaries in src/.
make_tree() {
    rm -rf "$TREE" "$LOGS"
    mkdir -p "$TREE/src" "$LOGS"
    cp -a "$REDIS_SRC/tests" "$TREE/tests"
    cp -a "$REDIS_SRC/runtest" "$TREE/" 2>/dev/null
    if [ "$PID_SHIM" = 1 ]; then
        copy_server "$TREE/src/server-under-test"
        printf '#!/bin/sh\necho "$$:M (compat shim) PID: $$"\nexec "%s" "$@"\n' \
            "$TREE/src/server-under-test" >"$TREE/src/redis-server"
        chmod +x "$TREE/src/redis-server"
    else
        copy_server "$TREE/src/redis-server"
    fi
    local tool
    for tool in redis-cli redis-benchmark redis-check-aof redis-check-rdb; do
        [ -e "/usr/bin/$tool" ] && ln -s "/usr/bin/$tool" "$TREE/src/$tool"
    done
}

# Prints 1 when the server, started once with the suite's default.conf,
# logs no " PID: <pid>" line before "Server initialized", else 0.
needs_pid_shim() {
    local dir=$ROOT/build/compat-preflight pid i port=$(( $(base_port) + 499 )) need=1
    rm -rf "$dir" && mkdir -p "$dir"
    (cd "$dir" && exec "$SERVER" "$REDIS_SRC/tests/assets/default.conf" --port $port --dir "$dir" \
        --pidfile "$dir/pid" >"$dir/log" 2>&1 </dev/null) &
    pid=$!
    for i in $(seq 50); do
        grep -aq 'Server initialized\|Ready to accept' "$dir/log" && break
        kill -0 $pid 2>/dev/null || break
        sleep 0.1
    done
    grep -aq " PID: $pid" "$dir/log" && need=0
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    rm -rf "$dir"
    echo $need
}

# Servers the suite started and left behind (a unit killed by timeout):
# they run our copied binary, so /proc/PID/exe names it exactly.
kill_leftovers() {
    local p exe
    for p in /proc/[0-9]*; do
        exe=$(readlink "$p/exe" 2>/dev/null)
        case "$exe" in "$TREE/src/redis-server" | "$TREE/src/server-under-test") kill -9 "${p#/proc/}" 2>/dev/null ;; esac
    done
}

# A port range of 500 whose +10000 twins (cluster bus) are also below 65536,
# chosen at random so concurrent runs by others rarely collide.
base_port() { echo $((21000 + (RANDOM % 50) * 500)); }

# count tag log: how many lines of a unit's output start with [tag].
count() { grep -ac "^\[$1\]" "$2"; }

# run_unit unit -> one summary row on stdout
run_unit() {
    local unit=$1 log t0 rc status
    log=$LOGS/$(echo "$unit" | tr / _).log
    t0=$SECONDS
    # TERM=dumb: no color codes in the output we parse.
    (cd "$TREE" && TERM=dumb timeout -k 10 "$UNIT_TIMEOUT" tclsh tests/test_helper.tcl --single "$unit" \
        --clients 1 --timeout 60 --baseport "$(base_port)" --portcount 500 $EXTRA_ARGS) >"$log" 2>&1 </dev/null
    rc=$?
    kill_leftovers
    if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
        status=timeout
    elif grep -aq '^\[TIMEOUT\]' "$log"; then
        status=stuck
    elif [ "$(count exception "$log")" -gt 0 ]; then
        status=aborted
    elif grep -aqE 'All tests passed|The following tests failed' "$log"; then
        status=done
    else
        status="rc=$rc"
    fi
    printf '%-22s %5d %5d %9d %7d  %-8s %5ds\n' "$unit" "$(count ok "$log")" "$(count err "$log")" \
        "$(count exception "$log")" $(($(count skip "$log") + $(count ignore "$log"))) "$status" $((SECONDS - t0))
}

# What stopped each aborted unit: the first line of its [exception].
blockers() {
    local unit msg first=1
    for unit in $units; do
        msg=$(grep -a -m 1 '^\[exception\]' "$LOGS/$(echo "$unit" | tr / _).log" 2>/dev/null |
            sed 's/^\[exception\]: Executing test client: //' | cut -c 1-110)
        [ -n "$msg" ] || continue
        [ $first = 1 ] && { echo; echo "Aborted by:"; first=0; }
        printf '  %-20s %s\n' "$unit" "$msg"
    done
}

main() {
    # One run at a time per checkout: the scratch tree and logs are shared.
    mkdir -p "$ROOT/build"
    exec 9>"$ROOT/build/compat.lock"
    flock -w 3600 9 || die "another compat run still holds build/compat.lock"
    [ "$PID_SHIM" = auto ] && PID_SHIM=$(needs_pid_shim)
    make_tree
    local version units unit row
    version=$(timeout 5 "$SERVER" --version 2>/dev/null | head -n 1)
    units=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$UNITS" | grep -v '^$')
    {
        echo "Redis 7.2.6 suite ($REDIS_SRC) against $SERVER"
        echo "  ${version:-(no --version output)}"
        [ "$PID_SHIM" = 1 ] && echo "  PID shim ON: the server logs no \" PID: <pid>\" line (always-show-logo's logo)"
        echo "  tclsh tests/test_helper.tcl --single <unit> --clients 1 --timeout 60 $EXTRA_ARGS"
        echo "  logs: $LOGS"
        echo
        printf '%-22s %5s %5s %9s %7s  %-8s %6s\n' unit ok err exception skipped status time
    } | tee "$OUT"
    for unit in $units; do
        row=$(run_unit "$unit")
        echo "$row" | tee -a "$OUT"
    done
    awk 'NF >= 7 && $2 ~ /^[0-9]+$/ { ok += $2; err += $3; ex += $4; sk += $5 }
        END { printf "%-22s %5d %5d %9d %7d\n", "TOTAL", ok, err, ex, sk }' "$OUT" | tee -a "$OUT"
    blockers | tee -a "$OUT"
    echo "summary written to $OUT"
}

main
