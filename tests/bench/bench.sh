#!/usr/bin/env bash
# bench.sh: Stash against Debian's redis-server, same settings, same load.
#
#   sh tests/bench/bench.sh /abs/path/stash-server        (what `make bench` runs)
#   env: REDIS_SERVER (default /usr/bin/redis-server), BENCH_ROUNDS (7),
#        BENCH_SECONDS (2: target length of one run), BENCH_OUT (summary file),
#        BENCH_KEYS (1000000; smaller only for a quick smoke run)
#
# Both servers listen on loopback ports found free, with --save '' and
# --appendonly no and the same maxclients. First, memory per key: on the
# fresh instances, exactly 1,000,000 SETs of key:%012d (the names
# redis-benchmark's -r uses) with 16-byte values go through redis-cli --pipe;
# used_memory and RSS are read before and after. Then, on the loaded
# instances, every workload is calibrated once per server (which also warms
# it up) and run BENCH_ROUNDS times per server, interleaved stash, redis,
# stash, redis... For each run we keep redis-benchmark's requests/sec and
# the server's CPU time (utime+stime of /proc/PID/stat) per request.
# The table shows medians and Stash/Redis ratios. A figure Stash cannot
# produce yet (missing command, crash) is printed as n/a; a server found
# dead is restarted for the next workload. Both servers are killed by PID
# on exit.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

STASH=${1:?usage: bench.sh /abs/path/to/stash-server}
REDIS=${REDIS_SERVER:-/usr/bin/redis-server}
ROUNDS=${BENCH_ROUNDS:-7}
TARGET=${BENCH_SECONDS:-2}
CLIENTS=50
KEYS=${BENCH_KEYS:-1000000} # keys loaded and -r for 16-byte workloads
BIG_KEYS=10000 # 16 KB values: 10k keys (160 MB), in db 1, not 1M (16 GB)
MAXCLIENTS=1000
HZ=$(getconf CLK_TCK)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${BENCH_OUT:-$ROOT/build/bench-summary.txt}
WORK=$(mktemp -d /tmp/stash-bench.XXXXXX)
BENCH="redis-benchmark -h 127.0.0.1 -c $CLIENTS --csv"

declare -A PID PORT BIN

cleanup() {
    for s in stash redis; do
        if [ -n "${PID[$s]:-}" ] && kill -0 "${PID[$s]}" 2>/dev/null; then
            kill "${PID[$s]}" 2>/dev/null
            for _ in $(seq 50); do kill -0 "${PID[$s]}" 2>/dev/null || break; sleep 0.1; done
            kill -9 "${PID[$s]}" 2>/dev/null
        fi
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "$*" >&2; }

# A loopback port nobody answers on.
free_port() {
    local p
    for _ in $(seq 100); do
        p=$((20000 + RANDOM % 30000))
        (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo $p; return; }
    done
    echo 0
}

# start_server stash|redis: starts it fresh (new dir), waits for PING.
start_server() {
    local s=$1 port try
    for try in 1 2 3 4 5; do
        port=$(free_port)
        rm -rf "$WORK/$s" && mkdir -p "$WORK/$s"
        (cd "$WORK/$s" && exec "${BIN[$s]}" --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
            --maxclients $MAXCLIENTS --daemonize no --dir "$WORK/$s" >"$WORK/$s/log" 2>&1) &
        PID[$s]=$!
        PORT[$s]=$port
        for _ in $(seq 100); do
            kill -0 "${PID[$s]}" 2>/dev/null || break
            # Still alive a moment after the PONG: the port is really ours
            # (a server that lost the race for it exits at once).
            [ "$(cli "$s" PING 2>/dev/null)" = PONG ] && sleep 0.3 && alive "$s" && return 0
            sleep 0.1
        done
        kill -9 "${PID[$s]}" 2>/dev/null
        wait "${PID[$s]}" 2>/dev/null
    done
    log "cannot start $s (${BIN[$s]}); log:"
    tail -n 5 "$WORK/$s/log" >&2
    exit 1
}

alive() { kill -0 "${PID[$1]}" 2>/dev/null; }
cli() { local s=$1; shift; timeout 30 redis-cli -h 127.0.0.1 -p "${PORT[$s]}" "$@"; }

# Server CPU time so far, in clock ticks (fields 14 and 15 of stat; the
# command name in field 2 may hold spaces, so cut after its ')').
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }

# A figure from INFO, or n/a when INFO (or the field) is missing.
info_field() {
    local v
    v=$(cli "$1" INFO "$2" 2>/dev/null | tr -d '\r' | sed -n "s/^$3://p")
    echo "${v:-n/a}"
}
rss_bytes() { awk '/^VmRSS:/ {print $2 * 1024}' "/proc/${PID[$1]}/status"; }

# Arithmetic helpers (n/a in, n/a out).
ratio() {
    case "$1/$2" in
    *n/a* | /* | */) echo n/a ;;
    *) awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }' ;;
    esac
}
median() {
    local vals
    vals=$(printf '%s\n' "$@" | grep -v '^n/a$' | grep -v '^$' | sort -g)
    [ -z "$vals" ] && { echo n/a; return; }
    echo "$vals" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ---------------------------------------------------------------- memory
# 1M SETs of key:%012d -> 16-byte value, as RESP, for redis-cli --pipe.
gen_load() {
    awk -v n=$KEYS 'BEGIN { for (i = 0; i < n; i++)
        printf "*3\r\n$3\r\nSET\r\n$16\r\nkey:%012d\r\n$16\r\nvvvvvvvvvvvvvvvv\r\n", i }' >"$WORK/load.resp"
}

# per_key before after keys -> bytes per key, one decimal
per_key() {
    case "$1$2" in *n/a*) echo n/a ;; *) awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.1f", (b - a) / n }' ;; esac
}

declare -A MEM
measure_memory() {
    local s=$1 used0 rss0 used1 rss1 keys pipe_out
    used0=$(info_field "$s" memory used_memory)
    rss0=$(rss_bytes "$s")
    pipe_out=$(timeout 300 redis-cli -h 127.0.0.1 -p "${PORT[$s]}" --pipe <"$WORK/load.resp" 2>&1 | tr -d '\r')
    keys=$(cli "$s" DBSIZE 2>/dev/null)
    case "$keys" in '' | *[!0-9]*) keys=n/a ;; esac
    used1=$(info_field "$s" memory used_memory)
    rss1=$(rss_bytes "$s")
    MEM[$s.pipe]=$(echo "$pipe_out" | grep -o 'errors: [0-9]*, replies: [0-9]*' | tail -n 1)
    MEM[$s.keys]=$keys
    local n=$keys
    [ "$n" = n/a ] && n=$KEYS
    MEM[$s.used]=$(per_key "$used0" "$used1" "$n")
    MEM[$s.rss]=$(per_key "$rss0" "$rss1" "$n")
    alive "$s" || MEM[$s.keys]="n/a (server died)"
}

# ---------------------------------------------------------------- throughput
# name | redis-benchmark arguments | probe command that must not fail
WORKLOADS=(
    "PING_MBULK P1|-t ping_mbulk -P 1|PING"
    "PING_MBULK P16|-t ping_mbulk -P 16|PING"
    "SET 16B P1|-t set -d 16 -r $KEYS -P 1|SET probe:k 1"
    "SET 16B P16|-t set -d 16 -r $KEYS -P 16|SET probe:k 1"
    "GET 16B P1|-t get -d 16 -r $KEYS -P 1|GET probe:k"
    "GET 16B P16|-t get -d 16 -r $KEYS -P 16|GET probe:k"
    "SET 16KB P1|-t set -d 16384 -r $BIG_KEYS --dbnum 1 -P 1|SET probe:k 1"
    "SET 16KB P16|-t set -d 16384 -r $BIG_KEYS --dbnum 1 -P 16|SET probe:k 1"
    "GET 16KB P1|-t get -d 16384 -r $BIG_KEYS --dbnum 1 -P 1|GET probe:k"
    "GET 16KB P16|-t get -d 16384 -r $BIG_KEYS --dbnum 1 -P 16|GET probe:k"
    "INCR P1|-t incr -r $KEYS -P 1|INCR probe:n"
    "INCR P16|-t incr -r $KEYS -P 16|INCR probe:n"
    "MSET P1|-t mset -d 16 -r $KEYS -P 1|MSET probe:a 1 probe:b 2"
    "MSET P16|-t mset -d 16 -r $KEYS -P 16|MSET probe:a 1 probe:b 2"
)

# run_once server n args... -> "rps cpu_us_per_request" (n/a n/a on failure)
run_once() {
    local s=$1 n=$2 out t0 t1 rps
    shift 2
    alive "$s" || { echo "n/a n/a"; return; }
    t0=$(cpu_ticks "${PID[$s]}")
    out=$(timeout 120 $BENCH -p "${PORT[$s]}" -n "$n" "$@" 2>"$WORK/bench.err")
    local rc=$?
    alive "$s" || { echo "n/a n/a"; return; }
    t1=$(cpu_ticks "${PID[$s]}")
    rps=$(echo "$out" | tail -n 1 | cut -d, -f2 | tr -d '"')
    if [ $rc -ne 0 ] || ! [[ "$rps" =~ ^[0-9.]+$ ]]; then
        log "  $s: redis-benchmark failed (rc $rc): $(head -c 200 "$WORK/bench.err")"
        echo "n/a n/a"
        return
    fi
    echo "$rps $(awk -v d=$((t1 - t0)) -v hz="$HZ" -v n="$n" 'BEGIN { printf "%.3f", d / hz / n * 1e6 }')"
}

# Requests for about TARGET seconds at the calibrated rate, within bounds.
size_run() {
    awk -v r="$1" -v t="$TARGET" -v lo="$2" 'BEGIN { n = int(r * t / 1000) * 1000;
        if (n < lo) n = lo; if (n > 5000000) n = 5000000; print n }'
}

declare -A RES CMDS
bench_workload() {
    local name=$1 args=$2 probe=$3 s n0 r reply
    local -A N OK
    case "$args" in *16384*) n0=5000 ;; *"-P 16"*) n0=100000 ;; *) n0=20000 ;; esac
    for s in stash redis; do
        alive "$s" || { log "  $s was dead: restarted (keyspace lost)"; start_server "$s"; }
        reply=$(cli "$s" $probe 2>&1 | head -n 1)
        OK[$s]=1
        case "$reply" in ERR* | "(error)"* | *"Could not connect"* | "") OK[$s]=0 ;; esac
        if [ "${OK[$s]}" = 1 ]; then
            r=$(run_once "$s" "$n0" $args)
            N[$s]=$(size_run "${r%% *}" "$n0")
            [ "${r%% *}" = n/a ] && OK[$s]=0
        fi
        [ "${OK[$s]}" = 1 ] || log "  $s: $name unavailable ($reply)"
    done
    CMDS[$name]="$BENCH -p PORT -n ${N[stash]:-?}/${N[redis]:-?} $args"
    for i in $(seq "$ROUNDS"); do
        for s in stash redis; do
            if [ "${OK[$s]}" = 1 ]; then r=$(run_once "$s" "${N[$s]}" $args); else r="n/a n/a"; fi
            RES[$name.$s.rps]+="${r%% *} "
            RES[$name.$s.cpu]+="${r##* } "
        done
    done
}

# ---------------------------------------------------------------- report
report() {
    local name w s
    printf '\nStash %s vs %s\n' "$STASH" "$($REDIS --version | cut -d' ' -f1-3)"
    printf '%d clients, %d rounds per server interleaved, ~%ss per run; medians; ratio = stash/redis\n' \
        $CLIENTS "$ROUNDS" "$TARGET"
    printf '16B workloads: -r %d over %d preloaded keys; 16KB workloads: -r %d in db 1\n\n' $KEYS $KEYS $BIG_KEYS
    printf '%-16s %12s %12s %7s   %11s %11s %7s\n' workload "stash rps" "redis rps" ratio \
        "stash us/rq" "redis us/rq" ratio
    for w in "${WORKLOADS[@]}"; do
        name=${w%%|*}
        local sr rr sc rc
        sr=$(median ${RES[$name.stash.rps]}); rr=$(median ${RES[$name.redis.rps]})
        sc=$(median ${RES[$name.stash.cpu]}); rc=$(median ${RES[$name.redis.cpu]})
        printf '%-16s %12s %12s %7s   %11s %11s %7s\n' "$name" "$sr" "$rr" "$(ratio "$sr" "$rr")" \
            "$sc" "$rc" "$(ratio "$sc" "$rc")"
    done
    printf '\nMemory per key, %d SETs of key:%%012d -> 16-byte value, minus the empty server\n' $KEYS
    printf '%-8s %18s %14s %10s   %s\n' server "used_memory/key" "RSS/key" keys "redis-cli --pipe"
    for s in stash redis; do
        printf '%-8s %18s %14s %10s   %s\n' $s "${MEM[$s.used]}" "${MEM[$s.rss]}" "${MEM[$s.keys]}" "${MEM[$s.pipe]:-n/a}"
    done
    printf '%-8s %18s %14s\n' ratio "$(ratio "${MEM[stash.used]}" "${MEM[redis.used]}")" \
        "$(ratio "${MEM[stash.rss]}" "${MEM[redis.rss]}")"
    printf '\nCommands (PORT = each server'"'"'s port, -n = stash/redis request counts):\n'
    printf '  %s --port PORT --bind 127.0.0.1 --save '"''"' --appendonly no --maxclients %d --daemonize no\n' \
        "<server>" $MAXCLIENTS
    printf '  awk generator (1M x SET key:%%012d vvvvvvvvvvvvvvvv) | redis-cli -p PORT --pipe\n'
    for w in "${WORKLOADS[@]}"; do printf '  %s\n' "${CMDS[${w%%|*}]}"; done
    printf '  CPU per request = delta(utime+stime of /proc/PID/stat) / %s Hz / requests\n' "$HZ"
}

main() {
    BIN[stash]=$STASH
    BIN[redis]=$REDIS
    local t0=$SECONDS
    start_server stash
    start_server redis
    log "stash pid ${PID[stash]} port ${PORT[stash]}; redis pid ${PID[redis]} port ${PORT[redis]}"
    log "memory: loading $KEYS keys into each"
    gen_load
    measure_memory stash
    measure_memory redis
    rm -f "$WORK/load.resp"
    for w in "${WORKLOADS[@]}"; do
        IFS='|' read -r name args probe <<<"$w"
        log "$name  ($((SECONDS - t0))s)"
        bench_workload "$name" "$args" "$probe"
    done
    mkdir -p "$(dirname "$OUT")"
    report | tee "$OUT"
    log "total $((SECONDS - t0))s; summary in $OUT"
}

main
