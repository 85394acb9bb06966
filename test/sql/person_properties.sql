-- person_compliance() against a row-by-row oracle of DESIGN.md's
-- "Person-period rules", over random rosters (persons changing unit,
-- holidays, tags, excused statuses) and random catalogs (person-week and
-- person-month rules, windows starting and ending mid-week, nested scopes,
-- amendments, only_when over circumstances).  The oracle asks
-- rules_in_force() which rules apply to each row's unit and day (that is
-- resolution_properties' subject) and does the rest literally.  A mutated
-- oracle (judging only the report range, not whole periods) must disagree,
-- so that the comparison can fail.  Parallel plans give the same rows.
-- TAP output only: ok / not ok lines.
\set ECHO none
\pset format unaligned
\pset tuples_only true
\pset pager off
\i test/preamble.sql
SET client_min_messages = warning;
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(4);

CREATE TABLE roster (unit ltree, day date, person text, status text, tags text[]);
SELECT hrpolicy.use_roster('roster') IS NOT NULL;

-- The oracle: every roster row of the periods overlapping [f, t] (or,
-- mutated, of [f, t] only), every person rule in force for its unit and
-- day, the rule's filter applied literally, summed per person, period and
-- rule row (an amended decree's rule and the amender's inherited copy are
-- one rule: a week is not split where an amendment begins).
CREATE FUNCTION pg_temp.oracle(f date, t date, mutated boolean)
RETURNS TABLE (period hrpolicy.validity, person text, unit text, policy text, rule text,
               tally text, ok boolean)
LANGUAGE sql AS $$
    WITH rows AS (
        SELECT r.*, k.per, k.policy, k.rule, k.defined_by, k.only_when,
               CASE k.per WHEN 'person-week' THEN date_trunc('week', r.day)::date
                          ELSE date_trunc('month', r.day)::date END AS first_day
        FROM roster r
        CROSS JOIN LATERAL hrpolicy.rules_in_force(r.day, r.unit) k
        WHERE k.per <> 'unit-day'
    ), periods AS (
        SELECT x.* FROM rows x
        WHERE CASE WHEN mutated THEN x.day BETWEEN f AND t
                   ELSE hrpolicy.person_period(x.per, x.first_day) && hrpolicy.validity(f, t, '[]') END
    ), base AS (
        SELECT p.*, ru.quota, p.status = ANY (ru.counts) AS counted
        FROM periods p
        JOIN hrpolicy.rule ru ON ru.policy = p.defined_by AND ru.name = p.rule
                             AND ru.only_when IS NOT DISTINCT FROM p.only_when
        WHERE p.tags @> ru.who AND NOT p.tags && ru.unless AND NOT p.status = ANY (ru.excused)
    ), summed AS (
        -- one rule row is one rule for the period, whichever decrees apply
        -- it (an amended one, then its amender): each row counts once, and
        -- the row names the decree in force on the last day
        SELECT b.per, b.first_day, b.person, b.rule, b.quota,
               (array_agg(b.policy ORDER BY b.day DESC, b.unit::text DESC, b.policy))[1] AS policy,
               (array_agg(b.unit ORDER BY b.day DESC, b.unit::text DESC))[1] AS unit,
               hrpolicy.make_tally(count(DISTINCT b.day) FILTER (WHERE b.counted),
                                   count(DISTINCT b.day)) AS tally
        FROM base b
        GROUP BY b.per, b.first_day, b.person, b.rule, b.defined_by, b.only_when, b.quota
    )
    SELECT hrpolicy.person_period(s.per, s.first_day), s.person, s.unit::text, s.policy, s.rule,
           s.tally::text, s.tally OPERATOR(hrpolicy.<@) s.quota
    FROM summed s
$$;

CREATE TEMP TABLE mismatches (k int, side text, period hrpolicy.validity, person text,
                              unit text, policy text, rule text, tally text, ok boolean);
CREATE TEMP TABLE mutant_caught (k int);
CREATE TEMP TABLE parallel_mismatches (k int);
CREATE TEMP TABLE sizes (k int, persons bigint, rules bigint, checked bigint);

DO $$
DECLARE
    k int;
    f date;
    t date;
    hashing int;
BEGIN
    FOR k IN 1..12 LOOP
        PERFORM setseed(k / 13.0);
        TRUNCATE roster;
        DELETE FROM hrpolicy.circumstance;
        DELETE FROM hrpolicy.policy;
        -- 16 persons over 8 weeks of weekdays from Monday 7 April 2025, a
        -- holiday on a random weekday, some persons moving unit mid-period
        INSERT INTO roster
        SELECT CASE WHEN random() < 0.08 THEN u.alt ELSE u.home END, d::date, 'p' || i,
               (ARRAY['office', 'office', 'home', 'anywhere', 'leave', 'sick'])[1 + floor(random() * 6)::int],
               ARRAY(SELECT x FROM unnest(ARRAY['s', 'o']) x WHERE random() < 0.3)
        FROM generate_series(1, 16) i
        CROSS JOIN LATERAL (SELECT (ARRAY['a', 'a.b', 'a.b.c', 'd'])[1 + i % 4]::ltree AS home,
                                   (ARRAY['a.b', 'd', 'a.b.c', 'a'])[1 + (i * 7) % 4]::ltree AS alt) u
        CROSS JOIN generate_series('2025-04-07'::date, '2025-06-01', '1 day') d
        WHERE extract(isodow FROM d) < 6 AND d::date <> '2025-04-07'::date + (k * 3) % 50;

        INSERT INTO hrpolicy.policy (code, valid, scope, amends)
        SELECT 'P' || i,
               hrpolicy.validity('2025-04-07'::date + s, CASE WHEN random() < 0.4 THEN NULL
                                                             ELSE '2025-04-07'::date + s + len END, '[]'),
               (ARRAY[NULL, 'a', 'a.b', 'd']::ltree[])[1 + floor(random() * 4)::int],
               CASE WHEN i > 1 AND random() < 0.25 THEN ARRAY['P' || (1 + floor(random() * (i - 1))::int)]
                    ELSE '{}' END
        FROM (SELECT i, (random() * 40)::int AS s, (random() * 30)::int AS len
              FROM generate_series(1, 6) AS i) g;
        INSERT INTO hrpolicy.rule (policy, name, quota, counts, who, unless, excused, only_when, per)
        SELECT DISTINCT ON (p.code, n.name, w.cond) p.code, n.name,
               (ARRAY['<=2', '>=3', '<=40%', '>=1', '<=8'])[1 + floor(random() * 5)::int]::hrpolicy.quota,
               (ARRAY['{home,anywhere}', '{office}', '{home}'])[1 + floor(random() * 3)::int]::text[],
               CASE WHEN random() < 0.2 THEN '{s}' ELSE '{}' END::text[],
               CASE WHEN random() < 0.2 THEN '{o}' ELSE '{}' END::text[],
               CASE WHEN random() < 0.6 THEN '{leave,sick}' ELSE '{}' END::text[],
               w.cond,
               (ARRAY['person-week', 'person-week', 'person-month', 'unit-day'])[1 + floor(random() * 4)::int]
        FROM hrpolicy.policy p
        CROSS JOIN unnest('{fwa,rto}'::text[]) AS n (name)
        CROSS JOIN unnest(ARRAY[NULL, 'z', '!z']) AS w (cond)
        WHERE random() < 0.4;
        INSERT INTO hrpolicy.circumstance (scope, valid, label)
        SELECT (ARRAY['a', 'a.b', 'd']::ltree[])[1 + floor(random() * 3)::int],
               hrpolicy.validity('2025-04-07'::date + s, '2025-04-07'::date + s + (random() * 10)::int, '[]'),
               'z'
        FROM (SELECT (random() * 50)::int AS s FROM generate_series(1, 4)) g;

        f := '2025-04-07'::date + (random() * 40)::int;
        t := f + (random() * 12)::int;
        INSERT INTO mismatches
        SELECT k, 'extension', * FROM (
            SELECT c.period, c.person, c.unit::text, c.policy, c.rule, c.tally::text, c.ok
            FROM hrpolicy.person_compliance(f, t) c
            EXCEPT ALL SELECT * FROM pg_temp.oracle(f, t, false)) x;
        INSERT INTO mismatches
        SELECT k, 'oracle', * FROM (
            SELECT * FROM pg_temp.oracle(f, t, false)
            EXCEPT ALL
            SELECT c.period, c.person, c.unit::text, c.policy, c.rule, c.tally::text, c.ok
            FROM hrpolicy.person_compliance(f, t) c) x;
        IF EXISTS (SELECT * FROM pg_temp.oracle(f, t, true)
                   EXCEPT ALL
                   SELECT c.period, c.person, c.unit::text, c.policy, c.rule, c.tally::text, c.ok
                   FROM hrpolicy.person_compliance(f, t) c) THEN
            INSERT INTO mutant_caught VALUES (k);
        END IF;
        -- the same report planned with parallel workers (partial states
        -- serialized, combined in the leader)
        -- (with statistics, the planner aggregates in the workers: Partial
        -- HashAggregate, or Partial GroupAggregate without hashing)
        ANALYZE roster;
        SET LOCAL parallel_setup_cost = 0;
        SET LOCAL parallel_tuple_cost = 0;
        SET LOCAL min_parallel_table_scan_size = 0;
        FOR hashing IN 0..1 LOOP
            PERFORM set_config('enable_hashagg', CASE hashing WHEN 1 THEN 'on' ELSE 'off' END, true);
            INSERT INTO parallel_mismatches
            SELECT k FROM (
                SELECT c.period, c.person, c.unit::text, c.policy, c.rule, c.tally::text, c.ok
                FROM hrpolicy.person_compliance('2025-04-07', '2025-06-01') c
                EXCEPT ALL SELECT * FROM pg_temp.oracle('2025-04-07', '2025-06-01', false)) x;
        END LOOP;
        RESET parallel_setup_cost;
        RESET parallel_tuple_cost;
        RESET min_parallel_table_scan_size;
        RESET enable_hashagg;
        INSERT INTO sizes
        SELECT k, (SELECT count(DISTINCT person) FROM roster),
               (SELECT count(*) FROM hrpolicy.rule WHERE per <> 'unit-day'),
               (SELECT count(*) FROM pg_temp.oracle(f, t, false));
    END LOOP;
END
$$;

SELECT is_empty('SELECT * FROM mismatches ORDER BY k, side, person',
    'person_compliance equals the row-by-row reading of the person-period rules on every random roster and catalog');
SELECT ok((SELECT count(*) FROM sizes WHERE checked > 0) >= 8,
    'most random catalogs give person rows to compare');
SELECT ok((SELECT count(*) FROM mutant_caught) > 0,
    'an oracle that judges only the report range, not whole periods, disagrees');
SELECT is_empty('SELECT * FROM parallel_mismatches',
    'parallel plans (partial states serialized and combined) give the same rows');

SELECT * FROM finish();
ROLLBACK;
