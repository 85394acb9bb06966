-- Every report over the data of data.sql, in a stable order, so that the
-- planted and the reference database can be compared with diff.
-- Variables: public_first (on: the superuser's worst search_path, public
-- before pg_catalog; off: the session's default), writes (on: also probe
-- enforcement with a write that is refused and one that is accepted, both
-- rolled back; the reader may not write).
-- Only the extension is asked anything: ORDER BY uses the columns' default
-- sort order (an operator class, found by type, never by name), and every
-- operator of this script is named through pg_catalog.
\pset null '(null)'
SET datestyle = ISO;
\if :public_first
SET search_path = public, pg_catalog, hrpolicy;
\endif
SELECT CURRENT_USER AS reader, pg_catalog.current_setting('search_path') AS search_path \gset
\qecho reports as :reader with search_path :search_path

SELECT * FROM hrpolicy.compliance('2020-11-01', '2021-07-31') c
ORDER BY c.day, c.unit, c.policy, c.rule, c.only_when;
SELECT * FROM hrpolicy.compliance('2020-11-18', '2020-11-18', 'kupang.dinkes') c
ORDER BY c.day, c.unit, c.policy, c.rule, c.only_when;
SELECT * FROM hrpolicy.violations('2020-11-01', '2021-07-31') v
ORDER BY v.day, v.unit, v.policy, v.rule, v.only_when;
SELECT * FROM hrpolicy.violations('2020-11-17', '2020-11-18', 'kupang') v
ORDER BY v.day, v.unit, v.policy, v.rule, v.only_when;
SELECT * FROM hrpolicy.conflicts('2020-11-01', '2021-07-31') x
ORDER BY x.day, x.unit, x.cap_policy, x.cap_rule, x.min_policy, x.min_rule;
SELECT * FROM hrpolicy.conflicts('2020-11-17', '2020-11-18', 'kupang.dinkes.uptd') x
ORDER BY x.day, x.unit, x.cap_policy, x.cap_rule, x.min_policy, x.min_rule;

SELECT * FROM hrpolicy.person_compliance('2020-11-01', '2021-07-31') c
ORDER BY c.period, c.person, c.policy, c.rule, c.only_when;
SELECT * FROM hrpolicy.person_compliance('2020-11-18', '2020-11-18', 'kupang') c
ORDER BY c.period, c.person, c.policy, c.rule, c.only_when;
SELECT * FROM hrpolicy.person_violations('2020-11-01', '2021-07-31') c
ORDER BY c.period, c.person, c.policy, c.rule, c.only_when;
SELECT * FROM hrpolicy.capacity_conflicts('2020-11-01', '2021-07-31') c
ORDER BY c.period, c.unit, c.cap_policy, c.cap_rule, c.min_policy, c.min_rule;
SELECT * FROM hrpolicy.diagnose('2020-11-01', '2021-07-31') d
ORDER BY d.severity, d.policy, d.rule, d.problem;
SELECT * FROM hrpolicy.diagnose('2020-11-17', '2020-11-18', 'kupang') d
ORDER BY d.severity, d.policy, d.rule, d.problem;
SELECT hrpolicy.label('PEMKOT-PROBOLINGGO 4.01.01') AS label,
       hrpolicy.nearest_word('eselon:II', ARRAY['structural', 'eselon:2']) AS nearest;

SELECT q.day, q.unit, r.*
FROM (VALUES ('2020-11-17'::date, 'kupang.bkpsdm'::public.ltree),
             ('2020-11-18'::date, 'kupang.dinkes'::public.ltree),
             ('2020-11-18'::date, 'kupang.dinkes.uptd'::public.ltree),
             ('2020-11-18'::date, 'jakarta.bkn'::public.ltree),
             ('2021-07-05'::date, 'jakarta.bkn'::public.ltree),
             ('2020-06-10'::date, 'kupang'::public.ltree)) AS q (day, unit),
     LATERAL hrpolicy.rules_in_force(q.day, q.unit) r
ORDER BY q.day, q.unit, r.policy, r.rule, r.only_when;

SELECT q.day, p.*
FROM (VALUES ('2020-11-18'::date), ('2021-07-05'::date)) AS q (day),
     LATERAL hrpolicy.policies_in_force(q.day) p
ORDER BY q.day, p.policy;
SELECT * FROM hrpolicy.policies_in_force('2020-11-18', 'kupang.dinkes.uptd') p ORDER BY p.policy;

SELECT * FROM hrpolicy.policy_windows('2020-01-01', '2021-12-31') w ORDER BY w.policy;
SELECT * FROM hrpolicy.policy_windows('2020-11-01', '2020-11-30', 'kupang.dinkes') w ORDER BY w.policy;

SELECT * FROM hrpolicy.rule_book('2020-11-01', '2021-07-31') b
ORDER BY b.policy, b.rule, b.only_when, b.defined_by;
SELECT * FROM hrpolicy.rule_book('2020-11-18', '2020-11-18', 'jakarta') b
ORDER BY b.policy, b.rule, b.only_when, b.defined_by;

\if :writes
-- Enforcement, as this session writes: a write that breaks the cap is
-- refused, one within it is accepted; both are undone.
CREATE TEMP TABLE write_probe (write text PRIMARY KEY, outcome text);
DO $$
DECLARE
    outcome text;
    message text;
BEGIN
    BEGIN
        -- kupang.dinkes goes from 1 to 2 of 4 in the office (cap 25%)
        UPDATE public.att SET status = 'office'
        WHERE person OPERATOR(pg_catalog.=) 'd2' AND day OPERATOR(pg_catalog.=) '2020-11-17';
        SET CONSTRAINTS ALL IMMEDIATE;
        outcome := 'accepted';
        RAISE EXCEPTION USING ERRCODE = 'assert_failure';      -- undo it
    EXCEPTION
        WHEN check_violation THEN
            GET STACKED DIAGNOSTICS message = MESSAGE_TEXT;
            outcome := 'refused: ' OPERATOR(pg_catalog.||) message;
        WHEN assert_failure THEN
            NULL;
    END;
    INSERT INTO pg_temp.write_probe VALUES ('d2 office on 2020-11-17', outcome);
    BEGIN
        -- jakarta.bkn under SE-25/2021's cap of 100%
        UPDATE public.att SET status = 'office'
        WHERE person OPERATOR(pg_catalog.=) 'j1' AND day OPERATOR(pg_catalog.=) '2021-07-05';
        SET CONSTRAINTS ALL IMMEDIATE;
        outcome := 'accepted';
        RAISE EXCEPTION USING ERRCODE = 'assert_failure';      -- undo it
    EXCEPTION
        WHEN check_violation THEN
            GET STACKED DIAGNOSTICS message = MESSAGE_TEXT;
            outcome := 'refused: ' OPERATOR(pg_catalog.||) message;
        WHEN assert_failure THEN
            NULL;
    END;
    INSERT INTO pg_temp.write_probe VALUES ('j1 office on 2021-07-05', outcome);
END
$$;
SELECT * FROM pg_temp.write_probe ORDER BY write;
\endif
