#!/usr/bin/env bash
# Planted look-alikes with exact argument types (section 5 of
# scripts/check-security.sh; runs alone too, inside a cluster made by
# pg_virtualenv, PG* set).
#
# The threat model: no role gets its code run by another role through the
# extension, not by operators or functions planted in any schema (exact
# argument types included), and no role changes what a report answers but
# by changing decrees or attendance.  Release 0.2.0 broke it: its report
# query ran with ltree's schema on the search_path and used unqualified
# operators, and an operator with exact argument types there (public, in
# most databases) beats pg_catalog's polymorphic one.
#
#  1. derive the operator names, function names and types the extension
#     uses from its own SQL as installed (derive.sql, in the reference
#     database, which serves as the scratch database);
#  2. plant look-alikes of all of them in public of hrpolicy_planted, each
#     logging its calls, before and after CREATE EXTENSION hrpolicy, and
#     check that each one does capture an unqualified call (plant.sql);
#  3. load the same data into both databases (data.sql) and compare every
#     report (reports.sql) as the superuser with the default search_path,
#     as the superuser with public first, and as a reader with the
#     README's grants; no look-alike may have run (public.planted_calls),
#     and no object of the extension may be bound to one (depends.sql).
set -euo pipefail
cd "$(dirname "$0")"
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

run() { psql -qX -v ON_ERROR_STOP=1 "$@"; }
pw=${PGPASSWORD:-hrpolicy-test}
ref=hrpolicy_planted_ref
planted=hrpolicy_planted
reader=hrp_planted_reader
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

run -d postgres -c "DROP DATABASE IF EXISTS $planted" -c "DROP DATABASE IF EXISTS $ref" \
	-c "DROP ROLE IF EXISTS $reader" -c "CREATE ROLE $reader LOGIN PASSWORD '$pw'" \
	-c "CREATE DATABASE $ref" -c "CREATE DATABASE $planted"

# 1. What to imitate, from a clean install.
run -d "$ref" -c 'CREATE EXTENSION ltree SCHEMA public' -c 'CREATE EXTENSION hrpolicy'
derived=$(run -At -d "$ref" -f derive.sql)
mapfile -t lists <<<"$derived"
[ "${#lists[@]}" -eq 3 ] || { echo "FAILED: derive.sql printed ${#lists[@]} lines, not 3" >&2; exit 1; }
ops=${lists[0]} funcs=${lists[1]} types=${lists[2]}
count() { echo "SELECT pg_catalog.cardinality(:'list'::text[])" | run -At -d "$ref" -v list="$1"; }
n_opnames=$(count "$ops") n_funcnames=$(count "$funcs") n_types=$(count "$types")

# 2. Plant, install hrpolicy among the look-alikes, plant again.
run -d "$planted" -c 'CREATE EXTENSION ltree SCHEMA public'
planting=$(run -At -d "$planted" -v ops="$ops" -v funcs="$funcs" -v types="$types" -f plant.sql)
IFS='|' read -r n_ops n_funcs n_skipped <<<"$(tail -n 1 <<<"$planting")"
grep '^skipped: ' <<<"$planting" | sed 's/^skipped: /note: not planted: /' || true

# 3. The same data and reports in both databases.  A look-alike that runs
# says so on stderr (a WARNING), kept to be shown if the check fails; a
# psql that fails (a look-alike can also make a query fail) stops the test.
psql_err() {
	if ! run "$@" 2>>"$out/stderr"; then
		echo "FAILED: psql $*:"
		cat "$out/stderr"
		exit 1
	fi
}
for db in "$ref" "$planted"; do
	psql_err -d "$db" -v reader="$reader" -f data.sql -o "$out/$db.data"
	psql_err -d "$db" -v public_first=off -v writes=on -f reports.sql -o "$out/$db.superuser"
	psql_err -d "$db" -v public_first=on -v writes=on -f reports.sql -o "$out/$db.public-first"
	psql_err -d "$db" -U "$reader" -v public_first=off -v writes=off -f reports.sql -o "$out/$db.reader"
done

failed=0
for what in data superuser public-first reader; do
	if ! diff -u --label "clean database ($what)" --label "planted database ($what)" \
		"$out/$ref.$what" "$out/$planted.$what" > "$out/$what.diff"; then
		echo "FAILED: the planted look-alikes changed the answers ($what):"
		head -n 60 "$out/$what.diff" | cut -c1-200
		[ "$(wc -l < "$out/$what.diff")" -le 60 ] || echo "  ... ($(wc -l < "$out/$what.diff") lines of diff)"
		failed=1
	fi
done
# Every call counts in the sequence, even one whose transaction rolled back.
ran=$(run -At -d "$planted" -c 'SELECT CASE WHEN s.is_called THEN s.last_value ELSE 0 END FROM public.planted_call_seq s')
if [ "$ran" != 0 ]; then
	echo "FAILED: planted look-alikes ran $ran times; as recorded in committed transactions:"
	run -At -d "$planted" -c 'SET search_path = pg_catalog, pg_temp' \
		-c "SELECT pg_catalog.format('  %s ran as %s, %s times', c.what, c.by_role, pg_catalog.count(*))
		    FROM public.planted_calls c GROUP BY c.what, c.by_role ORDER BY 1"
	echo "  and as reported by their WARNINGs (also those rolled back):"
	grep 'WARNING:  planted look-alike ran' "$out/stderr" | sed 's/^.*ran: /  /' | sort | uniq -c
	failed=1
fi
bound=$(run -At -d "$planted" -f depends.sql)
if [ -n "$bound" ]; then
	echo "FAILED: objects of hrpolicy depend on operators or functions of neither hrpolicy nor ltree:"
	sed 's/^/  /' <<<"$bound"
	failed=1
fi
# The writes meant to test enforcement did (in the clean database).
for what in data superuser; do
	if ! grep -q '| refused: ' "$out/$ref.$what" || ! grep -q '| accepted' "$out/$ref.$what"; then
		echo "FAILED: the enforced writes ($what) did not come out as one accepted and one refused:"
		cat "$out/$ref.$what"
		failed=1
	fi
done

run -d postgres -c "DROP DATABASE $planted" -c "DROP DATABASE $ref" -c "DROP ROLE $reader"
planted_what="planted $n_ops operators and $n_funcs functions (from $n_opnames operator names,\
 $n_funcnames function names, $n_types types, derived from the extension's SQL) before and after install"
if [ "$failed" -ne 0 ]; then
	echo "check-security: $planted_what; FAILED (above)"
	exit 1
fi
echo "check-security: $planted_what; reports identical; none ran"
