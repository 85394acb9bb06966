#!/usr/bin/env bash
# Random and mutated input to every input and receive function of hrpolicy.
#
# Text: a few thousand strings, generated deterministically (setseed) from
# the valid literals of each type by mutation (character flips, deletions,
# truncation, digit runs, signs, %, whitespace, unicode, extreme numbers),
# from a grammar of near-valid literals, and at random, are cast to
# hrpolicy.quota, hrpolicy.tally, hrpolicy.validity and
# hrpolicy.validity_set.  Each must be accepted, or refused with a 22xxx
# SQLSTATE; an accepted value's text must read back as the same value and
# print the same (and have the canonical shape).
#
# Binary: tables of valid values are written with COPY ... (FORMAT binary),
# the files mutated (bytes flipped in the field data, the format version
# byte changed, field lengths changed, fields shrunk, grown or swapped for
# another type's, integers overwritten with extremes, the COPY header
# damaged, the file truncated) and loaded back with COPY FROM, which calls
# quota_recv, tally_recv and the range and multirange receive functions
# (hence validity_canonical).  Each mutant must load, with values that
# round-trip through text, or fail with a 22xxx or 08P01 SQLSTATE.  Two
# refusals from PostgreSQL itself are tolerated and counted: 54000 "Cannot
# enlarge string buffer" for a COPY field length of 1 GB or more, and
# multirange_recv's "invalid memory alloc request size" (XX000, or 54000
# in newer minor releases) for a huge range count in a validity_set.
#
# Every input is tried in its own committed transaction, so that after a
# backend crash the culprit is the first input without a result (it is
# printed and kept in /tmp/hrpolicy-random-input-crash.*).  The session
# must survive (same backend pid at the end): a backend crash ends it, while
# pg_postmaster_start_time() stays the same through a crash and
# reinitialization, so that is only checked to catch a full restart.
#
# Runs inside the throwaway cluster (PG* variables set by pg_virtualenv);
# the server must be local (it reads and writes files in a temp directory).
#   RANDOM_INPUT_SEED   setseed() argument (default 0.4242)
#   RANDOM_INPUT_SCALE  multiplies the number of inputs (default 1)
#   RANDOM_INPUT_KEEP   set: keep the database hrpolicy_random_input afterwards
set -euo pipefail
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
cd "$(dirname "$0")/.."

db=hrpolicy_random_input
seed=${RANDOM_INPUT_SEED:-0.4242}
scale=${RANDOM_INPUT_SCALE:-1}
work=$(mktemp -d /tmp/hrpolicy-random-input.XXXXXX)
chmod 777 "$work"
trap 'rm -rf "$work"' EXIT
SECONDS=0

psql -qX -v ON_ERROR_STOP=1 -d postgres \
	-c "DROP DATABASE IF EXISTS $db" \
	-c "CREATE DATABASE $db TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"

q() { psql -qXAt -v ON_ERROR_STOP=1 -d "$db" "$@"; }

started=$(q -c "SELECT pg_postmaster_start_time()")

# --- setup: the helpers, the inputs and the mutants -------------------------
q -v seed="$seed" -v scale="$scale" -v dir="$work" >/dev/null <<'SQL'
SET client_min_messages = warning;
-- psql does not expand its variables inside dollar quotes: pass them as settings.
SELECT set_config('hrp_fuzz.seed', :'seed', false), set_config('hrp_fuzz.scale', :'scale', false),
       set_config('hrp_fuzz.dir', :'dir', false);
CREATE EXTENSION hrpolicy CASCADE;
CREATE SCHEMA hrp_fuzz;

-- Random helpers: all draws come from random(), seeded once below, and are
-- made in a fixed order, so the inputs are the same on every run.
CREATE FUNCTION hrp_fuzz.rint(lo bigint, hi bigint) RETURNS bigint LANGUAGE sql AS
$$ SELECT lo + floor(random() * (hi - lo + 1)::float8)::bigint $$;
CREATE FUNCTION hrp_fuzz.pick(a anyarray) RETURNS anyelement LANGUAGE sql AS
$$ SELECT a[hrp_fuzz.rint(1, cardinality(a))] $$;

CREATE FUNCTION hrp_fuzz.digits(n int) RETURNS text LANGUAGE plpgsql AS $$
DECLARE s text := '';
BEGIN
    FOR i IN 1..n LOOP
        s := s || chr(48 + hrp_fuzz.rint(0, 9)::int);
    END LOOP;
    RETURN s;
END $$;

CREATE FUNCTION hrp_fuzz.any_char() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    CASE hrp_fuzz.rint(1, 10)
        WHEN 1, 2, 3, 4, 5 THEN
            RETURN hrp_fuzz.pick(ARRAY['0','1','2','5','9','<','>','=','%','.','-','+','/',' ',
                E'\t', E'\n', E'\r', E'\f', E'\v', '[', ']', '(', ')', ',', '"', '\', '{', '}',
                'e', 'E', 'x', 'a', 'l', 'n', 't', 'B', 'C', ':', ';', '''']);
        WHEN 6, 7 THEN RETURN chr(hrp_fuzz.rint(1, 127)::int);
        WHEN 8 THEN
            RETURN hrp_fuzz.pick(ARRAY[U&'\00A0', U&'\00E9', U&'\FF05', U&'\0663', U&'\2044',
                U&'\2212', U&'\FF10', U&'\FF1C', U&'\2264', U&'\2265', U&'\FFFD', U&'\FEFF',
                U&'\200B', U&'\3000', U&'\+01F642', U&'\00BD', U&'\00B2']);
        WHEN 9 THEN RETURN chr(hrp_fuzz.rint(128, 55295)::int);
        ELSE RETURN chr(hrp_fuzz.rint(57344, 1114111)::int);
    END CASE;
END $$;

-- One to three random edits of s.
CREATE FUNCTION hrp_fuzz.mutate(s text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    n int;
    pos int;
    len int;
BEGIN
    FOR k IN 1..hrp_fuzz.pick(ARRAY[1, 1, 1, 2, 3]) LOOP
        n := length(s);
        pos := hrp_fuzz.rint(1, n + 1);
        CASE hrp_fuzz.rint(1, 13)
            WHEN 1 THEN s := overlay(s PLACING hrp_fuzz.any_char() FROM least(pos, greatest(n, 1)) FOR 1);
            WHEN 2 THEN s := overlay(s PLACING '' FROM pos FOR 1);
            WHEN 3 THEN s := overlay(s PLACING hrp_fuzz.any_char() FROM pos FOR 0);
            WHEN 4 THEN s := left(s, hrp_fuzz.rint(0, greatest(n - 1, 0))::int);
            WHEN 5 THEN s := overlay(s PLACING hrp_fuzz.digits(hrp_fuzz.rint(1, 40)::int) FROM pos FOR 0);
            WHEN 6 THEN
                len := hrp_fuzz.rint(1, greatest(n, 1));
                s := overlay(s PLACING substr(s, hrp_fuzz.rint(1, greatest(n, 1))::int, len) FROM pos FOR 0);
            WHEN 7 THEN s := overlay(s PLACING hrp_fuzz.pick(ARRAY['-', '+', '--', '-0', '- ', '+-']) FROM pos FOR 0);
            WHEN 8 THEN s := overlay(s PLACING hrp_fuzz.pick(ARRAY['%', '.', '%%', '..', '/', 'e', 'E', 'e5', ',', '.0']) FROM pos FOR 0);
            WHEN 9 THEN s := overlay(s PLACING hrp_fuzz.pick(ARRAY[' ', E'\t', E'\n', E'\r', E'\f', E'\v', '   ', U&'\00A0']) FROM pos FOR 0);
            WHEN 10 THEN s := overlay(s PLACING hrp_fuzz.any_char() || hrp_fuzz.any_char() FROM pos FOR 0);
            WHEN 11, 12 THEN
                s := regexp_replace(s, '[0-9]+', hrp_fuzz.pick(ARRAY['2147483647', '2147483648', '4294967296',
                    '9223372036854775807', '9223372036854775808', '18446744073709551616', '0', '00000000000000000000',
                    '99999999999999999999999999', '100.0000', '100.0001', '99.99995', '0.00001', '5874897', '5874898',
                    '4714', '4713', '294276', '-1', '1e10', '12-31', '02-30', '13', '32', '60']),
                    hrp_fuzz.pick(ARRAY['', 'g']));
            ELSE s := hrp_fuzz.pick(ARRAY[upper(s), lower(s), reverse(s), s || s, btrim(s), '  ' || s || '  ']);
        END CASE;
    END LOOP;
    RETURN s;
END $$;

CREATE FUNCTION hrp_fuzz.random_number() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    CASE hrp_fuzz.rint(1, 7)
        WHEN 1, 2 THEN RETURN hrp_fuzz.rint(0, 100)::text;
        WHEN 3, 4 THEN RETURN hrp_fuzz.rint(0, 20)::text;
        WHEN 5 THEN RETURN hrp_fuzz.rint(0, 9223372036854775806)::text;
        WHEN 6 THEN RETURN hrp_fuzz.digits(hrp_fuzz.rint(1, 25)::int);
        ELSE RETURN hrp_fuzz.pick(ARRAY['0', '00', '100', '101', '2147483647', '2147483648', '4294967295',
            '9223372036854775807', '9223372036854775808', '18446744073709551615', '18446744073709551616',
            '100000000000', '99999999999', '007']);
    END CASE;
END $$;

CREATE FUNCTION hrp_fuzz.random_date() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    CASE hrp_fuzz.rint(1, 12)
        WHEN 1, 2, 3, 7, 8, 9, 10, 11 THEN RETURN to_char(date '2020-06-01' + hrp_fuzz.rint(-900, 900)::int, 'YYYY-MM-DD');
        WHEN 4 THEN RETURN hrp_fuzz.pick(ARRAY['infinity', '-infinity', '', 'epoch', '4714-11-24 BC',
            '4714-11-23 BC', '5874897-12-31', '5874898-01-01', '294276-12-31', '2020-02-29', '2021-02-29',
            '0001-01-01', '0000-01-01', '20200324', 'Mar 24 2020', '24/03/2020', '03/24/2020', 'J2451545']);
        WHEN 5 THEN RETURN hrp_fuzz.rint(1, 9999) || '-' || hrp_fuzz.rint(0, 13) || '-' || hrp_fuzz.rint(0, 32);
        WHEN 6 THEN RETURN '"' || to_char(date '2020-06-01' + hrp_fuzz.rint(-90, 90)::int, 'YYYY-MM-DD') || '"';
        ELSE RETURN hrp_fuzz.rint(1, 5874897) || '-12-31' || hrp_fuzz.pick(ARRAY['', ' BC']);
    END CASE;
END $$;

-- Near-valid literals of each type, from a small grammar.
CREATE FUNCTION hrp_fuzz.structured(typ text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    ws text[] := ARRAY['', '', '', ' ', E'\t', '  '];
    s text;
BEGIN
    CASE typ
        WHEN 'quota' THEN
            IF random() < 0.05 THEN
                RETURN hrp_fuzz.pick(ws) || hrp_fuzz.pick(ARRAY['none', 'all', 'None', 'ALL', 'nothing', 'al']) || hrp_fuzz.pick(ws);
            END IF;
            RETURN hrp_fuzz.pick(ws)
                || hrp_fuzz.pick(ARRAY['<=', '>=', '<', '>', '=', '<=', '>=', '<', '>', '=', 'at most', 'at least',
                       'exactly', 'less than', 'fewer than', 'more than', 'AT MOST', 'At  Least', '=>', '=<', '==',
                       '!=', '', 'most'])
                || hrp_fuzz.pick(ws)
                || CASE WHEN random() < 0.08 THEN '-' ELSE '' END
                || hrp_fuzz.random_number()
                || CASE hrp_fuzz.rint(1, 3) WHEN 1 THEN '.' || hrp_fuzz.digits(hrp_fuzz.pick(ARRAY[0, 1, 2, 2, 3, 4, 4, 5, 6])) ELSE '' END
                || hrp_fuzz.pick(ws)
                || CASE WHEN random() < 0.6 THEN '%' ELSE '' END
                || hrp_fuzz.pick(ws);
        WHEN 'tally' THEN
            RETURN hrp_fuzz.pick(ws)
                || CASE WHEN random() < 0.05 THEN '-' ELSE '' END || hrp_fuzz.random_number()
                || hrp_fuzz.pick(ws) || hrp_fuzz.pick(ARRAY['/', '/', '/', '//', '', ' ']) || hrp_fuzz.pick(ws)
                || CASE WHEN random() < 0.05 THEN '-' ELSE '' END || hrp_fuzz.random_number()
                || hrp_fuzz.pick(ws);
        WHEN 'small_tally' THEN
            s := hrp_fuzz.rint(0, 30)::text;
            RETURN s || hrp_fuzz.pick(ws) || '/' || hrp_fuzz.pick(ws) || (s::int + hrp_fuzz.rint(-2, 30))::text;
        WHEN 'validity' THEN
            IF random() < 0.04 THEN
                RETURN hrp_fuzz.pick(ARRAY['empty', 'EMPTY', ' empty ', '(,)', '[,]', '(,]', '[,)']);
            END IF;
            IF random() < 0.5 THEN
                -- a well-formed window: a day, and another up to a year later
                s := to_char(date '2020-06-01' + hrp_fuzz.rint(-900, 900)::int, 'YYYY-MM-DD');
                RETURN hrp_fuzz.pick(ARRAY['[', '(']) || s || ','
                    || CASE WHEN random() < 0.15 THEN '' ELSE to_char(s::date + hrp_fuzz.rint(-3, 366)::int, 'YYYY-MM-DD') END
                    || hrp_fuzz.pick(ARRAY[']', ')']);
            END IF;
            RETURN hrp_fuzz.pick(ws) || hrp_fuzz.pick(ARRAY['[', '(', '[', '(', '[', '(', '']) || hrp_fuzz.pick(ws)
                || hrp_fuzz.random_date() || hrp_fuzz.pick(ws) || hrp_fuzz.pick(ARRAY[',', ',', ',', ',', ',', ';', ''])
                || hrp_fuzz.pick(ws) || hrp_fuzz.random_date() || hrp_fuzz.pick(ws)
                || hrp_fuzz.pick(ARRAY[']', ')', ']', ')', ']', ')', '']) || hrp_fuzz.pick(ws);
        ELSE -- validity_set
            s := '';
            FOR i IN 1..hrp_fuzz.rint(0, 4) LOOP
                s := s || CASE WHEN i > 1 THEN hrp_fuzz.pick(ARRAY[',', ', ', ',', '']) ELSE '' END
                       || hrp_fuzz.structured('validity');
            END LOOP;
            RETURN hrp_fuzz.pick(ws) || hrp_fuzz.pick(ARRAY['{', '{', '{', '']) || s
                || hrp_fuzz.pick(ARRAY['}', '}', '}', '']) || hrp_fuzz.pick(ws);
    END CASE;
END $$;

CREATE TABLE hrp_fuzz.input (id int PRIMARY KEY, origin text NOT NULL, s text NOT NULL);
CREATE TABLE hrp_fuzz.text_result (
    id int NOT NULL REFERENCES hrp_fuzz.input, typ text NOT NULL, state text NOT NULL,
    canonical text, problem text, PRIMARY KEY (id, typ));

CREATE TABLE hrp_fuzz.literal (typ text, s text);
INSERT INTO hrp_fuzz.literal VALUES
    ('quota', '<=25%'), ('quota', '< 25%'), ('quota', '>=2'), ('quota', '>2'), ('quota', '=100%'),
    ('quota', '<=33.33%'), ('quota', 'at most 25%'), ('quota', 'at least 2'), ('quota', 'exactly 50%'),
    ('quota', 'none'), ('quota', 'all'), ('quota', 'less than 3'), ('quota', 'fewer than 3'),
    ('quota', 'more than 10%'), ('quota', '<=2147483647'), ('quota', '>=100.0000%'),
    ('quota', '<0.0001%'), ('quota', '>99.9999%'), ('quota', ' AT MOST 33.3333 % '), ('quota', '=0'),
    ('quota', '<=100.00001%'), ('quota', '<=-1'), ('quota', '>=2147483648'), ('quota', '<0'),
    ('tally', '3/12'), ('tally', '0/0'), ('tally', ' 3 / 12 '), ('tally', '12/12'), ('tally', '0/5'),
    ('tally', '9223372036854775807/9223372036854775807'), ('tally', '3/2'), ('tally', '-1/5'),
    ('tally', '9223372036854775808/1'), ('tally', '-0/0'),
    ('validity', '[2020-03-24,2020-04-01)'), ('validity', '[2020-03-24,2020-03-31]'),
    ('validity', '[2020-08-01,)'), ('validity', '(,)'), ('validity', 'empty'),
    ('validity', '(2020-03-24,2020-03-25)'), ('validity', '[-infinity,infinity]'),
    ('validity', '(-infinity,2020-01-01)'), ('validity', '[4714-11-24 BC,5874897-12-31]'),
    ('validity', '["2020-01-01","2020-02-01")'), ('validity', '[2020-01-01,infinity)'),
    ('validity', '[ 2020-01-01 , 2020-02-01 ]'), ('validity', '(2020-12-31,2021-01-01]'),
    ('validity', '(5874897-12-31,)'), ('validity', '(,4714-11-24 BC)'), ('validity', '[2020-02-01,2020-01-01]'),
    ('validity_set', '{}'), ('validity_set', '{[2020-03-24,2020-03-31]}'),
    ('validity_set', '{[2020-01-01,2020-02-01), [2020-02-01,2020-03-01)}'),
    ('validity_set', '{[2020-01-01,), empty}'), ('validity_set', '{(,2020-01-01], [2021-01-01,)}'),
    ('validity_set', '{ [2020-01-01,2020-01-05] , (2020-01-05,2020-01-09) }'),
    ('validity_set', '{(2020-01-01,2020-01-02)}');

DO $$
DECLARE
    scale int := current_setting('hrp_fuzz.scale')::int;
    n int := 0;
    t text;
    r record;
    pool text[];
BEGIN
    PERFORM setseed(current_setting('hrp_fuzz.seed')::float8);
    FOR r IN SELECT typ, s FROM hrp_fuzz.literal LOOP
        n := n + 1;
        INSERT INTO hrp_fuzz.input VALUES (n, 'literal ' || r.typ, r.s);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['quota', 'tally', 'validity', 'validity_set'] LOOP
        FOR i IN 1..400 * scale LOOP
            n := n + 1;
            INSERT INTO hrp_fuzz.input VALUES (n, 'grammar ' || t,
                hrp_fuzz.structured(CASE WHEN t = 'tally' AND i % 2 = 0 THEN 'small_tally' ELSE t END));
        END LOOP;
        SELECT array_agg(s ORDER BY id) INTO pool FROM hrp_fuzz.input
        WHERE origin IN ('literal ' || t, 'grammar ' || t);
        FOR i IN 1..750 * scale LOOP
            n := n + 1;
            INSERT INTO hrp_fuzz.input VALUES (n, 'mutant of ' || t, hrp_fuzz.mutate(hrp_fuzz.pick(pool)));
        END LOOP;
        FOR i IN 1..100 * scale LOOP
            n := n + 1;
            INSERT INTO hrp_fuzz.input
            SELECT n, 'random', coalesce(string_agg(hrp_fuzz.any_char(), '' ORDER BY g), '')
            FROM generate_series(1, hrp_fuzz.rint(0, 24)::int) g;
        END LOOP;
    END LOOP;
END $$;

-- Is this validity in canonical form: both finite ends inclusive?
CREATE FUNCTION hrp_fuzz.inclusive(v hrpolicy.validity) RETURNS boolean LANGUAGE sql AS $$
    SELECT isempty(v) OR (
        (lower_inf(v) OR NOT isfinite(lower(v)) OR lower_inc(v)) AND
        (upper_inf(v) OR NOT isfinite(upper(v)) OR upper_inc(v)))
$$;

-- Read s as a typ: the SQLSTATE ('00000' when accepted), the canonical text,
-- and what is wrong, if anything.
CREATE FUNCTION hrp_fuzz.try_input(typ text, s text, OUT state text, OUT canonical text, OUT problem text)
LANGUAGE plpgsql AS $$
DECLARE
    same boolean;
    again text;
    shape boolean;
    msg text;
BEGIN
    BEGIN
        EXECUTE format('SELECT $1::%s::text', typ) INTO canonical USING s;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
        IF state NOT LIKE '22%' THEN
            problem := format('refused with SQLSTATE %s, not 22xxx: %s', state, msg);
        END IF;
        RETURN;
    END;
    state := '00000';
    IF canonical IS NULL THEN
        problem := 'accepted as NULL';
        RETURN;
    END IF;
    BEGIN
        EXECUTE format('SELECT $1::%1$s OPERATOR(%2$s.=) $2::%1$s, $2::%1$s::text', typ,
                       CASE WHEN typ IN ('hrpolicy.quota', 'hrpolicy.tally') THEN 'hrpolicy' ELSE 'pg_catalog' END)
            INTO same, again USING s, canonical;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT;
        problem := format('its canonical text %L is refused: %s %s', canonical, SQLSTATE, msg);
        RETURN;
    END;
    IF same IS NOT TRUE THEN
        problem := format('its canonical text %L reads back as a different value', canonical);
    ELSIF again IS DISTINCT FROM canonical THEN
        problem := format('its canonical text %L prints back as %L', canonical, again);
    ELSE
        IF typ = 'hrpolicy.quota' THEN
            shape := canonical ~ '^(<=|>=|<|>|=)(0|[1-9][0-9]*)((\.[0-9]{0,3}[1-9])?%)?$';
        ELSIF typ = 'hrpolicy.tally' THEN
            shape := canonical ~ '^(0|[1-9][0-9]*)/(0|[1-9][0-9]*)$';
        ELSIF typ = 'hrpolicy.validity' THEN
            shape := hrp_fuzz.inclusive(canonical::hrpolicy.validity);
        ELSE
            shape := coalesce((SELECT bool_and(hrp_fuzz.inclusive(x))
                               FROM unnest(canonical::hrpolicy.validity_set) x), true);
        END IF;
        IF NOT shape THEN
            problem := format('its canonical text %L is not in canonical form', canonical);
        END IF;
    END IF;
END $$;

CREATE PROCEDURE hrp_fuzz.check_text() LANGUAGE plpgsql AS $$
DECLARE
    r record;
    x record;
    t text;
BEGIN
    FOR r IN SELECT i.id, i.s FROM hrp_fuzz.input i
             WHERE NOT EXISTS (SELECT FROM hrp_fuzz.text_result tr WHERE tr.id = i.id) ORDER BY i.id
    LOOP
        FOREACH t IN ARRAY ARRAY['hrpolicy.quota', 'hrpolicy.tally', 'hrpolicy.validity', 'hrpolicy.validity_set']
        LOOP
            x := hrp_fuzz.try_input(t, r.s);
            INSERT INTO hrp_fuzz.text_result VALUES (r.id, t, x.state, x.canonical, x.problem);
        END LOOP;
        COMMIT;
    END LOOP;
END $$;

-- Binary: tables of valid values, their COPY files, and mutants of those.
CREATE TABLE hrp_fuzz.b_quota (v hrpolicy.quota);
CREATE TABLE hrp_fuzz.b_tally (v hrpolicy.tally);
CREATE TABLE hrp_fuzz.b_validity (v hrpolicy.validity);
CREATE TABLE hrp_fuzz.b_validity_set (v hrpolicy.validity_set);
CREATE TABLE hrp_fuzz.b_all (q hrpolicy.quota, t hrpolicy.tally, v hrpolicy.validity, vs hrpolicy.validity_set);
CREATE TABLE hrp_fuzz.b_column (target text, col text, typ text);
INSERT INTO hrp_fuzz.b_column VALUES
    ('b_quota', 'v', 'hrpolicy.quota'), ('b_tally', 'v', 'hrpolicy.tally'),
    ('b_validity', 'v', 'hrpolicy.validity'), ('b_validity_set', 'v', 'hrpolicy.validity_set'),
    ('b_all', 'q', 'hrpolicy.quota'), ('b_all', 't', 'hrpolicy.tally'),
    ('b_all', 'v', 'hrpolicy.validity'), ('b_all', 'vs', 'hrpolicy.validity_set');

INSERT INTO hrp_fuzz.b_quota
SELECT unnest('{<=25%,<25%,>=2,>2,=100%,<=33.33%,none,all,<=2147483647,<0.0001%,>99.9999%,=0,>0}'::hrpolicy.quota[]);
INSERT INTO hrp_fuzz.b_tally
SELECT unnest('{3/12,0/0,12/12,9223372036854775807/9223372036854775807,0/5,1/9223372036854775807}'::hrpolicy.tally[]);
INSERT INTO hrp_fuzz.b_validity
SELECT unnest('{"[2020-03-24,2020-03-31]","[2020-08-01,)","(,)",empty,"(,2020-01-01]","[4714-11-24 BC,5874897-12-31]","[-infinity,infinity]","[2020-01-01,infinity)","[2020-02-29,2020-02-29]"}'::hrpolicy.validity[]);
INSERT INTO hrp_fuzz.b_validity_set VALUES
    ('{}'), ('{[2020-03-24,2020-03-31]}'), ('{[2020-01-01,2020-01-31], [2020-03-01,)}'),
    ('{(,2019-12-31], [2020-02-01,2020-02-01], [2021-01-01,)}'), ('{[4714-11-24 BC,2000-01-01]}');
INSERT INTO hrp_fuzz.b_all VALUES
    ('<=25%', '3/12', '[2020-03-24,2020-03-31]', '{[2020-03-24,2020-03-31]}'),
    ('>=2', '0/0', '[2020-08-01,)', '{}'),
    (NULL, '12/12', 'empty', '{(,2020-01-01], [2021-01-01,)}'),
    ('all', NULL, '(,)', NULL),
    ('<0.0001%', '9223372036854775807/9223372036854775807', NULL, '{[2020-01-01,2020-01-31], [2020-03-01,)}');

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['b_quota', 'b_tally', 'b_validity', 'b_validity_set', 'b_all'] LOOP
        EXECUTE format('COPY hrp_fuzz.%I TO %L (FORMAT binary)', t,
                       current_setting('hrp_fuzz.dir') || '/base-' || t || '.bin');
    END LOOP;
END $$;

CREATE FUNCTION hrp_fuzz.i32(b bytea, off int) RETURNS int LANGUAGE sql IMMUTABLE AS
$$ SELECT ('x' || encode(substr(b, off + 1, 4), 'hex'))::bit(32)::int $$;
CREATE FUNCTION hrp_fuzz.i16(b bytea, off int) RETURNS int LANGUAGE sql IMMUTABLE AS
$$ SELECT (('x' || encode(substr(b, off + 1, 2), 'hex'))::bit(16)::int # 32768) - 32768 $$;

-- The fields of a COPY binary file: column number, offset of the length
-- word, offset of the data (0-based) and length.  Stops where the framing
-- stops making sense (the file may be a mutant already).
CREATE FUNCTION hrp_fuzz.fields(b bytea)
RETURNS TABLE (col int, len_off int, data_off int, len int) LANGUAGE plpgsql AS $$
DECLARE
    size int := length(b);
    p bigint := 19;
    nf int;
BEGIN
    IF size < 19 THEN
        RETURN;
    END IF;
    p := p + greatest(hrp_fuzz.i32(b, 15), 0);
    WHILE p + 2 <= size LOOP
        nf := hrp_fuzz.i16(b, p::int);
        p := p + 2;
        EXIT WHEN nf <= 0;
        FOR f IN 1..nf LOOP
            EXIT WHEN p + 4 > size;
            col := f;
            len_off := p;
            data_off := p + 4;
            len := hrp_fuzz.i32(b, p::int);
            EXIT WHEN len > size - data_off;
            RETURN NEXT;
            p := p + 4 + greatest(len, 0);
        END LOOP;
    END LOOP;
END $$;

CREATE TABLE hrp_fuzz.base (target text PRIMARY KEY, data bytea NOT NULL);
CREATE TABLE hrp_fuzz.base_field (target text, col int, len_off int, data_off int, len int);
CREATE TABLE hrp_fuzz.mutant (id int PRIMARY KEY, target text NOT NULL, kind text NOT NULL, data bytea NOT NULL);
CREATE TABLE hrp_fuzz.binary_result (
    id int PRIMARY KEY REFERENCES hrp_fuzz.mutant, verdict text NOT NULL, state text NOT NULL,
    message text, loaded bigint, problem text);

INSERT INTO hrp_fuzz.base
SELECT t, pg_read_binary_file(current_setting('hrp_fuzz.dir') || '/base-' || t || '.bin')
FROM unnest(ARRAY['b_quota', 'b_tally', 'b_validity', 'b_validity_set', 'b_all']) t;
INSERT INTO hrp_fuzz.base_field SELECT b.target, f.* FROM hrp_fuzz.base b, hrp_fuzz.fields(b.data) f;

-- Replace the data of the field at (len_off, old length) by d, fixing its length word.
CREATE FUNCTION hrp_fuzz.replace_field(b bytea, len_off int, old_len int, d bytea) RETURNS bytea
LANGUAGE sql AS
$$ SELECT overlay(b PLACING int4send(length(d)) || d FROM len_off + 1 FOR 4 + greatest(old_len, 0)) $$;

CREATE FUNCTION hrp_fuzz.random_bytes(n int) RETURNS bytea LANGUAGE plpgsql AS $$
DECLARE r bytea := '';
BEGIN
    FOR i IN 1..n LOOP
        r := r || set_byte('\x00'::bytea, 0, hrp_fuzz.pick(ARRAY[0, 1, 2, 3, 4, 5, 127, 128, 255,
                                                                    hrp_fuzz.rint(0, 255)::int]));
    END LOOP;
    RETURN r;
END $$;

-- One edit of a COPY binary file of the given table.
CREATE FUNCTION hrp_fuzz.mutate_copy(b bytea, target text, kind text) RETURNS bytea LANGUAGE plpgsql AS $$
DECLARE
    f record;
    d bytea;
    k int;
    pos int;
BEGIN
    SELECT * INTO f FROM hrp_fuzz.fields(b) x WHERE x.len > 0 ORDER BY random() LIMIT 1;
    IF f IS NULL AND kind NOT IN ('truncate', 'header', 'anywhere') THEN
        kind := 'anywhere';
    END IF;
    IF kind IN ('flip', 'version', 'shrink', 'grow', 'int', 'splice') THEN
        d := substr(b, f.data_off + 1, f.len);
    END IF;
    CASE kind
        WHEN 'flip' THEN
            FOR i IN 1..hrp_fuzz.rint(1, 3) LOOP
                pos := hrp_fuzz.rint(0, f.len - 1);
                d := set_byte(d, pos, CASE WHEN random() < 0.5
                    THEN get_byte(d, pos) # hrp_fuzz.rint(1, 255)::int
                    ELSE hrp_fuzz.pick(ARRAY[0, 1, 2, 3, 4, 5, 6, 7, 8, 16, 24, 31, 127, 128, 255]) END);
            END LOOP;
        WHEN 'version' THEN
            d := set_byte(d, 0, hrp_fuzz.pick(ARRAY[0, 2, 3, 127, 128, 255, hrp_fuzz.rint(0, 255)::int]));
        WHEN 'shrink' THEN
            k := hrp_fuzz.rint(1, f.len);
            pos := CASE WHEN random() < 0.5 THEN f.len - k ELSE hrp_fuzz.rint(0, f.len - k) END;
            d := overlay(d PLACING '' FROM pos + 1 FOR k);
        WHEN 'grow' THEN
            pos := CASE WHEN random() < 0.5 THEN f.len ELSE hrp_fuzz.rint(0, f.len) END;
            d := overlay(d PLACING hrp_fuzz.random_bytes(hrp_fuzz.rint(1, 9)::int) FROM pos + 1 FOR 0);
        WHEN 'int' THEN
            IF f.len >= 8 AND random() < 0.4 THEN
                pos := hrp_fuzz.rint(0, f.len - 8);
                d := overlay(d PLACING int8send(hrp_fuzz.pick(ARRAY[0, 1, -1, 2, 9223372036854775807,
                         -9223372036854775808, 4611686018427387904, 1000000, 999999, 1000001]::bigint[]))
                     FROM pos + 1 FOR 8);
            ELSIF f.len >= 4 THEN
                pos := hrp_fuzz.rint(0, f.len - 4);
                d := overlay(d PLACING int4send(hrp_fuzz.pick(ARRAY[0, 1, -1, 2, 4, 5, 8, 2147483647,
                         -2147483648, 1000000, 1000001, 999999, 2147483494, 2147483493, -2451545, -2451546,
                         -2451508, 73048, 1073741824, 268435456, 65536, 16777216]))
                     FROM pos + 1 FOR 4);
            ELSE
                d := set_byte(d, 0, hrp_fuzz.rint(0, 255)::int);
            END IF;
        WHEN 'splice' THEN
            SELECT substr(bb.data, bf.data_off + 1, bf.len) INTO d
            FROM hrp_fuzz.base_field bf JOIN hrp_fuzz.base bb USING (target)
            WHERE bf.len > 0 ORDER BY random() LIMIT 1;
        WHEN 'len' THEN
            RETURN overlay(b PLACING int4send(hrp_fuzz.pick(ARRAY[f.len - 1, f.len + 1, 0, -1, -2,
                       f.len + hrp_fuzz.rint(2, 64)::int, greatest(f.len - hrp_fuzz.rint(2, 16)::int, 0),
                       2147483647, -2147483648, 65536, 1073741823]))
                   FROM f.len_off + 1 FOR 4);
        WHEN 'truncate' THEN
            RETURN substr(b, 1, hrp_fuzz.rint(0, length(b) - 1)::int);
        WHEN 'header' THEN
            pos := hrp_fuzz.rint(0, 18);
            RETURN set_byte(b, pos, get_byte(b, pos) # hrp_fuzz.rint(1, 255)::int);
        ELSE -- anywhere past the header
            pos := hrp_fuzz.rint(19, length(b) - 1);
            RETURN set_byte(b, pos, CASE WHEN random() < 0.5
                THEN get_byte(b, pos) # hrp_fuzz.rint(1, 255)::int ELSE hrp_fuzz.rint(0, 255)::int END);
    END CASE;
    RETURN hrp_fuzz.replace_field(b, f.len_off, f.len, d);
END $$;

DO $$
DECLARE
    n int := 0;
    r record;
    kind text;
    b bytea;
    kinds text[] := ARRAY['flip', 'flip', 'flip', 'flip', 'version', 'version', 'shrink', 'shrink',
                          'grow', 'grow', 'int', 'int', 'int', 'splice', 'len', 'len', 'truncate',
                          'header', 'anywhere', 'anywhere', 'multi', 'multi'];
BEGIN
    PERFORM setseed(current_setting('hrp_fuzz.seed')::float8);
    FOR r IN SELECT target, data FROM hrp_fuzz.base ORDER BY target LOOP
        FOR i IN 1..400 * current_setting('hrp_fuzz.scale')::int LOOP
            kind := hrp_fuzz.pick(kinds);
            IF kind = 'multi' THEN
                b := r.data;
                FOR j IN 1..hrp_fuzz.rint(2, 3) LOOP
                    b := hrp_fuzz.mutate_copy(b, r.target,
                        hrp_fuzz.pick(ARRAY['flip', 'version', 'shrink', 'grow', 'int', 'splice', 'len']));
                END LOOP;
            ELSE
                b := hrp_fuzz.mutate_copy(r.data, r.target, kind);
            END IF;
            n := n + 1;
            INSERT INTO hrp_fuzz.mutant VALUES (n, r.target, kind, b);
        END LOOP;
    END LOOP;
END $$;

CREATE PROCEDURE hrp_fuzz.check_binary(dir text) LANGUAGE plpgsql AS $$
DECLARE
    r record;
    c record;
    lo oid;
    path text := dir || '/mutant.bin';
    st text;
    msg text;
    det text;
    ctx text;
    verdict text;
    loaded bigint;
    bad text;
    problem text;
BEGIN
    FOR r IN SELECT m.id, m.target, m.data FROM hrp_fuzz.mutant m
             WHERE NOT EXISTS (SELECT FROM hrp_fuzz.binary_result b WHERE b.id = m.id) ORDER BY m.id
    LOOP
        lo := lo_from_bytea(0, r.data);
        PERFORM lo_export(lo, path);
        PERFORM lo_unlink(lo);
        st := '00000';
        msg := NULL;
        problem := NULL;
        loaded := NULL;
        BEGIN
            EXECUTE format('COPY hrp_fuzz.%I FROM %L (FORMAT binary)', r.target, path);
            GET DIAGNOSTICS loaded = ROW_COUNT;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                det = PG_EXCEPTION_DETAIL, ctx = PG_EXCEPTION_CONTEXT;
        END;
        IF st = '00000' THEN
            verdict := 'loaded';
            -- Whatever a receive function accepts must print and read back.
            FOR c IN SELECT col, typ FROM hrp_fuzz.b_column WHERE target = r.target LOOP
                EXECUTE format($q$
                    SELECT string_agg(format('%%s value %%s: %%s', %2$L, %1$I::text,
                                             coalesce(x.problem, 'its text is refused with ' || x.state)), '; ')
                    FROM hrp_fuzz.%3$I, hrp_fuzz.try_input(%2$L, %1$I::text) x
                    WHERE %1$I IS NOT NULL AND (x.problem IS NOT NULL OR x.state <> '00000')$q$,
                    c.col, c.typ, r.target) INTO bad;
                IF bad IS NOT NULL THEN
                    verdict := 'FAIL';
                    problem := concat_ws('; ', problem, bad);
                END IF;
            END LOOP;
            EXECUTE format('DELETE FROM hrp_fuzz.%I', r.target);
        ELSIF st LIKE '22%' OR st = '08P01' THEN
            verdict := 'refused';
        ELSIF st = '54000' AND msg = 'out of memory' AND det LIKE 'Cannot enlarge string buffer%' THEN
            verdict := 'core: COPY field length >= 1 GB';
        ELSIF st IN ('XX000', '54000') AND msg LIKE 'invalid memory alloc% request size%'
              AND (r.target = 'b_validity_set' OR ctx LIKE '%column vs%') THEN
            verdict := 'core: multirange_recv range count';
        ELSE
            verdict := 'FAIL';
            problem := format('refused with SQLSTATE %s: %s (%s)', st, msg, split_part(ctx, E'\n', 1));
        END IF;
        INSERT INTO hrp_fuzz.binary_result VALUES (r.id, verdict, st, msg, loaded, problem);
        COMMIT;
    END LOOP;
END $$;
SQL

counts=$(q -F' ' -c "SELECT (SELECT count(*) FROM hrp_fuzz.input), (SELECT count(*) FROM hrp_fuzz.mutant)")
read -r ninputs nmutants <<<"$counts"
echo "check-random-input: $ninputs strings and $nmutants COPY binary mutants generated (seed $seed) in ${SECONDS}s"

# --- run: one session, which must survive -----------------------------------
run_status=0
pids=$(q -v dir="$work" <<'SQL'
SET datestyle = ISO;
SET synchronous_commit = off;
SELECT pg_backend_pid();
CALL hrp_fuzz.check_text();
CALL hrp_fuzz.check_binary(:'dir');
SELECT pg_backend_pid();
SQL
) || run_status=$?

first_pid=$(sed -n 1p <<<"$pids")
last_pid=$(sed -n 2p <<<"$pids")
# After a crash the postmaster needs a moment to notice, and then to
# recover, before it answers again.
alive=
if [ "$run_status" -ne 0 ]; then
	sleep 2
fi
for _ in $(seq 1 30); do
	alive=$(q -c "SELECT 1" 2>/dev/null || true)
	[ "$alive" = 1 ] && break
	sleep 1
done
now_started=$(q -c "SELECT pg_postmaster_start_time()" 2>/dev/null || true)

failed=0
if [ "$run_status" -ne 0 ] || [ -z "$last_pid" ] || [ "$first_pid" != "$last_pid" ]; then
	failed=1
	echo "check-random-input: the session running the inputs died (psql exit $run_status; backend pid $first_pid, then '${last_pid}')" >&2
	culprit=$(q -c "SELECT id FROM hrp_fuzz.input i WHERE NOT EXISTS (SELECT FROM hrp_fuzz.text_result r WHERE r.id = i.id) ORDER BY id LIMIT 1" 2>/dev/null || true)
	if [ -n "$culprit" ]; then
		keep=$(mktemp -d /tmp/hrpolicy-random-input-crash.XXXXXX)
		q -c "SELECT s FROM hrp_fuzz.input WHERE id = $culprit" > "$keep/input-$culprit.txt" 2>/dev/null || true
		echo "check-random-input: the text input being tried (id $culprit), kept in $keep/input-$culprit.txt:" >&2
		q -c "SELECT format('%L (origin: %s)', s, origin) FROM hrp_fuzz.input WHERE id = $culprit" >&2 || true
	else
		culprit=$(q -c "SELECT id FROM hrp_fuzz.mutant m WHERE NOT EXISTS (SELECT FROM hrp_fuzz.binary_result r WHERE r.id = m.id) ORDER BY id LIMIT 1" 2>/dev/null || true)
		if [ -n "$culprit" ]; then
			keep=$(mktemp -d /tmp/hrpolicy-random-input-crash.XXXXXX)
			{ q -c "SELECT encode(data, 'base64') FROM hrp_fuzz.mutant WHERE id = $culprit" | base64 -d > "$keep/mutant-$culprit.bin"; } 2>/dev/null || true
			echo "check-random-input: the COPY binary mutant being loaded (id $culprit), kept in $keep/mutant-$culprit.bin:" >&2
			q -c "SELECT format('COPY hrp_fuzz.%s FROM ''%s'' (FORMAT binary); -- %s mutant, bytes %s', target, '$keep/mutant-$culprit.bin', kind, encode(data, 'hex')) FROM hrp_fuzz.mutant WHERE id = $culprit" >&2 || true
		else
			echo "check-random-input: every input has a result; the session died afterwards" >&2
		fi
	fi
fi
if [ "$alive" != 1 ]; then
	failed=1
	echo "check-random-input: the server does not answer SELECT 1 afterwards" >&2
fi
if [ -n "$now_started" ] && [ "$now_started" != "$started" ]; then
	failed=1
	echo "check-random-input: the postmaster restarted ($started, now $now_started)" >&2
fi

# --- results ----------------------------------------------------------------
if [ "$alive" = 1 ]; then
	q -F' | ' <<'SQL' || failed=1
\echo text input, per type: accepted, refused (by SQLSTATE), problems
SELECT typ, count(*) FILTER (WHERE state = '00000') AS accepted,
       string_agg(DISTINCT state, ',') FILTER (WHERE state <> '00000') AS refused_with,
       count(*) FILTER (WHERE state <> '00000') AS refused,
       count(problem) AS problems
FROM hrp_fuzz.text_result GROUP BY typ ORDER BY typ;
\echo COPY binary mutants: target, verdict, count
SELECT target, verdict, count(*), string_agg(DISTINCT state, ',') AS states
FROM hrp_fuzz.binary_result JOIN hrp_fuzz.mutant USING (id)
GROUP BY target, verdict ORDER BY target, verdict;
SQL
	problems=$(q <<'SQL' || echo "check-random-input: could not read the problems"
SELECT format('text %s as %s: %s', quote_literal(i.s), r.typ, r.problem)
FROM hrp_fuzz.text_result r JOIN hrp_fuzz.input i USING (id)
WHERE r.problem IS NOT NULL ORDER BY r.id, r.typ LIMIT 30;
SELECT format('mutant %s (%s of %s, %s): %s', m.id, m.kind, m.target, encode(m.data, 'hex'), b.problem)
FROM hrp_fuzz.binary_result b JOIN hrp_fuzz.mutant m USING (id)
WHERE b.verdict = 'FAIL' ORDER BY m.id LIMIT 30;
SQL
)
	if [ -n "$problems" ]; then
		failed=1
		echo "check-random-input: problems (first 30 of each kind):" >&2
		printf '%s\n' "$problems" >&2
	fi
	summary=$(q -F' ' <<'SQL'
SELECT (SELECT count(DISTINCT id) FROM hrp_fuzz.text_result),
       (SELECT count(*) FROM hrp_fuzz.text_result),
       (SELECT count(*) FROM hrp_fuzz.text_result WHERE state = '00000'),
       (SELECT count(*) FROM hrp_fuzz.binary_result),
       (SELECT count(*) FROM hrp_fuzz.binary_result WHERE verdict = 'loaded'),
       (SELECT count(*) FROM hrp_fuzz.binary_result WHERE verdict = 'refused'),
       (SELECT count(*) FROM hrp_fuzz.binary_result WHERE verdict LIKE 'core:%');
SQL
) || failed=1
	read -r tried casts accepted mtried mloaded mrefused mcore <<<"${summary:-0 0 0 0 0 0 0}"
	fewest=$(q -c "SELECT min(n) FROM (SELECT count(*) FILTER (WHERE state = '00000') AS n FROM hrp_fuzz.text_result GROUP BY typ) s" || echo 0)
	if [ "${tried:-0}" -ne "$ninputs" ] || [ "${mtried:-0}" -ne "$nmutants" ]; then
		failed=1
		echo "check-random-input: only $tried of $ninputs strings and $mtried of $nmutants mutants were tried" >&2
	fi
	# Not vacuous: every type must accept enough strings, and enough mutants
	# must load, for the round trips to mean something.
	if [ "${fewest:-0}" -lt $((100 * scale)) ] || [ "${mloaded:-0}" -lt $((nmutants / 50)) ]; then
		failed=1
		echo "check-random-input: too few accepted values to test the round trip (fewest for a type: $fewest strings; $mloaded mutants loaded)" >&2
	fi
fi

if [ $failed -ne 0 ]; then
	echo "check-random-input: FAILED (database $db kept for inspection)"
	exit 1
fi
[ -n "${RANDOM_INPUT_KEEP:-}" ] || psql -qX -d postgres -c "DROP DATABASE $db"
echo "check-random-input: $tried strings x 4 input functions ($accepted of $casts accepted and round-tripped, the rest refused with 22xxx), $mtried COPY binary mutants ($mloaded loaded and round-tripped, $mrefused refused with 22xxx/08P01, $mcore refused by PostgreSQL's own framing checks), backend survived, in ${SECONDS}s"
