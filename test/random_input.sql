-- Random and mutated input to every input and receive function of hrpolicy:
-- the helpers, the generated inputs and mutants, and the procedures that
-- try them (run by test/checks/random_input.sh, which says what is checked).
-- psql variables: seed, scale, dir (a directory the server can write).
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
        ELSIF st = '54000' AND (msg = 'out of memory' AND det LIKE 'Cannot enlarge string buffer%'
                                OR msg LIKE 'string buffer exceeds maximum allowed length%') THEN
            -- (the second: PostgreSQL 18's words for the same refusal)
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
