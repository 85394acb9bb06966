-- tally_each(): the tallies of many rules over the same roster rows, in
-- one pass (C, tally_each.c).  The reports group the roster by unit and day
-- and count every rule of the period's rule book with it.

-- A rule as a filter on roster rows, for tally_each().
CREATE TYPE hrpolicy.rule_filter AS (counts text[], who text[], unless text[], excused text[]);
COMMENT ON TYPE hrpolicy.rule_filter IS
    'a rule as a filter on roster rows: the base holds rows with every tag of who, none of unless, and a status not in excused; the part, those whose status is in counts';

CREATE FUNCTION hrpolicy.tally_each_accum(hrpolicy.tally[], text, text[], hrpolicy.rule_filter[])
RETURNS hrpolicy.tally[]
AS 'MODULE_PATHNAME', 'tally_each_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hrpolicy.tally_each_combine(hrpolicy.tally[], hrpolicy.tally[])
RETURNS hrpolicy.tally[]
AS 'MODULE_PATHNAME', 'tally_each_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE hrpolicy.tally_each(status text, tags text[], filters hrpolicy.rule_filter[]) (
    SFUNC = hrpolicy.tally_each_accum,
    STYPE = hrpolicy.tally[],
    COMBINEFUNC = hrpolicy.tally_each_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE hrpolicy.tally_each(text, text[], hrpolicy.rule_filter[]) IS
    'one tally per filter over the same rows: element k counts the rows in filter k''s base and part; rows with a NULL status count nowhere';
