#!/bin/sh
# summary.sh: one line per libFuzzer run, read from its log.
#   sh tests/fuzz/summary.sh <build/fuzz dir> <harness name>
# Prints executions, exec/s, final coverage/features/corpus, peak RSS and,
# when the run failed, the sanitizer's summary and the saved input.
out=$1 name=$2
log=$out/$name.log
status=$(cat "$out/$name.status" 2>/dev/null || echo '?')
stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -n 1; }
last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
field() { echo "$last" | sed -n "s/.* $1: \([^ ]*\).*/\1/p"; }
printf 'fuzz_%s: status %s, %s execs, %s exec/s, cov %s, ft %s, corpus %s, peak rss %s MB\n' \
    "$name" "$status" "$(stat number_of_executed_units)" "$(stat average_exec_per_sec)" \
    "$(field cov)" "$(field ft)" "$(field corp)" "$(stat peak_rss_mb)"
if [ "$status" != 0 ]; then
    grep -E '^(==[0-9]+==ERROR|SUMMARY:)|Test unit written to|deadly signal|out-of-memory|timeout' "$log" | head -n 8
fi
