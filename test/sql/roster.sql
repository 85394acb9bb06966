-- Binding the user's data: use_roster() and its refusals.
\i test/preamble.sql
SET datestyle = ISO;
SET client_min_messages = warning;

DROP SCHEMA IF EXISTS hr CASCADE;
CREATE SCHEMA hr;
CREATE TABLE hr.attendance (unit ltree, day date, person text, status text, tags text[]);
CREATE VIEW hr.missing_tags AS SELECT unit, day, person, status FROM hr.attendance;
CREATE VIEW hr.varchar_status AS
    SELECT unit, day, person, status::varchar(10) AS status, tags FROM hr.attendance;
CREATE VIEW hr.text_unit AS
    SELECT unit::text AS unit, day, person, status, tags FROM hr.attendance;
CREATE VIEW hr.timestamp_day AS
    SELECT unit, day::timestamp AS day, person, status, tags FROM hr.attendance;
CREATE SEQUENCE hr.not_a_table;
CREATE TABLE hr."Odd ""name""; DROP TABLE x" (unit ltree, day date, person text, status text, tags text[],
                                               extra int);

-- No roster yet: the reports say what to do.
SELECT error_of($$SELECT * FROM hrpolicy.compliance('2020-11-01', '2020-11-30')$$);
SELECT error_of($$SELECT hrpolicy.roster()$$);

SELECT error_of(q) FROM (VALUES
    ($$SELECT hrpolicy.use_roster('hr.missing_tags')$$),
    ($$SELECT hrpolicy.use_roster('hr.varchar_status')$$),
    ($$SELECT hrpolicy.use_roster('hr.text_unit')$$),
    ($$SELECT hrpolicy.use_roster('hr.timestamp_day')$$),
    ($$SELECT hrpolicy.use_roster('hr.not_a_table')$$),
    ($$SELECT hrpolicy.use_roster('hr.no_such_view')$$),
    ($$SELECT hrpolicy.use_roster(0)$$)
) AS t (q);
-- The hints say how to fix it.
CREATE FUNCTION pg_temp.hint_of(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    hint text;
BEGIN
    EXECUTE query;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS hint = PG_EXCEPTION_HINT;
    RETURN hint;
END
$$;
SELECT pg_temp.hint_of(q) FROM (VALUES
    ($$SELECT hrpolicy.use_roster('hr.missing_tags')$$),
    ($$SELECT hrpolicy.use_roster('hr.varchar_status')$$),
    ($$SELECT hrpolicy.roster()$$)
) AS t (q);
SELECT hrpolicy.use_roster(NULL) IS NULL AS null_is_ignored;
SELECT count(*) AS chosen FROM hrpolicy.roster_source;

-- A table with extra columns and an awkward name is fine; the name is kept
-- quoted and schema-qualified, whatever the search_path.
SELECT hrpolicy.use_roster('hr."Odd ""name""; DROP TABLE x"');
SELECT relation FROM hrpolicy.roster_source;
SET search_path = pg_catalog;
SELECT hrpolicy.roster();
SELECT count(*) FROM hrpolicy.compliance('2020-11-01', '2020-11-30');
RESET search_path;

-- Choosing again replaces the choice.
SELECT hrpolicy.use_roster('hr.attendance');
SELECT relation, chosen_by = current_user AS by_me FROM hrpolicy.roster_source;

-- Dropped or redefined after use_roster: a clear error at report time.
CREATE VIEW hr.roster AS SELECT * FROM hr.attendance;
SELECT hrpolicy.use_roster('hr.roster');
DROP VIEW hr.roster;
SELECT error_of($$SELECT * FROM hrpolicy.compliance('2020-11-01', '2020-11-30')$$);
SELECT pg_temp.hint_of($$SELECT * FROM hrpolicy.violations('2020-11-01', '2020-11-30')$$);
CREATE VIEW hr.roster AS SELECT unit, day, person, status, NULL::text AS tags FROM hr.attendance;
SELECT error_of($$SELECT * FROM hrpolicy.compliance('2020-11-01', '2020-11-30')$$);
DROP VIEW hr.roster;
CREATE VIEW hr.roster AS SELECT * FROM hr.attendance;
SELECT hrpolicy.roster();
DROP SCHEMA hr CASCADE;
