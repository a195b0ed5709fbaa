#!/usr/bin/env bash
# Runs every test suite (what `make test` calls once dependencies are in):
# unit, fuzz, HTTP and browser, in that order, carrying on after a failure
# so that every suite reports. Ends with one line "N passed, N failed"
# totalled over unit tests, fuzz targets, pytest's counts and the browser
# checks, and exits non-zero if anything failed or a suite could not run.
set -u

cd "$(dirname "$0")/.."
logs=$(mktemp -d "${TMPDIR:-/tmp}/inventario-tests.XXXXXX")
total_passed=0
total_failed=0
report=""

# count_line FILE: prints "P F" from the last "N passed, N failed" line.
count_line() {
	local line
	line=$(grep -E '^([A-Za-z0-9_-]+: )?[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
	if [ -z "$line" ]; then
		echo ""
		return
	fi
	echo "$line" | sed -E 's/^([A-Za-z0-9_-]+: )?([0-9]+) passed, ([0-9]+) failed.*/\2 \3/'
}

# pytest's -q summary: "3 failed, 40 passed, 1 error in 12.3s" in any order.
pytest_counts() {
	local line p f e
	line=$(grep -E '[0-9]+ (passed|failed|errors?)\b.* in [0-9.]+s' "$1" | tail -n 1)
	if [ -z "$line" ]; then
		echo ""
		return
	fi
	p=$(echo "$line" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+')
	f=$(echo "$line" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+')
	e=$(echo "$line" | grep -oE '[0-9]+ errors?' | grep -oE '[0-9]+')
	echo "${p:-0} $((${f:-0} + ${e:-0}))"
}

run_suite() {
	local name=$1 target=$2 log="$logs/$1.log" rc counts p f
	echo "=================== make $target"
	make --no-print-directory "$target" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	if [ "$name" = http ]; then
		counts=$(pytest_counts "$log")
	else
		counts=$(count_line "$log")
	fi
	if [ -z "$counts" ]; then
		# It never got to report (a build error, a missing tool): one failure.
		p=0
		f=1
		echo "!! make $target did not report any counts (exit $rc)"
	else
		p=${counts% *}
		f=${counts#* }
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1
			echo "!! make $target exited $rc although nothing was reported failing"
		fi
	fi
	total_passed=$((total_passed + p))
	total_failed=$((total_failed + f))
	report="$report$name: $p passed, $f failed"$'\n'
}

run_suite unit unit
run_suite fuzz fuzz
run_suite http http
run_suite e2e e2e

echo "=================== summary"
printf '%s' "$report"
rm -rf "$logs"
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
