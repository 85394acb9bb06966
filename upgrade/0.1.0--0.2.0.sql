-- hrpolicy 0.1.0 -> 0.2.0: changes to objects that 0.1.0 already had.
-- (The objects new in 0.2.0 follow, from their own sources.)

-- Deleting decrees: probe amends and revokes through their GIN indexes.
CREATE OR REPLACE FUNCTION hrpolicy.policy_check_referenced() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    citing record;
BEGIN
    -- Two probes, each answered by its GIN index (no ORDER BY in them: it
    -- would tempt the planner into walking the primary key).
    SELECT c.code, c.how INTO citing
    FROM (SELECT p.code, 'amended' AS how FROM hrpolicy.policy p
          WHERE p.amends @> ARRAY[OLD.code]
          UNION ALL
          SELECT p.code, 'revoked' FROM hrpolicy.policy p
          WHERE p.revokes @> ARRAY[OLD.code]) c
    ORDER BY c.code, c.how
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'policy "%" is % by policy "%"', OLD.code, citing.how, citing.code
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = 'Deleting it would leave a reference to a decree that does not exist.',
                  HINT = format('Remove "%s" from the amends or revokes of "%s" first, or delete both.',
                                OLD.code, citing.code);
    END IF;
    RETURN NULL;
END
$$;

-- Resolution finds the decrees that cover a unit through a btree index on
-- scope and the unit's ancestors, instead of the lossy GiST probe.
CREATE INDEX policy_scope_btree_idx ON hrpolicy.policy (scope);

-- A unit and every unit above it: the scopes that cover it.  Resolution
-- looks these up with the btree index on policy.scope (a GiST ltree index
-- answers "ancestors of" only through lossy signatures).
CREATE FUNCTION hrpolicy.unit_and_ancestors(unit ltree) RETURNS ltree[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN ARRAY(SELECT subpath(unit, 0, k)
             FROM pg_catalog.generate_series(1, nlevel(unit)) AS k);
COMMENT ON FUNCTION hrpolicy.unit_and_ancestors(ltree) IS
    'the unit and all units above it: a.b.c gives {a,a.b,a.b.c}';

CREATE OR REPLACE FUNCTION hrpolicy.policy_windows(from_day date, through_day date, within ltree DEFAULT NULL)
RETURNS TABLE (policy text, scope ltree, valid hrpolicy.validity, in_force hrpolicy.validity,
               ended_by text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT p.code, p.scope, p.valid,
           p.valid OPERATOR(pg_catalog.*) hrpolicy.validity(NULL::date, e.ends_on),
           e.ended_by
    FROM hrpolicy.policy p
    LEFT JOIN LATERAL (
        -- Two probes, each answered by its GIN index.
        SELECT x.ends_on, x.ended_by
        FROM ((SELECT COALESCE(pg_catalog.lower(o.valid), '-infinity'::date) AS ends_on,
                      o.code AS ended_by
               FROM hrpolicy.policy o
               WHERE o.amends OPERATOR(pg_catalog.@>) ARRAY[p.code]
               ORDER BY 1, 2 LIMIT 1)
              UNION ALL
              (SELECT COALESCE(pg_catalog.lower(o.valid), '-infinity'::date), o.code
               FROM hrpolicy.policy o
               WHERE o.revokes OPERATOR(pg_catalog.@>) ARRAY[p.code]
               ORDER BY 1, 2 LIMIT 1)) x
        ORDER BY 1, 2
        LIMIT 1
    ) e ON true
    WHERE p.valid OPERATOR(pg_catalog.&&) hrpolicy.validity(from_day, through_day, '[]')
      AND (within IS NULL OR p.scope IS NULL
           OR p.scope = ANY (hrpolicy.unit_and_ancestors(within))
           OR p.scope <@ within);
END;
