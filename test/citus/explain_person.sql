-- The plan of the person reports' counting query (person-week) over the
-- roster :roster for the period, as EXPLAIN VERBOSE prints it.  The book
-- and its arrays are empty: the plan's shape does not depend on them.
\set ON_ERROR_STOP on
SELECT format('PREPARE person_plan(date, date, ltree, hrpolicy.report_entry[], hrpolicy.period_filter[], hrpolicy.period_fact[]) AS %s',
              hrpolicy.person_report_query(:'roster', 'person-week',
                  'SELECT g.person, g.first_day, g.tallies, g.units, g.entries FROM grouped g')) AS prepare
\gset
:prepare;
EXPLAIN (VERBOSE, COSTS OFF)
EXECUTE person_plan(:'from_day', :'through_day', NULL, '{}', '{}', '{}');
