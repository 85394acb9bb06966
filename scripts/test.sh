#!/usr/bin/env bash
# make test: build warning-free, install into a private directory, and run
# the whole suite on a throwaway cluster, with one summary line per runner:
#   regress     test/sql/*.sql (regression tests, and pgTAP property tests
#               printing TAP) and test/specs/*.spec (isolation), through
#               make installcheck;
#   checks      test/checks/*.sh, what needs more than one session or
#               database: dump/restore, upgrade, security, the enforcement
#               stress test, random input and SQL-level fuzzing;
#   fuzz        libFuzzer on the text parsers, 20 s each (scripts/fuzz.sh).
# Exits non-zero on any failure.  Environment:
#   TEST_CHECKS  the checks to run (default: all of test/checks)
#   TEST_FUZZ    0: skip the libFuzzer run (make sanitize does)
. "$(dirname "$0")/lib.sh"

if [ -z "${HRPOLICY_IN_CLUSTER:-}" ]; then
	need_test_packages
	build_and_install
	cd "$HRPOLICY_ROOT"
	status=0
	CLUSTER_OPTS="max_prepared_transactions=10 ${CLUSTER_OPTS:-}" HRPOLICY_IN_CLUSTER=1 \
		with_cluster bash "$0" "$@" || status=$?
	exit $status
fi

# Inside the cluster.
set +e
cd "$HRPOLICY_ROOT"
status=0
summary=()
log=$(mktemp)
trap 'rm -f "$log"' EXIT
section() { printf '\n== %s\n' "$*"; }

section "regress: test/sql and test/specs"
rm -rf results output_iso regression.diffs regression.out
make -s PG_CONFIG="$PG_CONFIG" installcheck 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
for diffs in regression.diffs output_iso/regression.diffs; do
	if [ -s "$diffs" ]; then
		status=1
		section "$diffs"
		cat "$diffs"
	fi
done
counts=$(grep -oE '(All [0-9]+ tests passed|[0-9]+ of [0-9]+ tests failed)' "$log" | paste -sd ';' | sed 's/;/; /g')
# Tests counted over the runners, for the closing line: pg_regress says
# "All N tests passed" or "F of N tests failed" (PostgreSQL 16 and later
# with a leading "# ").
tests_passed=0 tests_failed=0
while read -r first _ n _; do
	case $first in
	All) tests_passed=$((tests_passed + n)) ;;
	*) tests_failed=$((tests_failed + first)); tests_passed=$((tests_passed + n - first)) ;;
	esac
done < <(grep -oE '(All [0-9]+ tests passed|[0-9]+ of [0-9]+ tests failed)' "$log" | sed -E 's/^All ([0-9]+) .*/All x \1 x/')
summary+=("regress: ${counts:-no result} (test/sql, then test/specs)")

passed=() failed=()
for check in ${TEST_CHECKS:-$(cd test/checks && ls *.sh | sed 's/\.sh$//')}; do
	section "check $check"
	if bash "test/checks/$check.sh"; then passed+=("$check"); else failed+=("$check"); status=1; fi
done
summary+=("checks: ${#passed[@]} passed (${passed[*]})${failed:+, ${#failed[@]} FAILED (${failed[*]})}")
tests_passed=$((tests_passed + ${#passed[@]}))
tests_failed=$((tests_failed + ${#failed[@]}))

if [ "${TEST_FUZZ:-1}" != 0 ]; then
	section "fuzz"
	FUZZ_SECONDS=20 bash scripts/fuzz.sh 2>&1 | tee "$log"
	[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
	summary+=("$(tail -n 1 "$log")")
fi

section "summary"
printf '%s\n' "${summary[@]}"
# A regression run that printed no count failed before running its tests.
[ -n "$counts" ] || tests_failed=$((tests_failed + 1))
echo "tests: $tests_passed passed, $tests_failed failed"
[ $status -eq 0 ] && echo "make test: all passed" || echo "make test: FAILED"
exit $status
