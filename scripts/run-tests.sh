#!/usr/bin/env bash
# The test suite proper; runs inside the throwaway cluster made by test.sh.
set -uo pipefail
cd "$(dirname "$0")/.."

status=0
summary=()
log=$(mktemp)
trap 'rm -f "$log"' EXIT

section() { printf '\n== %s\n' "$*"; }

section "pg_regress and isolation specs"
rm -rf results output_iso regression.diffs regression.out
if make -s PG_CONFIG="$PG_CONFIG" installcheck 2>&1 | tee "$log"; then
	:
else
	status=1
fi
grep -qE 'tests? (passed|failed)|failed \(ignoring|not ok' "$log" || status=1
for diffs in regression.diffs output_iso/regression.diffs; do
	if [ -s "$diffs" ]; then
		status=1
		section "$diffs"
		cat "$diffs"
	fi
done
while IFS= read -r line; do summary+=("pg_regress: ${line# }"); done \
	< <(grep -E '^ *(# )?(All [0-9]+ tests passed|[0-9]+ of [0-9]+ tests failed)' "$log" || true)

section "pgTAP"
psql -qX -c 'DROP DATABASE IF EXISTS hrpolicy_tap' -c 'CREATE DATABASE hrpolicy_tap' postgres
if pg_prove -d hrpolicy_tap test/*.sql 2>&1 | tee "$log"; then
	:
else
	status=1
fi
while IFS= read -r line; do summary+=("pg_prove: $line"); done \
	< <(grep -E '^(All tests successful|Files=|Result:|Failed)' "$log" || true)

for check in scripts/check-*.sh; do
	[ -e "$check" ] || continue
	name=$(basename "$check" .sh)
	section "$name"
	if bash "$check"; then
		summary+=("$name: ok")
	else
		summary+=("$name: FAILED")
		status=1
	fi
done

section "summary"
printf '%s\n' "${summary[@]}"
if [ $status -eq 0 ]; then
	echo "make test: all passed"
else
	echo "make test: FAILED"
fi
exit $status
