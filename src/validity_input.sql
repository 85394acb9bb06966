-- hrpolicy.validity's input function.  A range type always reads its
-- values with PostgreSQL's range input, which answers "2020-04-01..2020-04-21"
-- with "malformed range literal" and no hint; validity_in (validity.c)
-- reads ranges the same way and answers such a window with the range to
-- write instead.  A range type cannot name its input function, so it is
-- set here in pg_type (as CREATE TYPE would have).  pg_upgrade recreates
-- the type with PostgreSQL's range input, which reads the same values
-- without the hint; ALTER EXTENSION hrpolicy UPDATE sets it again.
CREATE FUNCTION hrpolicy.validity_in(pg_catalog.cstring, pg_catalog.oid, pg_catalog.int4)
    RETURNS hrpolicy.validity
    AS 'MODULE_PATHNAME', 'validity_in' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION hrpolicy.validity_in(pg_catalog.cstring, pg_catalog.oid, pg_catalog.int4) IS
    'the input function of hrpolicy.validity: a range of dates, with a hint for a window written without brackets';
UPDATE pg_catalog.pg_type
SET typinput = 'hrpolicy.validity_in(pg_catalog.cstring, pg_catalog.oid, pg_catalog.int4)'::pg_catalog.regprocedure
WHERE oid OPERATOR(pg_catalog.=) 'hrpolicy.validity'::pg_catalog.regtype;
