-- A period of one day reads that day: a report or an enforcement check of
-- one day (and a check of a few days, day by day) reads the attendance
-- partition holding it, not every partition.
-- PostgreSQL carries an equality on the roster's day, not a range, across a
-- view's outer join to its attendance table; the reports add the equality
-- when the period is one day.  What each query scanned is read from
-- pg_stat_xact_user_tables, without parallel workers (whose scans the
-- leader's view of the transaction does not count).
\i test/preamble.sql
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;

DROP SCHEMA IF EXISTS od CASCADE;
CREATE SCHEMA od;
CREATE TABLE od.person_unit (person text PRIMARY KEY, unit ltree NOT NULL);
CREATE TABLE od.calendar (day date PRIMARY KEY);
CREATE TABLE od.attendance (person text NOT NULL, day date NOT NULL, status text NOT NULL)
    PARTITION BY RANGE (day);
CREATE TABLE od.attendance_2020_10 PARTITION OF od.attendance
    FOR VALUES FROM ('2020-10-01') TO ('2020-11-01');
CREATE TABLE od.attendance_2020_11 PARTITION OF od.attendance
    FOR VALUES FROM ('2020-11-01') TO ('2020-12-01');
INSERT INTO od.person_unit SELECT 'p' || i, 'kota.dinas' FROM generate_series(1, 8) i;
INSERT INTO od.calendar SELECT d FROM generate_series('2020-10-01'::date, '2020-11-30', '1 day') d;
-- two of eight in the office every day: 25%
INSERT INTO od.attendance
SELECT p.person, c.day, CASE WHEN p.person IN ('p1', 'p2') THEN 'office' ELSE 'home' END
FROM od.person_unit p CROSS JOIN od.calendar c;
ANALYZE od.person_unit, od.calendar, od.attendance;
-- the recipe's shape: everyone on every day, absent when nothing was recorded
CREATE VIEW od.roster AS
SELECT u.unit, c.day, u.person, coalesce(a.status, 'absent') AS status, '{}'::text[] AS tags
FROM od.calendar c
CROSS JOIN od.person_unit u
LEFT JOIN od.attendance a ON a.person = u.person AND a.day = c.day;
SELECT hrpolicy.use_roster('od.roster');
INSERT INTO hrpolicy.policy (code, valid, scope) VALUES ('SE-KOTA/2020', '[2020-10-01,)', 'kota');
INSERT INTO hrpolicy.rule (policy, name, quota) VALUES ('SE-KOTA/2020', 'wfo-cap', '<=25%');

-- scanned(): whether the transaction has read each partition of attendance
-- (the counts of a transaction add to those not yet flushed, so only
-- whether a partition was read says something)
CREATE FUNCTION pg_temp.scanned() RETURNS TABLE (partition name, read boolean)
LANGUAGE sql AS $$
    SELECT relname, seq_scan + coalesce(idx_scan, 0) > 0
    FROM pg_stat_xact_user_tables
    WHERE schemaname = 'od' AND relname LIKE 'attendance_%'
    ORDER BY relname
$$;

-- compliance() of one day reads November only
BEGIN;
SELECT unit, day, rule, hrpolicy.part(tally) AS part, hrpolicy.total(tally) AS total
FROM hrpolicy.compliance('2020-11-10', '2020-11-10');
SELECT * FROM pg_temp.scanned();
ROLLBACK;

-- the enforcement check of one day (at commit, as a write to that day
-- makes it), and the rows behind persons counted twice on it
BEGIN;
SELECT count(*) FROM hrpolicy.enforcement_findings('2020-11-10', '2020-11-10', '{2020-11-10}');
SELECT count(*) FROM hrpolicy.person_day_rows('2020-11-10', '2020-11-10', '{2020-11-10}', NULL, '{1}');
SELECT * FROM pg_temp.scanned();
ROLLBACK;

-- an enforced write to one day: its check (run as COMMIT would run it)
-- reads that day's partition only
SELECT hrpolicy.enforce('od.attendance', 'day');
BEGIN;
SELECT commit_error($$UPDATE od.attendance SET status = 'home' WHERE person = 'p1' AND day = '2020-11-10'$$);
SELECT * FROM pg_temp.scanned();
ROLLBACK;
-- and it still refuses a breach of that day
SELECT commit_error($$UPDATE od.attendance SET status = 'office' WHERE person = 'p3' AND day = '2020-11-10'$$);
-- a write to a few days (here two of a week): the check reads them day by
-- day, each by its day
BEGIN;
SELECT commit_error($$UPDATE od.attendance SET status = 'home'
                      WHERE person = 'p1' AND day IN ('2020-11-10', '2020-11-12')$$);
SELECT * FROM pg_temp.scanned();
ROLLBACK;
-- and refuses a breach on either
SELECT commit_error($$UPDATE od.attendance SET status = CASE person WHEN 'p1' THEN 'home' ELSE 'office' END
                      WHERE (person, day) IN (('p1', '2020-11-10'), ('p3', '2020-11-12'))$$);
SELECT commit_error($$UPDATE od.attendance SET status = CASE person WHEN 'p1' THEN 'home' ELSE 'office' END
                      WHERE (person, day) IN (('p3', '2020-11-10'), ('p1', '2020-11-12'))$$);
SELECT hrpolicy.unenforce('od.attendance');

-- A longer period reads by its range, which does not reach the attendance
-- table: every partition is read (README, Performance).
BEGIN;
SELECT count(*) FROM hrpolicy.compliance('2020-11-09', '2020-11-10');
SELECT * FROM pg_temp.scanned();
ROLLBACK;

DROP SCHEMA od CASCADE;
