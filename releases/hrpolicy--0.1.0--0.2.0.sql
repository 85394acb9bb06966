-- hrpolicy 0.1.0 -> 0.2.0 as released; frozen: do not edit
\echo Use "ALTER EXTENSION hrpolicy UPDATE" to load this file. \quit

-- upgrade/0.1.0--0.2.0.sql
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

-- src/roster.sql
-- Binding the user's attendance data: the roster.
--
-- DBAs describe their own tables with a view (or table) having the columns
-- unit ltree, day date, person text, status text, tags text[], and name it
-- once with use_roster().  The choice is kept by name (schema-qualified and
-- quoted) in a config table, so that it survives reconnects, pg_dump and
-- pg_upgrade (which refuses reg* columns in user tables).

CREATE TABLE hrpolicy.roster_source (
    singleton boolean PRIMARY KEY DEFAULT true,
    relation text NOT NULL,
    chosen_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    chosen_by name NOT NULL DEFAULT CURRENT_USER,
    CONSTRAINT roster_source_one_row CHECK (singleton)
);
COMMENT ON TABLE hrpolicy.roster_source IS
    'the relation the reports read as the roster, as set by hrpolicy.use_roster()';
SELECT pg_catalog.pg_extension_config_dump('hrpolicy.roster_source', '');

-- Check that a relation has the roster's columns; raise a clear error
-- naming the first missing or mistyped one.
CREATE FUNCTION hrpolicy.check_roster(relation regclass) RETURNS regclass
LANGUAGE plpgsql STABLE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    kind "char";
    wanted record;
    found_type oid;
BEGIN
    SELECT c.relkind INTO kind FROM pg_class c WHERE c.oid = relation;
    IF kind IS NULL THEN
        RAISE EXCEPTION 'relation with OID % does not exist', relation::oid
            USING ERRCODE = 'undefined_table';
    END IF;
    IF kind NOT IN ('r', 'v', 'm', 'p', 'f') THEN
        RAISE EXCEPTION '"%" cannot be a roster', relation
            USING ERRCODE = 'wrong_object_type',
                  DETAIL = 'A roster is a table, view, materialized view or foreign table.';
    END IF;
    FOR wanted IN
        SELECT w.name, w.typ
        FROM (VALUES (1, 'unit', (SELECT a.atttypid FROM pg_attribute a
                                  WHERE a.attrelid = 'hrpolicy.policy'::regclass
                                    AND a.attname = 'scope')),
                     (2, 'day', 'date'::regtype::oid),
                     (3, 'person', 'text'::regtype::oid),
                     (4, 'status', 'text'::regtype::oid),
                     (5, 'tags', 'text[]'::regtype::oid)) AS w (n, name, typ)
        ORDER BY w.n
    LOOP
        SELECT a.atttypid INTO found_type
        FROM pg_attribute a
        WHERE a.attrelid = relation AND a.attname = wanted.name
          AND a.attnum > 0 AND NOT a.attisdropped;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'roster "%" has no column "%"', relation, wanted.name
                USING ERRCODE = 'undefined_column',
                      DETAIL = 'A roster has the columns unit ltree, day date, person text, status text, tags text[].',
                      HINT = 'Write a view over your attendance tables with these columns, then call hrpolicy.use_roster() on it.';
        END IF;
        IF found_type <> wanted.typ THEN
            RAISE EXCEPTION 'column "%" of roster "%" has type %, not %', wanted.name, relation,
                            format_type(found_type, NULL), format_type(wanted.typ, NULL)
                USING ERRCODE = 'datatype_mismatch',
                      DETAIL = 'A roster has the columns unit ltree, day date, person text, status text, tags text[].',
                      HINT = format('Cast it in your view, e.g. %s::%s AS %s.', wanted.name,
                                    format_type(wanted.typ, NULL), wanted.name);
        END IF;
    END LOOP;
    RETURN relation;
END
$$;
COMMENT ON FUNCTION hrpolicy.check_roster(regclass) IS
    'raises an error naming the first missing or mistyped roster column; returns the relation when it can be a roster';

CREATE FUNCTION hrpolicy.use_roster(relation regclass) RETURNS regclass
LANGUAGE plpgsql VOLATILE STRICT
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    qualified text;
BEGIN
    PERFORM hrpolicy.check_roster(relation);
    SELECT format('%I.%I', n.nspname, c.relname) INTO qualified
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.oid = relation;
    INSERT INTO hrpolicy.roster_source AS s (relation) VALUES (qualified)
    ON CONFLICT (singleton) DO UPDATE
        SET relation = excluded.relation, chosen_at = excluded.chosen_at, chosen_by = excluded.chosen_by;
    RETURN relation;
END
$$;
COMMENT ON FUNCTION hrpolicy.use_roster(regclass) IS
    'checks that the relation has the roster columns (unit ltree, day date, person text, status text, tags text[]) and makes it the roster the reports read';

-- The roster relation in use, checked again (it may have been dropped,
-- renamed or redefined since use_roster()).
CREATE FUNCTION hrpolicy.roster() RETURNS regclass
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    name text;
    relation regclass;
BEGIN
    SELECT s.relation INTO name FROM hrpolicy.roster_source s;
    IF name IS NULL THEN
        RAISE EXCEPTION 'no roster has been chosen'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Call hrpolicy.use_roster(''your_schema.your_roster_view'') first.';
    END IF;
    relation := to_regclass(name);
    IF relation IS NULL THEN
        RAISE EXCEPTION 'roster relation "%" does not exist', name
            USING ERRCODE = 'undefined_table',
                  DETAIL = 'It was chosen with hrpolicy.use_roster() and has since been dropped or renamed.',
                  HINT = 'Call hrpolicy.use_roster() again with the relation that now holds the roster.';
    END IF;
    RETURN hrpolicy.check_roster(relation);
END
$$;
COMMENT ON FUNCTION hrpolicy.roster() IS
    'the relation chosen with use_roster(), checked to still exist and have the roster columns';

-- src/reports.sql
-- Compliance reports over the roster.
--
-- compliance() makes one pass over the roster rows of the period, grouped
-- by unit and day as the plainest count(*) would be, and tallies every rule
-- of the period's rule book at once with the tally_each() aggregate (C);
-- the rules that apply to each unit-day (window, scope, circumstances) are
-- then picked from those tallies.  conflicts() adds, for each cap and
-- minimum that could conflict, the filter of both at once: the minimum's
-- rows all lie in the cap's base when that filter's total equals the
-- minimum's.  The roster relation is the user's, so the queries are built
-- with format() around its quoted, schema-qualified name and run with
-- EXECUTE; the period and scope travel as parameters, so the planner sees
-- them and can use an index on the user's day column.

-- A rule as a filter on roster rows, for tally_each().
CREATE TYPE hrpolicy.rule_filter AS (counts text[], who text[], unless text[], excused text[]);
COMMENT ON TYPE hrpolicy.rule_filter IS
    'a rule as a filter on roster rows: the base holds rows with every tag of who, none of unless, and a status not in excused; the part, those whose status is in counts';

CREATE FUNCTION hrpolicy.tally_each_accum(hrpolicy.tally[], text, text[], hrpolicy.rule_filter[])
RETURNS hrpolicy.tally[]
AS 'MODULE_PATHNAME', 'tally_each_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hrpolicy.tally_each_combine(hrpolicy.tally[], hrpolicy.tally[])
RETURNS hrpolicy.tally[]
AS 'MODULE_PATHNAME', 'tally_each_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE hrpolicy.tally_each(status text, tags text[], filters hrpolicy.rule_filter[]) (
    SFUNC = hrpolicy.tally_each_accum,
    STYPE = hrpolicy.tally[],
    COMBINEFUNC = hrpolicy.tally_each_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE hrpolicy.tally_each(text, text[], hrpolicy.rule_filter[]) IS
    'one tally per filter over the same rows: element k counts the rows in filter k''s base and part; rows with a NULL status count nowhere';

CREATE FUNCTION hrpolicy.check_period(from_day date, through_day date) RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL UNSAFE
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

-- The report functions change search_path (a SET clause, set_config),
-- which PostgreSQL forbids during a parallel operation: they are PARALLEL
-- UNSAFE, so a query calling them runs in one process, while the report
-- query they run inside is planned on its own and may use parallel workers.

-- Report queries run with pg_catalog first, then the schema of ltree (for
-- its = and hash on unit paths), whatever the caller's search_path.
-- No SET clause of its own (that would undo the change on return); every
-- name in it is qualified.
CREATE FUNCTION hrpolicy.pin_report_search_path() RETURNS void
LANGUAGE sql VOLATILE PARALLEL UNSAFE
BEGIN ATOMIC
    SELECT pg_catalog.set_config('search_path',
               pg_catalog.format('pg_catalog, %I, pg_temp', n.nspname), true)
    FROM pg_catalog.pg_extension e
    JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) e.extnamespace
    WHERE e.extname OPERATOR(pg_catalog.=) 'ltree';
END;
COMMENT ON FUNCTION hrpolicy.pin_report_search_path() IS
    'internal: sets the search_path of the calling report function (its SET clause restores it on return)';

-- The report query.  %1$s is the roster relation; $1, $2, $3 are from,
-- through and scope; %2$s is the final SELECT over the CTEs:
--   book      the period's rule book, numbered k = 1..K
--   pairs     for conflicts(): each cap c and minimum m of the book that
--             could conflict (c counts every status m counts), numbered
--             K+1..; its filter is the conjunction of both rules' filters,
--             so that its total counts the rows in both bases
--   counted   one row per unit-day of the roster: tally_each() over the
--             filters of the book and the pairs
--   tallied   one row per unit-day and rule that applies there
-- Unit paths travel as text where they are grouped or joined, because
-- ltree has no hash support.
CREATE FUNCTION hrpolicy.report_query(roster regclass, with_pairs boolean, final_select text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN pg_catalog.format($q$
WITH book AS MATERIALIZED (
    SELECT pg_catalog.row_number() OVER () AS k, b.*
    FROM hrpolicy.rule_book($1, $2, $3) b
), pairs AS MATERIALIZED (
    SELECT (SELECT pg_catalog.count(*) FROM book) OPERATOR(pg_catalog.+)
               pg_catalog.row_number() OVER (ORDER BY c.k, m.k) AS k,
           c.k AS cap_k, m.k AS min_k,
           ROW(m.counts,
               ARRAY(SELECT pg_catalog.unnest(c.who) UNION SELECT pg_catalog.unnest(m.who)),
               ARRAY(SELECT pg_catalog.unnest(c.unless) UNION SELECT pg_catalog.unnest(m.unless)),
               ARRAY(SELECT pg_catalog.unnest(c.excused) UNION SELECT pg_catalog.unnest(m.excused))
              )::hrpolicy.rule_filter AS filter
    FROM book c
    JOIN book m ON m.k <> c.k AND NOT hrpolicy.is_cap(m.quota)
    WHERE %2$L AND hrpolicy.is_cap(c.quota) AND c.counts @> m.counts
      AND c.in_force && m.in_force
), counted AS MATERIALIZED (
    SELECT r.unit::text AS unit_key, r.day,
           hrpolicy.tally_each(r.status, r.tags,
               (SELECT pg_catalog.array_agg(f.filter ORDER BY f.k)
                FROM (SELECT b.k, ROW(b.counts, b.who, b.unless, b.excused)::hrpolicy.rule_filter AS filter
                      FROM book b
                      UNION ALL
                      SELECT p.k, p.filter FROM pairs p) f)) AS tallies
    FROM %1$s r
    WHERE r.day >= $1 AND r.day <= $2
      AND r.unit IS NOT NULL AND r.status IS NOT NULL
      AND ($3 IS NULL OR hrpolicy.scope_covers($3, r.unit))
    GROUP BY r.unit::text, r.day
), unit_days AS MATERIALIZED (
    SELECT c.unit_key, c.unit_key::ltree AS unit, c.day, c.tallies FROM counted c
), facts AS (
    SELECT u.unit_key, u.day, pg_catalog.array_agg(DISTINCT ci.label) AS labels
    FROM unit_days u
    JOIN hrpolicy.circumstance ci ON ci.valid @> u.day AND ci.scope @> u.unit
    GROUP BY u.unit_key, u.day
), tallied AS (
    SELECT u.unit_key, u.unit, u.day, b.k, u.tallies[b.k] AS tally
    FROM unit_days u
    LEFT JOIN facts f ON f.unit_key = u.unit_key AND f.day = u.day
    JOIN book b ON b.in_force @> u.day AND hrpolicy.scope_covers(b.policy_scope, u.unit)
    WHERE b.only_when IS NULL
       OR CASE WHEN pg_catalog.left(b.only_when, 1) = '!'
               THEN NOT COALESCE(f.labels, '{}') @> ARRAY[pg_catalog.substr(b.only_when, 2)]
               ELSE COALESCE(f.labels, '{}') @> ARRAY[b.only_when] END
)
%3$s$q$, roster, with_pairs, final_select);
COMMENT ON FUNCTION hrpolicy.report_query(regclass, boolean, text) IS
    'internal: the text of a report query over the roster relation';

CREATE FUNCTION hrpolicy.compliance(from_day date, through_day date, scope ltree DEFAULT NULL)
RETURNS TABLE (day date, unit ltree, policy text, rule text, tally hrpolicy.tally,
               quota hrpolicy.quota, allowed bigint, ok boolean, headroom bigint,
               explanation text, defined_by text, only_when text)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM hrpolicy.check_period(from_day, through_day);
    PERFORM hrpolicy.pin_report_search_path();
    RETURN QUERY EXECUTE hrpolicy.report_query(hrpolicy.roster(), false, $q$
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
LANGUAGE sql STABLE PARALLEL UNSAFE
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
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM hrpolicy.check_period(from_day, through_day);
    PERFORM hrpolicy.pin_report_search_path();
    -- A minimum M and a cap C on the same unit-day cannot both be kept when
    -- M requires more heads than C allows, C counts every status M counts,
    -- and every roster row in M's base is in C's base.
    RETURN QUERY EXECUTE hrpolicy.report_query(hrpolicy.roster(), true, $q$
SELECT x.day, x.unit, x.cap_policy, x.cap_rule, x.min_policy, x.min_rule, x.allowed, x.required
FROM (SELECT a.unit, a.day, cb.policy AS cap_policy, cb.rule AS cap_rule,
             mb.policy AS min_policy, mb.rule AS min_rule,
             hrpolicy.quota_limit(cb.quota, hrpolicy.total(u.tallies[p.cap_k])) AS allowed,
             hrpolicy.quota_limit(mb.quota, hrpolicy.total(u.tallies[p.min_k])) AS required,
             -- every row in the minimum's base is in the cap's base too
             hrpolicy.total(u.tallies[p.k])
                 = hrpolicy.total(u.tallies[p.min_k]) AS covered
      FROM (SELECT t.unit_key, t.unit, t.day, pg_catalog.array_agg(t.k) AS ks
            FROM tallied t GROUP BY t.unit_key, t.unit, t.day) a
      JOIN unit_days u ON u.unit_key = a.unit_key AND u.day = a.day
      JOIN pairs p ON p.cap_k = ANY (a.ks) AND p.min_k = ANY (a.ks)
      JOIN book cb ON cb.k = p.cap_k
      JOIN book mb ON mb.k = p.min_k) x
WHERE x.covered AND x.required > x.allowed$q$)
    USING from_day, through_day, scope;
END
$$;
COMMENT ON FUNCTION hrpolicy.conflicts(date, date, ltree) IS
    'unit-days where a minimum rule requires more heads in office than a cap rule allows, while every roster row the minimum covers is covered by the cap: such decrees cannot both be kept';

-- src/enforce.sql
-- Enforcement: refuse commits that leave a cap broken.
--
-- enforce(tbl, day_column) puts three deferred constraint triggers on the
-- user's attendance table (insert, update, delete).  Their WHEN clause,
-- enforce_touch() in C, records the row's day and is true only when the
-- day is not already pending a check, so a bulk load queues one check per
-- day.  At commit (or SET CONSTRAINTS ... IMMEDIATE) the check
-- locks every pending day of the table (transaction advisory locks, in day
-- order, so that concurrent writers queue behind each other and never
-- deadlock on each other's days), then reads compliance() for each day:
-- under READ COMMITTED that statement's snapshot is taken after the locks,
-- so it sees what a concurrent writer of the same day committed; under
-- SERIALIZABLE the predicate locks of that read make SSI refuse one of two
-- writers that each took the last place.  REPEATABLE READ is refused.

CREATE FUNCTION hrpolicy.enforce_touch(relation oid, day date, other_day date DEFAULT NULL)
RETURNS boolean
AS 'MODULE_PATHNAME', 'enforce_touch' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION hrpolicy.enforce_touch(oid, date, date) IS
    'internal: records the days an enforced row touches; true when a day becomes pending a check';

CREATE FUNCTION hrpolicy.enforce_pending_days(relation oid) RETURNS date[]
AS 'MODULE_PATHNAME', 'enforce_pending_days' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION hrpolicy.enforce_pending_days(oid) IS
    'internal: the days of the table touched and not yet checked, sorted; they become checked';

-- The advisory lock of a day of an enforced table: the two-key form, the
-- table's OID shifted into int4 and the day's number since 2000-01-01.
CREATE FUNCTION hrpolicy.enforce_lock_keys(relation oid, day date, OUT table_key integer, OUT day_key integer)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT (relation::bigint OPERATOR(pg_catalog.-) 2147483648)::integer,
           day OPERATOR(pg_catalog.-) '2000-01-01'::date;
END;
COMMENT ON FUNCTION hrpolicy.enforce_lock_keys(oid, date) IS
    'the keys of pg_advisory_xact_lock(int, int) that enforcement takes for a day of a table';

CREATE FUNCTION hrpolicy.enforce_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    days date[];
    d date;
    run record;
    breach record;
BEGIN
    days := hrpolicy.enforce_pending_days(TG_RELID);
    IF cardinality(days) = 0 THEN
        RETURN NULL;            -- an earlier event of this commit checked them
    END IF;
    FOREACH d IN ARRAY days LOOP
        PERFORM pg_advisory_xact_lock(k.table_key, k.day_key)
        FROM hrpolicy.enforce_lock_keys(TG_RELID, d) k;
    END LOOP;
    -- One report per run of nearby days (a bulk load touches many days in
    -- a row), keeping only the days touched.
    FOR run IN
        SELECT min(x.d) AS first_day, max(x.d) AS last_day, array_agg(x.d) AS touched
        FROM (SELECT t.d, sum(t.gap) OVER (ORDER BY t.d) AS island
              FROM (SELECT u.d, CASE WHEN u.d - lag(u.d) OVER (ORDER BY u.d) > 7 THEN 1 ELSE 0 END AS gap
                    FROM unnest(days) AS u (d)) t) x
        GROUP BY x.island
        ORDER BY 1
    LOOP
        SELECT c.* INTO breach
        FROM hrpolicy.compliance(run.first_day, run.last_day) c
        WHERE c.day = ANY (run.touched) AND NOT c.ok AND hrpolicy.is_cap(c.quota)
        ORDER BY c.day, c.headroom, c.unit, c.policy, c.rule
        LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION '% of % in % at % on %',
                    hrpolicy.part(breach.tally), hrpolicy.total(breach.tally),
                    array_to_string((SELECT r.counts FROM hrpolicy.rule r
                                     WHERE r.policy = breach.defined_by AND r.name = breach.rule
                                       AND r.only_when IS NOT DISTINCT FROM breach.only_when), ' or '),
                    breach.unit, breach.day
                USING ERRCODE = 'check_violation',
                      TABLE = TG_TABLE_NAME, SCHEMA = TG_TABLE_SCHEMA,
                      DETAIL = format('Decree %s, rule %s (%s%s): at most %s of %s allowed.',
                                      breach.policy, breach.rule, breach.quota,
                                      CASE WHEN breach.defined_by <> breach.policy
                                           THEN ', from ' || breach.defined_by ELSE '' END,
                                      breach.allowed, hrpolicy.total(breach.tally)),
                      HINT = 'Nothing of this transaction was saved. Record at most the allowed number for that unit and day, or amend the decree in hrpolicy.rule.';
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION hrpolicy.enforce_check() IS
    'internal: the deferred check of enforce(): every cap rule on every pending day of the table holds for every unit of the roster';

CREATE FUNCTION hrpolicy.enforce(tbl regclass, day_column name) RETURNS void
LANGUAGE plpgsql STRICT
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    kind "char";
    column_type oid;
    col text := quote_ident(day_column);
    event text;
    touched text;
BEGIN
    SELECT c.relkind INTO kind FROM pg_class c WHERE c.oid = tbl;
    IF kind IS NULL OR kind NOT IN ('r', 'p') THEN
        RAISE EXCEPTION 'cannot enforce caps on "%"', tbl
            USING ERRCODE = 'wrong_object_type',
                  DETAIL = 'enforce() puts triggers on the table that holds attendance rows, not on a view.',
                  HINT = 'Name the base table under your roster view.';
    END IF;
    SELECT a.atttypid INTO column_type
    FROM pg_attribute a
    WHERE a.attrelid = tbl AND a.attname = day_column AND a.attnum > 0 AND NOT a.attisdropped;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'table "%" has no column "%"', tbl, day_column
            USING ERRCODE = 'undefined_column';
    END IF;
    IF column_type <> 'date'::regtype THEN
        RAISE EXCEPTION 'column "%" of table "%" has type %, not date', day_column, tbl,
                        format_type(column_type, NULL)
            USING ERRCODE = 'datatype_mismatch',
                  DETAIL = 'Enforcement checks the days rows are written for.';
    END IF;
    PERFORM hrpolicy.roster();   -- a roster must be chosen: the check reads it

    -- Enforcing again replaces the triggers (the day column may change).
    PERFORM hrpolicy.unenforce(tbl);
    FOR event, touched IN VALUES
        ('insert', format('NEW.%s', col)),
        ('update', format('OLD.%s, NEW.%s', col, col)),
        ('delete', format('OLD.%s', col))
    LOOP
        EXECUTE format('CREATE CONSTRAINT TRIGGER %I AFTER %s ON %s'
                       ' DEFERRABLE INITIALLY DEFERRED FOR EACH ROW'
                       ' WHEN (hrpolicy.enforce_touch(%L::regclass, %s))'
                       ' EXECUTE FUNCTION hrpolicy.enforce_check()',
                       'hrpolicy_enforce_' || event, upper(event), tbl, tbl, touched);
    END LOOP;
END
$$;
COMMENT ON FUNCTION hrpolicy.enforce(regclass, name) IS
    'refuse commits that leave a cap rule broken on a day they touched in this attendance table (deferred constraint triggers)';

CREATE FUNCTION hrpolicy.unenforce(tbl regclass) RETURNS void
LANGUAGE plpgsql STRICT
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    trigger_name name;
BEGIN
    FOR trigger_name IN
        SELECT t.tgname FROM pg_trigger t
        WHERE t.tgrelid = tbl AND t.tgfoid = 'hrpolicy.enforce_check()'::regprocedure
        ORDER BY t.tgname
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %s', trigger_name, tbl);
    END LOOP;
END
$$;
COMMENT ON FUNCTION hrpolicy.unenforce(regclass) IS
    'removes the triggers enforce() put on the table';

-- Which tables are enforced, on which column.
CREATE VIEW hrpolicy.enforcement AS
SELECT t.tgrelid::regclass AS tbl,
       pg_catalog.substring(pg_catalog.pg_get_triggerdef(t.oid), '(?i)new\.(.+?)\)\) EXECUTE') AS day_column
FROM pg_catalog.pg_trigger t
WHERE t.tgfoid OPERATOR(pg_catalog.=) 'hrpolicy.enforce_check()'::pg_catalog.regprocedure
  AND t.tgname OPERATOR(pg_catalog.=) 'hrpolicy_enforce_insert';
COMMENT ON VIEW hrpolicy.enforcement IS 'the tables enforce() watches, with their day column';

-- src/grants.sql
-- hrpolicy is a trusted extension: a database owner who is not a superuser
-- may create it.  Its objects are then owned by the bootstrap superuser,
-- so the role that created it gets every right on the catalog, with the
-- right to grant them on (see the README for a reader and a writer role).
-- Other roles get nothing on the tables; functions stay executable by all,
-- as they read only what the caller may read.
GRANT USAGE ON SCHEMA hrpolicy TO @extowner@ WITH GRANT OPTION;
GRANT ALL ON TABLE hrpolicy.policy, hrpolicy.rule, hrpolicy.circumstance,
                   hrpolicy.roster_source
    TO @extowner@ WITH GRANT OPTION;
GRANT SELECT ON TABLE hrpolicy.enforcement TO @extowner@ WITH GRANT OPTION;
