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

CREATE FUNCTION hrpolicy.check_period(from_day date, through_day date) RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF from_day IS NULL OR through_day IS NULL THEN
        RAISE EXCEPTION USING MESSAGE = hrpolicy.gettext('the period of a report cannot have a NULL end'),
                  ERRCODE = 'null_value_not_allowed',
                  DETAIL = pg_catalog.format(hrpolicy.gettext('from is %s, through is %s.'),
                                  coalesce(from_day::text, 'NULL'), coalesce(through_day::text, 'NULL')),
                  HINT = hrpolicy.gettext('Give the first and last day of the period, e.g. compliance(''2020-11-01'', ''2020-11-30'').');
    END IF;
    IF from_day > through_day THEN
        RAISE EXCEPTION USING MESSAGE = pg_catalog.format(hrpolicy.gettext('the period from %s through %s ends before it begins'), from_day, through_day),
                  ERRCODE = 'invalid_parameter_value',
                  DETAIL = hrpolicy.gettext('Both days are inclusive; the first must not be after the last.');
    END IF;
END
$$;
COMMENT ON FUNCTION hrpolicy.check_period(date, date) IS
    'raises an error for a report period with a NULL end or whose first day is after its last';

-- An error raised while a report read the roster (the user's view: a bad
-- cast, a division by zero, a missing function) would print the whole
-- generated report query as its context.  The reports catch it and raise
-- it again through this function: same SQLSTATE, message, detail and
-- hint, plus the roster and report it came from, with a short context.
CREATE FUNCTION hrpolicy.raise_from_report(report text, roster regclass, sqlstate text,
                                           message text, detail text, hint text)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    -- the error's own SQLSTATE; one that is no error's is PL/pgSQL's default
    code text := CASE WHEN sqlstate ~ '^[0-9A-Z]{5}$' AND sqlstate <> '00000' THEN sqlstate ELSE 'P0001' END;
    full_detail text := concat_ws(E'\n', nullif(detail, ''),
                                  pg_catalog.format(hrpolicy.gettext('Raised while hrpolicy.%s() read the roster %s.'), report, roster));
    full_hint text := coalesce(nullif(hint, ''),
                               CASE WHEN sqlstate = '42601' AND message ILIKE '%ltree%'
                                    THEN hrpolicy.gettext('An ltree label holds only letters, digits and _ (and - from PostgreSQL 16 on): build the roster''s unit paths from codes and names with hrpolicy.label().')
                               END);
BEGIN
    IF report IS NULL OR roster IS NULL THEN
        RAISE EXCEPTION USING MESSAGE = hrpolicy.gettext('hrpolicy.raise_from_report() needs the report and the roster'),
                  ERRCODE = 'null_value_not_allowed';
    END IF;
    IF full_hint IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = code, MESSAGE = coalesce(message, hrpolicy.gettext('an error with no message')),
                              DETAIL = full_detail;
    END IF;
    RAISE EXCEPTION USING ERRCODE = code, MESSAGE = coalesce(message, hrpolicy.gettext('an error with no message')),
                          DETAIL = full_detail, HINT = full_hint;
END
$$;
COMMENT ON FUNCTION hrpolicy.raise_from_report(text, regclass, text, text, text, text) IS
    'internal: raises again an error a report met while reading the roster, naming the report and the roster';

-- The sentence of a compliance row (explanation.c).
CREATE FUNCTION hrpolicy.explanation(tally hrpolicy.tally, quota hrpolicy.quota, policy text,
                                     rule text, defined_by text, counts text[], who text[],
                                     unless text[])
RETURNS text
AS 'MODULE_PATHNAME', 'explanation' LANGUAGE C STABLE STRICT PARALLEL SAFE;   -- in the language of lc_messages
COMMENT ON FUNCTION hrpolicy.explanation(hrpolicy.tally, hrpolicy.quota, text, text, text, text[], text[], text[]) IS
    'one readable sentence: the counts, the bound, the decree and rule, and the verdict';

-- The report functions run without JIT (their SET clause): their query
-- is one plan of many CTEs whose estimated cost crosses jit_above_cost at
-- any size, and compiling it costs seconds; its rows pass through C
-- aggregates that JIT does not make faster.
--
-- The report functions run with search_path = pg_catalog, pg_temp (their
-- SET clause), and every operator and function in the query they build is
-- schema-qualified: pg_catalog's as OPERATOR(pg_catalog.=), ltree's through
-- ltree's schema, found when the query is built.  An operator with exact
-- argument types planted in any schema (ltree's included) therefore cannot
-- stand in for the one meant.  The functions are PARALLEL UNSAFE because
-- PostgreSQL forbids changing a parameter (their SET clause) during a
-- parallel operation; the report query they run is planned on its own and
-- may use parallel workers.

-- The rule book of a report: the period's rules (rule_book) of the kind
-- the report reads (unit-day, or one person period), numbered in a
-- fixed order; for conflicts() the pairs of a cap and a minimum that could
-- conflict (the cap counts every status the minimum counts, both in force
-- on a common day), whose filter is the minimum's base narrowed to the
-- tags the cap covers, so that its total equals the minimum's when the cap
-- covers every row of it; for diagnose() each tag and status the rules
-- name, whose filter counts the rows holding the tag in its total, or
-- having the status in its part.
CREATE FUNCTION hrpolicy.report_book(from_day date, through_day date, scope ltree, kind text)
RETURNS SETOF hrpolicy.report_entry
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH book AS (
        SELECT pg_catalog.row_number() OVER (ORDER BY b.policy, b.rule, b.only_when NULLS FIRST)::integer AS k,
               b.*
        FROM hrpolicy.rule_book(from_day, through_day, scope) b
        -- unit-day reports read unit-day rules; a person report, its own;
        -- diagnose() every rule (the words a person rule names occur, or
        -- not, on the unit-days where it applies, as a unit-day rule's do)
        WHERE b.per OPERATOR(pg_catalog.=)
              CASE WHEN kind OPERATOR(pg_catalog.=) ANY (ARRAY['person-week', 'person-month'])
                   THEN kind ELSE 'unit-day' END
           OR kind OPERATOR(pg_catalog.=) 'diagnose'
    ), pairs AS (
        SELECT (SELECT pg_catalog.count(*) FROM book)::integer OPERATOR(pg_catalog.+)
                   pg_catalog.row_number() OVER (ORDER BY c.k, m.k)::integer AS k,
               c.k AS cap_k, m.k AS min_k,
               -- a row of the minimum's base that the cap excuses by status is
               -- still the cap's to count the day it comes in (no status the
               -- minimum counts is one the cap excuses): only tags narrow it
               ROW(m.counts,
                   ARRAY(SELECT pg_catalog.unnest(c.who) UNION SELECT pg_catalog.unnest(m.who)),
                   ARRAY(SELECT pg_catalog.unnest(c.unless) UNION SELECT pg_catalog.unnest(m.unless)),
                   m.excused
                  )::hrpolicy.rule_filter AS filter
        FROM book c
        JOIN book m ON m.k OPERATOR(pg_catalog.<>) c.k AND NOT hrpolicy.is_cap(m.quota)
        WHERE kind OPERATOR(pg_catalog.=) 'conflicts'
          AND hrpolicy.is_cap(c.quota) AND c.counts OPERATOR(pg_catalog.@>) m.counts
          AND c.in_force OPERATOR(pg_catalog.&&) m.in_force
    ), words AS (
        SELECT (SELECT pg_catalog.count(*) FROM book)::integer OPERATOR(pg_catalog.+)
                   (SELECT pg_catalog.count(*) FROM pairs)::integer OPERATOR(pg_catalog.+)
                   pg_catalog.row_number() OVER (ORDER BY w.is_tag, w.word)::integer AS k,
               w.is_tag, w.word
        FROM (SELECT DISTINCT true AS is_tag, pg_catalog.unnest(b.who OPERATOR(pg_catalog.||) b.unless) AS word
              FROM book b
              UNION
              SELECT DISTINCT false, pg_catalog.unnest(b.counts OPERATOR(pg_catalog.||) b.excused)
              FROM book b) w
        WHERE kind OPERATOR(pg_catalog.=) 'diagnose'
    )
    SELECT b.k, 'rule', b.policy, b.policy_scope, b.in_force, b.rule, b.defined_by, b.quota,
           b.counts, b.who, b.unless, b.excused, b.only_when, NULL::integer, NULL::integer,
           NULL::boolean, NULL::text,
           ROW(b.counts, b.who, b.unless, b.excused)::hrpolicy.rule_filter
    FROM book b
    UNION ALL
    SELECT p.k, 'pair', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           p.cap_k, p.min_k, NULL, NULL, p.filter
    FROM pairs p
    UNION ALL
    SELECT w.k, 'word', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           NULL, NULL, w.is_tag, w.word,
           CASE WHEN w.is_tag
                THEN ROW('{}', ARRAY[w.word], '{}', '{}')::hrpolicy.rule_filter
                ELSE ROW(ARRAY[w.word], '{}', '{}', '{}')::hrpolicy.rule_filter END
    FROM words w
    ORDER BY 1;
END;
COMMENT ON FUNCTION hrpolicy.report_book(date, date, ltree, text) IS
    'internal: the entries of a report''s rule book (the period''s rules; the pairs of conflicts(); the words of diagnose()), numbered in the order of their filters';

-- The filters of a report's rule book, in order: tally_each()'s argument.
CREATE FUNCTION hrpolicy.book_filters(entries hrpolicy.report_entry[]) RETURNS hrpolicy.rule_filter[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN ARRAY(SELECT e.filter FROM pg_catalog.unnest(entries) e ORDER BY e.k);
COMMENT ON FUNCTION hrpolicy.book_filters(hrpolicy.report_entry[]) IS
    'internal: the filters of a report''s rule book, in order';

-- The numbers (k) of the rules of a report's book that apply on a unit-day
-- (compliance_rows.c), in the book's order: the day in the window in force,
-- the unit in the decree's scope, only_when holding by the circumstances,
-- as period_facts() gives them.
CREATE FUNCTION hrpolicy.applicable_rules(at_unit ltree, on_day date,
                                          book hrpolicy.report_entry[],
                                          facts hrpolicy.period_fact[])
RETURNS integer[]
AS 'MODULE_PATHNAME', 'applicable_rules' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION hrpolicy.applicable_rules(ltree, date, hrpolicy.report_entry[], hrpolicy.period_fact[]) IS
    'internal: the numbers of the rules of a report''s book that apply to the unit on the day';

-- The report query.  %1$s is the roster relation, %2$s the kind of report
-- (compliance, conflicts, diagnose, or enforce: the check of enforce()),
-- %4$s ltree's schema; $1, $2, $3 are
-- from, through and scope, $4 the rule book (report_book), $5 its filters
-- (book_filters); %3$s is the final SELECT over the CTEs:
--   book      the rules of $4, k = 1..K
--   pairs     its pairs (conflicts())
--   words     its words (diagnose())
--   counted   one row per unit-day of the roster: tally_each() over $5;
--             for diagnose() also the rows without a status or person, and
--             the rows without a unit or day (grouped under a NULL key);
--             for enforce also the rows without a status or unit, and the
--             person_day_hashes() of each group's rows, so that one pass
--             finds both the tallies and the persons counted twice
--   unit_days the unit-days with a unit and a day; for diagnose() the
--             words that occur there
--   facts     the circumstances that only_when can name (period_facts)
--   tallied   one row per unit-day and rule that applies there
--             (applicable_rules), with its tally and the rule's columns
-- The filters come as a parameter, so that the plan holds them as a
-- constant and tally_each() knows them from their address row after row.
-- Unit paths travel as text where they are grouped or joined, because
-- ltree has no hash support.
CREATE FUNCTION hrpolicy.report_query(roster regclass, kind text, final_select text)
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF roster IS NULL OR final_select IS NULL
       OR kind IS NULL OR kind NOT IN ('compliance', 'conflicts', 'diagnose', 'enforce') THEN
        RAISE EXCEPTION USING MESSAGE = hrpolicy.gettext('hrpolicy.report_query() needs a roster, a final SELECT and a kind of report (compliance, conflicts, diagnose or enforce)'),
                  ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN pg_catalog.format($q$
WITH book AS MATERIALIZED (
    SELECT e.k, e.policy, e.policy_scope, e.in_force, e.rule, e.defined_by, e.quota,
           e.counts, e.who, e.unless, e.excused, e.only_when
    FROM pg_catalog.unnest($4::hrpolicy.report_entry[]) e
    WHERE e.what OPERATOR(pg_catalog.=) 'rule'
), pairs AS MATERIALIZED (
    SELECT e.k, e.cap_k, e.min_k FROM pg_catalog.unnest($4::hrpolicy.report_entry[]) e
    WHERE e.what OPERATOR(pg_catalog.=) 'pair'
), words AS MATERIALIZED (
    SELECT e.k, e.is_tag, e.word FROM pg_catalog.unnest($4::hrpolicy.report_entry[]) e
    WHERE e.what OPERATOR(pg_catalog.=) 'word'
), counted AS MATERIALIZED (
    SELECT r.unit::pg_catalog.text AS unit_key, r.day,
           hrpolicy.tally_each(r.status, r.tags, $5::hrpolicy.rule_filter[]) %5$s AS tallies
           %6$s
    FROM %1$s r
    WHERE %7$s
      AND ($3 IS NULL OR hrpolicy.scope_covers($3, r.unit))
    GROUP BY r.unit::pg_catalog.text, r.day
), unit_days AS MATERIALIZED (
    SELECT c.unit_key, c.unit_key::%4$s.ltree AS unit, c.day, c.tallies, %8$s AS seen
    FROM counted c
    WHERE c.unit_key IS NOT NULL AND c.day IS NOT NULL AND c.tallies IS NOT NULL
), facts AS MATERIALIZED (
    -- the circumstances that the book's only_when can name
    SELECT hrpolicy.period_facts($4::hrpolicy.report_entry[], $1, $2) AS facts
), tallied AS (
    -- the rules that apply on each unit-day (applicable_rules(), C: the
    -- window in force, the scope, only_when), each with its tally
    SELECT u.unit_key, u.unit, u.day, b.k, u.tallies[b.k] AS tally, u.seen,
           b.policy, b.rule, b.quota, b.defined_by, b.only_when, b.counts, b.who, b.unless
    FROM unit_days u
    CROSS JOIN facts f
    CROSS JOIN LATERAL pg_catalog.unnest(hrpolicy.applicable_rules(
                   u.unit, u.day, $4::hrpolicy.report_entry[], f.facts)) a (k)
    JOIN book b ON b.k OPERATOR(pg_catalog.=) a.k
    WHERE a.k OPERATOR(pg_catalog.<=) pg_catalog.cardinality(u.tallies)
)
%3$s$q$, roster, kind, final_select,
    (SELECT pg_catalog.quote_ident(n.nspname)
     FROM pg_catalog.pg_extension e
     JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) e.extnamespace
     WHERE e.extname OPERATOR(pg_catalog.=) 'ltree'),
    -- diagnose() also reads the rows a report leaves out, and counts them;
    -- the check of enforce() also reads the rows without a unit or status,
    -- for the persons counted twice
    CASE WHEN kind OPERATOR(pg_catalog.=) 'diagnose'
         THEN 'FILTER (WHERE r.status IS NOT NULL AND r.person IS NOT NULL)'
         WHEN kind OPERATOR(pg_catalog.=) 'enforce'
         THEN 'FILTER (WHERE r.unit IS NOT NULL AND r.status IS NOT NULL)'
         ELSE '' END,
    CASE WHEN kind OPERATOR(pg_catalog.=) 'diagnose'
         THEN ', pg_catalog.count(*) AS all_rows,
           pg_catalog.count(*) FILTER (WHERE r.status IS NULL) AS no_status,
           pg_catalog.count(*) FILTER (WHERE r.person IS NULL) AS no_person'
         WHEN kind OPERATOR(pg_catalog.=) 'enforce'
         THEN ', hrpolicy.person_day_hashes(r.person, r.day) AS persons'
         ELSE '' END,
    CASE WHEN kind OPERATOR(pg_catalog.=) 'diagnose'
         THEN '((r.day OPERATOR(pg_catalog.>=) $1 AND r.day OPERATOR(pg_catalog.<=) $2) OR r.day IS NULL)'
         -- A period of one day is also read as that day (r.day = $1, when
         -- $1 = $2): PostgreSQL carries an equality, not a range, from the
         -- roster's day across a view's outer join to the attendance table,
         -- so a one-day check or report reads that day's partition, not
         -- every partition of attendance.
         ELSE 'r.day OPERATOR(pg_catalog.>=) $1 AND r.day OPERATOR(pg_catalog.<=) $2
      AND ($1 OPERATOR(pg_catalog.<>) $2 OR r.day OPERATOR(pg_catalog.=) $1)
      AND r.person IS NOT NULL'
              OPERATOR(pg_catalog.||)
              CASE WHEN kind OPERATOR(pg_catalog.=) 'enforce' THEN ''
                   ELSE ' AND r.unit IS NOT NULL AND r.status IS NOT NULL' END END,
    -- diagnose(): the words (numbers k) that occur on the unit-day
    CASE WHEN kind OPERATOR(pg_catalog.=) 'diagnose'
         THEN 'ARRAY(SELECT w.k FROM words w
                 WHERE CASE WHEN w.is_tag
                            THEN hrpolicy.total(c.tallies[w.k]) OPERATOR(pg_catalog.>) 0
                            ELSE hrpolicy.part(c.tallies[w.k]) OPERATOR(pg_catalog.>) 0 END)'
         ELSE 'NULL::pg_catalog.int4[]' END);
END
$$;
COMMENT ON FUNCTION hrpolicy.report_query(regclass, text, text) IS
    'internal: the text of a report query over the roster relation';

-- The rows of compliance() for one unit-day (compliance_rows.c): one per
-- rule of the book that applies there, as applicable_rules() picks them
-- for the other reports' tallied CTE, in the order of the book, with its tally (tallies[k]), quota_limit(), <@,
-- headroom() and explanation().
CREATE FUNCTION hrpolicy.compliance_rows(at_unit ltree, on_day date, tallies hrpolicy.tally[],
                                         book hrpolicy.report_entry[],
                                         facts hrpolicy.period_fact[])
RETURNS TABLE (day date, unit ltree, policy text, rule text, tally hrpolicy.tally,
               quota hrpolicy.quota, allowed bigint, ok boolean, headroom bigint,
               explanation text, defined_by text, only_when text)
AS 'MODULE_PATHNAME', 'compliance_rows' LANGUAGE C STABLE PARALLEL SAFE   -- explanation() follows lc_messages
ROWS 10;
COMMENT ON FUNCTION hrpolicy.compliance_rows(ltree, date, hrpolicy.tally[], hrpolicy.report_entry[], hrpolicy.period_fact[]) IS
    'internal: the rows of compliance() for one unit-day, one per rule of the book that applies there';

-- compliance() is a plain SQL function that the planner inlines into the
-- caller's query, so that its rows, rules times unit-days, go to the caller
-- as compliance_rows() makes them rather than through a result set kept
-- whole (beyond work_mem, on disk) first.  What must be PL/pgSQL (the
-- query over the user's roster, its settings, and the errors raised from
-- it) is compliance_unit_days(), whose rows are the unit-days.

-- The rule book of compliance() (report_book), once its period is checked,
-- and the circumstances that its only_when can name (period_facts).
CREATE FUNCTION hrpolicy.compliance_book(from_day date, through_day date, scope ltree,
                                         OUT book hrpolicy.report_entry[],
                                         OUT facts hrpolicy.period_fact[])
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM hrpolicy.check_period(from_day, through_day);
    book := ARRAY(SELECT e FROM hrpolicy.report_book(from_day, through_day, scope, 'compliance') e);
    facts := hrpolicy.period_facts(book, from_day, through_day);
END
$$;
COMMENT ON FUNCTION hrpolicy.compliance_book(date, date, ltree) IS
    'internal: the rule book of compliance() over the period, which it checks first, and the circumstances its only_when can name';

-- The unit-days of compliance(): one row per unit and day of the roster in
-- the period (and scope), with the tallies of the book's rules there.
CREATE FUNCTION hrpolicy.compliance_unit_days(from_day date, through_day date, scope ltree,
                                              book hrpolicy.report_entry[])
RETURNS TABLE (unit ltree, day date, tallies hrpolicy.tally[])
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
SET jit = off AS $$
DECLARE
    roster regclass;
    sqlstate_ text;
    message_ text;
    detail_ text;
    hint_ text;
BEGIN
    PERFORM hrpolicy.check_period(from_day, through_day);
    roster := hrpolicy.roster();
    RETURN QUERY EXECUTE hrpolicy.report_query(roster, 'compliance', $q$
SELECT u.unit, u.day, u.tallies FROM unit_days u$q$)
    USING from_day, through_day, scope, book, hrpolicy.book_filters(book);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS sqlstate_ = RETURNED_SQLSTATE, message_ = MESSAGE_TEXT,
                            detail_ = PG_EXCEPTION_DETAIL, hint_ = PG_EXCEPTION_HINT;
    IF roster IS NULL THEN
        RAISE;                  -- the period or the roster's own check
    END IF;
    PERFORM hrpolicy.raise_from_report('compliance', roster, sqlstate_, message_, detail_, hint_);
END
$$;
COMMENT ON FUNCTION hrpolicy.compliance_unit_days(date, date, ltree, hrpolicy.report_entry[]) IS
    'internal: the unit-days of the roster in the period and scope, with the tallies of the rule book''s rules there';

-- A row per unit-day and rule that applies there: compliance_rows() (C)
-- picks the rules as applicable_rules() does and fills in the rows,
-- at the cost of a few comparisons a row, from the book and the
-- circumstances that only_when can name.
CREATE FUNCTION hrpolicy.compliance(from_day date, through_day date, scope ltree DEFAULT NULL)
RETURNS TABLE (day date, unit ltree, policy text, rule text, tally hrpolicy.tally,
               quota hrpolicy.quota, allowed bigint, ok boolean, headroom bigint,
               explanation text, defined_by text, only_when text)
LANGUAGE sql STABLE PARALLEL UNSAFE
BEGIN ATOMIC
    SELECT r.day, r.unit, r.policy, r.rule, r.tally, r.quota, r.allowed, r.ok, r.headroom,
           r.explanation, r.defined_by, r.only_when
    FROM hrpolicy.compliance_book(from_day, through_day, scope) b,
         LATERAL hrpolicy.compliance_unit_days(from_day, through_day, scope, b.book) u,
         LATERAL hrpolicy.compliance_rows(u.unit, u.day, u.tallies, b.book, b.facts) r;
END;
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
SET search_path = pg_catalog, pg_temp
SET jit = off AS $$
DECLARE
    roster regclass;
    book hrpolicy.report_entry[];
    sqlstate_ text;
    message_ text;
    detail_ text;
    hint_ text;
BEGIN
    PERFORM hrpolicy.check_period(from_day, through_day);
    roster := hrpolicy.roster();
    book := ARRAY(SELECT e FROM hrpolicy.report_book(from_day, through_day, scope, 'conflicts') e);
    -- A minimum M and a cap C on the same unit-day cannot both be kept when
    -- M requires more heads than C allows, C counts every status M counts,
    -- and every roster row in M's base is in C's base.
    RETURN QUERY EXECUTE hrpolicy.report_query(roster, 'conflicts', $q$
SELECT x.day, x.unit, x.cap_policy, x.cap_rule, x.min_policy, x.min_rule, x.allowed, x.required
FROM (SELECT a.unit, a.day, cb.policy AS cap_policy, cb.rule AS cap_rule,
             mb.policy AS min_policy, mb.rule AS min_rule,
             hrpolicy.quota_limit(cb.quota, hrpolicy.total(u.tallies[p.cap_k])) AS allowed,
             hrpolicy.quota_limit(mb.quota, hrpolicy.total(u.tallies[p.min_k])) AS required,
             -- every row in the minimum's base is in the cap's base too
             hrpolicy.total(u.tallies[p.k])
                 OPERATOR(pg_catalog.=) hrpolicy.total(u.tallies[p.min_k]) AS covered
      FROM (SELECT t.unit_key, t.unit, t.day, pg_catalog.array_agg(t.k) AS ks
            FROM tallied t GROUP BY t.unit_key, t.unit, t.day) a
      JOIN unit_days u ON u.unit_key OPERATOR(pg_catalog.=) a.unit_key
                      AND u.day OPERATOR(pg_catalog.=) a.day
      JOIN pairs p ON p.cap_k OPERATOR(pg_catalog.=) ANY (a.ks)
                  AND p.min_k OPERATOR(pg_catalog.=) ANY (a.ks)
      JOIN book cb ON cb.k OPERATOR(pg_catalog.=) p.cap_k
      JOIN book mb ON mb.k OPERATOR(pg_catalog.=) p.min_k) x
WHERE x.covered AND x.required OPERATOR(pg_catalog.>) x.allowed$q$)
    USING from_day, through_day, scope, book, hrpolicy.book_filters(book);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS sqlstate_ = RETURNED_SQLSTATE, message_ = MESSAGE_TEXT,
                            detail_ = PG_EXCEPTION_DETAIL, hint_ = PG_EXCEPTION_HINT;
    IF roster IS NULL THEN
        RAISE;
    END IF;
    PERFORM hrpolicy.raise_from_report('conflicts', roster, sqlstate_, message_, detail_, hint_);
END
$$;
COMMENT ON FUNCTION hrpolicy.conflicts(date, date, ltree) IS
    'unit-days where a minimum rule requires more heads in office than a cap rule allows, while every roster row the minimum covers is covered by the cap: such decrees cannot both be kept';
