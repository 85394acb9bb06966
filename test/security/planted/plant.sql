-- Plant, in schema public, look-alikes of every operator and function the
-- extension uses, with EXACT argument types, before and after
-- CREATE EXTENSION hrpolicy; each logs its call into public.planted_calls.
--
-- Why exact types: operator and function resolution prefers an exact
-- match over a polymorphic one whatever the schemas' order, so
-- public.@>(text[], text[]) beats pg_catalog.@>(anyarray, anyarray) for an
-- unqualified "@>" as soon as public is on the search_path at all (as
-- ltree's schema, or as the caller's).  Exact copies of non-polymorphic
-- builtins are planted too: they win when a caller puts public before
-- pg_catalog.  public is ltree's schema here, and writable by all in a
-- database from before PostgreSQL 15, so any role could plant these.
--
-- Variables (from derive.sql, run in a scratch database):
--   ops    text[] of operator names      funcs  text[] of function names
--   types  text[] of type names (those of the extension itself resolve only
--          after CREATE EXTENSION, hence the second round)
-- ltree is already installed (in public); hrpolicy is created here,
-- without CASCADE.  Its last line is operators|functions|skipped, after a
-- line per signature that could not be planted.
SET search_path = pg_catalog, pg_temp;

-- The log.  Every role may write it, so that a look-alike run by a reader
-- of a report is recorded as well as one run by the superuser.  Its
-- defaults are bound now, before anything is planted.  A call made in a
-- transaction that then fails (a refused write, a probe undone on
-- purpose) loses its row with the rollback: the sequence, which no
-- rollback takes back, counts every call, and a WARNING names it.
CREATE TABLE public.planted_calls (
    what text NOT NULL,
    by_role name NOT NULL DEFAULT current_user,
    at timestamptz NOT NULL DEFAULT clock_timestamp()
);
GRANT INSERT ON public.planted_calls TO PUBLIC;
CREATE SEQUENCE public.planted_call_seq;
GRANT USAGE ON SEQUENCE public.planted_call_seq TO PUBLIC;

-- What was planted (this session only).
CREATE TEMP TABLE planted (kind text NOT NULL, signature text PRIMARY KEY, canary text NOT NULL);
CREATE TEMP TABLE planted_skipped (signature text, why text);
CREATE TEMP TABLE planted_binding (elem oid, arr oid, rng oid, mrng oid);

-- The body of every look-alike: count and log the call, then answer NULL
-- (or no row).  It runs with the caller's search_path, so it names
-- everything through pg_catalog (a look-alike calling look-alikes would
-- never end).  The canary check below sets planted.canary to stay quiet.
CREATE FUNCTION pg_temp.planted_body(what text, empty_return boolean) RETURNS text
LANGUAGE sql IMMUTABLE
RETURN format($b$BEGIN
    PERFORM pg_catalog.nextval('public.planted_call_seq'::pg_catalog.regclass);
    INSERT INTO public.planted_calls (what) VALUES (%1$L);
    IF coalesce(pg_catalog.current_setting('planted.canary', true), '') OPERATOR(pg_catalog.=) '' THEN
        RAISE WARNING 'planted look-alike ran: %%', %1$L;
    END IF;
    RETURN%2$s;
END$b$, what, CASE WHEN empty_return THEN '' ELSE ' NULL' END);

-- Run the CREATEs of one look-alike; a signature that cannot be made (a
-- pseudo-type that PL/pgSQL refuses, such as pg_ddl_command, which only C
-- can declare, so no planter could either) is recorded as skipped.
-- canary is an unqualified call of it, for the check at the end.
CREATE FUNCTION pg_temp.planted_try(kind text, signature text, canary text, VARIADIC statements text[])
RETURNS boolean
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $f$
DECLARE
    s text;
BEGIN
    IF EXISTS (SELECT FROM pg_temp.planted p WHERE p.signature = planted_try.signature)
       OR EXISTS (SELECT FROM pg_temp.planted_skipped p WHERE p.signature = planted_try.signature) THEN
        RETURN false;
    END IF;
    BEGIN
        FOREACH s IN ARRAY statements LOOP
            EXECUTE s;
        END LOOP;
    EXCEPTION WHEN OTHERS THEN
        INSERT INTO pg_temp.planted_skipped VALUES (signature, SQLERRM);
        RETURN false;
    END;
    INSERT INTO pg_temp.planted VALUES (kind, signature, canary);
    RETURN true;
END
$f$;

-- Operators: for every name and every pair of types (and every type as
-- the operand of a prefix operator) for which "NULL::L op NULL::R"
-- resolves, with pg_catalog and ltree's schema searched, an operator
-- public.op(L, R) returning NULL of the type the real one returns.
CREATE FUNCTION pg_temp.plant_operators(op_names text[], type_names text[]) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $f$
DECLARE
    ltree_schema name := (SELECT n.nspname FROM pg_extension e
                          JOIN pg_namespace n ON n.oid = e.extnamespace
                          WHERE e.extname = 'ltree');
    types regtype[] := ARRAY(SELECT DISTINCT to_regtype(t) FROM unnest(type_names) t
                             WHERE to_regtype(t) IS NOT NULL);
    op text;
    l regtype;
    r regtype;
    expr text;
    probe_sql text;
    view_sql text;
    probe oid;
    result regtype;
    resolved_to text;
    fn text;
    what text;
    probe_path text := format('pg_catalog, %I, pg_temp', ltree_schema);
BEGIN
    FOREACH op IN ARRAY op_names LOOP
        -- NULL as the left type stands for a prefix operator.
        FOREACH l IN ARRAY types || NULL::regtype LOOP
            FOREACH r IN ARRAY types LOOP
                CONTINUE WHEN EXISTS (
                    SELECT FROM pg_operator o
                    WHERE o.oprnamespace = 'public'::regnamespace AND o.oprname = op
                      AND o.oprleft = coalesce(l, 0) AND o.oprright = r);
                expr := format('%s %s NULL::%s',
                               CASE WHEN l IS NULL THEN '' ELSE format('NULL::%s', l) END, op, r);
                -- Does it resolve?  (Parsed and planned, never run.)  And to
                -- what, returning what: a view records both.  Only these two
                -- statements see ltree's schema; the strings are made before,
                -- as this function's own expressions must not meet the
                -- look-alikes of the first round.
                probe_sql := format('SELECT %s WHERE false', expr);
                view_sql := format('CREATE TEMP VIEW planted_probe AS SELECT %s AS x', expr);
                PERFORM pg_catalog.set_config('search_path', probe_path, true);
                BEGIN
                    EXECUTE probe_sql;
                    EXECUTE view_sql;
                EXCEPTION WHEN OTHERS THEN
                    PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
                    CONTINUE;
                END;
                PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
                -- (looked up by name each time: a regclass constant would
                -- be bound once, in the cached plan, to the first view)
                SELECT c.oid INTO probe FROM pg_class c
                WHERE c.relnamespace = pg_my_temp_schema() AND c.relname = 'planted_probe';
                SELECT a.atttypid INTO result FROM pg_attribute a
                WHERE a.attrelid = probe AND a.attname = 'x';
                SELECT string_agg(p.proname, ',') INTO resolved_to
                FROM pg_rewrite w
                JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = w.oid
                                AND d.refclassid = 'pg_operator'::regclass
                JOIN pg_operator o ON o.oid = d.refobjid
                JOIN pg_proc p ON p.oid = o.oprcode
                WHERE w.ev_class = probe;
                DROP VIEW pg_temp.planted_probe;
                -- (in the second round, a pair may reach a look-alike of
                -- the first through a coercion: nothing real to imitate)
                CONTINUE WHEN resolved_to LIKE 'planted\_%';

                what := format('operator public.%s(%s, %s)', op, coalesce(l::text, 'NONE'), r);
                fn := format('public.%I', 'planted_op_' || (SELECT count(*) + 1 FROM pg_temp.planted));
                PERFORM pg_temp.planted_try('operator', what, format('SELECT %s', expr),
                    format('CREATE FUNCTION %s(%s) RETURNS %s LANGUAGE plpgsql AS %L',
                           fn, concat_ws(', ', l, r), result, pg_temp.planted_body(what, false)),
                    format('CREATE OPERATOR public.%s (%s RIGHTARG = %s, FUNCTION = %s)',
                           op, CASE WHEN l IS NULL THEN '' ELSE format('LEFTARG = %s,', l) END, r, fn));
            END LOOP;
        END LOOP;
    END LOOP;
END
$f$;

-- Functions: for every name and every function of that name in pg_catalog
-- or ltree's schema, a look-alike in public: an exact copy of a
-- non-polymorphic signature, and for a polymorphic one (anyelement,
-- anyarray, anycompatible..., anyrange, anymultirange, "any") one copy per
-- way of binding its polymorphic types to the types given.  Aggregates
-- (and window functions, which PL/pgSQL cannot write) are planted as
-- aggregates whose transition function logs; set-returning functions stay
-- set-returning (and return no rows).
CREATE FUNCTION pg_temp.plant_functions(func_names text[], type_names text[]) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $f$
DECLARE
    ltree_schema name := (SELECT n.nspname FROM pg_extension e
                          JOIN pg_namespace n ON n.oid = e.extnamespace
                          WHERE e.extname = 'ltree');
    p record;
    b record;
    all_types oid[];
    modes "char"[];
    names text[];
    bound oid[];
    in_types oid[];
    t oid;
    i integer;
    poly boolean;
    args text;
    result text;
    empty_return boolean;
    call_args text;
    what text;
    fn text;
BEGIN
    -- Ways to bind the polymorphic types: one per type given, through its
    -- element, array, range and multirange.
    TRUNCATE pg_temp.planted_binding;
    INSERT INTO pg_temp.planted_binding
    SELECT DISTINCT x.elem, nullif(e.typarray, 0), x.rng, x.mrng
    FROM (SELECT to_regtype(tn)::oid AS ty FROM unnest(type_names) tn) g
    JOIN pg_type ty ON ty.oid = g.ty
    LEFT JOIN pg_range rr ON rr.rngtypid = ty.oid OR rr.rngmultitypid = ty.oid
    CROSS JOIN LATERAL (SELECT
        CASE WHEN rr.rngtypid IS NOT NULL THEN rr.rngsubtype
             WHEN ty.typsubscript = 'array_subscript_handler'::regproc THEN ty.typelem
             ELSE ty.oid END AS elem,
        rr.rngtypid AS rng, rr.rngmultitypid AS mrng) x
    JOIN pg_type e ON e.oid = x.elem
    WHERE g.ty IS NOT NULL;

    FOR p IN
        SELECT f.oid, f.proname, f.prokind, f.proretset, f.prorettype, f.proargtypes,
               f.proallargtypes, f.proargmodes, f.proargnames, f.provariadic,
               coalesce(a.aggkind, 'n') AS aggkind
        FROM pg_proc f
        LEFT JOIN pg_aggregate a ON a.aggfnoid = f.oid
        WHERE f.proname = ANY (func_names)
          AND f.pronamespace IN ('pg_catalog'::regnamespace, to_regnamespace(quote_ident(ltree_schema)))
          AND f.prokind IN ('f', 'a', 'w')
          -- (trigger functions cannot be called by name)
          AND f.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype)
        ORDER BY f.oid
    LOOP
        CONTINUE WHEN p.aggkind <> 'n';            -- ordered-set aggregates
        -- (an oidvector cast to oid[] keeps its lower bound 0: renumber)
        all_types := ARRAY(SELECT unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])));
        modes := coalesce(p.proargmodes, array_fill('i'::"char", ARRAY[cardinality(all_types)]));
        names := coalesce(p.proargnames, array_fill(''::text, ARRAY[cardinality(all_types)]));
        poly := EXISTS (SELECT FROM unnest(all_types || p.prorettype) u
                        JOIN pg_type ty ON ty.oid = u
                        WHERE ty.typtype = 'p' AND ty.typname LIKE 'any%');
        FOR b IN
            SELECT * FROM pg_temp.planted_binding WHERE poly
            UNION ALL
            SELECT NULL, NULL, NULL, NULL WHERE NOT poly
        LOOP
            -- Bind every argument and the result; NULL when this binding
            -- cannot serve the signature.
            bound := ARRAY[]::oid[];
            FOR i IN 1 .. cardinality(all_types) + 1 LOOP
                t := CASE WHEN i <= cardinality(all_types) THEN all_types[i] ELSE p.prorettype END;
                t := CASE t
                    WHEN 'anyelement'::regtype THEN b.elem
                    WHEN 'anycompatible'::regtype THEN b.elem
                    WHEN 'anynonarray'::regtype THEN b.elem
                    WHEN 'anycompatiblenonarray'::regtype THEN b.elem
                    WHEN 'anyarray'::regtype THEN b.arr
                    WHEN 'anycompatiblearray'::regtype THEN b.arr
                    WHEN 'anyrange'::regtype THEN b.rng
                    WHEN 'anycompatiblerange'::regtype THEN b.rng
                    WHEN 'anymultirange'::regtype THEN b.mrng
                    WHEN 'anycompatiblemultirange'::regtype THEN b.mrng
                    WHEN 'anyenum'::regtype THEN NULL
                    WHEN '"any"'::regtype THEN
                        CASE WHEN i <= cardinality(all_types) AND modes[i] = 'v' THEN b.arr ELSE b.elem END
                    ELSE t END;
                EXIT WHEN t IS NULL;
                bound := bound || t;
            END LOOP;
            CONTINUE WHEN cardinality(bound) <> cardinality(all_types) + 1;
            -- anynonarray wants a non-array
            CONTINUE WHEN poly AND EXISTS (
                SELECT FROM unnest(all_types || p.prorettype) u
                WHERE u IN ('anynonarray'::regtype, 'anycompatiblenonarray'::regtype))
                AND EXISTS (SELECT FROM pg_type ty WHERE ty.oid = b.elem
                            AND ty.typsubscript = 'array_subscript_handler'::regproc);
            in_types := ARRAY(SELECT bound[k] FROM generate_subscripts(all_types, 1) k
                              WHERE modes[k] IN ('i', 'b', 'v') ORDER BY k);
            -- public's own (ltree's there, or a look-alike of the first round)
            CONTINUE WHEN EXISTS (SELECT FROM pg_proc q
                                  WHERE q.pronamespace = 'public'::regnamespace
                                    AND q.proname = p.proname
                                    AND ARRAY(SELECT unnest(q.proargtypes)) = in_types);

            -- An unqualified call with NULLs of these types, for the canary.
            call_args := (SELECT string_agg(CASE WHEN modes[k] = 'v' THEN 'VARIADIC ' ELSE '' END
                                            || format('NULL::%s', format_type(bound[k], NULL)), ', ' ORDER BY k)
                          FROM generate_subscripts(all_types, 1) k
                          WHERE modes[k] IN ('i', 'b', 'v'));
            what := format('function public.%I(%s)', p.proname,
                           (SELECT string_agg(format_type(u, NULL), ', ' ORDER BY k)
                            FROM unnest(in_types) WITH ORDINALITY AS x (u, k)));
            IF p.prokind = 'f' THEN
                IF NOT poly THEN
                    -- as the catalog declares it, defaults and all
                    args := pg_get_function_arguments(p.oid);
                    result := pg_get_function_result(p.oid);
                ELSE
                    SELECT string_agg(concat_ws(' ',
                               CASE modes[k] WHEN 'o' THEN 'OUT' WHEN 'b' THEN 'INOUT'
                                             WHEN 't' THEN 'OUT' WHEN 'v' THEN 'VARIADIC' END,
                               quote_ident(nullif(names[k], '')),
                               format_type(bound[k], NULL)), ', ' ORDER BY k)
                    INTO args FROM generate_subscripts(all_types, 1) k;
                    result := CASE WHEN p.proretset THEN 'SETOF ' ELSE '' END
                              || CASE WHEN EXISTS (SELECT FROM unnest(modes) m WHERE m IN ('o', 'b', 't'))
                                      THEN 'record'
                                      ELSE format_type(bound[cardinality(bound)], NULL) END;
                END IF;
                empty_return := p.proretset OR p.prorettype = 'void'::regtype
                                OR EXISTS (SELECT FROM unnest(modes) m WHERE m IN ('o', 'b', 't'));
                PERFORM pg_temp.planted_try('function', what,
                    format('SELECT %I(%s)', p.proname, call_args),
                    format('CREATE FUNCTION public.%I(%s) RETURNS %s LANGUAGE plpgsql AS %L',
                           p.proname, coalesce(args, ''), result,
                           pg_temp.planted_body(what, empty_return)));
            ELSE
                -- An aggregate with the same arguments whose state is the
                -- result type and whose transition function logs.
                CONTINUE WHEN p.provariadic <> 0;
                fn := format('public.%I', 'planted_sfunc_' || (SELECT count(*) + 1 FROM pg_temp.planted));
                PERFORM pg_temp.planted_try('function', what,
                    format('SELECT %I(%s) FROM (VALUES (1)) AS one_row (x)', p.proname, coalesce(call_args, '*')),
                    format('CREATE FUNCTION %s(%s) RETURNS %s LANGUAGE plpgsql AS %L',
                           fn,
                           (SELECT string_agg(format_type(u, NULL), ', ' ORDER BY k)
                            FROM unnest(bound[cardinality(bound)] || in_types) WITH ORDINALITY AS x (u, k)),
                           format_type(bound[cardinality(bound)], NULL),
                           pg_temp.planted_body(what, false)),
                    format('CREATE AGGREGATE public.%I(%s) (SFUNC = %s, STYPE = %s)',
                           p.proname,
                           coalesce((SELECT string_agg(format_type(u, NULL), ', ' ORDER BY k)
                                     FROM unnest(in_types) WITH ORDINALITY AS x (u, k)), '*'),
                           fn, format_type(bound[cardinality(bound)], NULL)));
            END IF;
        END LOOP;
    END LOOP;
END
$f$;

-- Round 1: before the extension exists (its install script runs among
-- these), with the types that exist yet.
SELECT pg_temp.plant_operators(:'ops', :'types');
SELECT pg_temp.plant_functions(:'funcs', :'types');

RESET search_path;
CREATE EXTENSION hrpolicy;             -- no CASCADE: ltree is already there
SET search_path = pg_catalog, pg_temp;

-- Round 2: the extension's own types (hrpolicy.validity, quota, tally...)
-- exist now, so do the pairs and bindings that involve them.
SELECT pg_temp.plant_operators(:'ops', :'types');
SELECT pg_temp.plant_functions(:'funcs', :'types');

-- The canary: the look-alikes must be able to capture calls, or this test
-- proves nothing.  Each is called once, unqualified, with public searched
-- first; every one must have logged.  Then all is rolled back, the log
-- included.
CREATE FUNCTION pg_temp.planted_canary() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $f$
DECLARE
    c record;
    missed text;
BEGIN
    FOR c IN SELECT p.signature, p.canary FROM pg_temp.planted p ORDER BY p.signature LOOP
        PERFORM pg_catalog.set_config('search_path', 'public, pg_catalog, pg_temp', true);
        BEGIN
            EXECUTE c.canary;
        EXCEPTION WHEN OTHERS THEN
            PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
            RAISE EXCEPTION 'the canary call of % failed: %', c.signature, SQLERRM
                USING DETAIL = c.canary;
        END;
        PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
    END LOOP;
    SELECT string_agg(p.signature, '; ' ORDER BY p.signature) INTO missed
    FROM pg_temp.planted p
    WHERE NOT EXISTS (SELECT FROM public.planted_calls l WHERE l.what = p.signature);
    IF missed IS NOT NULL THEN
        RAISE EXCEPTION 'planted look-alikes that did not capture their canary call: %', missed;
    END IF;
END
$f$;
BEGIN;
SET LOCAL planted.canary = on;
SELECT pg_temp.planted_canary();
ROLLBACK;
SELECT pg_catalog.setval('public.planted_call_seq', 1, false);

SELECT 'skipped: ' || s.signature || ': ' || s.why FROM pg_temp.planted_skipped s ORDER BY 1;
SELECT count(*) FILTER (WHERE kind = 'operator') AS operators,
       count(*) FILTER (WHERE kind = 'function') AS functions,
       (SELECT count(*) FROM pg_temp.planted_skipped) AS skipped
FROM pg_temp.planted;
