#!/usr/bin/env bash
# pg_dump / pg_restore round trip: the user's decrees, rules and circumstances
# (extension config tables), the chosen roster and the enforcement triggers
# survive; resolution and the reports answer the same, and enforcement still
# refuses a breach in the restored database.
# Runs inside the throwaway cluster (PG* variables set by pg_virtualenv).
set -euo pipefail
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
cd "$(dirname "$0")/../.."

src=hrpolicy_dump_src
dst=hrpolicy_dump_dst
dump=$(mktemp -d)
trap 'rm -rf "$dump"' EXIT

psql -qX -v ON_ERROR_STOP=1 -d postgres \
	-c "DROP DATABASE IF EXISTS $src" -c "DROP DATABASE IF EXISTS $dst" \
	-c "CREATE DATABASE $src" -c "CREATE DATABASE $dst"

psql -qX -v ON_ERROR_STOP=1 -d "$src" -o /dev/null <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION hrpolicy CASCADE;
INSERT INTO hrpolicy.policy (code, title, issuer, issued_on, valid, scope, amends, revokes, note) VALUES
    ('SE-58/2020', 'new normal', 'MenPAN-RB', '2020-05-31', '[2020-06-05,)', NULL, '{}', '{}', NULL),
    ('SE-67/2020', 'zones', 'MenPAN-RB', '2020-09-04', '[2020-09-04,)', NULL, '{SE-58/2020}', '{}', 'amends 58'),
    ('SE-KUPANG/2020', 'Kota Kupang', 'Wali Kota', '2020-11-16', '[2020-11-17,)', 'kupang', '{}', '{}', NULL),
    ('SE-25/2021', 'PPKM', 'MenPAN-RB', '2021-06-30', '[2021-07-01,)', NULL, '{}', '{SE-67/2020}', NULL);
INSERT INTO hrpolicy.rule (policy, name, quota, counts, who, unless, excused, only_when) VALUES
    ('SE-58/2020', 'wfo-cap', '<=50%', '{office}', '{}', '{}', '{}', NULL),
    ('SE-58/2020', 'structural-in', '>=50%', '{office}', '{structural}', '{over55}', '{leave,sick}', NULL),
    ('SE-67/2020', 'wfo-cap', '<=25%', '{office}', '{}', '{}', '{}', 'zone:high'),
    ('SE-67/2020', 'wfo-cap', '<=33.33%', '{office}', '{}', '{}', '{}', 'zone:medium'),
    ('SE-KUPANG/2020', 'wfo-cap', '<=25%', '{office}', '{}', '{}', '{}', '!public-service'),
    ('SE-KUPANG/2020', 'closure', 'none', '{office,duty}', '{}', '{}', '{}', 'closed');
INSERT INTO hrpolicy.circumstance (scope, valid, label, note) VALUES
    ('kupang', '[2020-11-01,2021-02-28]', 'zone:high', 'zona coklat'),
    ('kupang.dinkes', '[2020-01-01,)', 'public-service', NULL),
    ('kupang.bkpsdm', '[2020-11-18,2020-11-20]', 'closed', 'a positive case');
-- Rewrite the amended and revoked decrees so that they come last in the
-- table's physical order, hence after the decrees that cite them in the dump.
UPDATE hrpolicy.policy SET note = 'touched' WHERE code IN ('SE-58/2020', 'SE-67/2020');
UPDATE hrpolicy.rule SET who = who WHERE policy = 'SE-KUPANG/2020';
-- The user's attendance, a roster view over it, enforcement.
CREATE SCHEMA hr;
CREATE TABLE hr.attendance (unit ltree NOT NULL, day date NOT NULL, person text NOT NULL,
                            status text NOT NULL, structural boolean NOT NULL DEFAULT false,
                            PRIMARY KEY (person, day));
CREATE VIEW hr.roster AS
    SELECT unit, day, person, status,
           CASE WHEN structural THEN ARRAY['structural'] ELSE ARRAY[]::text[] END AS tags
    FROM hr.attendance;
INSERT INTO hr.attendance
SELECT u, d, u::text || '-p' || i, CASE WHEN (i + extract(day FROM d)::int) % 5 = 0 THEN 'office' ELSE 'home' END, i <= 2
FROM unnest('{kupang.bkpsdm,kupang.dinkes,belu.x}'::ltree[]) AS u,
     generate_series(date '2020-11-16', date '2020-11-20', interval '1 day') AS d,
     generate_series(1, 12) AS i;
SELECT hrpolicy.use_roster('hr.roster');
SELECT hrpolicy.enforce('hr.attendance', 'day');
SQL

pg_dump -Fc -f "$dump/db.dump" "$src"
pg_restore --exit-on-error -d "$dst" "$dump/db.dump"

snapshot() {
	psql -qXAt -v ON_ERROR_STOP=1 -d "$1" <<'SQL'
SET datestyle = ISO;
SELECT 'policy', p.* FROM hrpolicy.policy p ORDER BY code;
SELECT 'rule', r.* FROM hrpolicy.rule r ORDER BY policy, name, only_when;
SELECT 'circumstance', c.* FROM hrpolicy.circumstance c ORDER BY scope, label, valid;
SELECT 'in force', d, u, r.*
FROM generate_series(date '2020-06-01', date '2021-08-01', interval '9 days') AS d,
     unnest('{kupang.bkpsdm,kupang.dinkes,belu}'::ltree[]) AS u,
     LATERAL hrpolicy.rules_in_force(d::date, u) r
ORDER BY 2, 3, 4, 5, 8;
SELECT 'roster', hrpolicy.roster();
SELECT 'enforced', * FROM hrpolicy.enforcement;
SELECT 'compliance', c.* FROM hrpolicy.compliance('2020-11-16', '2020-11-20') c
ORDER BY day, unit, policy, rule, only_when;
SQL
}

snapshot "$src" > "$dump/before"
snapshot "$dst" > "$dump/after"
if ! diff -u "$dump/before" "$dump/after"; then
	echo "dump_restore: the restored database differs (diff above)" >&2
	exit 1
fi
# Enforcement works in the restored database: a breach is refused.
if psql -qX -d "$dst" -c "UPDATE hr.attendance SET status = 'office' WHERE unit = 'kupang.bkpsdm' AND day = '2020-11-18'" 2>"$dump/err"; then
	echo "dump_restore: enforcement let a breach through after the restore" >&2
	exit 1
fi
grep -q ' at kupang.bkpsdm on 2020-11-18' "$dump/err" || { cat "$dump/err" >&2; exit 1; }
grep -q '^compliance' "$dump/before" && grep -q '^enforced|hr.attendance|day' "$dump/before" || {
	echo "dump_restore: the snapshot misses the reports or enforcement" >&2; exit 1; }
rows=$(grep -c . "$dump/before")
[ "$rows" -gt 40 ] || { echo "dump_restore: only $rows rows compared" >&2; exit 1; }
echo "dump_restore: $rows catalog, resolution, roster, enforcement and report rows identical after pg_dump/pg_restore; enforcement refuses a breach after it"
psql -qX -d postgres -c "DROP DATABASE $src" -c "DROP DATABASE $dst"
