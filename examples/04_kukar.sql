-- Kabupaten Kutai Kartanegara (Kalimantan Timur), January 2021: seed 003,
-- SELASAR.CO, "WFH di Kukar Mulai Diberlakukan 27 Januari, Begini Aturan
-- Mainnya" (WFH in Kukar starts 27 January: the rules).
--
-- Scope: kukar.  Load after 00_national.sql (67/2020 applies beside it).
-- Public-service units are in 06_circumstances.sql.

BEGIN;

-- "Pemkab Kutai Kartanegara (Kukar) mengeluarkan surat edaran Nomor
--  B-104/BKPSDM/065.11/01/2021 tentang evaluasi dan penyesuaian sistem kerja
--  Aparatur Sipil Negara (ASN) dan non-ASN dalam upaya pencegahan penyebaran
--  Covid-19 di lingkungan pemerintahan Kukar."
-- (Kukar regency issued circular B-104/BKPSDM/065.11/01/2021 on evaluating
--  and adjusting the work system of civil servants and non-ASN staff.)
-- "Pelaksanaan bekerja dari rumah atau WFH diberlakukan mulai Rabu
--  (27/1/2021) hingga (9/2/2021) dan akan dilakukan evaluasi serta
--  penyesuaian lebih lanjut."
-- (Work from home applies from Wednesday 27 January 2021 to 9 February 2021,
--  to be evaluated and adjusted further.)
-- The signature date is not reported.
INSERT INTO hrpolicy.policy (code, title, issuer, issued_on, valid, scope, note) VALUES
    ('SE-KUKAR-B-104/BKPSDM/065.11/01/2021',
     'Evaluasi dan Penyesuaian Sistem Kerja ASN dan Non-ASN dalam Upaya Pencegahan Penyebaran Covid-19 di Lingkungan Pemerintah Kabupaten Kutai Kartanegara',
     'Bupati Kutai Kartanegara (BKPSDM)', NULL, '[2021-01-27,2021-02-09]', 'kukar',
     '75% WFH, 25% WFO; over 55 not required in the office; eselon II-IV in good health in the office; public-service units by need; follows Inmendagri 1/2021 and 2/2021 (PPKM)');

INSERT INTO hrpolicy.rule (policy, name, quota, counts, who, unless, excused, only_when) VALUES
-- "setiap Organisasi Perangkat Daerah (OPD) melakukan penyesuaian sistem
--  kerja bagi ASN dan non-ASN, dengan pemberlakukan sistem kerja 75 persen
--  bekerja dari rumah atau Work From Home (WFH) dan 25 persen bekerja di
--  kantor atau Work From Office (WFO)."
-- (Every agency adjusts the work system of ASN and non-ASN staff: 75 percent
--  work from home and 25 percent work at the office.)
-- Reading: at most 25% of everyone on the unit's roster in the office (the
-- 75% WFH is its other side, not a separate rule).  Structural officials
-- count in it too; the leaders' duty below fits within it only where the
-- officials under 55 are at most a quarter of the unit's roster: true of the
-- OPDs of the sample (about 10 of 100+ staff), not of a small UPTD whose head
-- is one of three people, where hrpolicy.conflicts() reports the two rules
-- as impossible to keep together.
-- "Jika dalam keadaan tertentu, atasan juga dapat langsung menghadirkan staf
--  untuk kepentingan tugas." (In some cases a superior may call staff in for
--  a task.)  Read as within the 25%.
-- "perangkat daerah yang melakukan pelayanan terhadap masyarakat agar dapat
--  mengatur ASN dan non-ASN yang melaksanakan tugas di kantor sesuai
--  kebutuhan dan prioritas"
-- (agencies serving the public may arrange the staff working at the office
--  by need and priority)  Read as an exemption from the 25%: the cap holds
--  only where no circumstance public-service covers the unit.
    ('SE-KUKAR-B-104/BKPSDM/065.11/01/2021', 'wfo-cap', '<=25%', '{office}', '{}', '{}', '{}', '!public-service'),

-- "Pejabat pimpinan, administrator, dan pengawas yang dalam kondisi sehat
--  tetap bekerja di kantor dengan jam kerja sesuai dengan ketentuan"
-- (Senior leaders, administrators and supervisors in good health keep
--  working at the office in regular hours)
-- Pejabat pimpinan (tinggi pratama), administrator and pengawas are eselon
-- II, III and IV: every structural official.  "In good health": the sick
-- leave the base; so do those on leave or on official duty elsewhere.
-- "ASN dan non-ASN yang berusia di atas 55 tahun tidak diwajibkan bekerja di
--  kantor (WFO), kecuali dalam keadaan sehat dan sangat diperlukan."
-- (ASN and non-ASN staff over 55 are not required to work at the office,
--  unless healthy and much needed.)
-- Officials over 55 (tag over55: strictly older than 55 that day) are left
-- out of the duty; they may still come in, and count in the 25% if they do.
-- Applies in public-service units too: the exemption there is from the cap.
    ('SE-KUKAR-B-104/BKPSDM/065.11/01/2021', 'leaders-in-office', 'all', '{office}', '{structural}', '{over55}', '{leave,sick,duty}', NULL);

-- Not encoded: reporting duties of those at home, the ban on leaving home
-- in working hours, meetings and shared meals: not attendance quotas.

COMMIT;
