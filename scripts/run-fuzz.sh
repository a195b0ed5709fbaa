#!/usr/bin/env bash
# Runs each libFuzzer binary given as an argument (what `make fuzz` calls)
# for FUZZ_SECONDS (default 10) on a scratch copy of its seed corpus
# (tests/fuzz/corpus/<name>/), so runs never write into the repository.
# Any crash, leak, timeout or out-of-memory fails the target; the input that
# did it is kept and its path printed.
# Usage: FUZZ_SECONDS=30 scripts/run-fuzz.sh build/fuzz/bin/fuzz_x [...]
set -u

seconds=${FUZZ_SECONDS:-10}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/inventario-fuzz.XXXXXX")
passed=0
failed=0
keep=0

for bin in "$@"; do
	name=$(basename "$bin")
	short=${name#fuzz_}
	corpus="$work/$short/corpus"
	artifacts="$work/$short/artifacts"
	mkdir -p "$corpus" "$artifacts"
	if [ -d "$here/tests/fuzz/corpus/$short" ]; then
		cp -R "$here/tests/fuzz/corpus/$short/." "$corpus/"
	fi
	echo "== $name for ${seconds}s"
	log="$work/$short/log"
	"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
		-print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && [ -z "$(ls -A "$artifacts")" ]; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
		echo "ok $name (${runs:-?} runs)"
		passed=$((passed + 1))
	else
		echo "FAIL $name (exit $rc); last lines of its log:"
		tail -n 60 "$log"
		for f in "$artifacts"/*; do
			[ -e "$f" ] || continue
			echo "-- input $f:"
			od -A d -c "$f" | head -n 20
		done
		failed=$((failed + 1))
		keep=1
	fi
done

if [ "$keep" -eq 1 ]; then
	echo "fuzz logs and inputs kept in $work"
else
	rm -rf "$work"
fi
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
