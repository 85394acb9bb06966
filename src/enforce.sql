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
