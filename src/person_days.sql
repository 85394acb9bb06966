-- Persons with more than one roster row on a day of the period: first the
-- hashes of (person, day) that repeat, in one pass (C, person_days.c, which
-- parallel workers share), then the rows behind those hashes only.
CREATE FUNCTION hrpolicy.person_day_hash(person text, day date) RETURNS bigint
AS 'MODULE_PATHNAME', 'person_day_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION hrpolicy.person_day_hash(text, date) IS
    'a 64-bit hash of a person and a day (never 0)';
CREATE FUNCTION hrpolicy.person_day_repeats_accum(internal, text, date) RETURNS internal
AS 'MODULE_PATHNAME', 'person_day_repeats_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hrpolicy.person_day_repeats_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'person_day_repeats_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hrpolicy.person_day_repeats_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'person_day_repeats_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hrpolicy.person_day_repeats_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'person_day_repeats_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hrpolicy.person_day_repeats_final(internal) RETURNS bigint[]
AS 'MODULE_PATHNAME', 'person_day_repeats_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE hrpolicy.person_day_repeats(person text, day date) (
    SFUNC = hrpolicy.person_day_repeats_accum,
    STYPE = internal,
    COMBINEFUNC = hrpolicy.person_day_repeats_combine,
    SERIALFUNC = hrpolicy.person_day_repeats_serialize,
    DESERIALFUNC = hrpolicy.person_day_repeats_deserialize,
    FINALFUNC = hrpolicy.person_day_repeats_final,
    FINALFUNC_MODIFY = READ_WRITE,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE hrpolicy.person_day_repeats(text, date) IS
    'the hashes (person_day_hash) of the (person, day) pairs that occur more than once';

-- The same, in a query that groups the roster already (the check of
-- enforce(), by unit and day): each group's hashes, then the hashes that
-- occur twice among the groups' arrays.
CREATE FUNCTION hrpolicy.person_day_hashes_final(internal) RETURNS bigint[]
AS 'MODULE_PATHNAME', 'person_day_hashes_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
-- SSPACE: what a state of about a hundred rows (8 bytes each) takes, so that
-- the planner does not take each group's state for the 8 kB it assumes of an
-- internal state it knows nothing of, and sort a million rows rather than
-- hash them by unit and day.
CREATE AGGREGATE hrpolicy.person_day_hashes(person text, day date) (
    SFUNC = hrpolicy.person_day_repeats_accum,
    STYPE = internal,
    SSPACE = 1024,
    COMBINEFUNC = hrpolicy.person_day_repeats_combine,
    SERIALFUNC = hrpolicy.person_day_repeats_serialize,
    DESERIALFUNC = hrpolicy.person_day_repeats_deserialize,
    FINALFUNC = hrpolicy.person_day_hashes_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE hrpolicy.person_day_hashes(text, date) IS
    'the hashes (person_day_hash) of the (person, day) pairs of the rows, in no order; hrpolicy.person_day_repeats(bigint[]) finds those that occur twice';
CREATE FUNCTION hrpolicy.person_day_repeats_accum_hashes(internal, bigint[]) RETURNS internal
AS 'MODULE_PATHNAME', 'person_day_repeats_accum_hashes' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE hrpolicy.person_day_repeats(hashes bigint[]) (
    SFUNC = hrpolicy.person_day_repeats_accum_hashes,
    STYPE = internal,
    COMBINEFUNC = hrpolicy.person_day_repeats_combine,
    SERIALFUNC = hrpolicy.person_day_repeats_serialize,
    DESERIALFUNC = hrpolicy.person_day_repeats_deserialize,
    FINALFUNC = hrpolicy.person_day_repeats_final,
    FINALFUNC_MODIFY = READ_WRITE,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE hrpolicy.person_day_repeats(bigint[]) IS
    'the hashes that occur more than once among arrays of hrpolicy.person_day_hashes()';

-- The roster rows of duplicate_persons() and person_day_rows(), over r:
-- in the period $1-$2 (read as the day $1 when it is one day, an equality
-- PostgreSQL carries to a partitioned attendance table under a view; see
-- report_query()), of the days $3 unless NULL, in the scope $4 unless NULL,
-- with a person.
CREATE FUNCTION hrpolicy.person_days_condition() RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN $c$r.day OPERATOR(pg_catalog.>=) $1 AND r.day OPERATOR(pg_catalog.<=) $2
              AND ($1 OPERATOR(pg_catalog.<>) $2 OR r.day OPERATOR(pg_catalog.=) $1)
              AND ($3 IS NULL OR r.day OPERATOR(pg_catalog.=) ANY ($3))
              AND ($4 IS NULL OR hrpolicy.scope_covers($4, r.unit))
              AND r.person IS NOT NULL$c$;
COMMENT ON FUNCTION hrpolicy.person_days_condition() IS
    'internal: the condition on the roster rows r of duplicate_persons() and person_day_rows()';

-- The rows behind hashes that repeat: the persons with more than one roster
-- row on a day of the period (on the given days, unless NULL; in the scope,
-- unless NULL) whose (person, day) hash is one of them.
CREATE FUNCTION hrpolicy.person_day_rows(from_day date, through_day date, days date[],
                                         scope ltree, hashes bigint[])
RETURNS TABLE (person text, day date, rows bigint)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    roster regclass := hrpolicy.roster();
BEGIN
    IF pg_catalog.cardinality(hashes) OPERATOR(pg_catalog.>) 0 THEN
        RETURN QUERY EXECUTE format($q$
            SELECT r.person, r.day, pg_catalog.count(*)
            FROM %s r
            WHERE %2$s
              AND hrpolicy.person_day_hash(r.person, r.day) OPERATOR(pg_catalog.=) ANY ($5)
            GROUP BY r.person, r.day
            HAVING pg_catalog.count(*) OPERATOR(pg_catalog.>) 1
            ORDER BY r.day, r.person$q$, roster, hrpolicy.person_days_condition())
        USING from_day, through_day, days, scope, hashes;
    END IF;
END
$$;
COMMENT ON FUNCTION hrpolicy.person_day_rows(date, date, date[], ltree, bigint[]) IS
    'internal: the persons with more than one roster row on a day of the period (of days, unless NULL; in scope, unless NULL) whose person_day_hash() is one of the given hashes';

CREATE FUNCTION hrpolicy.duplicate_persons(from_day date, through_day date, days date[],
                                           scope ltree DEFAULT NULL)
RETURNS TABLE (person text, day date, rows bigint)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    roster regclass := hrpolicy.roster();
    repeats bigint[];
BEGIN
    EXECUTE format($q$
        SELECT hrpolicy.person_day_repeats(r.person, r.day) FROM %s r
        WHERE %2$s$q$, roster, hrpolicy.person_days_condition())
        INTO repeats USING from_day, through_day, days, scope;
    RETURN QUERY SELECT * FROM hrpolicy.person_day_rows(from_day, through_day, days, scope, repeats);
END
$$;
COMMENT ON FUNCTION hrpolicy.duplicate_persons(date, date, date[], ltree) IS
    'persons with more than one roster row on a day of the period (on the given days, unless NULL; in the scope, unless NULL: a person counted twice within it)';

