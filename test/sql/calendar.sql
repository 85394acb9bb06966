-- calendar() and calendar_svg(): the verdict of each unit-day, the grid
-- with weekends and days without roster rows, text from the catalog
-- escaped for XML, and the errors of their arguments.  The picture as a
-- browser renders it is test/checks/calendar_picture.sh.
\i test/preamble.sql
SET datestyle = ISO;
SET client_min_messages = warning;

SELECT error_of($$SELECT hrpolicy.calendar_svg('2020-11-01', '2020-11-30')$$);   -- no roster yet

DROP SCHEMA IF EXISTS hr CASCADE;
CREATE SCHEMA hr;
CREATE TABLE hr.roster (unit ltree, day date, person text, status text, tags text[]);
SELECT hrpolicy.use_roster('hr.roster');

-- Week of Monday 2 November 2020.  kota.a: 4 staff, 1 in the office under
-- a 25% cap (1 allowed: close); kota.b: 4 staff, 2 in (over); kota.c:
-- under a minimum of 50% with 1 of 4 in (short) and the cap kept; lain.x:
-- no decree (no rule).  Thursday 5 November: kota.b has no rows (a
-- holiday); a row without a person is left out.
INSERT INTO hr.roster
SELECT u.unit::ltree, d::date, u.unit || '-' || i,
       CASE WHEN i <= u.office THEN 'office' ELSE 'home' END, '{}'
FROM (VALUES ('kota.a', 1), ('kota.b', 2), ('kota.c', 1), ('lain.x', 4)) u (unit, office)
CROSS JOIN generate_series('2020-11-02'::date, '2020-11-06', '1 day') d
CROSS JOIN generate_series(1, 4) i
WHERE NOT (u.unit = 'kota.b' AND d = '2020-11-05');
INSERT INTO hr.roster VALUES ('kota.a', '2020-11-02', NULL, 'office', '{}');
INSERT INTO hrpolicy.policy (code, title, valid, scope) VALUES
    ('SE-1/2020', E'Batas <WFO> & "piket"\x01 \uFFFE', '[2020-11-01,)', 'kota'),
    ('SE-2/2020', NULL, '[2020-11-01,)', 'kota.c');
INSERT INTO hrpolicy.rule (policy, name, quota) VALUES
    ('SE-1/2020', 'wfo-cap', '<=25%'),
    ('SE-2/2020', 'piket', '>=50%');

SELECT unit, day, verdict, policies FROM hrpolicy.calendar_cells('2020-11-02', '2020-11-06') ORDER BY unit, day;
SELECT * FROM hrpolicy.calendar('2020-11-01', '2020-11-08');
SELECT * FROM hrpolicy.calendar('2020-11-01', '2020-11-08', 'kota.c');
SELECT * FROM hrpolicy.calendar('2020-11-07', '2020-11-08', 'nowhere');

-- The SVG: well-formed, one cell per unit and day, the catalog's text
-- escaped, the characters XML cannot hold left out.
SELECT xml_is_well_formed_document(s) AS well_formed,
       (SELECT count(*) FROM regexp_matches(s, '<rect class="', 'g')) AS cells,
       (SELECT count(*) FROM regexp_matches(s, '<rect class="over"', 'g')) AS over,
       (SELECT count(*) FROM regexp_matches(s, '<rect class="weekend"', 'g')) AS weekend,
       (SELECT count(*) FROM regexp_matches(s, '<rect class="no-roster"', 'g')) AS no_roster,
       position('SE-1/2020: Batas &lt;WFO&gt; &amp; &quot;piket&quot; </text>' IN s) > 0 AS title_escaped,
       position(chr(1) IN s) = 0 AND position(chr(65534) IN s) = 0 AS no_invalid_characters,
       position('<title>kota.c, 2020-11-02: short of a minimum' IN s) > 0 AS hover
FROM hrpolicy.calendar_svg('2020-11-01', '2020-11-08') s;
SELECT xml_is_well_formed_document(s) AS well_formed,
       position('The roster has no rows and no rule judges any unit in this period.' IN s) > 0 AS says_empty,
       position('No decree judged these days.' IN s) > 0 AS says_no_decree
FROM hrpolicy.calendar_svg('2020-11-01', '2020-11-08', 'nowhere') s;
SELECT hrpolicy.xml_text(E'<a href="x">&''\x02\t\n'), hrpolicy.xml_text(NULL) IS NULL AS strict;

-- errors
SELECT error_of($$SELECT hrpolicy.calendar_svg(NULL, '2020-11-30')$$);
SELECT error_of($$SELECT hrpolicy.calendar_svg('2020-11-30', '2020-11-01')$$);
SELECT error_of($$SELECT * FROM hrpolicy.calendar('2020-01-01', '2021-01-01')$$);
SELECT error_of($$SELECT * FROM hrpolicy.calendar('2020-01-01', '2020-12-31')$$);   -- 366 days: ok
SELECT error_of($$SELECT hrpolicy.calendar_svg('-infinity', '2020-11-30')$$);
