-- Which rules apply to a unit on a day: the national chain of DOMAIN.md,
-- a city decree on a subtree, circumstances on parent units, revocation.
\i test/preamble.sql
SET datestyle = ISO;
SET client_min_messages = warning;

-- Units: kupang (a city) > kupang.bkpsdm, kupang.dinkes > kupang.dinkes.pkm_oebobo;
-- belu (a regency) > belu.bkpsmd.
INSERT INTO hrpolicy.policy (code, issuer, valid, scope, amends, revokes) VALUES
    -- 19/2020: WFH until 31 March, the two highest levels stay in.
    ('SE-19/2020', 'MenPAN-RB', '[2020-03-16,2020-03-31]', NULL, '{}', '{}'),
    -- 34/2020 extends it to 21 April: an amendment with no rules of its own.
    ('SE-34/2020', 'MenPAN-RB', '[2020-04-01,2020-04-21]', NULL, '{SE-19/2020}', '{}'),
    -- 58/2020: the new normal from 5 June, a 50% cap, structural staff present.
    ('SE-58/2020', 'MenPAN-RB', '[2020-06-05,)', NULL, '{}', '{}'),
    -- 67/2020 amends 58/2020 from 4 September: the cap depends on the zone.
    ('SE-67/2020', 'MenPAN-RB', '[2020-09-04,)', NULL, '{SE-58/2020}', '{}'),
    -- Kota Kupang from 17 November: 25% per unit, half the structural staff,
    -- Dinas Kesehatan arranges its own; closed units stay closed.
    ('SE-KUPANG/2020', 'Wali Kota Kupang', '[2020-11-17,)', 'kupang', '{}', '{}'),
    -- A 2021 national circular revokes 67/2020 (and with it 58/2020's rules).
    ('SE-25/2021', 'MenPAN-RB', '[2021-07-01,)', NULL, '{}', '{SE-67/2020}');

INSERT INTO hrpolicy.rule (policy, name, quota, counts, who, unless, excused, only_when) VALUES
    ('SE-19/2020', 'top-two-in', 'all', '{office}', '{top2}', '{}', '{leave,sick}', NULL),
    ('SE-58/2020', 'wfo-cap', '<=50%', '{office}', '{}', '{}', '{}', NULL),
    ('SE-58/2020', 'structural-in', '>=50%', '{office}', '{structural}', '{}', '{leave,sick}', NULL),
    ('SE-67/2020', 'wfo-cap', '<=100%', '{office}', '{}', '{}', '{}', 'zone:none'),
    ('SE-67/2020', 'wfo-cap', '<=75%', '{office}', '{}', '{}', '{}', 'zone:low'),
    ('SE-67/2020', 'wfo-cap', '<=50%', '{office}', '{}', '{}', '{}', 'zone:medium'),
    ('SE-67/2020', 'wfo-cap', '<=25%', '{office}', '{}', '{}', '{}', 'zone:high'),
    ('SE-KUPANG/2020', 'wfo-cap', '<=25%', '{office}', '{}', '{}', '{}', '!public-service'),
    ('SE-KUPANG/2020', 'structural-cap', '<=50%', '{office}', '{structural}', '{}', '{}', '!public-service'),
    ('SE-KUPANG/2020', 'closure', 'none', '{office}', '{}', '{}', '{}', 'closed'),
    ('SE-25/2021', 'wfo-cap', '<=75%', '{office}', '{}', '{}', '{}', 'ppkm:1');

INSERT INTO hrpolicy.circumstance (scope, valid, label, note) VALUES
    ('kupang', '[2020-09-01,2020-11-30]', 'zone:medium', 'city risk zone'),
    ('kupang', '[2020-12-01,2021-02-28]', 'zone:high', 'zona coklat'),
    ('belu', '[2020-09-01,)', 'zone:low', NULL),
    ('kupang.dinkes', '[2020-01-01,)', 'public-service', 'Dinas Kesehatan arranges its own'),
    ('kupang.bkpsdm', '[2020-11-18,2020-11-20]', 'closed', 'a positive case'),
    ('kupang', '[2021-07-01,)', 'ppkm:1', NULL);

-- Policies in force, day by day at every boundary.
SELECT d AS day, string_agg(p.policy || ' ' || p.in_force, ', ' ORDER BY p.policy) AS in_force
FROM unnest('{2020-03-15,2020-03-16,2020-03-31,2020-04-01,2020-04-21,2020-04-22,
              2020-06-04,2020-06-05,2020-09-03,2020-09-04,2020-11-16,2020-11-17,
              2021-06-30,2021-07-01}'::date[]) AS d
LEFT JOIN LATERAL hrpolicy.policies_in_force(d) p ON true
GROUP BY d ORDER BY d;

-- Rules in force, day by day at every boundary, on three units: a plain
-- OPD of the city, a health centre under the public-service Dinkes, and
-- an OPD of another regency.  "via" marks a rule inherited through an
-- amendment (defined_by differs from policy).
CREATE TEMP VIEW boundary_rules AS
SELECT d AS day, u AS unit,
       coalesce(string_agg(r.policy || ':' || r.rule || ' ' || r.quota::text
                           || coalesce(' [' || r.only_when || ']', '')
                           || CASE WHEN r.defined_by <> r.policy THEN ' via ' || r.defined_by ELSE '' END,
                           ', ' ORDER BY r.policy, r.rule), '-') AS rules
FROM unnest('{2020-03-15,2020-03-16,2020-03-31,2020-04-01,2020-04-21,2020-04-22,
              2020-06-04,2020-06-05,2020-08-31,2020-09-01,2020-09-03,2020-09-04,
              2020-11-16,2020-11-17,2020-11-18,2020-11-20,2020-11-21,2020-11-30,
              2020-12-01,2021-02-28,2021-03-01,2021-06-30,2021-07-01}'::date[]) AS d
CROSS JOIN unnest('{kupang.bkpsdm,kupang.dinkes.pkm_oebobo,belu.bkpsmd}'::ltree[]) AS u
LEFT JOIN LATERAL hrpolicy.rules_in_force(d, u) r ON true
GROUP BY d, u;

SELECT day, rules FROM boundary_rules WHERE unit = 'kupang.bkpsdm' ORDER BY day;
SELECT day, rules FROM boundary_rules WHERE unit = 'kupang.dinkes.pkm_oebobo' ORDER BY day;
SELECT day, rules FROM boundary_rules WHERE unit = 'belu.bkpsmd' ORDER BY day;

-- Every column of rules_in_force, once.
SELECT * FROM hrpolicy.rules_in_force('2020-12-01', 'kupang.bkpsdm');

-- The city itself (the scope's root) is covered; a sibling city is not;
-- a unit above the scope is not.
SELECT u AS unit, count(*) FILTER (WHERE r.policy = 'SE-KUPANG/2020') AS kupang_rules
FROM unnest('{kupang,kupang.bkpsdm,kupang_baru.bkpsdm,top}'::ltree[]) AS u
LEFT JOIN LATERAL hrpolicy.rules_in_force('2020-11-17', u) r ON true
GROUP BY u ORDER BY u;

-- NULL day or unit: no rules.
SELECT count(*) AS null_day FROM hrpolicy.rules_in_force(NULL, 'kupang.bkpsdm');
SELECT count(*) AS null_unit FROM hrpolicy.rules_in_force('2020-12-01', NULL);

-- Overriding by name replaces every only_when variant: an amendment of
-- 67/2020 that defines wfo-cap once leaves no zone variant behind, while
-- structural-in still comes from 58/2020 through two amendments.
INSERT INTO hrpolicy.policy (code, valid, amends) VALUES ('SE-99/2020', '[2020-12-15,2020-12-31]', '{SE-67/2020}');
INSERT INTO hrpolicy.rule (policy, name, quota) VALUES ('SE-99/2020', 'wfo-cap', '<=10%');
SELECT * FROM hrpolicy.rules_in_force('2020-12-15', 'belu.bkpsmd');
-- Before it begins, and after it ends, 67/2020 is not back: an amended decree
-- stays absorbed from the amender's first day on.
SELECT policy, rule, quota, defined_by FROM hrpolicy.rules_in_force('2020-12-14', 'belu.bkpsmd');
SELECT policy, rule, quota, defined_by FROM hrpolicy.rules_in_force('2021-01-04', 'belu.bkpsmd');
DELETE FROM hrpolicy.policy WHERE code = 'SE-99/2020';

-- policies_in_force for a unit: the city decree only where it covers.
SELECT policy, in_force, scope FROM hrpolicy.policies_in_force('2020-12-01', 'kupang.bkpsdm');
SELECT policy, in_force, scope FROM hrpolicy.policies_in_force('2020-12-01', 'belu.bkpsmd');

-- The window of each decree in force on its own (policy_windows).
SELECT policy, valid, in_force, ended_by
FROM hrpolicy.policy_windows('2020-01-01', '2021-12-31') ORDER BY policy;

-- Two decrees may revoke one: the earlier revoker ends it.
INSERT INTO hrpolicy.policy (code, valid, revokes) VALUES
    ('LATE', '[2021-09-01,)', '{SE-KUPANG/2020}'),
    ('EARLY', '[2021-08-01,)', '{SE-KUPANG/2020}');
SELECT policy, in_force, ended_by FROM hrpolicy.policy_windows('2021-01-01', '2021-12-31')
WHERE policy = 'SE-KUPANG/2020';
DELETE FROM hrpolicy.policy WHERE code IN ('LATE', 'EARLY');

-- A revoker that begins before the revoked decree: it is never in force.
INSERT INTO hrpolicy.policy (code, valid, revokes) VALUES ('PRE', '[2019-01-01,2019-12-31]', '{SE-58/2020}');
SELECT count(*) AS days_of_58 FROM hrpolicy.policies_in_force('2020-07-01') WHERE policy = 'SE-58/2020';
DELETE FROM hrpolicy.policy WHERE code = 'PRE';

-- condition_holds and scope_covers on their own.
SELECT hrpolicy.condition_holds(NULL, 'kupang.bkpsdm', '2020-11-18') AS no_condition,
       hrpolicy.condition_holds('closed', 'kupang.bkpsdm', '2020-11-18') AS closed,
       hrpolicy.condition_holds('closed', 'kupang.bkpsdm', '2020-11-21') AS closed_later,
       hrpolicy.condition_holds('!closed', 'kupang.bkpsdm', '2020-11-21') AS not_closed_later,
       hrpolicy.condition_holds('zone:high', 'kupang.bkpsdm.sub', '2020-12-01') AS zone_on_child,
       hrpolicy.condition_holds('zone:high', 'kupang', '2020-12-01') AS zone_on_city;
SELECT hrpolicy.scope_covers(NULL, 'a.b') AS null_scope,
       hrpolicy.scope_covers('a', 'a.b') AS parent,
       hrpolicy.scope_covers('a.b', 'a.b') AS itself,
       hrpolicy.scope_covers('a.b', 'a') AS child_of_unit,
       hrpolicy.scope_covers('a', 'ab') AS prefix_only;

-- With 10,000 decrees, resolution finds its candidates through the
-- indexes.
CREATE TEMP TABLE saved_policy AS SELECT * FROM hrpolicy.policy;
CREATE TEMP TABLE saved_rule AS SELECT * FROM hrpolicy.rule;
INSERT INTO hrpolicy.policy (code, valid, scope, amends)
SELECT 'P' || i,
       hrpolicy.validity(date '2020-01-01' + (i % 700), date '2020-01-01' + (i % 700) + 30, '[]'),
       CASE WHEN i % 3 = 0 THEN NULL ELSE ('g' || (i % 50) || '.o' || (i % 7))::ltree END,
       CASE WHEN i > 100 AND i % 10 = 0 THEN ARRAY['P' || (i - 100)] ELSE '{}' END
FROM generate_series(1, 10000) AS i;
INSERT INTO hrpolicy.rule (policy, name, quota)
SELECT 'P' || i, 'cap', '<=50%' FROM generate_series(1, 10000) AS i;
ANALYZE hrpolicy.policy;
ANALYZE hrpolicy.rule;
-- rules_in_force() reads the decrees whose scope covers the unit and
-- whose window holds the day (155 of the 10,000: a third are unscoped)
-- and what they amend, through indexes: never the whole catalog.  (The
-- counters of this backend, before and after, in one transaction.)
BEGIN;
SELECT seq_tup_read AS seq_before, idx_tup_fetch AS idx_before
FROM pg_stat_xact_user_tables WHERE relid = 'hrpolicy.policy'::regclass \gset
SELECT count(*) AS rules_for_g7_o3 FROM hrpolicy.rules_in_force('2020-06-01', 'g7.o3.x');
SELECT seq_tup_read - :seq_before AS decrees_read_sequentially,
       idx_tup_fetch - :idx_before < 1000 AS fewer_than_1000_through_indexes
FROM pg_stat_xact_user_tables WHERE relid = 'hrpolicy.policy'::regclass;
COMMIT;
DELETE FROM hrpolicy.policy;
INSERT INTO hrpolicy.policy SELECT * FROM saved_policy;
INSERT INTO hrpolicy.rule SELECT * FROM saved_rule;
SELECT count(*) AS policies, (SELECT count(*) FROM hrpolicy.rule) AS rules FROM hrpolicy.policy;

-- Leave the catalog empty, with fresh statistics, for the next tests.
DELETE FROM hrpolicy.circumstance;
DELETE FROM hrpolicy.policy;
ANALYZE hrpolicy.policy;
ANALYZE hrpolicy.rule;
ANALYZE hrpolicy.circumstance;
