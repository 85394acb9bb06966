-- A non-superuser who owns the database installs the (trusted) extension
-- and uses all of it.
SET datestyle = ISO;
CREATE EXTENSION hrpolicy CASCADE;
INSERT INTO hrpolicy.policy (code, valid, scope) VALUES ('SE-KUPANG/2020', '[2020-11-17,)', 'kupang');
INSERT INTO hrpolicy.rule (policy, name, quota) VALUES ('SE-KUPANG/2020', 'wfo-cap', '<=25%');
INSERT INTO hrpolicy.circumstance (scope, valid, label) VALUES ('kupang', '[2020-11-01,2020-12-31]', 'zone:high');
CREATE TABLE att (unit ltree, day date, person text, status text, tags text[] DEFAULT '{}',
                  PRIMARY KEY (person, day));
INSERT INTO att SELECT 'kupang.bkpsdm', '2020-11-18', 'p' || i,
                       CASE WHEN i <= 3 THEN 'office' ELSE 'home' END
FROM generate_series(1, 12) i;
SELECT hrpolicy.use_roster('att');
SELECT hrpolicy.enforce('att', 'day');
SELECT * FROM hrpolicy.compliance('2020-11-01', '2020-11-30');
SELECT * FROM hrpolicy.rules_in_force('2020-11-18', 'kupang.bkpsdm');
DO $$
BEGIN
    UPDATE att SET status = 'office' WHERE person = 'p4';
    SET CONSTRAINTS ALL IMMEDIATE;
    RAISE EXCEPTION 'the cap was not enforced for the owner';
EXCEPTION WHEN check_violation THEN
    NULL;
END
$$;
