-- diagnose(): the probable mistakes of the catalog and the roster, read in
-- the one pass of a report.
--
-- A typo in a decree does not fail: who = '{eselon:II}' where the roster
-- says eselon:2 covers nobody, and 0 of 0 meets every cap; counts =
-- '{hadir}' where the roster says office counts nothing; a scope with one
-- letter wrong covers no unit.  diagnose() reads the roster as compliance()
-- does, with one more filter per tag and status the rules name (so the
-- same pass says which of them occur on the unit-days each rule applies),
-- and the rows a report leaves out; then one more pass for persons with
-- two rows on a day.  Each finding comes with the likely fix: the nearest
-- existing tag, status, label or unit path (hrpolicy.nearest_word).
--
-- Severities: error, the rule or decree as written checks nothing or
-- counts wrongly; warning, it checks something, probably not what was
-- meant; info, worth knowing.

-- The hint for a scope that covers no roster unit: a code split at its
-- dots, a path without its first labels, a misspelt path (the nearest
-- roster path of the same depth), or the roster's units for comparison.
-- paths: every roster unit and each of its ancestors.
CREATE FUNCTION hrpolicy.scope_hint(scope text, paths text[], some_units text[])
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
RETURN (
    SELECT CASE
        -- the code made one label, and the roster's unit path that ends so
        -- (a unit under its parent's path: 4.01 is 4.4_01 there)
        WHEN d.first_digit OPERATOR(pg_catalog.<) d.depth AND d.under IS NOT NULL
            THEN pg_catalog.format(hrpolicy.gettext('Its labels %s look like one code split at its dots: hrpolicy.label(''%s'') makes it one label (%s), and the roster''s unit is %s.'),
                                   d.code, d.code, d.joined, d.under)
        WHEN d.first_digit OPERATOR(pg_catalog.<) d.depth
            THEN pg_catalog.format(hrpolicy.gettext('Its labels %s look like one code split at its dots: hrpolicy.label(''%s'') makes it one label (%s).'),
                                   d.code, d.code, d.joined)
        WHEN d.longer IS NOT NULL
            THEN pg_catalog.format(hrpolicy.gettext('Did you mean scope %s? A scope is the whole path from the root.'), d.longer)
        WHEN hrpolicy.nearest_word(scope, d.same_depth) IS NOT NULL
            THEN pg_catalog.format(hrpolicy.gettext('Did you mean scope %s? The roster has units there.'),
                                   hrpolicy.nearest_word(scope, d.same_depth))
        WHEN pg_catalog.cardinality(some_units) OPERATOR(pg_catalog.>) 0
            THEN pg_catalog.format(hrpolicy.gettext('The roster''s units look like %s. A scope is a path of unit labels; hrpolicy.label() makes a label from a code or name.'),
                                   pg_catalog.array_to_string(some_units, ', '))
        END
    FROM (SELECT c.*,
                 -- the roster path that ends with the code made one label,
                 -- when that label's path is no roster unit itself
                 (SELECT p.path FROM pg_catalog.unnest(paths) p (path)
                  WHERE c.first_digit OPERATOR(pg_catalog.<) c.depth
                    AND NOT c.joined OPERATOR(pg_catalog.=) ANY (paths)
                    AND pg_catalog.right(p.path, pg_catalog.length(c.joined) OPERATOR(pg_catalog.+) 1)
                        OPERATOR(pg_catalog.=) ('.' OPERATOR(pg_catalog.||) c.joined)
                  ORDER BY pg_catalog.length(p.path), p.path LIMIT 1) AS under
          FROM (SELECT b.*,
                       pg_catalog.concat_ws('.', NULLIF(b.prefix, ''), hrpolicy.label(b.code)) AS joined
                FROM (SELECT a.depth, a.first_digit,
                             pg_catalog.array_to_string(a.labels[a.first_digit:], '.') AS code,
                             pg_catalog.array_to_string(a.labels[:a.first_digit OPERATOR(pg_catalog.-) 1], '.') AS prefix,
                             -- the shortest roster path that ends with the scope's labels
                             (SELECT p.path FROM pg_catalog.unnest(paths) p (path)
                              WHERE pg_catalog.right(p.path, pg_catalog.length(scope) OPERATOR(pg_catalog.+) 1)
                                    OPERATOR(pg_catalog.=) ('.' OPERATOR(pg_catalog.||) scope)
                              ORDER BY pg_catalog.length(p.path), p.path LIMIT 1) AS longer,
                             ARRAY(SELECT p.path FROM pg_catalog.unnest(paths) p (path)
                                   WHERE pg_catalog.cardinality(pg_catalog.string_to_array(p.path, '.'))
                                         OPERATOR(pg_catalog.=) a.depth
                                   ORDER BY p.path) AS same_depth
                      -- first_digit: where the trailing run of all-digit labels starts
                      FROM (SELECT l.labels, pg_catalog.cardinality(l.labels) AS depth,
                                   coalesce((SELECT pg_catalog.min(i)
                                             FROM pg_catalog.generate_subscripts(l.labels, 1) i
                                             WHERE NOT EXISTS (SELECT FROM pg_catalog.unnest(l.labels[i:]) x (label)
                                                               WHERE x.label OPERATOR(pg_catalog.!~) '^[0-9]+$')),
                                            pg_catalog.cardinality(l.labels) OPERATOR(pg_catalog.+) 1) AS first_digit
                            FROM (SELECT pg_catalog.string_to_array(scope, '.') AS labels) l) a) b) c) d
);
COMMENT ON FUNCTION hrpolicy.scope_hint(text, text[], text[]) IS
    'internal: the hint of diagnose() for a scope that covers no roster unit';

-- "the one unit-day", "the 12 unit-days"
CREATE FUNCTION hrpolicy.unit_days_text(n bigint) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE WHEN n OPERATOR(pg_catalog.=) 1 THEN hrpolicy.gettext('the one unit-day')
            ELSE pg_catalog.format(hrpolicy.gettext('the %s unit-days'), n) END;
COMMENT ON FUNCTION hrpolicy.unit_days_text(bigint) IS
    'internal: a count of unit-days in words, for diagnose()';

-- The hint for a tag or status a rule names that no row has where the
-- rule applies: the roster has it elsewhere in the period, or a word of
-- the roster is near it, or the roster's words (most frequent first).
CREATE FUNCTION hrpolicy.word_hint(kind text, field text, word text, roster_words text[])
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
RETURN (
    SELECT CASE WHEN field OPERATOR(pg_catalog.=) 'counts' AND word OPERATOR(pg_catalog.=) 'office'
                     AND x.near IS NULL AND NOT x.elsewhere
                THEN hrpolicy.gettext('counts is {office} unless a rule sets it: give the statuses of your roster that mean "in the office", e.g. counts = ''{hadir}''. ')
                ELSE '' END
           OPERATOR(pg_catalog.||)
           CASE WHEN x.elsewhere AND kind OPERATOR(pg_catalog.=) 'tag'
                THEN pg_catalog.format(hrpolicy.gettext('The roster has tag %s on other days or units of the period, not where this rule applies: check the window and scope of its decree, and its only_when.'), word)
                WHEN x.elsewhere
                THEN pg_catalog.format(hrpolicy.gettext('The roster has status %s on other days or units of the period, not where this rule applies: check the window and scope of its decree, and its only_when.'), word)
                WHEN x.near IS NOT NULL AND kind OPERATOR(pg_catalog.=) 'tag'
                THEN pg_catalog.format(hrpolicy.gettext('Did you mean %s? The roster has that tag.'), x.near)
                WHEN x.near IS NOT NULL
                THEN pg_catalog.format(hrpolicy.gettext('Did you mean %s? The roster has that status.'), x.near)
                WHEN coalesce(pg_catalog.cardinality(roster_words), 0) OPERATOR(pg_catalog.=) 0
                THEN CASE kind WHEN 'tag' THEN hrpolicy.gettext('No roster row of the period has any tag.')
                               ELSE hrpolicy.gettext('No roster row of the period has any status.') END
                ELSE pg_catalog.format(CASE kind WHEN 'tag' THEN hrpolicy.gettext('No tag of the roster is near it; the roster''s tags are %s%s.')
                                                 ELSE hrpolicy.gettext('No status of the roster is near it; the roster''s statuses are %s%s.') END,
                                       pg_catalog.array_to_string(roster_words[1:8], ', '),
                                       CASE WHEN pg_catalog.cardinality(roster_words) OPERATOR(pg_catalog.>) 8
                                            THEN ', ...' ELSE '' END) END
    FROM (SELECT coalesce(word OPERATOR(pg_catalog.=) ANY (roster_words), false) AS elsewhere,
                 hrpolicy.nearest_word(word, roster_words) AS near) x
);
COMMENT ON FUNCTION hrpolicy.word_hint(text, text, text, text[]) IS
    'internal: the hint of diagnose() for a tag or status no roster row has where a rule applies';

-- The final SELECT of diagnose()'s report query (report_query, kind
-- diagnose): one row per finding, in order.  %1$L is the roster's name,
-- %2$s the roster, %3$s the period and scope of its rows.  The hints that
-- need the roster's words or units read them in scalar subqueries, run
-- only when a finding needs them; persons counted twice cost one more pass
-- (the hashes of (person, day) that repeat), and the rows behind those
-- hashes are read only when there are some.
CREATE FUNCTION hrpolicy.diagnosis_select(roster regclass) RETURNS text
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF roster IS NULL THEN
        RAISE EXCEPTION USING MESSAGE = hrpolicy.gettext('hrpolicy.diagnosis_select() needs a roster'),
                  ERRCODE = 'null_value_not_allowed';
    END IF;
    RETURN format($q$,
rule_days AS (
    -- per rule row (a rule inherited through amendments is one row of the
    -- decree that defines it, wherever it applies)
    SELECT b.defined_by, b.rule, b.only_when, pg_catalog.count(*) AS unit_days,
           pg_catalog.count(*) FILTER (WHERE hrpolicy.total(t.tally) OPERATOR(pg_catalog.>) 0) AS filled,
           pg_catalog.count(*) FILTER (
               WHERE hrpolicy.total(t.tally) OPERATOR(pg_catalog.>) 0
                 AND CASE WHEN hrpolicy.is_cap(b.quota)
                          THEN hrpolicy.quota_limit(b.quota, hrpolicy.total(t.tally))
                               OPERATOR(pg_catalog.>=) hrpolicy.total(t.tally)
                          ELSE hrpolicy.quota_limit(b.quota, hrpolicy.total(t.tally))
                               OPERATOR(pg_catalog.>) hrpolicy.total(t.tally) END) AS beyond_base
    FROM tallied t
    JOIN book b ON b.k OPERATOR(pg_catalog.=) t.k
    GROUP BY b.defined_by, b.rule, b.only_when
), rule_words AS (
    SELECT DISTINCT b.defined_by, b.rule, b.only_when, w.k AS word_k, w.is_tag, w.word,
           CASE WHEN w.is_tag AND w.word OPERATOR(pg_catalog.=) ANY (b.who) THEN 'who'
                WHEN w.is_tag THEN 'unless'
                WHEN w.word OPERATOR(pg_catalog.=) ANY (b.counts) THEN 'counts'
                ELSE 'excused' END AS field
    FROM book b
    JOIN words w ON CASE WHEN w.is_tag
                         THEN w.word OPERATOR(pg_catalog.=) ANY (b.who OPERATOR(pg_catalog.||) b.unless)
                         ELSE w.word OPERATOR(pg_catalog.=) ANY (b.counts OPERATOR(pg_catalog.||) b.excused) END
), word_days AS (
    -- for each rule row and word it names, whether a row has the word on a
    -- unit-day where the rule applies
    SELECT rw.defined_by, rw.rule, rw.only_when, rw.field, rw.word,
           pg_catalog.bool_or(rw.word_k OPERATOR(pg_catalog.=) ANY (t.seen)) AS seen
    FROM tallied t
    JOIN rule_words rw ON rw.defined_by OPERATOR(pg_catalog.=) t.defined_by
                      AND rw.rule OPERATOR(pg_catalog.=) t.rule
                      AND coalesce(rw.only_when, '') OPERATOR(pg_catalog.=) coalesce(t.only_when, '')
    GROUP BY rw.defined_by, rw.rule, rw.only_when, rw.field, rw.word
), unit_paths AS MATERIALIZED (
    -- every roster unit and each of its ancestors, as text
    SELECT pg_catalog.array_agg(DISTINCT pg_catalog.array_to_string(
               (pg_catalog.string_to_array(u.unit_key, '.'))[1:n], '.')) AS paths
    FROM (SELECT DISTINCT unit_key FROM unit_days) u,
         pg_catalog.generate_series(1, pg_catalog.cardinality(pg_catalog.string_to_array(u.unit_key, '.'))) n
), some_units AS MATERIALIZED (
    SELECT pg_catalog.array_agg(x.unit_key ORDER BY x.unit_key) AS units
    FROM (SELECT DISTINCT unit_key FROM unit_days ORDER BY unit_key LIMIT 3) x
), labels AS MATERIALIZED (
    SELECT pg_catalog.array_agg(DISTINCT c.label) AS labels FROM hrpolicy.circumstance c
), leftovers AS (
    SELECT pg_catalog.sum(c.all_rows) FILTER (WHERE c.unit_key IS NULL AND c.day IS NOT NULL) AS no_unit,
           pg_catalog.sum(c.all_rows) FILTER (WHERE c.day IS NULL) AS no_day,
           pg_catalog.sum(c.no_status) FILTER (WHERE c.day IS NOT NULL) AS no_status,
           pg_catalog.sum(c.no_person) FILTER (WHERE c.day IS NOT NULL) AS no_person
    FROM counted c
), rule_rows AS (
    -- the catalog's rule rows of the book, with their unit-days
    SELECT r.policy AS defined_by, r.name AS rule, r.only_when, r.per, r.quota, r.counts, r.who,
           coalesce(d.unit_days, 0) AS unit_days, coalesce(d.filled, 0) AS filled,
           coalesce(d.beyond_base, 0) AS beyond_base
    FROM (SELECT DISTINCT b.defined_by, b.rule, b.only_when FROM book b) x
    JOIN hrpolicy.rule r ON r.policy OPERATOR(pg_catalog.=) x.defined_by
                        AND r.name OPERATOR(pg_catalog.=) x.rule
                        AND coalesce(r.only_when, '') OPERATOR(pg_catalog.=) coalesce(x.only_when, '')
    LEFT JOIN rule_days d ON d.defined_by OPERATOR(pg_catalog.=) x.defined_by
                         AND d.rule OPERATOR(pg_catalog.=) x.rule
                         AND coalesce(d.only_when, '') OPERATOR(pg_catalog.=) coalesce(x.only_when, '')
), repeats AS MATERIALIZED (
    SELECT hrpolicy.person_day_repeats(r.person, r.day) AS hashes
    FROM %2$s r
    WHERE %3$s AND r.person IS NOT NULL
), findings (rank, policy, rule, problem, hint, needs, word, field) AS (
    -- the roster
    SELECT 1, NULL::text, NULL::text,
           CASE WHEN $3 IS NULL
                THEN pg_catalog.format(hrpolicy.gettext('the roster %%s has no rows from %%s through %%s'), %1$L, $1, $2)
                ELSE pg_catalog.format(hrpolicy.gettext('the roster %%s has no rows from %%s through %%s under %%s'), %1$L, $1, $2, $3) END,
           hrpolicy.gettext('Every report of this period is empty. Check the roster view''s joins and its day column (SELECT count(*) FROM the view for one of those days).'),
           CASE WHEN $3 IS NOT NULL THEN 'scope' END, $3::text, NULL::text
    WHERE NOT EXISTS (SELECT FROM unit_days)
    UNION ALL
    SELECT 2, NULL, NULL,
           pg_catalog.format(hrpolicy.gettext('roster rows of the period without a %%s: %%s; every report leaves them out'), x.what, x.n),
           x.hint, NULL, NULL, NULL
    FROM leftovers l,
         LATERAL (VALUES
             (l.no_unit, 'unit', hrpolicy.gettext('A person without a unit that day? Check the join from attendance to staff and units in the roster view.')),
             (l.no_day, 'day', hrpolicy.gettext('Rows without a day belong to no period: give every row its day.')),
             (l.no_status, 'status', hrpolicy.gettext('A missing attendance row? Give such days a status of their own (e.g. coalesce(a.status, ''absent'')).')),
             (l.no_person, 'person', hrpolicy.gettext('Give every row the person it is about: two rows without a person are not one person.'))
         ) x (n, what, hint)
    WHERE x.n OPERATOR(pg_catalog.>) 0
    UNION ALL
    -- decrees whose scope covers no unit of the roster
    SELECT DISTINCT 2, b.policy, NULL,
           pg_catalog.format(hrpolicy.gettext('decree %%s is in force in the period for %%s, but the roster has no unit there: it checks nobody'),
                             b.policy, b.policy_scope),
           hrpolicy.scope_hint(b.policy_scope::text, p.paths, s.units),
           NULL, NULL, NULL
    FROM book b, unit_paths p, some_units s
    WHERE b.policy_scope IS NOT NULL AND EXISTS (SELECT FROM unit_days)
      AND NOT EXISTS (SELECT FROM unit_days u WHERE hrpolicy.scope_covers(b.policy_scope, u.unit))
    UNION ALL
    -- circumstances whose scope covers no unit of the roster
    SELECT 2, NULL, NULL,
           pg_catalog.format(hrpolicy.gettext('circumstance %%s at %%s (%%s) covers no unit of the roster'), c.label, c.scope, c.valid),
           hrpolicy.scope_hint(c.scope::text, p.paths, s.units),
           NULL, NULL, NULL
    FROM hrpolicy.circumstance c, unit_paths p, some_units s
    WHERE c.valid OPERATOR(pg_catalog.&&) hrpolicy.validity($1, $2, '[]')
      AND ($3 IS NULL OR hrpolicy.scope_covers($3, c.scope) OR hrpolicy.scope_covers(c.scope, $3))
      AND EXISTS (SELECT FROM unit_days)
      AND NOT EXISTS (SELECT FROM unit_days u WHERE hrpolicy.scope_covers(c.scope, u.unit))
    UNION ALL
    -- tags and statuses a rule names that no row has where it applies
    SELECT CASE WHEN w.field OPERATOR(pg_catalog.=) 'who' THEN 1
                WHEN w.field OPERATOR(pg_catalog.=) 'counts'
                     AND NOT EXISTS (SELECT FROM word_days o
                                     WHERE o.defined_by OPERATOR(pg_catalog.=) w.defined_by
                                       AND o.rule OPERATOR(pg_catalog.=) w.rule
                                       AND coalesce(o.only_when, '') OPERATOR(pg_catalog.=) coalesce(w.only_when, '')
                                       AND o.field OPERATOR(pg_catalog.=) 'counts'
                                       AND o.seen) THEN 1
                ELSE 2 END,
           w.defined_by, w.rule,
           pg_catalog.format(CASE w.field
                   WHEN 'who' THEN hrpolicy.gettext('rule %%s requires tag %%s (who), which no roster row has on %%s the rule applies: it covers nobody')
                   WHEN 'unless' THEN hrpolicy.gettext('rule %%s exempts tag %%s (unless), which no roster row has on %%s the rule applies: it exempts nobody')
                   WHEN 'counts' THEN hrpolicy.gettext('rule %%s counts status %%s, which no roster row has on %%s the rule applies')
                   ELSE hrpolicy.gettext('rule %%s excuses status %%s, which no roster row has on %%s the rule applies: it excuses nobody') END,
               w.rule, w.word, hrpolicy.unit_days_text(r.unit_days)),
           NULL,
           CASE WHEN w.field OPERATOR(pg_catalog.=) ANY (ARRAY['who', 'unless']) THEN 'tag' ELSE 'status' END,
           w.word, w.field
    FROM word_days w
    JOIN rule_rows r ON r.defined_by OPERATOR(pg_catalog.=) w.defined_by
                    AND r.rule OPERATOR(pg_catalog.=) w.rule
                    AND coalesce(r.only_when, '') OPERATOR(pg_catalog.=) coalesce(w.only_when, '')
    WHERE NOT coalesce(w.seen, false)
    UNION ALL
    -- rules whose base is empty wherever they apply (when no tag explains it)
    SELECT 2, r.defined_by, r.rule,
           pg_catalog.format(hrpolicy.gettext('rule %%s covers no roster row on any of %%s it applies'), r.rule,
                             hrpolicy.unit_days_text(r.unit_days)),
           hrpolicy.gettext('Compare its who, unless and excused with the tags and statuses of the roster.'), NULL, NULL, NULL
    FROM rule_rows r
    WHERE r.unit_days OPERATOR(pg_catalog.>) 0 AND r.filled OPERATOR(pg_catalog.=) 0
      AND NOT EXISTS (SELECT FROM word_days w
                      WHERE w.defined_by OPERATOR(pg_catalog.=) r.defined_by
                        AND w.rule OPERATOR(pg_catalog.=) r.rule
                        AND coalesce(w.only_when, '') OPERATOR(pg_catalog.=) coalesce(r.only_when, '')
                        AND w.field OPERATOR(pg_catalog.=) 'who'
                        AND NOT coalesce(w.seen, false))
    UNION ALL
    -- a head count that reads like a percentage: a round number that is at
    -- least the whole base (a cap) or more than it (a minimum) on most days
    SELECT 2, r.defined_by, r.rule,
           pg_catalog.format(CASE WHEN hrpolicy.is_cap(r.quota)
                                  THEN hrpolicy.gettext('rule %%s''s quota %%s is a head count, so it never binds: it allows at least the whole base on %%s of %%s it applies')
                                  ELSE hrpolicy.gettext('rule %%s''s quota %%s is a head count, and cannot be met: it requires more than the whole base on %%s of %%s it applies') END,
                             r.rule, r.quota, r.beyond_base, hrpolicy.unit_days_text(r.filled)),
           pg_catalog.format(hrpolicy.gettext('For a share of the base write ''%%s%%%%''.'), r.quota),
           NULL, NULL, NULL
    FROM rule_rows r
    WHERE r.per OPERATOR(pg_catalog.=) 'unit-day'
      AND NOT hrpolicy.is_percent(r.quota)
      AND hrpolicy.quota_limit(r.quota, 1000000) OPERATOR(pg_catalog.>=) 10
      AND hrpolicy.quota_limit(r.quota, 1000000) OPERATOR(pg_catalog.<=) 100
      AND hrpolicy.quota_limit(r.quota, 1000000) OPERATOR(pg_catalog.%%) 5 OPERATOR(pg_catalog.=) 0
      AND r.filled OPERATOR(pg_catalog.>) 0
      AND r.beyond_base OPERATOR(pg_catalog.*) 2 OPERATOR(pg_catalog.>) r.filled
    UNION ALL
    -- a person-period rule's count of days beyond the days of its period
    -- (7 a week, 31 a month), as '<=25' written for 25%%: a cap that never
    -- binds, a minimum that no one can meet
    SELECT 2, r.defined_by, r.rule,
           pg_catalog.format(CASE WHEN hrpolicy.is_cap(r.quota)
                                  THEN hrpolicy.gettext('rule %%s''s quota %%s counts days, and a %%s holds at most %%s: it never binds')
                                  ELSE hrpolicy.gettext('rule %%s''s quota %%s counts days, and a %%s holds at most %%s: no one can meet it') END,
                             r.rule, r.quota, r.per, x.days),
           pg_catalog.format(hrpolicy.gettext('For a share of the base write ''%%s%%%%''.'), r.quota),
           NULL, NULL, NULL
    FROM rule_rows r,
         LATERAL (SELECT CASE r.per WHEN 'person-week' THEN 7 ELSE 31 END AS days) x
    WHERE r.per OPERATOR(pg_catalog.<>) 'unit-day'
      AND NOT hrpolicy.is_percent(r.quota)
      AND CASE WHEN hrpolicy.is_cap(r.quota)
               THEN hrpolicy.quota_limit(r.quota, 1000000) OPERATOR(pg_catalog.>=) x.days
               ELSE hrpolicy.quota_limit(r.quota, 1000000) OPERATOR(pg_catalog.>) x.days END
    UNION ALL
    -- only_when labels that no circumstance has while the rule is in force
    -- (at any time of its window: a month without a closure is no mistake)
    SELECT DISTINCT 2, b.defined_by, b.rule,
           CASE WHEN pg_catalog.left(b.only_when, 1) OPERATOR(pg_catalog.=) '!'
                THEN pg_catalog.format(hrpolicy.gettext('rule %%s applies only when no circumstance %%s holds, and none is recorded while it is in force: it applies everywhere'),
                                       b.rule, pg_catalog.ltrim(b.only_when, '!'))
                ELSE pg_catalog.format(hrpolicy.gettext('rule %%s applies only when circumstance %%s holds, and none is recorded while it is in force: it never applies'),
                                       b.rule, b.only_when) END,
           CASE WHEN hrpolicy.nearest_word(pg_catalog.ltrim(b.only_when, '!'), l.labels) IS NOT NULL
                THEN pg_catalog.format(hrpolicy.gettext('Did you mean only_when = ''%%s%%s''? The circumstances have that label.'),
                                       CASE WHEN pg_catalog.left(b.only_when, 1) OPERATOR(pg_catalog.=) '!' THEN '!' ELSE '' END,
                                       hrpolicy.nearest_word(pg_catalog.ltrim(b.only_when, '!'), l.labels))
                WHEN l.labels IS NULL THEN hrpolicy.gettext('No circumstance is recorded: add them to hrpolicy.circumstance.')
                ELSE pg_catalog.format(hrpolicy.gettext('The circumstances have the labels %%s.'),
                                       pg_catalog.array_to_string((l.labels)[1:8], ', ')) END,
           NULL, NULL, NULL
    FROM book b, labels l
    WHERE b.only_when IS NOT NULL
      AND NOT EXISTS (SELECT FROM book b2
                      JOIN hrpolicy.circumstance c
                        ON c.label OPERATOR(pg_catalog.=) pg_catalog.ltrim(b2.only_when, '!')
                       AND c.valid OPERATOR(pg_catalog.&&) b2.in_force
                      WHERE b2.defined_by OPERATOR(pg_catalog.=) b.defined_by
                        AND b2.rule OPERATOR(pg_catalog.=) b.rule
                        AND b2.only_when OPERATOR(pg_catalog.=) b.only_when)
    UNION ALL
    -- two decrees, neither amending the other, with a rule of the same name on a unit-day
    SELECT 3, x.policy, x.rule,
           pg_catalog.format(hrpolicy.gettext('rule %%s of %%s and rule %%s of %%s both apply on %%s (%%s first): both are checked'),
                             x.rule, x.policy, x.rule, x.other, hrpolicy.unit_days_text(x.unit_days), x.first_unit),
           hrpolicy.gettext('If one decree''s rule replaces the other''s, record it in the amends of the later decree; if both hold, give one of the rules another name.'),
           NULL, NULL, NULL
    FROM (SELECT g.rule, p1.policy, p2.policy AS other, pg_catalog.count(*) AS unit_days,
                 pg_catalog.min(g.unit_key) AS first_unit
          FROM (SELECT t.unit_key, t.day, b.rule, pg_catalog.array_agg(b.policy) AS policies
                FROM tallied t
                JOIN book b ON b.k OPERATOR(pg_catalog.=) t.k
                GROUP BY t.unit_key, t.day, b.rule
                HAVING pg_catalog.min(b.policy) OPERATOR(pg_catalog.<>) pg_catalog.max(b.policy)) g,
               pg_catalog.unnest(g.policies) p1 (policy), pg_catalog.unnest(g.policies) p2 (policy)
          WHERE p1.policy OPERATOR(pg_catalog.<) p2.policy
          GROUP BY g.rule, p1.policy, p2.policy) x
    WHERE NOT EXISTS (SELECT FROM hrpolicy.amendment_lineage(ARRAY[x.policy, x.other]) l
                      WHERE (l.root OPERATOR(pg_catalog.=) x.policy AND l.ancestor OPERATOR(pg_catalog.=) x.other)
                         OR (l.root OPERATOR(pg_catalog.=) x.other AND l.ancestor OPERATOR(pg_catalog.=) x.policy))
)
SELECT (ARRAY['error', 'warning', 'info'])[f.rank],
       f.policy, f.rule, f.problem,
       CASE f.needs
           WHEN 'tag' THEN hrpolicy.word_hint('tag', f.field, f.word, (
               SELECT pg_catalog.array_agg(x.w ORDER BY x.n DESC, x.w)
               FROM (SELECT t.w, pg_catalog.count(*) AS n
                     FROM %2$s r, pg_catalog.unnest(r.tags) t (w)
                     WHERE %3$s AND t.w IS NOT NULL GROUP BY t.w
                     ORDER BY pg_catalog.count(*) DESC LIMIT 1000) x))
           WHEN 'status' THEN hrpolicy.word_hint('status', f.field, f.word, (
               SELECT pg_catalog.array_agg(x.w ORDER BY x.n DESC, x.w)
               FROM (SELECT r.status AS w, pg_catalog.count(*) AS n
                     FROM %2$s r
                     WHERE %3$s AND r.status IS NOT NULL GROUP BY r.status
                     ORDER BY pg_catalog.count(*) DESC LIMIT 1000) x))
           -- no rows under the scope asked for: the roster's units elsewhere
           WHEN 'scope' THEN coalesce((
               SELECT hrpolicy.scope_hint(f.word,
                          pg_catalog.array_agg(DISTINCT pg_catalog.array_to_string(
                              (pg_catalog.string_to_array(x.u, '.'))[1:n], '.')),
                          (pg_catalog.array_agg(DISTINCT x.u ORDER BY x.u))[1:3])
               FROM (SELECT DISTINCT r.unit::pg_catalog.text AS u FROM %2$s r
                     WHERE r.day OPERATOR(pg_catalog.>=) $1 AND r.day OPERATOR(pg_catalog.<=) $2
                       AND r.unit IS NOT NULL) x,
                    pg_catalog.generate_series(1, pg_catalog.cardinality(pg_catalog.string_to_array(x.u, '.'))) n
               HAVING pg_catalog.count(*) OPERATOR(pg_catalog.>) 0), f.hint)
           ELSE f.hint END
FROM (SELECT * FROM findings
      UNION ALL
      -- persons counted twice: the hashes of (person, day) that repeat, in
      -- one pass; the rows behind them only when there are some
      SELECT 1, NULL, NULL,
             pg_catalog.format(hrpolicy.gettext('persons with more than one roster row on a day, whom every tally counts more than once: %%s%%s'),
                               pg_catalog.string_agg(pg_catalog.format(hrpolicy.gettext('%%s on %%s (%%s rows)'), d.person, d.day, d.n), ', '
                                                     ORDER BY d.day, d.person)
                                   FILTER (WHERE d.k OPERATOR(pg_catalog.<=) 3),
                               CASE WHEN pg_catalog.count(*) OPERATOR(pg_catalog.>) 3
                                    THEN pg_catalog.format(hrpolicy.gettext(', and %%s more'), pg_catalog.count(*) OPERATOR(pg_catalog.-) 3)
                                    ELSE '' END),
             hrpolicy.gettext('The roster holds one row per person per day: check the view''s joins (a person in two units, two attendance rows a day, a duty roster joined twice); hrpolicy.duplicate_persons() lists them all.'),
             NULL, NULL, NULL
      FROM (SELECT r.person, r.day, pg_catalog.count(*) AS n,
                   pg_catalog.row_number() OVER (ORDER BY r.day, r.person) AS k
            FROM %2$s r
            WHERE %3$s AND r.person IS NOT NULL
              AND pg_catalog.cardinality((SELECT x.hashes FROM repeats x)) OPERATOR(pg_catalog.>) 0
              AND hrpolicy.person_day_hash(r.person, r.day) OPERATOR(pg_catalog.=) ANY ((SELECT x.hashes FROM repeats x)::pg_catalog.int8[])
            GROUP BY r.person, r.day
            HAVING pg_catalog.count(*) OPERATOR(pg_catalog.>) 1) d
      HAVING pg_catalog.count(*) OPERATOR(pg_catalog.>) 0) f
ORDER BY f.rank, f.policy NULLS FIRST, f.rule NULLS FIRST, f.problem$q$,
        roster::text, roster::text,
        $p$r.day OPERATOR(pg_catalog.>=) $1 AND r.day OPERATOR(pg_catalog.<=) $2
                       AND ($3 IS NULL OR hrpolicy.scope_covers($3, r.unit))$p$);
END
$$;
COMMENT ON FUNCTION hrpolicy.diagnosis_select(regclass) IS
    'internal: the final SELECT of diagnose()''s report query';

CREATE FUNCTION hrpolicy.diagnose(from_day date, through_day date, scope ltree DEFAULT NULL)
RETURNS TABLE (severity text, policy text, rule text, problem text, hint text)
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
    book := ARRAY(SELECT e FROM hrpolicy.report_book(from_day, through_day, scope, 'diagnose') e);
    -- One query, run as RETURN QUERY so that it may use parallel workers.
    RETURN QUERY EXECUTE hrpolicy.report_query(roster, 'diagnose', hrpolicy.diagnosis_select(roster))
        USING from_day, through_day, scope, book, hrpolicy.book_filters(book);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS sqlstate_ = RETURNED_SQLSTATE, message_ = MESSAGE_TEXT,
                            detail_ = PG_EXCEPTION_DETAIL, hint_ = PG_EXCEPTION_HINT;
    IF roster IS NULL THEN
        RAISE;
    END IF;
    PERFORM hrpolicy.raise_from_report('diagnose', roster, sqlstate_, message_, detail_, hint_);
END
$$;
COMMENT ON FUNCTION hrpolicy.diagnose(date, date, ltree) IS
    'the probable mistakes of the catalog and the roster in the period, one row each: severity (error, warning, info), the decree and rule concerned, the problem and a hint with the likely fix';
