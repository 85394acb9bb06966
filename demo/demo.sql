-- make demo: five local governments' HR data, the decrees of the five
-- source documents and the national chain, and what hrpolicy says of them.
\set ON_ERROR_STOP on
\pset footer off
\pset null '-'
\set SHOW_CONTEXT never
SET client_min_messages = warning;
SET datestyle = ISO;

\echo '== Loading the sample HR database (5 governments, ~30 OPDs, 5,000 staff, a year of attendance)'
\ir sample_hr.sql
CREATE EXTENSION hrpolicy CASCADE;
\ir roster.sql
\ir ../examples/00_national.sql
\ir ../examples/01_kupang.sql
\ir ../examples/02_belu.sql
\ir ../examples/03_balikpapan.sql
\ir ../examples/04_kukar.sql
\ir ../examples/05_probolinggo.sql
\ir ../examples/06_circumstances.sql
SELECT hrpolicy.use_roster('sample.roster') \gset

SELECT (SELECT count(*) FROM sample.unit) AS units,
       (SELECT count(*) FROM sample.staff) AS staff,
       (SELECT count(*) FROM sample.roster) AS roster_rows,
       (SELECT count(*) FROM sample.roster WHERE status = 'absent') AS absent,
       (SELECT count(*) FROM hrpolicy.policy) AS decrees,
       (SELECT count(*) FROM hrpolicy.rule) AS rules,
       (SELECT count(*) FROM hrpolicy.circumstance) AS circumstances;

\echo
\echo '== Decrees in force on Monday 23 November 2020'
SELECT policy, issuer, valid, in_force, coalesce(scope::text, 'everywhere') AS scope
FROM hrpolicy.policies_in_force('2020-11-23') ORDER BY policy;

\echo
\echo '== Rules checked that day at the Kupang revenue office (zona coklat = zone:high)'
\echo '   policy = the decree in force; defined_by = whose rule row it is'
SELECT * FROM hrpolicy.rules_in_force('2020-11-23', 'kupang.dispenda');

\echo
\echo '== The compliance report for the whole year (one pass over 1.2M roster rows)'
-- A year of 5,000 staff: room to hash it in memory (the default work_mem
-- of 4MB would sort it on disk).
SET work_mem = '64MB';
\timing on
CREATE TEMP TABLE report AS
SELECT * FROM hrpolicy.compliance('2020-03-02', '2021-02-26');
\timing off
SELECT count(*) AS rows_checked, count(DISTINCT (unit, day)) AS unit_days,
       count(*) FILTER (WHERE NOT ok) AS violations
FROM report;

\echo
\echo '== Violations per OPD per month (unit-day-rule rows that are not ok)'
SELECT subpath(unit, 0, 2) AS opd, to_char(day, 'YYYY-MM') AS month,
       count(*) AS violations, count(DISTINCT day) AS days,
       string_agg(DISTINCT policy || ' ' || rule, ', ') AS broken
FROM report WHERE NOT ok
GROUP BY 1, 2 ORDER BY 1, 2;

\echo
\echo '== The worst days: furthest over a cap or short of a minimum'
SELECT day, unit, explanation
FROM report WHERE NOT ok
ORDER BY headroom, day, unit LIMIT 10;

\echo
\echo '== Conflicting decrees in force over the year (a minimum that needs more heads than a cap allows)'
SELECT count(*) AS conflicts FROM hrpolicy.conflicts('2020-03-02', '2021-02-26');
\echo '   (none: the decrees of the five documents can all be kept together)'

\echo
\echo '== What if Kupang had signed this draft for 7-11 December 2020:'
\echo '   "every structural official works in the office"?'
BEGIN;
INSERT INTO hrpolicy.policy (code, title, issuer, valid, scope)
VALUES ('DRAFT-KUPANG-2020-12', 'draft: all structural officials in office', 'Wali Kota Kupang',
        '[2020-12-07,2020-12-11]', 'kupang');
INSERT INTO hrpolicy.rule (policy, name, quota, who, excused)
VALUES ('DRAFT-KUPANG-2020-12', 'structural-in-office', 'all', '{structural}', '{leave,sick,duty}');
SELECT day, unit, cap_policy || ' ' || cap_rule AS cap, allowed,
       min_policy || ' ' || min_rule AS minimum, required
FROM hrpolicy.conflicts('2020-12-07', '2020-12-11', 'kupang')
ORDER BY day, unit LIMIT 8;
ROLLBACK;

\echo
\echo '== Enforcement: refuse commits that break a cap'
SELECT hrpolicy.enforce('sample.attendance', 'day') \gset
SELECT tbl, day_column FROM hrpolicy.enforcement;
\echo 'Putting six more people of kupang.bkpsdm in the office on 2020-11-25:'
\set ON_ERROR_STOP off
UPDATE sample.attendance a SET status = 'office'
FROM (SELECT r.person FROM sample.roster r
      WHERE r.unit = 'kupang.bkpsdm' AND r.day = '2020-11-25' AND r.status = 'home'
        AND NOT r.tags @> '{structural}'
      ORDER BY r.person LIMIT 6) p
WHERE a.nip = p.person AND a.day = '2020-11-25';
\set ON_ERROR_STOP on
\echo 'Nothing changed:'
SELECT rule, tally, quota, ok FROM hrpolicy.compliance('2020-11-25', '2020-11-25', 'kupang.bkpsdm');
SELECT hrpolicy.unenforce('sample.attendance') \gset

\echo
\echo '== diagnose(): what in the catalog and the roster is probably a mistake, over the year'
SELECT severity, policy, rule, problem, hint FROM hrpolicy.diagnose('2020-03-02', '2021-02-26');
\echo
\echo '== The same after three typos a new user made (then undone):'
\echo '   who = {eselon:II} (the roster says eselon:2), counts = {hadir} (it says office),'
\echo '   and a Probolinggo decree scoped to probolingo'
BEGIN;
INSERT INTO hrpolicy.rule (policy, name, quota, who)
VALUES ('SE-KUPANG-2020-11-17', 'head-in-office', '>=1', '{eselon:II}');
UPDATE hrpolicy.rule SET counts = '{hadir}'
WHERE policy = 'SE-KUKAR-B-104/BKPSDM/065.11/01/2021' AND name = 'wfo-cap';
UPDATE hrpolicy.policy SET scope = 'probolingo' WHERE code = 'SE-PROBOLINGGO-060/1617/425.022/2020';
SELECT severity, policy, rule, problem, hint FROM hrpolicy.diagnose('2020-03-02', '2021-02-26')
WHERE severity <> 'info';
ROLLBACK;

\echo
\echo '== 2025: flexible work under PermenPANRB 4/2025 (rules per person and week)'
\echo '   Six weeks of 2025 attendance (21 April - 30 May), the regulation (at most 2 working'
\echo '   days a week away from the office), Kupang''s stricter policy (structural officials'
\echo '   at most 1; everyone at least 3 office days) and a renovation cap at Kupang''s BKPSDM'
\ir sample_fwa_2025.sql
\ir ../examples/07_fwa_2025.sql
SELECT policy, rule, per, quota FROM hrpolicy.rules_in_force('2025-05-14', 'kupang.bkpsdm');
\timing on
CREATE TEMP TABLE person_report AS
SELECT * FROM hrpolicy.person_compliance('2025-04-21', '2025-05-30');
\timing off
\echo '-- person-weeks checked and broken, per rule'
SELECT policy, rule, count(*) AS person_weeks, count(*) FILTER (WHERE NOT ok) AS broken
FROM person_report GROUP BY 1, 2 ORDER BY 1, 2;
\echo '-- the furthest over or short, as an officer reads them'
SELECT person, unit, explanation FROM person_report WHERE NOT ok
ORDER BY headroom, person LIMIT 6;
\echo '-- decrees that cannot both be kept: the renovation leaves seats for 40% a day,'
\echo '   the city asks 3 office days a week of everyone (capacity_conflicts)'
SELECT period, unit, cap_policy || ' ' || cap_rule AS cap, allowed AS office_days_allowed,
       min_policy || ' ' || min_rule AS minimum, required AS office_days_required
FROM hrpolicy.capacity_conflicts('2025-05-12', '2025-05-23') ORDER BY period, unit;

\echo
\echo '== A picture: Kupang in November 2020, a row per unit, a column per day'
\echo '   (X over a cap, v short of a minimum, ! close to a cap, . ok, o no rule, _ no roster rows)'
SELECT * FROM hrpolicy.calendar('2020-11-01', '2020-11-30', 'kupang');
\pset format unaligned
\pset tuples_only on
SELECT hrpolicy.calendar_svg('2020-11-01', '2020-11-30', 'kupang') \g :calendar_svg
SET lc_messages = 'id_ID.UTF-8';
SELECT hrpolicy.calendar_svg('2020-11-01', '2020-11-30', 'kupang') \g :calendar_svg_id
RESET lc_messages;
\echo 'The same as an SVG document (open it in a browser; hover a cell for its sentences):'
\echo '   ' :calendar_svg
\echo '   ' :calendar_svg_id '(in Indonesian)'
