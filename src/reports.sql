-- Compliance reports over the roster.
--
-- One pass over the roster rows of the period: they are first grouped by
-- unit, day, status and tags (count(*) per group), so that every later step
-- works on groups, not rows; the rules that apply to each unit-day come from
-- rule_book(); each rule's tally is the weighted tally() over the groups in
-- its base.  The roster relation is the user's, so the query is built with
-- format() around its quoted, schema-qualified name and run with EXECUTE;
-- the period and scope travel as parameters, so the planner sees them and
-- can use an index on the user's day column.

CREATE FUNCTION hrpolicy.check_period(from_day date, through_day date) RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF from_day IS NULL OR through_day IS NULL THEN
        RAISE EXCEPTION 'the period of a report cannot have a NULL end'
            USING ERRCODE = 'null_value_not_allowed',
                  DETAIL = format('from is %s, through is %s.',
                                  coalesce(from_day::text, 'NULL'), coalesce(through_day::text, 'NULL')),
                  HINT = 'Give the first and last day of the period, e.g. compliance(''2020-11-01'', ''2020-11-30'').';
    END IF;
    IF from_day > through_day THEN
        RAISE EXCEPTION 'the period from % through % ends before it begins', from_day, through_day
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'Both days are inclusive; the first must not be after the last.';
    END IF;
END
$$;
COMMENT ON FUNCTION hrpolicy.check_period(date, date) IS
    'raises an error for a report period with a NULL end or whose first day is after its last';

-- The sentence of a compliance row.
CREATE FUNCTION hrpolicy.explanation(tally hrpolicy.tally, quota hrpolicy.quota, policy text,
                                     rule text, defined_by text, counts text[], who text[],
                                     unless text[])
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (
    SELECT pg_catalog.format('%s of %s%s in %s; %s %s %s by %s rule %s (%s%s): %s',
        x.part, x.total,
        CASE WHEN pg_catalog.cardinality(who) OPERATOR(pg_catalog.=) 0 THEN ''
             ELSE ' ' OPERATOR(pg_catalog.||) pg_catalog.array_to_string(who, ' ') END
        OPERATOR(pg_catalog.||)
        CASE WHEN pg_catalog.cardinality(unless) OPERATOR(pg_catalog.=) 0 THEN ''
             ELSE ' (not ' OPERATOR(pg_catalog.||) pg_catalog.array_to_string(unless, ', ')
                  OPERATOR(pg_catalog.||) ')' END,
        pg_catalog.array_to_string(counts, ' or '),
        CASE WHEN x.cap THEN 'at most' WHEN pg_catalog.left(quota::text, 1) OPERATOR(pg_catalog.=) '='
             THEN 'exactly' ELSE 'at least' END,
        x.allowed,
        CASE WHEN x.cap THEN 'allowed' ELSE 'required' END,
        policy, rule, quota,
        CASE WHEN defined_by OPERATOR(pg_catalog.<>) policy
             THEN ', from ' OPERATOR(pg_catalog.||) defined_by ELSE '' END,
        CASE WHEN x.ok AND x.cap
                 THEN pg_catalog.format('ok, %s more may come in', x.allowed OPERATOR(pg_catalog.-) x.part)
             WHEN x.ok THEN 'ok'
             WHEN x.part OPERATOR(pg_catalog.>) x.allowed
                 THEN pg_catalog.format('over by %s', x.part OPERATOR(pg_catalog.-) x.allowed)
             WHEN x.part OPERATOR(pg_catalog.<) x.allowed
                 THEN pg_catalog.format('short by %s', x.allowed OPERATOR(pg_catalog.-) x.part)
             ELSE 'the share cannot be met exactly with whole heads' END)
    FROM (SELECT hrpolicy.part(tally) AS part, hrpolicy.total(tally) AS total,
                 hrpolicy.is_cap(quota) AS cap,
                 hrpolicy.quota_limit(quota, hrpolicy.total(tally)) AS allowed,
                 tally OPERATOR(hrpolicy.<@) quota AS ok) x
);
COMMENT ON FUNCTION hrpolicy.explanation(hrpolicy.tally, hrpolicy.quota, text, text, text, text[], text[], text[]) IS
    'one readable sentence: the counts, the bound, the decree and rule, and the verdict';

-- Report queries run with pg_catalog first, then the schema of ltree (for
-- its = and hash on unit paths), whatever the caller's search_path.
-- No SET clause of its own (that would undo the change on return); every
-- name in it is qualified.
CREATE FUNCTION hrpolicy.pin_report_search_path() RETURNS void
LANGUAGE sql VOLATILE PARALLEL SAFE
BEGIN ATOMIC
    SELECT pg_catalog.set_config('search_path',
               pg_catalog.format('pg_catalog, %I, pg_temp', n.nspname), true)
    FROM pg_catalog.pg_extension e
    JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) e.extnamespace
    WHERE e.extname OPERATOR(pg_catalog.=) 'ltree';
END;
COMMENT ON FUNCTION hrpolicy.pin_report_search_path() IS
    'internal: sets the search_path of the calling report function (its SET clause restores it on return)';

-- The common part of the report queries: the tally of every rule that
-- applies to every unit-day of the roster in the period.  %1$s is the
-- roster relation; $1, $2, $3 are from, through and scope.
CREATE FUNCTION hrpolicy.report_query(roster regclass, final_select text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN pg_catalog.format($q$
WITH grouped AS MATERIALIZED (
    SELECT r.unit, r.day, r.status,
           COALESCE(r.tags, '{}'::text[]) AS tags, pg_catalog.count(*) AS heads
    FROM %1$s r
    WHERE r.day >= $1 AND r.day <= $2
      AND r.unit IS NOT NULL AND r.status IS NOT NULL
      AND ($3 IS NULL OR hrpolicy.scope_covers($3, r.unit))
    GROUP BY r.unit, r.day, r.status, COALESCE(r.tags, '{}'::text[])
), book AS MATERIALIZED (
    SELECT pg_catalog.row_number() OVER () AS k, b.*
    FROM hrpolicy.rule_book($1, $2, $3) b
), applicable AS MATERIALIZED (
    SELECT ud.unit, ud.day, b.k
    FROM (SELECT DISTINCT g.unit, g.day FROM grouped g) ud
    JOIN book b ON b.in_force @> ud.day
    WHERE hrpolicy.scope_covers(b.policy_scope, ud.unit)
      AND hrpolicy.condition_holds(b.only_when, ud.unit, ud.day)
), tallied AS (
    SELECT a.unit, a.day, a.k,
           hrpolicy.tally(g.status = ANY (b.counts), g.heads) AS tally
    FROM applicable a
    JOIN book b ON b.k = a.k
    LEFT JOIN grouped g
           ON g.unit = a.unit AND g.day = a.day
          AND g.tags @> b.who AND NOT g.tags && b.unless
          AND g.status <> ALL (b.excused)
    GROUP BY a.unit, a.day, a.k
)
%2$s$q$, roster, final_select);
COMMENT ON FUNCTION hrpolicy.report_query(regclass, text) IS
    'internal: the text of a report query over the roster relation';

CREATE FUNCTION hrpolicy.compliance(from_day date, through_day date, scope ltree DEFAULT NULL)
RETURNS TABLE (day date, unit ltree, policy text, rule text, tally hrpolicy.tally,
               quota hrpolicy.quota, allowed bigint, ok boolean, headroom bigint,
               explanation text, defined_by text, only_when text)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM hrpolicy.check_period(from_day, through_day);
    PERFORM hrpolicy.pin_report_search_path();
    RETURN QUERY EXECUTE hrpolicy.report_query(hrpolicy.roster(), $q$
SELECT t.day, t.unit, b.policy, b.rule, t.tally, b.quota,
       hrpolicy.quota_limit(b.quota, hrpolicy.total(t.tally)),
       t.tally OPERATOR(hrpolicy.<@) b.quota,
       hrpolicy.headroom(t.tally, b.quota),
       hrpolicy.explanation(t.tally, b.quota, b.policy, b.rule, b.defined_by,
                            b.counts, b.who, b.unless),
       b.defined_by, b.only_when
FROM tallied t
JOIN book b ON b.k = t.k$q$)
    USING from_day, through_day, scope;
END
$$;
COMMENT ON FUNCTION hrpolicy.compliance(date, date, ltree) IS
    'a row per unit, day and applying rule, for units in the roster that day: the tally, the quota, the heads allowed (or required), ok, the headroom and a sentence';

CREATE FUNCTION hrpolicy.violations(from_day date, through_day date, scope ltree DEFAULT NULL)
RETURNS TABLE (day date, unit ltree, policy text, rule text, tally hrpolicy.tally,
               quota hrpolicy.quota, allowed bigint, ok boolean, headroom bigint,
               explanation text, defined_by text, only_when text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT c.day, c.unit, c.policy, c.rule, c.tally, c.quota, c.allowed, c.ok, c.headroom,
           c.explanation, c.defined_by, c.only_when
    FROM hrpolicy.compliance(from_day, through_day, scope) c
    WHERE NOT c.ok;
END;
COMMENT ON FUNCTION hrpolicy.violations(date, date, ltree) IS
    'the rows of compliance() that are not ok';

CREATE FUNCTION hrpolicy.conflicts(from_day date, through_day date, scope ltree DEFAULT NULL)
RETURNS TABLE (day date, unit ltree, cap_policy text, cap_rule text, min_policy text,
               min_rule text, allowed bigint, required bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM hrpolicy.check_period(from_day, through_day);
    PERFORM hrpolicy.pin_report_search_path();
    -- A minimum M and a cap C on the same unit-day cannot both be kept when
    -- M requires more heads than C allows, C counts every status M counts,
    -- and every roster row in M's base is in C's base.
    RETURN QUERY EXECUTE hrpolicy.report_query(hrpolicy.roster(), $q$
SELECT c.day, c.unit, cb.policy, cb.rule, mb.policy, mb.rule,
       hrpolicy.quota_limit(cb.quota, hrpolicy.total(c.tally)) AS allowed,
       hrpolicy.quota_limit(mb.quota, hrpolicy.total(m.tally)) AS required
FROM tallied c
JOIN book cb ON cb.k = c.k AND hrpolicy.is_cap(cb.quota)
JOIN tallied m ON m.unit = c.unit AND m.day = c.day AND m.k <> c.k
JOIN book mb ON mb.k = m.k AND NOT hrpolicy.is_cap(mb.quota)
WHERE cb.counts @> mb.counts
  AND hrpolicy.quota_limit(mb.quota, hrpolicy.total(m.tally))
      > hrpolicy.quota_limit(cb.quota, hrpolicy.total(c.tally))
  AND NOT EXISTS (
      SELECT FROM grouped g
      WHERE g.unit = c.unit AND g.day = c.day
        AND g.tags @> mb.who AND NOT g.tags && mb.unless AND g.status <> ALL (mb.excused)
        AND NOT (g.tags @> cb.who AND NOT g.tags && cb.unless AND g.status <> ALL (cb.excused)))$q$)
    USING from_day, through_day, scope;
END
$$;
COMMENT ON FUNCTION hrpolicy.conflicts(date, date, ltree) IS
    'unit-days where a minimum rule requires more heads in office than a cap rule allows, while every roster row the minimum covers is covered by the cap: such decrees cannot both be kept';
