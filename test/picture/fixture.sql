-- A month drawn by the calendar check (test/checks/calendar_picture.sh):
-- November 2020, 21 weekdays less a holiday on the 10th, five units each
-- with one verdict on all 20 working days, decrees whose code and title
-- are markup that must render as text.
CREATE EXTENSION hrpolicy CASCADE;
CREATE TABLE roster (unit ltree, day date, person text, status text, tags text[]);
-- unit, staff, in office: 3 of 5 over a cap of 25% (1 allowed), 1 of 8 ok
-- (2 allowed, 1 to spare), 1 of 4 close (1 allowed, none to spare), 1 of 4
-- short of a minimum of 50%, and a unit no decree covers.
INSERT INTO roster
SELECT u.unit::ltree, d::date, u.unit || '-' || i,
       CASE WHEN i <= u.office THEN 'office' ELSE 'home' END, '{}'
FROM (VALUES ('kota.over', 5, 3), ('kota.ok', 8, 1), ('kota.close', 4, 1),
             ('kota.short', 4, 1), ('lain.norule', 3, 3)) u (unit, staff, office)
CROSS JOIN generate_series('2020-11-01'::date, '2020-11-30', '1 day') d
CROSS JOIN LATERAL generate_series(1, u.staff) i
WHERE extract(isodow FROM d) < 6 AND d <> '2020-11-10';
SELECT hrpolicy.use_roster('roster');
INSERT INTO hrpolicy.policy (code, title, valid, scope) VALUES
    ('SE-CAP/2020', '<script>alert(1)</script>', '[2020-11-01,)', 'kota'),
    ('SE-MIN<&>/2020', ']]>& "quoted" ''single''', '[2020-11-01,)', 'kota.short');
INSERT INTO hrpolicy.rule (policy, name, quota) VALUES
    ('SE-CAP/2020', 'wfo-cap', '<=25%'),
    ('SE-MIN<&>/2020', 'min</title>', '>=50%');
-- The minimum's unit keeps its cap (1 of 4 is close to it): the worse
-- verdict, short, is drawn.
