-- The roster of the sample HR database, built as the README's recipe says
-- ("Use it on your own database"): one row per person in their unit on
-- every working day, whether or not anyone recorded their attendance.
--
--   working days    sample.calendar: Monday to Friday (sample.weekday) less
--                   sample.holiday, so that a holiday added later is no
--                   working day
--   unit paths      from each unit's parent and code, with hrpolicy.label()
--   membership      sample.assignment, with dates: a transfer ends one row and
--                   starts another, so past days stay in the old unit
--   status          the attendance row's, or absent when there is none
--   tags            asn | non-asn, pns | pppk, structural, eselon:2 | eselon:3 |
--                   eselon:4, top2 (eselon II and III: the two highest
--                   structural levels of an OPD), functional | pelaksana,
--                   over55 (strictly older than 55 that day), piket (on the
--                   duty roster that day)
-- Needs hrpolicy (for label()); run after CREATE EXTENSION hrpolicy.

-- Mondays to Fridays through the end of next year, as far ahead as
-- holidays are decreed (add a year each January: the roster, and the check
-- of an enforced staff write, end here): a table, so that the planner knows
-- how many days a period holds; the holidays are taken out by the view
-- below, so a holiday added later is no working day.
CREATE TABLE sample.weekday (day date PRIMARY KEY);
INSERT INTO sample.weekday
SELECT d::date FROM generate_series('2020-01-01'::date, '2027-12-31', interval '1 day') d
WHERE extract(isodow FROM d) < 6;
ANALYZE sample.weekday;

CREATE VIEW sample.calendar AS
SELECT w.day FROM sample.weekday w
WHERE NOT EXISTS (SELECT FROM sample.holiday h WHERE h.day = w.day);
COMMENT ON VIEW sample.calendar IS 'the working days: Monday to Friday, less the public holidays';

CREATE VIEW sample.unit_path AS
WITH RECURSIVE tree AS (
    SELECT u.id, hrpolicy.label(u.code)::ltree AS path
    FROM sample.unit u WHERE u.parent_id IS NULL
    UNION ALL
    SELECT u.id, t.path || hrpolicy.label(u.code)
    FROM sample.unit u JOIN tree t ON u.parent_id = t.id
)
SELECT id, path FROM tree;
COMMENT ON VIEW sample.unit_path IS
    'each unit''s ltree path: the labels of its ancestors'' codes and its own (KUPANG > DINKES > PUSKESMAS-OEBOBO: kupang.dinkes.puskesmas_oebobo)';

CREATE VIEW sample.roster AS
SELECT p.path AS unit,
       c.day,
       m.nip AS person,
       coalesce(a.status, 'absent') AS status,
       array_remove(ARRAY[
           CASE WHEN s.employment = 'non-asn' THEN 'non-asn' ELSE 'asn' END,
           CASE WHEN s.employment <> 'non-asn' THEN s.employment END,
           s.position,
           'eselon:' || s.eselon,
           CASE WHEN s.eselon IN (2, 3) THEN 'top2' END,
           CASE WHEN c.day > s.birth_date + interval '55 years' THEN 'over55' END,
           CASE WHEN d.nip IS NOT NULL THEN 'piket' END
       ], NULL)::text[] AS tags
FROM sample.calendar c
JOIN sample.assignment m ON m.valid_from <= c.day AND (m.valid_to IS NULL OR c.day <= m.valid_to)
JOIN sample.staff s ON s.nip = m.nip
JOIN sample.unit_path p ON p.id = m.unit_id
LEFT JOIN sample.attendance a ON a.nip = m.nip AND a.day = c.day
LEFT JOIN sample.duty_roster d ON d.nip = m.nip AND d.day = c.day;
COMMENT ON VIEW sample.roster IS
    'the hrpolicy roster (unit, day, person, status, tags): every person assigned to a unit on every working day, absent when no attendance was recorded';
