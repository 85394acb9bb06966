-- hrpolicy 0.2.0 -> 0.3.0: what must happen before the functions, checks
-- and enforcement of 0.3.0 are made anew from their sources (which follow,
-- with CREATE OR REPLACE, so that user objects built on the functions that
-- keep their signature survive).

-- 1. The schema becomes the superuser's alone.  In 0.2.0 it belonged to
-- the role that created the extension, who could create objects beside
-- the extension's; those would now be out of reach of their creator, and
-- may have been put there to be called by others: refuse to go on.
DO $upgrade$
DECLARE
    foreign_object text;
BEGIN
    SELECT pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid) INTO foreign_object
    FROM pg_catalog.pg_depend d
    WHERE d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_namespace'::pg_catalog.regclass
      AND d.refobjid OPERATOR(pg_catalog.=) 'hrpolicy'::pg_catalog.regnamespace
      AND d.classid OPERATOR(pg_catalog.<>) 'pg_catalog.pg_extension'::pg_catalog.regclass
      AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend m
                      JOIN pg_catalog.pg_extension e ON e.oid OPERATOR(pg_catalog.=) m.refobjid
                      WHERE e.extname OPERATOR(pg_catalog.=) 'hrpolicy'
                        AND m.deptype OPERATOR(pg_catalog.=) 'e'
                        AND m.classid OPERATOR(pg_catalog.=) d.classid
                        AND m.objid OPERATOR(pg_catalog.=) d.objid)
    LIMIT 1;
    IF foreign_object IS NOT NULL THEN
        RAISE EXCEPTION 'schema hrpolicy holds % which is not part of the extension', foreign_object
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'From 0.3.0 the schema belongs to the superuser and holds only hrpolicy''s objects.',
                  HINT = 'Move or drop it, then run ALTER EXTENSION hrpolicy UPDATE again.';
    END IF;
END
$upgrade$;
ALTER SCHEMA hrpolicy OWNER TO CURRENT_USER;
REVOKE CREATE ON SCHEMA hrpolicy FROM PUBLIC;

-- 2. No role but the superuser holds TRIGGER, REFERENCES or TRUNCATE on
-- the catalog (0.2.0 granted ALL to the creating role, with grant option),
-- nor MAINTAIN (in ALL from PostgreSQL 17 on; it lets a role LOCK a table):
-- revoke them from every role, and drop any trigger that is not the
-- extension's own (it would run as whoever writes decrees).
DO $upgrade$
DECLARE
    grant_row record;
    foreign_trigger record;
BEGIN
    FOR grant_row IN
        SELECT DISTINCT c.oid::pg_catalog.regclass AS tbl, a.grantee, a.privilege_type,
               a.grantee OPERATOR(pg_catalog.=) c.relowner AS is_owner
        FROM pg_catalog.pg_class c
        CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) a
        WHERE c.relnamespace OPERATOR(pg_catalog.=) 'hrpolicy'::pg_catalog.regnamespace
          AND c.relkind OPERATOR(pg_catalog.=) ANY (ARRAY['r', 'v']::"char"[])
          AND a.privilege_type OPERATOR(pg_catalog.=) ANY (ARRAY['TRIGGER', 'REFERENCES', 'TRUNCATE', 'MAINTAIN'])
          AND (a.grantee OPERATOR(pg_catalog.<>) c.relowner OR a.is_grantable)
    LOOP
        -- the owner keeps its own rights, but not the right to grant them
        EXECUTE pg_catalog.format('REVOKE %s%s ON %s FROM %s CASCADE',
                                  CASE WHEN grant_row.is_owner THEN 'GRANT OPTION FOR ' ELSE '' END,
                                  grant_row.privilege_type, grant_row.tbl,
                                  CASE WHEN grant_row.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                                       ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(grant_row.grantee)) END);
    END LOOP;
    FOR foreign_trigger IN
        SELECT t.tgname, t.tgrelid::pg_catalog.regclass AS tbl
        FROM pg_catalog.pg_trigger t
        JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) t.tgrelid
        WHERE c.relnamespace OPERATOR(pg_catalog.=) 'hrpolicy'::pg_catalog.regnamespace
          AND NOT t.tgisinternal
          AND t.tgname OPERATOR(pg_catalog.<>) ALL (ARRAY['policy_check_row', 'policy_check_references',
                                                          'policy_check_referenced', 'policy_rename_references',
                                                          'rule_check_row', 'circumstance_check_row'])
    LOOP
        RAISE WARNING 'dropping trigger % on %: only the extension''s own triggers may run on its catalog',
                      foreign_trigger.tgname, foreign_trigger.tbl;
        EXECUTE pg_catalog.format('DROP TRIGGER %I ON %s', foreign_trigger.tgname, foreign_trigger.tbl);
    END LOOP;
END
$upgrade$;

-- 3. Enforcement is rebuilt: the tables 0.2.0 enforced are remembered, its
-- triggers dropped, and enforce() of 0.3.0 puts its own on them at the end.
CREATE TEMPORARY TABLE hrpolicy_upgrade_enforced ON COMMIT DROP AS
SELECT e.tbl,
       -- 0.2.0 read the column out of the trigger's definition, quoted as needed
       (CASE WHEN pg_catalog.left(e.day_column, 1) OPERATOR(pg_catalog.=) '"'
             THEN pg_catalog.replace(pg_catalog.substr(e.day_column, 2,
                      pg_catalog.length(e.day_column) OPERATOR(pg_catalog.-) 2), '""', '"')
             ELSE e.day_column END)::pg_catalog.name AS day_column
FROM hrpolicy.enforcement e;
DO $upgrade$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT e.tbl FROM pg_temp.hrpolicy_upgrade_enforced e LOOP
        PERFORM hrpolicy.unenforce(t.tbl);
    END LOOP;
END
$upgrade$;
DROP VIEW hrpolicy.enforcement;
DROP FUNCTION hrpolicy.enforce(regclass, name);
DROP FUNCTION hrpolicy.enforce_touch(oid, date, date);
DROP FUNCTION hrpolicy.enforce_pending_days(oid);
DROP FUNCTION hrpolicy.enforce_lock_keys(oid, date);
DROP FUNCTION hrpolicy.enforce_check();

-- 4. Reports no longer put ltree's schema on the search path, and their
-- query is built for a kind of report (diagnose() reads more).
DROP FUNCTION hrpolicy.pin_report_search_path();
DROP FUNCTION hrpolicy.report_query(regclass, boolean, text);

-- 5. The catalog's triggers are made anew (the reference check now fires
-- apart for inserts and updates, and every trigger is recreated so that
-- the sources that follow create them as a fresh install does).
DROP TRIGGER policy_check_row ON hrpolicy.policy;
DROP TRIGGER policy_check_references ON hrpolicy.policy;
DROP TRIGGER policy_check_referenced ON hrpolicy.policy;
DROP TRIGGER policy_rename_references ON hrpolicy.policy;
DROP TRIGGER rule_check_row ON hrpolicy.rule;
DROP TRIGGER circumstance_check_row ON hrpolicy.circumstance;

-- 6. The C functions of is_cap() and is_percent() are named after them.
CREATE OR REPLACE FUNCTION hrpolicy.is_cap(quota hrpolicy.quota) RETURNS boolean
    AS 'MODULE_PATHNAME', 'is_cap' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION hrpolicy.is_percent(quota hrpolicy.quota) RETURNS boolean
    AS 'MODULE_PATHNAME', 'is_percent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- 7. Resolution finds the decrees for every unit (scope NULL) through an
-- index of their own.
CREATE INDEX policy_unscoped_idx ON hrpolicy.policy USING gist (valid) WHERE scope IS NULL;

-- 8. Person-period rules: what a rule's quota bounds (every rule of 0.2.0
-- bounds a unit's heads on a day).  The resolution functions gain per in
-- their result, so they are dropped and made anew.
ALTER TABLE hrpolicy.rule ADD COLUMN per text NOT NULL DEFAULT 'unit-day';
ALTER TABLE hrpolicy.rule ADD CONSTRAINT rule_per_known CHECK (
    per OPERATOR(pg_catalog.=) ANY (ARRAY['unit-day', 'person-week', 'person-month']));
COMMENT ON COLUMN hrpolicy.rule.per IS
    'what the quota bounds: unit-day (the unit''s heads on each day), person-week (each person''s days in an ISO week, Monday to Sunday) or person-month (in a calendar month)';
DROP FUNCTION hrpolicy.rules_in_force(date, ltree);
DROP FUNCTION hrpolicy.rule_book(date, date, ltree);
