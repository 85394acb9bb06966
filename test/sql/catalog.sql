-- The policy catalog: what it accepts, what it refuses and why.
\i test/preamble.sql
SET datestyle = ISO;
SET client_min_messages = warning;

-- A decree chain as DOMAIN.md tells it: 19/2020 extended by 34/2020,
-- 58/2020 amended by 67/2020.  Loaded in one statement in any order: the
-- reference checks run at the end of the statement.
INSERT INTO hrpolicy.policy (code, issuer, valid, amends) VALUES
    ('SE-34/2020', 'MenPAN-RB', '[2020-04-01,2020-04-21]', '{SE-19/2020}'),
    ('SE-19/2020', 'MenPAN-RB', '[2020-03-16,2020-03-31]', '{}'),
    ('SE-58/2020', 'MenPAN-RB', '[2020-06-05,)', '{}'),
    ('SE-67/2020', 'MenPAN-RB', '[2020-09-04,)', '{SE-58/2020}');
INSERT INTO hrpolicy.rule (policy, name, quota, who, excused) VALUES
    ('SE-19/2020', 'top-two-in', 'all', '{top2}', '{leave,sick}'),
    ('SE-58/2020', 'wfo-cap', '<=50%', '{}', '{}');
INSERT INTO hrpolicy.rule (policy, name, quota, only_when) VALUES
    ('SE-67/2020', 'wfo-cap', '<=25%', 'zone:high'),
    ('SE-67/2020', 'wfo-cap', '<=50%', 'zone:medium');
INSERT INTO hrpolicy.circumstance (scope, valid, label) VALUES
    ('kupang', '[2020-11-01,2020-12-31]', 'zone:high');

SELECT code, valid, amends, revokes FROM hrpolicy.policy ORDER BY code;
SELECT policy, name, quota, counts, who, unless, excused, only_when
FROM hrpolicy.rule ORDER BY policy, name, only_when;

-- Refused rows: SQLSTATE, message and detail.
SELECT error_of(q) FROM (VALUES
    ($$INSERT INTO hrpolicy.policy (code, valid) VALUES ('SE-X', '(2020-03-24,2020-03-25)')$$),
    ($$INSERT INTO hrpolicy.policy (code, valid) VALUES ('SE-X', 'empty')$$),
    ($$INSERT INTO hrpolicy.policy (code, valid) VALUES ('  ', '[2020-03-24,2020-03-31]')$$),
    ($$INSERT INTO hrpolicy.policy (code, valid) VALUES (NULL, '[2020-03-24,2020-03-31]')$$),
    ($$INSERT INTO hrpolicy.policy (code) VALUES ('SE-X')$$),
    ($$INSERT INTO hrpolicy.policy (code, valid) VALUES ('SE-19/2020', '[2020-03-24,2020-03-31]')$$),
    ($$INSERT INTO hrpolicy.policy (code, valid, amends) VALUES ('SE-X', '[2020-03-24,)', '{SE-X}')$$),
    ($$INSERT INTO hrpolicy.policy (code, valid, revokes) VALUES ('SE-X', '[2020-03-24,)', '{SE-X}')$$),
    ($$INSERT INTO hrpolicy.policy (code, valid, amends) VALUES ('SE-X', '[2020-03-24,)', '{SE-404/2020}')$$),
    ($$INSERT INTO hrpolicy.policy (code, valid, revokes) VALUES ('SE-X', '[2020-03-24,)', '{SE-404/2020}')$$),
    ($$INSERT INTO hrpolicy.policy (code, valid, amends) VALUES ('SE-X', '[2020-03-24,)', '{NULL}')$$),
    ($$UPDATE hrpolicy.policy SET amends = '{SE-34/2020}' WHERE code = 'SE-19/2020'$$),
    ($$UPDATE hrpolicy.policy SET amends = '{SE-404/2020}' WHERE code = 'SE-67/2020'$$),
    ($$DELETE FROM hrpolicy.policy WHERE code = 'SE-58/2020'$$),
    ($$DELETE FROM hrpolicy.policy WHERE code = 'SE-19/2020'$$)
) AS t (q);

-- A longer cycle names the whole loop.
INSERT INTO hrpolicy.policy (code, valid, amends) VALUES
    ('A', '[2021-01-01,)', '{}'), ('B', '[2021-02-01,)', '{A}'), ('C', '[2021-03-01,)', '{B}');
SELECT error_of($$UPDATE hrpolicy.policy SET amends = '{C}' WHERE code = 'A'$$);
SELECT error_of($$INSERT INTO hrpolicy.policy (code, valid, amends) VALUES ('D', '[2021-04-01,)', '{C,D}')$$);
-- Two decrees may amend the same one, and one may amend two (a merge): no cycle.
INSERT INTO hrpolicy.policy (code, valid, amends) VALUES ('E', '[2021-04-01,)', '{B,C}');
SELECT code, amends FROM hrpolicy.policy WHERE code IN ('A', 'B', 'C', 'E') ORDER BY code;

-- Loading decrees out of order across statements needs deferred checks.
BEGIN;
SET CONSTRAINTS ALL DEFERRED;
INSERT INTO hrpolicy.policy (code, valid, revokes) VALUES ('G', '[2021-06-01,)', '{F}');
INSERT INTO hrpolicy.policy (code, valid) VALUES ('F', '[2021-05-01,)');
COMMIT;
SELECT code, revokes FROM hrpolicy.policy WHERE code IN ('F', 'G') ORDER BY code;
-- ... and the deferred check still refuses at commit what is still unknown.
BEGIN;
SET CONSTRAINTS ALL DEFERRED;
INSERT INTO hrpolicy.policy (code, valid, revokes) VALUES ('H', '[2021-06-01,)', '{NOPE}');
SELECT 'inserted, not yet checked' AS note;
COMMIT;
SELECT count(*) AS h_rows FROM hrpolicy.policy WHERE code = 'H';
-- A cited decree deleted and inserted again in one transaction (a reload
-- of the catalog) leaves no dangling citation: accepted at commit.
BEGIN;
SET CONSTRAINTS ALL DEFERRED;
DELETE FROM hrpolicy.policy WHERE code = 'F';
INSERT INTO hrpolicy.policy (code, valid) VALUES ('F', '[2021-05-01,)');
COMMIT;
SELECT code, revokes FROM hrpolicy.policy WHERE code IN ('F', 'G') ORDER BY code;

-- Rules.
SELECT error_of(q) FROM (VALUES
    ($$INSERT INTO hrpolicy.rule (policy, name, quota) VALUES ('SE-404/2020', 'wfo-cap', '<=25%')$$),
    ($$INSERT INTO hrpolicy.rule (policy, name, quota) VALUES ('SE-58/2020', 'wfo-cap', '<=40%')$$),
    ($$INSERT INTO hrpolicy.rule (policy, name, quota, only_when) VALUES ('SE-67/2020', 'wfo-cap', '<=40%', 'zone:high')$$),
    ($$INSERT INTO hrpolicy.rule (policy, name, quota) VALUES ('SE-58/2020', ' ', '<=40%')$$),
    ($$INSERT INTO hrpolicy.rule (policy, name, quota) VALUES ('SE-58/2020', 'x', NULL)$$),
    ($$INSERT INTO hrpolicy.rule (policy, name, quota) VALUES ('SE-58/2020', 'x', 'about half')$$),
    ($$INSERT INTO hrpolicy.rule (policy, name, quota, counts) VALUES ('SE-58/2020', 'x', '<=40%', '{}')$$),
    ($$INSERT INTO hrpolicy.rule (policy, name, quota, counts) VALUES ('SE-58/2020', 'x', '<=40%', NULL)$$),
    ($$INSERT INTO hrpolicy.rule (policy, name, quota, who) VALUES ('SE-58/2020', 'x', '<=40%', '{NULL}')$$),
    ($$INSERT INTO hrpolicy.rule (policy, name, quota, excused) VALUES ('SE-58/2020', 'x', '<=40%', '{sick,office}')$$),
    ($$INSERT INTO hrpolicy.rule (policy, name, quota, who, unless) VALUES ('SE-58/2020', 'x', '<=40%', '{asn,over55}', '{over55}')$$),
    ($$INSERT INTO hrpolicy.rule (policy, name, quota, only_when) VALUES ('SE-58/2020', 'x', '<=40%', '!')$$),
    ($$INSERT INTO hrpolicy.rule (policy, name, quota, only_when) VALUES ('SE-58/2020', 'x', '<=40%', '')$$)
) AS t (q);

-- The same name under another condition is a variant, not a duplicate.
INSERT INTO hrpolicy.rule (policy, name, quota, only_when)
VALUES ('SE-67/2020', 'wfo-cap', '<=75%', 'zone:low'),
       ('SE-67/2020', 'wfo-cap', '<=100%', '!zone:high');
SELECT name, quota, only_when FROM hrpolicy.rule WHERE policy = 'SE-67/2020' ORDER BY only_when;

-- Circumstances.
SELECT error_of(q) FROM (VALUES
    ($$INSERT INTO hrpolicy.circumstance (scope, valid, label) VALUES ('kupang', '(2020-11-01,2020-11-02)', 'closed')$$),
    ($$INSERT INTO hrpolicy.circumstance (scope, valid, label) VALUES ('kupang', '[2020-11-02,2020-11-01]', 'closed')$$),
    ($$INSERT INTO hrpolicy.circumstance (scope, valid, label) VALUES ('kupang', '[2020-11-01,2020-11-03]', '!closed')$$),
    ($$INSERT INTO hrpolicy.circumstance (scope, valid, label) VALUES ('kupang', '[2020-11-01,2020-11-03]', ' ')$$),
    ($$INSERT INTO hrpolicy.circumstance (scope, valid, label) VALUES (NULL, '[2020-11-01,2020-11-03]', 'closed')$$),
    ($$INSERT INTO hrpolicy.circumstance (scope, valid, label) VALUES ('kupang', '[2020-11-01,2020-11-03]', NULL)$$)
) AS t (q);

-- Renaming a decree renames it everywhere it is cited.
UPDATE hrpolicy.policy SET code = 'SE-MENPANRB-58/2020' WHERE code = 'SE-58/2020';
SELECT code, amends FROM hrpolicy.policy WHERE code LIKE '%58%' OR code = 'SE-67/2020' ORDER BY code;
SELECT policy, name, quota FROM hrpolicy.rule WHERE policy LIKE '%58%';

-- Deleting a decree deletes its rules; deleting an amender frees the amended.
DELETE FROM hrpolicy.policy WHERE code = 'SE-67/2020';
SELECT count(*) AS rules_of_67 FROM hrpolicy.rule WHERE policy = 'SE-67/2020';
DELETE FROM hrpolicy.policy WHERE code = 'SE-MENPANRB-58/2020';
SELECT count(*) AS rules_of_58 FROM hrpolicy.rule WHERE policy = 'SE-MENPANRB-58/2020';

-- The catalog is dumped with the user's data.
SELECT c.relname, d.extcondition
FROM pg_extension e,
     unnest(e.extconfig, e.extcondition) AS d (oid, extcondition)
JOIN pg_class c ON c.oid = d.oid
WHERE e.extname = 'hrpolicy'
ORDER BY 1;

-- Leave the catalog empty for the next test.
DELETE FROM hrpolicy.circumstance;
DELETE FROM hrpolicy.policy;
SELECT count(*) AS policies_left FROM hrpolicy.policy;
