#!/usr/bin/env bash
# Runs each cmocka unit-test binary given as an argument (what `make unit`
# calls), shows its output, and adds up cmocka's PASSED/FAILED counts. A
# binary that dies without reporting (a sanitizer abort, a crash) counts as
# one failure, so a crash can never pass silently; so does one that runs
# past UNIT_TIMEOUT seconds (default 300), so a hang cannot stall the run.
# Usage: scripts/run-unit.sh build/asan/tests/test_x [...]
set -u

limit=${UNIT_TIMEOUT:-300}

total_passed=0
total_failed=0
failed_bins=""

for bin in "$@"; do
	echo "== $bin"
	out=$(mktemp)
	timeout -k 10 "$limit" "$bin" >"$out" 2>&1
	rc=$?
	cat "$out"
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		echo "!! $bin did not finish within ${limit}s"
	fi
	passed=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test(s)\..*/\1/p' "$out" | awk '{s+=$1} END {print s+0}')
	failed=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test(s).*/\1/p' "$out" | awk '{s+=$1} END {print s+0}')
	rm -f "$out"
	if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
		echo "!! $bin exited with status $rc without a cmocka failure report"
		failed=1
	fi
	if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
		echo "!! $bin ran no test"
		failed=1
	fi
	[ "$failed" -eq 0 ] || failed_bins="$failed_bins $bin"
	total_passed=$((total_passed + passed))
	total_failed=$((total_failed + failed))
done

[ -z "$failed_bins" ] || echo "failing binaries:$failed_bins"
echo "unit: $total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
