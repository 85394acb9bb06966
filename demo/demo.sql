-- The hrpolicy demo: the types at work.
\pset footer off
SET client_min_messages = warning;
CREATE EXTENSION hrpolicy CASCADE;
SET search_path = hrpolicy, public;
SET datestyle = ISO;

\echo '== Quotas: "at most 25% of each unit in the office", exact for every unit size'
SELECT total AS staff, quota_limit('<=25%', total) AS "at most 25% in office",
       quota_limit('>=25%', total) AS "at least 25% in office"
FROM generate_series(4, 12) total;

\echo '== Tallies: 3 of 12 in office meets <=25%; 4 of 12 does not'
SELECT t::tally AS tally, percent(t::tally) AS "%", t::tally <@ '<=25%' AS ok,
       headroom(t::tally, '<=25%') AS headroom
FROM (VALUES ('3/12'), ('4/12')) v(t);

\echo '== Windows as decrees write them: "from 24 to 31 March 2020"'
SELECT '[2020-03-24,2020-03-31]'::validity AS belu,
       working_days('[2020-03-24,2020-03-31]') AS working_days,
       '[2020-03-24,2020-03-31]'::validity -|- '[2020-04-01,2020-04-21]'::validity AS extended_without_gap;
