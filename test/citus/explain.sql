-- The plan of compliance()'s query over the roster :roster for the
-- period, as EXPLAIN VERBOSE prints it (the report functions run it with
-- EXECUTE, which EXPLAIN cannot see into).
\set ON_ERROR_STOP on
SELECT format('PREPARE report_plan(date, date, ltree, hrpolicy.report_entry[], hrpolicy.rule_filter[]) AS %s',
              hrpolicy.report_query(:'roster', 'compliance', 'SELECT t.* FROM tallied t')) AS prepare
\gset
:prepare;
SELECT ARRAY(SELECT e FROM hrpolicy.report_book(:'from_day', :'through_day', NULL, 'compliance') e) AS book
\gset
EXPLAIN (VERBOSE, COSTS OFF)
EXECUTE report_plan(:'from_day', :'through_day', NULL, :'book', hrpolicy.book_filters(:'book'));
