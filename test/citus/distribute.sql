-- Distribute the sample HR database (test/citus/load.sql) by :key, day or
-- person, so that the recipe's roster view runs on the workers: its
-- driving tables are distributed and co-located with the attendance, the
-- rest are reference tables (copied to every node).
--   by day:    attendance, the duty roster and the working days (weekday)
--              by day; units, staff, assignments, holidays as reference
--   by person: attendance, the duty roster and the assignments by nip;
--              units, staff, holidays, working days as reference
-- and the roster table by day or person.  hrpolicy's own catalog stays on
-- the coordinator, where the reports read it.
\set ON_ERROR_STOP on
\set QUIET on
SELECT create_reference_table('sample.unit');
SELECT create_reference_table('sample.staff');
SELECT create_reference_table('sample.holiday');
SELECT create_distributed_table('sample.attendance', CASE :'key' WHEN 'day' THEN 'day' ELSE 'nip' END);
SELECT create_distributed_table('sample.duty_roster', CASE :'key' WHEN 'day' THEN 'day' ELSE 'nip' END,
                                colocate_with => 'sample.attendance');
SELECT :'key' = 'day' AS by_day \gset
\if :by_day
SELECT create_distributed_table('sample.weekday', 'day', colocate_with => 'sample.attendance');
SELECT create_reference_table('sample.assignment');
\else
SELECT create_reference_table('sample.weekday');
SELECT create_distributed_table('sample.assignment', 'nip', colocate_with => 'sample.attendance');
\endif
SELECT create_distributed_table('sample.roster_table', :'key');

-- The recipe's unit paths are a recursive view, which Citus plans only
-- with a filter on a distribution column: on a cluster they are a
-- reference table, and the roster view reads that.
CREATE TABLE sample.unit_path_table AS SELECT * FROM sample.unit_path;
SELECT create_reference_table('sample.unit_path_table');
DO $$
BEGIN
    EXECUTE 'CREATE OR REPLACE VIEW sample.roster AS '
        || replace(pg_get_viewdef('sample.roster'::regclass), 'sample.unit_path p', 'sample.unit_path_table p');
END
$$;
