-- Properties of hrpolicy.quota and hrpolicy.tally over many generated cases,
-- checked against exact numeric arithmetic (an independent oracle).
-- TAP output only: ok / not ok lines.
\set ECHO none
\pset format unaligned
\pset tuples_only true
\pset pager off
\i test/preamble.sql
SET client_min_messages = warning;
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT setseed(0.4242);
SELECT plan(14);

-- Percent quotas: the listed ones and 200 random ones with up to 4 decimals.
CREATE TEMP TABLE percents AS
    SELECT p::numeric AS p
    FROM unnest(ARRAY[0, 0.0001, 1, 10, 12.5, 20, 25, 33.33, 33.3333, 50, 66.67, 75, 99.9999, 100]) p
    UNION
    SELECT round((random() * 100)::numeric, (random() * 4)::int) FROM generate_series(1, 200);
CREATE TEMP TABLE ops AS SELECT unnest(ARRAY['<', '<=', '=', '>=', '>']) AS op;
CREATE TEMP TABLE percent_quotas AS
    SELECT op, p, format('%s%s%%', op, p)::hrpolicy.quota AS q
    FROM ops, percents
    WHERE NOT (op = '<' AND p = 0) AND NOT (op = '>' AND p = 100);
CREATE TEMP TABLE tallies AS
    SELECT part, total FROM generate_series(0, 40) total, generate_series(0, total) part;

-- Exact oracle: part*100 compared with p*total, in numeric.
CREATE FUNCTION pg_temp.oracle(op text, lhs numeric, rhs numeric) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE op WHEN '<' THEN lhs < rhs WHEN '<=' THEN lhs <= rhs WHEN '=' THEN lhs = rhs
                   WHEN '>=' THEN lhs >= rhs WHEN '>' THEN lhs > rhs END
$$;

SELECT is_empty($$
    SELECT q, part, total FROM percent_quotas, tallies
    WHERE (hrpolicy.make_tally(part, total) OPERATOR(hrpolicy.<@) q)
          IS DISTINCT FROM (total = 0 OR pg_temp.oracle(op, part * 100, p * total))
$$, 'tally <@ p% holds exactly when part*100 compares with p*total (0/0 always admitted), all ops, totals 0..40');

SELECT is_empty($$
    SELECT q, part, total FROM percent_quotas, tallies
    WHERE (q OPERATOR(hrpolicy.@>) hrpolicy.make_tally(part, total))
          IS DISTINCT FROM (hrpolicy.make_tally(part, total) OPERATOR(hrpolicy.<@) q)
$$, 'quota @> tally is the commutator of tally <@ quota');

-- Large totals, where float arithmetic would round.
SELECT is_empty($$
    WITH big AS (
        SELECT (random() * 9e18)::bigint AS total, random() AS f FROM generate_series(1, 2000)
    ), cases AS (
        SELECT op, p, q, total, LEAST(total, (f * total)::numeric)::bigint AS part
        FROM big, percent_quotas WHERE p IN (25, 33.3333, 50, 99.9999)
    )
    SELECT q, part, total FROM cases
    WHERE (hrpolicy.make_tally(part, total) OPERATOR(hrpolicy.<@) q)
          IS DISTINCT FROM pg_temp.oracle(op, part::numeric * 100, p * total)
$$, 'admission stays exact for totals up to 9e18');

-- quota_limit is the largest admitted part under a cap, the smallest
-- admitted part otherwise; when no part of the total qualifies, a minimum's
-- limit is above the total.
CREATE TEMP TABLE limits AS
    SELECT q, op, total, hrpolicy.quota_limit(q, total) AS lim,
           max(part) FILTER (WHERE admitted) AS max_admitted,
           min(part) FILTER (WHERE admitted) AS min_admitted
    FROM (SELECT q, op, t.total, t.part,
                 hrpolicy.make_tally(t.part, t.total) OPERATOR(hrpolicy.<@) q AS admitted
          FROM percent_quotas, tallies t) s
    GROUP BY q, op, total;
SELECT is_empty($$
    SELECT * FROM limits WHERE op IN ('<', '<=') AND lim IS DISTINCT FROM max_admitted
$$, 'for <= and < percent quotas, quota_limit is the most heads admitted');
SELECT is_empty($$
    SELECT * FROM limits WHERE op IN ('>', '>=') AND lim IS DISTINCT FROM coalesce(min_admitted, total + 1)
$$, 'for >= and > percent quotas, quota_limit is the fewest heads required');
SELECT is_empty($$
    SELECT * FROM limits
    WHERE op = '=' AND NOT (lim IS NOT DISTINCT FROM min_admitted OR (min_admitted IS NULL AND
          NOT hrpolicy.make_tally(LEAST(lim, total), total) OPERATOR(hrpolicy.<@) q))
$$, 'for = percent quotas, quota_limit is the exact count when one exists');
SELECT is_empty($$
    SELECT * FROM limits WHERE op <> '=' AND lim > total + 1
$$, 'a percent limit never exceeds total + 1');

-- Head-count quotas.
CREATE TEMP TABLE count_quotas AS
    SELECT op, n, format('%s%s', op, n)::hrpolicy.quota AS q
    FROM ops, generate_series(0, 12) n WHERE NOT (op = '<' AND n = 0);
SELECT is_empty($$
    SELECT q, part, total FROM count_quotas, tallies
    WHERE (hrpolicy.make_tally(part, total) OPERATOR(hrpolicy.<@) q)
          IS DISTINCT FROM pg_temp.oracle(op, part, n)
$$, 'a head-count quota compares the part with the count, whatever the total');
SELECT is_empty($$
    SELECT q, hrpolicy.quota_limit(q, 40) FROM count_quotas
    WHERE hrpolicy.quota_limit(q, 40) IS DISTINCT FROM
          CASE op WHEN '<' THEN n - 1 WHEN '>' THEN n + 1 ELSE n END
$$, 'a head-count limit is the count (minus one under <, plus one over >)');

-- headroom >= 0 exactly when a cap or minimum is met.
SELECT is_empty($$
    SELECT q, part, total FROM (SELECT q, op FROM percent_quotas UNION ALL SELECT q, op FROM count_quotas) qs,
         tallies
    WHERE op <> '='
      AND (hrpolicy.headroom(hrpolicy.make_tally(part, total), q) >= 0)
          IS DISTINCT FROM (hrpolicy.make_tally(part, total) OPERATOR(hrpolicy.<@) q)
$$, 'headroom is non-negative exactly when the quota is met');

-- Text: canonical output reads back to the same value, and word forms
-- equal symbol forms.
SELECT is_empty($$
    SELECT q FROM (SELECT q FROM percent_quotas UNION ALL SELECT q FROM count_quotas) s
    WHERE q::text::hrpolicy.quota OPERATOR(hrpolicy.<>) q
$$, 'canonical text round-trips');
SELECT is_empty($$
    SELECT p FROM percents
    WHERE format('at most %s %%', p)::hrpolicy.quota OPERATOR(hrpolicy.<>) format('<=%s%%', p)::hrpolicy.quota
       OR format('  AT LEAST %s%%  ', p)::hrpolicy.quota OPERATOR(hrpolicy.<>) format('>=%s%%', p)::hrpolicy.quota
       OR format('exactly %s%%', p)::hrpolicy.quota OPERATOR(hrpolicy.<>) format('=%s%%', p)::hrpolicy.quota
$$, 'word forms equal symbol forms');

-- Tallies: the aggregate equals counting by hand, and + is associative.
SELECT is_empty($$
    WITH rows AS (SELECT g % 17 AS grp, CASE WHEN random() < 0.1 THEN NULL ELSE random() < 0.3 END AS v
                  FROM generate_series(1, 5000) g)
    SELECT grp FROM rows GROUP BY grp
    HAVING hrpolicy.tally(v) OPERATOR(hrpolicy.<>) hrpolicy.make_tally(count(*) FILTER (WHERE v), count(v))
$$, 'tally(bool) = (count of true)/(count of non-null)');
SELECT is_empty($$
    WITH t AS (SELECT hrpolicy.make_tally(p, p + e) AS a, hrpolicy.make_tally(e, e + p) AS b,
                      hrpolicy.make_tally(p % 7, 7 + p) AS c
               FROM generate_series(0, 30) p, generate_series(0, 30) e)
    SELECT a, b, c FROM t
    WHERE ((a OPERATOR(hrpolicy.+) b) OPERATOR(hrpolicy.+) c) OPERATOR(hrpolicy.<>) (a OPERATOR(hrpolicy.+) (b OPERATOR(hrpolicy.+) c))
       OR (a OPERATOR(hrpolicy.+) b) OPERATOR(hrpolicy.<>) (b OPERATOR(hrpolicy.+) a)
$$, 'tally + is associative and commutative');

SELECT * FROM finish();
ROLLBACK;
