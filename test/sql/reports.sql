-- compliance, violations and conflicts over a small hand-written roster.
-- Every expected number is worked out in the comments.
\i test/preamble.sql
SET datestyle = ISO;
SET client_min_messages = warning;

DROP SCHEMA IF EXISTS hr CASCADE;
CREATE SCHEMA hr;
CREATE TABLE hr.day_roster (unit ltree, day date, person text, status text, tags text[]);
SELECT hrpolicy.use_roster('hr.day_roster');

-- kota.dinas on Monday 2021-01-04, ten people:
--   p1 eselon:2 top2  office       p6  pelaksana       home
--   p2 eselon:3 top2  home         p7  pelaksana       sick
--   p3 eselon:4       office       p8  non-asn         leave
--   p4 over55         office       p9  non-asn         duty
--   p5                office       p10 pelaksana       NULL status (left out of every tally)
-- On Tuesday 2021-01-05 the same ten are all at home.
INSERT INTO hr.day_roster VALUES
    ('kota.dinas', '2021-01-04', 'p1', 'office', '{structural,eselon:2,top2}'),
    ('kota.dinas', '2021-01-04', 'p2', 'home', '{structural,eselon:3,top2}'),
    ('kota.dinas', '2021-01-04', 'p3', 'office', '{structural,eselon:4}'),
    ('kota.dinas', '2021-01-04', 'p4', 'office', '{functional,over55}'),
    ('kota.dinas', '2021-01-04', 'p5', 'office', '{functional}'),
    ('kota.dinas', '2021-01-04', 'p6', 'home', NULL),
    ('kota.dinas', '2021-01-04', 'p7', 'sick', '{pelaksana}'),
    ('kota.dinas', '2021-01-04', 'p8', 'leave', '{non-asn}'),
    ('kota.dinas', '2021-01-04', 'p9', 'duty', '{non-asn}'),
    ('kota.dinas', '2021-01-04', 'p10', NULL, '{pelaksana}');
INSERT INTO hr.day_roster
SELECT unit, '2021-01-05', person, CASE WHEN status IS NULL THEN NULL ELSE 'home' END, tags
FROM hr.day_roster WHERE day = '2021-01-04';
-- A sub-unit is a unit of its own: kota.dinas.uptd, two people in office.
-- A row without a unit, one without a person (it would pad the base), a
-- unit outside the decree's scope, a day outside the period.
INSERT INTO hr.day_roster VALUES
    ('kota.dinas.uptd', '2021-01-04', 'q1', 'office', '{}'),
    ('kota.dinas.uptd', '2021-01-04', 'q2', 'office', '{}'),
    (NULL, '2021-01-04', 'x1', 'office', '{}'),
    ('kota.dinas', '2021-01-04', NULL, 'home', '{}'),
    ('lain.dinas', '2021-01-04', 'y1', 'office', '{}'),
    ('kota.dinas', '2020-12-31', 'p1', 'office', '{}');

INSERT INTO hrpolicy.policy (code, valid, scope) VALUES ('T1', '[2021-01-01,2021-01-31]', 'kota');
INSERT INTO hrpolicy.rule (policy, name, quota, counts, who, unless, excused) VALUES
    -- base: everyone but sick, leave (and the NULL status) = p1-p6, p9 = 7;
    -- part: office = p1 p3 p4 p5 = 4.  4*100 <= 25*7? no.  allowed = 1 (100 <= 175, 200 > 175).
    ('T1', 'cap', '<=25%', '{office}', '{}', '{}', '{sick,leave}'),
    -- over55 exempt: base 6, part 3, allowed 1 (100 <= 150 < 200).
    ('T1', 'cap-under55', '<=25%', '{office}', '{}', '{over55}', '{sick,leave}'),
    -- the two highest levels in: base p1 p2, part 1, required 2.
    ('T1', 'top2-in', 'all', '{office}', '{top2}', '{}', '{sick,leave}'),
    -- half present, duty counts: base 7, part office+duty = 5; required 4 (400 >= 350).
    ('T1', 'presence', '>=50%', '{office,duty}', '{}', '{}', '{sick,leave}'),
    -- a minimum over a group the unit does not have: 0/0, at least 1 required.
    ('T1', 'eselon1-in', '>=1', '{office}', '{eselon:1}', '{}', '{}'),
    -- a cap over an empty group: 0/0 admitted.
    ('T1', 'eselon1-cap', 'none', '{office}', '{eselon:1}', '{}', '{}');

SELECT day, unit, rule, tally, quota, allowed, ok, headroom
FROM hrpolicy.compliance('2021-01-01', '2021-01-31')
ORDER BY day, unit, rule;

SELECT rule, explanation
FROM hrpolicy.compliance('2021-01-04', '2021-01-04', 'kota.dinas')
WHERE unit = 'kota.dinas'
ORDER BY rule;

-- violations: the same rows where not ok.
SELECT day, unit, rule, tally, headroom
FROM hrpolicy.violations('2021-01-01', '2021-01-31')
ORDER BY day, unit, rule;
SELECT (SELECT count(*) FROM hrpolicy.violations('2021-01-01', '2021-01-31'))
     = (SELECT count(*) FROM hrpolicy.compliance('2021-01-01', '2021-01-31') WHERE NOT ok)
       AS violations_are_the_rows_not_ok;

-- scope: the subtree only (kota.dinas.uptd has no sub-units of its own).
SELECT DISTINCT unit FROM hrpolicy.compliance('2021-01-01', '2021-01-31', 'kota.dinas.uptd');
SELECT count(*) AS rows_in_lain FROM hrpolicy.compliance('2021-01-01', '2021-01-31', 'lain');
-- No decree is in force on 2020-12-31: its roster row gives no compliance row.
SELECT min(day), max(day) FROM hrpolicy.compliance('2020-12-01', '2021-01-04');

-- The reports are plain set-returning functions: filter, join, aggregate.
SELECT unit, count(*) FILTER (WHERE NOT ok) AS breaches,
       hrpolicy.sum(tally) FILTER (WHERE rule = 'cap') AS cap_tally_over_days
FROM hrpolicy.compliance('2021-01-01', '2021-01-31')
GROUP BY unit ORDER BY unit;

-- conflicts.  kota.dinas on the 4th (cap base 7, allows 1):
--   top2-in requires 2 of the top2, all of whom cap and cap-under55 cover
--   (p1, p2 are neither sick nor over55), which allow 1: two conflicts.
--   eselon1-in requires 1 of an empty group, eselon1-cap allows 0 of it: a conflict.
--   presence counts duty, which cap does not count: no conflict.
--   eselon1-in against cap: requires 1, cap allows 1: no conflict.
-- kota.dinas on the 5th: the cap base is 9 (nobody sick or on leave), which
--   allows 2 = what top2-in requires: only eselon1-in against eselon1-cap.
-- kota.dinas.uptd (2 people, caps allow 0): eselon1-in's 1 against each cap;
--   top2-in requires 0 of 0.
SELECT day, unit, cap_rule, min_rule, allowed, required
FROM hrpolicy.conflicts('2021-01-01', '2021-01-31')
ORDER BY day, unit, cap_rule, min_rule;

-- A minimum whose base reaches beyond the cap's is not a conflict: here
-- the cap exempts over55 and the minimum covers p4 (over55) too.
INSERT INTO hrpolicy.rule (policy, name, quota, counts, who, unless, excused) VALUES
    ('T1', 'functional-in', 'all', '{office}', '{functional}', '{}', '{}');
SELECT cap_rule, min_rule, allowed, required
FROM hrpolicy.conflicts('2021-01-04', '2021-01-04', 'kota.dinas')
WHERE min_rule = 'functional-in' AND unit = 'kota.dinas'
ORDER BY cap_rule;
DELETE FROM hrpolicy.rule WHERE name = 'functional-in';

-- Bad periods.
SELECT error_of(q) FROM (VALUES
    ($$SELECT * FROM hrpolicy.compliance(NULL, '2021-01-31')$$),
    ($$SELECT * FROM hrpolicy.compliance('2021-01-01', NULL)$$),
    ($$SELECT * FROM hrpolicy.compliance('2021-01-31', '2021-01-01')$$),
    ($$SELECT * FROM hrpolicy.violations('2021-01-31', '2021-01-01')$$),
    ($$SELECT * FROM hrpolicy.conflicts(NULL, NULL)$$)
) AS t (q);
-- A one-day period is fine; a NULL scope means every unit.
SELECT count(*) AS one_day FROM hrpolicy.compliance('2021-01-04', '2021-01-04', NULL);

-- The caller's search_path does not matter, and is left as it was.
SET search_path = hr;
SELECT count(*) AS rows_with_hr_path FROM hrpolicy.compliance('2021-01-01', '2021-01-31');
SHOW search_path;
RESET search_path;

-- Called from a query that could run in parallel, the reports still work
-- (they change search_path, so they are PARALLEL UNSAFE and keep the
-- calling query in one process).
-- (force_parallel_mode is named debug_parallel_query from PostgreSQL 16 on.)
SELECT CASE WHEN current_setting('server_version_num')::int >= 160000
            THEN 'debug_parallel_query' ELSE 'force_parallel_mode' END AS force_parallel \gset
SET :force_parallel = on;
SELECT count(*) AS rows_in_forced_parallel_mode,
       count(*) FILTER (WHERE NOT ok) AS not_ok
FROM hrpolicy.compliance('2021-01-01', '2021-01-31');
SELECT count(*) AS conflicts_in_forced_parallel_mode FROM hrpolicy.conflicts('2021-01-01', '2021-01-31');
RESET :force_parallel;

-- With a short period the planner reads the user's day index.
CREATE INDEX ON hr.day_roster (day);
SET enable_seqscan = off;
CREATE FUNCTION pg_temp.report_plan() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    line text;
BEGIN
    -- auto_explain is not needed: run the report's own query text.
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) '
        || hrpolicy.report_query('hr.day_roster', 'compliance', 'SELECT * FROM tallied')
        USING date '2021-01-04', date '2021-01-04', NULL::ltree,
              ARRAY(SELECT e FROM hrpolicy.report_book('2021-01-04', '2021-01-04', NULL, 'compliance') e),
              hrpolicy.book_filters(ARRAY(SELECT e FROM hrpolicy.report_book('2021-01-04', '2021-01-04', NULL, 'compliance') e))
    LOOP
        RETURN NEXT line;
    END LOOP;
END
$$;
SELECT count(*) > 0 AS uses_day_index
FROM pg_temp.report_plan() AS line WHERE line ~ 'Index.*day_roster_day_idx';
RESET enable_seqscan;

-- tally_each(), the aggregate under compliance(): one tally per filter.
-- Rows: office/{a}, home/{a}, sick/{a,b}, office/{b}, NULL status/{a}.
-- Filter 1 (everyone, office counts): base 4 (NULL status out), part 2.
-- Filter 2 (who a, sick excused): base 2, part 1.
-- Filter 3 (unless b, counts office or home): base 2, part 2.
SELECT hrpolicy.tally_each(status, tags, ARRAY[
           ROW('{office}', '{}', '{}', '{}')::hrpolicy.rule_filter,
           ROW('{office}', '{a}', '{}', '{sick}')::hrpolicy.rule_filter,
           ROW('{office,home}', '{}', '{b}', '{}')::hrpolicy.rule_filter])
FROM (VALUES ('office', '{a}'::text[]), ('home', '{a}'), ('sick', '{a,b}'),
             ('office', '{b}'), (NULL, '{a}')) AS r (status, tags);
-- Filters may change from row to row (each row is counted under its own):
-- 3 rows, each counted in the part by the filter it comes with.
SELECT hrpolicy.tally_each(status, '{}', ARRAY[ROW(ARRAY[status], '{}', '{}', '{}')::hrpolicy.rule_filter])
FROM (VALUES ('office'), ('home'), ('sick')) AS r (status);
-- Compiled filters are kept for the transaction, a few at a time, and found
-- again by contents: six sets of filters coming round twice (more than are
-- kept at once), then the first again, each row under its own.  Row i
-- passes the filter counting status s(i mod 6); its status is s(i mod 3):
-- in the part when i mod 6 < 3.
SELECT hrpolicy.tally_each(status, '{}', ARRAY[ROW(ARRAY['s' || (i % 6)], '{}', '{}', '{}')::hrpolicy.rule_filter])
FROM (SELECT i, 's' || (i % 3) AS status FROM generate_series(0, 12) i) r;
-- No filters: an empty array; no rows: NULL, like other aggregates.
SELECT hrpolicy.tally_each(status, NULL, NULL) FROM (VALUES ('office')) AS r (status);
SELECT hrpolicy.tally_each(status, NULL, ARRAY[ROW('{office}', '{}', '{}', '{}')::hrpolicy.rule_filter])
FROM (VALUES ('office')) AS r (status) WHERE false;
SELECT error_of(q) FROM (VALUES
    ($$SELECT hrpolicy.tally_each_accum(NULL, 'office', '{}', NULL)$$),
    ($$SELECT hrpolicy.tally_each_combine(NULL, NULL)$$),
    ($$SELECT hrpolicy.tally_each(s, '{}', ARRAY[ROW('{office}', ARRAY(SELECT 't' || i FROM generate_series(1, 65) i), '{}', '{}')::hrpolicy.rule_filter]) FROM (VALUES ('office')) r (s)$$)
) AS t (q);

-- compliance_rows(), the rows of compliance() for one unit-day: a row for
-- each rule of the book that applies there, in the book's order, with the
-- tally of its number.  On 2021-01-11 at a.bc: 1 applies (everywhere), 2
-- not (its scope a.b is no ancestor of a.bc, though a prefix of its text),
-- 3 not (in force from February), 4 (only when zone, which a circumstance
-- over a says), 5 not (only when not zone), 6 (only when not closed), 7
-- (scope a.bc), 8 not (no window, no tally 8 on the unit-day).
CREATE TEMP TABLE small_book AS
SELECT ARRAY(SELECT ROW(k, 'rule', 'P' || k, scope::ltree, valid::hrpolicy.validity, 'r' || k, 'P' || k,
                        quota::hrpolicy.quota, '{office}', '{}', '{}', '{}', only_when,
                        NULL, NULL, NULL, NULL, NULL)::hrpolicy.report_entry
             FROM (VALUES (1, NULL, '[2021-01-01,)', '<=50%', NULL), (2, 'a.b', '[2021-01-01,)', '<=50%', NULL),
                          (3, NULL, '[2021-02-01,)', '<=50%', NULL), (4, NULL, '[2021-01-01,)', '>=1', 'zone'),
                          (5, NULL, '[2021-01-01,)', '>=1', '!zone'), (6, NULL, '(,2021-01-11]', '=50%', '!closed'),
                          (7, 'a.bc', '[2021-01-11,2021-01-11]', '<1', NULL), (8, NULL, NULL, '<=50%', NULL))
                  AS b (k, scope, valid, quota, only_when)
             ORDER BY k) AS book;
SELECT r.*
FROM small_book,
     hrpolicy.compliance_rows('a.bc', '2021-01-11', '{1/4,2/4,3/4,4/4,0/4,2/4,1/1}', book,
                              ARRAY[ROW('a', '2021-01-10', '2021-01-12', 'zone')::hrpolicy.period_fact,
                                    ROW('a.bc', '2021-01-12', NULL, 'closed')::hrpolicy.period_fact]) r;
-- applicable_rules(), the rules that apply there, as the reports' tallied
-- CTE joins them: the same 1, 4, 6 and 7
SELECT hrpolicy.applicable_rules('a.bc', '2021-01-11', book,
                                 ARRAY[ROW('a', '2021-01-10', '2021-01-12', 'zone')::hrpolicy.period_fact,
                                       ROW('a.bc', '2021-01-12', NULL, 'closed')::hrpolicy.period_fact])
FROM small_book;
-- no rows for a NULL argument; errors for arrays that are not lists
SELECT count(*) AS rows_for_null_tallies
FROM small_book, hrpolicy.compliance_rows('a', '2021-01-11', NULL, book, '{}') r;
SELECT error_of(q) FROM (VALUES
    ($$SELECT * FROM small_book, hrpolicy.compliance_rows('a', '2021-01-11', '{{1/4},{2/4}}', book, '{}')$$),
    ($$SELECT * FROM hrpolicy.compliance_rows('a', '2021-01-11', '{1/4}', '{{NULL},{NULL}}', '{}')$$)
) AS t (q);

-- conflicts(): a row the cap excuses by its status (p5, sick) is still in
-- its base by tags; had p5 come in, the cap would count them.  The cap
-- allows 1 of the 4 it counts, the minimum requires 2: a conflict (it
-- was missed while someone was sick).
CREATE TABLE hr.small (unit ltree, day date, person text, status text, tags text[]);
INSERT INTO hr.small VALUES
    ('a', '2021-01-11', 'p1', 'office', '{}'), ('a', '2021-01-11', 'p2', 'office', '{}'),
    ('a', '2021-01-11', 'p3', 'home', '{}'), ('a', '2021-01-11', 'p4', 'home', '{}'),
    ('a', '2021-01-11', 'p5', 'sick', '{}');
SELECT hrpolicy.use_roster('hr.small');
INSERT INTO hrpolicy.policy (code, valid) VALUES ('CAP', '[2021-01-01,2021-01-31]'), ('MIN', '[2021-01-01,2021-01-31]');
INSERT INTO hrpolicy.rule (policy, name, quota, excused) VALUES ('CAP', 'cap', '<=25%', '{sick}');
INSERT INTO hrpolicy.rule (policy, name, quota) VALUES ('MIN', 'min', '>=2');
SELECT * FROM hrpolicy.conflicts('2021-01-11', '2021-01-11');
-- a minimum over a group the cap does not cover by tags is no conflict
UPDATE hr.small SET tags = '{exempt}' WHERE person = 'p3';
UPDATE hrpolicy.rule SET unless = '{exempt}' WHERE name = 'cap';
SELECT count(*) AS conflicts_when_not_covered FROM hrpolicy.conflicts('2021-01-11', '2021-01-11');

DELETE FROM hrpolicy.policy;
DELETE FROM hrpolicy.roster_source;
DROP SCHEMA hr CASCADE;
