-- sample_fwa_2025.sql: six weeks of 2025 attendance for the sample HR
-- database (run after sample_hr.sql), under PermenPANRB 4/2025 (flexible
-- work: at most 2 working days a week away from the office).
--
--   psql -f demo/sample_hr.sql -f demo/sample_fwa_2025.sql
--
-- Monday 21 April to Friday 30 May 2025, less the public holidays of those
-- weeks (1 May, 12 May, 29 May).  Each person picks, each week, how many
-- days to work from home: most 0, 1 or 2; about 4% of the non-structural
-- staff take 3 in some week (over the regulation's 2); structural officials
-- mostly 0 or 1, a few 2 (over Kupang's stricter 1).  The days at home run
-- from a weekday the person's hash chooses; about 2% of days are leave and
-- 2% sick.  Deterministic (hashes of stable keys), set-based, one
-- transaction; it replaces the 2025 rows of an earlier run.  The decrees are
-- in examples/07_fwa_2025.sql.

\set hr_saved_on_error_stop :ON_ERROR_STOP
\set hr_saved_quiet :QUIET
\set ON_ERROR_STOP on
\set QUIET on

BEGIN;
SET LOCAL client_min_messages = warning;
SET LOCAL work_mem = '256MB';
SET LOCAL jit = off;

DELETE FROM sample.attendance WHERE day BETWEEN '2025-04-21' AND '2025-05-30';
INSERT INTO sample.holiday (day, name) VALUES
    ('2025-05-01', 'Hari Buruh Internasional'),
    ('2025-05-12', 'Hari Raya Waisak'),
    ('2025-05-29', 'Kenaikan Yesus Kristus')
ON CONFLICT (day) DO NOTHING;

INSERT INTO sample.attendance (nip, day, status)
SELECT s.nip, d.day,
       CASE WHEN h.leave_pick < 2 THEN 'leave'
            WHEN h.leave_pick < 4 THEN 'sick'
            -- the person's days at home this week: "away" weekdays in a row
            -- from the weekday "start" (Monday = 0)
            WHEN (extract(isodow FROM d.day)::int - 1 - w.start + 5) % 5 < w.away THEN 'home'
            ELSE 'office' END
FROM sample.staff s
JOIN sample.assignment m ON m.nip = s.nip
CROSS JOIN (SELECT c.day FROM sample.calendar c
            WHERE c.day BETWEEN '2025-04-21' AND '2025-05-30') d
CROSS JOIN LATERAL (
    SELECT abs(hashtext(s.nip || ':' || date_trunc('week', d.day)::date)) AS week_hash
) x
CROSS JOIN LATERAL (
    SELECT CASE WHEN s.position = 'structural'
                THEN CASE WHEN x.week_hash % 100 < 70 THEN 0
                          WHEN x.week_hash % 100 < 96 THEN 1 ELSE 2 END
                ELSE CASE WHEN x.week_hash % 100 < 35 THEN 0
                          WHEN x.week_hash % 100 < 65 THEN 1
                          WHEN x.week_hash % 100 < 96 THEN 2 ELSE 3 END
           END AS away,
           (x.week_hash / 100) % 5 AS start
) w
CROSS JOIN LATERAL (
    SELECT abs(hashtext(s.nip || '/' || d.day)) % 100 AS leave_pick
) h
WHERE m.valid_from <= d.day AND (m.valid_to IS NULL OR d.day <= m.valid_to);

COMMIT;
ANALYZE sample.attendance;

\set ON_ERROR_STOP :hr_saved_on_error_stop
\set QUIET :hr_saved_quiet
