-- The sample HR database for make test-citus, the same on a single node
-- and on the Citus cluster: the sample (demo/sample_hr.sql) over the
-- months around the transfers and zone changes of autumn 2020, hrpolicy,
-- the recipe's roster view, the examples' decrees, and what makes the
-- rarer reports answer something: a draft decree that conflicts with a
-- cap, and a rule with a typo for diagnose().  Then the roster as a table
-- too (sample.roster_table), the shape a roster takes when it is
-- distributed.  Variables: staff, from_day, through_day.
\set ON_ERROR_STOP on
\set QUIET on
\ir ../../demo/sample_hr.sql
CREATE EXTENSION IF NOT EXISTS hrpolicy CASCADE;
\ir ../../demo/roster.sql
\ir ../../examples/00_national.sql
\ir ../../examples/01_kupang.sql
\ir ../../examples/02_belu.sql
\ir ../../examples/03_balikpapan.sql
\ir ../../examples/04_kukar.sql
\ir ../../examples/05_probolinggo.sql
\ir ../../examples/06_circumstances.sql
INSERT INTO hrpolicy.policy (code, title, issuer, valid, scope)
VALUES ('DRAFT-KUPANG-2020-12', 'draft: all structural officials in office', 'Wali Kota Kupang',
        '[2020-12-07,2020-12-11]', 'kupang');
INSERT INTO hrpolicy.rule (policy, name, quota, who, excused)
VALUES ('DRAFT-KUPANG-2020-12', 'structural-in-office', 'all', '{structural}', '{leave,sick,duty}');
INSERT INTO hrpolicy.rule (policy, name, quota, who)
VALUES ('SE-KUPANG-2020-11-17', 'head-in-office', '>=1', '{eselon:II}');

CREATE TABLE sample.roster_table AS
SELECT * FROM sample.roster WHERE day BETWEEN :'from_day' AND :'through_day';
ANALYZE sample.roster_table;
SELECT hrpolicy.use_roster('sample.roster') \gset
