-- The schema hrpolicy: the extension's alone, owned by a superuser.
--
-- CREATE EXTENSION creates the schema named in the control file as the
-- role running the command; in a trusted install that is the database
-- owner, who could then create objects beside the extension's (an overload
-- or an operator that a superuser's report would call).  The schema is
-- therefore given to the superuser that runs this script, and must not
-- hold objects of anyone else: it may exist (pg_dump recreates it before
-- the extension), but empty.
DO $install$
DECLARE
    holder text;
BEGIN
    SELECT pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid) INTO holder
    FROM pg_catalog.pg_depend d
    WHERE d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_namespace'::pg_catalog.regclass
      AND d.refobjid OPERATOR(pg_catalog.=) 'hrpolicy'::pg_catalog.regnamespace
      AND d.classid OPERATOR(pg_catalog.<>) 'pg_catalog.pg_extension'::pg_catalog.regclass
    LIMIT 1;
    IF holder IS NOT NULL THEN
        RAISE EXCEPTION 'schema hrpolicy is not empty: it holds %', holder
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'hrpolicy installs into a schema of its own, which nobody else may write.',
                  HINT = 'Move or drop what the schema holds, then create the extension again.';
    END IF;
END
$install$;
ALTER SCHEMA hrpolicy OWNER TO CURRENT_USER;
REVOKE CREATE ON SCHEMA hrpolicy FROM PUBLIC;
