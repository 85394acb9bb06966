-- An officer records a decree.
INSERT INTO hrpolicy.policy (code, valid, amends) VALUES ('SE-KUPANG-2/2020', '[2020-12-01,)', '{SE-KUPANG/2020}');
INSERT INTO hrpolicy.rule (policy, name, quota) VALUES ('SE-KUPANG-2/2020', 'wfo-cap', '<=50%');
SELECT 'ok: the writer role records decrees' AS writer;
