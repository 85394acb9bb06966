-- Enforcement: refuse commits that newly break a cap.
--
-- enforce(tbl, day_column, from_day) puts a deferred constraint trigger on
-- the user's table (one per write event when it has a day column).  Its
-- WHEN clause (C, enforce.c) records the roster days the row touches and
-- queues one check per transaction; the check (a C trigger function) locks
-- the touched days of the roster, reads their cap breaches and the persons
-- counted twice on them in one pass over the roster (the query of
-- compliance(), which also hashes each unit-day's persons), and refuses a
-- new or worse breach, or a person counted twice on a day.  On a
-- partitioned table the row triggers are cloned to every partition,
-- present and future; TRUNCATE, which writes no rows, is refused on the
-- table and on each partition.  A table without a day column (staff,
-- units: the tables a roster view joins to attendance) touches every
-- roster day from from_day on (from today when NULL).

CREATE FUNCTION hrpolicy.note_touched_days(from_day date, day date, other_day date DEFAULT NULL)
RETURNS boolean
AS 'MODULE_PATHNAME', 'note_touched_days' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION hrpolicy.note_touched_days(date, date, date) IS
    'internal: the WHEN clause of enforce()''s triggers; records the days a row touches (from from_day on) and says whether a check must be queued';

CREATE FUNCTION hrpolicy.note_touched_days_from(from_day date) RETURNS boolean
AS 'MODULE_PATHNAME', 'note_touched_days_from' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION hrpolicy.note_touched_days_from(date) IS
    'internal: the WHEN clause of enforce()''s trigger on a table without a day column; records every roster day from from_day (or today) on';

CREATE FUNCTION hrpolicy.enforce_check() RETURNS trigger
AS 'MODULE_PATHNAME', 'enforce_check' LANGUAGE C;
COMMENT ON FUNCTION hrpolicy.enforce_check() IS
    'internal: the deferred check of enforce(): locks the touched days of the roster and refuses a new or worse cap breach, or a person counted twice on a day';

CREATE FUNCTION hrpolicy.enforce_refuse_truncate() RETURNS trigger
AS 'MODULE_PATHNAME', 'enforce_refuse_truncate' LANGUAGE C;
COMMENT ON FUNCTION hrpolicy.enforce_refuse_truncate() IS
    'internal: refuses TRUNCATE of an enforced table or of one of its partitions';

-- The check's one pass over the roster (report_query(), kind enforce): the
-- cap breaches of a period (of the given days only, unless NULL), with what
-- the check's message needs, ordered as the check refuses them; then, when
-- a person has more than one row on one of those days, a last row whose
-- repeats are the person_day_hash()es that occur twice (its other columns
-- NULL; hrpolicy.person_day_rows() finds the rows behind them).  With
-- breaches_only false, every cap's row, broken or not: the check reads the
-- counts of the state without its transaction so.  STABLE: the check reads
-- it in the snapshots it chooses.
CREATE FUNCTION hrpolicy.enforcement_findings(from_day date, through_day date, days date[],
                                              breaches_only boolean DEFAULT true)
RETURNS TABLE (unit text, day date, policy text, rule text, defined_by text, only_when text,
               part bigint, total bigint, allowed bigint, headroom bigint, quota text,
               counts text, repeats bigint[])
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
SET jit = off AS $$
DECLARE
    roster regclass;
    book hrpolicy.report_entry[];
    -- the whole roster: a NULL scope, of ltree's type, which the search
    -- path of this body does not name
    scope hrpolicy.policy.scope%TYPE;
    sqlstate_ text;
    message_ text;
    detail_ text;
    hint_ text;
BEGIN
    PERFORM hrpolicy.check_period(from_day, through_day);
    IF breaches_only IS NULL THEN
        RAISE EXCEPTION USING MESSAGE = hrpolicy.gettext('hrpolicy.enforcement_findings() needs breaches_only to be true or false'),
                  ERRCODE = 'null_value_not_allowed';
    END IF;
    roster := hrpolicy.roster();
    book := ARRAY(SELECT e FROM hrpolicy.report_book(from_day, through_day, scope, 'enforce') e);
    RETURN QUERY EXECUTE hrpolicy.report_query(roster, 'enforce', $q$
SELECT t.unit_key, t.day, t.policy, t.rule, t.defined_by, t.only_when,
       hrpolicy.part(t.tally), hrpolicy.total(t.tally),
       hrpolicy.quota_limit(t.quota, hrpolicy.total(t.tally)),
       hrpolicy.headroom(t.tally, t.quota), t.quota::pg_catalog.text,
       -- the statuses counted, in words as explanation() writes them
       -- (a status the catalogue knows, by its context "status")
       (SELECT pg_catalog.string_agg(CASE WHEN w.said OPERATOR(pg_catalog.=) w.key THEN w.status ELSE w.said END,
                                     hrpolicy.gettext(' or ') ORDER BY w.n)
        FROM hrpolicy.rule r,
             LATERAL (SELECT x.status, x.n, E'status\004' OPERATOR(pg_catalog.||) x.status AS key,
                             hrpolicy.gettext(E'status\004' OPERATOR(pg_catalog.||) x.status) AS said
                      FROM pg_catalog.unnest(r.counts) WITH ORDINALITY x (status, n)) w
        WHERE r.policy OPERATOR(pg_catalog.=) t.defined_by
          AND r.name OPERATOR(pg_catalog.=) t.rule
          AND COALESCE(r.only_when, '') OPERATOR(pg_catalog.=) COALESCE(t.only_when, '')),
       NULL::pg_catalog.int8[]
FROM tallied t
WHERE hrpolicy.is_cap(t.quota) AND (NOT $7 OR NOT t.tally OPERATOR(hrpolicy.<@) t.quota)
  AND ($6 IS NULL OR t.day OPERATOR(pg_catalog.=) ANY ($6))
UNION ALL
SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, x.repeats
FROM (SELECT hrpolicy.person_day_repeats(c.persons) AS repeats
      FROM counted c
      WHERE $6 IS NULL OR c.day OPERATOR(pg_catalog.=) ANY ($6)) x
WHERE pg_catalog.cardinality(x.repeats) OPERATOR(pg_catalog.>) 0
-- the breaches by day, the worst first; the repeats last (no day)
ORDER BY 2, 10, 1, 3, 4$q$)
    USING from_day, through_day, scope, book, hrpolicy.book_filters(book), days, breaches_only;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS sqlstate_ = RETURNED_SQLSTATE, message_ = MESSAGE_TEXT,
                            detail_ = PG_EXCEPTION_DETAIL, hint_ = PG_EXCEPTION_HINT;
    IF roster IS NULL THEN
        RAISE;                  -- the period or the roster's own check
    END IF;
    PERFORM hrpolicy.raise_from_report('enforce', roster, sqlstate_, message_, detail_, hint_);
END
$$;
COMMENT ON FUNCTION hrpolicy.enforcement_findings(date, date, date[], boolean) IS
    'internal: the cap rules broken in the period (on the given days, unless NULL; every cap''s row unless breaches_only), as enforcement reads them, and the hashes of the persons counted twice on those days, in one pass over the roster';

-- The person-period cap breaches of the weeks and months that hold a day
-- of the period (one of the given days, unless NULL), with what the
-- check's message needs (every cap's row, broken or not, unless
-- breaches_only).  day is the period's first day.
CREATE FUNCTION hrpolicy.person_cap_breaches(from_day date, through_day date, days date[],
                                             breaches_only boolean DEFAULT true)
RETURNS TABLE (person text, day date, policy text, rule text, defined_by text, only_when text,
               part bigint, total bigint, allowed bigint, headroom bigint, quota text,
               explanation text, unit text)
LANGUAGE sql STABLE PARALLEL UNSAFE
BEGIN ATOMIC
    SELECT v.person, pg_catalog.lower(v.period), v.policy, v.rule, v.defined_by, v.only_when,
           hrpolicy.part(v.tally), hrpolicy.total(v.tally), v.allowed, v.headroom, v.quota::text,
           v.explanation, v.unit::text
    FROM hrpolicy.person_compliance(from_day, through_day) v
    WHERE hrpolicy.is_cap(v.quota)
      -- NULL reads as true: the breaches
      AND NOT (v.ok AND coalesce(breaches_only, true))
      AND (days IS NULL
           OR EXISTS (SELECT FROM pg_catalog.unnest(days) d (day)
                      WHERE v.period OPERATOR(pg_catalog.@>) d.day))
    ORDER BY pg_catalog.lower(v.period), v.headroom, v.person, v.policy, v.rule;
END;
COMMENT ON FUNCTION hrpolicy.person_cap_breaches(date, date, date[], boolean) IS
    'internal: the person-period caps broken in the weeks and months holding a day of the period (one of the given days, unless NULL; every cap''s row unless breaches_only), as enforcement reads them';

-- The days whose checks a write to the given days must wait for: the days
-- themselves, and, while a person-period cap is in the catalog, every day
-- of their weeks (or months): two writers of one person's week serialise.
CREATE FUNCTION hrpolicy.enforcement_lock_days(days date[]) RETURNS date[]
LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT ARRAY(
        SELECT DISTINCT x.day FROM (
            SELECT d.day FROM pg_catalog.unnest(days) d (day)
            UNION ALL
            SELECT w.day::date
            FROM pg_catalog.unnest(days) d (day)
            CROSS JOIN LATERAL (SELECT DISTINCT r.per FROM hrpolicy.rule r
                                WHERE r.per OPERATOR(pg_catalog.<>) 'unit-day'
                                  AND hrpolicy.is_cap(r.quota)) p
            CROSS JOIN LATERAL pg_catalog.generate_series(
                pg_catalog.lower(hrpolicy.person_period(p.per,
                    CASE p.per WHEN 'person-week' THEN hrpolicy.week_start(d.day)
                               ELSE hrpolicy.month_start(d.day) END))::timestamp,
                pg_catalog.upper(hrpolicy.person_period(p.per,
                    CASE p.per WHEN 'person-week' THEN hrpolicy.week_start(d.day)
                               ELSE hrpolicy.month_start(d.day) END))::timestamp,
                '1 day'::pg_catalog.interval) w (day)
            WHERE pg_catalog.isfinite(d.day)) x
        ORDER BY x.day);
END;
COMMENT ON FUNCTION hrpolicy.enforcement_lock_days(date[]) IS
    'internal: the days enforcement locks for a write to the given days: with person-period caps in the catalog, their whole weeks or months';

-- The relations a roster reads: itself, the relations under its views
-- (recursively), and the partitions and inheritance children of its
-- tables; with the role each is read as (a view reads as its owner unless
-- it is security_invoker), whether row-level security applies to that
-- role, and whether and how the relation is enforced.
CREATE FUNCTION hrpolicy.roster_tables(roster regclass DEFAULT NULL)
RETURNS TABLE (relation regclass, kind text, read_as name, row_security boolean,
               enforced boolean, day_column name, from_day date)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF roster IS NULL THEN
        roster := hrpolicy.roster();
    END IF;
    RETURN QUERY
    WITH RECURSIVE reads (relation, read_as, through_parent) AS (
        SELECT roster::oid, current_user::name, false
        UNION
        SELECT x.relation, x.read_as, x.through_parent
        FROM reads r
        JOIN pg_class c ON c.oid = r.relation
        CROSS JOIN LATERAL (
            -- a view reads what its rule depends on, as its owner
            SELECT d.refobjid AS relation,
                   CASE WHEN EXISTS (SELECT FROM pg_options_to_table(c.reloptions) o
                                     WHERE o.option_name = 'security_invoker'
                                       AND o.option_value::boolean)
                        THEN r.read_as
                        ELSE pg_get_userbyid(c.relowner) END AS read_as,
                   false AS through_parent
            FROM pg_rewrite w
            JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = w.oid
                            AND d.refclassid = 'pg_class'::regclass
            WHERE c.relkind = 'v' AND w.ev_class = c.oid AND d.refobjid <> c.oid
            UNION ALL
            -- a table reads its partitions and inheritance children
            SELECT i.inhrelid, r.read_as, true
            FROM pg_inherits i
            WHERE i.inhparent = c.oid
        ) x
    )
    SELECT DISTINCT ON (r.relation)
           r.relation::regclass,
           CASE c.relkind WHEN 'r' THEN CASE WHEN c.relispartition THEN 'partition' ELSE 'table' END
                          WHEN 'p' THEN 'partitioned table' WHEN 'v' THEN 'view'
                          WHEN 'm' THEN 'materialized view' WHEN 'f' THEN 'foreign table'
                          ELSE c.relkind::text END,
           r.read_as,
           c.relrowsecurity AND NOT r.through_parent
               AND NOT EXISTS (SELECT FROM pg_roles a
                               WHERE a.rolname = r.read_as AND (a.rolsuper OR a.rolbypassrls))
               AND (c.relforcerowsecurity OR NOT pg_has_role(r.read_as, c.relowner, 'USAGE')),
           e.tgrelid IS NOT NULL,
           e.day_column,
           e.from_day
    FROM reads r
    JOIN pg_class c ON c.oid = r.relation
    LEFT JOIN LATERAL (
        SELECT t.tgrelid,
               nullif(a.args[1], '')::name AS day_column,
               nullif(a.args[2], '')::date AS from_day
        FROM pg_trigger t
        CROSS JOIN LATERAL (SELECT string_to_array(encode(t.tgargs, 'escape'), '\000') AS args) a
        WHERE t.tgrelid = r.relation AND t.tgfoid = hrpolicy.own_function('enforce_check')
        LIMIT 1
    ) e ON true
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
    ORDER BY r.relation, r.through_parent;
END
$$;
COMMENT ON FUNCTION hrpolicy.roster_tables(regclass) IS
    'the relations the roster reads (through views, partitions and inheritance children), the role each is read as, whether row-level security applies to it, and whether it is enforced';

-- The roster the check reads, refused when the check could not trust it:
-- a materialized view (stale), a relation whose row-level security would
-- hide rows from the role that reads it, or a view calling a volatile
-- function (which would show the transaction's changes to the read of the
-- state before them).
CREATE FUNCTION hrpolicy.enforcement_roster(fired_by regclass DEFAULT NULL) RETURNS regclass
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    chosen regclass := hrpolicy.roster();
    -- what the roster reads, read once for the three questions below
    relations regclass[];
    kinds text[];
    readers name[];
    hidden boolean[];
    problem record;
BEGIN
    SELECT array_agg(t.relation), array_agg(t.kind), array_agg(t.read_as), array_agg(t.row_security)
    INTO relations, kinds, readers, hidden
    FROM hrpolicy.roster_tables(chosen) t;
    SELECT t.relation, t.kind, t.read_as, t.row_security INTO problem
    FROM unnest(relations, kinds, readers, hidden) t (relation, kind, read_as, row_security)
    WHERE t.kind = 'materialized view' OR t.row_security
    ORDER BY t.relation
    LIMIT 1;
    IF FOUND AND problem.kind = 'materialized view' THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('hrpolicy cannot enforce caps on a roster that reads materialized view %s'), problem.relation),
                  ERRCODE = 'wrong_object_type',
                  DETAIL = hrpolicy.gettext('A materialized view holds the rows of its last refresh, so a check would read stale attendance.'),
                  HINT = hrpolicy.gettext('Make the roster a plain view over the attendance tables.');
    ELSIF FOUND THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('row-level security on %s hides rows from the cap check'), problem.relation),
                  ERRCODE = 'insufficient_privilege',
                  DETAIL = pg_catalog.format(hrpolicy.gettext('The check reads it as role %s, to whom its policies apply, so it could miss rows and pass wrongly.'), problem.read_as),
                  HINT = hrpolicy.gettext('Read the table through a view owned by its owner (a view reads as its owner), or give the roles that write it BYPASSRLS.');
    END IF;
    -- A volatile function reads with a snapshot of its own, taken when it
    -- runs: in the check's read of the state before the transaction it
    -- would still see the transaction's changes, and a new breach would
    -- pass as an old one.  (Functions of pg_catalog are pinned: pg_depend
    -- records none of them.)  A view depends on the functions it calls, on
    -- the operators it uses (each runs its function) and on the aggregates
    -- (each runs its support functions).
    WITH uses AS (
        SELECT t.relation, d.refclassid, d.refobjid
        FROM unnest(relations, kinds) t (relation, kind)
        JOIN pg_rewrite w ON w.ev_class = t.relation
        JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = w.oid
        WHERE t.kind = 'view'
    ), runs (relation, function) AS (
        SELECT u.relation, u.refobjid FROM uses u WHERE u.refclassid = 'pg_proc'::regclass
        UNION ALL
        SELECT u.relation, o.oprcode::oid
        FROM uses u JOIN pg_operator o ON o.oid = u.refobjid
        WHERE u.refclassid = 'pg_operator'::regclass
        UNION ALL
        SELECT u.relation, f.function
        FROM uses u
        JOIN pg_aggregate a ON a.aggfnoid = u.refobjid
        CROSS JOIN LATERAL unnest(ARRAY[a.aggtransfn, a.aggfinalfn, a.aggcombinefn,
                                        a.aggserialfn, a.aggdeserialfn, a.aggmtransfn,
                                        a.aggminvtransfn, a.aggmfinalfn]::oid[]) f (function)
        WHERE u.refclassid = 'pg_proc'::regclass
    )
    SELECT p.oid::regprocedure AS function, r.relation INTO problem
    FROM runs r
    JOIN pg_proc p ON p.oid = r.function
    WHERE p.provolatile = 'v'
    ORDER BY r.relation, p.oid
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('hrpolicy cannot enforce caps on a roster that calls volatile function %s'), problem.function),
                  ERRCODE = 'invalid_object_definition',
                  DETAIL = pg_catalog.format(hrpolicy.gettext('View %s calls it. A volatile function reads with a snapshot of its own, so the check could not read the state before the transaction through it, and a new breach could pass as an old one.'), problem.relation),
                  HINT = pg_catalog.format(hrpolicy.gettext('Mark it STABLE if it only reads the database (ALTER FUNCTION %s STABLE), or compute its value in the view.'), problem.function);
    END IF;
    IF fired_by IS NOT NULL
       AND fired_by <> ALL (relations) THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('the cap check was fired by a trigger on %s, which the roster %s does not read'), fired_by, chosen),
                  ERRCODE = 'triggered_action_exception',
                  DETAIL = hrpolicy.gettext('The check of hrpolicy.enforce() runs for writes to the tables under the roster only.');
    END IF;
    RETURN chosen;
END
$$;
COMMENT ON FUNCTION hrpolicy.enforcement_roster(regclass) IS
    'internal: the roster, refused when enforcement could not trust what it reads (a materialized view, rows hidden by row-level security, a view calling a volatile function), or when the table that fired the check is not under it';

-- A table and its partitions, at every level (pg_partition_tree() gives
-- nothing for a table that is neither partitioned nor a partition).
CREATE FUNCTION hrpolicy.partition_tree(tbl regclass)
RETURNS TABLE (relid regclass, level integer)
LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT p.relid, p.level FROM pg_catalog.pg_partition_tree(tbl) p
    UNION
    SELECT tbl, 0;
END;
COMMENT ON FUNCTION hrpolicy.partition_tree(regclass) IS
    'the table and all its partitions, with their level (0: the table itself)';

-- The OID of one of the extension's functions, without name lookup in a
-- schema the caller may not use (the event trigger runs for everyone).
CREATE FUNCTION hrpolicy.own_function(name text) RETURNS oid
LANGUAGE sql STABLE PARALLEL SAFE
RETURN (SELECT p.oid FROM pg_catalog.pg_proc p
        JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) p.pronamespace
        WHERE n.nspname OPERATOR(pg_catalog.=) 'hrpolicy' AND p.proname OPERATOR(pg_catalog.=) name
        LIMIT 1);
COMMENT ON FUNCTION hrpolicy.own_function(text) IS
    'internal: the OID of the extension''s function of that name';

CREATE FUNCTION hrpolicy.unenforce(tbl regclass) RETURNS void
LANGUAGE plpgsql STRICT
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    ancestor regclass;
    t record;
BEGIN
    SELECT a.relid INTO ancestor
    FROM pg_partition_ancestors(tbl) a
    JOIN pg_trigger g ON g.tgrelid = a.relid AND g.tgparentid = 0
                     AND g.tgfoid = hrpolicy.own_function('enforce_check')
    WHERE a.relid <> tbl
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('table %s is enforced through its partitioned table %s'), tbl, ancestor),
                  ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = pg_catalog.format(hrpolicy.gettext('Call hrpolicy.unenforce(%L) instead.'), ancestor::text);
    END IF;
    FOR t IN
        SELECT g.tgname, g.tgrelid::regclass AS rel
        FROM hrpolicy.partition_tree(tbl) p
        JOIN pg_trigger g ON g.tgrelid = p.relid AND g.tgparentid = 0
        WHERE g.tgfoid IN (hrpolicy.own_function('enforce_check'),
                           hrpolicy.own_function('enforce_refuse_truncate'))
        ORDER BY p.level, g.tgrelid, g.tgname
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %s', t.tgname, t.rel);
    END LOOP;
END
$$;
COMMENT ON FUNCTION hrpolicy.unenforce(regclass) IS
    'removes the triggers enforce() put on the table (and on its partitions)';

CREATE FUNCTION hrpolicy.enforce(tbl regclass, day_column name, from_day date DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    kind "char";
    column_type oid;
    ancestor regclass;
    distributed boolean := false;
    chosen regclass;
    part regclass;
    event text;
    touched text;
BEGIN
    IF tbl IS NULL THEN
        RAISE EXCEPTION USING MESSAGE = hrpolicy.gettext('hrpolicy.enforce() needs a table'),
                  ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT c.relkind INTO kind FROM pg_class c WHERE c.oid = tbl;
    IF kind IS NULL OR kind NOT IN ('r', 'p') THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('cannot enforce caps on "%s"'), tbl),
                  ERRCODE = 'wrong_object_type',
                  DETAIL = hrpolicy.gettext('enforce() puts triggers on a table that holds rows the roster reads, not on a view.'),
                  HINT = hrpolicy.gettext('Name the tables under your roster view: SELECT * FROM hrpolicy.roster_tables().');
    END IF;
    IF kind = 'r' AND EXISTS (SELECT FROM pg_inherits i WHERE i.inhparent = tbl) THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('cannot enforce caps on "%s": it has inheritance children'), tbl),
                  ERRCODE = 'feature_not_supported',
                  DETAIL = hrpolicy.gettext('Rows written to a child table do not fire the parent''s triggers.'),
                  HINT = hrpolicy.gettext('Enforce each child table instead, or make the parent a partitioned table.');
    END IF;
    IF to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL THEN
        EXECUTE 'SELECT EXISTS (SELECT FROM pg_catalog.pg_dist_partition d
                                WHERE d.logicalrelid OPERATOR(pg_catalog.=) $1)'
            INTO distributed USING tbl;
        IF distributed THEN
            RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('cannot enforce caps on "%s": it is distributed by Citus'), tbl),
                  ERRCODE = 'feature_not_supported',
                  DETAIL = hrpolicy.gettext('Writes to a distributed table go to its shards on the worker nodes, where the triggers enforce() puts on the coordinator''s table never fire, and a check on each shard would see only that shard''s rows.'),
                  HINT = hrpolicy.gettext('Check a distributed table with the reports instead (hrpolicy.violations()), or enforce caps on an undistributed table (undistribute_table() turns it back into one).');
        END IF;
    END IF;
    SELECT a.relid INTO ancestor
    FROM pg_partition_ancestors(tbl) a
    JOIN pg_trigger g ON g.tgrelid = a.relid AND g.tgparentid = 0
                     AND g.tgfoid = hrpolicy.own_function('enforce_check')
    WHERE a.relid <> tbl
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('table %s is already enforced through its partitioned table %s'), tbl, ancestor),
                  ERRCODE = 'duplicate_object';
    END IF;
    IF day_column IS NOT NULL THEN
        SELECT a.atttypid INTO column_type
        FROM pg_attribute a
        WHERE a.attrelid = tbl AND a.attname = day_column AND a.attnum > 0 AND NOT a.attisdropped;
        IF NOT FOUND THEN
            RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('table "%s" has no column "%s"'), tbl, day_column),
                  ERRCODE = 'undefined_column',
                      HINT = hrpolicy.gettext('Give NULL as the day column for a table whose rows hold no day (staff, units).');
        END IF;
        IF column_type <> 'date'::regtype THEN
            RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('column "%s" of table "%s" has type %s, not date'), day_column, tbl,
                            format_type(column_type, NULL)), ERRCODE = 'datatype_mismatch',
                      DETAIL = hrpolicy.gettext('Enforcement checks the days rows are written for.');
        END IF;
    END IF;
    chosen := hrpolicy.enforcement_roster();
    IF NOT EXISTS (SELECT FROM hrpolicy.roster_tables(chosen) t WHERE t.relation = tbl) THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('the roster %s does not read table %s'), chosen, tbl),
                  ERRCODE = 'wrong_object_type',
                  DETAIL = hrpolicy.gettext('Enforcement checks the roster; writes to a table it does not read cannot change it.'),
                  HINT = hrpolicy.gettext('SELECT * FROM hrpolicy.roster_tables() lists the tables it reads.');
    END IF;

    -- Enforcing again replaces the triggers (the day column may change).
    PERFORM hrpolicy.unenforce(tbl);
    IF day_column IS NULL THEN
        EXECUTE format('CREATE CONSTRAINT TRIGGER hrpolicy_enforce_write'
                       ' AFTER INSERT OR UPDATE OR DELETE ON %s'
                       ' DEFERRABLE INITIALLY DEFERRED FOR EACH ROW'
                       ' WHEN (hrpolicy.note_touched_days_from(%L::date))'
                       ' EXECUTE FUNCTION hrpolicy.enforce_check(%L, %L)',
                       tbl, from_day, '', coalesce(from_day::text, ''));
    ELSE
        FOR event, touched IN VALUES
            ('insert', format('NEW.%I, NULL::date', day_column)),
            ('update', format('OLD.%I, NEW.%I', day_column, day_column)),
            ('delete', format('OLD.%I, NULL::date', day_column))
        LOOP
            EXECUTE format('CREATE CONSTRAINT TRIGGER %I AFTER %s ON %s'
                           ' DEFERRABLE INITIALLY DEFERRED FOR EACH ROW'
                           ' WHEN (hrpolicy.note_touched_days(%L::date, %s))'
                           ' EXECUTE FUNCTION hrpolicy.enforce_check(%L, %L)',
                           'hrpolicy_enforce_' || event, upper(event), tbl, from_day, touched,
                           day_column, coalesce(from_day::text, ''));
        END LOOP;
    END IF;
    FOR part IN SELECT p.relid FROM hrpolicy.partition_tree(tbl) p ORDER BY p.level, p.relid LOOP
        EXECUTE format('CREATE TRIGGER hrpolicy_enforce_truncate BEFORE TRUNCATE ON %s'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION hrpolicy.enforce_refuse_truncate()', part);
    END LOOP;
END
$$;
COMMENT ON FUNCTION hrpolicy.enforce(regclass, name, date) IS
    'refuse commits that newly break a cap rule on a roster day they touch through this table (from from_day on; NULL day_column: every day from from_day, or today, on)';

-- Which tables the user enforced (not the clones on their partitions).
CREATE VIEW hrpolicy.enforcement AS
SELECT t.tgrelid::pg_catalog.regclass AS tbl,
       CASE WHEN a.args[1] OPERATOR(pg_catalog.=) '' THEN NULL ELSE a.args[1]::pg_catalog.name END AS day_column,
       CASE WHEN a.args[2] OPERATOR(pg_catalog.=) '' THEN NULL ELSE a.args[2]::pg_catalog.date END AS from_day
FROM pg_catalog.pg_trigger t
CROSS JOIN LATERAL (SELECT pg_catalog.string_to_array(pg_catalog.encode(t.tgargs, 'escape'), '\000') AS args) a
WHERE t.tgfoid OPERATOR(pg_catalog.=) hrpolicy.own_function('enforce_check')
  AND t.tgparentid OPERATOR(pg_catalog.=) 0
  AND t.tgname OPERATOR(pg_catalog.=) ANY (ARRAY['hrpolicy_enforce_insert', 'hrpolicy_enforce_write']::pg_catalog.name[]);
COMMENT ON VIEW hrpolicy.enforcement IS
    'the tables enforce() protects, with their day column (NULL: every day from from_day on) and the first day checked';

-- Partitions created or attached later get the TRUNCATE guard (their row
-- triggers are cloned by PostgreSQL), detached ones lose it, and a table
-- cannot become an inheritance child of an enforced table.  Runs for every
-- CREATE TABLE and ALTER TABLE of the database, as the role that issued
-- it: it reads only pg_catalog, and touches only the tables of the command
-- and tables that role may put triggers on.
CREATE FUNCTION hrpolicy.enforce_follow_ddl() RETURNS event_trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    -- found through pg_catalog only: a name in schema hrpolicy would need
    -- USAGE on it, which the role issuing the DDL may not have
    check_function oid := (SELECT p.oid FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                           WHERE n.nspname = 'hrpolicy' AND p.proname = 'enforce_check');
    truncate_function oid := (SELECT p.oid FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                              WHERE n.nspname = 'hrpolicy' AND p.proname = 'enforce_refuse_truncate');
    r record;
BEGIN
    SELECT i.inhrelid::regclass AS child, i.inhparent::regclass AS parent INTO r
    FROM pg_event_trigger_ddl_commands() cmd
    JOIN pg_inherits i ON i.inhrelid = cmd.objid
    JOIN pg_class c ON c.oid = i.inhparent AND c.relkind = 'r'
    WHERE cmd.classid = 'pg_class'::regclass
      AND EXISTS (SELECT FROM pg_trigger t WHERE t.tgrelid = i.inhparent AND t.tgfoid = check_function)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('cannot make %s an inheritance child of enforced table %s'), r.child, r.parent),
                  ERRCODE = 'feature_not_supported',
                  DETAIL = hrpolicy.gettext('Rows written to a child table do not fire the parent''s triggers, so hrpolicy could not check them.'),
                  HINT = hrpolicy.gettext('Use a partitioned table, whose partitions hrpolicy protects.');
    END IF;
    -- partitions (at any level) of enforced tables without the guard
    FOR r IN
        SELECT DISTINCT p.relid::regclass AS rel
        FROM pg_trigger t
        CROSS JOIN LATERAL pg_partition_tree(t.tgrelid) p
        WHERE t.tgfoid = check_function AND t.tgparentid = 0
          AND NOT EXISTS (SELECT FROM pg_trigger g WHERE g.tgrelid = p.relid AND g.tgfoid = truncate_function)
          AND has_table_privilege(p.relid, 'TRIGGER')
    LOOP
        EXECUTE format('CREATE TRIGGER hrpolicy_enforce_truncate BEFORE TRUNCATE ON %s'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION hrpolicy.enforce_refuse_truncate()', r.rel);
    END LOOP;
    -- guards left on tables no longer under an enforced table (detached)
    FOR r IN
        SELECT g.tgrelid::regclass AS rel, g.tgname
        FROM pg_trigger g
        WHERE g.tgfoid = truncate_function
          AND has_table_privilege(g.tgrelid, 'TRIGGER')
          AND NOT EXISTS (SELECT FROM pg_trigger t
                          WHERE t.tgfoid = check_function AND t.tgparentid = 0
                            AND (t.tgrelid = g.tgrelid
                                 OR g.tgrelid IN (SELECT p.relid FROM pg_partition_tree(t.tgrelid) p)))
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %s', r.tgname, r.rel);
    END LOOP;
END
$$;
COMMENT ON FUNCTION hrpolicy.enforce_follow_ddl() IS
    'internal: keeps the TRUNCATE guard on every partition of an enforced table and refuses inheritance children of an enforced table';
CREATE EVENT TRIGGER hrpolicy_enforce_follow_ddl ON ddl_command_end
    WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE')
    EXECUTE FUNCTION hrpolicy.enforce_follow_ddl();
COMMENT ON EVENT TRIGGER hrpolicy_enforce_follow_ddl IS
    'keeps enforcement on partitions created or attached later, and off inheritance children';
