-- Derive, from the extension's own SQL as the server keeps it, what a
-- planter would imitate.  Run in a scratch database where ltree and
-- hrpolicy are installed; prints three lines, each a text[]:
--   1. operator names used (bare, inside OPERATOR(schema.op), or implied
--      by IN / BETWEEN / LIKE / CASE ...);
--   2. names of the functions called (identifier before '(', schema
--      stripped), kept when some function has that name;
--   3. the types the extension deals with: arguments and results of its
--      functions, columns of its tables, views and composite types, its
--      own types, with their array, element, range subtype and multirange
--      types; pseudo-types left out.
-- Deriving rather than listing means that an operator or function that
-- the extension starts using later is planted without anyone remembering
-- to add it here.  Over-approximation is harmless: more look-alikes.
-- Not seen here (the catalog does not keep them): the DO blocks of the
-- install script and the queries C code sends through SPI; they run among
-- the look-alikes all the same, and what they call is planted when the
-- SQL above names it too.
SET search_path = pg_catalog, pg_temp;

CREATE TEMP TABLE member AS
SELECT d.classid, d.objid
FROM pg_depend d
JOIN pg_extension e ON e.oid = d.refobjid
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' AND e.extname = 'hrpolicy';

CREATE TEMP TABLE member_rel AS
SELECT c.oid FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
UNION
SELECT t.typrelid FROM member m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
WHERE t.typrelid <> 0;

-- Every text in which the extension names an operator or a function.
CREATE TEMP TABLE source (what text, body text);
-- Function bodies (SQL-standard bodies deparsed, PL/pgSQL as written: the
-- report query template of report_query() and the final SELECTs of
-- compliance() and conflicts() are in them).  C functions add only their
-- symbol names; aggregates have no body (their support functions do).
INSERT INTO source
SELECT 'function ' || p.oid::regprocedure, pg_get_functiondef(p.oid)
FROM member m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
WHERE p.prokind <> 'a';
-- Constraints (CHECKs) of its tables and domains.
INSERT INTO source
SELECT 'constraint ' || c.conname, pg_get_constraintdef(c.oid)
FROM pg_constraint c
WHERE c.conrelid IN (SELECT oid FROM member_rel)
   OR c.contypid IN (SELECT objid FROM member WHERE classid = 'pg_type'::regclass);
-- Indexes (expressions, predicates) of its tables.
INSERT INTO source
SELECT 'index ' || i.indexrelid::regclass, pg_get_indexdef(i.indexrelid)
FROM pg_index i WHERE i.indrelid IN (SELECT oid FROM member_rel);
-- Views.
INSERT INTO source
SELECT 'view ' || c.oid::regclass, pg_get_viewdef(c.oid)
FROM pg_class c WHERE c.oid IN (SELECT oid FROM member_rel) AND c.relkind IN ('v', 'm');
-- Triggers (WHEN clauses) of its tables, and any trigger running one of
-- its functions (enforce() puts those on the user's table).
INSERT INTO source
SELECT 'trigger ' || t.tgname, pg_get_triggerdef(t.oid)
FROM pg_trigger t
WHERE t.tgrelid IN (SELECT oid FROM member_rel)
   OR t.tgfoid IN (SELECT objid FROM member WHERE classid = 'pg_proc'::regclass);
-- Column defaults.
INSERT INTO source
SELECT 'default ' || a.adrelid::regclass, pg_get_expr(a.adbin, a.adrelid)
FROM pg_attrdef a WHERE a.adrelid IN (SELECT oid FROM member_rel);

-- (a) Operator tokens: runs of operator characters, cut where the lexer
-- cuts them (a comment start; trailing + or - of a name without any of
-- ~!@#%^&|`?), plus the operators that keywords stand for.
CREATE TEMP TABLE op_name AS
WITH run AS (
    SELECT DISTINCT r[1] AS run
    FROM source, regexp_matches(body, '[-+*/<>=~!@#%^&|`?]+', 'g') AS r
), piece AS (
    SELECT DISTINCT p AS piece
    FROM run, regexp_split_to_table(run, '--|/\*') AS p
    WHERE p <> ''
), token AS (
    SELECT piece AS token FROM piece
    UNION
    -- "a=-1" is "=" then "-": the trailing signs are tokens of their own.
    SELECT regexp_replace(piece, '[-+]+$', '') FROM piece
    WHERE piece !~ '[~!@#%^&|`?]' AND piece ~ '.[-+]$'
    UNION
    SELECT s FROM piece, regexp_split_to_table(substring(piece FROM '[-+]+$'), '') AS s
    WHERE piece !~ '[~!@#%^&|`?]' AND piece ~ '.[-+]$'
    UNION
    SELECT o FROM (VALUES
        ('\m(IN|ANY|SOME|ALL|DISTINCT|NULLIF|CASE)\M', ARRAY['=', '<>']),
        ('\m(BETWEEN|GREATEST|LEAST)\M', ARRAY['<', '<=', '>', '>=']),
        ('\mLIKE\M', ARRAY['~~', '!~~']),
        ('\mILIKE\M', ARRAY['~~*', '!~~*']),
        ('\mSIMILAR\M', ARRAY['~', '!~'])) AS k (keyword, ops),
         unnest(k.ops) AS o
    WHERE EXISTS (SELECT FROM source s WHERE s.body ~* k.keyword)
)
SELECT token AS name FROM token WHERE token <> '';

-- (b) Names of functions called: the identifier (plain or quoted) before
-- '(', whatever schema precedes it.
CREATE TEMP TABLE func_name AS
SELECT DISTINCT n AS name
FROM (SELECT CASE WHEN r[1] IS NOT NULL THEN replace(r[1], '""', '"') ELSE lower(r[2]) END AS n
      FROM source,
           regexp_matches(body, '(?:"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z_0-9$]*))\s*\(', 'g') AS r) x
WHERE EXISTS (SELECT FROM pg_proc p WHERE p.proname = x.n);

-- (c) Types.
CREATE TEMP TABLE type_oid AS
WITH RECURSIVE seed AS (
    SELECT unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]) || p.prorettype) AS t
    FROM member m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
    UNION
    SELECT a.atttypid FROM pg_attribute a
    WHERE a.attrelid IN (SELECT oid FROM member_rel) AND a.attnum > 0 AND NOT a.attisdropped
    UNION
    SELECT objid FROM member WHERE classid = 'pg_type'::regclass
), closure (t, depth) AS (
    SELECT t, 0 FROM seed
    UNION
    SELECT x.t, c.depth + 1
    FROM closure c
    JOIN pg_type ty ON ty.oid = c.t
    LEFT JOIN pg_range r ON r.rngtypid = ty.oid
    LEFT JOIN pg_range mr ON mr.rngmultitypid = ty.oid
    CROSS JOIN LATERAL (VALUES (ty.typarray),
                               (CASE WHEN ty.typsubscript = 'array_subscript_handler'::regproc
                                     THEN ty.typelem END),
                               (r.rngsubtype), (r.rngmultitypid), (mr.rngtypid)) AS x (t)
    WHERE c.depth < 3 AND x.t IS NOT NULL AND x.t <> 0
)
SELECT DISTINCT ty.oid
FROM closure c JOIN pg_type ty ON ty.oid = c.t
LEFT JOIN pg_type el ON el.oid = ty.typelem AND ty.typsubscript = 'array_subscript_handler'::regproc
WHERE ty.typtype <> 'p' AND ty.typisdefined AND el.typtype IS DISTINCT FROM 'p';

SELECT array_agg(name ORDER BY name) FROM op_name;
SELECT array_agg(name ORDER BY name) FROM func_name;
-- Names as format_type() writes them with only pg_catalog searched, so
-- that every other schema is spelled out (public.ltree, hrpolicy.quota).
SELECT array_agg(format_type(oid, NULL) ORDER BY format_type(oid, NULL)) FROM type_oid;
