-- hrpolicy.validity: a range of dates whose canonical form is [first, last].
\i test/preamble.sql
SET search_path = hrpolicy, public;
SET datestyle = ISO;

-- Canonical form: both ends inclusive, as decrees write them.
SELECT input, input::validity AS canonical, lower(input::validity), upper(input::validity),
       lower_inc(input::validity), upper_inc(input::validity), isempty(input::validity)
FROM (VALUES ('[2020-03-24,2020-03-31]'), ('[2020-03-24,2020-04-01)'),
             ('(2020-03-23,2020-03-31]'), ('(2020-03-23,2020-04-01)'),
             ('[2020-03-24,2020-03-24]'), ('[2020-03-24,2020-03-25)'),
             ('(2020-03-24,2020-03-25)'), ('[2020-03-24,2020-03-24)'), ('empty'),
             ('[2020-08-01,)'), ('(2020-07-31,)'), ('(,2020-03-31]'), ('(,2020-04-01)'),
             ('(,)'), ('[2020-08-01,infinity)'), ('[2020-08-01,infinity]'),
             ('(-infinity,2020-01-01)'), ('[2020-02-28,2020-03-01)'), ('[2019-12-31,2020-01-01]')
     ) AS t(input);

SELECT '[2020-03-24,2020-04-01)'::validity = '[2020-03-24,2020-03-31]'::validity AS equal_forms,
       validity('2020-03-24', '2020-04-01') AS half_open_constructor,
       validity('2020-03-24', '2020-03-31', '[]') AS as_written,
       validity('2020-08-01', NULL) AS until_revoked;

SELECT error_of($$SELECT '[2020-03-31,2020-03-24]'::hrpolicy.validity$$) AS reversed,
       error_of($$SELECT '[2020-03-24'::hrpolicy.validity$$) AS malformed;

-- An exclusive bound at an end of the date range encloses no day on that
-- side: the window is empty (it used to be an error, 22008, that made every
-- report fail once a revoker began on the first date).
SELECT '[5874897-12-31,5874897-12-31)'::validity AS edge_empty,
       '(5874897-12-31,)'::validity AS past_last_date,
       '(,4714-11-24 BC)'::validity AS before_first_date,
       validity(NULL, '4714-11-24 BC') AS ended_before_first_date,
       '[4714-11-24 BC,4714-11-24 BC]'::validity AS first_date,
       '(4714-11-24 BC,4714-11-26 BC)'::validity AS second_date;

-- Range operators.  Adjacency and union are where a wrong canonical form breaks.
SELECT '[2020-03-24,2020-03-31]'::validity -|- '[2020-04-01,2020-04-21]'::validity AS adjacent,
       '[2020-03-24,2020-03-31]'::validity -|- '[2020-04-02,2020-04-21]'::validity AS gap_of_a_day,
       '[2020-03-24,2020-03-31]'::validity && '[2020-03-31,2020-04-21]'::validity AS share_a_day,
       '[2020-03-24,2020-03-31]'::validity && '[2020-04-01,2020-04-21]'::validity AS overlap_adjacent,
       '[2020-03-24,2020-03-31]'::validity @> '2020-03-31'::date AS last_day_in,
       '[2020-03-24,2020-03-31]'::validity @> '2020-04-01'::date AS next_day_out,
       '[2020-08-01,)'::validity @> '2999-01-01'::date AS open_end;
SELECT '[2020-03-24,2020-03-31]'::validity + '[2020-04-01,2020-04-21]'::validity AS union_adjacent,
       '[2020-03-24,2020-03-31]'::validity * '[2020-03-28,2020-04-21]'::validity AS intersection,
       '[2020-03-24,2020-04-21]'::validity - '[2020-04-01,2020-04-21]'::validity AS difference,
       '[2020-03-24,2020-03-31]'::validity * '[2020-04-01,2020-04-21]'::validity AS no_common_day;
SELECT error_of($$SELECT '[2020-03-24,2020-03-31]'::hrpolicy.validity + '[2020-04-02,2020-04-21]'::hrpolicy.validity$$) AS union_with_gap;
SELECT range_agg(v) AS merged,
       range_merge(range_agg(v)) AS hull
FROM (VALUES ('[2020-03-16,2020-03-31]'::validity), ('[2020-04-01,2020-04-21]'),
             ('[2020-04-22,2020-05-13]'), ('[2020-06-05,)')) t(v);
SELECT '{[2020-03-24,2020-03-31], [2020-04-01,2020-04-21]}'::validity_set AS set_merges,
       '{[2020-03-24,2020-04-01), (2020-04-01,2020-04-05]}'::validity_set AS set_canonical,
       validity_set('[2020-01-01,2020-01-10]', '[2020-01-05,2020-01-20]') AS set_overlap,
       '{[2020-03-24,2020-03-31]}'::validity_set @> '2020-03-31'::date AS set_contains;
SELECT unnest('{[2020-03-24,2020-03-31], [2020-04-02,2020-04-21]}'::validity_set) AS pieces;

-- Days in force.
SELECT v, days(v), working_days(v),
       working_days(v, '{2020-04-10, 2020-04-10, 2020-04-11, 2019-01-01, NULL}') AS less_good_friday
FROM (VALUES ('[2020-04-01,2020-04-21]'::validity), ('[2020-03-24,2020-03-31]'),
             ('[2020-04-04,2020-04-05]'), ('[2020-04-06,2020-04-06]'), ('empty'),
             ('[2020-08-01,)'), ('(,2020-01-01]'), ('[2020-01-01,2020-12-31]'),
             ('[2021-01-27,2021-02-09]')) t(v);
SELECT days('[4714-11-24 BC,5874897-12-31]') AS all_dates;

-- GiST indexes and an exclusion constraint refusing two windows that share a day.
CREATE TABLE shift_window (unit text, valid validity,
                           EXCLUDE USING gist (valid WITH &&));
INSERT INTO shift_window VALUES ('a', '[2020-03-24,2020-03-31]');
INSERT INTO shift_window VALUES ('b', '[2020-04-01,2020-04-21]');
SELECT error_of($$INSERT INTO shift_window VALUES ('c', '[2020-03-31,2020-04-02]')$$) AS shares_a_day;
INSERT INTO shift_window
    SELECT 'g' || g, validity(date '2021-01-01' + g * 3, date '2021-01-01' + g * 3 + 3)
    FROM generate_series(0, 2000) g;
ANALYZE shift_window;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT unit FROM shift_window WHERE valid @> '2022-01-01'::date;
SELECT unit, valid FROM shift_window WHERE valid @> '2022-01-01'::date;
SELECT unit, valid FROM shift_window WHERE valid && '[2020-03-31,2020-04-01]' ORDER BY valid;
RESET enable_seqscan;
DROP TABLE shift_window;

-- A multirange column with a GiST index.
CREATE TABLE leave_days (person text, days validity_set);
INSERT INTO leave_days VALUES ('ani', '{[2020-04-01,2020-04-03], [2020-04-10,2020-04-10]}'),
                              ('budi', '{[2020-04-06,2020-04-09]}');
CREATE INDEX ON leave_days USING gist (days);
SELECT person FROM leave_days WHERE days @> '2020-04-10'::date;
DROP TABLE leave_days;

-- Binary COPY round trip of windows.
CREATE TABLE windows_bin (v validity, s validity_set);
INSERT INTO windows_bin VALUES ('[2020-03-24,2020-03-31]', '{[2020-03-24,2020-03-31],[2020-04-02,)}'),
                               ('empty', '{}'), ('(,)', '{(,)}');
\copy windows_bin TO 'results/windows.bin' WITH (FORMAT binary)
CREATE TABLE windows_bin2 (LIKE windows_bin);
\copy windows_bin2 FROM 'results/windows.bin' WITH (FORMAT binary)
SELECT a.v, a.s, a.v = b.v AND a.s = b.s AS same
FROM (SELECT row_number() OVER () AS n, * FROM windows_bin) a
JOIN (SELECT row_number() OVER () AS n, * FROM windows_bin2) b USING (n) ORDER BY n;
DROP TABLE windows_bin, windows_bin2;
