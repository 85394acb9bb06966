-- Timing helpers of the benchmarks (schema bench).
CREATE SCHEMA IF NOT EXISTS bench;

-- Run a query reps times (after one warm-up run) and return the median
-- wall-clock milliseconds.  The query is wrapped in count(*) so that every
-- row is produced and nothing is sent to the client.
CREATE OR REPLACE FUNCTION bench.median_ms(query text, reps int DEFAULT 5) RETURNS numeric
LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    times numeric[] := '{}';
    i int;
BEGIN
    EXECUTE format('SELECT count(q.*) FROM (%s) q', query);
    FOR i IN 1 .. reps LOOP
        t0 := clock_timestamp();
        EXECUTE format('SELECT count(q.*) FROM (%s) q', query);
        times := times || (extract(epoch FROM clock_timestamp() - t0) * 1000)::numeric;
    END LOOP;
    RETURN (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY t) FROM unnest(times) t)::numeric(12, 1);
END
$$;

-- Several queries measured side by side: each repetition runs every query
-- once, in turn, so that the machine's drift hits them all alike.  Each
-- query may come with a setting (e.g. 'max_parallel_workers_per_gather=0')
-- in force while it runs.  Every column of every row is produced
-- (count(q.*)), so the planner cannot drop work the caller would read.
-- Returns the median, the fastest and the slowest run of each.
CREATE OR REPLACE FUNCTION bench.side_by_side(names text[], queries text[], reps int DEFAULT 5,
                                              settings text[] DEFAULT NULL)
RETURNS TABLE (name text, median_ms numeric, min_ms numeric, max_ms numeric)
LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    i int;
    q int;
    saved text;
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS bench_times (name text, ms numeric);
    DELETE FROM bench_times;
    FOR i IN 0 .. reps LOOP                       -- run 0: the warm-up
        FOR q IN 1 .. cardinality(queries) LOOP
            IF settings[q] IS NOT NULL THEN
                saved := current_setting(split_part(settings[q], '=', 1));
                PERFORM set_config(split_part(settings[q], '=', 1), split_part(settings[q], '=', 2), true);
            END IF;
            t0 := clock_timestamp();
            EXECUTE format('SELECT count(q.*) FROM (%s) q', queries[q]);
            IF i > 0 THEN
                INSERT INTO bench_times VALUES (names[q], extract(epoch FROM clock_timestamp() - t0) * 1000);
            END IF;
            IF settings[q] IS NOT NULL THEN
                PERFORM set_config(split_part(settings[q], '=', 1), saved, true);
            END IF;
        END LOOP;
    END LOOP;
    RETURN QUERY
    SELECT b.name, (percentile_cont(0.5) WITHIN GROUP (ORDER BY b.ms))::numeric(12, 1),
           min(b.ms)::numeric(12, 1), max(b.ms)::numeric(12, 1)
    FROM bench_times b GROUP BY b.name;
END
$$;

-- The catalog of the seed decrees, kept aside while synthetic catalogs are
-- measured, and put back.
CREATE OR REPLACE FUNCTION bench.save_catalog() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DROP TABLE IF EXISTS bench.saved_policy, bench.saved_rule, bench.saved_circumstance;
    CREATE TABLE bench.saved_policy AS SELECT * FROM hrpolicy.policy;
    CREATE TABLE bench.saved_rule AS SELECT * FROM hrpolicy.rule;
    CREATE TABLE bench.saved_circumstance AS SELECT * FROM hrpolicy.circumstance;
END
$$;

CREATE OR REPLACE FUNCTION bench.restore_catalog() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    SET CONSTRAINTS ALL DEFERRED;
    DELETE FROM hrpolicy.circumstance;
    UPDATE hrpolicy.policy SET amends = '{}', revokes = '{}';
    DELETE FROM hrpolicy.policy;
    INSERT INTO hrpolicy.policy SELECT * FROM bench.saved_policy;
    INSERT INTO hrpolicy.rule SELECT * FROM bench.saved_rule;
    INSERT INTO hrpolicy.circumstance SELECT * FROM bench.saved_circumstance;
    ANALYZE hrpolicy.policy;
    ANALYZE hrpolicy.rule;
    ANALYZE hrpolicy.circumstance;
END
$$;

-- A catalog of exactly n rules in force over the period (one decree for
-- every unit), varied as real ones are: caps and minimums, shares of
-- everyone or of a tag, some exempting a tag, half excusing leave and
-- sickness.  The tags are those of the sample roster.
CREATE OR REPLACE FUNCTION bench.synthetic_catalog(n int, from_day date, through_day date)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    tags text[] := '{asn,non-asn,pns,pppk,structural,functional,pelaksana,eselon:2,eselon:3,eselon:4,top2,over55,piket}';
BEGIN
    SET CONSTRAINTS ALL DEFERRED;
    DELETE FROM hrpolicy.circumstance;
    UPDATE hrpolicy.policy SET amends = '{}', revokes = '{}';
    DELETE FROM hrpolicy.policy;
    INSERT INTO hrpolicy.policy (code, valid) VALUES ('SYN-1', hrpolicy.validity(from_day, through_day, '[]'));
    INSERT INTO hrpolicy.rule (policy, name, quota, counts, who, unless, excused)
    SELECT 'SYN-1', 'r' || i,
           (CASE WHEN i % 3 = 0 THEN '>=' ELSE '<=' END || (10 + i % 80) || '%')::hrpolicy.quota,
           CASE WHEN i % 2 = 0 THEN '{office}'::text[] ELSE '{office,duty}' END,
           CASE WHEN i % 4 = 1 THEN '{}'::text[] ELSE ARRAY[tags[1 + i % 13]] END,
           CASE WHEN i % 5 = 0 THEN ARRAY[tags[1 + (i + 5) % 13]] ELSE '{}'::text[] END,
           CASE WHEN i % 2 = 0 THEN '{leave,sick}'::text[] ELSE '{}' END
    FROM generate_series(1, n) i;
    ANALYZE hrpolicy.policy;
    ANALYZE hrpolicy.rule;
END
$$;

-- The hand-written report a DBA would write without hrpolicy: the rules
-- flattened into a table with numeric percentages, applicable rules found
-- per unit-day, roster rows joined to them and counted with count(*) FILTER.
CREATE OR REPLACE FUNCTION bench.flatten_rules(from_day date, through_day date) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DROP TABLE IF EXISTS bench.dba_rule, bench.dba_fact;
    CREATE TABLE bench.dba_rule AS
    SELECT row_number() OVER () AS id, b.policy, b.rule,
           coalesce(lower(b.in_force), '-infinity') AS first_day,
           coalesce(upper(b.in_force) - CASE WHEN upper_inc(b.in_force) THEN 0 ELSE 1 END, 'infinity') AS last_day,
           b.policy_scope AS scope, b.only_when,
           left(b.only_when, 1) = '!' AS negated, ltrim(b.only_when, '!') AS label,
           substring(b.quota::text FROM '^[<>=]+') AS op,
           CASE WHEN b.quota::text LIKE '%\%' THEN rtrim(substring(b.quota::text FROM '[0-9.]+%'), '%')::numeric END AS pct,
           CASE WHEN b.quota::text NOT LIKE '%\%' THEN substring(b.quota::text FROM '[0-9]+$')::bigint END AS heads,
           b.counts, b.who, b.unless, b.excused
    FROM hrpolicy.rule_book(from_day, through_day) b;
    CREATE TABLE bench.dba_fact AS
    SELECT scope, coalesce(lower(valid), '-infinity') AS first_day,
           coalesce(upper(valid) - CASE WHEN upper_inc(valid) THEN 0 ELSE 1 END, 'infinity') AS last_day, label
    FROM hrpolicy.circumstance;
    ANALYZE bench.dba_rule;
    ANALYZE bench.dba_fact;
END
$$;

CREATE OR REPLACE FUNCTION bench.dba_query(from_day date, through_day date, roster text DEFAULT 'sample.roster') RETURNS text
LANGUAGE sql AS $f$
SELECT format($q$
WITH ud AS (
    SELECT DISTINCT r.unit, r.day FROM %3$s r
    WHERE r.day BETWEEN %1$L AND %2$L AND r.unit IS NOT NULL AND r.status IS NOT NULL
), app AS (
    SELECT ud.unit, ud.day, d.*
    FROM ud JOIN bench.dba_rule d
      ON ud.day BETWEEN d.first_day AND d.last_day AND (d.scope IS NULL OR d.scope @> ud.unit)
    WHERE d.only_when IS NULL
       OR (NOT d.negated AND EXISTS (SELECT FROM bench.dba_fact f WHERE f.label = d.label
                                     AND ud.day BETWEEN f.first_day AND f.last_day AND f.scope @> ud.unit))
       OR (d.negated AND NOT EXISTS (SELECT FROM bench.dba_fact f WHERE f.label = d.label
                                     AND ud.day BETWEEN f.first_day AND f.last_day AND f.scope @> ud.unit))
), counted AS (
    SELECT a.day, a.unit, a.id,
           count(*) FILTER (WHERE r.status = ANY (a.counts) AND coalesce(r.tags, '{}') @> a.who
                            AND NOT coalesce(r.tags, '{}') && a.unless AND r.status <> ALL (a.excused)) AS part,
           count(*) FILTER (WHERE coalesce(r.tags, '{}') @> a.who
                            AND NOT coalesce(r.tags, '{}') && a.unless AND r.status <> ALL (a.excused)) AS total
    FROM app a
    JOIN %3$s r ON r.unit = a.unit AND r.day = a.day AND r.status IS NOT NULL
    GROUP BY a.day, a.unit, a.id
)
SELECT c.day, c.unit, d.policy, d.rule, c.part, c.total,
       CASE d.op
           WHEN '<=' THEN CASE WHEN d.pct IS NOT NULL THEN c.part * 100 <= d.pct * c.total ELSE c.part <= d.heads END
           WHEN '<'  THEN CASE WHEN d.pct IS NOT NULL THEN c.part * 100 < d.pct * c.total OR (c.total = 0 AND c.part = 0) ELSE c.part < d.heads END
           WHEN '>=' THEN CASE WHEN d.pct IS NOT NULL THEN c.part * 100 >= d.pct * c.total ELSE c.part >= d.heads END
           WHEN '>'  THEN CASE WHEN d.pct IS NOT NULL THEN c.part * 100 > d.pct * c.total OR (c.total = 0 AND c.part = 0) ELSE c.part > d.heads END
           ELSE CASE WHEN d.pct IS NOT NULL THEN c.part * 100 = d.pct * c.total ELSE c.part = d.heads END
       END AS ok,
       round(100.0 * c.part / nullif(c.total, 0), 2) AS percent
FROM counted c JOIN bench.dba_rule d ON d.id = c.id
$q$, from_day, through_day, roster::regclass)
$f$;

-- A catalog of n decrees for the rules_in_force scaling test, shaped like a
-- country's: n/20 local governments with 20 decrees each spread over 20
-- years (30 to 90 days long, a third amending the government's previous
-- decree), plus 50 national decrees; so that a lookup finds about as many
-- rules whatever n, and only the size of what must be searched grows.
CREATE OR REPLACE FUNCTION bench.make_catalog(n int) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    governments int := greatest(n / 20, 1);
BEGIN
    DELETE FROM hrpolicy.circumstance;
    DELETE FROM hrpolicy.policy;
    INSERT INTO hrpolicy.policy (code, valid, scope, amends)
    SELECT 'D' || i,
           hrpolicy.validity(date '2005-01-01' + (hashint4(i) & 8191) % 7300,
                             date '2005-01-01' + (hashint4(i) & 8191) % 7300 + 30 + (hashint4(-i) & 63), '[]'),
           ('g' || i % governments)::ltree,
           CASE WHEN i % 3 = 0 AND i > governments THEN ARRAY['D' || (i - governments)] ELSE '{}' END
    FROM generate_series(1, n) i;
    INSERT INTO hrpolicy.policy (code, valid, scope)
    SELECT 'N' || i, hrpolicy.validity(date '2005-01-01' + i * 146, date '2005-01-01' + i * 146 + 145, '[]'), NULL
    FROM generate_series(0, 49) i;
    INSERT INTO hrpolicy.rule (policy, name, quota)
    SELECT code, 'wfo-cap', '<=50%' FROM hrpolicy.policy;
    INSERT INTO hrpolicy.rule (policy, name, quota, who, only_when)
    SELECT code, 'structural-in', 'all', '{structural}', 'zone:high' FROM hrpolicy.policy WHERE code LIKE '%0';
    INSERT INTO hrpolicy.circumstance (scope, valid, label)
    SELECT ('g' || g)::ltree, '[2015-01-01,2016-12-31]', 'zone:high' FROM generate_series(0, governments - 1, 7) g;
    CREATE TABLE IF NOT EXISTS bench.catalog_shape (governments int);
    DELETE FROM bench.catalog_shape;
    INSERT INTO bench.catalog_shape VALUES (governments);
    ANALYZE hrpolicy.policy;
    ANALYZE hrpolicy.rule;
    ANALYZE hrpolicy.circumstance;
END
$$;

-- Average milliseconds of one rules_in_force lookup over many (day, unit)
-- pairs, each planned for its own day and unit (EXECUTE), as an
-- application sending plain statements would make them.  (A generic plan
-- of a prepared statement is slower: the windows are not known when it is
-- made, so it cannot pick the window index as well.)
CREATE OR REPLACE FUNCTION bench.lookup_ms(lookups int) RETURNS numeric
LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    i int;
    found bigint := 0;
    n bigint;
    d date;
    u ltree;
    governments int := (SELECT c.governments FROM bench.catalog_shape c);
BEGIN
    t0 := clock_timestamp();
    FOR i IN 1 .. lookups LOOP
        d := date '2005-02-01' + (hashint4(i * 13) & 8191) % 7200;
        u := ('g' || (hashint4(i * 17) & 1048575) % governments || '.u' || i % 20)::ltree;
        EXECUTE 'SELECT count(*) FROM hrpolicy.rules_in_force($1, $2)' INTO n USING d, u;
        found := found + n;
    END LOOP;
    IF found = 0 THEN
        RAISE EXCEPTION 'no lookup found a rule: the catalog does not exercise resolution';
    END IF;
    RETURN (extract(epoch FROM clock_timestamp() - t0) * 1000 / lookups)::numeric(10, 3);
END
$$;

-- Person-week rules beside the seed catalog, in force over the period:
-- PermenPANRB 4/2025's (at most 2 days away a week) and a minimum of 3
-- office days, as if they had applied in 2020.
CREATE OR REPLACE FUNCTION bench.person_catalog(from_day date, through_day date)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM hrpolicy.policy WHERE code = 'BENCH-FWA';
    INSERT INTO hrpolicy.policy (code, valid) VALUES ('BENCH-FWA', hrpolicy.validity(from_day, through_day, '[]'));
    INSERT INTO hrpolicy.rule (policy, name, quota, counts, who, excused, per) VALUES
        ('BENCH-FWA', 'fwa-location', '<=2', '{home}', '{asn}', '{leave,sick,duty}', 'person-week'),
        ('BENCH-FWA', 'office-days', '>=3', '{office}', '{asn}', '{leave,sick,duty}', 'person-week');
    ANALYZE hrpolicy.policy;
    ANALYZE hrpolicy.rule;
END
$$;
