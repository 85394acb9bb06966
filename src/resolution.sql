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
-- and the planner can still inline the simple ones.  Every operator and
-- function in them is schema-qualified, because an operator with exact
-- argument types in a schema on the install-time search_path would beat
-- pg_catalog's polymorphic one.  ltree's schema is known only at install
-- time, so the few functions that use ltree's operators are created by the
-- block below, which names them through that schema; everything else
-- reaches ltree through these.

DO $install$
DECLARE
    ltree_schema text := (
        SELECT pg_catalog.quote_ident(n.nspname)
        FROM pg_catalog.pg_extension e
        JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) e.extnamespace
        WHERE e.extname OPERATOR(pg_catalog.=) 'ltree');
BEGIN
    EXECUTE pg_catalog.format($sql$
        CREATE FUNCTION hrpolicy.scope_covers(scope %1$s.ltree, unit %1$s.ltree)
        RETURNS boolean
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN scope IS NULL OR scope OPERATOR(%1$s.@>) unit
    $sql$, ltree_schema);

    -- A unit and every unit above it, down from the root '' (the scopes
    -- that cover it).  Resolution looks these up with the btree index on
    -- policy.scope (a GiST ltree index answers "ancestors of" only through
    -- lossy signatures).
    EXECUTE pg_catalog.format($sql$
        CREATE FUNCTION hrpolicy.unit_and_ancestors(unit %1$s.ltree)
        RETURNS %1$s.ltree[]
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        RETURN ARRAY(SELECT CASE WHEN k OPERATOR(pg_catalog.=) 0 THEN ''::%1$s.ltree
                                 ELSE %1$s.subpath(unit, 0, k) END
                     FROM pg_catalog.generate_series(0, %1$s.nlevel(unit)) AS k)
    $sql$, ltree_schema);

    -- Whether a decree's scope can cover some unit of the subtree within:
    -- it is within itself or above it (an index probe), or below it.
    EXECUTE pg_catalog.format($sql$
        CREATE FUNCTION hrpolicy.scope_meets(scope %1$s.ltree, within %1$s.ltree)
        RETURNS boolean
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN within IS NULL OR scope IS NULL
            OR scope OPERATOR(%1$s.=) ANY (hrpolicy.unit_and_ancestors(within))
            OR scope OPERATOR(%1$s.<@) within
    $sql$, ltree_schema);
END
$install$;

COMMENT ON FUNCTION hrpolicy.scope_covers(ltree, ltree) IS
    'true when a decree or circumstance scope covers the unit: NULL covers every unit, else the path and all below it (the empty path is the root: every unit)';
COMMENT ON FUNCTION hrpolicy.unit_and_ancestors(ltree) IS
    'the unit and all units above it, from the root: a.b.c gives {"",a,a.b,a.b.c}';
COMMENT ON FUNCTION hrpolicy.scope_meets(ltree, ltree) IS
    'true when a decree with this scope can cover some unit of the subtree within (NULL within: any unit)';

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
          AND hrpolicy.scope_covers(c.scope, at_unit))
    ELSE EXISTS (
        SELECT FROM hrpolicy.circumstance c
        WHERE c.label OPERATOR(pg_catalog.=) condition
          AND c.valid OPERATOR(pg_catalog.@>) on_day
          AND hrpolicy.scope_covers(c.scope, at_unit))
END;
COMMENT ON FUNCTION hrpolicy.condition_holds(text, ltree, date) IS
    'true when a rule''s only_when holds for the unit on the day: NULL always; label when a circumstance with that label covers them; !label when none does';

-- The amendment graph, walked in C (resolution.c): each decree once.
CREATE FUNCTION hrpolicy.amendment_lineage(codes text[])
RETURNS TABLE (root text, ancestor text, depth integer)
AS 'MODULE_PATHNAME', 'amendment_lineage'
LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 10;
COMMENT ON FUNCTION hrpolicy.amendment_lineage(text[]) IS
    'for each decree code, itself (depth 0) and every decree it amends, directly or through others, at its shortest distance';

-- The catalog's cycle check (catalog.sql) calls this: VOLATILE, it reads
-- the graph as the checking statement sees it.
CREATE FUNCTION hrpolicy.amendment_cycle(code text) RETURNS text[]
AS 'MODULE_PATHNAME', 'amendment_cycle'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION hrpolicy.amendment_cycle(text) IS
    'the shortest chain through which the decree amends itself (code -> ... -> code), or NULL when it does not';

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
      AND hrpolicy.scope_meets(p.scope, within);
END;
COMMENT ON FUNCTION hrpolicy.policy_windows(date, date, ltree) IS
    'decrees whose window meets the period: in_force is the part of the window in which the decree is in force on its own (before an amender or revoker begins), ended_by that decree';

-- The rule book of a period: for each decree in force on some day of it,
-- its effective rules (own and inherited), with the window in which they
-- apply.  The building block of rules_in_force and the reports.
CREATE FUNCTION hrpolicy.rule_book(from_day date, through_day date, within ltree DEFAULT NULL)
RETURNS TABLE (policy text, policy_scope ltree, in_force hrpolicy.validity, rule text,
               defined_by text, quota hrpolicy.quota, counts text[], who text[],
               unless text[], excused text[], only_when text, per text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH in_force AS (
        SELECT w.policy, w.scope, w.in_force
        FROM hrpolicy.policy_windows(from_day, through_day, within) w
        WHERE w.in_force OPERATOR(pg_catalog.&&) hrpolicy.validity(from_day, through_day, '[]')
    ), nearest AS (
        SELECT l.root, l.ancestor, l.depth
        FROM hrpolicy.amendment_lineage(ARRAY(SELECT f.policy FROM in_force f)) l
    ), candidate AS (
        SELECT n.root, n.depth, r.*,
               pg_catalog.min(n.depth) OVER (PARTITION BY n.root, r.name) AS nearest_depth
        FROM nearest n
        JOIN hrpolicy.rule r ON r.policy OPERATOR(pg_catalog.=) n.ancestor
    )
    SELECT f.policy, f.scope, f.in_force, c.name, c.policy, c.quota, c.counts, c.who,
           c.unless, c.excused, c.only_when, c.per
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

-- The rules in force for one unit on one day, resolved in C (a point
-- lookup cost more to plan as a query than to run); rules_in_force()
-- sorts them.  report_properties and resolution_properties check it
-- against rule_book(), which the reports read.
CREATE FUNCTION hrpolicy.resolve_rules(day date, unit ltree)
RETURNS TABLE (policy text, rule text, quota hrpolicy.quota, defined_by text, only_when text,
               per text)
AS 'MODULE_PATHNAME', 'resolve_rules' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION hrpolicy.resolve_rules(date, ltree) IS
    'the rules checked for the unit on the day, in no order (rules_in_force() sorts them)';

-- Not STRICT, so that the planner can inline it into the caller's query;
-- a NULL day or unit gives no rows all the same.
CREATE FUNCTION hrpolicy.rules_in_force(day date, unit ltree)
RETURNS TABLE (policy text, rule text, quota hrpolicy.quota, defined_by text, only_when text,
               per text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT r.policy, r.rule, r.quota, r.defined_by, r.only_when, r.per
    FROM hrpolicy.resolve_rules(day, unit) r
    ORDER BY r.policy, r.rule, r.only_when;
END;
COMMENT ON FUNCTION hrpolicy.rules_in_force(date, ltree) IS
    'the rules checked for the unit on the day: policy is the decree in force, defined_by the decree whose rule row it is (differs when inherited through an amendment), per what the quota bounds (unit-day, person-week, person-month)';
