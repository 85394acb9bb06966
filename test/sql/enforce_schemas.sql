-- Enforcement on the layouts real attendance schemas have: a partitioned
-- attendance table, a second table under the same roster, a staff table
-- the roster joins, pre-existing breaches, duplicate rows, TRUNCATE, and
-- the relations enforcement refuses.
\i test/preamble.sql
\set SHOW_CONTEXT never

-- An HR schema as real ones are: staff with their unit and rank, daily
-- attendance partitioned by month, and a table of entries made by hand;
-- the roster view joins them.
DROP SCHEMA IF EXISTS ens CASCADE;
CREATE SCHEMA ens;
CREATE TABLE ens.staff (nip text PRIMARY KEY, unit ltree NOT NULL, eselon int);
CREATE TABLE ens.attendance (nip text NOT NULL, day date NOT NULL, status text NOT NULL)
    PARTITION BY RANGE (day);
CREATE TABLE ens.attendance_2020_11 PARTITION OF ens.attendance
    FOR VALUES FROM ('2020-11-01') TO ('2020-12-01');
CREATE TABLE ens.manual_entry (nip text NOT NULL, day date NOT NULL, status text NOT NULL);
CREATE VIEW ens.roster AS
SELECT s.unit, a.day, a.nip AS person, a.status,
       CASE WHEN s.eselon IS NULL THEN '{}'::text[]
            ELSE ARRAY['structural', 'eselon:' || s.eselon] END AS tags
FROM (SELECT nip, day, status FROM ens.attendance
      UNION ALL
      SELECT nip, day, status FROM ens.manual_entry) a
JOIN ens.staff s USING (nip);
SELECT hrpolicy.use_roster('ens.roster');
CREATE FUNCTION pg_temp.in_office(of_unit text, on_day date) RETURNS text LANGUAGE sql AS $$
    SELECT string_agg(r.person, ',' ORDER BY r.person)
    FROM ens.roster r WHERE r.unit = of_unit::ltree AND r.day = on_day AND r.status = 'office'
$$;


-- Units a and b of 12, c of 8; on 18 November 3 in office in a (the <=25%
-- cap is full), 1 in b, 2 in c (full).  a01 is the head (eselon 2).
INSERT INTO ens.staff
SELECT u || lpad(i::text, 2, '0'), ('kota.' || u)::ltree, CASE WHEN i = 1 THEN 2 END
FROM unnest(ARRAY['a', 'b', 'c'], ARRAY[12, 12, 8]) x (u, n), generate_series(1, n) i;
INSERT INTO ens.attendance
SELECT s.nip, '2020-11-18',
       CASE WHEN s.nip IN ('a01', 'a02', 'a03', 'b01', 'c01', 'c02') THEN 'office' ELSE 'home' END
FROM ens.staff s;
INSERT INTO hrpolicy.policy (code, valid, scope) VALUES ('SE-KOTA/2020', '[2020-11-17,)', 'kota');
INSERT INTO hrpolicy.rule (policy, name, quota) VALUES ('SE-KOTA/2020', 'wfo-cap', '<=25%');

-- Which relations the roster reads, before and after enforcing them.
SELECT relation, kind, row_security, enforced FROM hrpolicy.roster_tables() ORDER BY relation::text;
SELECT hrpolicy.enforce('ens.attendance', 'day');
SELECT hrpolicy.enforce('ens.manual_entry', 'day');
SELECT hrpolicy.enforce('ens.staff', NULL, '2020-11-01');
SELECT * FROM hrpolicy.enforcement ORDER BY tbl::text;
SELECT relation, kind, enforced, day_column, from_day FROM hrpolicy.roster_tables() ORDER BY relation::text;
SELECT tgrelid::regclass AS relation, tgname, tgparentid <> 0 AS cloned
FROM pg_trigger WHERE tgrelid::regclass::text LIKE 'ens.%' ORDER BY 1, 2;

-- 1. A partitioned table: a fourth person in office is refused through the
-- parent, straight into the partition, and in a partition created or
-- attached after enforce().
SELECT commit_error($$UPDATE ens.attendance SET status = 'office' WHERE nip = 'a04'$$);
SELECT commit_error($$UPDATE ens.attendance_2020_11 SET status = 'office' WHERE nip = 'a04'$$);
-- a row deleted straight from the partition is checked too: a05 at home
-- leaving the roster would leave 3 of 11 in office where 2 are allowed, a
-- new breach, though no one more is in office
SELECT commit_error($$DELETE FROM ens.attendance_2020_11 WHERE nip = 'a05'$$);
CREATE TABLE ens.attendance_2020_12 PARTITION OF ens.attendance
    FOR VALUES FROM ('2020-12-01') TO ('2021-01-01');
INSERT INTO ens.attendance
SELECT s.nip, '2020-12-01', CASE WHEN s.nip IN ('a01', 'a02', 'a03') THEN 'office' ELSE 'home' END
FROM ens.staff s WHERE s.unit = 'kota.a';
SELECT commit_error($$UPDATE ens.attendance_2020_12 SET status = 'office' WHERE nip = 'a04'$$);
CREATE TABLE ens.attendance_2021_01 (LIKE ens.attendance);
ALTER TABLE ens.attendance ATTACH PARTITION ens.attendance_2021_01
    FOR VALUES FROM ('2021-01-01') TO ('2021-02-01');
SELECT commit_error($$INSERT INTO ens.attendance_2021_01
                              SELECT nip, '2021-01-04', 'office' FROM ens.staff WHERE unit = 'kota.a'$$);
-- moving a row to another day's partition checks both days
SELECT commit_error($$UPDATE ens.attendance SET day = '2020-12-01'
                              WHERE nip = 'a04' AND day = '2020-11-18';
                              UPDATE ens.attendance SET status = 'office'
                              WHERE nip = 'a04' AND day = '2020-12-01'$$);
SELECT pg_temp.in_office('kota.a', '2020-11-18') AS a_18_nov, pg_temp.in_office('kota.a', '2020-12-01') AS a_1_dec;

-- 2. Two tables under one roster: the hand-made entries count with the
-- attendance, so a fourth place taken there is refused too.
SELECT commit_error($$INSERT INTO ens.manual_entry VALUES ('a13', '2020-11-18', 'office');
                              INSERT INTO ens.staff VALUES ('a13', 'kota.a')$$);
SELECT commit_error($$DELETE FROM ens.attendance WHERE nip = 'a01' AND day = '2020-11-18';
                              INSERT INTO ens.manual_entry VALUES ('a01', '2020-11-18', 'office')$$);

-- 3. The staff table: a transfer into a full unit, or a change of rank
-- that a rule selects on, changes the roster of every day from from_day.
SELECT commit_error($$UPDATE ens.staff SET unit = 'kota.a' WHERE nip = 'b01'$$);
SELECT commit_error($$UPDATE ens.staff SET unit = 'kota.a' WHERE nip = 'b10'$$);  -- at home: 3 of 13, fine
INSERT INTO hrpolicy.rule (policy, name, quota, who) VALUES ('SE-KOTA/2020', 'structural-cap', '<=1', '{structural}');
SELECT commit_error($$UPDATE ens.staff SET eselon = 3 WHERE nip = 'a02'$$);
DELETE FROM hrpolicy.rule WHERE name = 'structural-cap';

-- 4. A unit already over its cap blocks nobody else, and may lower its
-- excess; it may not raise it.  Unit b is put at 6 of 11 (at most 2
-- allowed) while enforcement is off (history loaded before it).
SELECT hrpolicy.unenforce('ens.attendance');
UPDATE ens.attendance SET status = 'office' WHERE nip IN ('b02', 'b03', 'b04', 'b05', 'b06') AND day = '2020-11-18';
SELECT hrpolicy.enforce('ens.attendance', 'day');
SELECT commit_error($$UPDATE ens.attendance SET status = 'home' WHERE nip = 'a03' AND day = '2020-11-18'$$);
SELECT commit_error($$UPDATE ens.attendance SET status = 'sick' WHERE nip = 'b06' AND day = '2020-11-18'$$);
SELECT commit_error($$UPDATE ens.attendance SET status = 'office' WHERE nip = 'b07' AND day = '2020-11-18'$$);
SELECT commit_error($$UPDATE ens.attendance SET status = 'office' WHERE nip = 'b07' AND day = '2020-11-18';
                              UPDATE ens.attendance SET status = 'home' WHERE nip IN ('b05', 'b06') AND day = '2020-11-18'$$);
SELECT pg_temp.in_office('kota.b', '2020-11-18') AS b_18_nov;

-- 5. A person counted twice on a day is refused: in unit c (2 of 8 in
-- office, full) a third in office with four extra "home" rows for others
-- would read 3 of 12, within the cap.
SELECT commit_error($$UPDATE ens.attendance SET status = 'office' WHERE nip = 'c03';
                              INSERT INTO ens.manual_entry
                              SELECT nip, '2020-11-18', 'home' FROM ens.staff
                              WHERE nip IN ('c05', 'c06', 'c07', 'c08')$$);
-- one already loaded twice (enforcement off) blocks nobody, but may not get a third row
SELECT hrpolicy.unenforce('ens.manual_entry');
INSERT INTO ens.manual_entry VALUES ('b12', '2020-11-18', 'home');
SELECT hrpolicy.enforce('ens.manual_entry', 'day');
SELECT commit_error($$UPDATE ens.attendance SET status = 'sick' WHERE nip = 'b11' AND day = '2020-11-18'$$);
SELECT commit_error($$INSERT INTO ens.manual_entry VALUES ('b12', '2020-11-18', 'home')$$);
SELECT * FROM hrpolicy.duplicate_persons('2020-11-01', '2020-11-30', NULL);

-- 6. Days before from_day are history: never checked.
SELECT hrpolicy.enforce('ens.manual_entry', 'day', '2020-11-19');
SELECT commit_error($$INSERT INTO ens.manual_entry VALUES ('a04', '2020-11-18', 'office')$$);
SELECT hrpolicy.enforce('ens.manual_entry', 'day');

-- 7. TRUNCATE writes no rows, so it is refused on every enforced table and
-- partition; a detached partition is free again.
SELECT commit_error($$TRUNCATE ens.attendance$$);
SELECT commit_error($$TRUNCATE ens.attendance_2021_01$$);
SELECT commit_error($$TRUNCATE ens.manual_entry$$);
SELECT commit_error($$TRUNCATE ens.staff CASCADE$$);
ALTER TABLE ens.attendance DETACH PARTITION ens.attendance_2021_01;
TRUNCATE ens.attendance_2021_01;
SELECT tgrelid::regclass AS relation, count(*) AS guards
FROM pg_trigger WHERE tgname = 'hrpolicy_enforce_truncate' GROUP BY 1 ORDER BY 1::text;

-- 8. The bookkeeping cannot be bypassed by hand: a day recorded with no
-- check queued makes the commit fail (it used to let the next write of the
-- day commit unchecked).
SELECT commit_error($$SELECT hrpolicy.note_touched_days(NULL, '2020-11-18');
                              UPDATE ens.attendance SET status = 'office' WHERE nip = 'a04' AND day = '2020-11-18'$$);
BEGIN;
SELECT hrpolicy.note_touched_days(NULL, '2020-11-18');
UPDATE ens.attendance SET status = 'office' WHERE nip = 'a04' AND day = '2020-11-18';
COMMIT;
SELECT pg_temp.in_office('kota.a', '2020-11-18') AS a_18_nov;
SELECT error_of($$SELECT hrpolicy.enforce_check()$$) AS call_the_check;

-- 9. What enforcement refuses.
CREATE TABLE ens.parent (nip text, day date, status text);
CREATE TABLE ens.child () INHERITS (ens.parent);
CREATE MATERIALIZED VIEW ens.snapshot AS SELECT * FROM ens.roster;
CREATE TABLE ens.unrelated (day date);
SELECT error_of(q) FROM (VALUES
    ($$SELECT hrpolicy.enforce(NULL, 'day')$$),
    ($$SELECT hrpolicy.enforce('ens.roster', 'day')$$),
    ($$SELECT hrpolicy.enforce('ens.parent', 'day')$$),
    ($$SELECT hrpolicy.enforce('ens.unrelated', 'day')$$),
    ($$SELECT hrpolicy.enforce('ens.attendance_2020_11', 'day')$$),
    ($$SELECT hrpolicy.enforce('ens.staff', 'unit')$$),
    ($$SELECT hrpolicy.unenforce('ens.attendance_2020_11')$$),
    ($$CREATE TABLE ens.grandchild () INHERITS (ens.manual_entry)$$)
) AS t (q);
-- a materialized view as roster: refused by enforce() and at commit
SELECT hrpolicy.use_roster('ens.snapshot');
SELECT error_of($$SELECT hrpolicy.enforce('ens.manual_entry', 'day')$$);
SELECT commit_error($$UPDATE ens.attendance SET status = 'home' WHERE nip = 'a02' AND day = '2020-11-18'$$);
SELECT hrpolicy.use_roster('ens.roster');
-- row-level security that would hide rows from the check: a writer to whom
-- the policy applies reads the roster through a security_invoker view
DROP ROLE IF EXISTS ens_clerk;
CREATE ROLE ens_clerk;
GRANT USAGE ON SCHEMA ens, hrpolicy TO ens_clerk;
GRANT SELECT ON ALL TABLES IN SCHEMA ens TO ens_clerk;
GRANT SELECT ON ALL TABLES IN SCHEMA hrpolicy TO ens_clerk;
GRANT UPDATE ON ens.attendance TO ens_clerk;
ALTER TABLE ens.attendance ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_unit ON ens.attendance TO ens_clerk USING (nip LIKE 'a%');
SET ROLE ens_clerk;
SELECT commit_error($$UPDATE ens.attendance SET status = 'home' WHERE nip = 'a02' AND day = '2020-11-18'$$);
RESET ROLE;
ALTER VIEW ens.roster SET (security_invoker = t);   -- any spelling of true
SET ROLE ens_clerk;
SELECT commit_error($$UPDATE ens.attendance SET status = 'home' WHERE nip = 'a02' AND day = '2020-11-18'$$);
SELECT relation, read_as, row_security FROM hrpolicy.roster_tables() WHERE row_security;
RESET ROLE;
ALTER VIEW ens.roster RESET (security_invoker);
ALTER TABLE ens.attendance DISABLE ROW LEVEL SECURITY;

-- 10. What the adversarial review of this release found, each closed.
-- A day of infinity cannot be checked: refused (the reports would count it).
SELECT commit_error($$INSERT INTO ens.manual_entry VALUES ('a05', 'infinity', 'office')$$) AS infinite_day;
-- A transaction that wrote an enforced table cannot be prepared: it would
-- hold the roster's day locks until COMMIT PREPARED.
BEGIN;
UPDATE ens.attendance SET status = 'home' WHERE nip = 'a02' AND day = '2020-11-18';
PREPARE TRANSACTION 'ens_hold';
SELECT count(*) AS prepared FROM pg_prepared_xacts WHERE gid = 'ens_hold';
-- Without a from_day, a staff table's writes touch every roster day from
-- today in the earliest time zone (UTC-12): a writer's TimeZone cannot
-- push "today" past the rows of today.
SELECT hrpolicy.enforce('ens.staff', NULL);
INSERT INTO ens.manual_entry
SELECT s.nip, (now() AT TIME ZONE 'Etc/GMT+12')::date,
       CASE WHEN s.nip IN ('c01', 'c02', 'b01') THEN 'office' ELSE 'home' END
FROM ens.staff s WHERE s.unit IN ('kota.b', 'kota.c');
SET TimeZone = 'Etc/GMT-14';
SELECT replace(commit_error($$UPDATE ens.staff SET unit = 'kota.c' WHERE nip = 'b01'$$),
               (now() AT TIME ZONE 'Etc/GMT+12')::date::text, '<today at UTC-12>') AS transfer_with_timezone_ahead;
RESET TimeZone;
SELECT hrpolicy.enforce('ens.staff', NULL, '2020-11-01');
-- Nobody can fire the check (and take its locks) from a trigger of their
-- own on a table the roster does not read.
CREATE TEMP TABLE mine (x int);
CREATE TRIGGER mine AFTER INSERT ON mine FOR EACH ROW EXECUTE FUNCTION hrpolicy.enforce_check();
SELECT commit_error($$SELECT hrpolicy.note_touched_days_from('2020-11-01'); INSERT INTO mine VALUES (1)$$) AS check_from_my_trigger;
DROP TABLE mine;
-- unenforce() takes everything away, clones and guards included.
SELECT hrpolicy.unenforce('ens.attendance');
SELECT hrpolicy.unenforce('ens.manual_entry');
SELECT hrpolicy.unenforce('ens.staff');
SELECT count(*) AS triggers_left FROM pg_trigger WHERE tgrelid::regclass::text LIKE 'ens.%';

DROP SCHEMA ens CASCADE;
DROP OWNED BY ens_clerk;
DROP ROLE ens_clerk;
DELETE FROM hrpolicy.policy;
DELETE FROM hrpolicy.roster_source;
