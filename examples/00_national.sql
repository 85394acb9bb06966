-- The national chain: circulars (Surat Edaran) of the Minister for
-- Administrative and Bureaucratic Reform (Menteri PAN-RB) on the work system
-- of civil servants (ASN) during Covid-19, 2020.  Scope NULL: every unit of
-- every government.  The local decrees in 01..05 follow them; both apply.
--
-- Load after CREATE EXTENSION hrpolicy, before the other examples:
--   psql -f examples/00_national.sql
--
-- Source: DOMAIN.md ("The national chain they follow", from news reports of
-- the texts), not the circulars themselves.  Dates we could not confirm are
-- left NULL (issued_on) or marked in the note.

BEGIN;

-- ---------------------------------------------------------------------------
-- SE MenPAN-RB 19/2020 (16 March 2020): civil servants may work from home
-- until 31 March 2020, to be evaluated; each agency keeps its two highest
-- structural levels in the office.  The local decrees repeat its wording, as
-- Belu's does (seed 001): "pimpinan OPD harus memastikan terdapat minimal dua
-- level pejabat struktural tertinggi untuk tetap melaksanakan tugasnya di
-- kantor" (heads of agencies must make sure that at least the two highest
-- levels of structural officials keep working at the office).
INSERT INTO hrpolicy.policy (code, title, issuer, issued_on, valid, scope, note) VALUES
    ('SE-MENPANRB-19/2020',
     'Penyesuaian Sistem Kerja Aparatur Sipil Negara dalam Upaya Pencegahan Penyebaran COVID-19 di Lingkungan Instansi Pemerintah',
     'Menteri PAN-RB', '2020-03-16', '[2020-03-16,2020-03-31]', NULL,
     'WFH until 31 March 2020, to be evaluated; the two highest structural levels stay in the office');

-- "at least the two highest structural levels in the office": we read it as
-- every official of those levels (eselon II and III, tag top2) in the office,
-- except those on leave, sick or on official duty elsewhere (they leave the
-- base).  The reading "at least one official of each level" cannot be
-- checked per level with one rule; it is weaker than ours.
INSERT INTO hrpolicy.rule (policy, name, quota, counts, who, unless, excused, only_when) VALUES
    ('SE-MENPANRB-19/2020', 'top2-in-office', 'all', '{office}', '{top2}', '{}', '{leave,sick,duty}', NULL);

-- ---------------------------------------------------------------------------
-- The extensions.  Each circular extends the previous one to a new last day
-- and changes nothing else, so each is encoded as amending the previous one
-- with no rules of its own: it carries 19/2020's rule (rules_in_force shows
-- defined_by SE-MENPANRB-19/2020) and takes over on its own first day.
-- (Officially 50/2020 and later are "perubahan kedua/ketiga/keempat atas SE
-- 19/2020", second, third, fourth amendments of 19/2020 itself; chaining
-- them gives the same rules on every day.)

-- 34/2020: extends 19/2020 to 21 April 2020.
INSERT INTO hrpolicy.policy (code, title, issuer, issued_on, valid, scope, amends, note) VALUES
    ('SE-MENPANRB-34/2020',
     'Perubahan atas SE Menteri PAN-RB Nomor 19 Tahun 2020',
     'Menteri PAN-RB', '2020-03-30', '[2020-04-01,2020-04-21]', NULL, '{SE-MENPANRB-19/2020}',
     'extends 19/2020 to 21 April 2020');

-- 50/2020: to 13 May 2020.
INSERT INTO hrpolicy.policy (code, title, issuer, issued_on, valid, scope, amends, note) VALUES
    ('SE-MENPANRB-50/2020',
     'Perubahan Kedua atas SE Menteri PAN-RB Nomor 19 Tahun 2020',
     'Menteri PAN-RB', NULL, '[2020-04-22,2020-05-13]', NULL, '{SE-MENPANRB-34/2020}',
     'extends 19/2020 to 13 May 2020 (date of signature not in our sources)');

-- 54/2020: to 29 May 2020.
INSERT INTO hrpolicy.policy (code, title, issuer, issued_on, valid, scope, amends, note) VALUES
    ('SE-MENPANRB-54/2020',
     'Perubahan Ketiga atas SE Menteri PAN-RB Nomor 19 Tahun 2020',
     'Menteri PAN-RB', NULL, '[2020-05-14,2020-05-29]', NULL, '{SE-MENPANRB-50/2020}',
     'extends 19/2020 to 29 May 2020 (date of signature not in our sources)');

-- 57/2020: to 4 June 2020, the day before the new normal.
INSERT INTO hrpolicy.policy (code, title, issuer, issued_on, valid, scope, amends, note) VALUES
    ('SE-MENPANRB-57/2020',
     'Perubahan Keempat atas SE Menteri PAN-RB Nomor 19 Tahun 2020',
     'Menteri PAN-RB', '2020-05-28', '[2020-05-30,2020-06-04]', NULL, '{SE-MENPANRB-54/2020}',
     'extends 19/2020 to 4 June 2020');

-- ---------------------------------------------------------------------------
-- SE MenPAN-RB 58/2020 (29 May 2020, in force 5 June 2020): the "new normal"
-- work system (Sistem Kerja Pegawai ASN dalam Tatanan Normal Baru): flexible
-- work from office or home; a cap of 50% of each unit in the office was
-- reported.  No last day: it runs until amended or revoked.
--
-- Not encoded: 58/2020 leaves 57/2020 nothing to do (57 ends 4 June, 58
-- begins 5 June); one report says 58 declared 57 no longer in force.  Adding
-- revokes => '{SE-MENPANRB-57/2020}' would change no day.
INSERT INTO hrpolicy.policy (code, title, issuer, issued_on, valid, scope, note) VALUES
    ('SE-MENPANRB-58/2020',
     'Sistem Kerja Pegawai Aparatur Sipil Negara dalam Tatanan Normal Baru',
     'Menteri PAN-RB', '2020-05-29', '[2020-06-05,)', NULL,
     'new normal: flexible WFO/WFH; at most 50% of a unit in the office (as reported)');

-- The cap counts everyone on the unit's roster: "of all staff of the unit".
-- The reports give no exemption for public-service units, so it covers them.
INSERT INTO hrpolicy.rule (policy, name, quota, counts, who, unless, excused, only_when) VALUES
    ('SE-MENPANRB-58/2020', 'wfo-cap', '<=50%', '{office}', '{}', '{}', '{}', NULL);

-- ---------------------------------------------------------------------------
-- SE MenPAN-RB 67/2020 (4 September 2020) amends 58/2020; the two stay in
-- force as one.  The cap depends on the risk zone of the city or regency
-- that day, as reported: "instansi pemerintah yang berada pada zona
-- kabupaten/kota berkategori tidak terdampak/tidak ada kasus, PPK dapat
-- mengatur jumlah pegawai yang melaksanakan tugas kedinasan di kantor (WFO)
-- paling banyak 100%" (agencies in a regency or city with no cases may have
-- at most 100% of staff working at the office), "risiko rendah ... paling
-- banyak 75%" (low risk: at most 75%), "risiko sedang ... paling banyak 50%"
-- (medium: at most 50%), "risiko tinggi ... paling banyak 25%" (high: at
-- most 25%), "pada unit kerja yang bersangkutan" (in the unit concerned).
--
-- Same rule name as 58/2020's cap: the four zone variants replace it from
-- 4 September.  A unit with no zone circumstance that day has no cap from
-- this decree: record the zones (examples/06_circumstances.sql).
INSERT INTO hrpolicy.policy (code, title, issuer, issued_on, valid, scope, amends, note) VALUES
    ('SE-MENPANRB-67/2020',
     'Perubahan atas SE Menteri PAN-RB Nomor 58 Tahun 2020 tentang Sistem Kerja Pegawai ASN dalam Tatanan Normal Baru',
     'Menteri PAN-RB', '2020-09-04', '[2020-09-04,)', NULL, '{SE-MENPANRB-58/2020}',
     'WFO cap per unit by the risk zone of the city or regency: no cases 100%, low 75%, medium 50%, high 25%');

INSERT INTO hrpolicy.rule (policy, name, quota, counts, who, unless, excused, only_when) VALUES
    ('SE-MENPANRB-67/2020', 'wfo-cap', '<=100%', '{office}', '{}', '{}', '{}', 'zone:no-cases'),
    ('SE-MENPANRB-67/2020', 'wfo-cap', '<=75%',  '{office}', '{}', '{}', '{}', 'zone:low'),
    ('SE-MENPANRB-67/2020', 'wfo-cap', '<=50%',  '{office}', '{}', '{}', '{}', 'zone:medium'),
    ('SE-MENPANRB-67/2020', 'wfo-cap', '<=25%',  '{office}', '{}', '{}', '{}', 'zone:high');

-- ---------------------------------------------------------------------------
-- Later (2021-2022, PPKM levels) the ministry replaced the zone system with
-- caps by PPKM level (SE 23/2021 and its amendments up to SE 06/2022), and
-- later decrees revoke earlier ones by number.  Which circular first
-- revoked 67/2020 by number is not in our sources, so it is not loaded.  A
-- revocation is written like this (the decree ends the day before the
-- revoker's first day):
--
--   INSERT INTO hrpolicy.policy (code, issuer, valid, revokes)
--   VALUES ('SE-MENPANRB-NN/2021', 'Menteri PAN-RB', '[2021-MM-DD,)', '{SE-MENPANRB-67/2020}');

COMMIT;
