-- Properties of hrpolicy.validity, with PostgreSQL's daterange as oracle:
-- the same literal must hold the same days, whatever the bound flags.
-- TAP output only: ok / not ok lines.
\set ECHO none
\pset format unaligned
\pset tuples_only true
\pset pager off
\i test/preamble.sql
SET client_min_messages = warning;
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT setseed(0.1717);
SELECT plan(7);

CREATE TEMP TABLE literals AS
    SELECT format('%s%s,%s%s', lb, a, b, ub) AS lit
    FROM (SELECT DISTINCT date '2020-01-01' + (random() * 60)::int AS a,
                 date '2020-01-01' + (random() * 60)::int AS b
          FROM generate_series(1, 400)) d,
         unnest(ARRAY['[', '(']) lb, unnest(ARRAY[']', ')']) ub
    WHERE a <= b
    UNION ALL
    SELECT unnest(ARRAY['[2020-01-05,)', '(2020-01-05,)', '(,2020-01-05]', '(,2020-01-05)', '(,)', 'empty']);
CREATE TEMP TABLE days AS SELECT date '2019-12-25' + i AS d FROM generate_series(0, 80) i;

SELECT is_empty($$
    SELECT lit, d FROM literals, days
    WHERE (lit::hrpolicy.validity @> d) IS DISTINCT FROM (lit::daterange @> d)
$$, 'a window holds exactly the days the daterange of the same literal holds');

SELECT is_empty($$
    SELECT lit FROM literals
    WHERE NOT isempty(lit::hrpolicy.validity)
      AND ((NOT lower_inf(lit::hrpolicy.validity) AND NOT lower_inc(lit::hrpolicy.validity))
        OR (NOT upper_inf(lit::hrpolicy.validity) AND NOT upper_inc(lit::hrpolicy.validity)))
$$, 'canonical form: every finite bound is inclusive');

SELECT is_empty($$
    SELECT lit FROM literals
    WHERE NOT isempty(lit::daterange)
      AND (upper(lit::hrpolicy.validity) IS DISTINCT FROM upper(lit::daterange) - 1
        OR lower(lit::hrpolicy.validity) IS DISTINCT FROM lower(lit::daterange))
$$, 'upper() is the last day in force, lower() the first');

SELECT is_empty($$
    SELECT a.lit, b.lit FROM literals a, (SELECT lit FROM literals ORDER BY lit LIMIT 300) b
    WHERE (a.lit::hrpolicy.validity -|- b.lit::hrpolicy.validity) IS DISTINCT FROM (a.lit::daterange -|- b.lit::daterange)
       OR (a.lit::hrpolicy.validity && b.lit::hrpolicy.validity) IS DISTINCT FROM (a.lit::daterange && b.lit::daterange)
$$, 'adjacency and overlap agree with daterange');

SELECT is_empty($$
    SELECT a.lit, b.lit FROM literals a, (SELECT lit FROM literals ORDER BY lit DESC LIMIT 200) b
    WHERE (a.lit::daterange -|- b.lit::daterange OR a.lit::daterange && b.lit::daterange)
      AND (a.lit::hrpolicy.validity + b.lit::hrpolicy.validity)::text IS DISTINCT FROM
          hrpolicy.validity(lower(a.lit::daterange + b.lit::daterange),
                            upper(a.lit::daterange + b.lit::daterange))::text
$$, 'the union of touching windows is the daterange union');

SELECT is_empty($$
    WITH groups AS (SELECT (row_number() OVER ()) % 25 AS g, lit FROM literals)
    SELECT g FROM groups GROUP BY g
    HAVING (SELECT array_agg(hrpolicy.validity(lower(r), upper(r)) ORDER BY r)
            FROM unnest(range_agg(lit::daterange)) r)
           IS DISTINCT FROM
           (SELECT array_agg(v ORDER BY v) FROM unnest(range_agg(lit::hrpolicy.validity)) v)
$$, 'range_agg merges windows into the same pieces as daterange');

SELECT is_empty($$
    SELECT lit FROM literals
    WHERE hrpolicy.days(lit::hrpolicy.validity) IS DISTINCT FROM
          CASE WHEN isempty(lit::daterange) THEN 0
               WHEN lower_inf(lit::daterange) OR upper_inf(lit::daterange) THEN NULL
               ELSE upper(lit::daterange) - lower(lit::daterange) END
       OR hrpolicy.working_days(lit::hrpolicy.validity) IS DISTINCT FROM
          CASE WHEN isempty(lit::daterange) THEN 0
               WHEN lower_inf(lit::daterange) OR upper_inf(lit::daterange) THEN NULL
               ELSE (SELECT count(*)::int FROM generate_series(lower(lit::daterange), upper(lit::daterange) - 1, '1 day') d
                     WHERE extract(isodow FROM d) < 6) END
$$, 'days() and working_days() count the days and weekdays in force');

SELECT * FROM finish();
ROLLBACK;
