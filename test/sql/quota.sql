-- hrpolicy.quota: text forms, canonical output, exact limits and admission.
\i test/preamble.sql
SET search_path = hrpolicy, public;

-- Every accepted form and its canonical text.
SELECT input, input::quota AS canonical
FROM (VALUES ('<=25%'), ('< 25%'), ('>=2'), ('>2'), ('=100%'), ('<=33.33%'),
             ('at most 25%'), ('at least 2'), ('exactly 50%'), ('none'), ('all'),
             ('less than 3'), ('fewer than 10%'), ('more than 1'),
             ('  <=  25  %  '), ('AT   MOST 12.5%'), ('All'), (E'\t>=\n0'),
             ('<=0%'), ('<=0'), ('>=0'), ('>=0%'), ('=0'), ('<=100%'),
             ('>99.9999%'), ('<=0.0001%'), ('<=25.0%'), ('<=025.50%'),
             ('<=2147483647'), ('>2147483647'), ('<1'), ('<0.0001%')
     ) AS t(input);

-- Canonical text reads back to the same quota.
SELECT count(*) AS forms, bool_and(q::text::quota = q) AS round_trip
FROM (SELECT input::quota AS q
      FROM (VALUES ('<=25%'), ('<=33.33%'), ('>2'), ('none'), ('all'), ('=12.3456%')) v(input)) s;

-- Bad input: SQLSTATE, message quoting the input, and what is wrong.
SELECT input, error_of(format('SELECT %L::hrpolicy.quota', input)) AS error
FROM (VALUES (''), ('   '), ('junk'), ('25%'), ('<='), ('<=%'), ('<=abc'),
             ('<=25%%'), ('<=25% extra'), ('<=25.%'), ('<=.5%'), ('<=2.5'),
             ('<=25.12345%'), ('<=25.00000%'), ('<=101%'), ('<=100.0001%'),
             ('<=-5%'), ('>=-1'), ('<= -0'), ('=-0%'), ('<=2147483648'), ('<=99999999999999999999'),
             ('<0'), ('<0%'), ('>100%'), ('at most'), ('atmost 5'), ('at  most25'),
             ('nonee'), ('none 5'), ('all%'), ('=<5'), ('==5'), ('=> 5'),
             ('<=+5'), ('≤ 25%')
     ) AS t(input);

-- Limits: for a cap the most heads admitted, for the rest the fewest required.
-- <=25% of 7 is 1 (1*100 <= 175 < 2*100); >=25% of 7 is 2.
SELECT total,
       quota_limit('<=25%', total) AS "<=25%",
       quota_limit('<25%', total)  AS "<25%",
       quota_limit('>=25%', total) AS ">=25%",
       quota_limit('>25%', total)  AS ">25%",
       quota_limit('=25%', total)  AS "=25%",
       quota_limit('<=33.33%', total) AS "<=33.33%",
       quota_limit('>=50%', total) AS ">=50%",
       quota_limit('<=2', total)   AS "<=2",
       quota_limit('<2', total)    AS "<2",
       quota_limit('>=2', total)   AS ">=2",
       quota_limit('>2', total)    AS ">2",
       quota_limit('=2', total)    AS "=2"
FROM generate_series(0, 20) AS total;

-- Extreme totals stay exact (no floating point, no overflow).
SELECT quota_limit('<=33.3333%', 9223372036854775807) AS max_total_cap,
       quota_limit('>99.9999%', 9223372036854775807) AS max_total_min,
       quota_limit('<=100%', 9223372036854775807) AS all_of_max,
       quota_limit('>2147483647', 0) AS count_above_int32;
SELECT error_of($$SELECT hrpolicy.quota_limit('<=25%', -1)$$) AS negative_total;

-- Boundary admission: 0/0, exactly at the bound, one over, one under.
SELECT t::tally AS tally, q::quota AS quota, t::tally <@ q::quota AS meets,
       q::quota @> t::tally AS admits
FROM (VALUES ('0/0', '<=25%'), ('0/0', '<25%'), ('0/0', '>=25%'), ('0/0', '>25%'),
             ('0/0', '=25%'), ('0/0', '>=2'), ('0/0', '<=0'), ('0/0', 'all'),
             ('1/4', '<=25%'), ('2/4', '<=25%'), ('1/4', '<25%'), ('0/4', '<25%'),
             ('1/4', '>=25%'), ('0/4', '>=25%'), ('1/4', '>25%'), ('2/4', '>25%'),
             ('1/4', '=25%'), ('2/4', '=25%'), ('1/7', '<=25%'), ('2/7', '<=25%'),
             ('2/7', '>=25%'), ('1/7', '>=25%'), ('1/7', '=25%'), ('2/7', '=25%'),
             ('2/5', '<=2'), ('3/5', '<=2'), ('1/5', '<2'), ('2/5', '<2'),
             ('2/5', '>=2'), ('1/5', '>=2'), ('3/5', '>2'), ('2/5', '>2'),
             ('2/5', '=2'), ('3/5', '=2'), ('0/5', 'none'), ('1/5', 'none'),
             ('5/5', 'all'), ('4/5', 'all'), ('1/3', '<=33.33%'), ('1/3', '<=33.34%'),
             ('1/3', '>=33.33%'), ('1/3', '>=33.34%')
     ) AS v(t, q);

-- Equality, ordering and hashing.
SELECT '<=25%'::quota = 'at most 25%'::quota AS same_quota,
       '<=25%'::quota = '<=25.0000%'::quota AS same_scale,
       '<=0'::quota = 'none'::quota AS none_is_le0,
       '<=0'::quota <> '<=0%'::quota AS count_is_not_percent,
       '<=25%'::quota <> '<25%'::quota AS op_matters;
SELECT q FROM (VALUES ('>=2'::quota), ('<=25%'), ('<=2'), ('all'), ('<25%'), ('none'), ('=2')) v(q)
ORDER BY q;
SELECT count(DISTINCT q) AS distinct_quotas
FROM (VALUES ('<=25%'::quota), ('at most 25%'), ('<=25.00%'), ('<25%'), ('<=25')) v(q);
SET enable_sort = off;
SELECT q, count(*) FROM (VALUES ('<=25%'::quota), ('at most 25%'), ('<25%')) v(q)
GROUP BY q ORDER BY count(*) DESC, q;
RESET enable_sort;
CREATE TABLE quota_index_test (q quota);
INSERT INTO quota_index_test SELECT format('<=%s%%', g % 101)::quota FROM generate_series(1, 1000) g;
CREATE INDEX ON quota_index_test USING btree (q);
CREATE INDEX ON quota_index_test USING hash (q);
SET enable_seqscan = off;
SELECT count(*) FROM quota_index_test WHERE q = '<=50%';
RESET enable_seqscan;
DROP TABLE quota_index_test;

-- Caps and shares.
SELECT q, is_cap(q), is_percent(q)
FROM (VALUES ('<=25%'::quota), ('<2'), ('>=2'), ('>25%'), ('=50%')) v(q);
