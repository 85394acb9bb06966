-- enforce() and unenforce(): arguments, what they install, and the checks
-- one session can see (the concurrent ones are in specs/).
\i test/preamble.sql
SET datestyle = ISO;
SET client_min_messages = warning;
\set SHOW_CONTEXT never

DROP SCHEMA IF EXISTS hr CASCADE;
CREATE SCHEMA hr;
CREATE TABLE hr.att (unit ltree, day date, person text, status text,
                     tags text[] DEFAULT '{}', stamp timestamp, PRIMARY KEY (person, day));
CREATE VIEW hr.att_roster AS SELECT unit, day, person, status, tags FROM hr.att;
-- 12 people on 2020-11-18, 3 in office: the <=25% cap is full.
INSERT INTO hr.att (unit, day, person, status)
SELECT 'kupang.bkpsdm', '2020-11-18', 'p' || i, CASE WHEN i <= 3 THEN 'office' ELSE 'home' END
FROM generate_series(1, 12) i;
INSERT INTO hrpolicy.policy (code, valid, scope) VALUES ('SE-KUPANG/2020', '[2020-11-17,)', 'kupang');
INSERT INTO hrpolicy.rule (policy, name, quota, who) VALUES
    ('SE-KUPANG/2020', 'wfo-cap', '<=25%', '{}'),
    -- a minimum is never enforced at write time (rosters fill up during the day)
    ('SE-KUPANG/2020', 'structural-in', '>=1', '{structural}');

-- Refused arguments.
SELECT error_of(q) FROM (VALUES
    ($$SELECT hrpolicy.enforce('hr.att', 'day')$$),          -- no roster chosen yet
    ($$SELECT hrpolicy.enforce('hr.att_roster', 'day')$$),
    ($$SELECT hrpolicy.enforce('hr.att', 'date')$$),
    ($$SELECT hrpolicy.enforce('hr.att', 'stamp')$$),
    ($$SELECT hrpolicy.enforce('hr.no_such_table', 'day')$$)
) AS t (q);
SELECT hrpolicy.use_roster('hr.att_roster');

SELECT hrpolicy.enforce('hr.att', 'day');
-- Enforcing again replaces the triggers: still three.
SELECT hrpolicy.enforce('hr.att', 'day');
SELECT tgname, tgdeferrable, tginitdeferred FROM pg_trigger
WHERE tgrelid = 'hr.att'::regclass ORDER BY tgname;
SELECT * FROM hrpolicy.enforcement;

-- A fourth person in office is refused at commit, with unit, day, counts,
-- decree, rule and quota.
SELECT commit_error($$UPDATE hr.att SET status = 'office' WHERE person = 'p4'$$);
-- The same through a real COMMIT.
BEGIN;
UPDATE hr.att SET status = 'office' WHERE person = 'p4';
COMMIT;
SELECT count(*) AS in_office FROM hr.att WHERE status = 'office';

-- Within the cap: a swap, a new person at home, a deletion.
BEGIN;
UPDATE hr.att SET status = 'home' WHERE person = 'p1';
UPDATE hr.att SET status = 'office' WHERE person = 'p4';
INSERT INTO hr.att (unit, day, person, status) VALUES ('kupang.bkpsdm', '2020-11-18', 'p13', 'home');
DELETE FROM hr.att WHERE person = 'p12';
COMMIT;
SELECT count(*) FILTER (WHERE status = 'office') AS in_office, count(*) AS staff FROM hr.att;
-- Nobody structural is in (the minimum is broken), yet writes go through.
SELECT ok FROM hrpolicy.compliance('2020-11-18', '2020-11-18') WHERE rule = 'structural-in';

-- A bulk load queues one check, not one per row or per day: 1,000 rows
-- over 5 days are each recorded by the WHEN clause, and enforce_check runs
-- once, checking all five days.
SET track_functions = 'all';
BEGIN;
INSERT INTO hr.att (unit, day, person, status)
SELECT 'kupang.bkpsdm', date '2020-11-23' + (i % 5), 'b' || i, 'home'
FROM generate_series(1, 1000) i;
SET CONSTRAINTS ALL IMMEDIATE;
SELECT pg_stat_get_xact_function_calls('hrpolicy.note_touched_days(date,date,date)'::regprocedure) AS rows_recorded,
       pg_stat_get_xact_function_calls('hrpolicy.enforce_check()'::regprocedure) AS checks;
COMMIT;
RESET track_functions;

-- A day checked early (SET CONSTRAINTS ... IMMEDIATE) is checked again if
-- touched again before commit.
BEGIN;
SET CONSTRAINTS ALL IMMEDIATE;
UPDATE hr.att SET status = 'home' WHERE person = 'p2';
SET CONSTRAINTS ALL DEFERRED;
UPDATE hr.att SET status = 'office' WHERE person IN ('p5', 'p6');
COMMIT;
SELECT count(*) AS in_office FROM hr.att WHERE day = '2020-11-18' AND status = 'office';

-- A rolled-back savepoint takes its pending days with it: the breach after
-- it is still caught.
BEGIN;
SAVEPOINT a;
INSERT INTO hr.att (unit, day, person, status) VALUES ('kupang.bkpsdm', '2020-11-18', 'p14', 'home');
ROLLBACK TO a;
UPDATE hr.att SET status = 'office' WHERE person = 'p7';
COMMIT;
SELECT count(*) AS in_office FROM hr.att WHERE day = '2020-11-18' AND status = 'office';

-- A savepoint rolled back after an early check: the check it made is undone
-- with it.  In office now: p2, p3, p4.  p8 comes in (4 of 12: a breach);
-- inside the savepoint p8 goes home again and the day is checked early (3
-- of 12, fine); rolling back to the savepoint brings p8 back to the office,
-- so the commit must check the day again, and refuse.
SELECT string_agg(person, ',' ORDER BY person) AS in_office
FROM hr.att WHERE day = '2020-11-18' AND status = 'office';
BEGIN;
UPDATE hr.att SET status = 'office' WHERE person = 'p8';
SAVEPOINT s;
UPDATE hr.att SET status = 'home' WHERE person = 'p8';
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
ROLLBACK TO s;
COMMIT;
SELECT string_agg(person, ',' ORDER BY person) AS in_office
FROM hr.att WHERE day = '2020-11-18' AND status = 'office';
-- A released savepoint keeps its check, and a day touched after its check
-- is checked again at commit (here: 3 of 12 again, fine).
BEGIN;
SAVEPOINT s;
UPDATE hr.att SET status = 'home' WHERE person = 'p2';
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
RELEASE SAVEPOINT s;
UPDATE hr.att SET status = 'office' WHERE person = 'p2';
COMMIT;
SELECT string_agg(person, ',' ORDER BY person) AS in_office
FROM hr.att WHERE day = '2020-11-18' AND status = 'office';

-- Rows without a day are ignored; a day without decrees passes.
INSERT INTO hr.att (unit, day, person, status) VALUES ('kupang.bkpsdm', '2019-01-01', 'old', 'office');

-- REPEATABLE READ is refused at the first write, before any work is done.
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT error_of($$UPDATE hr.att SET status = 'home' WHERE person = 'p3'$$);
ROLLBACK;
-- Reads under REPEATABLE READ are fine.
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT count(*) AS rows_read FROM hrpolicy.compliance('2020-11-18', '2020-11-18');
COMMIT;

-- unenforce() removes exactly what enforce() added.
SELECT hrpolicy.unenforce('hr.att');
SELECT count(*) AS triggers_left FROM pg_trigger WHERE tgrelid = 'hr.att'::regclass;
SELECT hrpolicy.unenforce('hr.att');   -- again: nothing to do
UPDATE hr.att SET status = 'office' WHERE day = '2020-11-18';
SELECT count(*) AS in_office_unenforced FROM hr.att WHERE day = '2020-11-18' AND status = 'office';
-- Enforcing a table whose days already break a cap works (history is not
-- re-judged).  Only a new or worse breach is refused, worse by the heads in
-- office: a write that lowers them lands even if the unit stays over its
-- cap, and a write that raises them again is refused.
SELECT hrpolicy.enforce('hr.att', 'day');
UPDATE hr.att SET status = 'home' WHERE person = 'p1';   -- 11 of 12: over by 8, not 9
SELECT commit_error($$UPDATE hr.att SET status = 'office' WHERE person = 'p1'$$);
SELECT commit_error($$INSERT INTO hr.att (unit, day, person, status)
                              VALUES ('kupang.bkpsdm', '2020-11-18', 'p20', 'office')$$);
-- a home row lowers the share, not the excess: 11 of 13, at most 3 allowed, over by 8 still
SELECT commit_error($$INSERT INTO hr.att (unit, day, person, status)
                              VALUES ('kupang.bkpsdm', '2020-11-18', 'p20', 'home')$$);
-- In a unit already over its cap the heads in office decide, not the
-- excess: a write that puts no one more in office lands even where it
-- shrinks the base, and so what the cap allows (a person at home leaving
-- the roster, a sick note where sick is excused): 11 of 11, at most 2
-- allowed, over by 9, 11 in office before.
SELECT commit_error($$DELETE FROM hr.att WHERE day = '2020-11-18' AND person IN ('p1', 'p20')$$);
-- one more in office is refused, though the base grows by more than what
-- the cap then allows: 12 of 15, at most 3 allowed, over by 9 still
SELECT commit_error($$INSERT INTO hr.att (unit, day, person, status)
                              SELECT 'kupang.bkpsdm', '2020-11-18', 'p' || i, CASE WHEN i = 20 THEN 'office' ELSE 'home' END
                              FROM generate_series(20, 23) i$$);
INSERT INTO hr.att (unit, day, person, status)
VALUES ('kupang.bkpsdm', '2020-11-18', 'p1', 'home'), ('kupang.bkpsdm', '2020-11-18', 'p20', 'home');
UPDATE hr.att SET status = 'home' WHERE day = '2020-11-18' AND person <> ALL ('{p1,p2,p3}');
SELECT count(*) AS in_office FROM hr.att WHERE day = '2020-11-18' AND status = 'office';
-- A unit within its cap may not be put over it by shrinking its base,
-- though no one more is in office: a person at home leaving a full unit
-- (3 of 11, 2 allowed) is refused; else a writer could pad the base with
-- people at home, put a fourth in office (4 of 16, within the cap) and
-- remove the padding in a second commit (4 of 12, 3 allowed).
INSERT INTO hr.att (unit, day, person, status)
SELECT 'kupang.bkpsdm', '2020-11-19', 'p' || i, CASE WHEN i <= 3 THEN 'office' ELSE 'home' END
FROM generate_series(1, 12) i;
SELECT commit_error($$DELETE FROM hr.att WHERE person = 'p12' AND day = '2020-11-19'$$) AS one_at_home_leaves;
SELECT commit_error($$INSERT INTO hr.att (unit, day, person, status)
                              SELECT 'kupang.bkpsdm', '2020-11-19', 'pad' || i, 'home' FROM generate_series(1, 4) i;
                              UPDATE hr.att SET status = 'office' WHERE person = 'p4' AND day = '2020-11-19'$$) AS padded;
SELECT commit_error($$DELETE FROM hr.att WHERE person LIKE 'pad%' AND day = '2020-11-19'$$) AS padding_removed;
SELECT count(*) FILTER (WHERE status = 'office') AS in_office, count(*) AS staff
FROM hr.att WHERE day = '2020-11-19';
DELETE FROM hr.att WHERE day = '2020-11-19';

-- A person column under a case-insensitive collation: 'p1' and 'P1' are one
-- person to the reports (they group by it), so to the duplicate check too.
SELECT hrpolicy.unenforce('hr.att');
CREATE COLLATION hr.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TABLE hr.att_ci (unit ltree, day date, person text COLLATE hr.ci, status text);
CREATE VIEW hr.att_ci_roster AS SELECT unit, day, person, status, '{}'::text[] AS tags FROM hr.att_ci;
SELECT hrpolicy.use_roster('hr.att_ci_roster');
SELECT hrpolicy.enforce('hr.att_ci', 'day');
INSERT INTO hr.att_ci SELECT 'kupang.bkpsdm', '2020-11-18', 'p' || i, 'home' FROM generate_series(1, 8) i;
SELECT commit_error($$INSERT INTO hr.att_ci VALUES ('kupang.bkpsdm', '2020-11-18', 'P1', 'home')$$) AS same_person_other_case;
SELECT count(*) AS rows_ci FROM hr.att_ci;
-- ... wherever the second row is: in another unit, without a status, or
-- without a unit (the check finds persons counted twice in the pass that
-- tallies the caps, whose tallies leave such rows out).
SELECT commit_error($$INSERT INTO hr.att_ci VALUES ('kupang.dinkes', '2020-11-18', 'p2', 'home')$$) AS twice_in_two_units;
SELECT commit_error($$INSERT INTO hr.att_ci VALUES ('kupang.bkpsdm', '2020-11-18', 'P2', NULL)$$) AS twice_without_status;
SELECT commit_error($$INSERT INTO hr.att_ci VALUES (NULL, '2020-11-18', 'p2', 'home')$$) AS twice_without_unit;
-- A person counted twice before, on a day the transaction does not touch,
-- blocks nothing (here: between two days it touches).
SELECT hrpolicy.unenforce('hr.att_ci');
INSERT INTO hr.att_ci VALUES ('kupang.bkpsdm', '2020-11-19', 'p3', 'home'), ('kupang.dinkes', '2020-11-19', 'p3', 'home');
SELECT hrpolicy.enforce('hr.att_ci', 'day');
SELECT commit_error($$INSERT INTO hr.att_ci VALUES ('kupang.bkpsdm', '2020-11-18', 'p20', 'home'),
                                                  ('kupang.bkpsdm', '2020-11-20', 'p20', 'home')$$) AS other_day_counted_twice;
SELECT commit_error($$INSERT INTO hr.att_ci VALUES ('kupang.bkpsdm', '2020-11-19', 'p21', 'home')$$) AS same_day_counted_twice_before;
-- A person counted twice before under two spellings ('p4' and 'P4'): the
-- spelling the check's two reads show for them may differ (an update moves
-- a row to the end of the table, and the grouping shows the first it
-- meets; in parallel workers, whichever worker finishes first), yet it is
-- one old duplicate, which a write adding no row of it does not make new.
SELECT hrpolicy.unenforce('hr.att_ci');
INSERT INTO hr.att_ci VALUES ('kupang.bkpsdm', '2020-11-23', 'p4', 'home'), ('kupang.dinkes', '2020-11-23', 'P4', 'home');
SELECT hrpolicy.enforce('hr.att_ci', 'day');
SELECT commit_error($$UPDATE hr.att_ci SET status = 'sick'
                      WHERE person = 'p4' AND day = '2020-11-23' AND unit = 'kupang.bkpsdm'$$) AS old_duplicate_updated;
-- (the message shows one of the spellings: which one depends on the plan)
SELECT regexp_replace(commit_error($$INSERT INTO hr.att_ci VALUES ('kupang.bkpsdm', '2020-11-23', 'P4', 'home')$$),
                      '^23505 person p4 ', '23505 person p4 ', 'i') AS old_duplicate_grown;
SELECT unit, person, status FROM hr.att_ci WHERE day = '2020-11-23' ORDER BY unit;
-- The aggregates behind it: each group's hashes (person_day_hashes()), and
-- the hashes that repeat among the groups' arrays, which are those
-- person_day_repeats() finds over the rows; in parallel workers too.
CREATE TABLE hr.many (unit text, day date, person text);
INSERT INTO hr.many
SELECT 'u' || (i % 37), date '2020-11-02' + (i % 5), 'p' || (i / 5)
FROM generate_series(1, 20000) i;
INSERT INTO hr.many VALUES ('u1', '2020-11-02', 'p10'), ('u2', '2020-11-03', 'p10'), ('u3', '2020-11-03', 'p10'), (NULL, '2020-11-06', 'p77');
ANALYZE hr.many;
CREATE FUNCTION pg_temp.plan_of(query text) RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    line text;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
        RETURN NEXT line;
    END LOOP;
END
$f$;
\set repeats_by_group 'SELECT hrpolicy.person_day_repeats(g.hashes) FROM (SELECT hrpolicy.person_day_hashes(m.person, m.day) AS hashes FROM hr.many m GROUP BY m.unit, m.day) g'
SELECT (:repeats_by_group) = (SELECT hrpolicy.person_day_repeats(person, day) FROM hr.many) AS same_repeats,
       cardinality((:repeats_by_group)) AS repeats,
       (SELECT array_agg(hrpolicy.person_day_hash(p, d) ORDER BY hrpolicy.person_day_hash(p, d))
        FROM (VALUES ('p10', date '2020-11-02'), ('p10', date '2020-11-03'), ('p77', date '2020-11-06')) v (p, d))
       = (SELECT array_agg(h ORDER BY h) FROM unnest((:repeats_by_group)) h) AS the_rows_behind;
BEGIN;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL enable_hashagg = off;
SELECT count(*) AS partial_in_workers
FROM pg_temp.plan_of(:'repeats_by_group') line
WHERE line ~ 'Partial GroupAggregate';
SELECT (:repeats_by_group) = (SELECT hrpolicy.person_day_repeats(person, day) FROM hr.many) AS same_repeats_in_parallel;
COMMIT;
SELECT error_of($$SELECT hrpolicy.person_day_repeats(h) FROM (VALUES ('{1,NULL}'::bigint[])) v (h)$$) AS hashes_with_null;
SELECT error_of($$SELECT hrpolicy.person_day_repeats(h) FROM (VALUES ('{{1,2},{3,4}}'::bigint[])) v (h)$$) AS hashes_in_two_dimensions;
SELECT hrpolicy.person_day_repeats(h) AS no_repeats FROM (VALUES (NULL::bigint[]), ('{}'), ('{5,6}'), ('{7}')) v (h);
DROP TABLE hr.many;
-- An error the check meets in the roster view is raised with its own
-- SQLSTATE, naming the check and the roster.
CREATE VIEW hr.att_ci_fragile AS
SELECT unit, day, person,
       CASE WHEN person = 'boom' THEN (length(person) / (length(person) - 4))::text ELSE status END AS status,
       '{}'::text[] AS tags
FROM hr.att_ci;
SELECT hrpolicy.use_roster('hr.att_ci_fragile');
SELECT commit_error($$INSERT INTO hr.att_ci VALUES ('kupang.bkpsdm', '2020-11-18', 'boom', 'home')$$) AS error_in_roster;
SELECT hrpolicy.use_roster('hr.att_ci_roster');
SELECT hrpolicy.unenforce('hr.att_ci');
-- A roster view that calls a volatile function is refused, by enforce()
-- and at commit: the function reads with a snapshot of its own, which
-- shows the transaction's changes to the check's read of the state before
-- them, so a new breach would pass as an old one.  Marked STABLE, the same
-- function reads with the check's snapshot, and the breach is refused.
CREATE TABLE hr.att_fn (unit ltree, day date, person text, status text);
INSERT INTO hr.att_fn SELECT 'kupang.bkpsdm', '2020-11-18', 'p' || i, 'home' FROM generate_series(1, 8) i;
CREATE FUNCTION hr.status_of(p text, d date) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN
    RETURN (SELECT a.status FROM hr.att_fn a WHERE a.person = p AND a.day = d);
END
$f$;
CREATE VIEW hr.att_fn_roster AS
SELECT unit, day, person, hr.status_of(person, day) AS status, '{}'::text[] AS tags FROM hr.att_fn;
SELECT hrpolicy.use_roster('hr.att_fn_roster');
SELECT error_of($$SELECT hrpolicy.enforce('hr.att_fn', 'day')$$) AS volatile_function_in_roster;
ALTER FUNCTION hr.status_of(text, date) STABLE;
SELECT hrpolicy.enforce('hr.att_fn', 'day');
SELECT commit_error($$UPDATE hr.att_fn SET status = 'office' WHERE person IN ('p1', 'p2', 'p3')$$) AS breach_through_stable_function;
ALTER FUNCTION hr.status_of(text, date) VOLATILE;
SELECT commit_error($$UPDATE hr.att_fn SET status = 'office' WHERE person IN ('p1', 'p2', 'p3')$$) AS volatile_at_commit;
-- ... and so it is when the view reaches the function through an operator
-- or an aggregate.
ALTER FUNCTION hr.status_of(text, date) STABLE;
CREATE FUNCTION hr.status_op(p text, d date) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN
    RETURN (SELECT a.status FROM hr.att_fn a WHERE a.person = p AND a.day = d);
END
$f$;
CREATE OPERATOR hr.~@ (LEFTARG = text, RIGHTARG = date, FUNCTION = hr.status_op);
CREATE OR REPLACE VIEW hr.att_fn_roster AS
SELECT unit, day, person, person OPERATOR(hr.~@) day AS status, '{}'::text[] AS tags FROM hr.att_fn;
SELECT commit_error($$UPDATE hr.att_fn SET status = 'office' WHERE person IN ('p1', 'p2', 'p3')$$) AS volatile_operator_at_commit;
CREATE FUNCTION hr.status_step(s text, p text, d date) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN
    RETURN (SELECT a.status FROM hr.att_fn a WHERE a.person = p AND a.day = d);
END
$f$;
CREATE AGGREGATE hr.status_agg(text, date) (SFUNC = hr.status_step, STYPE = text);
CREATE OR REPLACE VIEW hr.att_fn_roster AS
SELECT unit, day, person, (SELECT hr.status_agg(x.p, x.d) FROM (VALUES (person, day)) x (p, d)) AS status,
       '{}'::text[] AS tags
FROM hr.att_fn;
SELECT commit_error($$UPDATE hr.att_fn SET status = 'office' WHERE person IN ('p1', 'p2', 'p3')$$) AS volatile_aggregate_at_commit;
SELECT count(*) FILTER (WHERE status = 'office') AS in_office FROM hr.att_fn;
SELECT hrpolicy.unenforce('hr.att_fn');
SELECT hrpolicy.use_roster('hr.att_ci_roster');
DELETE FROM hrpolicy.policy;
DELETE FROM hrpolicy.roster_source;
DROP SCHEMA hr CASCADE;
