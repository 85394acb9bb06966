-- The same decrees, roster and writes, loaded into the planted database
-- and into the clean reference database (as the superuser).  Variable:
-- reader, the role given the README's recommended grants.
--
-- Loaded with public searched first, the worst path a caller can choose:
-- the extension's triggers (row checks, references, the rename cascade,
-- enforcement) run under it.  This script's own expressions therefore name
-- pg_catalog's operators and functions (OPERATOR(pg_catalog.=), ...): a
-- look-alike that ran here would be the script's fault, not the extension's.
SET search_path = public, pg_catalog, hrpolicy;
SET datestyle = ISO;

-- Decrees: a national cap amended by a conditional one, a city's decree
-- with a minimum (a conflict with the cap under zone:high) and a closure
-- rule, its own amendment, and a revocation.
INSERT INTO hrpolicy.policy (code, title, issuer, valid, scope, amends, revokes) VALUES
    ('SE-58/2020', 'New normal', 'MenPAN-RB', '[2020-06-05,)', NULL, '{}', '{}'),
    ('SE-67/2020', 'Risk zones', 'MenPAN-RB', '[2020-09-04,)', NULL, '{SE-58/2020}', '{}'),
    ('SE-KUPANG/2020', 'Kupang', 'Wali Kota Kupang', '[2020-11-17,2020-12-31]', 'kupang', '{}', '{}'),
    ('SE-KUPANG/2020-A', 'Kupang, health', 'Wali Kota Kupang', '[2020-11-18,2020-12-31]',
     'kupang.dinkes', '{SE-KUPANG/2020}', '{}'),
    ('SE-25/2021', 'Back to the office', 'MenPAN-RB', '[2021-07-01,)', NULL, '{}', '{SE-67/2020}');
INSERT INTO hrpolicy.rule (policy, name, quota, counts, who, unless, excused, only_when) VALUES
    ('SE-58/2020', 'wfo-cap', '<=50%', '{office}', '{}', '{}', '{}', NULL),
    ('SE-58/2020', 'structural-in', 'all', '{office,duty}', '{structural}', '{over55}', '{sick,leave}', NULL),
    ('SE-67/2020', 'wfo-cap', '<=25%', '{office}', '{}', '{}', '{leave}', 'zone:high'),
    ('SE-67/2020', 'wfo-cap', '<=75%', '{office}', '{}', '{over55}', '{}', '!zone:high'),
    ('SE-KUPANG/2020', 'service-min', '>=50%', '{office}', '{}', '{}', '{}', NULL),
    ('SE-KUPANG/2020', 'closure', 'none', '{office,duty}', '{}', '{}', '{}', 'closed'),
    ('SE-KUPANG/2020-A', 'service-min', 'at least 2', '{office}', '{}', '{over55}', '{sick}', NULL),
    ('SE-25/2021', 'wfo-cap', '<=100%', '{office}', '{}', '{}', '{}', NULL),
    ('SE-25/2021', 'top-in', '>=1', '{office}', '{top2}', '{}', '{}', NULL);
INSERT INTO hrpolicy.circumstance (scope, valid, label, note) VALUES
    ('kupang', '[2020-11-01,2020-12-31]', 'zone:high', NULL),
    ('kupang.dinkes.uptd', '[2020-11-18,2020-11-18]', 'closed', 'a positive case'),
    ('jakarta', '[2020-11-01,2020-11-30]', 'zone:low', NULL);
-- A rename cascades into rule.policy and into the amends that cite it.
INSERT INTO hrpolicy.rule (policy, name, quota, counts, who, unless, excused, only_when, per) VALUES
    ('SE-58/2020', 'fwa-week', '<=5', '{home}', '{}', '{over55}', '{sick,leave}', NULL, 'person-week'),
    ('SE-KUPANG/2020', 'rto', '>=3', '{office,duty}', '{}', '{}', '{}', NULL, 'person-week'),
    ('SE-KUPANG/2020-A', 'rto', '>=2', '{office}', '{}', '{}', '{}', NULL, 'person-week'),
    ('SE-67/2020', 'month-cap', '<=100%', '{home}', '{}', '{}', '{leave}', 'zone:high', 'person-month'),
    ('SE-67/2020', 'month-min', 'at least 1', '{office}', '{}', '{}', '{}', '!zone:low', 'person-month');
UPDATE hrpolicy.policy SET code = 'SE-MENPANRB-58/2020' WHERE code OPERATOR(pg_catalog.=) 'SE-58/2020';

-- The roster: a table (it is also the enforced one), a few units and days.
CREATE TABLE public.att (unit public.ltree, day date, person text, status text, tags text[],
                         PRIMARY KEY (person, day));
INSERT INTO public.att (unit, day, person, status, tags) VALUES
    ('kupang.bkpsdm', '2020-11-17', 'b1', 'office', '{structural,top2}'),
    ('kupang.bkpsdm', '2020-11-17', 'b2', 'office', '{structural,over55}'),
    ('kupang.bkpsdm', '2020-11-17', 'b3', 'home', '{}'),
    ('kupang.bkpsdm', '2020-11-17', 'b4', 'home', '{}'),
    ('kupang.bkpsdm', '2020-11-17', 'b5', 'leave', '{}'),
    ('kupang.bkpsdm', '2020-11-17', 'b6', 'sick', '{over55}'),
    ('kupang.bkpsdm', '2020-11-18', 'b1', 'office', '{structural,top2}'),
    ('kupang.bkpsdm', '2020-11-18', 'b2', 'home', '{structural,over55}'),
    ('kupang.bkpsdm', '2020-11-18', 'b3', 'home', '{}'),
    ('kupang.bkpsdm', '2020-11-18', 'b4', 'home', '{}'),
    ('kupang.bkpsdm', '2020-11-18', 'b5', 'duty', '{}'),
    ('kupang.bkpsdm', '2020-11-18', 'b6', 'home', '{over55}'),
    ('kupang.dinkes', '2020-11-17', 'd1', 'office', '{structural}'),
    ('kupang.dinkes', '2020-11-17', 'd2', 'duty', '{}'),
    ('kupang.dinkes', '2020-11-17', 'd3', 'home', '{over55}'),
    ('kupang.dinkes', '2020-11-17', 'd4', 'home', '{}'),
    ('kupang.dinkes', '2020-11-18', 'd1', 'office', '{structural}'),
    ('kupang.dinkes', '2020-11-18', 'd2', 'home', '{}'),
    ('kupang.dinkes', '2020-11-18', 'd3', 'sick', '{over55}'),
    ('kupang.dinkes', '2020-11-18', 'd4', 'home', '{}'),
    ('kupang.dinkes.uptd', '2020-11-18', 'u1', 'office', '{}'),
    ('kupang.dinkes.uptd', '2020-11-18', 'u2', 'home', '{}'),
    ('kupang.dinkes.uptd', '2020-11-18', 'u3', 'duty', NULL),
    ('jakarta.bkn', '2020-11-18', 'j1', 'office', '{structural,top2}'),
    ('jakarta.bkn', '2020-11-18', 'j2', 'office', '{}'),
    ('jakarta.bkn', '2020-11-18', 'j3', 'office', '{over55}'),
    ('jakarta.bkn', '2020-11-18', 'j4', 'home', '{}'),
    ('jakarta.bkn', '2021-07-05', 'j1', 'home', '{structural,top2}'),
    ('jakarta.bkn', '2021-07-05', 'j2', 'office', '{}'),
    ('jakarta.bkn', '2021-07-05', 'j3', 'office', '{over55}'),
    ('jakarta.bkn', '2021-07-05', 'j4', NULL, '{}'),
    (NULL, '2020-11-18', 'x1', 'office', '{}');
SELECT hrpolicy.use_roster('public.att');
SELECT hrpolicy.enforce('public.att', 'day');

-- Writes to the enforced table: one within the caps (accepted), one that
-- breaks kupang's zone:high cap of 25% (refused with check_violation).
-- Their outcomes are compared between the databases like the reports.
CREATE TABLE public.write_outcome (write text PRIMARY KEY, outcome text);
DO $$
BEGIN
    -- 2 of 6 in the office at kupang.bkpsdm on 17 November, one leaves:
    UPDATE public.att SET status = 'home'
    WHERE person OPERATOR(pg_catalog.=) 'b2' AND day OPERATOR(pg_catalog.=) '2020-11-17';
    SET CONSTRAINTS ALL IMMEDIATE;
    INSERT INTO public.write_outcome VALUES ('b2 home on 2020-11-17', 'accepted');
END
$$;
DO $$
DECLARE
    message text;
    detail text;
BEGIN
    UPDATE public.att SET status = 'office'
    WHERE person OPERATOR(pg_catalog.=) ANY ('{b3,b4}'::text[])
      AND day OPERATOR(pg_catalog.=) '2020-11-18';
    SET CONSTRAINTS ALL IMMEDIATE;
    INSERT INTO public.write_outcome VALUES ('b3, b4 office on 2020-11-18', 'accepted');
EXCEPTION WHEN check_violation THEN
    GET STACKED DIAGNOSTICS message = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL;
    INSERT INTO public.write_outcome
    VALUES ('b3, b4 office on 2020-11-18', pg_catalog.format('refused: %s (%s)', message, detail));
END
$$;
SELECT * FROM public.write_outcome ORDER BY write;
SELECT * FROM public.att ORDER BY person, day;

-- The README's reader: reports and the catalog, and the roster.
GRANT USAGE ON SCHEMA hrpolicy TO :"reader";
GRANT SELECT ON ALL TABLES IN SCHEMA hrpolicy TO :"reader";
GRANT SELECT ON public.att, public.write_outcome TO :"reader";
