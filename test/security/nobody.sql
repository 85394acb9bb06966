-- A role without grants can neither read nor change decrees, nor choose
-- the roster, nor lift enforcement.
DO $$
DECLARE
    attempt text;
    failures text := '';
BEGIN
    FOREACH attempt IN ARRAY ARRAY[
        $q$INSERT INTO hrpolicy.policy (code, valid) VALUES ('FAKE', '[2020-01-01,)')$q$,
        $q$UPDATE hrpolicy.rule SET quota = '<=100%'$q$,
        $q$DELETE FROM hrpolicy.policy$q$,
        $q$DELETE FROM hrpolicy.circumstance$q$,
        $q$SELECT hrpolicy.use_roster('att')$q$,
        $q$SELECT hrpolicy.unenforce('att')$q$,
        $q$SELECT count(*) FROM hrpolicy.policy$q$]
    LOOP
        BEGIN
            EXECUTE attempt;
            failures := failures || attempt || '; ';
        EXCEPTION WHEN insufficient_privilege THEN
            NULL;
        END;
    END LOOP;
    IF failures <> '' THEN
        RAISE EXCEPTION 'a role without grants could: %', failures;
    END IF;
END
$$;
SELECT 'ok: a role without grants cannot read or change decrees, the roster or enforcement' AS nobody;
