-- Messages and report sentences in Indonesian under lc_messages =
-- 'id_ID.UTF-8' (po/id.po), English by default.  make test generates the
-- locale (scripts/lib.sh).
\i test/preamble.sql
SET datestyle = ISO;
SET client_min_messages = warning;

DROP SCHEMA IF EXISTS hr CASCADE;
CREATE SCHEMA hr;
CREATE TABLE hr.roster (unit ltree, day date, person text, status text, tags text[]);
SELECT hrpolicy.use_roster('hr.roster');

-- kupang.bkpsdm on 18 November 2020: 157 staff, 58 in the office; of its
-- 6 structural officials 2 in the office, one of them over 55.
INSERT INTO hr.roster
SELECT 'kupang.bkpsdm', '2020-11-18', 'p' || i,
       CASE WHEN i <= 58 THEN 'office' WHEN i <= 150 THEN 'home' ELSE 'leave' END,
       CASE WHEN i IN (1, 2, 100, 101, 102, 103) THEN ARRAY['structural'] ELSE '{}' END
           || CASE WHEN i = 2 THEN ARRAY['over55'] ELSE '{}' END
FROM generate_series(1, 157) i;
INSERT INTO hrpolicy.policy (code, title, issuer, valid, scope) VALUES
    ('SE-MENPANRB-67/2020', 'Penyesuaian sistem kerja ASN', 'MenPAN-RB', '[2020-09-04,)', NULL),
    ('SE-KUPANG/2020', 'Sistem kerja ASN Kota Kupang', 'Wali Kota Kupang', '[2020-11-17,)', 'kupang');
INSERT INTO hrpolicy.rule (policy, name, quota, counts, who, unless, excused) VALUES
    ('SE-MENPANRB-67/2020', 'wfo-cap', '<=25%', '{office}', '{}', '{}', '{}'),
    ('SE-KUPANG/2020', 'pejabat-hadir', '>=50%', '{office,duty}', '{structural}', '{over55}', '{leave,sick}');

SET lc_messages = 'id_ID.UTF-8';
SELECT rule, tally, quota, explanation FROM hrpolicy.compliance('2020-11-18', '2020-11-18') ORDER BY policy, rule;
SELECT hrpolicy.explanation('1/8', '<=25%', 'SE-1', 'wfo-cap', 'SE-0', '{office}', '{}', '{}');
SELECT hrpolicy.explanation('2/4', '=50%', 'SE-1', 'piket', 'SE-1', '{duty}', '{}', '{}');
SELECT hrpolicy.explanation('1/3', '=50%', 'SE-1', 'piket', 'SE-1', '{hadir}', '{}', '{}');

-- errors raised in C, with their details and hints
SELECT error_of($$SELECT 'paling banyak 25%'::hrpolicy.quota$$);
SELECT error_of($$SELECT '5/3'::hrpolicy.tally$$);
SELECT error_of($$SELECT '2020-03-24..2020-03-31'::hrpolicy.validity$$);
-- and in PL/pgSQL
SELECT error_of($$INSERT INTO hrpolicy.policy (code, valid, amends) VALUES ('SE-X', '[2020-01-01,)', '{SE-X}')$$);
SELECT error_of($$INSERT INTO hrpolicy.rule (policy, name, quota) VALUES ('SE-KUPANG/2002', 'wfo-cap', '<=25%')$$);
BEGIN;
INSERT INTO hrpolicy.policy (code, valid, amends) VALUES ('SE-KUPANG/2021', '[2021-01-01,)', '{SE-KUPANG/2020}');
SELECT error_of($$DELETE FROM hrpolicy.policy WHERE code = 'SE-KUPANG/2020'$$);
ROLLBACK;
SELECT error_of($$SELECT * FROM hrpolicy.compliance('2020-11-30', '2020-11-01')$$);
SELECT error_of($$SELECT * FROM hrpolicy.compliance('2020-11-01', NULL)$$);
CREATE TABLE hr.bad (unit text, day date, person text, status text, tags text[]);
SELECT error_of($$SELECT hrpolicy.use_roster('hr.bad')$$);
SELECT error_of($$SELECT hrpolicy.calendar_svg('2020-01-01', '2021-12-31')$$);
-- enforcement: one more in the office where the unit is already over
SELECT hrpolicy.enforce('hr.roster', 'day');
SELECT commit_error($$INSERT INTO hr.roster VALUES ('kupang.bkpsdm', '2020-11-18', 'p158', 'office', '{}')$$);
SELECT hrpolicy.unenforce('hr.roster');

-- diagnose(): a mistyped tag and status, in Indonesian
BEGIN;
INSERT INTO hrpolicy.rule (policy, name, quota, counts, who) VALUES
    ('SE-KUPANG/2020', 'kepala-hadir', '>=1', '{hadri}', '{struktural}');
SELECT severity, rule, problem, hint FROM hrpolicy.diagnose('2020-11-18', '2020-11-18') ORDER BY rule, problem;
ROLLBACK;

-- the calendar for psql
SELECT * FROM hrpolicy.calendar('2020-11-16', '2020-11-22', 'kupang');

-- a text without a translation is itself; the catalogue's header is not a text
SELECT hrpolicy.gettext('no such message'), hrpolicy.gettext('') = '' AS empty;

-- English by default
RESET lc_messages;
SELECT rule, explanation FROM hrpolicy.compliance('2020-11-18', '2020-11-18') ORDER BY policy, rule;
SELECT error_of($$SELECT '5/3'::hrpolicy.tally$$);
SELECT * FROM hrpolicy.calendar('2020-11-16', '2020-11-22', 'kupang');
