#!/usr/bin/env bash
# Enforcement's check read by parallel workers.  The check's pass over the
# roster (hrpolicy.enforcement_findings()) may run in parallel workers at
# commit; they must count the committing transaction's own rows, and read
# the state before its changes with the same snapshot, or a breach would
# commit (or a write that lowers an old breach be refused).  On the layout
# of the stress test (attendance partitioned by month, a second table, one
# roster view over both), with parallel plans made cheap for these small
# tables, each case's commit is logged by auto_explain, and the log must
# show the check's query gathering from workers that were launched:
#   1. a write that puts a unit over its cap is refused (23514), whether
#      written through the parent, into a partition or into the second table;
#   2. a unit already over its cap (loaded before enforce()): a write that
#      lowers its excess commits, one that raises it is refused;
#   3. a person written twice on a day is refused (23505);
#   4. a write within the cap commits.
# Runs inside the throwaway cluster, as a superuser (LOAD 'auto_explain').
set -euo pipefail
cd "$(dirname "$0")/../.."
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

db=hrpolicy_parallel_check
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "enforce_parallel: $*" >&2; exit 1; }

psql -qX -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -qX -v ON_ERROR_STOP=1 -d "$db" -o /dev/null <<'SQL'
CREATE EXTENSION hrpolicy CASCADE;
CREATE TABLE att (unit ltree NOT NULL, day date NOT NULL, person text NOT NULL,
                  status text NOT NULL, tags text[] NOT NULL DEFAULT '{}') PARTITION BY RANGE (day);
CREATE TABLE att_2021_03 PARTITION OF att FOR VALUES FROM ('2021-03-01') TO ('2021-04-01');
CREATE TABLE manual (LIKE att INCLUDING DEFAULTS);
CREATE VIEW roster AS SELECT * FROM att UNION ALL SELECT * FROM manual;
INSERT INTO hrpolicy.policy (code, valid, scope) VALUES ('CAP', '[2021-01-01,2021-12-31]', 'kota');
INSERT INTO hrpolicy.rule (policy, name, quota) VALUES ('CAP', 'wfo-cap', '<=25%');
SELECT hrpolicy.use_roster('roster');
-- kota.a: 1 of 8 in office; kota.b: already over its cap, 4 of 8
INSERT INTO att SELECT 'kota.a', '2021-03-01', 'a' || i, CASE WHEN i = 1 THEN 'office' ELSE 'home' END
FROM generate_series(1, 8) i;
INSERT INTO att SELECT 'kota.b', '2021-03-01', 'b' || i, CASE WHEN i <= 4 THEN 'office' ELSE 'home' END
FROM generate_series(1, 8) i;
SELECT hrpolicy.enforce('att', 'day');
SELECT hrpolicy.enforce('manual', 'day');
SQL

# One transaction, its commit logged: prints the outcome and, in $work/plan,
# what auto_explain logged for the check's query.
attempt() {
	local name=$1 sql=$2 out
	out=$(psql -X -d "$db" 2>&1 <<SQL || true
LOAD 'auto_explain';
SET auto_explain.log_min_duration = 0;
SET auto_explain.log_analyze = on;
SET auto_explain.log_timing = off;
SET auto_explain.log_nested_statements = on;
SET auto_explain.log_level = notice;
SET client_min_messages = notice;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET max_parallel_workers_per_gather = 2;
BEGIN;
$sql
COMMIT;
\echo outcome :SQLSTATE
SQL
)
	printf '%s\n' "$out" > "$work/$name.log"
	# The plan of the check's pass over the roster (the query that calls
	# tally_each()), one of the plans auto_explain logged.
	awk '/^NOTICE:  duration/ { if (plan ~ /tally_each\(/) print plan; plan = "" }
	     { plan = plan $0 "\n" }
	     END { if (plan ~ /tally_each\(/) print plan }' "$work/$name.log" > "$work/$name.plan"
	[ -s "$work/$name.plan" ] || { cat "$work/$name.log" >&2; fail "$name: no plan of the check's pass was logged"; }
	grep -q 'Workers Launched: [1-9]' "$work/$name.plan" ||
		{ cat "$work/$name.plan" >&2; fail "$name: the check did not run in parallel workers"; }
	sed -n 's/^outcome //p' "$work/$name.log" | tail -1
}
expect() {
	local name=$1 want=$2 sql=$3 got
	got=$(attempt "$name" "$sql")
	[ "$got" = "$want" ] || { cat "$work/$name.log" >&2; fail "$name: SQLSTATE $got, expected $want"; }
	echo "enforce_parallel: $name: $got (check in parallel workers)"
}

expect breach_parent 23514 "INSERT INTO att VALUES ('kota.a', '2021-03-01', 'a9', 'office');
UPDATE att SET status = 'office' WHERE person = 'a2';"
expect breach_partition 23514 "UPDATE att_2021_03 SET status = 'office' WHERE person IN ('a2', 'a3');"
expect breach_second_table 23514 "INSERT INTO manual VALUES ('kota.a', '2021-03-01', 'm1', 'office'), ('kota.a', '2021-03-01', 'm2', 'office');"
expect old_breach_lowered 00000 "UPDATE att SET status = 'home' WHERE person = 'b1';"
expect old_breach_raised 23514 "UPDATE att SET status = 'office' WHERE person = 'b5';"
expect counted_twice 23505 "INSERT INTO manual VALUES ('kota.a', '2021-03-01', 'a3', 'home');"
expect within_cap 00000 "INSERT INTO att VALUES ('kota.a', '2021-03-01', 'a9', 'home'), ('kota.a', '2021-03-01', 'a10', 'office');"

# What committed: kota.a 2 of 10 in office, kota.b 3 of 8, nobody twice.
state=$(psql -qXAt -d "$db" -c "SELECT string_agg(unit || ' ' || o || '/' || n, ', ' ORDER BY unit)
                                FROM (SELECT unit::text, count(*) FILTER (WHERE status = 'office') o, count(*) n
                                      FROM roster GROUP BY unit) s")
[ "$state" = "kota.a 2/10, kota.b 3/8" ] || fail "committed state: $state"
echo "enforce_parallel: committed state $state"
psql -qX -d postgres -c "DROP DATABASE $db"
echo "enforce_parallel: every check ran in parallel workers and judged as the serial check does"
