-- diagnose(): each silent mistake a new user made on a real schema,
-- planted and found with its hint; label() on real codes; the errors with
-- hints for the same mistakes made elsewhere.
\i test/preamble.sql
\set SHOW_CONTEXT never
\pset null '-'

-- A city of two agencies of 10 staff, one working week.  The head of each
-- is structural, eselon:2; the roster says office, home or leave.
DROP SCHEMA IF EXISTS dg CASCADE;
CREATE SCHEMA dg;
CREATE TABLE dg.roster (unit ltree, day date, person text, status text, tags text[]);
INSERT INTO dg.roster
SELECT ('pemkot_probolinggo.' || u)::ltree, d::date, u || i,
       CASE WHEN i <= 3 THEN 'office' WHEN i = 10 THEN 'leave' ELSE 'home' END,
       CASE WHEN i = 1 THEN '{structural,eselon:2}'::text[] ELSE '{}' END
FROM unnest(ARRAY['dinkes', 'bappeda']) u,
     generate_series(1, 10) i,
     generate_series('2020-11-16'::date, '2020-11-20', '1 day') d;
SELECT hrpolicy.use_roster('dg.roster');
INSERT INTO hrpolicy.policy (code, valid, scope)
VALUES ('SE-1/2020', '[2020-11-16,2020-11-20]', 'pemkot_probolinggo');
INSERT INTO hrpolicy.rule (policy, name, quota, excused)
VALUES ('SE-1/2020', 'wfo-cap', '<=50%', '{leave}');
INSERT INTO hrpolicy.circumstance (scope, valid, label)
VALUES ('pemkot_probolinggo.dinkes', '[2020-11-16,2020-11-20]', 'public-service');

-- A catalog that matches its roster: nothing to say.
SELECT * FROM hrpolicy.diagnose('2020-11-16', '2020-11-20');

-- 1. who = '{eselon:II}' where the roster says eselon:2: the rule covers
-- nobody (0 of 0 meets a cap), an error; the hint names the tag meant.
INSERT INTO hrpolicy.rule (policy, name, quota, who) VALUES ('SE-1/2020', 'head-in', '>=1', '{eselon:II}');
SELECT * FROM hrpolicy.diagnose('2020-11-16', '2020-11-20');
DELETE FROM hrpolicy.rule WHERE name = 'head-in';

-- 2. counts = '{hadir}' where the roster says office: nothing counts, every
-- cap is met; no status is near "hadir", so the hint lists them.
UPDATE hrpolicy.rule SET counts = '{hadir}' WHERE name = 'wfo-cap';
SELECT * FROM hrpolicy.diagnose('2020-11-16', '2020-11-20');
-- one of two statuses missing is a warning: the rule still counts office
UPDATE hrpolicy.rule SET counts = '{office,ofice_duty}' WHERE name = 'wfo-cap';
SELECT severity, problem, hint FROM hrpolicy.diagnose('2020-11-16', '2020-11-20');
UPDATE hrpolicy.rule SET counts = '{office}' WHERE name = 'wfo-cap';

-- 3. unless and excused words that never occur exempt and excuse nobody.
UPDATE hrpolicy.rule SET unless = '{Structural}', excused = '{leve}' WHERE name = 'wfo-cap';
SELECT severity, problem, hint FROM hrpolicy.diagnose('2020-11-16', '2020-11-20');
UPDATE hrpolicy.rule SET unless = '{}', excused = '{leave}' WHERE name = 'wfo-cap';

-- 4. only_when = '!public_service' where the label is public-service: the
-- rule meant for other agencies applies everywhere.
INSERT INTO hrpolicy.rule (policy, name, quota, only_when)
VALUES ('SE-1/2020', 'back-office-cap', '<=25%', '!public_service');
SELECT severity, problem, hint FROM hrpolicy.diagnose('2020-11-16', '2020-11-20');
UPDATE hrpolicy.rule SET only_when = 'closed' WHERE name = 'back-office-cap';
SELECT severity, problem, hint FROM hrpolicy.diagnose('2020-11-16', '2020-11-20');
DELETE FROM hrpolicy.rule WHERE name = 'back-office-cap';

-- 5. A decree scope with one letter missing: policies_in_force lists the
-- decree, and it checks nobody.
UPDATE hrpolicy.policy SET scope = 'pemkot_probolingo' WHERE code = 'SE-1/2020';
SELECT count(*) AS listed FROM hrpolicy.policies_in_force('2020-11-16');
SELECT * FROM hrpolicy.diagnose('2020-11-16', '2020-11-20');
UPDATE hrpolicy.policy SET scope = 'pemkot_probolinggo' WHERE code = 'SE-1/2020';

-- 6. '<=25' meant as 25%: a head count above the base of every unit-day
-- (10 staff) never binds.  '<=5' is a plausible head count: not flagged.
INSERT INTO hrpolicy.rule (policy, name, quota) VALUES ('SE-1/2020', 'quarter-cap', '<=25');
INSERT INTO hrpolicy.rule (policy, name, quota) VALUES ('SE-1/2020', 'five-cap', '<=5');
INSERT INTO hrpolicy.rule (policy, name, quota) VALUES ('SE-1/2020', 'thirty-in', '>=30');
SELECT severity, rule, problem, hint FROM hrpolicy.diagnose('2020-11-16', '2020-11-20');
DELETE FROM hrpolicy.rule WHERE name IN ('quarter-cap', 'five-cap', 'thirty-in');

-- 7. A rule whose tags all occur, but never on one row: its base is empty.
INSERT INTO hrpolicy.rule (policy, name, quota, counts, who, excused)
VALUES ('SE-1/2020', 'head-on-leave', '<=0', '{leave}', '{eselon:2}', '{office}');
SELECT severity, rule, problem, hint FROM hrpolicy.diagnose('2020-11-16', '2020-11-20');
DELETE FROM hrpolicy.rule WHERE name = 'head-on-leave';

-- 8. A circumstance on a dotted code (a path of four labels) and one on a
-- misspelt agency: both cover no unit.
INSERT INTO hrpolicy.circumstance (scope, valid, label) VALUES
    ('pemkot_probolinggo.1.02.01', '[2020-11-16,2020-11-20]', 'zone:high'),
    ('pemkot_probolinggo.bapeda', '[2020-11-16,2020-11-20]', 'closed');
SELECT severity, problem, hint FROM hrpolicy.diagnose('2020-11-16', '2020-11-20');
DELETE FROM hrpolicy.circumstance WHERE label IN ('zone:high', 'closed');

-- 9. Two decrees, neither amending the other, with a rule of one name on
-- the same unit-days: both are checked (info).
INSERT INTO hrpolicy.policy (code, valid, scope)
VALUES ('SE-2/2020', '[2020-11-18,2020-11-30]', 'pemkot_probolinggo.dinkes');
INSERT INTO hrpolicy.rule (policy, name, quota) VALUES ('SE-2/2020', 'wfo-cap', '<=30%');
SELECT * FROM hrpolicy.diagnose('2020-11-16', '2020-11-20');
-- once SE-2 amends SE-1 there is nothing to say
UPDATE hrpolicy.policy SET amends = '{SE-1/2020}' WHERE code = 'SE-2/2020';
SELECT count(*) AS findings FROM hrpolicy.diagnose('2020-11-16', '2020-11-20');
DELETE FROM hrpolicy.policy WHERE code = 'SE-2/2020';

-- 10. The roster itself: a person twice on a day, rows without a unit,
-- status or person.
INSERT INTO dg.roster VALUES
    ('pemkot_probolinggo.dinkes', '2020-11-17', 'dinkes5', 'home', '{planted}'),
    ('pemkot_probolinggo.bappeda', '2020-11-17', 'dinkes5', 'home', '{planted}'),
    ('pemkot_probolinggo.bappeda', '2020-11-18', 'bappeda6', 'home', '{planted}'),
    ('pemkot_probolinggo.bappeda', '2020-11-19', 'bappeda6', 'home', '{planted}'),
    ('pemkot_probolinggo.bappeda', '2020-11-20', 'bappeda6', 'home', '{planted}'),
    (NULL, '2020-11-17', 'x1', 'office', '{planted}'),
    ('pemkot_probolinggo.dinkes', '2020-11-17', 'x2', NULL, '{planted}'),
    ('pemkot_probolinggo.dinkes', '2020-11-17', NULL, 'home', '{planted}'),
    ('pemkot_probolinggo.dinkes', NULL, 'x3', 'home', '{planted}');
SELECT * FROM hrpolicy.diagnose('2020-11-16', '2020-11-20');
-- under a scope, rows without a unit are not in it
SELECT severity, problem FROM hrpolicy.diagnose('2020-11-16', '2020-11-20', 'pemkot_probolinggo.dinkes');
DELETE FROM dg.roster WHERE tags = '{planted}';

-- 11. A roster built from raw unit codes ("4.01.01" read as three labels):
-- the decree's scope covers none of its units; and a period with no rows.
CREATE VIEW dg.raw_roster AS
SELECT CASE WHEN unit::text LIKE '%dinkes' THEN '4.01.01' ELSE '4.02.01' END::ltree AS unit,
       day, person, status, tags
FROM dg.roster;
SELECT hrpolicy.use_roster('dg.raw_roster');
SELECT * FROM hrpolicy.diagnose('2020-11-16', '2020-11-20');
SELECT hrpolicy.use_roster('dg.roster');
SELECT * FROM hrpolicy.diagnose('2021-01-04', '2021-01-08');

-- 12. A rule inherited through an amendment is reported once, under the
-- decree whose row it is (where to fix it).
INSERT INTO hrpolicy.policy (code, valid, scope, amends)
VALUES ('SE-3/2020', '[2020-11-18,2020-11-30]', 'pemkot_probolinggo', '{SE-1/2020}');
UPDATE hrpolicy.rule SET unless = '{Structural}' WHERE name = 'wfo-cap';
SELECT severity, policy, rule, problem FROM hrpolicy.diagnose('2020-11-16', '2020-11-20');
UPDATE hrpolicy.rule SET unless = '{}' WHERE name = 'wfo-cap';
DELETE FROM hrpolicy.policy WHERE code = 'SE-3/2020';

-- 13. A status the roster has, but not where the rule applies (its decree
-- covers 16-17 November; leave was planted on the 19th only).
UPDATE dg.roster SET status = 'home' WHERE status = 'leave' AND day <> '2020-11-19';
INSERT INTO hrpolicy.policy (code, valid, scope) VALUES ('SE-4/2020', '[2020-11-16,2020-11-17]', 'pemkot_probolinggo');
INSERT INTO hrpolicy.rule (policy, name, quota, counts) VALUES ('SE-4/2020', 'leave-cap', '<=50%', '{leave}');
SELECT severity, problem, hint FROM hrpolicy.diagnose('2020-11-16', '2020-11-20');
DELETE FROM hrpolicy.policy WHERE code = 'SE-4/2020';

-- 14. A roster in Indonesian: counts left at its default {office} counts
-- nothing, and the hint says so.
CREATE VIEW dg.id_roster AS
SELECT unit, day, person,
       CASE status WHEN 'office' THEN 'hadir' WHEN 'home' THEN 'wfh' ELSE 'cuti' END AS status, tags
FROM dg.roster;
SELECT hrpolicy.use_roster('dg.id_roster');
SELECT severity, problem, hint FROM hrpolicy.diagnose('2020-11-16', '2020-11-20');
SELECT hrpolicy.use_roster('dg.roster');

-- 15. Scopes: a decree's without its root label, and diagnose()'s own
-- with a typo (no rows under it).
UPDATE hrpolicy.policy SET scope = 'dinkes' WHERE code = 'SE-1/2020';
SELECT severity, problem, hint FROM hrpolicy.diagnose('2020-11-16', '2020-11-20');
UPDATE hrpolicy.policy SET scope = 'pemkot_probolinggo' WHERE code = 'SE-1/2020';
SELECT severity, problem, hint FROM hrpolicy.diagnose('2020-11-16', '2020-11-20', 'pemkot_probolinggo.dinkess');

-- 16. Person-period rules are read too.  PermenPANRB 4/2025, at most 2
-- days a week away from the office, with a status misspelt: it counts
-- nothing, so no person-week breaks it; and a tag misspelt in a minimum.
INSERT INTO hrpolicy.rule (policy, name, quota, counts, excused, per)
VALUES ('SE-1/2020', 'away-2-days', '<=2', '{hme}', '{leave}', 'person-week');
INSERT INTO hrpolicy.rule (policy, name, quota, who, per)
VALUES ('SE-1/2020', 'heads-in-3-days', '>=3', '{eselon:II}', 'person-week');
SELECT count(*) AS person_weeks, count(*) FILTER (WHERE NOT ok) AS broken
FROM hrpolicy.person_compliance('2020-11-16', '2020-11-20') WHERE rule = 'away-2-days';
SELECT severity, rule, problem, hint FROM hrpolicy.diagnose('2020-11-16', '2020-11-20');
UPDATE hrpolicy.rule SET counts = '{home}' WHERE name = 'away-2-days';
UPDATE hrpolicy.rule SET who = '{eselon:2}' WHERE name = 'heads-in-3-days';
SELECT count(*) FILTER (WHERE NOT ok) AS broken
FROM hrpolicy.person_compliance('2020-11-16', '2020-11-20') WHERE rule = 'away-2-days';
SELECT count(*) AS findings FROM hrpolicy.diagnose('2020-11-16', '2020-11-20');
-- A count of days beyond the days of the period ('<=25' meant as 25%):
-- a cap that never binds, a minimum no one can meet.  A count that fits
-- in the period (fewer than 7 days a week) and a share are not flagged.
INSERT INTO hrpolicy.rule (policy, name, quota, counts, per) VALUES
    ('SE-1/2020', 'away-quarter', '<=25', '{home}', 'person-week'),
    ('SE-1/2020', 'away-40-days', '<=40', '{home}', 'person-month'),
    ('SE-1/2020', 'away-week', '<7', '{home}', 'person-week'),
    ('SE-1/2020', 'in-ten-days', '>=10', '{office}', 'person-week'),
    ('SE-1/2020', 'away-share', '<=40%', '{home}', 'person-month');
SELECT severity, rule, problem, hint FROM hrpolicy.diagnose('2020-11-16', '2020-11-20');
DELETE FROM hrpolicy.rule WHERE per <> 'unit-day';

-- 17. A roster whose unit paths come from a parent-id tree of codes (4 >
-- 4.01 is 4.4_01): a decree scoped to the code 4.01 covers no unit, and the
-- hint names the unit's whole path, not only the code made one label.
CREATE VIEW dg.tree_roster AS
SELECT CASE WHEN unit::text LIKE '%dinkes' THEN '4.4_01' ELSE '4.4_02' END::ltree AS unit,
       day, person, status, tags
FROM dg.roster;
SELECT hrpolicy.use_roster('dg.tree_roster');
UPDATE hrpolicy.policy SET scope = '4.01' WHERE code = 'SE-1/2020';
SELECT severity, problem, hint FROM hrpolicy.diagnose('2020-11-16', '2020-11-20');
UPDATE hrpolicy.policy SET scope = 'pemkot_probolinggo' WHERE code = 'SE-1/2020';
SELECT hrpolicy.use_roster('dg.roster');

-- diagnose() takes the period of every report.
SELECT error_of($$SELECT * FROM hrpolicy.diagnose('2020-11-20', '2020-11-16')$$);
SELECT error_of($$SELECT * FROM hrpolicy.diagnose(NULL, '2020-11-16')$$);

-- label(): an ltree label from the codes and names of real unit tables.
SELECT x AS code_or_name, hrpolicy.label(x), hrpolicy.label(x)::ltree IS NOT NULL AS is_label
FROM (VALUES ('4.01.01'), ('PEMKOT-PROBOLINGGO'), ('Dinas Kesehatan'),
             ('Dinas Pendidikan & Kebudayaan'), ('  UPTD Puskesmas  Oebobo  '),
             ('Sekretariat Daerah – Bagian Umum'), ('Büro für Straßenbau'),
             ('Œuvre Ñandú Ærø'), ('a__b--c'), ('_x_'), ('дом'), (''), ('--'),
             (U&'Re\0301nover')) v (x);
-- never empty, never longer than ltree takes, and stable: the same input
-- always gives the same label (no locale, no encoding in it)
SELECT length(hrpolicy.label(repeat('Kabupaten ', 40))) AS long_name,
       hrpolicy.label(repeat('a', 300)) <> hrpolicy.label(repeat('a', 301)) AS long_names_differ,
       hrpolicy.label('дом') <> hrpolicy.label('кот') AS scripts_differ,
       hrpolicy.label(NULL) IS NULL AS strict;

-- nearest_word(): the hint's engine.
SELECT w, hrpolicy.nearest_word(w, c) FROM (VALUES
    ('eselon:II', '{structural,eselon:2,eselon:3}'::text[]),
    ('eselon:II', '{eselon:4,eselon:3,eselon:2}'),    -- a Roman rank: by value, not by distance
    ('Eselon-iv', '{eselon-2,eselon-4}'),
    ('eselon:2', '{eselon:IV,eselon:II}'),   -- a rank in digits where the roster writes Roman numerals
    ('eselon:4', '{eselon:II,eselon:III,eselon:IV}'),
    ('10', '{x,ten}'),                       -- no word of letters: 10 is no misspelling of x
    ('hadir', '{office,home}'),
    ('Office', '{home,office}'),
    ('office', '{office,ofice}'),        -- the word itself is there: nothing misspelt
    ('wfh', '{WFH,wfh}'),                -- there too, after a word that differs by case
    ('eselon:II', '{eselon:II,eselon:2}'),
    ('ofice', '{office,offices}'),       -- ties go to the first
    ('x', '{}'),
    ('pemkot_probolingo', '{pemkot_probolinggo,pemkot_probolinggo.dinkes}'),
    (repeat('a', 201), ARRAY[repeat('a', 200)])
) v (w, c);
SELECT error_of($$SELECT hrpolicy.nearest_word('a', '{{a,b},{c,d}}')$$);

-- The same mistakes where PostgreSQL used to answer alone:
-- a validity written with .. or - between dates, or one date;
SELECT error_of(format('SELECT %L::hrpolicy.validity', v)) FROM (VALUES
    ('2020-04-01..2020-04-21'), ('2020-04-01 - 2020-04-21'), ('2020-04-01-2020-04-21'),
    ('2020-04-01 s/d 2020-04-21'), ('2020-04-01'), ('2020-04-01..'), ('next week')) x (v);
SELECT error_of($$INSERT INTO hrpolicy.policy (code, valid) VALUES ('X', '2020-04-01..2020-04-21')$$);
-- the hint gives the days as DateStyle reads them, year first: a day-first
-- decree read month-first shows as the wrong months
SELECT error_of($$SELECT '01/04/2020 s/d 12/04/2020'::hrpolicy.validity$$) AS month_first;
SET datestyle = 'ISO, DMY';
SELECT error_of($$SELECT '01/04/2020 s/d 12/04/2020'::hrpolicy.validity$$) AS day_first;
SET datestyle = ISO;
-- ranges still read as ranges, in sets too
SELECT '[2020-04-01,2020-04-21]'::hrpolicy.validity, ' empty'::hrpolicy.validity,
       '{[2020-04-01,2020-04-02], [2020-04-06,2020-04-07]}'::hrpolicy.validity_set;
SELECT error_of($$SELECT hrpolicy.validity_in('[1,2]', 'int4range'::regtype, -1)$$);
-- a rule of an unknown decree;
SELECT error_of($$INSERT INTO hrpolicy.rule (policy, name, quota) VALUES ('SE-1/2021', 'cap', '<=50%')$$);
SELECT error_of($$INSERT INTO hrpolicy.rule (policy, name, quota) VALUES ('PERWALI-9', 'cap', '<=50%')$$);
SELECT error_of($$UPDATE hrpolicy.rule SET policy = 'SE-1/2002' WHERE name = 'wfo-cap'$$);
-- an amendment of an unknown decree (the nearest code, and how to load in any order)
SELECT error_of($$INSERT INTO hrpolicy.policy (code, valid, amends) VALUES ('SE-5/2020', '[2020-12-01,)', '{SE-1/202}')$$);
-- a unit code that is no ltree label (the hint comes from hrpolicy, loaded
-- in this session; a space, which no PostgreSQL's ltree takes, as 15's
-- takes no hyphen);
\set SHOW_CONTEXT never
SELECT 'Dinas Kesehatan'::ltree;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate;
-- a roster whose tags or unit are text;
CREATE VIEW dg.text_tags AS SELECT unit, day, person, status, 'structural'::text AS tags FROM dg.roster;
CREATE VIEW dg.text_unit AS SELECT 'Dinas Kesehatan'::text AS unit, day, person, status, tags FROM dg.roster;
CREATE VIEW dg.varchar_tags AS SELECT unit, day, person, status, tags::varchar[] AS tags FROM dg.roster;
SELECT error_of($$SELECT hrpolicy.use_roster('dg.text_tags')$$);
SELECT error_of($$SELECT hrpolicy.use_roster('dg.text_unit')$$);
SELECT error_of($$SELECT hrpolicy.use_roster('dg.varchar_tags')$$);
-- an error inside the roster view names the roster and report, with the
-- view's own message and a short context (not the generated query).
CREATE VIEW dg.bad_roster AS
SELECT CASE WHEN day = '2020-11-18' THEN ('x ' || unit::text)::ltree ELSE unit END AS unit,
       day, person, status, tags
FROM dg.roster;
SELECT hrpolicy.use_roster('dg.bad_roster');
\set SHOW_CONTEXT always
SELECT count(*) FROM hrpolicy.compliance('2020-11-16', '2020-11-20');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate;
\set SHOW_CONTEXT never
SELECT error_of($$SELECT * FROM hrpolicy.conflicts('2020-11-16', '2020-11-20')$$);
SELECT error_of($$SELECT * FROM hrpolicy.diagnose('2020-11-16', '2020-11-20')$$);
SELECT error_of($$SELECT hrpolicy.report_query('dg.roster', 'other', 'SELECT 1')$$);

DELETE FROM hrpolicy.policy;
DELETE FROM hrpolicy.circumstance;
DELETE FROM hrpolicy.roster_source;
DROP SCHEMA dg CASCADE;
