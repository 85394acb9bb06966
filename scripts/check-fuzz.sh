#!/usr/bin/env bash
# The short fuzzing run for make test: each libFuzzer harness for
# FUZZ_SECONDS (default 20; both side by side on two CPUs or more).  Needs
# no database.  The long run is make fuzz (scripts/fuzz.sh, 60 s each).
set -euo pipefail
cd "$(dirname "$0")/.."

out=$(mktemp)
trap 'rm -f "$out"' EXIT
if FUZZ_SECONDS="${FUZZ_SECONDS:-20}" bash scripts/fuzz.sh 2>&1 | tee "$out"; then
	echo "check-fuzz: $(tail -n 1 "$out" | sed 's/^fuzz: //')"
else
	echo "check-fuzz: FAILED: $(tail -n 1 "$out" | sed 's/^fuzz: \(FAILED: \)\{0,1\}//')"
	exit 1
fi
