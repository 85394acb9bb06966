-- Person-period rules: each person's days in an ISO week (Monday to Sunday)
-- or a calendar month, against the rules whose per is person-week or
-- person-month (PermenPANRB 4/2025: at most 2 working days a week away from
-- the office; a return-to-office mandate: at least 3 office days a week).
--
-- person_compliance() groups the roster by person and period, as the
-- plainest count per person and week would, and counts every person rule
-- of the period with person_tallies() (C, person_period.c).  A rule
-- applies row by row: on the days its decree is in force, to the rows of
-- units its scope covers, on unit-days where its only_when holds; the
-- aggregate is given the rules' reach and the circumstances of the period
-- as constants and works that out per unit-day.  Every period that
-- overlaps the report's range is judged whole: the roster is read from the
-- first day of the first period to the last day of the last.

CREATE FUNCTION hrpolicy.week_start(day date) RETURNS date
AS 'MODULE_PATHNAME', 'week_start' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION hrpolicy.week_start(date) IS
    'the Monday of the day''s ISO week';

CREATE FUNCTION hrpolicy.month_start(day date) RETURNS date
AS 'MODULE_PATHNAME', 'month_start' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION hrpolicy.month_start(date) IS
    'the first day of the day''s month';

-- The whole period (week or month) that starts on a day (C).
CREATE FUNCTION hrpolicy.person_period(per text, first_day date) RETURNS hrpolicy.validity
AS 'MODULE_PATHNAME', 'person_period' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION hrpolicy.person_period(text, date) IS
    'the week (person-week, from a Monday) or month (person-month, from a first) that starts on the day, both ends inclusive; NULL for another per or day';

CREATE FUNCTION hrpolicy.person_tally_accum(internal, ltree, date, text, text[],
                                            hrpolicy.period_filter[], hrpolicy.period_fact[])
RETURNS internal
AS 'MODULE_PATHNAME', 'person_tally_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hrpolicy.person_tally_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'person_tally_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hrpolicy.person_tally_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'person_tally_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hrpolicy.person_tally_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'person_tally_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION hrpolicy.person_tally_tallies(internal) RETURNS hrpolicy.tally[]
AS 'MODULE_PATHNAME', 'person_tally_tallies' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hrpolicy.person_tally_units(internal) RETURNS ltree[]
AS 'MODULE_PATHNAME', 'person_tally_units' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION hrpolicy.person_tally_entries(internal) RETURNS integer[]
AS 'MODULE_PATHNAME', 'person_tally_entries' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Three aggregates over one state (the executor computes it once when they
-- are called with the same arguments): the tally of each entry of the
-- book, the unit of the last row in its base, and the entry that counted
-- that row.
CREATE AGGREGATE hrpolicy.person_tallies(unit ltree, day date, status text, tags text[],
                                         book hrpolicy.period_filter[],
                                         facts hrpolicy.period_fact[]) (
    SFUNC = hrpolicy.person_tally_accum,
    STYPE = internal,
    -- a state of a few rules: without it, the planner reckons several
    -- kilobytes a group and makes a hash aggregate spill to disk early
    SSPACE = 128,
    FINALFUNC = hrpolicy.person_tally_tallies,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = hrpolicy.person_tally_combine,
    SERIALFUNC = hrpolicy.person_tally_serialize,
    DESERIALFUNC = hrpolicy.person_tally_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE hrpolicy.person_tallies(ltree, date, text, text[], hrpolicy.period_filter[], hrpolicy.period_fact[]) IS
    'one tally per entry of the book over the same rows, each row counted by the entries that apply on its unit and day';

CREATE AGGREGATE hrpolicy.person_units(unit ltree, day date, status text, tags text[],
                                       book hrpolicy.period_filter[],
                                       facts hrpolicy.period_fact[]) (
    SFUNC = hrpolicy.person_tally_accum,
    STYPE = internal,
    SSPACE = 128,
    FINALFUNC = hrpolicy.person_tally_units,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = hrpolicy.person_tally_combine,
    SERIALFUNC = hrpolicy.person_tally_serialize,
    DESERIALFUNC = hrpolicy.person_tally_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE hrpolicy.person_units(ltree, date, text, text[], hrpolicy.period_filter[], hrpolicy.period_fact[]) IS
    'per entry of the book, the unit of the last row in its base; NULL when its base is empty';

CREATE AGGREGATE hrpolicy.person_entries(unit ltree, day date, status text, tags text[],
                                         book hrpolicy.period_filter[],
                                         facts hrpolicy.period_fact[]) (
    SFUNC = hrpolicy.person_tally_accum,
    STYPE = internal,
    SSPACE = 128,
    FINALFUNC = hrpolicy.person_tally_entries,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = hrpolicy.person_tally_combine,
    SERIALFUNC = hrpolicy.person_tally_serialize,
    DESERIALFUNC = hrpolicy.person_tally_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE hrpolicy.person_entries(ltree, date, text, text[], hrpolicy.period_filter[], hrpolicy.period_fact[]) IS
    'per tally of the book, the number of the entry that counted the last row in its base; NULL when its base is empty';

-- The sentence of a person-period row (person_period.c).
CREATE FUNCTION hrpolicy.person_explanation(tally hrpolicy.tally, quota hrpolicy.quota,
                                            policy text, rule text, defined_by text,
                                            counts text[], per text, first_day date)
RETURNS text
AS 'MODULE_PATHNAME', 'person_explanation' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION hrpolicy.person_explanation(hrpolicy.tally, hrpolicy.quota, text, text, text, text[], text, date) IS
    'one readable sentence: the person''s days, the period, the bound, the decree and rule, and the verdict';

-- The first and last day of the periods of a kind that overlap a range
-- (an infinite end stays infinite: enforcement reads from a day on; so does
-- a period that runs past the last day PostgreSQL knows, whose end cannot
-- be written: the report then reads to the end of the calendar).
CREATE FUNCTION hrpolicy.person_range(per text, from_day date, through_day date,
                                      OUT first_day date, OUT last_day date)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN ROW(CASE WHEN pg_catalog.isfinite(from_day)
                THEN pg_catalog.lower(hrpolicy.person_period(per,
                         CASE per WHEN 'person-week' THEN hrpolicy.week_start(from_day)
                                  ELSE hrpolicy.month_start(from_day) END))
                ELSE from_day END,
           CASE WHEN pg_catalog.isfinite(through_day)
                THEN COALESCE(
                         pg_catalog.upper(hrpolicy.person_period(per,
                             CASE per WHEN 'person-week' THEN hrpolicy.week_start(through_day)
                                      ELSE hrpolicy.month_start(through_day) END)),
                         'infinity'::pg_catalog.date)
                ELSE through_day END);
COMMENT ON FUNCTION hrpolicy.person_range(text, date, date) IS
    'internal: the first day of the first and the last day of the last week or month overlapping the range';

-- The book of person_tallies(): the entries' filters and reach, in order.
-- Without also, the entries of one rule row (a decree's own and those of
-- the decrees that amend it and inherit it) count in one tally, the first
-- one's: a rule inherited through an amendment that starts on a Wednesday
-- is one rule for that week, not two of three days each.  With also (the
-- pairs of capacity_conflicts()), each entry counts in its own.
CREATE FUNCTION hrpolicy.period_filters(entries hrpolicy.report_entry[], also integer[] DEFAULT NULL)
RETURNS hrpolicy.period_filter[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY(
    SELECT ROW((e.filter).counts, (e.filter).who, (e.filter).unless, (e.filter).excused,
               pg_catalog.lower(e.in_force), pg_catalog.upper(e.in_force),
               e.policy_scope::pg_catalog.text, e.only_when, also[e.k],
               CASE WHEN also IS NULL
                    THEN pg_catalog.min(e.k) OVER (PARTITION BY e.defined_by, e.rule, e.only_when) END
              )::hrpolicy.period_filter
    FROM pg_catalog.unnest(entries) e ORDER BY e.k);
COMMENT ON FUNCTION hrpolicy.period_filters(hrpolicy.report_entry[], integer[]) IS
    'internal: person_tallies()''s book from a report''s rule book (also[k]: an entry whose reach entry k needs too; without also, the entries of one rule row share a tally)';

-- The circumstances whose labels the entries' only_when name, over a range.
CREATE FUNCTION hrpolicy.period_facts(entries hrpolicy.report_entry[], from_day date, through_day date)
RETURNS hrpolicy.period_fact[]
LANGUAGE sql STABLE PARALLEL SAFE
RETURN ARRAY(
    SELECT ROW(c.scope::pg_catalog.text, pg_catalog.lower(c.valid), pg_catalog.upper(c.valid),
               c.label)::hrpolicy.period_fact
    FROM hrpolicy.circumstance c
    WHERE c.label OPERATOR(pg_catalog.=) ANY (
              ARRAY(SELECT pg_catalog.ltrim(e.only_when, '!') FROM pg_catalog.unnest(entries) e
                    WHERE e.only_when IS NOT NULL))
      AND c.valid OPERATOR(pg_catalog.&&) hrpolicy.validity(from_day, through_day, '[]')
    ORDER BY c.label, pg_catalog.lower(c.valid), c.scope::pg_catalog.text);
COMMENT ON FUNCTION hrpolicy.period_facts(hrpolicy.report_entry[], date, date) IS
    'internal: the circumstances person_tallies() needs: those whose label an entry''s only_when names, over the range';

-- The person report query.  %1$s is the roster relation, %2$s the period
-- function (week_start or month_start), %3$s ltree's schema; $1 and $2 the
-- first and last day of the periods read, $3 the scope, $4 the rule book,
-- $5 and $6 person_tallies()'s book and circumstances (constants of the
-- plan); %4$s is the final SELECT over the CTEs; %5$s the person's
-- collation (below):
--   book     the entries of $4
--   grouped  one row per person and period: the tallies and units
--   tallied  one row per person, period and tally whose base holds a row:
--            k, the entry that counted its last row, and that row's unit
--            (within the scope)
CREATE FUNCTION hrpolicy.person_report_query(roster regclass, per text, final_select text)
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF roster IS NULL OR final_select IS NULL
       OR per IS NULL OR per NOT IN ('person-week', 'person-month') THEN
        RAISE EXCEPTION USING MESSAGE = hrpolicy.gettext('hrpolicy.person_report_query() needs a roster, a person period (person-week or person-month) and a final SELECT'),
                  ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN pg_catalog.format($q$
WITH book AS MATERIALIZED (
    SELECT e.k, e.policy, e.rule, e.defined_by, e.quota, e.counts, e.only_when
    FROM pg_catalog.unnest($4::hrpolicy.report_entry[]) e
), grouped AS NOT MATERIALIZED (
    SELECT r.person::pg_catalog.text%5$s AS person, %2$s(r.day) AS first_day,
           hrpolicy.person_tallies(r.unit, r.day, r.status, r.tags,
                                   $5::hrpolicy.period_filter[], $6::hrpolicy.period_fact[]) AS tallies,
           hrpolicy.person_units(r.unit, r.day, r.status, r.tags,
                                 $5::hrpolicy.period_filter[], $6::hrpolicy.period_fact[]) AS units,
           hrpolicy.person_entries(r.unit, r.day, r.status, r.tags,
                                   $5::hrpolicy.period_filter[], $6::hrpolicy.period_fact[]) AS entries
    FROM %1$s r
    WHERE r.day OPERATOR(pg_catalog.>=) $1 AND r.day OPERATOR(pg_catalog.<=) $2
      AND r.person IS NOT NULL AND r.unit IS NOT NULL AND r.status IS NOT NULL
    GROUP BY r.person::pg_catalog.text%5$s, %2$s(r.day)
), tallied AS MATERIALIZED (
    -- (each entry's element by subscript: cheaper than unnest(), whose
    -- function scan costs more than the arrays' few elements)
    SELECT g.person, g.first_day, g.entries[e.k] AS k, g.tallies[e.k] AS tally, g.units[e.k] AS unit
    FROM grouped g
    CROSS JOIN (SELECT b.k FROM book b) e
    WHERE g.units[e.k] IS NOT NULL
      AND ($3 IS NULL OR hrpolicy.scope_covers($3, g.units[e.k]))
)
%4$s$q$,
        roster,
        CASE per WHEN 'person-week' THEN 'hrpolicy.week_start' ELSE 'hrpolicy.month_start' END,
        (SELECT pg_catalog.quote_ident(n.nspname)
         FROM pg_catalog.pg_extension e
         JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) e.extnamespace
         WHERE e.extname OPERATOR(pg_catalog.=) 'ltree'),
        final_select,
        -- A person is grouped by the bytes of its text (collation "C"):
        -- the same groups as under any deterministic collation, without the
        -- locale's comparisons when the plan sorts.  Under a nondeterministic
        -- collation of the roster's person column ('p1' and 'P1' one person,
        -- as the duplicate check of enforcement counts them), by it.  With
        -- Citus, by the column as it is: Citus counts a roster distributed
        -- by person whole on the workers only when the grouping names its
        -- distribution column, which a COLLATE hides.
        CASE WHEN EXISTS (SELECT FROM pg_catalog.pg_attribute a
                          JOIN pg_catalog.pg_collation c ON c.oid OPERATOR(pg_catalog.=) a.attcollation
                          WHERE a.attrelid OPERATOR(pg_catalog.=) roster
                            AND a.attname OPERATOR(pg_catalog.=) 'person'
                            AND NOT a.attisdropped AND NOT c.collisdeterministic)
               OR EXISTS (SELECT FROM pg_catalog.pg_extension x
                          WHERE x.extname OPERATOR(pg_catalog.=) 'citus')
             THEN '' ELSE ' COLLATE pg_catalog."C"' END);
END
$$;
COMMENT ON FUNCTION hrpolicy.person_report_query(regclass, text, text) IS
    'internal: the text of a person report query over the roster relation';

-- What person_compliance() reads: for each kind of person period with
-- rules in force, the roster, the first and last day of the periods
-- overlapping the range, the book (its rules, numbered k), the book and
-- circumstances of person_tallies(), and the counting query: a row per
-- person and period with the arrays of person_tallies(), person_units()
-- and person_entries() ($1 and $2 the days read, $3 the scope, $4 the book,
-- $5 and $6 person_tallies()'s).  An error met after the roster is known is
-- raised again naming the report and the roster.
CREATE FUNCTION hrpolicy.person_compliance_plan(from_day date, through_day date, report_scope ltree)
RETURNS TABLE (roster regclass, per text, query text, first_day date, last_day date, scope ltree,
               book hrpolicy.report_entry[], filters hrpolicy.period_filter[],
               facts hrpolicy.period_fact[])
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    roster_ regclass;
    per_ text;
    range_ record;
    book_ hrpolicy.report_entry[];
    sqlstate_ text;
    message_ text;
    detail_ text;
    hint_ text;
BEGIN
    PERFORM hrpolicy.check_period(from_day, through_day);
    roster_ := hrpolicy.roster();
    FOREACH per_ IN ARRAY ARRAY['person-week', 'person-month'] LOOP
        SELECT * INTO range_ FROM hrpolicy.person_range(per_, from_day, through_day);
        book_ := ARRAY(SELECT e FROM hrpolicy.report_book(range_.first_day, range_.last_day, NULL, per_) e);
        CONTINUE WHEN cardinality(book_) = 0;
        roster := roster_;
        per := per_;
        query := hrpolicy.person_report_query(roster_, per_, $q$
SELECT g.person, g.first_day, g.tallies, g.units, g.entries FROM grouped g$q$);
        first_day := range_.first_day;
        last_day := range_.last_day;
        scope := report_scope;
        book := book_;
        filters := hrpolicy.period_filters(book_);
        facts := hrpolicy.period_facts(book_, range_.first_day, range_.last_day);
        RETURN NEXT;
    END LOOP;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS sqlstate_ = RETURNED_SQLSTATE, message_ = MESSAGE_TEXT,
                            detail_ = PG_EXCEPTION_DETAIL, hint_ = PG_EXCEPTION_HINT;
    IF roster_ IS NULL THEN
        RAISE;                  -- the period or the roster's own check
    END IF;
    PERFORM hrpolicy.raise_from_report('person_compliance', roster_, sqlstate_, message_, detail_, hint_);
END
$$;
COMMENT ON FUNCTION hrpolicy.person_compliance_plan(date, date, ltree) IS
    'internal: what person_compliance() reads, per kind of person period with rules in force: the roster, the days, the book and the counting query';

-- The report (C, person_compliance.c): the counting query of each kind of
-- period, its groups made into rows in C.
CREATE FUNCTION hrpolicy.person_compliance(from_day date, through_day date, scope ltree DEFAULT NULL)
RETURNS TABLE (period hrpolicy.validity, person text, unit ltree, policy text, rule text,
               tally hrpolicy.tally, quota hrpolicy.quota, allowed bigint, ok boolean,
               headroom bigint, explanation text, defined_by text, only_when text)
AS 'MODULE_PATHNAME', 'person_compliance'
LANGUAGE C STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
SET jit = off;
COMMENT ON FUNCTION hrpolicy.person_compliance(date, date, ltree) IS
    'a row per person, period (ISO week or calendar month) overlapping the range and person-period rule whose base holds a row: the tally of the whole period, the quota, the days allowed (or required), ok, the headroom and a sentence; unit is the unit of the person''s last base row';

CREATE FUNCTION hrpolicy.person_violations(from_day date, through_day date, scope ltree DEFAULT NULL)
RETURNS TABLE (period hrpolicy.validity, person text, unit ltree, policy text, rule text,
               tally hrpolicy.tally, quota hrpolicy.quota, allowed bigint, ok boolean,
               headroom bigint, explanation text, defined_by text, only_when text)
LANGUAGE sql STABLE PARALLEL UNSAFE
BEGIN ATOMIC
    SELECT c.period, c.person, c.unit, c.policy, c.rule, c.tally, c.quota, c.allowed, c.ok,
           c.headroom, c.explanation, c.defined_by, c.only_when
    FROM hrpolicy.person_compliance(from_day, through_day, scope) c
    WHERE NOT c.ok;
END;
COMMENT ON FUNCTION hrpolicy.person_violations(date, date, ltree) IS
    'the rows of person_compliance() that are not ok';

-- A person-period minimum M that a unit-day cap C makes impossible: for a
-- unit and period, the heads C allows summed over the period's days, against
-- the days M requires summed over the unit's persons whose base rows all lie
-- in C's base (C counts every status M counts, and on each of their days C
-- applies to the row: the pair's entry, M's filter narrowed to C's tags and
-- reaching only where both apply, tallies as many rows as M's).
CREATE FUNCTION hrpolicy.capacity_conflicts(from_day date, through_day date, scope ltree DEFAULT NULL)
RETURNS TABLE (period hrpolicy.validity, unit ltree, cap_policy text, cap_rule text,
               min_policy text, min_rule text, allowed bigint, required bigint)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
SET jit = off AS $$
DECLARE
    roster regclass;
    per_ text;
    range_ record;
    minimums hrpolicy.report_entry[];
    caps hrpolicy.report_entry[];
    book hrpolicy.report_entry[];
    also integer[];
    sqlstate_ text;
    message_ text;
    detail_ text;
    hint_ text;
BEGIN
    PERFORM hrpolicy.check_period(from_day, through_day);
    roster := hrpolicy.roster();
    FOREACH per_ IN ARRAY ARRAY['person-week', 'person-month'] LOOP
        SELECT * INTO range_ FROM hrpolicy.person_range(per_, from_day, through_day);
        minimums := ARRAY(SELECT e FROM hrpolicy.report_book(range_.first_day, range_.last_day, NULL, per_) e
                          WHERE NOT hrpolicy.is_cap(e.quota));
        CONTINUE WHEN cardinality(minimums) = 0;
        caps := ARRAY(SELECT e FROM hrpolicy.report_book(range_.first_day, range_.last_day, NULL, 'compliance') e
                      WHERE hrpolicy.is_cap(e.quota));
        CONTINUE WHEN cardinality(caps) = 0;
        -- the book: the minimums (1..M), the caps (M+1..M+C), then each pair
        -- of a cap counting every status the minimum counts, in force together
        book := ARRAY(
            -- numbered anew: the minimums 1..M, the caps M+1..M+C
            WITH m AS (SELECT x.what, x.policy, x.policy_scope, x.in_force, x.rule, x.defined_by,
                              x.quota, x.counts, x.who, x.unless, x.excused, x.only_when,
                              x.is_tag, x.word, x.filter,
                              (row_number() OVER (ORDER BY x.k))::integer AS k
                       FROM pg_catalog.unnest(minimums) x),
                 c AS (SELECT x.what, x.policy, x.policy_scope, x.in_force, x.rule, x.defined_by,
                              x.quota, x.counts, x.who, x.unless, x.excused, x.only_when,
                              x.is_tag, x.word, x.filter,
                              (row_number() OVER (ORDER BY x.k))::integer AS k
                       FROM pg_catalog.unnest(caps) x)
            SELECT ROW(e.k, e.what, e.policy, e.policy_scope, e.in_force, e.rule, e.defined_by,
                       e.quota, e.counts, e.who, e.unless, e.excused, e.only_when, e.cap_k,
                       e.min_k, e.is_tag, e.word, e.filter)::hrpolicy.report_entry
            FROM (SELECT m.k, m.what, m.policy, m.policy_scope, m.in_force, m.rule, m.defined_by,
                         m.quota, m.counts, m.who, m.unless, m.excused, m.only_when,
                         NULL::integer AS cap_k, NULL::integer AS min_k, m.is_tag, m.word, m.filter
                  FROM m
                  UNION ALL
                  SELECT cardinality(minimums) + c.k, c.what, c.policy, c.policy_scope, c.in_force,
                         c.rule, c.defined_by, c.quota, c.counts, c.who, c.unless, c.excused,
                         c.only_when, NULL, NULL, c.is_tag, c.word, c.filter
                  FROM c
                  UNION ALL
                  SELECT cardinality(minimums) + cardinality(caps)
                             + (row_number() OVER (ORDER BY c.k, m.k))::integer,
                         'pair', m.policy, m.policy_scope, m.in_force, m.rule, m.defined_by,
                         m.quota, m.counts, m.who, m.unless, m.excused, m.only_when,
                         cardinality(minimums) + c.k, m.k, NULL, NULL,
                         ROW(m.counts,
                             ARRAY(SELECT unnest(c.who) UNION SELECT unnest(m.who)),
                             ARRAY(SELECT unnest(c.unless) UNION SELECT unnest(m.unless)),
                             m.excused)::hrpolicy.rule_filter
                  FROM c JOIN m ON c.counts @> m.counts AND c.in_force && m.in_force) e
            ORDER BY e.k);
        CONTINUE WHEN NOT EXISTS (SELECT FROM unnest(book) e WHERE e.what = 'pair');
        also := ARRAY(SELECT e.cap_k FROM unnest(book) e ORDER BY e.k);
        RETURN QUERY EXECUTE hrpolicy.person_report_query(roster, per_, pg_catalog.format($q$
, pairs AS (
    SELECT e.k, e.cap_k, e.min_k FROM pg_catalog.unnest($4::hrpolicy.report_entry[]) e
    WHERE e.what OPERATOR(pg_catalog.=) 'pair'
), required AS (
    -- the days each minimum requires of the persons of a unit that the cap
    -- covers on every day the minimum counts them
    SELECT m.unit, m.first_day, p.cap_k, p.min_k,
           pg_catalog.sum(hrpolicy.quota_limit(mb.quota, hrpolicy.total(m.tally)))::bigint AS days
    FROM pairs p
    JOIN tallied m ON m.k OPERATOR(pg_catalog.=) p.min_k
    JOIN tallied x ON x.k OPERATOR(pg_catalog.=) p.k
                  AND x.person OPERATOR(pg_catalog.=) m.person
                  AND x.first_day OPERATOR(pg_catalog.=) m.first_day
    JOIN book mb ON mb.k OPERATOR(pg_catalog.=) p.min_k
    WHERE hrpolicy.total(x.tally) OPERATOR(pg_catalog.=) hrpolicy.total(m.tally)
    GROUP BY m.unit, m.first_day, p.cap_k, p.min_k
), allowed AS (
    -- the heads each cap allows, summed over the period's days
    SELECT c.unit::pg_catalog.text AS unit_key, %2$s(c.day) AS first_day, c.policy, c.rule, c.defined_by,
           c.only_when, pg_catalog.sum(c.allowed)::bigint AS heads
    FROM hrpolicy.compliance($1, $2, $3) c
    WHERE hrpolicy.is_cap(c.quota)
    GROUP BY c.unit::pg_catalog.text, %2$s(c.day), c.policy, c.rule, c.defined_by, c.only_when
)
SELECT hrpolicy.person_period(%1$L, r.first_day), r.unit, cb.policy, cb.rule, mb.policy, mb.rule,
       a.heads, r.days
FROM required r
JOIN book cb ON cb.k OPERATOR(pg_catalog.=) r.cap_k
JOIN book mb ON mb.k OPERATOR(pg_catalog.=) r.min_k
JOIN allowed a ON a.unit_key OPERATOR(pg_catalog.=) r.unit::pg_catalog.text
              AND a.first_day OPERATOR(pg_catalog.=) r.first_day
              AND a.policy OPERATOR(pg_catalog.=) cb.policy
              AND a.rule OPERATOR(pg_catalog.=) cb.rule
              AND a.defined_by OPERATOR(pg_catalog.=) cb.defined_by
              AND a.only_when IS NOT DISTINCT FROM cb.only_when
WHERE r.days OPERATOR(pg_catalog.>) a.heads$q$,
            per_,
            CASE per_ WHEN 'person-week' THEN 'hrpolicy.week_start' ELSE 'hrpolicy.month_start' END))
        USING range_.first_day, range_.last_day, scope, book,
              hrpolicy.period_filters(book, also),
              hrpolicy.period_facts(book, range_.first_day, range_.last_day);
    END LOOP;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS sqlstate_ = RETURNED_SQLSTATE, message_ = MESSAGE_TEXT,
                            detail_ = PG_EXCEPTION_DETAIL, hint_ = PG_EXCEPTION_HINT;
    IF roster IS NULL THEN
        RAISE;
    END IF;
    PERFORM hrpolicy.raise_from_report('capacity_conflicts', roster, sqlstate_, message_, detail_, hint_);
END
$$;
COMMENT ON FUNCTION hrpolicy.capacity_conflicts(date, date, ltree) IS
    'units and periods where a person-period minimum requires more office days of the unit''s persons than a unit-day cap allows over the period: such decrees cannot both be kept';
