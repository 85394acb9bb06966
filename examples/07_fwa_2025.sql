-- Flexible work of civil servants, 2025: Peraturan Menteri PAN-RB No. 4
-- Tahun 2025 tentang Pelaksanaan Tugas Kedinasan Pegawai Aparatur Sipil
-- Negara secara Fleksibel pada Instansi Pemerintah (in force since 21 April
-- 2025, every civil servant in the country), and one city government's
-- stricter policy beside it.  Person-period rules: each is checked for each
-- person and each ISO week (Monday to Sunday), not for a unit's heads.
--
-- Load after 00..06: the pandemic circulars of 2020-21 end first.

BEGIN;

-- The circulars of 2020-21 had no last day ("until changed").  The
-- President ended the COVID-19 pandemic status with Keputusan Presiden
-- No. 17 Tahun 2023 (21 June 2023); the work-system circulars made for it
-- are read as ending that day.  A decree with no rules that revokes them.
INSERT INTO hrpolicy.policy (code, title, issuer, issued_on, valid, scope, revokes, note) VALUES
    ('KEPPRES-17/2023',
     'Penetapan Berakhirnya Status Pandemi Corona Virus Disease 2019 (COVID-19) di Indonesia',
     'Presiden Republik Indonesia', '2023-06-21', '[2023-06-21,)', NULL,
     '{SE-MENPANRB-67/2020,SE-KUPANG-2020-11-17,SE-BELU-870/278/III/2020,SE-BALIKPAPAN-800/373/Org,SE-BALIKPAPAN-800/0437/Org,SE-KUKAR-B-104/BKPSDM/065.11/01/2021,SE-PROBOLINGGO-060/1617/425.022/2020}',
     'ends the pandemic status; the pandemic work-system circulars are read as ending with it');

-- "Pegawai ASN dapat melaksanakan tugas kedinasan secara fleksibel secara
--  lokasi ... paling banyak 2 (dua) hari kerja dalam 1 (satu) minggu"
-- (an ASN may work flexibly as to location, at most 2 working days a week)
-- Reading: the days away from the office are the roster's "home" (WFH) and
-- "anywhere"; leave, sick leave and official duty away (dinas luar) are no
-- flexible work and leave the base; ASN only (PNS and PPPK, not non-ASN).
INSERT INTO hrpolicy.policy (code, title, issuer, issued_on, valid, scope, note) VALUES
    ('PermenPANRB-4/2025',
     'Pelaksanaan Tugas Kedinasan Pegawai ASN secara Fleksibel pada Instansi Pemerintah',
     'Menteri PAN-RB', '2025-04-21', '[2025-04-21,)', NULL,
     'flexible work arrangements (FWA): location and time; location at most 2 working days a week');
INSERT INTO hrpolicy.rule (policy, name, quota, counts, who, excused, per) VALUES
    ('PermenPANRB-4/2025', 'fwa-location', '<=2', '{home,anywhere}', '{asn}',
     '{leave,sick,duty}', 'person-week');

-- A city's own policy under the regulation (illustrative: the news reports
-- of the seeds stop in 2021): in Kota Kupang the structural officials
-- (pejabat struktural) work away from the office at most 1 day a week, and
-- every civil servant is in the office at least 3 working days a week
-- (the regulation's 2 days, written as the minimum an agency announces).
INSERT INTO hrpolicy.policy (code, title, issuer, issued_on, valid, scope, note) VALUES
    ('PERWALI-KUPANG-FWA/2025',
     'Pelaksanaan Fleksibilitas Kerja ASN di Lingkungan Pemerintah Kota Kupang',
     'Wali Kota Kupang', '2025-04-28', '[2025-05-05,)', 'kupang',
     'illustrative: stricter for structural officials; at least 3 office days a week');
INSERT INTO hrpolicy.rule (policy, name, quota, counts, who, excused, per) VALUES
    ('PERWALI-KUPANG-FWA/2025', 'structural-away', '<=1', '{home,anywhere}', '{structural}',
     '{leave,sick,duty}', 'person-week'),
    ('PERWALI-KUPANG-FWA/2025', 'office-days', '>=3', '{office}', '{asn}',
     '{leave,sick,duty}', 'person-week');

-- And a unit-day cap that cannot be kept beside it: while its building is
-- renovated (12-23 May 2025), Kupang's BKPSDM may seat at most 40% of its
-- staff a day.  40% of the heads over 5 days is 2 office days a person on
-- average, less than the 3 the city requires: capacity_conflicts() says so.
INSERT INTO hrpolicy.policy (code, title, issuer, issued_on, valid, scope, note) VALUES
    ('SE-BKPSDM-KUPANG-RENOVASI/2025',
     'Pengaturan Tempat Kerja selama Renovasi Gedung BKPSDM',
     'Kepala BKPSDM Kota Kupang', '2025-05-09', '[2025-05-12,2025-05-23]', 'kupang.bkpsdm',
     'illustrative: seats for 40% of the staff while the building is renovated');
INSERT INTO hrpolicy.rule (policy, name, quota, counts, per) VALUES
    ('SE-BKPSDM-KUPANG-RENOVASI/2025', 'seats', '<=40%', '{office}', 'unit-day');

COMMIT;
