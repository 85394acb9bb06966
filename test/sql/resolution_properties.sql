-- rules_in_force against a literal, loop-by-loop reading of DESIGN.md's
-- resolution rules, over random catalogs (amendment chains and merges,
-- revocations, nested scopes, conditional variants, circumstances).
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

-- The oracle.  1: in force on d.  2: own rules, plus inherited ones whose
-- name no nearer decree defines.  3: scope and only_when.
CREATE FUNCTION pg_temp.oracle_in_force(code text, d date) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    p hrpolicy.policy;
    o hrpolicy.policy;
BEGIN
    SELECT * INTO p FROM hrpolicy.policy WHERE policy.code = oracle_in_force.code;
    IF NOT (p.valid @> d) THEN
        RETURN false;
    END IF;
    FOR o IN SELECT * FROM hrpolicy.policy LOOP
        IF (code = ANY (o.amends) OR code = ANY (o.revokes))
           AND (lower(o.valid) IS NULL OR lower(o.valid) <= d) THEN
            RETURN false;
        END IF;
    END LOOP;
    RETURN true;
END
$$;

CREATE FUNCTION pg_temp.oracle_rules(d date, u ltree)
RETURNS TABLE (policy text, rule text, quota hrpolicy.quota, defined_by text, only_when text,
               per text)
LANGUAGE plpgsql AS $$
DECLARE
    p hrpolicy.policy;
    frontier text[];
    seen text[];
    defined text[];
    next_frontier text[];
    level_names text[];
    a text;
    r hrpolicy.rule;
    holds boolean;
BEGIN
    FOR p IN SELECT * FROM hrpolicy.policy LOOP
        CONTINUE WHEN NOT pg_temp.oracle_in_force(p.code, d);
        CONTINUE WHEN p.scope IS NOT NULL AND NOT (p.scope @> u);
        frontier := ARRAY[p.code];
        seen := ARRAY[p.code];
        defined := '{}';
        WHILE cardinality(frontier) > 0 LOOP
            level_names := '{}';
            next_frontier := '{}';
            FOREACH a IN ARRAY frontier LOOP
                FOR r IN SELECT * FROM hrpolicy.rule WHERE rule.policy = a LOOP
                    CONTINUE WHEN r.name = ANY (defined);
                    level_names := level_names || r.name;
                    holds := r.only_when IS NULL
                        OR (left(r.only_when, 1) <> '!' AND EXISTS (
                                SELECT FROM hrpolicy.circumstance c
                                WHERE c.label = r.only_when AND c.valid @> d AND c.scope @> u))
                        OR (left(r.only_when, 1) = '!' AND NOT EXISTS (
                                SELECT FROM hrpolicy.circumstance c
                                WHERE c.label = substr(r.only_when, 2) AND c.valid @> d AND c.scope @> u));
                    IF holds THEN
                        policy := p.code; rule := r.name; quota := r.quota;
                        defined_by := r.policy; only_when := r.only_when; per := r.per;
                        RETURN NEXT;
                    END IF;
                END LOOP;
                FOREACH a IN ARRAY (SELECT amends FROM hrpolicy.policy x WHERE x.code = a) LOOP
                    IF NOT a = ANY (seen) THEN
                        seen := seen || a;
                        next_frontier := next_frontier || a;
                    END IF;
                END LOOP;
            END LOOP;
            defined := defined || level_names;
            frontier := next_frontier;
        END LOOP;
    END LOOP;
END
$$;

CREATE TEMP TABLE mismatches (catalog int, d date, u ltree, side text, policy text, rule text,
                              quota hrpolicy.quota, defined_by text, only_when text, per text);
CREATE TEMP TABLE sizes (catalog int, policies int, rules int, amending int, revoking int,
                         matched int, nested int);

DO $$
DECLARE
    k int;
    units ltree[] := '{a,a.b,a.c,a.b.d,e}';
    d date;
    u ltree;
    matched int;
    nested int;
BEGIN
    FOR k IN 1 .. 6 LOOP
        PERFORM setseed(k / 10.0);
        DELETE FROM hrpolicy.circumstance;
        DELETE FROM hrpolicy.policy;
        -- Decrees may amend or revoke only earlier-numbered ones: no cycles.
        INSERT INTO hrpolicy.policy (code, valid, scope, amends, revokes)
        SELECT 'P' || i,
               CASE WHEN random() < 0.2
                    THEN hrpolicy.validity(date '2020-01-01' + s, NULL)
                    ELSE hrpolicy.validity(date '2020-01-01' + s, date '2020-01-01' + s + len, '[]') END,
               (ARRAY[NULL, 'a', 'a.b', 'a.c', 'e']::ltree[])[1 + floor(random() * 5)::int],
               CASE WHEN i > 1 AND random() < 0.35
                    THEN ARRAY(SELECT DISTINCT 'P' || (1 + floor(random() * (i - 1))::int)
                               FROM generate_series(1, 1 + (random() < 0.3)::int))
                    ELSE '{}' END,
               CASE WHEN i > 1 AND random() < 0.15
                    THEN ARRAY['P' || (1 + floor(random() * (i - 1))::int)] ELSE '{}' END
        FROM (SELECT i, (random() * 50)::int AS s, (random() * 30)::int AS len
              FROM generate_series(1, 14) AS i) g;
        INSERT INTO hrpolicy.rule (policy, name, quota, only_when, per)
        SELECT DISTINCT ON (p.code, n.name, w.cond) p.code, n.name,
               (ARRAY['<=25%', '<=50%', '>=1', 'all', 'none'])[1 + floor(random() * 5)::int]::hrpolicy.quota,
               w.cond,
               (ARRAY['unit-day', 'unit-day', 'person-week', 'person-month'])[1 + floor(random() * 4)::int]
        FROM hrpolicy.policy p
        CROSS JOIN unnest('{cap,min,x}'::text[]) AS n (name)
        CROSS JOIN unnest(ARRAY[NULL, 'z', '!z', 'y']) AS w (cond)
        WHERE random() < 0.3;
        INSERT INTO hrpolicy.circumstance (scope, valid, label)
        SELECT (ARRAY['a', 'a.b', 'a.b.d', 'e']::ltree[])[1 + floor(random() * 4)::int],
               hrpolicy.validity(date '2020-01-01' + s, date '2020-01-01' + s + (random() * 20)::int, '[]'),
               (ARRAY['z', 'y'])[1 + floor(random() * 2)::int]
        FROM (SELECT (random() * 70)::int AS s FROM generate_series(1, 6)) g;

        matched := 0;
        nested := 0;
        FOR d IN SELECT date '2019-12-30' + i FROM generate_series(0, 90, 3) AS i LOOP
            FOREACH u IN ARRAY units LOOP
                INSERT INTO mismatches
                SELECT k, d, u, 'extension', * FROM (
                    SELECT * FROM hrpolicy.rules_in_force(d, u)
                    EXCEPT ALL SELECT * FROM pg_temp.oracle_rules(d, u)) x;
                INSERT INTO mismatches
                SELECT k, d, u, 'oracle', * FROM (
                    SELECT * FROM pg_temp.oracle_rules(d, u)
                    EXCEPT ALL SELECT * FROM hrpolicy.rules_in_force(d, u)) x;
                matched := matched + (SELECT count(*) FROM hrpolicy.rules_in_force(d, u));
                IF u = 'a.b.d' THEN
                    nested := nested + (SELECT count(*) FROM hrpolicy.rules_in_force(d, u) r
                                        JOIN hrpolicy.policy p ON p.code = r.policy
                                        WHERE p.scope IS NOT NULL);
                END IF;
            END LOOP;
        END LOOP;
        INSERT INTO sizes
        SELECT k, (SELECT count(*) FROM hrpolicy.policy), (SELECT count(*) FROM hrpolicy.rule),
               (SELECT count(*) FROM hrpolicy.policy WHERE amends <> '{}'),
               (SELECT count(*) FROM hrpolicy.policy WHERE revokes <> '{}'), matched, nested;
    END LOOP;
END
$$;

SELECT is_empty('SELECT * FROM mismatches',
    'rules_in_force equals the literal reading of the resolution rules on every sampled unit and day');
-- The generated catalogs exercise what they are meant to.
SELECT ok((SELECT bool_and(amending > 0) FROM sizes), 'every catalog has amendments');
SELECT ok((SELECT sum(revoking) > 0 FROM sizes), 'some catalog has revocations');
SELECT ok((SELECT min(matched) > 20 FROM sizes), 'every catalog matches rules on many unit-days');
SELECT ok((SELECT sum(nested) > 0 FROM sizes), 'scoped decrees reach units nested two levels below their scope');
-- Inherited rules occur (defined_by differs from policy) in the sample.
SELECT ok((SELECT count(*) FROM hrpolicy.policy p, hrpolicy.rule r
           WHERE r.policy = ANY (p.amends)) > 0, 'the last catalog inherits rules through amendments');

SELECT * FROM finish();
ROLLBACK;
