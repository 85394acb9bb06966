-- What the extension's objects were bound to, from pg_depend: no function
-- body (SQL-standard bodies record what they call), constraint, index,
-- view, trigger or column default of hrpolicy may depend on an operator or
-- function that is neither hrpolicy's nor ltree's.  Builtins are pinned and
-- never appear in pg_depend, so anything else found here is an object of
-- some schema that the install bound by name: a look-alike.
-- Prints one line per such dependency (none when all is well).
SET search_path = pg_catalog, pg_temp;
WITH ext_member AS (
    SELECT d.classid, d.objid, e.extname
    FROM pg_depend d
    JOIN pg_extension e ON d.refclassid = 'pg_extension'::regclass AND d.refobjid = e.oid
    WHERE d.deptype = 'e' AND e.extname IN ('hrpolicy', 'ltree')
), member AS (
    SELECT classid, objid FROM ext_member WHERE extname = 'hrpolicy'
), member_rel AS (
    SELECT objid AS oid FROM member WHERE classid = 'pg_class'::regclass
    UNION
    SELECT t.typrelid FROM member m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
    WHERE t.typrelid <> 0
), owned (classid, objid) AS (
    SELECT classid, objid FROM member
    UNION
    SELECT 'pg_constraint'::regclass, c.oid FROM pg_constraint c
    WHERE c.conrelid IN (SELECT oid FROM member_rel)
       OR c.contypid IN (SELECT objid FROM member WHERE classid = 'pg_type'::regclass)
    UNION
    SELECT 'pg_class'::regclass, i.indexrelid FROM pg_index i
    WHERE i.indrelid IN (SELECT oid FROM member_rel)
    UNION
    SELECT 'pg_rewrite'::regclass, r.oid FROM pg_rewrite r
    WHERE r.ev_class IN (SELECT oid FROM member_rel)
    UNION
    -- triggers of its tables, and those enforce() put on the user's table
    SELECT 'pg_trigger'::regclass, t.oid FROM pg_trigger t
    WHERE t.tgrelid IN (SELECT oid FROM member_rel)
       OR t.tgfoid IN (SELECT objid FROM member WHERE classid = 'pg_proc'::regclass)
    UNION
    SELECT 'pg_attrdef'::regclass, a.oid FROM pg_attrdef a
    WHERE a.adrelid IN (SELECT oid FROM member_rel)
)
SELECT format('%s depends on %s', pg_describe_object(d.classid, d.objid, d.objsubid),
              pg_describe_object(d.refclassid, d.refobjid, 0))
FROM pg_depend d
JOIN owned o ON o.classid = d.classid AND o.objid = d.objid
WHERE d.refclassid IN ('pg_proc'::regclass, 'pg_operator'::regclass)
  AND NOT EXISTS (SELECT FROM ext_member m
                  WHERE m.classid = d.refclassid AND m.objid = d.refobjid)
ORDER BY 1;
