-- SQL-level fuzzer of every C function of hrpolicy.
--
-- The threat model (DESIGN.md): no role can crash a backend, corrupt memory
-- or get an internal error (XX000) through any SQL-callable object of the
-- extension, with any arguments, including aggregates it builds itself on
-- the extension's support functions.  This file checks that with generated
-- arguments.  The C functions are found in pg_proc (members of the
-- extension through pg_depend 'e', language C), so that new ones are
-- fuzzed without changes here:
--
--  1. direct calls: every C function is called many times with arguments
--     of its declared types, plausible ones half the time (small valid
--     tallies and quotas, windows of 2020, 1-D arrays without NULLs, the
--     rules' words, decree codes) and anything the rest: NULLs, empty,
--     2-D, 3-D and non-1-based arrays, arrays of NULLs, arrays of 100000
--     elements or of 63, 64, 65 distinct words, int8 and date extremes
--     (4714-11-24 BC, 5874897-12-31, +-infinity), empty, unbounded and
--     inverted windows, valid and broken quota and tally literals,
--     rule_filters with NULL fields, random and very long strings.  Type
--     input functions are called directly (quota_in('...'::cstring)) and
--     through casts, output functions directly and through ::text.  Each
--     call runs as the superuser or as the unprivileged role hrp_fuzzer
--     (USAGE on the schema and SELECT on the catalog, like the README's
--     reader; it also writes the fuzzer's own enforced tables), chosen at
--     random for the functions PUBLIC may execute.  Ranges the range code
--     computes (*, +, -, range_merge, multiranges, range_agg) go through
--     validity_canonical too.
--     Not called directly, as SQL cannot: functions taking internal (the
--     receive functions: fed by COPY FROM binary files when fuzz_dir is
--     given, see 6; the aggregate support functions with an internal
--     state: see 8), and those returning trigger or event_trigger (see 5).
--  2. aggregates built on the support functions: for every function whose
--     first argument's type is its result's (a possible SFUNC), CREATE
--     AGGREGATE pg_temp.* with it as SFUNC, with and without each function
--     of signature (s, s) -> s as COMBINEFUNC (PARALLEL SAFE), with no
--     INITCOND and with valid and hostile ones (arrays of NULLs, 2-D,
--     non-1-based, of other lengths, of 100000 elements, extreme tallies),
--     as moving aggregates (MSFUNC = MINVFUNC = it), and as ordered-set
--     aggregates whose final function is a combine function (given the
--     direct argument); owned by the superuser and, where PUBLIC may
--     execute the support functions, by hrp_fuzzer.  They and the
--     extension's own aggregates run over tables of generated rows
--     (regenerated every round: plausible rows with the same filters and
--     arrays of one length, or with some wild values, or wild; arrays
--     change length between rows) in many shapes: plain, grouped (hash,
--     sort, grouping sets), ORDER BY, FILTER, DISTINCT, window functions
--     with moving frames, correlated subqueries, computed inputs (expanded
--     arrays, NULLs, lengths changing), partitionwise (combine functions
--     without parallelism) and parallel (parallel_setup_cost = 0, ...).
--  3. enforcement: writes to the enforced tables of the roster (partitioned
--     attendance, and staff without a day column) in nested savepoints
--     rolled back at random, TRUNCATE, direct calls of the enforce*
--     functions, SET CONSTRAINTS ALL IMMEDIATE; all rolled back.
--  4. catalog writes (rolled back): decrees whose amends close cycles,
--     renames, deletes, rules, with the deferred checks fired at once.  The
--     catalog is also loaded, with triggers off, with what its checks would
--     refuse (cycles, unknown references, a chain of 300, a fan of 60).
--  5. trigger functions: triggers calling the extension's C trigger
--     functions on temp tables (as hrp_fuzzer where PUBLIC may), with
--     random arguments, timing, level and events, fired by writes; C event
--     trigger functions on every event around DDL (superuser); DROP
--     EXTENSION (keep_decrees).
--  6. binary input: mutated send output of quota, tally, their arrays,
--     validity and validity_set loaded with COPY FROM (FORMAT binary).
--  7. after each round's COMMIT, outside any subtransaction, the functions
--     that read the catalog with the active snapshot.
--  8. last (it has crashed the server): aggregates with an internal state
--     (superuser only), pairing the extension's internal transition and
--     final functions with each other and with PostgreSQL's.
--
-- Every call runs in its own subtransaction (BEGIN ... EXCEPTION), rolled
-- back after it (unless its scenario keeps its effects), so that one error
-- does not stop the run.  Per target (function, aggregate or scenario) the
-- calls, the successes and the errors by SQLSTATE are counted.  SQLSTATE
-- XX000, XX001 or XX002 is a finding: it is kept with the target, the role,
-- the exact statement and the message, printed as a WARNING, and the run
-- ends with an ERROR.  A crash ends the session: psql fails (with
-- fuzz_trace on, the last statement traced is the culprit).
--
-- psql variables (all optional):
--   fuzz_rounds    amount of work, in rounds (default 3); each round calls
--                  every function fuzz_calls times and runs every aggregate
--   fuzz_calls     direct calls per function per round (default 40)
--   fuzz_seed      setseed() argument, -1 .. 1 (default 0.4242): the same
--                  seed, rounds and calls make the same statements
--   fuzz_trace     on: a NOTICE with each statement before it runs
--   fuzz_dir       a directory the server may write and read (enables the
--                  COPY binary part; needs a superuser)
--   fuzz_internal  off: skip the aggregates with an internal state
-- Run as a superuser in a database of its own (scripts/check-sql-fuzz.sh):
--   psql -v ON_ERROR_STOP=1 -v fuzz_rounds=3 -f test/sql_fuzz.sql
-- It creates the role hrp_fuzzer if missing, the schema hrp_fuzz, and
-- decrees in the catalog.

\set ON_ERROR_STOP 1
\if :{?fuzz_rounds}
\else
\set fuzz_rounds 3
\endif
\if :{?fuzz_calls}
\else
\set fuzz_calls 40
\endif
\if :{?fuzz_seed}
\else
\set fuzz_seed 0.4242
\endif
\if :{?fuzz_trace}
\else
\set fuzz_trace off
\endif
\if :{?fuzz_dir}
\else
\set fuzz_dir ''
\endif
\if :{?fuzz_internal}
\else
\set fuzz_internal on
\endif

SET datestyle = ISO;
SET search_path = public;
-- psql does not expand variables inside dollar quotes: pass them as settings.
SELECT set_config('hrp_fuzz.rounds', :'fuzz_rounds', false),
       set_config('hrp_fuzz.calls', :'fuzz_calls', false),
       set_config('hrp_fuzz.seed', :'fuzz_seed', false),
       set_config('hrp_fuzz.trace', :'fuzz_trace', false),
       set_config('hrp_fuzz.dir', :'fuzz_dir', false),
       set_config('hrp_fuzz.sane', 'off', false), set_config('hrp_fuzz.len', '-1', false),
       set_config('hrp_fuzz.days', 'off', false) \gset fuzz_setting_

-- The trace is made of NOTICEs (sent to the client at once, so that the
-- last one before a crash names the culprit); else only warnings.
SELECT set_config('client_min_messages', CASE WHEN :'fuzz_trace' = 'on' THEN 'notice' ELSE 'warning' END, false)
\gset fuzz_setting_
SELECT pg_backend_pid() AS fuzz_backend_pid \gset
\echo sql-fuzz: backend pid :fuzz_backend_pid, seed :fuzz_seed, rounds :fuzz_rounds, calls :fuzz_calls
CREATE EXTENSION IF NOT EXISTS hrpolicy CASCADE;

-- The unprivileged role: what the README grants a reader, plus writing the
-- fuzzer's own attendance table (an attendance writer of an enforced table).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hrp_fuzzer') THEN
        CREATE ROLE hrp_fuzzer NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
    END IF;
END $$;
DROP SCHEMA IF EXISTS hrp_fuzz CASCADE;
CREATE SCHEMA hrp_fuzz;
GRANT USAGE ON SCHEMA hrpolicy, hrp_fuzz TO hrp_fuzzer;
GRANT SELECT ON ALL TABLES IN SCHEMA hrpolicy TO hrp_fuzzer;

-- === bookkeeping =============================================================

CREATE TEMP TABLE fz_call (target text NOT NULL, who text NOT NULL, state text NOT NULL, message text, statement text,
    ms float8);
CREATE TEMP TABLE fz_finding (
    n serial, target text, who text, state text, statement text,
    message text, detail text, context text);
CREATE TEMP TABLE fz_aggregate (name text NOT NULL, args text NOT NULL, cols text NOT NULL,
    has_combine boolean NOT NULL, moving boolean NOT NULL, ordered_set boolean NOT NULL,
    fuzzer_may boolean NOT NULL, definition text NOT NULL, PRIMARY KEY (name, args));
CREATE TEMP TABLE fz_code (i serial PRIMARY KEY, code text NOT NULL);
CREATE TEMP TABLE fz_note (n serial, note text);

-- === random helpers ===========================================================
-- Every draw comes from random(), seeded once, in a fixed order: a run with
-- the same seed and settings makes the same statements.

CREATE FUNCTION pg_temp.rint(lo bigint, hi bigint) RETURNS bigint LANGUAGE sql AS
$$ SELECT lo + floor(random() * (hi - lo + 1)::float8)::bigint $$;
CREATE FUNCTION pg_temp.pick(a anyarray) RETURNS anyelement LANGUAGE sql AS
$$ SELECT a[pg_temp.rint(1, cardinality(a))] $$;
CREATE FUNCTION pg_temp.chance(p float8) RETURNS boolean LANGUAGE sql AS
$$ SELECT random() < p $$;

CREATE FUNCTION pg_temp.rand_chars(n int) RETURNS text LANGUAGE plpgsql AS $$
DECLARE s text := '';
BEGIN
    FOR i IN 1..n LOOP
        s := s || CASE (pg_temp.rint(1, 8) + 1) / 3 -- 0: 1/8, 1: 3/8, 2: 3/8, 3: 1/8
            WHEN 1 THEN pg_temp.pick(ARRAY['0','1','2','5','9','<','>','=','%','.','-','+','/',' ',
                E'\t', E'\n', '[', ']', '(', ')', ',', '"', '\', '{', '}', 'e', 'a', 'l', 'n', ':', ';', '''', '!'])
            WHEN 2 THEN chr(pg_temp.rint(32, 126)::int)
            WHEN 3 THEN pg_temp.pick(ARRAY[U&'\00A0', U&'\00E9', U&'\FF05', U&'\0663', U&'\2264', U&'\FFFD',
                U&'\FEFF', U&'\200B', U&'\+01F642', U&'\00BD', chr(pg_temp.rint(128, 55295)::int)])
            ELSE chr(pg_temp.rint(1, 31)::int) END;
    END LOOP;
    RETURN s;
END $$;

-- One to three random edits of a string.
CREATE FUNCTION pg_temp.mutate(s text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE pos int;
BEGIN
    FOR k IN 1..pg_temp.rint(1, 3) LOOP
        pos := pg_temp.rint(1, length(s) + 1);
        CASE pg_temp.rint(1, 6)
            WHEN 1 THEN s := overlay(s PLACING pg_temp.rand_chars(1) FROM pos FOR 1);
            WHEN 2 THEN s := overlay(s PLACING '' FROM pos FOR 1);
            WHEN 3 THEN s := overlay(s PLACING pg_temp.rand_chars(pg_temp.rint(1, 3)::int) FROM pos FOR 0);
            WHEN 4 THEN s := regexp_replace(s, '[0-9]+', pg_temp.pick(ARRAY['9223372036854775807',
                '9223372036854775808', '2147483648', '0', '-1', '100.00001', '99999999999999999999', '1e5']));
            WHEN 5 THEN s := left(s, pg_temp.rint(0, length(s))::int);
            ELSE s := s || s;
        END CASE;
    END LOOP;
    RETURN s;
END $$;

-- === literals =================================================================

CREATE FUNCTION pg_temp.quota_lit() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    op text := pg_temp.pick(ARRAY['<=', '<', '>=', '>', '=']);
    word text := pg_temp.pick(ARRAY['at most ', 'at least ', 'exactly ', 'less than ', 'more than ',
                                     'fewer than ', 'AT MOST ', 'at  least']);
BEGIN
    CASE pg_temp.rint(1, 12)
        WHEN 1, 2, 3 THEN RETURN op || pg_temp.rint(0, 100) || '%';
        WHEN 4 THEN RETURN op || pg_temp.rint(0, 99) || '.' || lpad(pg_temp.rint(0, 9999)::text, pg_temp.rint(1, 4)::int, '0') || '%';
        WHEN 5, 6 THEN RETURN op || pg_temp.rint(0, 30);
        WHEN 7 THEN RETURN word || pg_temp.rint(0, 100) || pg_temp.pick(ARRAY['%', '']);
        WHEN 8 THEN RETURN pg_temp.pick(ARRAY['none', 'all', 'NONE', ' all ', '<=0', '>=100%', '<=100%',
            '<0%', '>100%', '=0%', '=100%', '>=2147483647', '<=2147483647', '>2147483647', '<2147483647', '=2147483647',
            '<=0.0001%', '<0.0001%', '>=0.0001%', '<=99.9999%', '>99.9999%', '<=33.33%', '<=100.0000%', '>=0', '<0', '>0']);
        WHEN 9 THEN RETURN pg_temp.pick(ARRAY['<=101%', '<=100.00001%', '>=2147483648', '<=-1', '<=-0%', '',
            '%', '<=', '<=%', '<= 25 %', '<=25%%', '<=1e2%', '<=0x10', '<=25,5%', U&'\2264' || '25%', '<=25.%',
            '<=.5%', 'at most', 'about half', '<=9223372036854775807', '=<25%', '==2', '<>3', '<=25% ;', '<=25%x']);
        WHEN 10, 11 THEN RETURN pg_temp.mutate(op || pg_temp.rint(0, 100) || pg_temp.pick(ARRAY['%', '']));
        ELSE RETURN pg_temp.rand_chars(pg_temp.rint(0, 12)::int);
    END CASE;
END $$;

CREATE FUNCTION pg_temp.bigint_lit() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    CASE pg_temp.rint(1, 6)
        WHEN 1, 2 THEN RETURN pg_temp.rint(0, 20)::text;
        WHEN 3 THEN RETURN pg_temp.rint(-1000000000000, 1000000000000)::text;
        WHEN 4 THEN RETURN pg_temp.rint(0, 9007199254740000)::text;
        ELSE RETURN pg_temp.pick(ARRAY['-9223372036854775808', '9223372036854775807', '9223372036854775806',
            '-9223372036854775807', '0', '1', '-1', '2', '100', '1000000', '999999', '1000001', '2147483647',
            '2147483648', '-2147483648', '4294967296', '4611686018427387904', '4611686018427387903',
            '92233720368547758', '9223372036854', '3074457345618258602', '4294967295']);
    END CASE;
END $$;

CREATE FUNCTION pg_temp.tally_lit() RETURNS text LANGUAGE plpgsql AS $$
DECLARE p bigint; t bigint;
BEGIN
    CASE pg_temp.rint(1, 10)
        WHEN 1, 2, 3, 4 THEN
            t := pg_temp.rint(0, 40);
            p := pg_temp.rint(0, t);
            RETURN p || '/' || t;
        WHEN 5 THEN
            t := pg_temp.rint(0, 9223372036854775000);
            RETURN pg_temp.rint(0, t) || '/' || t;
        WHEN 6, 7 THEN RETURN pg_temp.pick(ARRAY['0/0', '1/1', '0/1', '3/12', '4/12',
            '9223372036854775807/9223372036854775807', '0/9223372036854775807', '1/9223372036854775807',
            '9223372036854775806/9223372036854775807', '9223372036854775806/9223372036854775806',
            '4611686018427387904/9223372036854775807', '1000000/1000000', ' 3 / 12 ']);
        WHEN 8 THEN RETURN pg_temp.pick(ARRAY['13/12', '-1/2', '1/-1', '1/0', '9223372036854775808/9223372036854775808',
            '0/9223372036854775808', '', '/', '3/', '/12', '3//12', '3/12/1', '3', 'x/y', '3.0/12', '0x3/12', '3 /12x']);
        WHEN 9 THEN RETURN pg_temp.mutate(pg_temp.rint(0, 10) || '/' || pg_temp.rint(10, 20));
        ELSE RETURN pg_temp.rand_chars(pg_temp.rint(0, 10)::int);
    END CASE;
END $$;

CREATE FUNCTION pg_temp.date_lit() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    CASE pg_temp.rint(1, 10)
        WHEN 1, 2, 3, 4, 5, 6 THEN RETURN to_char(date '2020-11-18' + pg_temp.rint(-400, 400)::int, 'YYYY-MM-DD');
        WHEN 7, 8 THEN RETURN pg_temp.pick(ARRAY['infinity', '-infinity', '4714-11-24 BC', '4714-11-25 BC',
            '5874897-12-31', '5874897-12-30', '2000-01-01', '1999-12-31', '1970-01-01', '2020-02-29', '0001-01-01',
            '294276-12-31', '4713-01-01 BC', '5874897-01-01']);
        WHEN 9 THEN RETURN (date '2000-01-01' + pg_temp.rint(-2451545, 2145031948)::int)::text; -- datestyle ISO
        ELSE RETURN pg_temp.pick(ARRAY['4714-11-23 BC', '5874898-01-01', '2021-02-29', 'epoch', 'today', 'garbage', '']);
    END CASE;
END $$;

CREATE FUNCTION pg_temp.validity_lit() RETURNS text LANGUAGE plpgsql AS $$
DECLARE a text; b text;
BEGIN
    CASE pg_temp.rint(1, 8)
        WHEN 1 THEN RETURN pg_temp.pick(ARRAY['empty', '(,)', '[,]', '(,]', '[,)', '[-infinity,infinity]',
            '(-infinity,infinity)', '[4714-11-24 BC,5874897-12-31]', '(4714-11-24 BC,4714-11-25 BC)',
            '(5874897-12-30,5874897-12-31)', '[5874897-12-31,5874897-12-31]', '[4714-11-24 BC,4714-11-24 BC]',
            '(4714-11-24 BC,)', '(,4714-11-24 BC)', '[5874897-12-31,)', '(5874897-12-31,)', '(,5874897-12-31)',
            '[2020-03-24,2020-04-01)', '(2020-03-24,2020-03-25)', '[2020-03-24,infinity)', '[-infinity,2020-01-01)',
            '(infinity,infinity)', '[infinity,infinity]', '(-infinity,-infinity]', '[2020-01-02,2020-01-01]']);
        WHEN 2, 3, 4, 5, 6 THEN
            a := pg_temp.date_lit();
            b := CASE WHEN pg_temp.chance(0.6)
                      THEN to_char(date '2020-11-18' + pg_temp.rint(-100, 500)::int, 'YYYY-MM-DD') ELSE pg_temp.date_lit() END;
            IF pg_temp.chance(0.15) THEN a := ''; END IF;
            IF pg_temp.chance(0.15) THEN b := ''; END IF;
            RETURN pg_temp.pick(ARRAY['[', '(']) || a || ',' || b || pg_temp.pick(ARRAY[']', ')']);
        WHEN 7 THEN RETURN pg_temp.mutate('[2020-03-24,2020-03-31]');
        ELSE RETURN pg_temp.rand_chars(pg_temp.rint(0, 10)::int);
    END CASE;
END $$;

-- Words the rules and rosters use, decree codes, and anything else.
CREATE FUNCTION pg_temp.text_lit(kind text DEFAULT 'any') RETURNS text LANGUAGE plpgsql AS $$
DECLARE n int;
BEGIN
    IF kind = 'status' OR (kind = 'any' AND pg_temp.chance(0.2)) THEN
        RETURN pg_temp.pick(ARRAY['office', 'office', 'home', 'leave', 'sick', 'duty', 'Office', 'office ', '']);
    ELSIF kind = 'tag' OR (kind = 'any' AND pg_temp.chance(0.2)) THEN
        RETURN pg_temp.pick(ARRAY['structural', 'eselon:2', 'top2', 'over55', 'vaccinated', 'office', '', 'w1', 'w2']);
    ELSIF kind = 'code' OR (kind = 'any' AND pg_temp.chance(0.35)) THEN
        SELECT count(*) INTO n FROM fz_code;
        IF n > 0 AND pg_temp.chance(0.9) THEN
            n := pg_temp.rint(1, n);
            RETURN (SELECT code FROM fz_code WHERE i = n);
        END IF;
        RETURN pg_temp.pick(ARRAY['Z-404', 'F-1 ', 'f-1', '', ' ', 'C-A' || chr(160)]);
    END IF;
    CASE pg_temp.rint(1, 6)
        WHEN 1 THEN RETURN '';
        WHEN 2 THEN RETURN repeat(pg_temp.pick(ARRAY['x', U&'\00E9', U&'\+01F642', ' ', '%']), pg_temp.rint(100, 3000)::int);
        WHEN 3 THEN RETURN pg_temp.quota_lit();
        WHEN 4 THEN RETURN pg_temp.tally_lit();
        ELSE RETURN pg_temp.rand_chars(pg_temp.rint(1, 16)::int);
    END CASE;
END $$;

-- === SQL expressions of each type =============================================
-- gen(type) returns the text of an SQL expression of that type (or one
-- that fails to make it, now and then).  With the setting hrp_fuzz.sane on,
-- the values are plausible ones (small valid tallies and quotas, windows
-- of 2020, 1-D arrays without NULLs, the rules' words; arrays of
-- hrp_fuzz.len elements when that is not negative), so that calls get past
-- the argument checks into the work; off, anything goes.

CREATE FUNCTION pg_temp.sane_gen(typ text, kind text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    t int;
    n int;
    d date;
BEGIN
    IF typ LIKE '%[]' THEN
        n := current_setting('hrp_fuzz.len')::int;
        IF n < 0 THEN
            n := pg_temp.pick(ARRAY[0, 1, 1, 2, 2, 3, 4, 5]);
        END IF;
        IF n = 0 THEN
            RETURN format('''{}''::%s', typ);
        END IF;
        RETURN format('ARRAY[%s]::%s', (SELECT string_agg(pg_temp.sane_gen(left(typ, -2), kind), ', ')
                                        FROM generate_series(1, n)), typ);
    END IF;
    CASE typ
        WHEN 'hrpolicy.quota' THEN
            RETURN format('%L::hrpolicy.quota', pg_temp.pick(ARRAY['<=', '<', '>=', '>', '='])
                || CASE WHEN pg_temp.chance(0.7) THEN pg_temp.rint(0, 100) || '%' ELSE pg_temp.rint(0, 12)::text END);
        WHEN 'hrpolicy.tally' THEN
            t := pg_temp.rint(0, 40);
            RETURN format('''%s/%s''::hrpolicy.tally', pg_temp.rint(0, t), t);
        WHEN 'hrpolicy.validity' THEN
            d := '2020-11-18'::date + pg_temp.rint(-300, 300)::int;
            RETURN format('''[%s,%s]''::hrpolicy.validity', d, CASE WHEN pg_temp.chance(0.1) THEN '' ELSE (d + pg_temp.rint(0, 120)::int)::text END);
        WHEN 'hrpolicy.rule_filter' THEN
            RETURN format('ROW(%s, %s, %s, %s)::hrpolicy.rule_filter',
                format('ARRAY[%L]', pg_temp.text_lit('status')), pg_temp.sane_small_words('tag'),
                pg_temp.sane_small_words('tag'), pg_temp.sane_small_words('status'));
        WHEN 'bigint' THEN RETURN pg_temp.rint(0, 50) || '::bigint';
        WHEN 'integer' THEN RETURN pg_temp.rint(0, 50) || '::integer';
        WHEN 'boolean' THEN RETURN pg_temp.pick(ARRAY['true', 'false']);
        WHEN 'date' THEN RETURN format('%L::date', '2020-11-18'::date + pg_temp.rint(-300, 300)::int);
        WHEN 'text' THEN RETURN format('%L::text', pg_temp.text_lit(CASE kind WHEN 'any' THEN 'code' ELSE kind END));
        WHEN 'cstring' THEN
            t := pg_temp.rint(0, 40);
            RETURN format('%L::cstring', CASE WHEN pg_temp.chance(0.5) THEN pg_temp.rint(0, t) || '/' || t
                ELSE pg_temp.pick(ARRAY['<=', '<', '>=', '>', '=', 'at most ', 'at least ']) || pg_temp.rint(0, 100) || '%' END);
        ELSE
            RETURN pg_temp.wild_gen(typ, kind);
    END CASE;
END $$;

-- 0 to 2 words of a kind, as a text[] expression.
CREATE FUNCTION pg_temp.sane_small_words(kind text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE n int := pg_temp.pick(ARRAY[0, 0, 1, 1, 2]);
BEGIN
    IF n = 0 THEN
        RETURN '''{}''::text[]';
    END IF;
    RETURN format('ARRAY[%s]::text[]', (SELECT string_agg(quote_literal(pg_temp.text_lit(kind)), ', ') FROM generate_series(1, n)));
END $$;

CREATE FUNCTION pg_temp.gen(typ text, kind text DEFAULT 'any') RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    -- the days of the enforcement scenario, mostly, while it runs
    IF typ = 'date' AND current_setting('hrp_fuzz.days') = 'on' AND pg_temp.chance(0.85) THEN
        RETURN format('%L::date', '2020-11-16'::date + pg_temp.rint(0, 6)::int);
    END IF;
    IF current_setting('hrp_fuzz.sane') = 'on' THEN
        RETURN pg_temp.sane_gen(typ, kind);
    END IF;
    RETURN pg_temp.wild_gen(typ, kind);
END $$;

CREATE FUNCTION pg_temp.wild_gen(typ text, kind text DEFAULT 'any') RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    e text;
BEGIN
    IF typ LIKE '%[]' THEN
        RETURN pg_temp.gen_array(left(typ, -2), kind);
    END IF;
    IF pg_temp.chance(0.06) THEN
        RETURN 'NULL::' || typ;
    END IF;
    CASE typ
        WHEN 'hrpolicy.quota' THEN
            CASE pg_temp.rint(1, 10)
                WHEN 1 THEN RETURN format('hrpolicy.quota_in(%L::cstring)', pg_temp.quota_lit());
                WHEN 2 THEN RETURN format('(SELECT r.quota FROM hrpolicy.rule r ORDER BY r.policy, r.name, r.only_when LIMIT 1 OFFSET %s)', pg_temp.rint(0, 20));
                ELSE RETURN format('%L::hrpolicy.quota', pg_temp.quota_lit());
            END CASE;
        WHEN 'hrpolicy.tally' THEN
            CASE pg_temp.rint(1, 8)
                WHEN 1, 2 THEN RETURN format('hrpolicy.make_tally(%L, %L)', pg_temp.bigint_lit(), pg_temp.bigint_lit());
                WHEN 3 THEN RETURN format('hrpolicy.tally_in(%L::cstring)', pg_temp.tally_lit());
                ELSE RETURN format('%L::hrpolicy.tally', pg_temp.tally_lit());
            END CASE;
        WHEN 'hrpolicy.validity' THEN
            CASE pg_temp.rint(1, 6)
                WHEN 1 THEN RETURN format('hrpolicy.validity(%s, %s, %L)', pg_temp.gen('date'), pg_temp.gen('date'),
                    pg_temp.pick(ARRAY['[]', '[)', '(]', '()', '[]', '((', 'x']));
                WHEN 2 THEN RETURN format('hrpolicy.validity(%s, %s)', pg_temp.gen('date'), pg_temp.gen('date'));
                ELSE RETURN format('%L::hrpolicy.validity', pg_temp.validity_lit());
            END CASE;
        WHEN 'hrpolicy.rule_filter' THEN
            IF pg_temp.chance(0.05) THEN
                RETURN 'ROW(NULL, NULL, NULL, NULL)::hrpolicy.rule_filter';
            END IF;
            RETURN format('ROW(%s, %s, %s, %s)::hrpolicy.rule_filter',
                pg_temp.gen('text[]', 'status'), pg_temp.gen('text[]', 'tag'),
                pg_temp.gen('text[]', 'tag'), pg_temp.gen('text[]', 'status'));
        WHEN 'bigint' THEN RETURN format('%L::bigint', pg_temp.bigint_lit());
        WHEN 'integer' THEN RETURN format('%L::integer', pg_temp.pick(ARRAY['0', '1', '-1', '2147483647', '-2147483648', pg_temp.rint(-100, 100)::text]));
        WHEN 'boolean' THEN RETURN pg_temp.pick(ARRAY['true', 'false']);
        WHEN 'date' THEN RETURN format('%L::date', pg_temp.date_lit());
        WHEN 'text' THEN RETURN format('%L::text', pg_temp.text_lit(kind));
        WHEN 'cstring' THEN
            e := CASE pg_temp.rint(1, 3) WHEN 1 THEN pg_temp.quota_lit() WHEN 2 THEN pg_temp.tally_lit()
                 ELSE pg_temp.text_lit() END;
            RETURN format('%L::cstring', e);
        WHEN 'xid' THEN
            RETURN CASE pg_temp.rint(1, 5)
                WHEN 1 THEN 'pg_current_xact_id()::text::xid'
                WHEN 2 THEN '(SELECT p.xmin FROM hrpolicy.policy p ORDER BY p.code LIMIT 1)'
                WHEN 3 THEN format('%L::xid', pg_temp.rint(0, 2000))
                ELSE format('%L::xid', pg_temp.pick(ARRAY['0', '1', '2', '3', '4294967295', '2147483648', '2147483647']))
            END;
        WHEN 'oid' THEN
            RETURN CASE pg_temp.rint(1, 5)
                WHEN 1 THEN '''hrp_fuzz.att''::regclass::oid'
                WHEN 2 THEN '''hrp_fuzz.att''::regclass::oid'
                WHEN 3 THEN pg_temp.pick(ARRAY['''hrpolicy.policy''::regclass::oid', '''pg_class''::regclass::oid',
                    '''hrp_fuzz.flat''::regclass::oid'])
                ELSE format('%L::oid', pg_temp.pick(ARRAY['0', '1', '4294967295', '2147483648', pg_temp.rint(1, 100000)::text]))
            END;
        ELSE
            RETURN 'NULL::' || typ;
    END CASE;
END $$;

-- Arrays: NULL, empty, a few elements (some NULL), 2-D, 3-D, non-1-based
-- lower bounds, array_fill up to 100000 elements, big generated arrays.
CREATE FUNCTION pg_temp.gen_array(et text, kind text DEFAULT 'any') RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    n int;
    m int;
    elems text[] := '{}';
    big text;
BEGIN
    CASE pg_temp.rint(1, 24)
        WHEN 1 THEN RETURN format('NULL::%s[]', et);
        WHEN 2 THEN RETURN format('''{}''::%s[]', et);
        WHEN 3, 4 THEN -- two dimensions (ragged now and then: an error)
            n := pg_temp.rint(1, 3);
            m := pg_temp.rint(1, 3);
            FOR i IN 1..n LOOP
                elems := elems || format('ARRAY[%s]', (SELECT string_agg(pg_temp.gen(et, kind), ', ')
                    FROM generate_series(1, CASE WHEN pg_temp.chance(0.1) THEN m + 1 ELSE m END)));
            END LOOP;
            RETURN format('ARRAY[%s]::%s[]', array_to_string(elems, ', '), et);
        WHEN 5 THEN -- a lower bound other than 1
            n := pg_temp.rint(1, 4);
            m := pg_temp.pick(ARRAY[0, -1, 2, 5, -2147483648, 2147483646, 1000000]);
            RETURN format('array_fill(%s, ARRAY[%s], ARRAY[%s])', pg_temp.gen(et, kind), n, m);
        WHEN 6 THEN
            n := pg_temp.rint(1, 4);
            m := pg_temp.pick(ARRAY[0, -3, 2, 7]);
            RETURN format('(''[%s:%s]='' || ARRAY[%s]::%s[]::text)::%s[]', m, m + n - 1,
                (SELECT string_agg(pg_temp.gen(et, kind), ', ') FROM generate_series(1, n)), et, et);
        WHEN 7 THEN -- array_fill, 1-D to 3-D, NULL elements or not, up to 100000
            IF pg_temp.chance(0.5) THEN
                n := pg_temp.pick(ARRAY[0, 1, 2, 3, 64, 65, 1000, 100000]);
                RETURN format('array_fill(%s, ARRAY[%s])', CASE WHEN pg_temp.chance(0.3)
                    THEN 'NULL::' || et ELSE pg_temp.gen(et, kind) END, n);
            END IF;
            RETURN format('array_fill(%s, ARRAY[%s])', pg_temp.gen(et, kind),
                pg_temp.pick(ARRAY['2, 2', '1, 3', '3, 1', '2, 2, 2', '0, 2', '1, 1, 1, 1, 1, 1']));
        WHEN 8 THEN -- many distinct elements
            n := pg_temp.pick(ARRAY[10, 63, 64, 65, 100, 1000, 20000]);
            big := CASE et
                WHEN 'text' THEN format('''w'' || (g %% %s)', pg_temp.pick(ARRAY[3, 63, 64, 65, 70, 100000]))
                WHEN 'hrpolicy.tally' THEN 'hrpolicy.make_tally(g % 7, 7 + g % 5)'
                WHEN 'date' THEN '''2020-01-01''::date + g'
                WHEN 'hrpolicy.rule_filter' THEN format(
                    'ROW(ARRAY[''s'' || (g %% %s)], ARRAY[''t'' || (g %% %s)], ARRAY[''u'' || (g %% 2)], ''{}''::text[])::hrpolicy.rule_filter',
                    pg_temp.pick(ARRAY[3, 62, 63, 64, 65]), pg_temp.pick(ARRAY[5, 62, 63, 64, 65]))
                WHEN 'hrpolicy.quota' THEN 'hrpolicy.quota_in((''<='' || (g % 101) || ''%'')::cstring)'
                ELSE format('(NULL::%s)', et) END;
            RETURN format('(SELECT array_agg(%s ORDER BY g) FROM generate_series(1, %s) g)', big, n);
        WHEN 9 THEN -- the text form, mutated
            RETURN format('%L::%s[]', pg_temp.mutate('{' || pg_temp.text_lit(kind) || ',NULL}'), et);
        ELSE -- a few elements, some of them NULL
            n := pg_temp.pick(ARRAY[0, 1, 1, 2, 2, 3, 3, 4, 5, 8]);
            FOR i IN 1..n LOOP
                elems := elems || CASE WHEN pg_temp.chance(0.08) THEN 'NULL' ELSE pg_temp.gen(et, kind) END;
            END LOOP;
            RETURN format('ARRAY[%s]::%s[]', array_to_string(elems, ', '), et);
    END CASE;
END $$;

-- A statement as the trace shows it: on one line (line feeds and carriage
-- returns as \n and \r), at most 3000 characters.
CREATE FUNCTION pg_temp.one_line(q text) RETURNS text LANGUAGE sql AS
$$ SELECT replace(replace(left(q, 3000), E'\n', '\n'), E'\r', '\r') $$;

-- The value of a generated expression, as text (NULL when it fails).  Not
-- counted as a call, but traced, and an internal error is a finding too.
CREATE FUNCTION pg_temp.eval(label text, q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    r text;
    st text;
    msg text;
    det text;
    ctx text;
BEGIN
    IF current_setting('hrp_fuzz.trace') = 'on' THEN
        RAISE NOTICE 'sql-fuzz call % as superuser: %', label, pg_temp.one_line(q);
    END IF;
    BEGIN
        EXECUTE q INTO r;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, ctx = PG_EXCEPTION_CONTEXT;
        IF st IN ('XX000', 'XX001', 'XX002') THEN
            PERFORM pg_temp.record(ROW(label, 'superuser', st, msg, q, det, ctx, NULL)::fz_result);
        END IF;
        r := NULL;
    END;
    RETURN r;
END $$;

-- A literal of a type (for an INITCOND, or a row): a generated expression's value.
CREATE FUNCTION pg_temp.gen_literal(typ text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
    FOR attempt IN 1..20 LOOP
        r := pg_temp.eval('value of ' || typ, format('SELECT (%s)::text', pg_temp.gen(typ)));
        IF r IS NOT NULL AND length(r) < 2000000 THEN
            RETURN r;
        END IF;
    END LOOP;
    RETURN NULL;
END $$;

-- === one call =================================================================
-- Runs q (as hrp_fuzzer when as_fuzzer, with the settings gucs, name/value
-- pairs) in a subtransaction, rolled back afterwards unless keep.  Records
-- the outcome; returns the SQLSTATE ('00000' on success).  core_ok: a
-- message pattern of an XX000 that PostgreSQL itself raises for the input
-- (counted as XX000-core, not a finding).

CREATE TEMP TABLE fz_result (target text, who text, state text, message text, statement text,
    detail text, context text, ms float8);

CREATE FUNCTION pg_temp.try_raw(target text, q text, as_fuzzer boolean DEFAULT false,
                                gucs text[] DEFAULT '{}', keep boolean DEFAULT false,
                                core_ok text DEFAULT NULL)
RETURNS fz_result LANGUAGE plpgsql AS $$
DECLARE
    r fz_result;
    t0 timestamptz := clock_timestamp();
BEGIN
    r.target := target;
    r.who := CASE WHEN as_fuzzer THEN 'hrp_fuzzer' ELSE 'superuser' END;
    r.statement := q;
    IF current_setting('hrp_fuzz.trace') = 'on' THEN
        RAISE NOTICE 'sql-fuzz call % as %: %', target, r.who, pg_temp.one_line(q);
    END IF;
    BEGIN
        FOR i IN 1..coalesce(array_length(gucs, 1), 0) BY 2 LOOP
            PERFORM set_config(gucs[i], gucs[i + 1], true);
        END LOOP;
        IF as_fuzzer THEN
            PERFORM set_config('role', 'hrp_fuzzer', true);
        END IF;
        EXECUTE q;
        IF NOT keep THEN
            RAISE EXCEPTION 'rolled back' USING ERRCODE = 'FZ000';
        END IF;
        IF as_fuzzer THEN
            PERFORM set_config('role', 'none', true);
        END IF;
        r.state := '00000';
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS r.state = RETURNED_SQLSTATE, r.message = MESSAGE_TEXT,
            r.detail = PG_EXCEPTION_DETAIL, r.context = PG_EXCEPTION_CONTEXT;
        IF r.state = 'FZ000' THEN
            r.state := '00000';
            r.message := NULL;
        ELSIF r.state = 'XX000' AND r.message LIKE core_ok THEN
            -- a known refusal of PostgreSQL itself, not of the extension
            r.state := 'XX000-core';
        END IF;
    END;
    r.ms := 1000 * extract(epoch FROM clock_timestamp() - t0);
    RETURN r;
END $$;

-- Count an outcome; keep a finding.
CREATE FUNCTION pg_temp.record(r fz_result) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO fz_call VALUES (r.target, r.who, r.state, left(r.message, 300),
        CASE WHEN r.state <> '00000' THEN left(r.statement, 300) END, r.ms);
    IF r.state IN ('XX000', 'XX001', 'XX002') THEN
        INSERT INTO fz_finding (target, who, state, statement, message, detail, context)
        VALUES (r.target, r.who, r.state, r.statement, r.message, r.detail, r.context);
        IF (SELECT count(*) FROM fz_finding) <= 20 THEN
            RAISE WARNING 'sql-fuzz FINDING: % as % got % "%"; statement: %', r.target, r.who, r.state, r.message,
            left(r.statement, 2000);
        END IF;
    END IF;
    RETURN r.state;
END $$;

CREATE FUNCTION pg_temp.try(target text, q text, as_fuzzer boolean DEFAULT false,
                            gucs text[] DEFAULT '{}', keep boolean DEFAULT false,
                            core_ok text DEFAULT NULL)
RETURNS text LANGUAGE sql AS $$
SELECT pg_temp.record(pg_temp.try_raw(target, q, as_fuzzer, gucs, keep, core_ok))
$$;

-- === the catalog ==============================================================

-- Valid decrees (through the triggers): chains and diamonds of amendments,
-- rules of every kind, circumstances.
INSERT INTO hrpolicy.policy (code, valid, scope, amends, revokes)
SELECT 'F-' || i, hrpolicy.validity('2020-01-01'::date + i * 20, CASE WHEN i % 4 = 0 THEN NULL ELSE '2021-06-30'::date END, '[]'),
       CASE WHEN i % 3 = 0 THEN NULL ELSE ('fz.' || chr(97 + i % 3))::ltree END,
       CASE WHEN i = 0 THEN '{}'::text[] ELSE ARRAY(SELECT 'F-' || j FROM generate_series(0, i - 1) j WHERE (i + j) % 3 = 0 OR j = i - 1) END,
       '{}'
FROM generate_series(0, 14) i;
INSERT INTO hrpolicy.policy (code, valid, scope) VALUES ('F-cap', '[2020-01-01,)', 'fz');
INSERT INTO hrpolicy.rule (policy, name, quota, counts, who, unless, excused, only_when)
SELECT 'F-' || i, 'r' || (i % 4), pg_temp_q.q, '{office}', CASE WHEN i % 5 = 0 THEN '{structural}'::text[] ELSE '{}' END,
       CASE WHEN i % 7 = 0 THEN '{over55}'::text[] ELSE '{}' END, CASE WHEN i % 2 = 0 THEN '{leave,sick}'::text[] ELSE '{}' END,
       CASE WHEN i % 6 = 0 THEN 'zone:high' WHEN i % 6 = 1 THEN '!zone:high' END
FROM generate_series(0, 14) i,
     LATERAL (SELECT (ARRAY['<=25%', '>=2', '<50%', 'none', 'all', '=100%', '>10%', '<=3'])[1 + i % 8]::hrpolicy.quota AS q) pg_temp_q;
INSERT INTO hrpolicy.rule (policy, name, quota) VALUES ('F-cap', 'wfo-cap', '<=50%');
INSERT INTO hrpolicy.circumstance (scope, valid, label) VALUES
    ('fz', '[2020-11-01,2021-02-28]', 'zone:high'), ('fz.b', '[2020-06-01,)', 'closed');
-- What the checks refuse, written with triggers off (superuser): cycles,
-- unknown references, a long chain, a wide fan, odd codes.
SET session_replication_role = replica;
INSERT INTO hrpolicy.policy (code, valid, amends) VALUES
    ('C-A', '[2020-01-01,)', '{C-B}'), ('C-B', '[2020-01-01,)', '{C-C}'), ('C-C', '[2020-01-01,)', '{C-A,F-3,Z-404}'),
    ('C-D', '[2020-01-01,)', '{C-D2,C-D2,C-D2}'), ('C-D2', '[2020-01-01,)', '{C-D}'),
    ('U-1', '[2020-01-01,)', '{Z-404,Z-405,"",F-1}'),
    (repeat('long-', 400), '[2020-01-01,)', ARRAY[repeat('long-', 399) || 'lon', 'F-2', U&'\00E9\+01F642']),
    (U&'\00E9\+01F642', '[2020-01-01,)', ARRAY['C-A']);
INSERT INTO hrpolicy.policy (code, valid, amends)
SELECT 'L-' || i, '[2020-01-01,)', CASE WHEN i = 0 THEN ARRAY['L-299'] ELSE ARRAY['L-' || (i - 1)] END
FROM generate_series(0, 299) i;
INSERT INTO hrpolicy.policy (code, valid, amends)
SELECT 'W-' || i, '[2020-01-01,)', ARRAY(SELECT 'W-' || j FROM generate_series(0, 59) j WHERE j <> i)
FROM generate_series(0, 59) i;
RESET session_replication_role;
INSERT INTO fz_code (code) SELECT code FROM hrpolicy.policy ORDER BY code;

-- === the tables ===============================================================

-- The roster: attendance (partitioned by day) joined to staff (no day
-- column), both enforced.  Set up in a block: the enforcement API may have
-- changed, and the rest of the run does not need it (noted in the summary).
CREATE TABLE hrp_fuzz.att (unit ltree, day date, person text, status text, tags text[]) PARTITION BY RANGE (day);
CREATE TABLE hrp_fuzz.att_2020 PARTITION OF hrp_fuzz.att FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE TABLE hrp_fuzz.att_other PARTITION OF hrp_fuzz.att DEFAULT;
CREATE TABLE hrp_fuzz.staff (person text PRIMARY KEY, tags text[]);
INSERT INTO hrp_fuzz.staff SELECT 'p' || g, CASE WHEN g % 4 = 0 THEN ARRAY['over55'] ELSE '{}' END FROM generate_series(0, 39) g;
INSERT INTO hrp_fuzz.att
SELECT ('fz.' || chr(97 + g % 3))::ltree, '2020-11-16'::date + g % 5, 'p' || g,
       (ARRAY['office', 'home', 'leave'])[1 + g % 3], ARRAY['structural']
FROM generate_series(0, 29) g;
CREATE VIEW hrp_fuzz.roster AS
SELECT a.unit, a.day, a.person, a.status, a.tags || coalesce(s.tags, '{}') AS tags
FROM hrp_fuzz.att a LEFT JOIN hrp_fuzz.staff s USING (person);
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON hrp_fuzz.att, hrp_fuzz.att_2020, hrp_fuzz.att_other, hrp_fuzz.staff TO hrp_fuzzer;
GRANT SELECT ON hrp_fuzz.roster TO hrp_fuzzer;
DO $$
BEGIN
    PERFORM hrpolicy.use_roster('hrp_fuzz.roster');
    PERFORM hrpolicy.enforce('hrp_fuzz.att', 'day');
    BEGIN
        EXECUTE 'SELECT hrpolicy.enforce(''hrp_fuzz.staff'', NULL, ''2020-11-16'')';
    EXCEPTION WHEN OTHERS THEN
        INSERT INTO fz_note (note) VALUES ('enforcement of a table without a day column: not set up (' || SQLERRM || ')');
    END;
    INSERT INTO fz_note (note) VALUES ('enforcement: set up');
EXCEPTION WHEN OTHERS THEN
    INSERT INTO fz_note (note) VALUES ('enforcement: NOT set up (' || SQLERRM || ')');
END $$;

-- Rows the aggregates run over: a partitioned table (for partitionwise
-- aggregation, which calls combine functions without parallel workers) and
-- a plain one (for parallel plans).  A column per argument type.
CREATE TABLE hrp_fuzz.rows (id int, grp int, part int, t hrpolicy.tally, b boolean, w bigint,
    status text, tags text[], filters hrpolicy.rule_filter[], ts hrpolicy.tally[], v hrpolicy.validity, d date)
    PARTITION BY LIST (part);
CREATE TABLE hrp_fuzz.rows_0 PARTITION OF hrp_fuzz.rows FOR VALUES IN (0);
CREATE TABLE hrp_fuzz.rows_1 PARTITION OF hrp_fuzz.rows FOR VALUES IN (1);
CREATE TABLE hrp_fuzz.rows_2 PARTITION OF hrp_fuzz.rows DEFAULT;
CREATE TABLE hrp_fuzz.flat (LIKE hrp_fuzz.rows) WITH (parallel_workers = 2, autovacuum_enabled = off);
GRANT SELECT ON hrp_fuzz.rows, hrp_fuzz.flat TO hrp_fuzzer;

-- For COPY binary: one column of each type with a receive function of ours
-- (directly, in an array, or in a range).
CREATE TABLE hrp_fuzz.bin_quota (x hrpolicy.quota);
CREATE TABLE hrp_fuzz.bin_tally (x hrpolicy.tally);
CREATE TABLE hrp_fuzz.bin_quota_array (x hrpolicy.quota[]);
CREATE TABLE hrp_fuzz.bin_tally_array (x hrpolicy.tally[]);
CREATE TABLE hrp_fuzz.bin_validity (x hrpolicy.validity);
CREATE TABLE hrp_fuzz.bin_validity_set (x hrpolicy.validity_set);

-- === the functions ============================================================

CREATE TEMP TABLE fz_function AS
SELECT p.oid AS fn, p.oid::regprocedure::text AS sig,
       quote_ident(n.nspname) || '.' || quote_ident(p.proname) AS fname, p.proname::text AS proname,
       ARRAY(SELECT format_type(u.t, NULL) FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY u(t, i) ORDER BY u.i) AS argtypes,
       p.pronargdefaults AS ndefaults, p.proretset AS retset, p.proisstrict AS is_strict, format_type(p.prorettype, NULL) AS rettype,
       has_function_privilege('hrp_fuzzer', p.oid, 'EXECUTE') AS public_exec,
       CASE WHEN p.prorettype IN ('trigger'::regtype, 'event_trigger'::regtype) THEN 'returns ' || format_type(p.prorettype, NULL)
            WHEN 'internal'::regtype = ANY (p.proargtypes::oid[]) THEN 'takes internal'
       END AS skipped
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND d.refclassid = 'pg_extension'::regclass AND e.extname = 'hrpolicy'
WHERE p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'c')
ORDER BY sig;

-- The extension's aggregates.
CREATE TEMP TABLE fz_own_aggregate AS
SELECT quote_ident(n.nspname) || '.' || quote_ident(p.proname) AS fname, p.oid::regprocedure::text AS sig,
       ARRAY(SELECT format_type(u.t, NULL) FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY u(t, i) ORDER BY u.i) AS argtypes,
       a.aggcombinefn <> 0 AS has_combine, has_function_privilege('hrp_fuzzer', p.oid, 'EXECUTE') AS public_exec
FROM pg_aggregate a
JOIN pg_proc p ON p.oid = a.aggfnoid
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND d.refclassid = 'pg_extension'::regclass AND e.extname = 'hrpolicy'
WHERE a.aggkind = 'n'
ORDER BY sig;

-- The statement of a direct call of a function with generated arguments:
-- plausible arguments half the time (sane: on, off or NULL for a coin).
CREATE FUNCTION pg_temp.build_call(f fz_function, sane text DEFAULT NULL) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    nargs int := cardinality(f.argtypes);
    args text[] := '{}';
    q text;
BEGIN
    IF f.ndefaults > 0 AND pg_temp.chance(0.3) THEN
        nargs := nargs - pg_temp.rint(1, f.ndefaults)::int;
    END IF;
    PERFORM set_config('hrp_fuzz.sane', coalesce(sane, CASE WHEN pg_temp.chance(0.5) THEN 'on' ELSE 'off' END), false);
    FOR i IN 1..nargs LOOP
        args := args || pg_temp.gen(f.argtypes[i],
            CASE WHEN f.proname LIKE 'amendment%' THEN 'code' ELSE 'any' END);
    END LOOP;
    PERFORM set_config('hrp_fuzz.sane', 'off', false);
    IF f.retset THEN
        q := format('SELECT count(*), string_agg(s::text, %L) FROM %s(%s) s', ',', f.fname, array_to_string(args, ', '));
    ELSIF f.argtypes = '{cstring}' AND pg_temp.chance(0.5) THEN
        -- the input function through a cast
        q := format('SELECT ((%s)::text::%s)::text', regexp_replace(args[1], '::cstring$', ''), f.rettype);
    ELSIF f.rettype = 'cstring' AND pg_temp.chance(0.5) THEN
        -- the output function through a cast
        q := format('SELECT (%s)::text', args[1]);
    ELSE
        q := format('SELECT (%s(%s))::text', f.fname, array_to_string(args, ', '));
    END IF;
    RETURN q;
END $$;

CREATE FUNCTION pg_temp.call_once(f fz_function) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_temp.try(f.sig, pg_temp.build_call(f), f.public_exec AND pg_temp.chance(0.5));
END $$;

-- === aggregates built on the support functions ================================

-- The column of hrp_fuzz.rows that feeds an argument of a type.
CREATE FUNCTION pg_temp.column_of(typ text) RETURNS text LANGUAGE sql AS $$
SELECT CASE typ WHEN 'hrpolicy.tally' THEN 't' WHEN 'boolean' THEN 'b' WHEN 'bigint' THEN 'w'
    WHEN 'text' THEN 'status' WHEN 'text[]' THEN 'tags' WHEN 'hrpolicy.rule_filter[]' THEN 'filters'
    WHEN 'hrpolicy.tally[]' THEN 'ts' WHEN 'hrpolicy.validity' THEN 'v' WHEN 'date' THEN 'd' END
$$;

-- Valid and hostile initial states of each state type.
CREATE FUNCTION pg_temp.initconds(stype text) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE extra text := pg_temp.gen_literal(stype);
BEGIN
    RETURN CASE stype
        WHEN 'hrpolicy.tally' THEN ARRAY['0/0', '1/1', '9223372036854775807/9223372036854775807',
            '9223372036854775806/9223372036854775807', '5/3']
        WHEN 'hrpolicy.tally[]' THEN ARRAY['{}', '{0/0}', '{0/0,0/0,0/0}', '{NULL,NULL}', '{0/0,NULL}',
            '{{0/0,1/1},{2/2,3/3}}', '[0:2]={0/0,1/1,2/2}', '[-2147483648:-2147483647]={0/0,0/0}',
            '{9223372036854775807/9223372036854775807,0/0}', '{{{1/1}}}',
            '{' || repeat('NULL,', 99999) || 'NULL}', '{' || repeat('1/1,', 99999) || '1/1}']
        WHEN 'hrpolicy.validity' THEN ARRAY['empty', '[2020-01-01,)', '(,)', '[4714-11-24 BC,5874897-12-31]',
            '[5874897-12-31,5874897-12-31]']
        ELSE '{}'::text[]
    END || extra;
END $$;

CREATE FUNCTION pg_temp.define_aggregate(label text, args text, cols text, def_tail text,
    has_combine boolean, moving boolean, ordered_set boolean, fuzzer_may boolean, owner_fuzzer boolean)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    name text := 'fz_agg_' || (SELECT count(*) + 1 FROM fz_aggregate) || CASE WHEN owner_fuzzer THEN '_f' ELSE '' END;
    def text := format('CREATE AGGREGATE pg_temp.%I(%s) (%s)', name, args, def_tail);
BEGIN
    IF pg_temp.try(label, def, owner_fuzzer, keep => true) = '00000' THEN
        INSERT INTO fz_aggregate VALUES ('pg_temp.' || name, args, cols, has_combine, moving, ordered_set, fuzzer_may, def);
    END IF;
END $$;

CREATE FUNCTION pg_temp.make_aggregates() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    s record;
    c record;
    ic text;
    args text;
    cols text;
    tail text;
    owners boolean[];
BEGIN
    -- Possible transition functions: the first argument's type is the result's.
    FOR s IN SELECT * FROM fz_function
             WHERE skipped IS NULL AND NOT retset AND cardinality(argtypes) >= 1 AND argtypes[1] = rettype
             ORDER BY sig LOOP
        args := CASE WHEN cardinality(s.argtypes) = 1 THEN '*' ELSE array_to_string(s.argtypes[2:], ', ') END;
        cols := CASE WHEN cardinality(s.argtypes) = 1 THEN '*'
                     ELSE (SELECT string_agg(pg_temp.column_of(t), ', ' ORDER BY i)
                           FROM unnest(s.argtypes[2:]) WITH ORDINALITY u(t, i)) END;
        -- as SFUNC, with each possible COMBINEFUNC or none, with each INITCOND or none
        FOR c IN SELECT NULL::text AS fname, NULL::text AS sig, true AS public_exec
                 UNION ALL
                 SELECT f.fname, f.sig, f.public_exec FROM fz_function f
                 WHERE f.skipped IS NULL AND NOT f.retset AND f.argtypes = ARRAY[s.rettype, s.rettype] AND f.rettype = s.rettype
                 ORDER BY 2 NULLS FIRST LOOP
            FOREACH ic IN ARRAY ARRAY[NULL] || pg_temp.initconds(s.rettype) LOOP
                -- (a strict SFUNC must have an INITCOND unless its first argument can be the state)
                CONTINUE WHEN ic IS NULL AND s.is_strict AND coalesce(s.argtypes[2] <> s.rettype, true);
                tail := format('SFUNC = %s, STYPE = %s', s.fname, s.rettype)
                    || CASE WHEN c.fname IS NOT NULL THEN ', COMBINEFUNC = ' || c.fname ELSE '' END
                    || CASE WHEN ic IS NOT NULL THEN ', INITCOND = ' || quote_literal(ic) ELSE '' END
                    || ', PARALLEL = SAFE';
                owners := CASE WHEN s.public_exec AND c.public_exec THEN ARRAY[false, true] ELSE ARRAY[false] END;
                FOR k IN 1..cardinality(owners) LOOP
                    PERFORM pg_temp.define_aggregate('CREATE AGGREGATE (SFUNC ' || s.sig || coalesce(', COMBINEFUNC ' || c.sig, '') || ')',
                        args, cols, tail, c.fname IS NOT NULL, false, false, s.public_exec AND c.public_exec, owners[k]);
                END LOOP;
            END LOOP;
        END LOOP;
        -- as a moving aggregate, the function its own inverse
        FOREACH ic IN ARRAY ARRAY[NULL, pg_temp.pick(pg_temp.initconds(s.rettype))] LOOP
            CONTINUE WHEN ic IS NULL AND s.is_strict AND coalesce(s.argtypes[2] <> s.rettype, true);
            tail := format('SFUNC = %1$s, STYPE = %2$s, MSFUNC = %1$s, MINVFUNC = %1$s, MSTYPE = %2$s', s.fname, s.rettype)
                || CASE WHEN ic IS NOT NULL THEN format(', INITCOND = %1$L, MINITCOND = %1$L', ic) ELSE '' END;
            PERFORM pg_temp.define_aggregate('CREATE AGGREGATE (MSFUNC/MINVFUNC ' || s.sig || ')',
                args, cols, tail, false, true, false, s.public_exec, false);
        END LOOP;
    END LOOP;
    -- Ordered-set aggregates whose final function is a combine function
    -- (it gets the state and the direct argument), over a transition
    -- function of the same state whose arguments sort (tallies do not).
    FOR c IN SELECT * FROM fz_function
             WHERE skipped IS NULL AND NOT retset AND cardinality(argtypes) = 2
               AND argtypes[1] = rettype AND argtypes[2] = rettype ORDER BY sig LOOP
        FOR s IN SELECT * FROM fz_function f
                 WHERE f.skipped IS NULL AND NOT f.retset AND cardinality(f.argtypes) >= 2
                   AND f.argtypes[1] = c.rettype AND f.rettype = c.rettype
                   AND NOT f.argtypes[2:] && ARRAY['hrpolicy.tally', 'hrpolicy.tally[]']
                 ORDER BY sig LOOP
            args := array_to_string(s.argtypes[2:], ', ');
            cols := (SELECT string_agg(pg_temp.column_of(t), ', ' ORDER BY i) FROM unnest(s.argtypes[2:]) WITH ORDINALITY u(t, i));
            FOREACH ic IN ARRAY ARRAY[NULL, pg_temp.pick(pg_temp.initconds(c.rettype))] LOOP
                IF ic IS NULL AND s.is_strict THEN
                    ic := (pg_temp.initconds(c.rettype))[1];
                END IF;
                owners := CASE WHEN c.public_exec AND s.public_exec THEN ARRAY[false, true] ELSE ARRAY[false] END;
                FOR k IN 1..cardinality(owners) LOOP
                    PERFORM pg_temp.define_aggregate('CREATE AGGREGATE (ordered-set, SFUNC ' || s.sig || ', FINALFUNC ' || c.sig || ')',
                        format('%s ORDER BY %s', c.rettype, args), cols,
                        format('SFUNC = %s, STYPE = %s, FINALFUNC = %s', s.fname, c.rettype, c.fname)
                            || CASE WHEN ic IS NOT NULL THEN ', INITCOND = ' || quote_literal(ic) ELSE '' END,
                        false, false, true, c.public_exec AND s.public_exec, owners[k]);
                END LOOP;
            END LOOP;
        END LOOP;
    END LOOP;
    -- The extension's own aggregates (those whose arguments the rows have).
    INSERT INTO fz_aggregate
    SELECT a.fname, array_to_string(a.argtypes, ', '),
           (SELECT string_agg(pg_temp.column_of(t), ', ' ORDER BY i) FROM unnest(a.argtypes) WITH ORDINALITY u(t, i)),
           a.has_combine, false, false, a.public_exec, 'the extension''s'
    FROM fz_own_aggregate a
    WHERE (SELECT bool_and(pg_temp.column_of(t) IS NOT NULL) FROM unnest(a.argtypes) t);
END $$;

-- One query over the generated rows with an aggregate, in one of many shapes.
CREATE FUNCTION pg_temp.run_aggregate(a fz_aggregate) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    cols text := a.cols;
    call text;
    agg text;
    q text;
    gucs text[] := '{}';
    parallel text[] := ARRAY['parallel_setup_cost', '0', 'parallel_tuple_cost', '0',
        'min_parallel_table_scan_size', '0', 'min_parallel_index_scan_size', '0',
        'max_parallel_workers_per_gather', '2'];
    as_fuzzer boolean := a.fuzzer_may AND pg_temp.chance(0.5);
    shape int := pg_temp.rint(1, 12);
    src text := 'hrp_fuzz.flat';
    col1 text;
BEGIN
    agg := a.name;
    col1 := split_part(cols, ',', 1);
    IF a.ordered_set THEN
        call := format('%s(%s) WITHIN GROUP (ORDER BY %s)', agg, pg_temp.gen(split_part(a.args, ' ORDER BY ', 1)), cols);
        shape := pg_temp.pick(ARRAY[1, 2, 3, 4, 7, 9, 11]);
    ELSIF a.moving THEN
        shape := 5;
    END IF;
    IF call IS NULL THEN
        call := format('%s(%s)', agg, cols);
    END IF;
    CASE shape
        WHEN 1 THEN
            q := format('SELECT (%s)::text FROM %s', call, src);
        WHEN 2 THEN
            q := format('SELECT grp, (%s)::text FROM %s GROUP BY grp', call, src);
            gucs := pg_temp.pick(ARRAY[ARRAY['enable_hashagg', 'off'], ARRAY['enable_sort', 'off'], ARRAY['work_mem', '64kB']]);
        WHEN 3 THEN
            gucs := parallel || ARRAY['parallel_leader_participation', pg_temp.pick(ARRAY['on', 'off'])];
            src := pg_temp.pick(ARRAY['hrp_fuzz.flat', 'hrp_fuzz.rows']);
            IF pg_temp.chance(0.5) THEN
                q := format('SELECT grp, (%s)::text FROM %s GROUP BY grp', call, src);
            ELSE
                q := format('SELECT (%s)::text FROM %s', call, src);
            END IF;
        WHEN 4 THEN
            gucs := ARRAY['enable_partitionwise_aggregate', 'on', 'enable_partitionwise_join', 'on']
                || CASE WHEN pg_temp.chance(0.5) THEN parallel ELSE '{}'::text[] END;
            q := format(pg_temp.pick(ARRAY['SELECT (%s)::text FROM hrp_fuzz.rows', 'SELECT (%s)::text FROM hrp_fuzz.rows',
                'SELECT grp, (%s)::text FROM hrp_fuzz.rows GROUP BY grp']), call);
        WHEN 5 THEN
            q := format('SELECT (%s OVER (%s))::text FROM %s', call, pg_temp.pick(ARRAY[
                'ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW',
                'ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING',
                'PARTITION BY grp ORDER BY id',
                'ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING',
                'ORDER BY grp RANGE BETWEEN 1 PRECEDING AND CURRENT ROW',
                'ORDER BY id ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING EXCLUDE CURRENT ROW',
                'ORDER BY grp GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE GROUP', '']), src);
        WHEN 6 THEN
            IF cols = '*' THEN
                q := format('SELECT (%s FILTER (WHERE id %% 3 <> 1))::text FROM %s', call, src);
            ELSE
                q := format('SELECT (%s(%s ORDER BY id DESC) FILTER (WHERE id %% 3 <> 1))::text FROM %s', agg, cols, src);
            END IF;
        WHEN 7 THEN
            q := format('SELECT grp, (%1$s)::text, (%1$s)::text FROM %2$s GROUP BY GROUPING SETS ((grp), (), (grp, part))', call, src);
        WHEN 8 THEN
            -- DISTINCT sorts the arguments: tallies have no ordering
            IF cols = '*' OR cols ~ '\m(t|ts)\M' OR a.ordered_set THEN
                q := format('SELECT (%s)::text FROM %s WHERE grp = 1', call, src);
            ELSE
                q := format('SELECT (%s(DISTINCT %s))::text FROM %s', agg, cols, src);
            END IF;
        WHEN 9 THEN
            -- computed inputs: expanded arrays, lengths changing between rows, NULLs
            IF cols = '*' THEN
                q := format('SELECT (%s)::text FROM (SELECT * FROM %s UNION ALL SELECT * FROM %s) s', call, src, src);
            ELSE
                col1 := trim(pg_temp.pick(string_to_array(cols, ',')));
                q := format('SELECT (%s)::text FROM (SELECT id, grp, %s FROM %s) s', call,
                    regexp_replace(cols, '\m' || col1 || '\M', format('%s AS %s', pg_temp.pick(
                        ARRAY[format('CASE WHEN id %% 2 = 0 THEN NULL ELSE %s END', col1),
                              format('CASE WHEN id = 2 THEN %s ELSE %s END', pg_temp.gen(pg_temp.type_of(col1)), col1)]
                        || CASE WHEN pg_temp.type_of(col1) LIKE '%[]' THEN ARRAY[
                              format('CASE WHEN id %% 2 = 0 THEN array_append(%1$s, %1$s[1]) ELSE %1$s END', col1),
                              format('CASE WHEN id %% 2 = 0 THEN array_prepend(NULL, %1$s) ELSE %1$s END', col1),
                              format('CASE WHEN id %% 3 = 0 THEN %1$s || %1$s ELSE %1$s END', col1),
                              format('CASE WHEN id %% 2 = 1 THEN %1$s[2:] ELSE %1$s END', col1),
                              format('CASE WHEN id %% 4 = 3 THEN array_fill(NULL::%2$s, ARRAY[cardinality(%1$s)]) ELSE %1$s END',
                                  col1, left(pg_temp.type_of(col1), -2)),
                              format('CASE WHEN id %% 3 = 1 THEN array_fill(%1$s[1], ARRAY[cardinality(%1$s)], ARRAY[0]) ELSE %1$s END', col1),
                              format('CASE WHEN id %% 5 = 4 THEN ARRAY[%1$s, %1$s] ELSE ARRAY[%1$s] END', col1)]
                           ELSE '{}'::text[] END), col1)),
                    src);
            END IF;
        WHEN 10 THEN
            gucs := ARRAY['work_mem', '64kB', 'hash_mem_multiplier', '1', 'enable_sort', 'off'];
            q := format('SELECT id %% 97, (%s)::text FROM %s GROUP BY 1', call, src);
        WHEN 11 THEN
            q := format('SELECT (SELECT (%s)::text FROM %s i WHERE i.grp = o.grp) FROM %s o', call, src, src);
        ELSE
            -- the aggregate over generated values, in VALUES
            PERFORM set_config('hrp_fuzz.sane', CASE WHEN pg_temp.chance(0.5) THEN 'on' ELSE 'off' END, false);
            q := format('SELECT (%s)::text FROM (VALUES %s) v(%s)', call,
                CASE WHEN cols = '*' THEN '(1), (2)'
                     ELSE (SELECT string_agg('(' || (SELECT string_agg(pg_temp.gen(pg_temp.type_of(trim(c))), ', ')
                                                      FROM unnest(string_to_array(cols, ',')) c) || ')', ', ')
                           FROM generate_series(1, pg_temp.rint(1, 3))) END,
                CASE WHEN cols = '*' THEN 'x' ELSE cols END);
            PERFORM set_config('hrp_fuzz.sane', 'off', false);
    END CASE;
    PERFORM pg_temp.try('aggregate ' || a.name || '(' || a.args || ')', q, as_fuzzer, gucs);
END $$;

CREATE FUNCTION pg_temp.type_of(col text) RETURNS text LANGUAGE sql AS $$
SELECT CASE col WHEN 't' THEN 'hrpolicy.tally' WHEN 'b' THEN 'boolean' WHEN 'w' THEN 'bigint'
    WHEN 'status' THEN 'text' WHEN 'tags' THEN 'text[]' WHEN 'filters' THEN 'hrpolicy.rule_filter[]'
    WHEN 'ts' THEN 'hrpolicy.tally[]' WHEN 'v' THEN 'hrpolicy.validity' WHEN 'd' THEN 'date' END
$$;

-- === the rows =================================================================
-- Each round: a few values per column (one only, often, as a report's
-- filters are), rows picking among them; arrays of different lengths in
-- some rounds.

CREATE FUNCTION pg_temp.make_rows() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    coltypes text[] := ARRAY['hrpolicy.tally', 'boolean', 'bigint', 'text', 'text[]',
                             'hrpolicy.rule_filter[]', 'hrpolicy.tally[]', 'hrpolicy.validity', 'date'];
    pools text[] := '{}';
    sizes int[] := '{}';
    pool text[];
    v text;
    nrows int := pg_temp.pick(ARRAY[0, 1, 2, 3, 5, 10, 20, 40, 40, 60, 100, 400]);
    vals text[];
    limit_len int;
    -- sane: plausible values, arrays of one length, the same filters in
    -- every row (as a report passes them); mixed: the same plus one wild
    -- value in some columns; wild: anything.
    mode text := pg_temp.pick(ARRAY['sane', 'sane', 'sane', 'mixed', 'mixed', 'wild']);
BEGIN
    TRUNCATE hrp_fuzz.rows, hrp_fuzz.flat;
    limit_len := CASE WHEN nrows > 60 THEN 20000 ELSE 2000000 END;
    PERFORM set_config('hrp_fuzz.len', pg_temp.pick(ARRAY[0, 1, 2, 3, 3, 5, 8])::text, false);
    FOR c IN 1..cardinality(coltypes) LOOP
        pool := '{}';
        PERFORM set_config('hrp_fuzz.sane', CASE WHEN mode = 'wild' THEN 'off' ELSE 'on' END, false);
        FOR k IN 1..CASE WHEN coltypes[c] = 'hrpolicy.rule_filter[]' AND mode <> 'wild' THEN 1
                         ELSE pg_temp.pick(ARRAY[1, 1, 1, 2, 3]) END LOOP
            v := pg_temp.gen_literal(coltypes[c]);
            IF v IS NOT NULL AND length(v) <= limit_len THEN
                pool := pool || v;
            END IF;
        END LOOP;
        IF mode = 'mixed' AND pg_temp.chance(0.4) THEN
            PERFORM set_config('hrp_fuzz.sane', 'off', false);
            v := pg_temp.gen_literal(coltypes[c]);
            IF v IS NOT NULL AND length(v) <= limit_len THEN
                pool := pool || v;
            END IF;
        END IF;
        PERFORM set_config('hrp_fuzz.sane', 'off', false);
        IF coltypes[c] = 'text' THEN
            pool := pool || ARRAY['office', 'home', 'leave'];
        ELSIF coltypes[c] = 'date' THEN
            pool := pool || ARRAY['2020-11-16', '2020-11-17'];
        ELSIF coltypes[c] = 'boolean' THEN
            pool := ARRAY['true', 'false'];
        END IF;
        -- NULL now and then: a pool of n values plus NULL
        IF pg_temp.chance(0.3) THEN
            pool := pool || NULL::text;
        END IF;
        sizes := sizes || cardinality(pool);
        pools := pools || array_fill(NULL::text, ARRAY[8]);
        FOR k IN 1..cardinality(pool) LOOP
            pools[(c - 1) * 8 + k] := pool[k];
        END LOOP;
    END LOOP;
    FOR i IN 1..nrows LOOP
        vals := '{}';
        FOR c IN 1..cardinality(coltypes) LOOP
            IF sizes[c] = 0 THEN
                vals := vals || NULL::text;
            ELSE
                vals := vals || pools[(c - 1) * 8 + pg_temp.rint(1, least(sizes[c], 8))::int];
            END IF;
        END LOOP;
        EXECUTE 'INSERT INTO hrp_fuzz.rows VALUES ($1, $2, $3, $4::hrpolicy.tally, $5::boolean, $6::bigint, $7,
                 $8::text[], $9::hrpolicy.rule_filter[], $10::hrpolicy.tally[], $11::hrpolicy.validity, $12::date)'
        USING i, pg_temp.rint(0, 3)::int, pg_temp.rint(0, 3)::int,
              vals[1], vals[2], vals[3], vals[4], vals[5], vals[6], vals[7], vals[8], vals[9];
    END LOOP;
    INSERT INTO hrp_fuzz.flat SELECT * FROM hrp_fuzz.rows;
    PERFORM set_config('hrp_fuzz.len', '-1', false);
    INSERT INTO fz_note (note) VALUES (format('rows: %s %s', nrows, mode));
END $$;

-- === enforcement ==============================================================

CREATE FUNCTION pg_temp.day_expr() RETURNS text LANGUAGE sql AS $$
SELECT CASE WHEN random() < 0.85 THEN format('%L::date', '2020-11-16'::date + pg_temp.rint(0, 6)::int)
            ELSE pg_temp.gen('date') END
$$;

-- Writes to the enforced tables (their triggers call the enforcement
-- functions), direct calls of the enforcement functions PUBLIC may call
-- (found by name: enforce*), TRUNCATE, SET CONSTRAINTS, in nested
-- savepoints rolled back at random.  The outcomes are collected in a
-- variable (log), which the rollbacks leave alone, and recorded at the end.
CREATE FUNCTION pg_temp.enforce_ops(depth int, as_fuzzer boolean, log fz_result[]) RETURNS fz_result[]
LANGUAGE plpgsql AS $$
DECLARE
    f fz_function;
BEGIN
    FOR k IN 1..pg_temp.rint(1, 6) LOOP
        CASE pg_temp.rint(1, 14)
            WHEN 1, 2 THEN
                IF depth < 4 THEN
                    BEGIN
                        log := pg_temp.enforce_ops(depth + 1, as_fuzzer, log);
                        IF pg_temp.chance(0.4) THEN
                            RAISE EXCEPTION 'roll back a savepoint' USING ERRCODE = 'FZ002';
                        END IF;
                    EXCEPTION WHEN SQLSTATE 'FZ002' THEN
                        NULL;
                    END;
                END IF;
            WHEN 3, 4 THEN
                log := log || pg_temp.try_raw('enforce: INSERT into an enforced table', format(
                    'INSERT INTO hrp_fuzz.att SELECT %L::ltree, %s, %s || g, %L, ARRAY[''structural''] FROM generate_series(1, %s) g',
                    pg_temp.pick(ARRAY['fz.a', 'fz.b', 'fz.c', 'fz', 'other']), pg_temp.day_expr(),
                    pg_temp.pick(ARRAY['''q''', '''p''', '''p'' || (g % 3) || ''x''']),
                    pg_temp.pick(ARRAY['office', 'office', 'home', NULL]), pg_temp.pick(ARRAY[1, 1, 2, 5, 30])),
                    as_fuzzer, keep => true);
            WHEN 5 THEN
                log := log || pg_temp.try_raw('enforce: UPDATE of an enforced table', format(
                    'UPDATE hrp_fuzz.att SET day = %s, status = %L WHERE day = %s',
                    pg_temp.day_expr(), pg_temp.pick(ARRAY['office', 'home']), pg_temp.day_expr()),
                    as_fuzzer, keep => true);
            WHEN 6 THEN
                log := log || pg_temp.try_raw('enforce: DELETE from an enforced table', format(
                    'DELETE FROM hrp_fuzz.att WHERE day = %s AND status = %L', pg_temp.day_expr(),
                    pg_temp.pick(ARRAY['office', 'home'])), as_fuzzer, keep => true);
            WHEN 7 THEN
                log := log || pg_temp.try_raw('enforce: write the table without a day column', pg_temp.pick(ARRAY[
                    'UPDATE hrp_fuzz.staff SET tags = ARRAY[''over55''] WHERE person = ''p' || pg_temp.rint(0, 40) || '''',
                    'DELETE FROM hrp_fuzz.staff WHERE person = ''p' || pg_temp.rint(0, 40) || '''',
                    'INSERT INTO hrp_fuzz.staff VALUES (''n' || pg_temp.rint(0, 9) || ''', ''{}'')']),
                    as_fuzzer, keep => true);
            WHEN 8 THEN
                log := log || pg_temp.try_raw('enforce: TRUNCATE an enforced table', format('TRUNCATE %s',
                    pg_temp.pick(ARRAY['hrp_fuzz.att', 'hrp_fuzz.att_2020', 'hrp_fuzz.att_other', 'hrp_fuzz.staff'])),
                    as_fuzzer, keep => true);
            WHEN 9, 10, 11 THEN
                SELECT * INTO f FROM fz_function
                WHERE proname LIKE 'enforce%' AND skipped IS NULL AND public_exec
                ORDER BY sig OFFSET pg_temp.rint(0, greatest((SELECT count(*) FROM fz_function
                    WHERE proname LIKE 'enforce%' AND skipped IS NULL AND public_exec) - 1, 0)) LIMIT 1;
                IF FOUND THEN
                    PERFORM set_config('hrp_fuzz.days', 'on', false);
                    log := log || pg_temp.try_raw(f.sig, pg_temp.build_call(f), as_fuzzer, keep => true);
                    PERFORM set_config('hrp_fuzz.days', 'off', false);
                END IF;
            ELSE
                log := log || pg_temp.try_raw('enforce: SET CONSTRAINTS', format('SET CONSTRAINTS ALL %s',
                    pg_temp.pick(ARRAY['IMMEDIATE', 'DEFERRED'])), as_fuzzer, keep => true);
        END CASE;
    END LOOP;
    RETURN log;
END $$;

-- A round of writes in savepoints, checked at once at the end, then all
-- rolled back (nothing is left for the commit to check).
CREATE FUNCTION pg_temp.enforce_round() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    as_fuzzer boolean := pg_temp.chance(0.5);
    log fz_result[] := '{}';
    r fz_result;
    st text;
    msg text;
BEGIN
    BEGIN
        log := pg_temp.enforce_ops(0, as_fuzzer, log);
        log := log || pg_temp.try_raw('enforce: SET CONSTRAINTS', 'SET CONSTRAINTS ALL IMMEDIATE', as_fuzzer, keep => true);
        RAISE EXCEPTION 'roll back the round''s writes' USING ERRCODE = 'FZ001';
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
        IF st <> 'FZ001' THEN
            -- the scenario itself failed
            log := log || ROW('enforce: scenario', 'superuser', st, msg, 'enforcement scenario', NULL, NULL, NULL)::fz_result;
        END IF;
    END;
    FOREACH r IN ARRAY log LOOP
        PERFORM pg_temp.record(r);
    END LOOP;
END $$;

-- === catalog writes ===========================================================

CREATE FUNCTION pg_temp.catalog_round() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    codes text;
    q text;
    target text;
BEGIN
    FOR k IN 1..4 LOOP
        PERFORM set_config('hrp_fuzz.sane', CASE WHEN k % 2 = 0 THEN 'on' ELSE 'off' END, false);
        codes := format('ARRAY[%s]::text[]', (SELECT string_agg(quote_literal(pg_temp.text_lit('code')), ', ')
                                           FROM generate_series(1, pg_temp.rint(0, 4))));
        CASE pg_temp.rint(1, 5)
            WHEN 1 THEN
                target := 'catalog: INSERT a decree';
                q := format('INSERT INTO hrpolicy.policy (code, valid, amends, revokes) VALUES (%L, %s, %s, %s)',
                    pg_temp.pick(ARRAY['N-' || pg_temp.rint(1, 5), pg_temp.text_lit('code'), pg_temp.text_lit()]),
                    pg_temp.gen('hrpolicy.validity'), codes, pg_temp.pick(ARRAY['''{}''::text[]', codes]));
            WHEN 2 THEN
                target := 'catalog: UPDATE amends';
                q := format('UPDATE hrpolicy.policy SET amends = %s WHERE code = %L', codes, pg_temp.text_lit('code'));
            WHEN 3 THEN
                target := 'catalog: rename decrees';
                q := format('UPDATE hrpolicy.policy SET code = code || %L WHERE code LIKE %L',
                    pg_temp.pick(ARRAY['x', '', '-r']), pg_temp.pick(ARRAY['F-1%', 'C-%', 'L-2%', 'F-%', 'U-1']));
            WHEN 4 THEN
                target := 'catalog: DELETE decrees';
                q := format('DELETE FROM hrpolicy.policy WHERE code LIKE %L', pg_temp.pick(ARRAY['F-1%', 'F-3', 'C-%', 'W-1%']));
            ELSE
                target := 'catalog: INSERT a rule';
                q := format('INSERT INTO hrpolicy.rule (policy, name, quota, counts, who, unless, excused, only_when) VALUES (%L, %L, %s, %s, %s, %s, %s, %L)',
                    pg_temp.text_lit('code'), pg_temp.text_lit(), pg_temp.gen('hrpolicy.quota'), pg_temp.gen('text[]', 'status'),
                    pg_temp.gen('text[]', 'tag'), pg_temp.gen('text[]', 'tag'), pg_temp.gen('text[]', 'status'), pg_temp.text_lit('tag'));
        END CASE;
        PERFORM set_config('hrp_fuzz.sane', 'off', false);
        PERFORM pg_temp.try(target, q || '; SET CONSTRAINTS ALL IMMEDIATE', pg_temp.chance(0.2));
    END LOOP;
END $$;

-- === COPY binary ==============================================================

CREATE FUNCTION pg_temp.copy_round() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    dir text := current_setting('hrp_fuzz.dir');
    path text;
    target text;
    label text;
    expr text;
    b bytea;
    f bytea;
    pos int;
    lo oid;
BEGIN
    IF dir = '' THEN
        RETURN;
    END IF;
    path := dir || '/sql-fuzz-copy.bin';
    FOR k IN 1..8 LOOP
        target := pg_temp.pick(ARRAY['quota', 'tally', 'quota_array', 'tally_array', 'validity', 'validity_set']);
        label := CASE WHEN target LIKE 'quota%' THEN 'hrpolicy.quota_recv(internal)'
                      WHEN target LIKE 'tally%' THEN 'hrpolicy.tally_recv(internal)'
                      ELSE 'hrpolicy.validity_canonical(hrpolicy.validity) through range_recv' END;
        expr := CASE target
            WHEN 'quota' THEN format('hrpolicy.quota_send(%s)', pg_temp.gen('hrpolicy.quota'))
            WHEN 'tally' THEN format('hrpolicy.tally_send(%s)', pg_temp.gen('hrpolicy.tally'))
            WHEN 'quota_array' THEN format('array_send(%s)', pg_temp.gen('hrpolicy.quota[]'))
            WHEN 'tally_array' THEN format('array_send(%s)', pg_temp.gen('hrpolicy.tally[]'))
            WHEN 'validity' THEN format('range_send(%s)', pg_temp.gen('hrpolicy.validity'))
            ELSE format('multirange_send(hrpolicy.validity_set(%s, %s))', pg_temp.gen('hrpolicy.validity'), pg_temp.gen('hrpolicy.validity'))
        END;
        b := decode(pg_temp.eval('value of ' || target, format('SELECT encode(%s, ''hex'')', expr)), 'hex');
        IF b IS NULL OR length(b) > 4000000 THEN
            CONTINUE;
        END IF;
        -- mutate
        CASE pg_temp.rint(1, 8)
            WHEN 1 THEN NULL; -- as sent
            WHEN 2 THEN -- flip a byte
                IF length(b) > 0 THEN
                    pos := pg_temp.rint(0, length(b) - 1);
                    b := set_byte(b, pos, get_byte(b, pos) # pg_temp.rint(1, 255)::int);
                END IF;
            WHEN 3 THEN -- the format version byte, or the first one
                IF length(b) > 0 THEN
                    b := set_byte(b, 0, pg_temp.pick(ARRAY[0, 2, 3, 127, 128, 255]));
                END IF;
            WHEN 4 THEN b := substr(b, 1, pg_temp.rint(0, greatest(length(b) - 1, 0))::int);
            WHEN 5 THEN b := b || decode(repeat(pg_temp.pick(ARRAY['00', 'ff', '01', '7f']), pg_temp.rint(1, 9)::int), 'hex');
            WHEN 6 THEN -- an int8 overwritten with an extreme
                IF length(b) >= 8 THEN
                    pos := pg_temp.rint(0, length(b) - 8);
                    b := overlay(b PLACING int8send(pg_temp.pick(ARRAY[0, -1, 1, 9223372036854775807, -9223372036854775808,
                        4611686018427387904]::bigint[])) FROM pos + 1 FOR 8);
                END IF;
            ELSE -- an int4 overwritten with an extreme (array dimensions, bounds, lengths, dates)
                IF length(b) >= 4 THEN
                    pos := pg_temp.rint(0, (length(b) - 4) / 4) * 4;
                    b := overlay(b PLACING int4send(pg_temp.pick(ARRAY[0, -1, 1, 2, 7, 16, 2147483647, -2147483648,
                        1000000, 268435456, 2147483494, -2451545, -2451546]::int[])) FROM pos + 1 FOR 4);
                END IF;
        END CASE;
        f := '\x5047434f50590aff0d0a00'::bytea || int4send(0) || int4send(0)
             || int2send(1::int2) || int4send(length(b)) || b || int2send((-1)::int2);
        lo := lo_from_bytea(0, f);
        PERFORM lo_export(lo, path);
        PERFORM lo_unlink(lo);
        PERFORM pg_temp.try(label, format('COPY hrp_fuzz.%1$I FROM %2$L (FORMAT binary); SELECT string_agg(x::text, '','') FROM hrp_fuzz.%1$I',
            'bin_' || target, path), core_ok => CASE WHEN target = 'validity_set' THEN 'invalid memory alloc request size%' END);
    END LOOP;
END $$;

-- === range operators ==========================================================
-- Ranges that the range code computes (intersection, union, difference,
-- merge, multiranges) are canonicalized by validity_canonical too, with
-- bounds no literal spelled: exclusive ones next to the ends of the date
-- range, infinite ones.

CREATE FUNCTION pg_temp.range_round() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    a text;
    b text;
BEGIN
    FOR k IN 1..current_setting('hrp_fuzz.calls')::int / 2 LOOP
        PERFORM set_config('hrp_fuzz.sane', CASE WHEN pg_temp.chance(0.5) THEN 'on' ELSE 'off' END, false);
        a := pg_temp.gen('hrpolicy.validity');
        b := pg_temp.gen('hrpolicy.validity');
        PERFORM set_config('hrp_fuzz.sane', 'off', false);
        PERFORM pg_temp.try('hrpolicy.validity_canonical(hrpolicy.validity) through range operators',
            format(pg_temp.pick(ARRAY[
                'SELECT (%s * %s)::text', 'SELECT (%s + %s)::text', 'SELECT (%s - %s)::text',
                'SELECT range_merge(%s, %s)::text', 'SELECT hrpolicy.validity_set(%s, %s)::text',
                'SELECT (hrpolicy.validity_set(%s) - hrpolicy.validity_set(%s))::text',
                'SELECT (hrpolicy.validity_set(%s) + hrpolicy.validity_set(%s))::text',
                'SELECT (hrpolicy.validity_set(%s) * hrpolicy.validity_set(%s))::text',
                'SELECT range_agg(v)::text FROM (VALUES (%s), (%s)) x(v)',
                'SELECT range_intersect_agg(v)::text FROM (VALUES (%s), (%s)) x(v)',
                'SELECT hrpolicy.days(v), hrpolicy.working_days(v) FROM unnest(hrpolicy.validity_set(%s) - hrpolicy.validity_set(%s)) v',
                'SELECT hrpolicy.validity(lower(%s), upper(%s), ''()'')::text']), a, b),
            pg_temp.chance(0.5));
    END LOOP;
END $$;

-- === trigger functions ========================================================
-- The extension's C trigger functions are SQL-callable objects too: any
-- role that may put a trigger on a table (its own temp table, here) may
-- make them fire, with any trigger arguments, timing, level and event.
-- Each statement creates a trigger, maybe makes days pending (a direct
-- call of an enforce* function), writes, fires deferred triggers, and is
-- rolled back.  C event trigger functions likewise (superuser only), on
-- every event, around DDL.

CREATE TEMP TABLE fz_trg_a (unit ltree, day date, person text, status text, tags text[]);
CREATE TEMP TABLE fz_trg_b (day text, x int);
CREATE TEMP TABLE fz_trg_c (x int);
INSERT INTO fz_trg_a VALUES ('fz.a', '2020-11-16', 'p1', 'office', '{}'), ('fz.b', NULL, NULL, NULL, NULL);
INSERT INTO fz_trg_b VALUES ('2020-11-16', 1), ('garbage', 2);
INSERT INTO fz_trg_c VALUES (1), (2);
GRANT ALL ON fz_trg_a, fz_trg_b, fz_trg_c TO hrp_fuzzer;

CREATE FUNCTION pg_temp.trigger_round() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    f fz_function;
    e fz_function;
    tbl text;
    kind text;
    args text;
    ddl text;
    touch text;
    as_fuzzer boolean;
BEGIN
    FOR f IN SELECT * FROM fz_function WHERE rettype = 'trigger' ORDER BY sig LOOP
        FOR k IN 1..3 LOOP
            as_fuzzer := f.public_exec AND pg_temp.chance(0.5);
            tbl := pg_temp.pick(ARRAY['pg_temp.fz_trg_a', 'pg_temp.fz_trg_a', 'pg_temp.fz_trg_b', 'pg_temp.fz_trg_c']);
            kind := pg_temp.pick(ARRAY[
                'CONSTRAINT TRIGGER fz_t AFTER INSERT OR UPDATE OR DELETE ON %s DEFERRABLE INITIALLY DEFERRED FOR EACH ROW',
                'CONSTRAINT TRIGGER fz_t AFTER INSERT OR UPDATE OR DELETE ON %s DEFERRABLE INITIALLY DEFERRED FOR EACH ROW',
                'CONSTRAINT TRIGGER fz_t AFTER INSERT ON %s NOT DEFERRABLE FOR EACH ROW',
                'TRIGGER fz_t BEFORE INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW',
                'TRIGGER fz_t AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW',
                'TRIGGER fz_t BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s FOR EACH STATEMENT',
                'TRIGGER fz_t AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s FOR EACH STATEMENT',
                'TRIGGER fz_t AFTER INSERT ON %s REFERENCING NEW TABLE AS fz_new FOR EACH STATEMENT',
                'TRIGGER fz_t AFTER UPDATE ON %s REFERENCING OLD TABLE AS fz_old NEW TABLE AS fz_new FOR EACH ROW']);
            args := (SELECT string_agg(quote_literal(pg_temp.pick(ARRAY['day', 'day', '', '', '2020-11-16', 'x', 'nonexistent',
                        '-infinity', 'infinity', 'NULL', '5874897-12-31', repeat('y', 300), pg_temp.text_lit()])), ', ')
                     FROM generate_series(1, pg_temp.pick(ARRAY[0, 1, 2, 2, 2, 3])));
            -- days pending first, now and then, so that a check has work
            touch := '';
            IF pg_temp.chance(0.5) THEN
                SELECT * INTO e FROM fz_function WHERE proname LIKE 'enforce%' AND skipped IS NULL AND public_exec
                ORDER BY sig LIMIT 1 OFFSET pg_temp.rint(0, 3);
                IF FOUND THEN
                    PERFORM set_config('hrp_fuzz.days', 'on', false);
                    touch := pg_temp.build_call(e, 'on') || '; ';
                    PERFORM set_config('hrp_fuzz.days', 'off', false);
                END IF;
            END IF;
            PERFORM pg_temp.try(f.sig || ' as a trigger', format('CREATE ' || kind || ' EXECUTE FUNCTION %s(%s); %s%s; SET CONSTRAINTS ALL IMMEDIATE',
                tbl, f.fname, coalesce(args, ''), touch, pg_temp.pick(ARRAY[
                    format('INSERT INTO %s SELECT * FROM %s', tbl, tbl),
                    format('UPDATE %s SET x = x', tbl),
                    format('DELETE FROM %s', tbl),
                    format('TRUNCATE %s', tbl),
                    CASE WHEN tbl LIKE '%fz_trg_a' THEN format('UPDATE %s SET day = day + 1, status = ''office''', tbl)
                         ELSE format('INSERT INTO %s DEFAULT VALUES', tbl) END])), as_fuzzer);
        END LOOP;
    END LOOP;
    FOR f IN SELECT * FROM fz_function WHERE rettype = 'event_trigger' ORDER BY sig LOOP
        FOR k IN 1..2 LOOP
            ddl := pg_temp.pick(ARRAY[
                'CREATE TABLE pg_temp.fz_evt (x int)', 'DROP TABLE pg_temp.fz_trg_c', 'ALTER TABLE pg_temp.fz_trg_c ALTER COLUMN x TYPE bigint',
                'DROP EXTENSION IF EXISTS hrp_no_such', 'DROP EXTENSION hrpolicy', 'DROP EXTENSION ltree, hrpolicy',
                'DROP SCHEMA IF EXISTS hrp_no_such', 'COMMENT ON TABLE pg_temp.fz_trg_c IS ''x''', 'DROP VIEW hrp_fuzz.roster',
                'CREATE SCHEMA fz_evt_schema', 'ALTER EXTENSION hrpolicy UPDATE']);
            PERFORM pg_temp.try(f.sig || ' as an event trigger', format('CREATE EVENT TRIGGER fz_evt ON %s%s EXECUTE FUNCTION %s(); %s',
                pg_temp.pick(ARRAY['ddl_command_start', 'ddl_command_end', 'sql_drop', 'table_rewrite']),
                pg_temp.pick(ARRAY['', ' WHEN TAG IN (''DROP EXTENSION'', ''DROP TABLE'', ''ALTER TABLE'', ''CREATE TABLE'')']),
                f.fname, ddl));
        END LOOP;
    END LOOP;
END $$;

-- === DROP EXTENSION (keep_decrees) ============================================

CREATE FUNCTION pg_temp.drop_round() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    label text := 'hrpolicy.keep_decrees() via DROP EXTENSION';
BEGIN
    PERFORM pg_temp.try(label, 'DROP EXTENSION hrpolicy');
    PERFORM pg_temp.try(label, 'DROP EXTENSION hrpolicy RESTRICT', true);
    PERFORM pg_temp.try(label, 'DROP EXTENSION IF EXISTS hrp_no_such, hrpolicy');
    PERFORM pg_temp.try(label, 'DROP EXTENSION ltree');
    PERFORM pg_temp.try(label, 'SET session_replication_role = replica; DELETE FROM hrpolicy.rule; '
        'DELETE FROM hrpolicy.circumstance; DELETE FROM hrpolicy.policy; RESET session_replication_role; '
        'DROP EXTENSION hrpolicy');
    PERFORM pg_temp.try(label, 'DROP EXTENSION hrpolicy CASCADE');
END $$;

-- === the plans =================================================================
-- The settings must give the plans meant: partial aggregation in parallel
-- workers and per partition, with an aggregate of pg_temp.  Noted in the
-- summary (a plan that changed would make those shapes test less).

CREATE FUNCTION pg_temp.check_plans() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    agg text := (SELECT name FROM fz_aggregate WHERE name LIKE 'pg_temp.%' AND has_combine AND args = 'hrpolicy.tally'
                 ORDER BY name LIMIT 1);
    plan text;
    line text;
BEGIN
    INSERT INTO hrp_fuzz.flat (id, grp, part, t) SELECT g, g % 4, g % 3, '1/2' FROM generate_series(1, 100) g;
    INSERT INTO hrp_fuzz.rows (id, grp, part, t) SELECT g, g % 4, g % 3, '1/2' FROM generate_series(1, 100) g;
    PERFORM set_config('parallel_setup_cost', '0', true), set_config('parallel_tuple_cost', '0', true),
            set_config('min_parallel_table_scan_size', '0', true), set_config('max_parallel_workers_per_gather', '2', true);
    plan := '';
    FOR line IN EXECUTE format('EXPLAIN (COSTS OFF) SELECT %s(t) FROM hrp_fuzz.flat', agg) LOOP
        plan := plan || line || E'\n';
    END LOOP;
    INSERT INTO fz_note (note) VALUES ('parallel partial aggregation: '
        || CASE WHEN plan LIKE '%Gather%Partial Aggregate%' THEN 'yes' ELSE 'NO' END);
    PERFORM set_config('max_parallel_workers_per_gather', '0', true), set_config('enable_partitionwise_aggregate', 'on', true);
    plan := '';
    FOR line IN EXECUTE format('EXPLAIN (COSTS OFF) SELECT %s(t) FROM hrp_fuzz.rows', agg) LOOP
        plan := plan || line || E'\n';
    END LOOP;
    INSERT INTO fz_note (note) VALUES ('partitionwise partial aggregation: '
        || CASE WHEN plan LIKE '%Finalize Aggregate%Partial Aggregate%' THEN 'yes' ELSE 'NO' END);
    TRUNCATE hrp_fuzz.flat, hrp_fuzz.rows;
END $$;

-- === the run ==================================================================

CREATE PROCEDURE pg_temp.run() LANGUAGE plpgsql AS $$
DECLARE
    rounds int := current_setting('hrp_fuzz.rounds')::int;
    calls int := current_setting('hrp_fuzz.calls')::int;
    f fz_function;
    a fz_aggregate;
    q text;
BEGIN
    PERFORM setseed(current_setting('hrp_fuzz.seed')::float8);
    -- A crash that used to be: a state of NULL tallies, then one of another length.
    PERFORM pg_temp.try('regression: tally_each_combine as SFUNC over 100000 NULL tallies',
        'CREATE AGGREGATE pg_temp.boom(hrpolicy.tally[]) (SFUNC = hrpolicy.tally_each_combine, STYPE = hrpolicy.tally[]); '
        'SELECT pg_temp.boom(x)::text FROM (VALUES (array_fill(NULL::hrpolicy.tally, ARRAY[100000])), '
        '(array_fill(''1/1''::hrpolicy.tally, ARRAY[100000]))) v(x)');
    PERFORM pg_temp.make_aggregates();
    PERFORM pg_temp.check_plans();
    COMMIT;
    FOR r IN 1..rounds LOOP
        PERFORM pg_temp.make_rows();
        FOR f IN SELECT * FROM fz_function WHERE skipped IS NULL ORDER BY sig LOOP
            FOR i IN 1..calls LOOP
                PERFORM pg_temp.call_once(f);
            END LOOP;
        END LOOP;
        FOR a IN SELECT * FROM fz_aggregate ORDER BY name, args LOOP
            -- the extension's own aggregates more often
            FOR i IN 1..CASE WHEN a.name LIKE 'pg_temp.%' THEN 2 ELSE 8 END LOOP
                PERFORM pg_temp.run_aggregate(a);
            END LOOP;
        END LOOP;
        PERFORM pg_temp.enforce_round();
        PERFORM pg_temp.enforce_round();
        PERFORM pg_temp.catalog_round();
        PERFORM pg_temp.trigger_round();
        PERFORM pg_temp.range_round();
        PERFORM pg_temp.copy_round();
        IF r = 1 THEN
            PERFORM pg_temp.drop_round();
        END IF;
        COMMIT;
        -- Right after a COMMIT, in the procedure's new transaction and
        -- outside any subtransaction, the functions that read the catalog
        -- with the active snapshot or look at the transaction (no
        -- trigger, no internal argument, no enforce*: those leave days
        -- to check), with plausible arguments, as the superuser.  Not in
        -- a block: an error here stops the run (and is reported).
        FOR f IN SELECT * FROM fz_function
                 WHERE skipped IS NULL AND (proname LIKE 'amendment%' OR proname IN ('written_by_this_transaction', 'lock_amendments'))
                 ORDER BY sig LOOP
            q := pg_temp.build_call(f, 'on');
            IF current_setting('hrp_fuzz.trace') = 'on' THEN
                RAISE NOTICE 'sql-fuzz call % after COMMIT as superuser: %', f.sig, pg_temp.one_line(q);
            END IF;
            EXECUTE q;
            INSERT INTO fz_call (target, who, state) VALUES (f.sig, 'superuser', '00000');
        END LOOP;
        COMMIT;
    END LOOP;
END $$;

CALL pg_temp.run();

-- === the results ==============================================================

SET client_min_messages = notice;
\pset footer off
\echo 'sql-fuzz: calls per target (function, aggregate or scenario)'
SELECT target, sum(n) AS calls, sum(n) FILTER (WHERE state = '00000') AS ok,
       sum(as_fuzzer) AS as_fuzzer,
       string_agg(state || ':' || n, ' ' ORDER BY state) FILTER (WHERE state <> '00000') AS errors
FROM (SELECT target, state, count(*) AS n, count(*) FILTER (WHERE who = 'hrp_fuzzer') AS as_fuzzer
      FROM fz_call GROUP BY target, state) s
GROUP BY target ORDER BY target;

\echo 'sql-fuzz: C functions not called directly'
SELECT sig, skipped AS why,
       CASE WHEN sig IN (SELECT target FROM fz_call) THEN 'exercised through COPY binary'
            WHEN rettype = 'trigger' THEN 'exercised as a trigger'
            WHEN rettype = 'event_trigger' THEN 'exercised as an event trigger and through DROP EXTENSION'
            WHEN 'internal' = ANY (argtypes) AND :'fuzz_internal'::boolean AND (argtypes = '{internal}' OR rettype = 'internal')
                THEN 'exercised in aggregates with an internal state (last)'
            WHEN 'internal' = ANY (argtypes) AND sig ~ '_recv\(' THEN 'not exercised (give fuzz_dir for COPY binary)'
            ELSE 'not exercised' END AS instead
FROM fz_function WHERE skipped IS NOT NULL ORDER BY sig;

DO $$
DECLARE
    ncalls bigint;
    nfunctions bigint;
    nbuilt bigint;
    nown bigint;
    errors text;
    nfindings bigint;
    plans text;
    r record;
BEGIN
    SELECT string_agg(note, ', ' ORDER BY n) INTO plans FROM fz_note WHERE note LIKE '%partial aggregation%';
    SELECT count(*) INTO ncalls FROM fz_call;
    SELECT count(DISTINCT target) INTO nfunctions FROM fz_call WHERE target IN (SELECT sig FROM fz_function);
    SELECT count(*) FILTER (WHERE name LIKE 'pg_temp.%'), count(*) FILTER (WHERE name NOT LIKE 'pg_temp.%')
    INTO nbuilt, nown FROM fz_aggregate;
    SELECT string_agg(state || '=' || n, ', ' ORDER BY state) INTO errors
    FROM (SELECT state, count(*) AS n FROM fz_call WHERE state <> '00000' GROUP BY state) s;
    SELECT count(*) INTO nfindings FROM fz_finding;
    FOR r IN SELECT * FROM fz_finding ORDER BY n LIMIT 20 LOOP
        RAISE WARNING E'sql-fuzz FINDING %: % as % got SQLSTATE %: %\nstatement: %\ndetail: %\ncontext: %',
            r.n, r.target, r.who, r.state, r.message, r.statement, r.detail, r.context;
    END LOOP;
    RAISE NOTICE 'sql-fuzz: % calls over % functions, % aggregates (% built on the support functions, % of the extension); errors by SQLSTATE: %; internal errors: % (seed %, % rounds of % calls per function; %)',
        ncalls, nfunctions, nbuilt + nown, nbuilt, nown, coalesce(errors, 'none'), nfindings,
        current_setting('hrp_fuzz.seed'), current_setting('hrp_fuzz.rounds'), current_setting('hrp_fuzz.calls'), plans;
END $$;

-- === aggregates with an internal state ========================================
-- Last, as these have crashed the server: only a superuser may create an
-- aggregate whose state is internal, and then the transition and final
-- functions must agree on what that state is.  For every function of the
-- extension of the form f(internal, ...) -> internal (a transition) and
-- f(internal) -> non-internal (a final function): the extension's own
-- pairs first, then its final functions over the states of PostgreSQL's
-- internal-state transition functions (string_agg, array_agg, numeric
-- sums, json_agg, range_agg...), then its transition functions under
-- PostgreSQL's final functions.  Each aggregate runs over 0, 1, a few and
-- thousands of rows, grouped and as a window function.

-- An expression of a type, from the row number g.
CREATE FUNCTION pg_temp.value_of(typ text) RETURNS text LANGUAGE sql AS $$
SELECT CASE typ
    WHEN 'text' THEN '''p'' || (g % 7)' WHEN 'date' THEN '''2020-11-16''::date + g % 3'
    WHEN 'smallint' THEN '(g % 100)::int2' WHEN 'integer' THEN 'g' WHEN 'bigint' THEN 'g::int8 * 1000003'
    WHEN 'numeric' THEN 'g::numeric / 7' WHEN 'bytea' THEN 'convert_to(''b'' || g, ''UTF8'')'
    WHEN 'anynonarray' THEN 'g' WHEN 'anyelement' THEN 'g' WHEN '"any"' THEN 'g::text'
    WHEN 'anyarray' THEN 'ARRAY[g, g + 1]' WHEN 'anyrange' THEN 'int4range(g, g + 2)'
    WHEN 'anymultirange' THEN 'int4multirange(int4range(g, g + 2))' END
$$;

CREATE TEMP TABLE fz_internal (n serial, name text, label text, args text, vals text);

CREATE FUNCTION pg_temp.make_internal_aggregates() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    r record;
    name text;
    args text;
BEGIN
    FOR r IN
        WITH ext_trans AS (
            SELECT fname, sig, argtypes[2:] AS args, 0 AS origin FROM fz_function
            WHERE argtypes[1] = 'internal' AND rettype = 'internal' AND NOT retset),
        ext_final AS (
            SELECT fname, sig, 0 AS origin FROM fz_function
            WHERE argtypes = '{internal}' AND rettype <> 'internal' AND NOT retset),
        core_trans AS (
            SELECT DISTINCT 'pg_catalog.' || quote_ident(p.proname) AS fname, p.oid::regprocedure::text AS sig,
                   ARRAY(SELECT format_type(u.t, NULL) FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY u(t, i)
                         WHERE u.i > 1 ORDER BY u.i) AS args, 1 AS origin
            FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggtransfn
            WHERE a.aggtranstype = 'internal'::regtype AND a.aggkind = 'n' AND p.pronamespace = 'pg_catalog'::regnamespace),
        core_final AS (
            SELECT DISTINCT 'pg_catalog.' || quote_ident(p.proname) AS fname, p.oid::regprocedure::text AS sig, 1 AS origin
            FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfinalfn
            WHERE a.aggtranstype = 'internal'::regtype AND a.aggkind = 'n' AND p.pronamespace = 'pg_catalog'::regnamespace
              AND p.pronargs = 1 AND (SELECT typtype FROM pg_type WHERE oid = p.prorettype) <> 'p')
        SELECT x.fname AS tf, x.sig AS ts, x.args, y.fname AS ff, y.sig AS fs, x.origin + 2 * y.origin AS rank
        FROM (SELECT * FROM ext_trans UNION ALL SELECT * FROM core_trans) x
        CROSS JOIN (SELECT * FROM ext_final UNION ALL SELECT * FROM core_final) y
        WHERE (x.origin = 0 OR y.origin = 0)
          AND cardinality(x.args) > 0
          AND (SELECT bool_and(pg_temp.value_of(t) IS NOT NULL) FROM unnest(x.args) t)
        ORDER BY rank, ts, fs
    LOOP
        name := 'fz_int_' || (SELECT count(*) + 1 FROM fz_internal);
        args := array_to_string(r.args, ', ');
        IF pg_temp.try(format('CREATE AGGREGATE (SFUNC %s, FINALFUNC %s)', r.ts, r.fs),
                       format('CREATE AGGREGATE pg_temp.%I(%s) (SFUNC = %s, STYPE = internal, FINALFUNC = %s)',
                              name, args, r.tf, r.ff), keep => true) = '00000' THEN
            INSERT INTO fz_internal (name, label, args, vals)
            VALUES ('pg_temp.' || name, format('internal-state aggregate (SFUNC %s, FINALFUNC %s)', r.ts, r.fs), args,
                    (SELECT string_agg(pg_temp.value_of(t), ', ' ORDER BY i) FROM unnest(r.args) WITH ORDINALITY u(t, i)));
        END IF;
    END LOOP;
END $$;

CREATE PROCEDURE pg_temp.run_internal() LANGUAGE plpgsql AS $$
DECLARE
    a record;
    q text;
BEGIN
    PERFORM pg_temp.make_internal_aggregates();
    COMMIT;
    FOR a IN SELECT * FROM fz_internal ORDER BY n LOOP
        FOREACH q IN ARRAY ARRAY[
            'SELECT (%1$s(%2$s))::text FROM generate_series(1, 0) g',
            'SELECT (%1$s(%2$s))::text FROM generate_series(1, 1) g',
            'SELECT (%1$s(%2$s))::text FROM generate_series(1, 5) g',
            'SELECT (%1$s(%2$s))::text FROM generate_series(1, 3000) g',
            'SELECT g %% 3, (%1$s(%2$s))::text FROM generate_series(1, 50) g GROUP BY 1',
            'SELECT (%1$s(%2$s) OVER (ORDER BY g ROWS BETWEEN 1 PRECEDING AND CURRENT ROW))::text FROM generate_series(1, 20) g']
        LOOP
            PERFORM pg_temp.try(a.label, format(q, a.name, a.vals));
        END LOOP;
        COMMIT;
    END LOOP;
END $$;

\if :fuzz_internal
SET client_min_messages = warning;
SELECT set_config('client_min_messages', CASE WHEN :'fuzz_trace' = 'on' THEN 'notice' ELSE 'warning' END, false)
\gset fuzz_setting_
SELECT count(*) AS fuzz_calls_before FROM fz_call \gset
CALL pg_temp.run_internal();
SET client_min_messages = notice;
DO $$
DECLARE
    ncalls bigint;
    naggs bigint;
    errors text;
BEGIN
    SELECT count(*) INTO naggs FROM fz_internal;
    SELECT count(*), string_agg(DISTINCT state, ',') INTO ncalls FROM fz_call WHERE target LIKE 'internal-state aggregate%';
    SELECT string_agg(state || '=' || n, ', ' ORDER BY state) INTO errors
    FROM (SELECT state, count(*) AS n FROM fz_call WHERE target LIKE 'internal-state aggregate%' AND state <> '00000' GROUP BY state) s;
    RAISE NOTICE 'sql-fuzz internal-state aggregates: % calls over % aggregates; errors by SQLSTATE: %; internal errors: %',
        ncalls, naggs, coalesce(errors, 'none'),
        (SELECT count(*) FROM fz_finding WHERE target LIKE 'internal-state aggregate%');
END $$;
\endif

-- The verdict.
DO $$
DECLARE
    r record;
    nfindings bigint := (SELECT count(*) FROM fz_finding);
BEGIN
    IF nfindings > 0 THEN
        FOR r IN SELECT target, state, message, count(*) AS n FROM fz_finding GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 LOOP
            RAISE WARNING 'sql-fuzz FINDINGS: % x % %: %', r.n, r.target, r.state, r.message;
        END LOOP;
        RAISE EXCEPTION 'sql-fuzz: % internal error(s) found (seed %)', nfindings, current_setting('hrp_fuzz.seed');
    END IF;
END $$;
SELECT pg_backend_pid() = :fuzz_backend_pid AS same_backend \gset
\if :same_backend
\echo 'sql-fuzz: the session survived'
\else
\echo 'sql-fuzz: the backend changed during the run'
DO $$ BEGIN RAISE EXCEPTION 'sql-fuzz: the backend running the calls changed: it crashed'; END $$;
\endif
