-- enforce() and Citus: an enforced table that is then distributed (Citus
-- refuses a table with triggers; with citus.enable_unsafe_triggers the
-- triggers go to the shards, on workers where no roster is chosen, and the
-- copy into the shards fails) must never let a cap-breaking update
-- commit.  Prints one line: whether the table got distributed and how
-- many of its unit-days break the cap.
\set ON_ERROR_STOP off
\set VERBOSITY terse
SET client_min_messages = error;
CREATE TABLE enforce_att (unit ltree, day date, person text, status text, tags text[] DEFAULT '{}');
INSERT INTO enforce_att
SELECT 'citus_test', '2030-01-07', 'p' || i, CASE WHEN i <= 2 THEN 'office' ELSE 'home' END
FROM generate_series(1, 10) i;
SELECT hrpolicy.use_roster('enforce_att') \gset
INSERT INTO hrpolicy.policy (code, valid, scope) VALUES ('CITUS-TEST-CAP', '[2030-01-01,)', 'citus_test');
INSERT INTO hrpolicy.rule (policy, name, quota) VALUES ('CITUS-TEST-CAP', 'cap', '<=30%');
SELECT hrpolicy.enforce('enforce_att', 'day') \gset
SELECT create_distributed_table('enforce_att', 'person');
SET citus.enable_unsafe_triggers = on;
SELECT create_distributed_table('enforce_att', 'person');
UPDATE enforce_att SET status = 'office' WHERE person IN ('p3', 'p4');
\set ON_ERROR_STOP on
SELECT format('distributed=%s breaches=%s',
              EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'enforce_att'::regclass),
              (SELECT count(*) FROM hrpolicy.violations('2030-01-07', '2030-01-07'))) AS outcome;
