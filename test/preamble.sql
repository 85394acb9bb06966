\set preamble_echo :ECHO
\set ECHO none
-- The preamble of every regression test (\i test/preamble.sql; pg_regress
-- runs from the project root): a fresh extension, so that no test depends
-- on what another left in the catalog (the tests run in any order), ISO
-- dates, quiet notices, and the helpers that show an error's SQLSTATE,
-- message and detail in a table.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS hrpolicy CASCADE;
CREATE EXTENSION hrpolicy CASCADE;
SET datestyle = ISO;

-- error_of(query): 'ok', or the SQLSTATE, message, detail and hint of the
-- error the query raises.
CREATE OR REPLACE FUNCTION public.error_of(query text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    state text;
    message text;
    detail text;
    hint text;
BEGIN
    EXECUTE query;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
    RETURN state || ' ' || message || coalesce(' | ' || nullif(detail, ''), '')
           || coalesce(' | hint: ' || nullif(hint, ''), '');
END
$$;

-- commit_error(statements): what a COMMIT of the statements would say:
-- 'ok', or the SQLSTATE, message, detail and hint (deferred checks run).
CREATE OR REPLACE FUNCTION public.commit_error(statements text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    state text;
    message text;
    detail text;
    hint text;
BEGIN
    EXECUTE statements;
    SET CONSTRAINTS ALL IMMEDIATE;     -- what COMMIT would run
    SET CONSTRAINTS ALL DEFERRED;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
    RETURN state || ' ' || message
           || coalesce(E'\n  detail: ' || nullif(detail, ''), '')
           || coalesce(E'\n  hint: ' || nullif(hint, ''), '');
END
$$;
\set ECHO :preamble_echo
