#!/usr/bin/env bash
# Upgrade test: install each earlier release, record decrees (and, from
# 0.2.0, a roster, an enforced table and a user view built on a report
# function), ALTER EXTENSION hrpolicy UPDATE, and compare every object of
# the extension (definitions, columns, constraints, indexes, triggers,
# event triggers, comments, grants, dump registration, the schema's owner
# and rights) with a fresh install of the current version.  The decrees
# recorded before the upgrade must still be there and resolve the same,
# the user's view must survive, and the enforced table must be enforced
# by the current release.  Runs inside the throwaway cluster (PG* set by
# pg_virtualenv).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

current=$(sed -n "s/^default_version *= *'\(.*\)'.*/\1/p" hrpolicy.control)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run() { psql -qX -v ON_ERROR_STOP=1 "$@"; }

describe() {
	run -d "$1" -At <<'SQL'
SELECT 'version ' || extversion FROM pg_extension WHERE extname = 'hrpolicy';
WITH members AS (
    SELECT d.classid, d.objid FROM pg_depend d
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'hrpolicy'
    WHERE d.deptype = 'e' AND d.refclassid = 'pg_extension'::regclass
)
SELECT * FROM (
    SELECT 'function ' || p.oid::regprocedure || E'\n' || CASE WHEN p.prokind = 'a'
               THEN 'aggregate' ELSE pg_get_functiondef(p.oid) END
           || ' acl=' || coalesce(p.proacl::text, 'default')
           || ' comment=' || coalesce(obj_description(p.oid, 'pg_proc'), '') AS d
    FROM members m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
    UNION ALL
    SELECT 'relation ' || c.oid::regclass || ' kind=' || c.relkind::text || ' options=' || coalesce(c.reloptions::text, '')
           || ' acl=' || coalesce(c.relacl::text, 'default')
           || ' comment=' || coalesce(obj_description(c.oid, 'pg_class'), '')
           || coalesce(E'\n' || pg_get_viewdef(c.oid), '')
    FROM members m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
    UNION ALL
    SELECT 'column ' || a.attrelid::regclass || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
           || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
           || coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '')
           || ' comment=' || coalesce(col_description(a.attrelid, a.attnum), '')
    FROM members m JOIN pg_attribute a ON m.classid = 'pg_class'::regclass AND a.attrelid = m.objid
    LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
    WHERE a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT 'constraint ' || co.conrelid::regclass || ' ' || co.conname || ' ' || pg_get_constraintdef(co.oid)
    FROM members m JOIN pg_constraint co ON m.classid = 'pg_class'::regclass AND co.conrelid = m.objid
    UNION ALL
    SELECT 'index ' || pg_get_indexdef(i.indexrelid)
    FROM members m JOIN pg_index i ON m.classid = 'pg_class'::regclass AND i.indrelid = m.objid
    UNION ALL
    SELECT 'trigger ' || pg_get_triggerdef(t.oid)
    FROM members m JOIN pg_trigger t ON m.classid = 'pg_class'::regclass AND t.tgrelid = m.objid
    WHERE NOT t.tgisinternal
    UNION ALL
    SELECT 'type ' || t.oid::regtype || ' ' || t.typtype::text || ' comment=' || coalesce(obj_description(t.oid, 'pg_type'), '')
    FROM members m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
    UNION ALL
    SELECT 'operator ' || o.oid::regoperator || ' -> ' || o.oprcode::regproc
           || ' commutator=' || o.oprcom::regoperator::text || ' negator=' || o.oprnegate::regoperator::text
    FROM members m JOIN pg_operator o ON m.classid = 'pg_operator'::regclass AND o.oid = m.objid
    UNION ALL
    SELECT 'opclass ' || oc.opcname || ' ' || am.amname
    FROM members m JOIN pg_opclass oc ON m.classid = 'pg_opclass'::regclass AND oc.oid = m.objid
    JOIN pg_am am ON am.oid = oc.opcmethod
    UNION ALL
    SELECT 'schema owner ' || pg_get_userbyid(n.nspowner) || ' acl ' || coalesce(n.nspacl::text, 'default')
    FROM pg_namespace n WHERE n.nspname = 'hrpolicy'
    UNION ALL
    SELECT 'event trigger ' || t.evtname || ' ' || t.evtevent || ' ' || t.evtfoid::regproc
           || ' ' || coalesce(t.evttags::text, '') || ' ' || t.evtenabled::text
    FROM members m JOIN pg_event_trigger t ON m.classid = 'pg_event_trigger'::regclass AND t.oid = m.objid
    UNION ALL
    SELECT 'config ' || c::regclass || ' ' || coalesce(cond, 'NULL')
    FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS x (c, cond)
    WHERE e.extname = 'hrpolicy'
) x ORDER BY 1;
SQL
}


check_from() {
	local previous=$1
	run -d postgres -c 'DROP DATABASE IF EXISTS hrpolicy_upgraded' -c 'DROP DATABASE IF EXISTS hrpolicy_fresh' \
		-c 'CREATE DATABASE hrpolicy_upgraded' -c 'CREATE DATABASE hrpolicy_fresh'
	run -d hrpolicy_upgraded <<SQL
CREATE EXTENSION hrpolicy VERSION '$previous' CASCADE;
INSERT INTO hrpolicy.policy (code, valid, amends) VALUES
    ('SE-58/2020', '[2020-06-05,)', '{}'), ('SE-67/2020', '[2020-09-04,)', '{SE-58/2020}');
INSERT INTO hrpolicy.rule (policy, name, quota, only_when) VALUES
    ('SE-58/2020', 'wfo-cap', '<=50%', NULL), ('SE-67/2020', 'wfo-cap', '<=25%', 'zone:high');
INSERT INTO hrpolicy.circumstance (scope, valid, label) VALUES ('kupang', '[2020-11-01,2020-12-31]', 'zone:high');
SQL
	if [ "$previous" != 0.1.0 ]; then
		run -d hrpolicy_upgraded -o /dev/null <<'SQL'
CREATE TABLE att (unit ltree, day date, person text, status text, tags text[] DEFAULT '{}');
INSERT INTO att SELECT 'kupang.bkpsdm', '2020-11-18', 'p' || i, CASE WHEN i <= 3 THEN 'office' ELSE 'home' END
FROM generate_series(1, 12) i;
SELECT hrpolicy.use_roster('att');
SELECT hrpolicy.enforce('att', 'day');
CREATE VIEW user_report AS SELECT * FROM hrpolicy.violations('2020-11-01', '2020-11-30');
SQL
	fi
	# every decree and rule kept, resolving as before (0.3.0 adds a column, per)
	resolved="SELECT r.policy, r.rule, r.quota, r.defined_by, r.only_when FROM hrpolicy.rules_in_force('2020-11-18', 'kupang.bkpsdm') r"
	kept="SELECT (SELECT string_agg(p::text, ';' ORDER BY p.code) FROM hrpolicy.policy p), (SELECT string_agg(ROW(r.policy, r.name, r.quota, r.counts, r.who, r.unless, r.excused, r.only_when)::text, ';' ORDER BY r.policy, r.name, r.only_when) FROM hrpolicy.rule r)"
	run -d hrpolicy_upgraded -At -c "SET datestyle = ISO" -c "$resolved" -c "$kept" > "$work/before"
	run -d hrpolicy_upgraded -c "ALTER EXTENSION hrpolicy UPDATE TO '$current'"
	run -d hrpolicy_fresh -c 'CREATE EXTENSION hrpolicy CASCADE'

	describe hrpolicy_upgraded > "$work/upgraded"
	describe hrpolicy_fresh > "$work/fresh"
	if ! diff -u "$work/fresh" "$work/upgraded"; then
		echo "upgrade: $previous updated to $current differs from a fresh $current (diff above: - fresh, + upgraded)" >&2
		exit 1
	fi
	run -d hrpolicy_upgraded -At -c "SET datestyle = ISO" -c "$resolved" -c "$kept" > "$work/after"
	if ! diff -u "$work/before" "$work/after"; then
		echo "upgrade: the decrees resolve differently after the update" >&2
		exit 1
	fi
	grep -q 'SE-67/2020' "$work/after"
	if [ "$(run -d hrpolicy_upgraded -At -c "SELECT count(*) FROM hrpolicy.rule WHERE per <> 'unit-day'")" != 0 ]; then
		echo "upgrade: the rules of $previous did not all become unit-day rules" >&2
		exit 1
	fi
	if [ "$previous" != 0.1.0 ]; then
		run -d hrpolicy_upgraded <<'SQL'
DO $$
BEGIN
    IF (SELECT count(*) FROM user_report) <> 0 THEN
        RAISE EXCEPTION 'the user''s view over violations() changed';
    END IF;
    IF NOT EXISTS (SELECT FROM hrpolicy.enforcement WHERE tbl = 'att'::regclass AND day_column = 'day') THEN
        RAISE EXCEPTION 'the table enforced by % is no longer enforced', '0.2.0';
    END IF;
    UPDATE att SET status = 'office' WHERE person = 'p4';
    SET CONSTRAINTS ALL IMMEDIATE;
    RAISE EXCEPTION 'the enforced table took a fourth person in office after the update';
EXCEPTION WHEN check_violation THEN
    NULL;
END
$$;
SQL
	fi
	objects=$(grep -c . "$work/fresh")
	run -d postgres -c 'DROP DATABASE hrpolicy_upgraded' -c 'DROP DATABASE hrpolicy_fresh'
	echo "upgrade: $previous -> $current gives the same $objects object lines as a fresh install; decrees kept"
}

check_from 0.1.0
check_from 0.2.0
