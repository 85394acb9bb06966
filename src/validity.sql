-- hrpolicy.validity: a decree's window in force, a range of dates whose
-- canonical form keeps both ends inclusive, as decrees write them.

CREATE TYPE hrpolicy.validity;

CREATE FUNCTION hrpolicy.validity_canonical(hrpolicy.validity) RETURNS hrpolicy.validity
    AS 'MODULE_PATHNAME', 'validity_canonical' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE hrpolicy.validity AS RANGE (
    SUBTYPE = pg_catalog.date,
    CANONICAL = hrpolicy.validity_canonical,
    SUBTYPE_DIFF = pg_catalog.daterange_subdiff,
    MULTIRANGE_TYPE_NAME = hrpolicy.validity_set
);
COMMENT ON TYPE hrpolicy.validity IS
    'a window in force, both ends inclusive: [2020-03-24,2020-03-31]; upper() is the last day in force, an open upper end means until revoked';
COMMENT ON TYPE hrpolicy.validity_set IS
    'a set of windows in force (the multirange of hrpolicy.validity)';

CREATE FUNCTION hrpolicy.days(hrpolicy.validity) RETURNS integer
    AS 'MODULE_PATHNAME', 'validity_days' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION hrpolicy.days(hrpolicy.validity) IS
    'number of days in force; 0 when empty; NULL when an end is open or infinite';

CREATE FUNCTION hrpolicy.working_days(hrpolicy.validity, holidays pg_catalog.date[] DEFAULT '{}')
    RETURNS integer
    AS 'MODULE_PATHNAME', 'validity_working_days' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION hrpolicy.working_days(hrpolicy.validity, pg_catalog.date[]) IS
    'Mondays to Fridays in force, less the given holidays; NULL when an end is open or infinite';
