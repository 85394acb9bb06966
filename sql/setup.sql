-- Shared by the other regress tests (pg_regress runs them in one database,
-- in the order of REGRESS).
SET client_min_messages = warning;

-- error_of(query): 'ok', or the SQLSTATE, message and detail of the error
-- the query raises, so that tests show all three in a table.
CREATE FUNCTION public.error_of(query text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    state text;
    message text;
    detail text;
BEGIN
    EXECUTE query;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE,
                            message = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL;
    RETURN state || ' ' || message || coalesce(' | ' || nullif(detail, ''), '');
END
$$;

SELECT extname, extversion FROM pg_extension WHERE extname IN ('ltree', 'hrpolicy') ORDER BY 1;
