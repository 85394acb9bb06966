-- hrpolicy.tally: text forms, arithmetic, the tally() aggregates, headroom,
-- binary send/recv and parallel aggregation.
\i test/preamble.sql
SET search_path = hrpolicy, public;

SELECT input, input::tally AS canonical, part(input::tally), total(input::tally),
       percent(input::tally)
FROM (VALUES ('3/12'), (' 3 / 12 '), ('0/0'), ('0/5'), ('5/5'), ('1/3'), ('2/3'),
             ('007/010'), ('9223372036854775807/9223372036854775807')) v(input);

SELECT input, error_of(format('SELECT %L::hrpolicy.tally', input)) AS error
FROM (VALUES (''), ('3'), ('3/'), ('/12'), ('3/12/1'), ('3-12'), ('a/b'),
             ('3.5/12'), ('3/12.0'), ('-1/12'), ('3/-12'), ('13/12'),
             ('9223372036854775808/9223372036854775808'), ('1/99999999999999999999'),
             ('3/12 x')) v(input);

SELECT make_tally(3, 12) AS made, make_tally(0, 0) AS empty;
SELECT error_of($$SELECT hrpolicy.make_tally(13, 12)$$) AS part_over_total,
       error_of($$SELECT hrpolicy.make_tally(-1, 12)$$) AS negative_part;

-- + adds parts and totals; overflow is an error, not a wrap.
SELECT '3/12'::tally + '1/4'::tally AS sum, '0/0'::tally + '0/0' AS zero;
SELECT error_of($$SELECT '1/9223372036854775807'::hrpolicy.tally + '0/1'::hrpolicy.tally$$) AS overflow;
SELECT '3/12'::tally = '3/12'::tally AS eq, '1/2'::tally = '2/4'::tally AS not_reduced,
       '3/12'::tally <> '4/12'::tally AS ne;
SELECT t, count(*) FROM (VALUES ('1/2'::tally), ('1/2'), ('2/4')) v(t) GROUP BY t ORDER BY count(*), t::text;

-- tally(bool): part = true rows, total = non-null rows; no rows = 0/0.
SELECT tally(v) FROM (VALUES (true), (false), (NULL), (true), (false)) t(v);
SELECT tally(v) FROM (VALUES (NULL::boolean)) t(v);
SELECT tally(v) FROM (SELECT true WHERE false) t(v);
SELECT g % 2 AS grp, tally(g % 3 = 0) FROM generate_series(1, 12) g GROUP BY 1 ORDER BY 1;
-- As a window aggregate the running state never leaks between rows.
SELECT g, tally(g % 2 = 0) OVER (ORDER BY g) FROM generate_series(1, 5) g;
SELECT g, tally(g % 2 = 0) OVER (ORDER BY g ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM generate_series(1, 5) g;

-- tally(bool, heads): rows already counted.
SELECT tally(office, n) FROM (VALUES (true, 3::bigint), (false, 9), (NULL, 5), (true, NULL)) v(office, n);
SELECT error_of($$SELECT hrpolicy.tally(true, -1::bigint)$$) AS negative_weight;
SELECT sum(t) FROM (VALUES ('1/4'::tally), ('2/8'), ('0/0')) v(t);

-- headroom: under a cap, heads that may still come in (negative: over);
-- under a minimum, heads beyond it (negative: short); under = , the distance.
SELECT t::tally AS tally, q::quota AS quota, quota_limit(q::quota, total(t::tally)) AS allowed,
       t::tally <@ q::quota AS ok, headroom(t::tally, q::quota)
FROM (VALUES ('1/7', '<=25%'), ('3/7', '<=25%'), ('0/7', '<25%'), ('2/7', '>=25%'),
             ('5/7', '>=25%'), ('0/7', '>=25%'), ('1/4', '=25%'), ('3/4', '=25%'),
             ('0/4', '=25%'), ('2/7', '=25%'), ('0/0', '<=25%'), ('0/0', '>=2'),
             ('4/12', '<=2'), ('12/12', 'all'), ('11/12', 'all'), ('0/12', 'none'),
             ('9223372036854775807/9223372036854775807', '<25%')) v(t, q);

-- Binary send/recv: a COPY BINARY round trip keeps every value.
CREATE TABLE binary_source (id int, q quota, t tally);
INSERT INTO binary_source VALUES
    (1, '<=25%', '3/12'), (2, '>=2', '0/0'), (3, 'all', '9223372036854775807/9223372036854775807'),
    (4, '<=33.3333%', '1/3'), (5, 'none', '0/1'), (6, '<2147483647', '5/5'), (7, NULL, NULL);
\copy binary_source TO 'results/types.bin' WITH (FORMAT binary)
CREATE TABLE binary_target (LIKE binary_source);
\copy binary_target FROM 'results/types.bin' WITH (FORMAT binary)
SELECT s.id, s.q, s.t, t.q IS NOT DISTINCT FROM s.q AS same_q, t.t IS NOT DISTINCT FROM s.t AS same_t
FROM binary_source s JOIN binary_target t USING (id) ORDER BY id;
SELECT quota_send('<=33.33%') AS quota_bytes, tally_send('3/12') AS tally_bytes;
DROP TABLE binary_source, binary_target;

-- Parallel aggregation: partial states combine with + and give the serial
-- result.  30% of the rows are true: 60000/200000, and per group of grp
-- (50000 rows each) 40000 or 20000 heads of 100000 with weight 2.
CREATE TABLE attendance_flags AS
    SELECT g AS person, g % 4 AS grp, (g * 7919) % 10 < 3 AS in_office
    FROM generate_series(1, 200000) g;
ANALYZE attendance_flags;
SELECT tally(in_office) AS serial, count(*) FILTER (WHERE in_office) AS part, count(in_office) AS total
FROM attendance_flags;
SELECT grp, tally(in_office, 2) AS serial FROM attendance_flags GROUP BY 1 ORDER BY 1;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET min_parallel_table_scan_size = 0;
EXPLAIN (COSTS OFF) SELECT tally(in_office) FROM attendance_flags;
SELECT tally(in_office) AS parallel FROM attendance_flags;
EXPLAIN (COSTS OFF)
SELECT grp, tally(in_office, 2) FROM attendance_flags GROUP BY 1;
SELECT grp, tally(in_office, 2) AS parallel FROM attendance_flags GROUP BY 1 ORDER BY 1;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET min_parallel_table_scan_size;
DROP TABLE attendance_flags;
