-- Which rules apply to a unit on a day.
--
-- 1. A decree is in force on day d when d is in its window, no decree that
--    revokes it has begun by d, and no decree that amends it has begun by d
--    (from then on its rules apply only through the amender).
-- 2. The rules of a decree are its own plus those of the decrees it amends,
--    recursively, except names that it or an amender nearer to it defines
--    (an override replaces every only_when variant of the name).
-- 3. A unit is checked against the rules of every decree in force whose
--    scope is NULL or contains the unit, and whose only_when holds.
-- 4. Unrelated decrees in force together all apply.
--
-- The bodies are SQL-standard (BEGIN ATOMIC / RETURN): names are bound when
-- the extension is created, so a caller's search_path cannot redirect them,
-- and the planner can still inline the simple ones.

CREATE FUNCTION hrpolicy.scope_covers(scope ltree, unit ltree) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN scope IS NULL OR scope @> unit;
COMMENT ON FUNCTION hrpolicy.scope_covers(ltree, ltree) IS
    'true when a decree or circumstance scope covers the unit: NULL covers every unit, else the path and all below it';

-- A unit and every unit above it: the scopes that cover it.  Resolution
-- looks these up with the btree index on policy.scope (a GiST ltree index
-- answers "ancestors of" only through lossy signatures).
CREATE FUNCTION hrpolicy.unit_and_ancestors(unit ltree) RETURNS ltree[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN ARRAY(SELECT subpath(unit, 0, k)
             FROM pg_catalog.generate_series(1, nlevel(unit)) AS k);
COMMENT ON FUNCTION hrpolicy.unit_and_ancestors(ltree) IS
    'the unit and all units above it: a.b.c gives {a,a.b,a.b.c}';

-- A condition holds for a unit on a day: a circumstance with the label
-- covers them (or, for !label, none does).  NULL always holds.
CREATE FUNCTION hrpolicy.condition_holds(condition text, at_unit ltree, on_day date)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE
    WHEN condition IS NULL THEN true
    WHEN pg_catalog.left(condition, 1) OPERATOR(pg_catalog.=) '!' THEN NOT EXISTS (
        SELECT FROM hrpolicy.circumstance c
        WHERE c.label OPERATOR(pg_catalog.=) pg_catalog.substr(condition, 2)
          AND c.valid OPERATOR(pg_catalog.@>) on_day
          AND c.scope @> at_unit)
    ELSE EXISTS (
        SELECT FROM hrpolicy.circumstance c
        WHERE c.label OPERATOR(pg_catalog.=) condition
          AND c.valid OPERATOR(pg_catalog.@>) on_day
          AND c.scope @> at_unit)
END;
COMMENT ON FUNCTION hrpolicy.condition_holds(text, ltree, date) IS
    'true when a rule''s only_when holds for the unit on the day: NULL always; label when a circumstance with that label covers them; !label when none does';

-- Decrees whose window meets a period, each with the part of its window in
-- which it is in force on its own: cut at the first day of the first decree
-- that amends or revokes it.  within limits them to decrees that can cover
-- some unit of that subtree.
CREATE FUNCTION hrpolicy.policy_windows(from_day date, through_day date, within ltree DEFAULT NULL)
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
COMMENT ON FUNCTION hrpolicy.policy_windows(date, date, ltree) IS
    'decrees whose window meets the period: in_force is the part of the window in which the decree is in force on its own (before an amender or revoker begins), ended_by that decree';

-- The rule book of a period: for each decree in force on some day of it,
-- its effective rules (own and inherited), with the window in which they
-- apply.  The building block of rules_in_force and the reports.
CREATE FUNCTION hrpolicy.rule_book(from_day date, through_day date, within ltree DEFAULT NULL)
RETURNS TABLE (policy text, policy_scope ltree, in_force hrpolicy.validity, rule text,
               defined_by text, quota hrpolicy.quota, counts text[], who text[],
               unless text[], excused text[], only_when text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH RECURSIVE in_force AS (
        SELECT w.policy, w.scope, w.in_force
        FROM hrpolicy.policy_windows(from_day, through_day, within) w
        WHERE w.in_force OPERATOR(pg_catalog.&&) hrpolicy.validity(from_day, through_day, '[]')
    ), lineage (root, ancestor, depth, path) AS (
        SELECT f.policy, f.policy, 0, ARRAY[f.policy] FROM in_force f
        UNION ALL
        SELECT l.root, a.amended, l.depth OPERATOR(pg_catalog.+) 1, l.path OPERATOR(pg_catalog.||) a.amended
        FROM lineage l
        JOIN hrpolicy.policy x ON x.code OPERATOR(pg_catalog.=) l.ancestor
        CROSS JOIN LATERAL pg_catalog.unnest(x.amends) AS a (amended)
        WHERE a.amended OPERATOR(pg_catalog.<>) ALL (l.path)
    ), nearest AS (
        SELECT l.root, l.ancestor, pg_catalog.min(l.depth) AS depth
        FROM lineage l GROUP BY l.root, l.ancestor
    ), candidate AS (
        SELECT n.root, n.depth, r.*,
               pg_catalog.min(n.depth) OVER (PARTITION BY n.root, r.name) AS nearest_depth
        FROM nearest n
        JOIN hrpolicy.rule r ON r.policy OPERATOR(pg_catalog.=) n.ancestor
    )
    SELECT f.policy, f.scope, f.in_force, c.name, c.policy, c.quota, c.counts, c.who,
           c.unless, c.excused, c.only_when
    FROM candidate c
    JOIN in_force f ON f.policy OPERATOR(pg_catalog.=) c.root
    WHERE c.depth OPERATOR(pg_catalog.=) c.nearest_depth;
END;
COMMENT ON FUNCTION hrpolicy.rule_book(date, date, ltree) IS
    'effective rules of every decree in force on some day of the period (own and inherited through amendments, overridden by name), with the window in which the decree is in force';

CREATE FUNCTION hrpolicy.policies_in_force(day date, unit ltree DEFAULT NULL)
RETURNS TABLE (policy text, title text, issuer text, valid hrpolicy.validity,
               in_force hrpolicy.validity, scope ltree)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT w.policy, p.title, p.issuer, w.valid, w.in_force, w.scope
    FROM hrpolicy.policy_windows(day, day, unit) w
    JOIN hrpolicy.policy p ON p.code OPERATOR(pg_catalog.=) w.policy
    WHERE w.in_force OPERATOR(pg_catalog.@>) day
      AND (unit IS NULL OR hrpolicy.scope_covers(w.scope, unit))
    ORDER BY w.policy;
END;
COMMENT ON FUNCTION hrpolicy.policies_in_force(date, ltree) IS
    'decrees in force on the day (for the unit, when given): in their window, not yet amended or revoked';

-- Not STRICT, so that the planner can inline it into the caller's query;
-- a NULL day or unit gives no rows all the same.
CREATE FUNCTION hrpolicy.rules_in_force(day date, unit ltree)
RETURNS TABLE (policy text, rule text, quota hrpolicy.quota, defined_by text, only_when text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT b.policy, b.rule, b.quota, b.defined_by, b.only_when
    FROM hrpolicy.rule_book(day, day, unit) b
    WHERE day IS NOT NULL AND unit IS NOT NULL
      AND b.in_force OPERATOR(pg_catalog.@>) day
      AND hrpolicy.scope_covers(b.policy_scope, unit)
      AND hrpolicy.condition_holds(b.only_when, unit, day)
    ORDER BY b.policy, b.rule, b.only_when;
END;
COMMENT ON FUNCTION hrpolicy.rules_in_force(date, ltree) IS
    'the rules checked for the unit on the day: policy is the decree in force, defined_by the decree whose rule row it is (differs when inherited through an amendment)';
