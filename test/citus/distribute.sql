-- Distribute the sample HR database (test/citus/load.sql) by :key, day or
-- person: attendance and the duty roster by day or by the person's nip,
-- co-located; the roster table by day or person; units, staff, their
-- assignments and the calendar as reference tables.  hrpolicy's own
-- catalog stays on the coordinator, where the reports read it.
\set ON_ERROR_STOP on
\set QUIET on
SET client_min_messages = warning;
SELECT create_reference_table('sample.unit');
SELECT create_reference_table('sample.staff');
SELECT create_reference_table('sample.assignment');
SELECT create_reference_table('sample.holiday');
SELECT create_reference_table('sample.weekday');
SELECT create_distributed_table('sample.attendance', CASE :'key' WHEN 'day' THEN 'day' ELSE 'nip' END);
SELECT create_distributed_table('sample.duty_roster', CASE :'key' WHEN 'day' THEN 'day' ELSE 'nip' END,
                                colocate_with => 'sample.attendance');
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
