#!/bin/sh
# tests/run.sh: runs each test binary given on the command line, shows its
# cmocka output, and ends with one line "N passed, N failed" summing the
# cmocka summaries. A binary that dies without a summary counts as one
# failure. Each binary gets a time limit so a hung test cannot stall CI.
# Exit status: 0 only if nothing failed.
passed=0
failed=0
limit=${TEST_TIMEOUT:-300}
out=$(mktemp)
for bin in "$@"; do
    echo "=== $bin"
    timeout -k 10 "$limit" "$bin" >"$out" 2>&1
    rc=$?
    cat "$out"
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\..*/\1/p' "$out" | awk '{s+=$1} END {print s+0}')
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s).*/\1/p' "$out" | awk '{s+=$1} END {print s+0}')
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ] || { [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; }; then
        echo "!!! $bin exited with status $rc without a failing-test summary: counted as 1 failure"
        f=$((f + 1))
    fi
    passed=$((passed + p))
    failed=$((failed + f))
done
rm -f "$out"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
