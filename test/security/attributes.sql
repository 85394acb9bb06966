-- No SECURITY DEFINER; every SQL or PL/pgSQL function of the extension has
-- a body bound at creation or pins its search_path.
DO $$
DECLARE
    bad text;
BEGIN
    SELECT string_agg(p.oid::regprocedure::text, ', ') INTO bad
    FROM pg_proc p
    JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'hrpolicy'
    WHERE p.prosecdef;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'SECURITY DEFINER functions: %', bad;
    END IF;

    SELECT string_agg(p.oid::regprocedure::text, ', ') INTO bad
    FROM pg_proc p
    JOIN pg_language l ON l.oid = p.prolang
    JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'hrpolicy'
    WHERE l.lanname IN ('sql', 'plpgsql')
      AND p.prosqlbody IS NULL
      AND NOT coalesce(p.proconfig::text[] && ARRAY['search_path=pg_catalog, pg_temp'], false)
      AND p.proname <> 'pin_report_search_path';
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'functions that neither bind their body nor pin search_path: %', bad;
    END IF;

    -- A function that sets a parameter cannot run during a parallel
    -- operation, so it must not claim to be parallel safe or restricted.
    SELECT string_agg(p.oid::regprocedure::text, ', ') INTO bad
    FROM pg_proc p
    JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'hrpolicy'
    WHERE (p.proconfig IS NOT NULL OR p.proname IN ('pin_report_search_path', 'compliance', 'violations', 'conflicts'))
      AND p.proparallel <> 'u';
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'functions that set parameters but are marked parallel safe or restricted: %', bad;
    END IF;
END
$$;
SELECT 'ok: no SECURITY DEFINER; every SQL/PL/pgSQL body bound at creation or search_path pinned; parameter-setting functions parallel unsafe' AS attributes;
