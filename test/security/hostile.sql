-- Look-alikes of the builtins hrpolicy uses, in public, each raising if it
-- is ever called.  Then the extension is created and used with public
-- searched before pg_catalog (the worst a user's search_path can be).
CREATE FUNCTION public.hostile(what text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'hostile look-alike % was called', what;
END
$$;

CREATE FUNCTION public.lower(anyrange) RETURNS anyelement LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('lower'); END $$;
CREATE FUNCTION public.upper(anyrange) RETURNS anyelement LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('upper'); END $$;
CREATE FUNCTION public.isempty(anyrange) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('isempty'); RETURN false; END $$;
CREATE FUNCTION public.btrim(text) RETURNS text LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('btrim'); RETURN 'x'; END $$;
CREATE FUNCTION public.ltrim(text, text) RETURNS text LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('ltrim'); RETURN 'x'; END $$;
CREATE FUNCTION public.left(text, integer) RETURNS text LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('left'); RETURN 'x'; END $$;
CREATE FUNCTION public.substr(text, integer) RETURNS text LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('substr'); RETURN 'x'; END $$;
CREATE FUNCTION public.array_position(anycompatiblearray, anycompatible) RETURNS integer LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('array_position'); RETURN NULL; END $$;
CREATE FUNCTION public.cardinality(anyarray) RETURNS integer LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('cardinality'); RETURN 1; END $$;
CREATE FUNCTION public.array_to_string(anyarray, text) RETURNS text LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('array_to_string'); RETURN 'x'; END $$;
CREATE FUNCTION public.array_replace(anycompatiblearray, anycompatible, anycompatible) RETURNS anycompatiblearray LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('array_replace'); END $$;
CREATE FUNCTION public.trim_scale(numeric) RETURNS numeric LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('trim_scale'); RETURN 0; END $$;
CREATE FUNCTION public.round(numeric, integer) RETURNS numeric LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('round'); RETURN 0; END $$;
CREATE FUNCTION public.now() RETURNS timestamptz LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('now'); END $$;
CREATE FUNCTION public.set_config(text, text, boolean) RETURNS text LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('set_config'); RETURN 'x'; END $$;
CREATE FUNCTION public.hashtext(text) RETURNS integer LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('hashtext'); RETURN 1; END $$;
CREATE FUNCTION public.to_regclass(text) RETURNS regclass LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('to_regclass'); RETURN NULL; END $$;
CREATE FUNCTION public.format_type(oid, integer) RETURNS text LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('format_type'); RETURN 'x'; END $$;
CREATE FUNCTION public.pg_advisory_xact_lock(integer, integer) RETURNS void LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('pg_advisory_xact_lock'); END $$;
CREATE FUNCTION public.quote_ident(text) RETURNS text LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('quote_ident'); RETURN 'x'; END $$;
CREATE FUNCTION public.current_setting(text) RETURNS text LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('current_setting'); RETURN 'x'; END $$;

CREATE FUNCTION public.hostile_bool(anyelement, anyelement) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('operator'); RETURN true; END $$;
CREATE FUNCTION public.hostile_text(text, text) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('text operator'); RETURN true; END $$;
CREATE FUNCTION public.hostile_date(date, date) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('date operator'); RETURN true; END $$;
CREATE FUNCTION public.hostile_bigint(bigint, bigint) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('bigint operator'); RETURN true; END $$;
CREATE FUNCTION public.hostile_arrays(anyarray, anyarray) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('array operator'); RETURN true; END $$;
CREATE FUNCTION public.hostile_range_elem(anyrange, anyelement) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('range operator'); RETURN true; END $$;
CREATE FUNCTION public.hostile_ranges(anyrange, anyrange) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('range operator'); RETURN true; END $$;
CREATE FUNCTION public.hostile_date_minus(date, date) RETURNS integer LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('date minus'); RETURN 0; END $$;
CREATE FUNCTION public.hostile_bigint_arith(bigint, bigint) RETURNS bigint LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('bigint arithmetic'); RETURN 0; END $$;
CREATE FUNCTION public.hostile_concat(text, text) RETURNS text LANGUAGE plpgsql AS $$ BEGIN PERFORM public.hostile('text concat'); RETURN 'x'; END $$;

CREATE OPERATOR public.= (LEFTARG = text, RIGHTARG = text, FUNCTION = public.hostile_text);
CREATE OPERATOR public.<> (LEFTARG = text, RIGHTARG = text, FUNCTION = public.hostile_text);
CREATE OPERATOR public.= (LEFTARG = date, RIGHTARG = date, FUNCTION = public.hostile_date);
CREATE OPERATOR public.<= (LEFTARG = date, RIGHTARG = date, FUNCTION = public.hostile_date);
CREATE OPERATOR public.>= (LEFTARG = date, RIGHTARG = date, FUNCTION = public.hostile_date);
CREATE OPERATOR public.> (LEFTARG = date, RIGHTARG = date, FUNCTION = public.hostile_date);
CREATE OPERATOR public.< (LEFTARG = date, RIGHTARG = date, FUNCTION = public.hostile_date);
CREATE OPERATOR public.- (LEFTARG = date, RIGHTARG = date, FUNCTION = public.hostile_date_minus);
CREATE OPERATOR public.= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = public.hostile_bigint);
CREATE OPERATOR public.> (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = public.hostile_bigint);
CREATE OPERATOR public.< (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = public.hostile_bigint);
CREATE OPERATOR public.+ (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = public.hostile_bigint_arith);
CREATE OPERATOR public.- (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = public.hostile_bigint_arith);
CREATE OPERATOR public.* (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = public.hostile_bigint_arith);
CREATE OPERATOR public.|| (LEFTARG = text, RIGHTARG = text, FUNCTION = public.hostile_concat);
CREATE OPERATOR public.@> (LEFTARG = anyarray, RIGHTARG = anyarray, FUNCTION = public.hostile_arrays);
CREATE OPERATOR public.<@ (LEFTARG = anyarray, RIGHTARG = anyarray, FUNCTION = public.hostile_arrays);
CREATE OPERATOR public.&& (LEFTARG = anyarray, RIGHTARG = anyarray, FUNCTION = public.hostile_arrays);
CREATE OPERATOR public.@> (LEFTARG = anyrange, RIGHTARG = anyelement, FUNCTION = public.hostile_range_elem);
CREATE OPERATOR public.&& (LEFTARG = anyrange, RIGHTARG = anyrange, FUNCTION = public.hostile_ranges);

CREATE EXTENSION hrpolicy CASCADE;

-- The user's session: public first, then pg_catalog.
SET search_path = public, pg_catalog, hrpolicy;
-- (this script's own comparisons name pg_catalog's operators: only the
-- extension's must resist the look-alikes)
SET datestyle = ISO;

INSERT INTO hrpolicy.policy (code, valid, scope) VALUES ('SE-58/2020', '[2020-06-05,)', NULL);
INSERT INTO hrpolicy.policy (code, valid, scope, amends) VALUES ('SE-67/2020', '[2020-09-04,)', NULL, '{SE-58/2020}');
INSERT INTO hrpolicy.policy (code, valid, scope, revokes) VALUES ('SE-25/2021', '[2021-07-01,)', NULL, '{SE-67/2020}');
INSERT INTO hrpolicy.rule (policy, name, quota, who, unless, excused, only_when) VALUES
    ('SE-58/2020', 'wfo-cap', '<=50%', '{}', '{}', '{}', NULL),
    ('SE-58/2020', 'structural-in', 'all', '{structural}', '{over55}', '{sick}', NULL),
    ('SE-67/2020', 'wfo-cap', '<=25%', '{}', '{}', '{}', 'zone:high'),
    ('SE-67/2020', 'wfo-cap', '<=75%', '{}', '{}', '{}', '!zone:high');
INSERT INTO hrpolicy.circumstance (scope, valid, label) VALUES ('kupang', '[2020-11-01,2020-12-31]', 'zone:high');
UPDATE hrpolicy.policy SET code = 'SE-MENPANRB-58/2020' WHERE code OPERATOR(pg_catalog.=) 'SE-58/2020';
SELECT * FROM hrpolicy.rules_in_force('2020-11-18', 'kupang.bkpsdm');
SELECT * FROM hrpolicy.policies_in_force('2020-11-18', 'kupang.bkpsdm');

CREATE TABLE public.att (unit ltree, day date, person text, status text, tags text[],
                         PRIMARY KEY (person, day));
INSERT INTO public.att
SELECT 'kupang.bkpsdm', '2020-11-18', 'p' || i, CASE WHEN i <= 2 THEN 'office' ELSE 'home' END,
       CASE WHEN i = 1 THEN ARRAY['structural'] ELSE ARRAY[]::text[] END
FROM generate_series(1, 12) i;
SELECT hrpolicy.use_roster('public.att');
SELECT * FROM hrpolicy.compliance('2020-11-01', '2020-11-30');
SELECT * FROM hrpolicy.violations('2020-11-01', '2020-11-30', 'kupang');
SELECT * FROM hrpolicy.conflicts('2020-11-01', '2020-11-30');
SELECT hrpolicy.enforce('public.att', 'day');
UPDATE public.att SET status = 'office' WHERE person OPERATOR(pg_catalog.=) 'p3';
SELECT * FROM hrpolicy.enforcement;
DO $$
BEGIN
    UPDATE public.att SET status = 'office' WHERE person OPERATOR(pg_catalog.=) ANY (ARRAY['p4', 'p5', 'p6']);
    SET CONSTRAINTS ALL IMMEDIATE;
    RAISE EXCEPTION 'the cap was not enforced';
EXCEPTION WHEN check_violation THEN
    NULL;
END
$$;
DELETE FROM hrpolicy.policy WHERE code OPERATOR(pg_catalog.=) 'SE-25/2021';
SELECT hrpolicy.unenforce('public.att');

SELECT hrpolicy.percent('1/3'), hrpolicy.quota_limit('<=25%', 7), hrpolicy.headroom('4/12', '<=25%'),
       hrpolicy.days('[2020-03-24,2020-03-31]'), hrpolicy.working_days('[2020-04-01,2020-04-21]', '{2020-04-10}'),
       hrpolicy.validity('2020-03-24', '2020-03-31', '[]'), '[2020-01-01,2020-01-05)'::hrpolicy.validity;
SELECT hrpolicy.tally(status OPERATOR(pg_catalog.=) 'office') FROM public.att;
