-- hrpolicy.tally: part of a total, such as 3/12; and the tally() aggregates.

CREATE TYPE hrpolicy.tally;

CREATE FUNCTION hrpolicy.tally_in(pg_catalog.cstring) RETURNS hrpolicy.tally
    AS 'MODULE_PATHNAME', 'tally_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hrpolicy.tally_out(hrpolicy.tally) RETURNS pg_catalog.cstring
    AS 'MODULE_PATHNAME', 'tally_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hrpolicy.tally_recv(pg_catalog.internal) RETURNS hrpolicy.tally
    AS 'MODULE_PATHNAME', 'tally_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hrpolicy.tally_send(hrpolicy.tally) RETURNS pg_catalog.bytea
    AS 'MODULE_PATHNAME', 'tally_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE hrpolicy.tally (
    INPUT = hrpolicy.tally_in,
    OUTPUT = hrpolicy.tally_out,
    RECEIVE = hrpolicy.tally_recv,
    SEND = hrpolicy.tally_send,
    INTERNALLENGTH = 16,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE hrpolicy.tally IS
    'part of a total, written part/total: 3/12 means 3 of 12 people';

CREATE FUNCTION hrpolicy.tally_eq(hrpolicy.tally, hrpolicy.tally) RETURNS boolean
    AS 'MODULE_PATHNAME', 'tally_eq' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION hrpolicy.tally_ne(hrpolicy.tally, hrpolicy.tally) RETURNS boolean
    AS 'MODULE_PATHNAME', 'tally_ne' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION hrpolicy.tally_hash(hrpolicy.tally) RETURNS integer
    AS 'MODULE_PATHNAME', 'tally_hash' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION hrpolicy.tally_hash_extended(hrpolicy.tally, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'tally_hash_extended' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;

CREATE OPERATOR hrpolicy.= (
    LEFTARG = hrpolicy.tally, RIGHTARG = hrpolicy.tally,
    FUNCTION = hrpolicy.tally_eq,
    COMMUTATOR = OPERATOR(hrpolicy.=), NEGATOR = OPERATOR(hrpolicy.<>),
    RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel, HASHES
);
CREATE OPERATOR hrpolicy.<> (
    LEFTARG = hrpolicy.tally, RIGHTARG = hrpolicy.tally,
    FUNCTION = hrpolicy.tally_ne,
    COMMUTATOR = OPERATOR(hrpolicy.<>), NEGATOR = OPERATOR(hrpolicy.=),
    RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR CLASS hrpolicy.tally_hash_ops
    DEFAULT FOR TYPE hrpolicy.tally USING hash AS
        OPERATOR 1 hrpolicy.= ,
        FUNCTION 1 hrpolicy.tally_hash(hrpolicy.tally),
        FUNCTION 2 hrpolicy.tally_hash_extended(hrpolicy.tally, bigint);

CREATE FUNCTION hrpolicy.tally_add(hrpolicy.tally, hrpolicy.tally) RETURNS hrpolicy.tally
    AS 'MODULE_PATHNAME', 'tally_add' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION hrpolicy.tally_add(hrpolicy.tally, hrpolicy.tally) IS
    'sum of two tallies: parts added, totals added';
CREATE OPERATOR hrpolicy.+ (
    LEFTARG = hrpolicy.tally, RIGHTARG = hrpolicy.tally,
    FUNCTION = hrpolicy.tally_add,
    COMMUTATOR = OPERATOR(hrpolicy.+)
);

CREATE FUNCTION hrpolicy.make_tally(part bigint, total bigint) RETURNS hrpolicy.tally
    AS 'MODULE_PATHNAME', 'tally_make' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION hrpolicy.make_tally(bigint, bigint) IS
    'the tally part/total; 0 <= part <= total';

CREATE FUNCTION hrpolicy.part(hrpolicy.tally) RETURNS bigint
    AS 'MODULE_PATHNAME', 'tally_part' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION hrpolicy.part(hrpolicy.tally) IS 'the part of a tally: 3 in 3/12';

CREATE FUNCTION hrpolicy.total(hrpolicy.tally) RETURNS bigint
    AS 'MODULE_PATHNAME', 'tally_total' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION hrpolicy.total(hrpolicy.tally) IS 'the total of a tally: 12 in 3/12';

-- A readable share for reports; the quota tests never use it (they are exact).
CREATE FUNCTION hrpolicy.percent(hrpolicy.tally) RETURNS numeric
    LANGUAGE SQL IMMUTABLE STRICT PARALLEL SAFE
    RETURN CASE WHEN hrpolicy.total($1) OPERATOR(pg_catalog.=) 0 THEN NULL
                ELSE pg_catalog.trim_scale(pg_catalog.round(
                         100::numeric OPERATOR(pg_catalog.*) hrpolicy.part($1)
                         OPERATOR(pg_catalog./) hrpolicy.total($1), 4)) END;
COMMENT ON FUNCTION hrpolicy.percent(hrpolicy.tally) IS
    'part as a percentage of total, rounded to 4 decimals (25 for 3/12); NULL for 0/0';

-- The aggregates: the state is a tally, so partial states combine with +.
CREATE FUNCTION hrpolicy.tally_accum(hrpolicy.tally, boolean) RETURNS hrpolicy.tally
    AS 'MODULE_PATHNAME', 'tally_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hrpolicy.tally_accum(hrpolicy.tally, boolean, bigint) RETURNS hrpolicy.tally
    AS 'MODULE_PATHNAME', 'tally_accum_weighted' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE hrpolicy.tally(boolean) (
    SFUNC = hrpolicy.tally_accum,
    STYPE = hrpolicy.tally,
    INITCOND = '0/0',
    COMBINEFUNC = hrpolicy.tally_add,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE hrpolicy.tally(boolean) IS
    'part = rows where true, total = rows where not null';

CREATE AGGREGATE hrpolicy.tally(counted boolean, heads bigint) (
    SFUNC = hrpolicy.tally_accum,
    STYPE = hrpolicy.tally,
    INITCOND = '0/0',
    COMBINEFUNC = hrpolicy.tally_add,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE hrpolicy.tally(boolean, bigint) IS
    'weighted tally: each row stands for heads people (for rows already grouped with count(*))';

CREATE AGGREGATE hrpolicy.sum(hrpolicy.tally) (
    SFUNC = hrpolicy.tally_add,
    STYPE = hrpolicy.tally,
    INITCOND = '0/0',
    COMBINEFUNC = hrpolicy.tally_add,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE hrpolicy.sum(hrpolicy.tally) IS
    'sum of tallies: parts added, totals added';

-- Does a tally meet a quota?
CREATE FUNCTION hrpolicy.tally_meets(hrpolicy.tally, hrpolicy.quota) RETURNS boolean
    AS 'MODULE_PATHNAME', 'tally_meets' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hrpolicy.quota_admits(hrpolicy.quota, hrpolicy.tally) RETURNS boolean
    AS 'MODULE_PATHNAME', 'quota_admits_tally' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION hrpolicy.tally_meets(hrpolicy.tally, hrpolicy.quota) IS
    'true when the tally meets the quota (exact: part*100 against percent*total)';
COMMENT ON FUNCTION hrpolicy.quota_admits(hrpolicy.quota, hrpolicy.tally) IS
    'true when the quota admits the tally (exact: part*100 against percent*total)';

CREATE OPERATOR hrpolicy.<@ (
    LEFTARG = hrpolicy.tally, RIGHTARG = hrpolicy.quota,
    FUNCTION = hrpolicy.tally_meets,
    COMMUTATOR = OPERATOR(hrpolicy.@>),
    RESTRICT = pg_catalog.contsel, JOIN = pg_catalog.contjoinsel
);
CREATE OPERATOR hrpolicy.@> (
    LEFTARG = hrpolicy.quota, RIGHTARG = hrpolicy.tally,
    FUNCTION = hrpolicy.quota_admits,
    COMMUTATOR = OPERATOR(hrpolicy.<@),
    RESTRICT = pg_catalog.contsel, JOIN = pg_catalog.contjoinsel
);

CREATE FUNCTION hrpolicy.headroom(hrpolicy.tally, hrpolicy.quota) RETURNS bigint
    AS 'MODULE_PATHNAME', 'tally_headroom' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION hrpolicy.headroom(hrpolicy.tally, hrpolicy.quota) IS
    'under a cap: heads that may still come in (negative: over by that many); under a minimum: heads beyond it (negative: short by that many)';
