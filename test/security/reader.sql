-- An analyst reads reports and the catalog, and changes nothing.
SELECT count(*) AS rows FROM hrpolicy.compliance('2020-11-01', '2020-11-30');
SELECT count(*) AS rules FROM hrpolicy.rules_in_force('2020-11-18', 'kupang.bkpsdm');
DO $$
BEGIN
    INSERT INTO hrpolicy.rule (policy, name, quota) VALUES ('SE-KUPANG/2020', 'x', '<=100%');
    RAISE EXCEPTION 'a reader changed a decree';
EXCEPTION WHEN insufficient_privilege THEN
    NULL;
END
$$;
SELECT 'ok: the reader role reads reports and cannot change decrees' AS reader;
