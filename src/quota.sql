-- hrpolicy.quota: a bound on a tally, such as <=25% or >=2.
--
-- Every reference is schema-qualified and every object is created with plain
-- CREATE, so a hostile search_path cannot redirect the script.

CREATE TYPE hrpolicy.quota;

CREATE FUNCTION hrpolicy.quota_in(pg_catalog.cstring) RETURNS hrpolicy.quota
    AS 'MODULE_PATHNAME', 'quota_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hrpolicy.quota_out(hrpolicy.quota) RETURNS pg_catalog.cstring
    AS 'MODULE_PATHNAME', 'quota_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hrpolicy.quota_recv(pg_catalog.internal) RETURNS hrpolicy.quota
    AS 'MODULE_PATHNAME', 'quota_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hrpolicy.quota_send(hrpolicy.quota) RETURNS pg_catalog.bytea
    AS 'MODULE_PATHNAME', 'quota_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE hrpolicy.quota (
    INPUT = hrpolicy.quota_in,
    OUTPUT = hrpolicy.quota_out,
    RECEIVE = hrpolicy.quota_recv,
    SEND = hrpolicy.quota_send,
    INTERNALLENGTH = 8,
    ALIGNMENT = int4,
    STORAGE = plain
);
COMMENT ON TYPE hrpolicy.quota IS
    'a bound on a tally: <=25%, <25%, >=2, >2, =100%, at most 25%, at least 2, exactly 50%, none, all';

CREATE FUNCTION hrpolicy.quota_eq(hrpolicy.quota, hrpolicy.quota) RETURNS boolean
    AS 'MODULE_PATHNAME', 'quota_eq' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION hrpolicy.quota_ne(hrpolicy.quota, hrpolicy.quota) RETURNS boolean
    AS 'MODULE_PATHNAME', 'quota_ne' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION hrpolicy.quota_lt(hrpolicy.quota, hrpolicy.quota) RETURNS boolean
    AS 'MODULE_PATHNAME', 'quota_lt' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION hrpolicy.quota_le(hrpolicy.quota, hrpolicy.quota) RETURNS boolean
    AS 'MODULE_PATHNAME', 'quota_le' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION hrpolicy.quota_gt(hrpolicy.quota, hrpolicy.quota) RETURNS boolean
    AS 'MODULE_PATHNAME', 'quota_gt' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION hrpolicy.quota_ge(hrpolicy.quota, hrpolicy.quota) RETURNS boolean
    AS 'MODULE_PATHNAME', 'quota_ge' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION hrpolicy.quota_cmp(hrpolicy.quota, hrpolicy.quota) RETURNS integer
    AS 'MODULE_PATHNAME', 'quota_cmp' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION hrpolicy.quota_hash(hrpolicy.quota) RETURNS integer
    AS 'MODULE_PATHNAME', 'quota_hash' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION hrpolicy.quota_hash_extended(hrpolicy.quota, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'quota_hash_extended' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;

CREATE OPERATOR hrpolicy.= (
    LEFTARG = hrpolicy.quota, RIGHTARG = hrpolicy.quota,
    FUNCTION = hrpolicy.quota_eq,
    COMMUTATOR = OPERATOR(hrpolicy.=), NEGATOR = OPERATOR(hrpolicy.<>),
    RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR hrpolicy.<> (
    LEFTARG = hrpolicy.quota, RIGHTARG = hrpolicy.quota,
    FUNCTION = hrpolicy.quota_ne,
    COMMUTATOR = OPERATOR(hrpolicy.<>), NEGATOR = OPERATOR(hrpolicy.=),
    RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR hrpolicy.< (
    LEFTARG = hrpolicy.quota, RIGHTARG = hrpolicy.quota,
    FUNCTION = hrpolicy.quota_lt,
    COMMUTATOR = OPERATOR(hrpolicy.>), NEGATOR = OPERATOR(hrpolicy.>=),
    RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR hrpolicy.<= (
    LEFTARG = hrpolicy.quota, RIGHTARG = hrpolicy.quota,
    FUNCTION = hrpolicy.quota_le,
    COMMUTATOR = OPERATOR(hrpolicy.>=), NEGATOR = OPERATOR(hrpolicy.>),
    RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR hrpolicy.> (
    LEFTARG = hrpolicy.quota, RIGHTARG = hrpolicy.quota,
    FUNCTION = hrpolicy.quota_gt,
    COMMUTATOR = OPERATOR(hrpolicy.<), NEGATOR = OPERATOR(hrpolicy.<=),
    RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR hrpolicy.>= (
    LEFTARG = hrpolicy.quota, RIGHTARG = hrpolicy.quota,
    FUNCTION = hrpolicy.quota_ge,
    COMMUTATOR = OPERATOR(hrpolicy.<=), NEGATOR = OPERATOR(hrpolicy.<),
    RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);

CREATE OPERATOR CLASS hrpolicy.quota_ops
    DEFAULT FOR TYPE hrpolicy.quota USING btree AS
        OPERATOR 1 hrpolicy.< ,
        OPERATOR 2 hrpolicy.<= ,
        OPERATOR 3 hrpolicy.= ,
        OPERATOR 4 hrpolicy.>= ,
        OPERATOR 5 hrpolicy.> ,
        FUNCTION 1 hrpolicy.quota_cmp(hrpolicy.quota, hrpolicy.quota);
CREATE OPERATOR CLASS hrpolicy.quota_hash_ops
    DEFAULT FOR TYPE hrpolicy.quota USING hash AS
        OPERATOR 1 hrpolicy.= ,
        FUNCTION 1 hrpolicy.quota_hash(hrpolicy.quota),
        FUNCTION 2 hrpolicy.quota_hash_extended(hrpolicy.quota, bigint);

COMMENT ON OPERATOR CLASS hrpolicy.quota_ops USING btree IS
    'orders quotas for indexing and grouping: head counts before percentages, then by amount, then by comparison';

CREATE FUNCTION hrpolicy.quota_limit(quota hrpolicy.quota, total bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'quota_limit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION hrpolicy.quota_limit(hrpolicy.quota, bigint) IS
    'for a cap (<=, <) the most heads admitted out of total; for >=, > and = the fewest required';

CREATE FUNCTION hrpolicy.is_cap(quota hrpolicy.quota) RETURNS boolean
    AS 'MODULE_PATHNAME', 'is_cap' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION hrpolicy.is_cap(hrpolicy.quota) IS
    'true for a cap (<= or <), the quotas enforce() checks at write time';

CREATE FUNCTION hrpolicy.is_percent(quota hrpolicy.quota) RETURNS boolean
    AS 'MODULE_PATHNAME', 'is_percent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION hrpolicy.is_percent(hrpolicy.quota) IS
    'true for a share of the total (25%), false for a head count (2)';
