-- compliance() against a row-by-row oracle over random rosters and
-- catalogs: for every unit-day of the roster and every rule that
-- rules_in_force() gives for it, the tally counts exactly the rows in the
-- rule's base and part; and conflicts() against a direct reading of its
-- definition.
-- TAP output only: ok / not ok lines.
\set ECHO none
\pset format unaligned
\pset tuples_only true
\pset pager off
\i test/preamble.sql
SET client_min_messages = warning;
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(6);

CREATE TABLE pg_temp.roster (unit ltree, day date, person text, status text, tags text[]);
CREATE TABLE pg_temp.mismatch (catalog int, side text, day date, unit ltree, policy text,
                               rule text, defined_by text, only_when text, tally text);
CREATE TABLE pg_temp.conflict_mismatch (catalog int, side text, day date, unit ltree,
                                        cap_policy text, cap_rule text, min_policy text, min_rule text);
CREATE TABLE pg_temp.sizes (catalog int, rows_compared int, zero_totals int, conflicts int);
SELECT ok(hrpolicy.use_roster('pg_temp.roster') IS NOT NULL, 'a temporary table can be the roster');

-- The oracle: rules_in_force per unit-day, each rule's row read back from
-- the catalog, and the roster rows counted one by one.
CREATE FUNCTION pg_temp.oracle() RETURNS TABLE (day date, unit ltree, policy text, rule text,
                                                defined_by text, only_when text, tally text)
LANGUAGE sql AS $$
    SELECT ud.day, ud.unit, f.policy, f.rule, f.defined_by, f.only_when,
           hrpolicy.make_tally(
               count(*) FILTER (WHERE x.in_base AND x.counted),
               count(*) FILTER (WHERE x.in_base))::text
    FROM (SELECT DISTINCT r.day, r.unit FROM pg_temp.roster r
          WHERE r.unit IS NOT NULL AND r.day IS NOT NULL AND r.status IS NOT NULL) ud
    CROSS JOIN LATERAL hrpolicy.rules_in_force(ud.day, ud.unit) f
    JOIN hrpolicy.rule def ON def.policy = f.defined_by AND def.name = f.rule
                          AND def.only_when IS NOT DISTINCT FROM f.only_when
    LEFT JOIN LATERAL (
        SELECT coalesce(r.tags, '{}') @> def.who AND NOT coalesce(r.tags, '{}') && def.unless
                   AND NOT r.status = ANY (def.excused) AS in_base,
               r.status = ANY (def.counts) AS counted
        FROM pg_temp.roster r
        WHERE r.day = ud.day AND r.unit = ud.unit AND r.status IS NOT NULL
    ) x ON true
    GROUP BY ud.day, ud.unit, f.policy, f.rule, f.defined_by, f.only_when
$$;

DO $$
DECLARE
    k int;
BEGIN
    FOR k IN 1 .. 5 LOOP
        PERFORM setseed(k / 7.0);
        DELETE FROM pg_temp.roster;
        DELETE FROM hrpolicy.circumstance;
        DELETE FROM hrpolicy.policy;
        INSERT INTO pg_temp.roster
        SELECT (ARRAY['a', 'a.b', 'a.c', 'a.b.d', 'e', NULL]::ltree[])[1 + floor(random() * 5.9)::int],
               date '2021-01-01' + floor(random() * 12)::int,
               'p' || i,
               (ARRAY['office', 'home', 'leave', 'sick', 'duty', NULL])[1 + floor(random() * 5.95)::int],
               CASE WHEN random() < 0.1 THEN NULL
                    ELSE ARRAY(SELECT t FROM unnest('{structural,top2,over55,piket,asn}'::text[]) t
                               WHERE random() < 0.35) END
        FROM generate_series(1, 600) i;
        INSERT INTO hrpolicy.policy (code, valid, scope, amends)
        SELECT 'P' || i,
               hrpolicy.validity(date '2020-12-25' + floor(random() * 15)::int,
                                 date '2021-01-05' + floor(random() * 15)::int, '[]'),
               (ARRAY[NULL, 'a', 'a.b', 'e']::ltree[])[1 + floor(random() * 4)::int],
               CASE WHEN i > 1 AND random() < 0.3 THEN ARRAY['P' || (1 + floor(random() * (i - 1))::int)]
                    ELSE '{}' END
        FROM generate_series(1, 8) i;
        INSERT INTO hrpolicy.rule (policy, name, quota, counts, who, unless, excused, only_when)
        SELECT DISTINCT ON (p.code, n.name, w.cond) p.code, n.name,
               (ARRAY['<=25%', '<=50%', '>=1', 'all', 'none', '>=25%', '<3', '=50%'])[1 + floor(random() * 8)::int]::hrpolicy.quota,
               string_to_array((ARRAY['office', 'office,duty', 'home'])[1 + floor(random() * 3)::int], ','),
               (ARRAY['{}', '{structural}', '{top2}', '{piket}'])[1 + floor(random() * 4)::int]::text[],
               (ARRAY['{}', '{}', '{over55}'])[1 + floor(random() * 3)::int]::text[],
               (ARRAY['{}', '{leave,sick}', '{sick}'])[1 + floor(random() * 3)::int]::text[],
               w.cond
        FROM hrpolicy.policy p
        CROSS JOIN unnest('{cap,min,x}'::text[]) AS n (name)
        CROSS JOIN unnest(ARRAY[NULL, 'z', '!z']) AS w (cond)
        WHERE random() < 0.35;
        INSERT INTO hrpolicy.circumstance (scope, valid, label)
        SELECT (ARRAY['a', 'a.b', 'e']::ltree[])[1 + floor(random() * 3)::int],
               hrpolicy.validity(date '2021-01-01' + s, date '2021-01-01' + s + floor(random() * 4)::int, '[]'),
               'z'
        FROM (SELECT floor(random() * 12)::int AS s FROM generate_series(1, 4)) g;

        INSERT INTO pg_temp.mismatch
        SELECT k, 'compliance', * FROM (
            SELECT c.day, c.unit, c.policy, c.rule, c.defined_by, c.only_when, c.tally::text
            FROM hrpolicy.compliance('2021-01-01', '2021-01-12') c
            EXCEPT ALL SELECT * FROM pg_temp.oracle()) x;
        INSERT INTO pg_temp.mismatch
        SELECT k, 'oracle', * FROM (
            SELECT * FROM pg_temp.oracle()
            EXCEPT ALL
            SELECT c.day, c.unit, c.policy, c.rule, c.defined_by, c.only_when, c.tally::text
            FROM hrpolicy.compliance('2021-01-01', '2021-01-12') c) x;

        -- conflicts by its definition, pair by pair, row by row
        INSERT INTO pg_temp.conflict_mismatch
        WITH c AS (SELECT * FROM hrpolicy.compliance('2021-01-01', '2021-01-12')),
        defs AS (SELECT c.*, r.counts, r.who, r.unless, r.excused FROM c
                 JOIN hrpolicy.rule r ON r.policy = c.defined_by AND r.name = c.rule
                                     AND r.only_when IS NOT DISTINCT FROM c.only_when),
        expected AS (
            SELECT cap.day, cap.unit, cap.policy AS cap_policy, cap.rule AS cap_rule,
                   mn.policy AS min_policy, mn.rule AS min_rule
            FROM defs cap JOIN defs mn ON mn.day = cap.day AND mn.unit = cap.unit
            WHERE hrpolicy.is_cap(cap.quota) AND NOT hrpolicy.is_cap(mn.quota)
              AND cap.counts @> mn.counts
              AND mn.allowed > cap.allowed
              AND NOT EXISTS (
                  SELECT FROM pg_temp.roster r
                  WHERE r.day = cap.day AND r.unit = cap.unit AND r.status IS NOT NULL
                    AND coalesce(r.tags, '{}') @> mn.who AND NOT coalesce(r.tags, '{}') && mn.unless
                    AND NOT r.status = ANY (mn.excused)
                    -- covered: by the cap's tags (a row it excuses by status is its own)
                    AND NOT (coalesce(r.tags, '{}') @> cap.who AND NOT coalesce(r.tags, '{}') && cap.unless))),
        got AS (SELECT day, unit, cap_policy, cap_rule, min_policy, min_rule
                FROM hrpolicy.conflicts('2021-01-01', '2021-01-12'))
        SELECT k, 'conflicts', * FROM (SELECT * FROM got EXCEPT ALL SELECT * FROM expected) x
        UNION ALL
        SELECT k, 'definition', * FROM (SELECT * FROM expected EXCEPT ALL SELECT * FROM got) y;

        INSERT INTO pg_temp.sizes
        SELECT k, (SELECT count(*) FROM hrpolicy.compliance('2021-01-01', '2021-01-12')),
               (SELECT count(*) FROM hrpolicy.compliance('2021-01-01', '2021-01-12') WHERE hrpolicy.total(tally) = 0),
               (SELECT count(*) FROM hrpolicy.conflicts('2021-01-01', '2021-01-12'));
    END LOOP;
END
$$;

SELECT is_empty('SELECT * FROM pg_temp.mismatch',
    'compliance() tallies equal a row-by-row count of each rule''s base and part, for every rule rules_in_force gives');
SELECT is_empty('SELECT * FROM pg_temp.conflict_mismatch',
    'conflicts() equals its definition read pair by pair and row by row');
SELECT ok((SELECT min(rows_compared) > 50 FROM pg_temp.sizes), 'every catalog yields many compliance rows');
SELECT ok((SELECT sum(zero_totals) > 0 FROM pg_temp.sizes), 'empty groups (0/0 tallies) occur');
SELECT ok((SELECT sum(conflicts) > 0 FROM pg_temp.sizes), 'conflicts occur in the generated catalogs');

SELECT * FROM finish();
ROLLBACK;
