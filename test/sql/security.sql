-- The threat model, tried as an attacker and a careful reviewer would: a
-- reader building aggregates on the support functions, a database owner
-- who installed the extension reaching for the superuser, the catalog's
-- integrity (renames, references, cycles, extreme dates, the empty scope),
-- DROP EXTENSION, and the reports under a real parallel plan.
\i test/preamble.sql
\set SHOW_CONTEXT never

-- 1. Aggregates built on the support functions of tally_each().  A reader
-- with the README's grants cannot execute them at all; the extension's own
-- aggregate keeps working for the reader.
DROP ROLE IF EXISTS sec_reader;
CREATE ROLE sec_reader;
GRANT USAGE ON SCHEMA hrpolicy TO sec_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA hrpolicy TO sec_reader;
SET ROLE sec_reader;
SELECT error_of($$CREATE AGGREGATE pg_temp.boom(hrpolicy.tally[])
                          (SFUNC = hrpolicy.tally_each_combine, STYPE = hrpolicy.tally[])$$) AS build_on_combine;
SELECT error_of($$CREATE AGGREGATE pg_temp.boom2(text, text[], hrpolicy.rule_filter[])
                          (SFUNC = hrpolicy.tally_each_accum, STYPE = hrpolicy.tally[])$$) AS build_on_accum;
SELECT hrpolicy.tally_each(s, t, ARRAY[ROW('{office}', '{}', '{}', '{sick}')::hrpolicy.rule_filter,
                                     ROW('{office}', '{top2}', '{}', '{}')::hrpolicy.rule_filter])
FROM (VALUES ('office', '{top2}'::text[]), ('home', '{}'), ('sick', '{top2}'), (NULL, '{top2}')) v (s, t);
RESET ROLE;
-- The superuser can build them, and every state they are given is checked
-- before it is touched (this crashed the server in 0.2.0, writing past
-- the end of the state).
CREATE AGGREGATE pg_temp.boom(hrpolicy.tally[]) (SFUNC = hrpolicy.tally_each_combine, STYPE = hrpolicy.tally[]);
CREATE AGGREGATE pg_temp.boom_init(hrpolicy.tally[]) (SFUNC = hrpolicy.tally_each_combine,
                                                        STYPE = hrpolicy.tally[], INITCOND = '{1/1,NULL}');
CREATE AGGREGATE pg_temp.accum(text, text[], hrpolicy.rule_filter[])
    (SFUNC = hrpolicy.tally_each_accum, STYPE = hrpolicy.tally[], INITCOND = '{{1/1},{2/2}}');
SELECT error_of(q) FROM (VALUES
    ($$SELECT pg_temp.boom(x) FROM (VALUES (array_fill(NULL::hrpolicy.tally, ARRAY[100000])),
                                           (array_fill('1/1'::hrpolicy.tally, ARRAY[100000]))) v (x)$$),
    ($$SELECT pg_temp.boom(x) FROM (VALUES (array_fill('1/1'::hrpolicy.tally, ARRAY[3])),
                                           (array_fill('1/1'::hrpolicy.tally, ARRAY[100000]))) v (x)$$),
    ($$SELECT pg_temp.boom(x) FROM (VALUES (array_fill('1/1'::hrpolicy.tally, ARRAY[2, 2]))) v (x)$$),
    ($$SELECT pg_temp.boom(x) FROM (VALUES ('{1/1,2/3}'::hrpolicy.tally[]),
                                           ('{9223372036854775807/9223372036854775807,0/0}'::hrpolicy.tally[])) v (x)$$),
    ($$SELECT pg_temp.boom_init(x) FROM (VALUES ('{1/1,1/1}'::hrpolicy.tally[])) v (x)$$),
    ($$SELECT pg_temp.accum('office', '{}', ARRAY[ROW('{office}', '{}', '{}', '{}')::hrpolicy.rule_filter])$$),
    -- filters that change between the rows of one group
    ($$SELECT hrpolicy.tally_each(s, '{}', f)
       FROM (VALUES ('office', ARRAY[ROW('{office}', '{}', '{}', '{}')::hrpolicy.rule_filter]),
                    ('office', ARRAY[ROW('{office}', '{}', '{}', '{}')::hrpolicy.rule_filter, NULL])) v (s, f)$$),
    ($$SELECT hrpolicy.tally_each('office', '{}', ARRAY[[ROW('{office}', '{}', '{}', '{}')::hrpolicy.rule_filter]])$$),
    ($$SELECT hrpolicy.tally_each_combine('{}', '{}')$$)
) AS t (q);
-- A NULL filter covers nobody, even a row holding every tag of the period.
SELECT hrpolicy.tally_each('office', ARRAY['a', 'b'],
                           ARRAY[NULL, ROW('{office}', '{a,b}', '{}', '{}')::hrpolicy.rule_filter]);

-- 2. Internal functions of the catalog and enforcement: none marks a day
-- checked, and the amendment graph's lock is for catalog writers only.
SET ROLE sec_reader;
SELECT error_of($$SELECT hrpolicy.lock_amendments()$$) AS reader_locks_the_graph;
RESET ROLE;
SELECT p.oid::regprocedure AS executable_by_public
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'hrpolicy'
WHERE p.proname IN ('tally_each_accum', 'tally_each_combine', 'enforce_pending_days', 'enforce_lock_keys')
  AND has_function_privilege('public', p.oid, 'EXECUTE');
SELECT count(*) AS old_lock_functions FROM pg_proc WHERE proname IN ('enforce_lock_keys', 'enforce_pending_days')
  AND pronamespace = 'hrpolicy'::regnamespace;

-- 3. The catalog.  Several decrees renamed in one UPDATE, citing each
-- other: the references follow (0.2.0 refused it).
INSERT INTO hrpolicy.policy (code, valid) VALUES ('A', '[2020-01-01,)');
INSERT INTO hrpolicy.policy (code, valid, amends) VALUES ('B', '[2020-02-01,)', '{A}');
INSERT INTO hrpolicy.policy (code, valid, amends, revokes) VALUES ('C', '[2020-03-01,)', '{B}', '{A}');
INSERT INTO hrpolicy.rule (policy, name, quota) VALUES ('A', 'cap', '<=50%'), ('C', 'cap', '<=25%');
UPDATE hrpolicy.policy SET code = code || '-2020';
SELECT code, amends, revokes FROM hrpolicy.policy ORDER BY code;
SELECT policy, name FROM hrpolicy.rule ORDER BY policy;
-- renamed in the same transaction as inserted, deferred: still checked
BEGIN;
SET CONSTRAINTS ALL DEFERRED;
INSERT INTO hrpolicy.policy (code, valid, amends) VALUES ('D', '[2020-04-01,)', '{NOPE}');
UPDATE hrpolicy.policy SET code = 'D-2020' WHERE code = 'D';
SELECT error_of($$SET CONSTRAINTS ALL IMMEDIATE$$) AS deferred_reference_after_rename;
ROLLBACK;
-- references to unknown decrees, set by UPDATE
SELECT error_of($$UPDATE hrpolicy.policy SET revokes = '{SE-404/2020}' WHERE code = 'B-2020'$$) AS revokes_unknown;
SELECT error_of($$UPDATE hrpolicy.policy SET amends = '{SE-404/2020}' WHERE code = 'B-2020'$$) AS amends_unknown;
-- cycles, however long, named with their chain
SELECT error_of($$UPDATE hrpolicy.policy SET amends = '{C-2020}' WHERE code = 'A-2020'$$) AS cycle;
-- under REPEATABLE READ, reference checks cannot see concurrent commits: refused
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT error_of($$UPDATE hrpolicy.policy SET amends = '{}' WHERE code = 'C-2020'$$) AS repeatable_read_update;
SELECT error_of($$DELETE FROM hrpolicy.policy WHERE code = 'C-2020'$$) AS repeatable_read_delete;
ROLLBACK;
DELETE FROM hrpolicy.policy WHERE code = 'C-2020';
DELETE FROM hrpolicy.policy WHERE code = 'B-2020';
DELETE FROM hrpolicy.policy;

-- 4. Resolution walks the amendment graph once: twenty decrees each
-- amending all earlier ones (2.3 s per lookup in 0.2.0, doubling per
-- decree) and a chain of 300; each defines rule r(i mod 3).
BEGIN;
SET CONSTRAINTS ALL DEFERRED;
INSERT INTO hrpolicy.policy (code, valid, amends)
SELECT 'F' || i, '[2020-01-01,)', ARRAY(SELECT 'F' || j FROM generate_series(1, i - 1) j)
FROM generate_series(1, 20) i;
INSERT INTO hrpolicy.policy (code, valid, amends, scope)
SELECT 'K' || i, '[2020-01-01,)', CASE WHEN i > 1 THEN ARRAY['K' || (i - 1)] ELSE '{}' END, 'chain'
FROM generate_series(1, 300) i;
INSERT INTO hrpolicy.rule (policy, name, quota)
SELECT code, 'r' || (substr(code, 2)::int % 3), '<=50%' FROM hrpolicy.policy;
COMMIT;
SELECT policy, rule, string_agg(defined_by, ',' ORDER BY substr(defined_by, 2)::int) AS defined_by
FROM hrpolicy.rules_in_force('2020-06-01', 'chain.unit') GROUP BY 1, 2 ORDER BY 1, 2;
SELECT root, count(*) AS reached, max(depth) AS deepest
FROM hrpolicy.amendment_lineage('{F20,K300,K1,NOPE,NULL,F20}') GROUP BY root ORDER BY root;
SELECT error_of($$UPDATE hrpolicy.policy SET amends = '{K300}' WHERE code = 'K1'$$) AS long_cycle;
UPDATE hrpolicy.policy SET amends = '{}';
DELETE FROM hrpolicy.policy;

-- 5. One meaning everywhere: the empty scope is the root, every unit (in
-- 0.2.0 violations() applied it and rules_in_force() did not); a decree
-- revoked by one that begins on the first date PostgreSQL knows, or
-- amended at the last, leaves every report working (22008 in 0.2.0).
DROP TABLE IF EXISTS public.sec_roster;
CREATE TABLE public.sec_roster (unit ltree, day date, person text, status text, tags text[]);
INSERT INTO public.sec_roster
SELECT 'kota.dinas', '2020-11-18', 'p' || i, CASE WHEN i <= 2 THEN 'office' ELSE 'home' END, '{}'
FROM generate_series(1, 4) i;
SELECT hrpolicy.use_roster('public.sec_roster');
INSERT INTO hrpolicy.policy (code, valid, scope) VALUES ('ROOT', '[2020-01-01,)', '');
INSERT INTO hrpolicy.rule (policy, name, quota) VALUES ('ROOT', 'cap', '<=25%');
SELECT policy, rule FROM hrpolicy.rules_in_force('2020-11-18', 'kota.dinas');
SELECT policy FROM hrpolicy.policies_in_force('2020-11-18', 'kota.dinas');
SELECT unit, policy, tally, ok FROM hrpolicy.violations('2020-11-18', '2020-11-18');
SELECT unit, policy, tally FROM hrpolicy.compliance('2020-11-18', '2020-11-18', '');
INSERT INTO hrpolicy.policy (code, valid, revokes) VALUES ('EARLIEST', '[4714-11-24 BC,4714-11-24 BC]', '{ROOT}');
INSERT INTO hrpolicy.policy (code, valid) VALUES ('LATEST', '[5874897-12-31,5874897-12-31]');
INSERT INTO hrpolicy.policy (code, valid, amends) VALUES ('AFTER-LATEST', '(5874897-12-30,)', '{LATEST}');
SELECT policy, valid, in_force, ended_by FROM hrpolicy.policy_windows('-infinity', 'infinity') ORDER BY policy;
SELECT count(*) AS rows_after_revocation FROM hrpolicy.compliance('2020-11-18', '2020-11-18');
UPDATE hrpolicy.policy SET amends = '{}', revokes = '{}';
DELETE FROM hrpolicy.policy;

-- 6. The reports under a real partial-aggregate plan: two workers tally
-- parts of the roster, and tally_each's combine function adds their
-- states.  The rows must equal the serial report's.
INSERT INTO public.sec_roster
SELECT ('kota.u' || (i % 7))::ltree, date '2020-11-16' + (i % 5), 'q' || i,
       (ARRAY['office', 'home', 'sick'])[1 + i % 3], CASE WHEN i % 4 = 0 THEN '{top2}'::text[] ELSE '{}' END
FROM generate_series(1, 30000) i;
ANALYZE public.sec_roster;
INSERT INTO hrpolicy.policy (code, valid) VALUES ('SE-1', '[2020-11-01,)');
INSERT INTO hrpolicy.rule (policy, name, quota, who, excused) VALUES
    ('SE-1', 'cap', '<=40%', '{}', '{sick}'), ('SE-1', 'top-in', '>=50%', '{top2}', '{}');
CREATE TEMP TABLE serial AS SELECT * FROM hrpolicy.compliance('2020-11-16', '2020-11-20');
DO $$
BEGIN
    EXECUTE 'PREPARE report_query (date, date, ltree, hrpolicy.report_entry[], hrpolicy.rule_filter[]) AS '
            || hrpolicy.report_query('public.sec_roster', 'compliance', 'SELECT * FROM tallied');
END
$$;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SET enable_hashagg = on;
CREATE FUNCTION pg_temp.plan_lines(query text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    line text;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || query LOOP
        RETURN NEXT line;
    END LOOP;
END
$$;
SELECT regexp_replace(regexp_replace(line, '^ *(->)? *', ''), ' \(actual.*\)$', '') AS plan
FROM (SELECT ARRAY(SELECT e FROM hrpolicy.report_book('2020-11-16', '2020-11-20', NULL, 'compliance') e)::text AS book) b,
     pg_temp.plan_lines(format($$EXECUTE report_query('2020-11-16', '2020-11-20', NULL, %L, hrpolicy.book_filters(%L))$$,
                               b.book, b.book)) AS line
WHERE line ~ '(Partial|Finalize) (Hash|Group)Aggregate|Gather|Workers (Planned|Launched)'
  AND line !~ 'CTE|InitPlan';
CREATE TEMP TABLE parallel AS SELECT * FROM hrpolicy.compliance('2020-11-16', '2020-11-20');
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
SELECT (SELECT count(*) FROM serial) AS serial_rows,
       (SELECT count(*) FROM (SELECT s::text FROM serial s EXCEPT ALL SELECT p::text FROM parallel p) x) AS only_serial,
       (SELECT count(*) FROM (SELECT p::text FROM parallel p EXCEPT ALL SELECT s::text FROM serial s) x) AS only_parallel,
       (SELECT sum(hrpolicy.total(tally)) FROM parallel WHERE rule = 'cap') AS cap_base;
DEALLOCATE report_query;
DELETE FROM hrpolicy.policy;
DELETE FROM hrpolicy.roster_source;
DROP TABLE public.sec_roster;

-- The extension's event triggers run for every role's DDL: a role with no
-- right on schema hrpolicy still creates and alters its tables.
DROP ROLE IF EXISTS sec_stranger;
CREATE ROLE sec_stranger;
GRANT CREATE ON SCHEMA public TO sec_stranger;
SET ROLE sec_stranger;
SELECT error_of($$CREATE TEMP TABLE stranger_temp (x int)$$) AS temp_table,
       error_of($$CREATE TABLE public.stranger (x int)$$) AS table_,
       error_of($$ALTER TABLE public.stranger ADD COLUMN y int$$) AS alter_table;
DROP TABLE public.stranger, stranger_temp;
RESET ROLE;
REVOKE CREATE ON SCHEMA public FROM sec_stranger;
DROP ROLE sec_stranger;

-- 7. DROP EXTENSION without CASCADE keeps the decrees: refused, with a hint.
INSERT INTO hrpolicy.policy (code, valid) VALUES ('KEEP', '[2020-01-01,)');
SELECT error_of($$DROP EXTENSION hrpolicy$$) AS drop_with_decrees;
SELECT count(*) AS decrees_kept FROM hrpolicy.policy;
DELETE FROM hrpolicy.policy;

-- 8. A trusted install by a database owner who is not a superuser: the
-- owner records and grants decrees, and can neither put a trigger on the
-- catalog (which would run as whoever writes decrees, the superuser too),
-- nor create objects in the extension's schema, nor take its functions.
DROP DATABASE IF EXISTS sec_trusted;
DROP ROLE IF EXISTS sec_owner;
CREATE ROLE sec_owner;
CREATE DATABASE sec_trusted OWNER sec_owner;
\set regress_db :DBNAME
\c sec_trusted
SET client_min_messages = warning;
CREATE FUNCTION pg_temp.error_of(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    state text; message text;
BEGIN
    EXECUTE query;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
    RETURN state || ' ' || message;
END
$$;
SET SESSION AUTHORIZATION sec_owner;
CREATE EXTENSION hrpolicy CASCADE;
SELECT pg_get_userbyid(nspowner) = current_user AS owner_owns_schema
FROM pg_namespace WHERE nspname = 'hrpolicy';
SELECT relname, array_agg(privilege_type ORDER BY privilege_type) AS owner_may
FROM pg_class c, aclexplode(c.relacl) a
WHERE c.relnamespace = 'hrpolicy'::regnamespace AND a.grantee = 'sec_owner'::regrole
GROUP BY relname ORDER BY relname;
INSERT INTO hrpolicy.policy (code, valid) VALUES ('SE-OWNER/2020', '[2020-01-01,)');
INSERT INTO hrpolicy.rule (policy, name, quota) VALUES ('SE-OWNER/2020', 'cap', '<=25%');
CREATE FUNCTION public.escalate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    ALTER ROLE sec_owner SUPERUSER;
    RETURN NEW;
END
$$;
SELECT pg_temp.error_of(q) FROM (VALUES
    ($$CREATE TRIGGER escalate BEFORE UPDATE ON hrpolicy.rule FOR EACH ROW EXECUTE FUNCTION public.escalate()$$),
    ($$CREATE TRIGGER escalate BEFORE INSERT ON hrpolicy.policy FOR EACH ROW EXECUTE FUNCTION public.escalate()$$),
    ($$TRUNCATE hrpolicy.circumstance$$),
    ($$CREATE TABLE public.cites (code text REFERENCES hrpolicy.policy (code))$$),
    ($$CREATE FUNCTION hrpolicy.percent(numeric) RETURNS numeric LANGUAGE sql RETURN 0$$),
    ($$CREATE OPERATOR hrpolicy.@> (LEFTARG = text[], RIGHTARG = text[], FUNCTION = pg_catalog.arraycontains)$$),
    ($$ALTER EXTENSION hrpolicy DROP FUNCTION hrpolicy.percent(hrpolicy.tally)$$),
    ($$ALTER SCHEMA hrpolicy OWNER TO sec_owner$$),
    ($$ALTER EVENT TRIGGER hrpolicy_keep_decrees DISABLE$$)
) AS t (q);
RESET SESSION AUTHORIZATION;
-- the superuser renames the decree (cascading into rule.policy as the
-- tables' owner): no code of the database owner runs
UPDATE hrpolicy.policy SET code = 'SE-OWNER/2021' WHERE code = 'SE-OWNER/2020';
SELECT rolsuper AS owner_became_superuser FROM pg_roles WHERE rolname = 'sec_owner';
-- the schema must be empty (and is taken for the superuser) at install
DROP EXTENSION hrpolicy CASCADE;
CREATE FUNCTION hrpolicy.planted() RETURNS int LANGUAGE sql RETURN 1;
SELECT pg_temp.error_of($$CREATE EXTENSION hrpolicy$$) AS install_into_a_schema_with_objects;
DROP FUNCTION hrpolicy.planted();
\c :regress_db
DROP DATABASE sec_trusted;
DROP ROLE sec_owner;
DROP OWNED BY sec_reader;
DROP ROLE sec_reader;
