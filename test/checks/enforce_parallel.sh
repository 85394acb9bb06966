#!/usr/bin/env bash
# Enforcement's check read by parallel workers.  The planner may run the
# check's pass over the roster (hrpolicy.enforcement_findings()) in
# parallel workers at commit, as any query whose roster is big enough (or
# whose costs say so); the workers must count the committing
# transaction's own rows, and read
# the state before its changes with the same snapshot, or a breach would
# commit (or a write that lowers an old breach be refused).  On the layout
# of the stress test (attendance partitioned by month, a second table, one
# roster view over both), with parallel plans made cheap for these small
# tables; the view passes each row through a PARALLEL SAFE function that
# raises a notice, and a notice relayed from a parallel worker (its
# CONTEXT says so) must come with each case's commit:
#   1. a write that puts a unit over its cap is refused (23514), whether
#      written through the parent, into a partition or into the second table;
#   2. a unit already over its cap (loaded before enforce()): a write that
#      lowers its excess commits, one that raises it is refused;
#   3. a person written twice on a day is refused (23505);
#   4. a write within the cap commits;
# under READ COMMITTED and under SERIALIZABLE.
# Runs inside the throwaway cluster.
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
-- Says who reads the row: a notice from a parallel worker reaches the
-- client with the CONTEXT "parallel worker".  A condition of the view, so
-- that it runs where the rows are scanned, whatever the plan aggregates
-- them with.
CREATE FUNCTION read_row(tags text[]) RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RAISE NOTICE 'roster row read';
    RETURN tags IS NOT NULL;
END
$$;
CREATE VIEW roster AS
SELECT r.unit, r.day, r.person, r.status, r.tags
FROM (SELECT * FROM att UNION ALL SELECT * FROM manual) r
WHERE read_row(r.tags);
INSERT INTO hrpolicy.policy (code, valid, scope) VALUES ('CAP', '[2021-01-01,2021-12-31]', 'kota');
INSERT INTO hrpolicy.rule (policy, name, quota) VALUES ('CAP', 'wfo-cap', '<=25%');
SELECT hrpolicy.use_roster('roster');
-- On each day, kota.a: 1 of 8 in office; kota.b: already over its cap, 4 of 8
INSERT INTO att SELECT 'kota.a', d, 'a' || i, CASE WHEN i = 1 THEN 'office' ELSE 'home' END
FROM generate_series(1, 8) i, (VALUES (date '2021-03-01'), ('2021-03-02')) d (d);
INSERT INTO att SELECT 'kota.b', d, 'b' || i, CASE WHEN i <= 4 THEN 'office' ELSE 'home' END
FROM generate_series(1, 8) i, (VALUES (date '2021-03-01'), ('2021-03-02')) d (d);
SELECT hrpolicy.enforce('att', 'day');
SELECT hrpolicy.enforce('manual', 'day');
SQL

# One transaction; prints the SQLSTATE of its COMMIT, after checking that
# the commit's check had a parallel worker read roster rows.
attempt() {
	local name=$1 sql=$2 out
	out=$(psql -X -d "$db" 2>&1 <<SQL || true
SET default_transaction_isolation = '$isolation';
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
BEGIN;
$sql
SET client_min_messages = notice;
\set SHOW_CONTEXT always
\echo commit
COMMIT;
\echo outcome :SQLSTATE
SQL
)
	name=${name//[^a-z_]/_}
	printf '%s\n' "$out" > "$work/$name.log"
	[ "$(sed -n '/^commit$/,$p' "$work/$name.log" | grep -cx 'parallel worker')" -gt 0 ] ||
		{ cat "$work/$name.log" >&2; fail "$name: no parallel worker read the roster for the check"; }
	sed -n 's/^outcome //p' "$work/$name.log" | tail -1
}
expect() {
	local name=$1 want=$2 sql=$3 got
	got=$(attempt "$name" "$sql")
	[ "$got" = "$want" ] || { cat "$work/${name//[^a-z_]/_}.log" >&2; fail "$name: SQLSTATE $got, expected $want"; }
	echo "enforce_parallel: $name: $got (check in parallel workers)"
}

# Each isolation level on a day of its own.
round() {
	isolation=$1
	local d=$2 state
	expect "$isolation: breach_parent" 23514 "INSERT INTO att VALUES ('kota.a', '$d', 'a9', 'office');
UPDATE att SET status = 'office' WHERE person = 'a2' AND day = '$d';"
	expect "$isolation: breach_partition" 23514 "UPDATE att_2021_03 SET status = 'office' WHERE person IN ('a2', 'a3') AND day = '$d';"
	expect "$isolation: breach_second_table" 23514 "INSERT INTO manual VALUES ('kota.a', '$d', 'm1', 'office'), ('kota.a', '$d', 'm2', 'office');"
	expect "$isolation: old_breach_lowered" 00000 "UPDATE att SET status = 'home' WHERE person = 'b1' AND day = '$d';"
	expect "$isolation: old_breach_raised" 23514 "UPDATE att SET status = 'office' WHERE person = 'b5' AND day = '$d';"
	expect "$isolation: counted_twice" 23505 "INSERT INTO manual VALUES ('kota.a', '$d', 'a3', 'home');"
	expect "$isolation: within_cap" 00000 "INSERT INTO att VALUES ('kota.a', '$d', 'a9', 'home'), ('kota.a', '$d', 'a10', 'office');"
	# What committed: kota.a 2 of 10 in office, kota.b 3 of 8, nobody twice.
	state=$(psql -qXAt -d "$db" -c "SELECT string_agg(unit || ' ' || o || '/' || n, ', ' ORDER BY unit)
	                                FROM (SELECT unit::text, count(*) FILTER (WHERE status = 'office') o, count(*) n
	                                      FROM roster WHERE day = '$d' GROUP BY unit) s")
	[ "$state" = "kota.a 2/10, kota.b 3/8" ] || fail "$isolation: committed state on $d: $state"
	echo "enforce_parallel: $isolation: committed state on $d $state"
}
round 'read committed' 2021-03-01
round serializable 2021-03-02
psql -qX -d postgres -c "DROP DATABASE $db"
echo "enforce_parallel: every check ran in parallel workers and judged as the serial check does"
