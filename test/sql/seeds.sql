-- The five seed decrees (examples/01..05) and the national chain
-- (examples/00), with the circumstances (examples/06), end to end on small
-- hand-written rosters.  Every expected number is worked out by hand in the
-- comments before the query that prints it: the base (rows in the rule's
-- group whose status is not excused), the part (rows whose status counts),
-- and allowed = quota_limit(quota, base): for a cap <=p% the largest h with
-- h*100 <= p*base, for 'all' (>=100%) the whole base, for 'none' (<=0) zero.
\i test/preamble.sql
SET datestyle = ISO;
SET client_min_messages = warning;

-- Start from an empty catalog whatever ran before in this database:
-- sql/resolution.sql deletes its decrees but leaves its six circumstances
-- (kupang zone:medium through 30 Nov 2020 among them), which would add
-- 67/2020 zone:medium rows to the Kupang days below.
DELETE FROM hrpolicy.circumstance;
DELETE FROM hrpolicy.policy;
DELETE FROM hrpolicy.roster_source;

-- ---------------------------------------------------------------------------
-- The decrees, as encoded in examples/ (their text is not echoed here: what
-- they load is listed right after).  pg_regress feeds this file to psql on
-- standard input from the repository root, so \ir resolves against the
-- working directory, not sql/: the paths are examples/..., not ../examples/...
\set ECHO none
\ir examples/00_national.sql
\ir examples/01_kupang.sql
\ir examples/02_belu.sql
\ir examples/03_balikpapan.sql
\ir examples/04_kukar.sql
\ir examples/05_probolinggo.sql
\ir examples/06_circumstances.sql
\set ECHO all
-- Fresh statistics: an earlier test (resolution.sql) analyzes the catalog
-- with 10,000 decrees and then deletes them; with those estimates the
-- report queries below cost enough to be JIT-compiled (about 0.7 s each).
ANALYZE hrpolicy.policy, hrpolicy.rule, hrpolicy.circumstance;

SELECT code, valid, scope, amends, revokes FROM hrpolicy.policy ORDER BY code;
SELECT policy, name, quota, counts, who, unless, excused, only_when
FROM hrpolicy.rule ORDER BY policy, name, only_when;
SELECT count(*) AS circumstances FROM hrpolicy.circumstance;

-- ---------------------------------------------------------------------------
-- One roster for every seed; tags as sample.roster (demo/roster.sql)
-- gives them: asn|non-asn, pns|pppk, structural|functional|pelaksana,
-- eselon:N, top2 (eselon II-III), over55, piket.
DROP SCHEMA IF EXISTS seeds CASCADE;
CREATE SCHEMA seeds;
CREATE TABLE seeds.roster (unit ltree, day date, person text, status text, tags text[]);
SELECT hrpolicy.use_roster('seeds.roster');

-- ===========================================================================
-- Seed 000, Kota Kupang (SE-KUPANG-2020-11-17, from 17 Nov 2020, scope
-- kupang): staff-wfo <=25% of the non-structural staff, structural-wfo <=50%
-- of the structural officials, both only where no public-service
-- circumstance holds.  Zone: zone:medium 4 Sep - 16 Nov, zone:high from
-- 17 Nov (67/2020: <=50%, then <=25% of the whole unit).
--
-- kupang.bkpsdm, ten people, the same statuses on Mon 16 and Wed 18 Nov 2020:
--   k1  structural eselon:2 top2  office      k6  pelaksana          home
--   k2  structural eselon:3 top2  office      k7  pelaksana (pppk)   home
--   k3  structural eselon:3 top2  home        k8  non-asn pelaksana  office
--   k4  structural eselon:4       home        k9  non-asn pelaksana  sick
--   k5  functional                office      k10 functional over55  leave
INSERT INTO seeds.roster
SELECT 'kupang.bkpsdm', d::date, person, status, tags
FROM (VALUES
    ('k1', 'office', '{asn,pns,structural,eselon:2,top2}'::text[]),
    ('k2', 'office', '{asn,pns,structural,eselon:3,top2}'),
    ('k3', 'home', '{asn,pns,structural,eselon:3,top2}'),
    ('k4', 'home', '{asn,pns,structural,eselon:4}'),
    ('k5', 'office', '{asn,pns,functional}'),
    ('k6', 'home', '{asn,pns,pelaksana}'),
    ('k7', 'home', '{asn,pppk,pelaksana}'),
    ('k8', 'office', '{non-asn,pelaksana}'),
    ('k9', 'sick', '{non-asn,pelaksana}'),
    ('k10', 'leave', '{asn,pns,functional,over55}')
) AS p (person, status, tags)
CROSS JOIN (VALUES ('2020-11-16'), ('2020-11-18')) AS days (d);

-- kupang.dinkes (public-service: Dinas Kesehatan arranges its own work), Wed 18 Nov:
--   d1 structural eselon:2 top2  office     d4 functional (pppk)  office
--   d2 structural eselon:3 top2  office     d5 pelaksana          home
--   d3 functional                office     d6 non-asn pelaksana  office
INSERT INTO seeds.roster VALUES
    ('kupang.dinkes', '2020-11-18', 'd1', 'office', '{asn,pns,structural,eselon:2,top2}'),
    ('kupang.dinkes', '2020-11-18', 'd2', 'office', '{asn,pns,structural,eselon:3,top2}'),
    ('kupang.dinkes', '2020-11-18', 'd3', 'office', '{asn,pns,functional}'),
    ('kupang.dinkes', '2020-11-18', 'd4', 'office', '{asn,pppk,functional}'),
    ('kupang.dinkes', '2020-11-18', 'd5', 'home', '{asn,pns,pelaksana}'),
    ('kupang.dinkes', '2020-11-18', 'd6', 'office', '{non-asn,pelaksana}');

-- Scope: a Belu unit on the same Wed 18 Nov 2020 (Belu is zone:low then).
--   e1 structural eselon:2 top2  office     e4 non-asn pelaksana  home
--   e2 functional                office     e5 pelaksana (pppk)   home
--   e3 pelaksana                 office
INSERT INTO seeds.roster VALUES
    ('belu.bappeda', '2020-11-18', 'e1', 'office', '{asn,pns,structural,eselon:2,top2}'),
    ('belu.bappeda', '2020-11-18', 'e2', 'office', '{asn,pns,functional}'),
    ('belu.bappeda', '2020-11-18', 'e3', 'office', '{asn,pns,pelaksana}'),
    ('belu.bappeda', '2020-11-18', 'e4', 'home', '{non-asn,pelaksana}'),
    ('belu.bappeda', '2020-11-18', 'e5', 'home', '{asn,pppk,pelaksana}');

-- kupang.bkpsdm, Mon 16 Nov (zone:medium; the city's decree begins on the 17th):
--   67/2020 wfo-cap <=50% (zone:medium): base 10 (nothing excused), office
--     k1 k2 k5 k8 = 4; 4*100 <= 50*10? 400 <= 500 ok; allowed = 5
--     (500 <= 500); headroom 5-4 = 1.
--   No SE-KUPANG row (not yet in force), no 58/2020 row (amended by 67).
-- kupang.bkpsdm, Wed 18 Nov (zone:high, the city's decree in force):
--   67/2020 wfo-cap <=25% (zone:high): base 10, part 4; 400 <= 250? no;
--     allowed 2 (200 <= 250 < 300); headroom -2; not ok.
--   staff-wfo <=25% unless structural: base k5..k10 = 6 (sick k9 and leave
--     k10 stay in: no excused statuses), office k5 k8 = 2; 200 <= 150? no;
--     allowed 1 (100 <= 150 < 200); headroom -1; not ok.
--   structural-wfo <=50% who structural: base k1..k4 = 4, office k1 k2 = 2;
--     200 <= 200 ok; allowed 2; headroom 0.
SELECT day, unit, policy, rule, tally, quota, allowed, ok, headroom
FROM hrpolicy.compliance('2020-11-16', '2020-11-18', 'kupang.bkpsdm')
ORDER BY day, unit, policy, rule;

-- The sentences of the 18th, in the same order:
--   2 of 6 (not structural) in office; at most 1 allowed ... staff-wfo (<=25%): over by 1
--   2 of 4 structural in office; at most 2 allowed ... structural-wfo (<=50%): ok, 0 more may come in
--   4 of 10 in office; at most 2 allowed ... wfo-cap (<=25%): over by 2
SELECT rule, explanation, only_when
FROM hrpolicy.compliance('2020-11-18', '2020-11-18', 'kupang.bkpsdm')
ORDER BY policy, rule;

-- Public service and scope, Wed 18 Nov, every unit of the roster that day:
--   belu.bappeda: only 67/2020's zone:low cap <=75%: base 5, office e1 e2 e3
--     = 3; 300 <= 375 ok; allowed 3 (300 <= 375 < 400); headroom 0.  No
--     SE-KUPANG row: its scope is kupang (had staff-wfo applied: 2 of 4
--     non-structural in office, allowed 1, over).
--   kupang.bkpsdm: the three rows above.
--   kupang.dinkes: public-service, so neither SE-KUPANG rule (had they
--     applied: staff-wfo 3 of 4, allowed 1; structural-wfo 2 of 2, allowed
--     1).  The national zone cap still applies: base 6, office d1 d2 d3 d4
--     d6 = 5; 500 <= 150? no; allowed 1 (100 <= 150 < 200); headroom -4.
SELECT day, unit, policy, rule, tally, quota, allowed, ok, headroom
FROM hrpolicy.compliance('2020-11-18', '2020-11-18')
ORDER BY day, unit, policy, rule;
-- The same through the scope argument: kupang's subtree has bkpsdm and
-- dinkes (4 rows), belu's has bappeda (1 row).
SELECT count(*) FILTER (WHERE unit <@ 'kupang') AS kupang_rows,
       count(*) FILTER (WHERE unit <@ 'belu') AS belu_rows
FROM hrpolicy.compliance('2020-11-18', '2020-11-18', 'kupang');
SELECT unit, policy, rule, tally, allowed, ok
FROM hrpolicy.compliance('2020-11-18', '2020-11-18', 'belu');
-- What resolution says for the Belu unit: SE-KUPANG is not among the
-- decrees in force there; only 67/2020 (zone:low) applies.
SELECT policy, scope FROM hrpolicy.policies_in_force('2020-11-18', 'belu.bappeda');
SELECT * FROM hrpolicy.rules_in_force('2020-11-18', 'belu.bappeda');
-- and for Dinkes: SE-KUPANG is in force there, but its rules' condition
-- !public-service fails.
SELECT policy, scope FROM hrpolicy.policies_in_force('2020-11-18', 'kupang.dinkes');
SELECT * FROM hrpolicy.rules_in_force('2020-11-18', 'kupang.dinkes');

-- ===========================================================================
-- Seed 001, Kabupaten Belu (SE-BELU-870/278/III/2020, 24-31 Mar 2020, scope
-- belu): top2-in-office, all of eselon II-III in the office, leave, sick and
-- duty excused.  The national SE-MENPANRB-19/2020 (16-31 Mar) has the same
-- rule and applies beside it.  No cap is in force in March 2020.
--
-- belu.bappeda, eight people:
--            tags                       Mon 23 Mar   Wed 25 Mar
--   b1  structural eselon:2 top2       office       office
--   b2  structural eselon:3 top2       office       office
--   b3  structural eselon:3 top2       duty         home
--   b4  structural eselon:3 top2       leave        sick
--   b5  structural eselon:4            home         office
--   b6  functional                     home         home
--   b7  pelaksana                      home         home
--   b8  non-asn pelaksana              office       office
INSERT INTO seeds.roster
SELECT 'belu.bappeda', d::date, person, CASE WHEN d = '2020-03-23' THEN s23 ELSE s25 END, tags
FROM (VALUES
    ('b1', 'office', 'office', '{asn,pns,structural,eselon:2,top2}'::text[]),
    ('b2', 'office', 'office', '{asn,pns,structural,eselon:3,top2}'),
    ('b3', 'duty', 'home', '{asn,pns,structural,eselon:3,top2}'),
    ('b4', 'leave', 'sick', '{asn,pns,structural,eselon:3,top2}'),
    ('b5', 'home', 'office', '{asn,pns,structural,eselon:4}'),
    ('b6', 'home', 'home', '{asn,pns,functional}'),
    ('b7', 'home', 'home', '{asn,pns,pelaksana}'),
    ('b8', 'office', 'office', '{non-asn,pelaksana}')
) AS p (person, s23, s25, tags)
CROSS JOIN (VALUES ('2020-03-23'), ('2020-03-25')) AS days (d);

-- Mon 23 Mar (the day before Belu's window): only 19/2020's rule.
--   base: top2 b1..b4 less b3 (duty) and b4 (leave) = 2; office b1 b2 = 2;
--   required all of 2 = 2; ok; headroom 2-2 = 0.
-- Wed 25 Mar: Belu's rule and 19/2020's, the same counts:
--   base: top2 b1..b4 less b4 (sick) = 3 (b3 at home stays in); office
--   b1 b2 = 2; required 3; not ok; headroom 2-3 = -1.  b5 (eselon IV) and
--   b8 in the office change nothing: no cap.
SELECT day, unit, policy, rule, tally, quota, allowed, ok, headroom
FROM hrpolicy.compliance('2020-03-23', '2020-03-25', 'belu')
ORDER BY day, unit, policy, rule;
--   2 of 3 top2 in office; at least 3 required by SE-BELU-870/278/III/2020 rule top2-in-office (>=100%): short by 1
--   2 of 3 top2 in office; at least 3 required by SE-MENPANRB-19/2020 rule top2-in-office (>=100%): short by 1
SELECT policy, explanation
FROM hrpolicy.compliance('2020-03-25', '2020-03-25', 'belu.bappeda')
ORDER BY policy, rule;

-- ===========================================================================
-- Seed 002, Kota Balikpapan (SE-BALIKPAPAN-800/0437/Org from 1 Aug 2020,
-- scope balikpapan): attendance-cap <=50% (not in public-service units) and
-- closure none while a circumstance closed holds (every unit).  800/373/Org
-- stays in force beside it with no rules.  National: 58/2020 <=50% until
-- 3 Sep; from 4 Sep 67/2020 amends it, and Balikpapan is zone:high (<=25%)
-- 4 Sep - 31 Oct.  Closures: balikpapan.disdukcapil 14-16 Sep,
-- balikpapan.bpkad 12-14 Oct.
--
-- The amendment switches the national cap on 4 Sep:
--   3 Sep: 800/0437 attendance-cap; 58/2020 wfo-cap <=50% (defined by 58).
--   4 Sep: 800/0437 attendance-cap; 67/2020 wfo-cap <=25% zone:high.
SELECT * FROM hrpolicy.rules_in_force('2020-09-03', 'balikpapan.bpkad');
SELECT * FROM hrpolicy.rules_in_force('2020-09-04', 'balikpapan.bpkad');
-- 58/2020 is in force on its own until 3 Sep, then only through 67/2020.
SELECT policy, valid, in_force, ended_by
FROM hrpolicy.policy_windows('2020-06-05', '2020-12-31')
WHERE policy IN ('SE-MENPANRB-58/2020', 'SE-MENPANRB-67/2020')
ORDER BY policy;

-- balikpapan.bpkad, eight people:
--            tags                       Thu 3 Sep    Tue 13 Oct (closed)
--   bp1 structural eselon:2 top2       office       office
--   bp2 structural eselon:3 top2       office       office
--   bp3 structural eselon:4            office       home
--   bp4 functional                     office       home
--   bp5 pelaksana                      home         sick
--   bp6 pelaksana (pppk)               home         home
--   bp7 non-asn pelaksana              home         home
--   bp8 non-asn pelaksana              leave        home
INSERT INTO seeds.roster
SELECT 'balikpapan.bpkad', d::date, person, CASE WHEN d = '2020-09-03' THEN s1 ELSE s2 END, tags
FROM (VALUES
    ('bp1', 'office', 'office', '{asn,pns,structural,eselon:2,top2}'::text[]),
    ('bp2', 'office', 'office', '{asn,pns,structural,eselon:3,top2}'),
    ('bp3', 'office', 'home', '{asn,pns,structural,eselon:4}'),
    ('bp4', 'office', 'home', '{asn,pns,functional}'),
    ('bp5', 'home', 'sick', '{asn,pns,pelaksana}'),
    ('bp6', 'home', 'home', '{asn,pppk,pelaksana}'),
    ('bp7', 'home', 'home', '{non-asn,pelaksana}'),
    ('bp8', 'leave', 'home', '{non-asn,pelaksana}')
) AS p (person, s1, s2, tags)
CROSS JOIN (VALUES ('2020-09-03'), ('2020-10-13')) AS days (d);

-- balikpapan.disdukcapil (public-service), Tue 15 Sep 2020, closed 14-16 Sep:
--   dc1 structural eselon:3 top2  office     dc4 non-asn pelaksana  office
--   dc2 functional                office     dc5 pelaksana (pppk)   home
--   dc3 pelaksana                 office     dc6 non-asn pelaksana  home
INSERT INTO seeds.roster VALUES
    ('balikpapan.disdukcapil', '2020-09-15', 'dc1', 'office', '{asn,pns,structural,eselon:3,top2}'),
    ('balikpapan.disdukcapil', '2020-09-15', 'dc2', 'office', '{asn,pns,functional}'),
    ('balikpapan.disdukcapil', '2020-09-15', 'dc3', 'office', '{asn,pns,pelaksana}'),
    ('balikpapan.disdukcapil', '2020-09-15', 'dc4', 'office', '{non-asn,pelaksana}'),
    ('balikpapan.disdukcapil', '2020-09-15', 'dc5', 'home', '{asn,pppk,pelaksana}'),
    ('balikpapan.disdukcapil', '2020-09-15', 'dc6', 'home', '{non-asn,pelaksana}');

-- bpkad, Thu 3 Sep (before 67/2020, not closed):
--   attendance-cap <=50%: base 8 (bp8 on leave stays in: nothing excused),
--     office bp1..bp4 = 4; 400 <= 400 ok; allowed 4; headroom 0.
--   58/2020 wfo-cap <=50%: the same 4/8, allowed 4, ok, headroom 0.
-- disdukcapil, Tue 15 Sep (zone:high, closed, public-service):
--   attendance-cap: no row (public-service; had it applied, 4 of 6 at 50%:
--     400 > 300, over).
--   closure none: base 6, office dc1..dc4 = 4; allowed 0; headroom -4; not ok.
--   67/2020 wfo-cap <=25%: 4/6; 400 <= 150? no; allowed 1 (100 <= 150 <
--     200); headroom -3; not ok.
-- bpkad, Tue 13 Oct (zone:high, closed 12-14 Oct):
--   attendance-cap <=50%: base 8 (sick bp5 stays in), office bp1 bp2 = 2;
--     200 <= 400 ok; allowed 4; headroom 2.
--   closure none: 2/8; allowed 0; headroom -2; not ok.
--   67/2020 wfo-cap <=25%: 2/8; 200 <= 200 ok; allowed 2; headroom 0.
SELECT day, unit, policy, rule, tally, quota, allowed, ok, headroom
FROM hrpolicy.compliance('2020-09-01', '2020-10-31', 'balikpapan')
ORDER BY day, unit, policy, rule;
--   2 of 8 in office; at most 4 allowed by SE-BALIKPAPAN-800/0437/Org rule attendance-cap (<=50%): ok, 2 more may come in
--   2 of 8 in office; at most 0 allowed by SE-BALIKPAPAN-800/0437/Org rule closure (<=0): over by 2
--   2 of 8 in office; at most 2 allowed by SE-MENPANRB-67/2020 rule wfo-cap (<=25%): ok, 0 more may come in
SELECT rule, explanation, only_when
FROM hrpolicy.compliance('2020-10-13', '2020-10-13', 'balikpapan.bpkad')
ORDER BY policy, rule;

-- ===========================================================================
-- Seed 003, Kabupaten Kutai Kartanegara (SE-KUKAR-B-104/BKPSDM/065.11/01/2021,
-- 27 Jan - 9 Feb 2021, scope kukar): wfo-cap <=25% (not in public-service
-- units); leaders-in-office, all structural officials (eselon II-IV) in the
-- office, over55 exempt, leave, sick and duty excused.  National: 67/2020,
-- kukar zone:high from 11 Jan 2021 (<=25%).
--
-- kukar.bappeda, twelve people, the same statuses on Thu 28 Jan and Wed 10 Feb 2021:
--   u1  structural eselon:2 top2         office    u7  functional          home
--   u2  structural eselon:3 top2         office    u8  pelaksana           home
--   u3  structural eselon:3 top2 over55  home      u9  pelaksana           home
--   u4  structural eselon:4              sick      u10 non-asn pelaksana   home
--   u5  structural eselon:4              home      u11 non-asn pelaksana   leave
--   u6  functional over55                office    u12 pelaksana (pppk)    home
INSERT INTO seeds.roster
SELECT 'kukar.bappeda', d::date, person, status, tags
FROM (VALUES
    ('u1', 'office', '{asn,pns,structural,eselon:2,top2}'::text[]),
    ('u2', 'office', '{asn,pns,structural,eselon:3,top2}'),
    ('u3', 'home', '{asn,pns,structural,eselon:3,top2,over55}'),
    ('u4', 'sick', '{asn,pns,structural,eselon:4}'),
    ('u5', 'home', '{asn,pns,structural,eselon:4}'),
    ('u6', 'office', '{asn,pns,functional,over55}'),
    ('u7', 'home', '{asn,pns,functional}'),
    ('u8', 'home', '{asn,pns,pelaksana}'),
    ('u9', 'home', '{asn,pns,pelaksana}'),
    ('u10', 'home', '{non-asn,pelaksana}'),
    ('u11', 'leave', '{non-asn,pelaksana}'),
    ('u12', 'home', '{asn,pppk,pelaksana}')
) AS p (person, status, tags)
CROSS JOIN (VALUES ('2021-01-28'), ('2021-02-10')) AS days (d);

-- Thu 28 Jan:
--   leaders-in-office (all, who structural, unless over55, excused
--     leave/sick/duty): structural u1..u5 less u3 (over55) less u4 (sick)
--     = u1 u2 u5 = 3; office u1 u2 = 2; required 3; headroom -1; not ok.
--   Kukar wfo-cap <=25%: base 12 (sick u4 and leave u11 stay in), office u1
--     u2 u6 = 3 (over55 u6 counts in the cap); 300 <= 300 ok; allowed 3;
--     headroom 0.
--   67/2020 wfo-cap <=25% (zone:high): the same 3/12, allowed 3, ok, 0.
-- Wed 10 Feb (the day after Kukar's window): only 67/2020: 3/12, allowed 3,
--   ok, headroom 0.
SELECT day, unit, policy, rule, tally, quota, allowed, ok, headroom
FROM hrpolicy.compliance('2021-01-28', '2021-02-10', 'kukar')
ORDER BY day, unit, policy, rule;
--   2 of 3 structural (not over55) in office; at least 3 required by ... leaders-in-office (>=100%): short by 1
--   3 of 12 in office; at most 3 allowed by ... wfo-cap (<=25%): ok, 0 more may come in   (Kukar's, then 67/2020's)
SELECT policy, explanation
FROM hrpolicy.compliance('2021-01-28', '2021-01-28', 'kukar.bappeda')
ORDER BY policy, rule;

-- ===========================================================================
-- Seed 004, Kota Probolinggo (SE-PROBOLINGGO-060/1617/425.022/2020, 1-21 Apr
-- 2020, scope probolinggo): piket-in-office (all of the duty roster, leave,
-- sick and duty excused), top2-in-office (all of eselon II-III, likewise),
-- work-from-home none of the others (unless piket or top2; not in
-- public-service units).  National: SE-MENPANRB-34/2020 (1-21 Apr) amends
-- 19/2020 with no rules of its own and carries its top2-in-office
-- (defined_by SE-MENPANRB-19/2020); 50/2020 (22 Apr - 13 May) amends 34 and
-- carries it on.
SELECT * FROM hrpolicy.rules_in_force('2020-04-14', 'probolinggo.dlh');
SELECT * FROM hrpolicy.rules_in_force('2020-04-22', 'probolinggo.dlh');

-- probolinggo.dlh, ten people:
--            tags                       Tue 14 Apr   Wed 22 Apr
--   r1  structural eselon:2 top2       office       office
--   r2  structural eselon:3 top2       office       home
--   r3  structural eselon:3 top2       duty         duty
--   r4  structural eselon:4            office       office
--   r5  functional piket               office       office
--   r6  pelaksana piket                home         home
--   r7  pelaksana piket                sick         sick
--   r8  non-asn pelaksana              home         home
--   r9  non-asn pelaksana              home         home
--   r10 functional over55              home         home
INSERT INTO seeds.roster
SELECT 'probolinggo.dlh', d::date, person, CASE WHEN d = '2020-04-14' THEN s1 ELSE s2 END, tags
FROM (VALUES
    ('r1', 'office', 'office', '{asn,pns,structural,eselon:2,top2}'::text[]),
    ('r2', 'office', 'home', '{asn,pns,structural,eselon:3,top2}'),
    ('r3', 'duty', 'duty', '{asn,pns,structural,eselon:3,top2}'),
    ('r4', 'office', 'office', '{asn,pns,structural,eselon:4}'),
    ('r5', 'office', 'office', '{asn,pns,functional,piket}'),
    ('r6', 'home', 'home', '{asn,pns,pelaksana,piket}'),
    ('r7', 'sick', 'sick', '{asn,pns,pelaksana,piket}'),
    ('r8', 'home', 'home', '{non-asn,pelaksana}'),
    ('r9', 'home', 'home', '{non-asn,pelaksana}'),
    ('r10', 'home', 'home', '{asn,pns,functional,over55}')
) AS p (person, s1, s2, tags)
CROSS JOIN (VALUES ('2020-04-14'), ('2020-04-22')) AS days (d);

-- Tue 14 Apr:
--   34/2020 top2-in-office (from 19/2020): top2 r1 r2 r3 less r3 (duty) = 2;
--     office r1 r2 = 2; required 2; ok; headroom 0.
--   piket-in-office: piket r5 r6 r7 less r7 (sick) = 2; office r5 = 1;
--     required 2; headroom -1; not ok.
--   Probolinggo top2-in-office: as 34/2020's: 2/2, required 2, ok, 0.
--   work-from-home none, unless piket or top2: base r4 r8 r9 r10 = 4; office
--     r4 (eselon IV is not exempt) = 1; allowed 0; headroom -1; not ok.
-- Wed 22 Apr (Probolinggo's window has ended; 50/2020 carries 19/2020's rule):
--   50/2020 top2-in-office: base r1 r2 = 2 (r3 duty); office r1 = 1;
--     required 2; headroom -1; not ok.
SELECT day, unit, policy, rule, tally, quota, allowed, ok, headroom, defined_by
FROM hrpolicy.compliance('2020-04-01', '2020-04-30', 'probolinggo')
ORDER BY day, unit, policy, rule;
--   2 of 2 top2 in office; at least 2 required by SE-MENPANRB-34/2020 rule top2-in-office (>=100%, from SE-MENPANRB-19/2020): ok
--   1 of 2 piket in office; at least 2 required by ... piket-in-office (>=100%): short by 1
--   2 of 2 top2 in office; at least 2 required by ... top2-in-office (>=100%): ok
--   1 of 4 (not piket, top2) in office; at most 0 allowed by ... work-from-home (<=0): over by 1
SELECT policy, rule, explanation
FROM hrpolicy.compliance('2020-04-14', '2020-04-14', 'probolinggo.dlh')
ORDER BY policy, rule;

-- ===========================================================================
-- violations() over the whole span of the rosters, Mar 2020 - Feb 2021:
-- the rows not ok above, twelve:
--   2020-03-25 belu.bappeda        SE-BELU top2-in-office         2/3  -1
--   2020-03-25 belu.bappeda        19/2020 top2-in-office         2/3  -1
--   2020-04-14 probolinggo.dlh     PROBOLINGGO piket-in-office    1/2  -1
--   2020-04-14 probolinggo.dlh     PROBOLINGGO work-from-home     1/4  -1
--   2020-04-22 probolinggo.dlh     50/2020 top2-in-office         1/2  -1
--   2020-09-15 balikpapan.disdukcapil BALIKPAPAN closure          4/6  -4
--   2020-09-15 balikpapan.disdukcapil 67/2020 wfo-cap             4/6  -3
--   2020-10-13 balikpapan.bpkad    BALIKPAPAN closure             2/8  -2
--   2020-11-18 kupang.bkpsdm       KUPANG staff-wfo               2/6  -1
--   2020-11-18 kupang.bkpsdm       67/2020 wfo-cap                4/10 -2
--   2020-11-18 kupang.dinkes       67/2020 wfo-cap                5/6  -4
--   2021-01-28 kukar.bappeda       KUKAR leaders-in-office        2/3  -1
SELECT day, unit, policy, rule, tally, quota, allowed, headroom
FROM hrpolicy.violations('2020-03-01', '2021-02-28')
ORDER BY day, unit, policy, rule;
-- All compliance rows: Kupang section 6 (bkpsdm 1 + 3, dinkes 1, belu.bappeda
-- in Nov 1), Belu 3 (1 + 2), Balikpapan 7 (2 + 2 + 3), Kukar 4 (3 + 1),
-- Probolinggo 5 (4 + 1) = 25, of which the 12 above are not ok.
SELECT count(*) AS compliance_rows,
       count(*) FILTER (WHERE NOT ok) AS not_ok
FROM hrpolicy.compliance('2020-03-01', '2021-02-28');

-- ===========================================================================
-- conflicts().  The encoded decrees give none on these rosters:
--   Belu, March: minimums only (no cap before 5 Jun 2020).
--   Probolinggo: work-from-home (the only cap) exempts piket and top2, so
--     no row of piket-in-office's or top2-in-office's base is in its base.
--   Kupang, Balikpapan: caps only.
--   Kukar 28 Jan: leaders-in-office requires 3 (u1 u2 u5); both 25% caps
--     cover every row and allow 3 of 12: 3 > 3 is false.
SELECT * FROM hrpolicy.conflicts('2020-03-01', '2021-02-28');

-- A draft Kupang decree "all structural officials in the office" from
-- 18 Nov 2020 conflicts with the city's structural cap and the national
-- zone cap:
--   kupang.bkpsdm 18 Nov: required all of k1..k4 = 4 (nothing excused);
--     structural-wfo allows 2 of the same 4 (200 <= 200 < 300); 67/2020's
--     wfo-cap covers all 10 and allows 2.  staff-wfo exempts structural: no
--     row of the draft's base is in its base, no conflict.
--   kupang.dinkes 18 Nov: required d1 d2 = 2; the city's caps do not apply
--     (public-service); 67/2020's allows 1 of 6.
--   kupang.bkpsdm 16 Nov: the draft is not yet in force.  belu.bappeda:
--     outside the draft's scope.
BEGIN;
INSERT INTO hrpolicy.policy (code, issuer, valid, scope) VALUES
    ('DRAFT-KUPANG-STRUCTURAL', 'Wali Kota Kupang (draft)', '[2020-11-18,)', 'kupang');
INSERT INTO hrpolicy.rule (policy, name, quota, counts, who) VALUES
    ('DRAFT-KUPANG-STRUCTURAL', 'structural-in-office', 'all', '{office}', '{structural}');
SELECT day, unit, cap_policy, cap_rule, min_policy, min_rule, allowed, required
FROM hrpolicy.conflicts('2020-11-16', '2020-11-18')
ORDER BY day, unit, cap_policy, cap_rule;
-- The draft's own compliance rows: bkpsdm 2 of 4 (short by 2), dinkes 2 of 2 (ok).
SELECT day, unit, tally, quota, allowed, ok, headroom
FROM hrpolicy.compliance('2020-11-16', '2020-11-18')
WHERE policy = 'DRAFT-KUPANG-STRUCTURAL'
ORDER BY day, unit;
ROLLBACK;
SELECT count(*) AS conflicts_after_rollback FROM hrpolicy.conflicts('2020-03-01', '2021-02-28');

-- ===========================================================================
-- Revocation.  examples/ encodes none (00_national.sql only shows how), so
-- a hypothetical national circular revokes 67/2020 from Mon 1 Feb 2021.
-- 67/2020 is then in force through 31 Jan; 58/2020, which 67/2020 amended,
-- stays ended (its amender began on 4 Sep 2020) and does not come back.
BEGIN;
INSERT INTO hrpolicy.policy (code, issuer, valid, revokes) VALUES
    ('TEST-REVOKES-67/2020', 'Menteri PAN-RB (hypothetical)', '[2021-02-01,)', '{SE-MENPANRB-67/2020}');
-- The national windows that meet Jan-Feb 2021 (19..57/2020 ended in 2020):
--   58/2020  valid [2020-06-05,)  in force [2020-06-05,2020-09-03], ended by 67/2020 (unchanged)
--   67/2020  valid [2020-09-04,)  in force [2020-09-04,2021-01-31], ended by the revoker
--   TEST-REVOKES-67/2020  [2021-02-01,), in force [2021-02-01,)
SELECT policy, valid, in_force, ended_by
FROM hrpolicy.policy_windows('2021-01-01', '2021-02-28')
WHERE policy LIKE 'SE-MENPANRB-%' OR policy LIKE 'TEST-%'
ORDER BY policy;
-- kukar.bappeda on Sun 31 Jan: Kukar's two rules and 67/2020's zone:high
-- cap; on Mon 1 Feb: Kukar's two rules only.
SELECT * FROM hrpolicy.rules_in_force('2021-01-31', 'kukar.bappeda');
SELECT * FROM hrpolicy.rules_in_force('2021-02-01', 'kukar.bappeda');
-- The roster: 28 Jan unchanged (3 rows, as above); 10 Feb had only
-- 67/2020's row and now has none.
SELECT day, unit, policy, rule, tally, allowed, ok
FROM hrpolicy.compliance('2021-01-28', '2021-02-10', 'kukar')
ORDER BY day, unit, policy, rule;
-- Kupang on 18 Nov 2020 is before the revoker: 67/2020 still applies (2 rows there).
SELECT count(*) AS kupang_67_rows
FROM hrpolicy.compliance('2020-11-18', '2020-11-18', 'kupang')
WHERE policy = 'SE-MENPANRB-67/2020';
ROLLBACK;

-- ---------------------------------------------------------------------------
DELETE FROM hrpolicy.circumstance;
DELETE FROM hrpolicy.policy;
DELETE FROM hrpolicy.roster_source;
DROP SCHEMA seeds CASCADE;
