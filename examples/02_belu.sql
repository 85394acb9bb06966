-- Kabupaten Belu (Nusa Tenggara Timur), March 2020: seed 001, POS-KUPANG.COM,
-- "Pemkab Belu Sudah Terapkan Work From Home Bagi ASN" (Belu regency has
-- begun work from home for its civil servants).
--
-- Scope: belu.  Load after 00_national.sql (SE MenPAN-RB 19/2020, which this
-- circular follows, applies beside it).

BEGIN;

-- "Kebijakan ini tertuang dalam Surat Edaran Bupati Belu Nomor BKPSMD
--  870/278/III/2020 yang ditandatangani Wabup Belu, JT. Ose Luan tanggal 20
--  Maret 2020 tentang Penyesuaian Sistem Kerja ASN Dalam Upaya Pencegahan
--  Penyebaran Corona Virus di Lingkup Instansi Pemerintah."
-- (The policy is set out in circular 870/278/III/2020 of the Regent of Belu,
--  BKPSMD, signed by the deputy regent JT. Ose Luan on 20 March 2020, on
--  adjusting the work system of civil servants to prevent the spread of the
--  corona virus in government agencies.)
-- "menerapkan sistem kerja di rumah/tempat tinggal (work from home) bagi
--  Aparatur Sipil Negara (ASN) di lingkup Pemkab Belu terhitung 24 Maret
--  sampai dengan 31 Maret 2020. Kebijakan ini akan dievaluasi lebih lanjut"
-- (work from home for the regency's civil servants from 24 March up to and
--  including 31 March 2020; the policy will be evaluated further)
INSERT INTO hrpolicy.policy (code, title, issuer, issued_on, valid, scope, note) VALUES
    ('SE-BELU-870/278/III/2020',
     'Penyesuaian Sistem Kerja ASN Dalam Upaya Pencegahan Penyebaran Corona Virus di Lingkup Instansi Pemerintah',
     'Bupati Belu (BKPSMD)', '2020-03-20', '[2020-03-24,2020-03-31]', 'belu',
     'WFH for ASN 24-31 March 2020, to be evaluated; the two highest structural levels stay in the office');

-- "ASN dapat menjalankan tugas kedinasan dengan bekerja di rumah ... Namun
--  pimpinan OPD harus memastikan terdapat minimal dua level pejabat
--  struktural tertinggi untuk tetap melaksanakan tugasnya di kantor, agar
--  pelayanan pemerintahan dan masyarakat tidak terhambat."
-- (Civil servants may do their duties working from home ... But heads of
--  agencies must make sure that at least the two highest levels of
--  structural officials keep working at the office, so that government and
--  public services are not held up.)
--
-- Reading: every official of the two highest levels of the OPD (eselon II
-- and III: tag top2) is in the office, "at least" meaning the OPD may keep
-- more.  Leave, sickness and official duty elsewhere excuse a person: they
-- leave the base.  Working from home is a permission ("dapat", may), not a
-- duty, so there is no cap on the others.  A UPTD has no top2 rows and
-- nothing to check.
INSERT INTO hrpolicy.rule (policy, name, quota, counts, who, unless, excused, only_when) VALUES
    ('SE-BELU-870/278/III/2020', 'top2-in-office', 'all', '{office}', '{top2}', '{}', '{leave,sick,duty}', NULL);

-- Not encoded: "Pimpinan OPD juga diminta untuk menunda perjalanan dinas
-- keluar daerah NTT" (heads of agencies are asked to postpone official
-- travel outside NTT): the roster does not say where an official on duty
-- went.  "Seluruh penyelenggaran tatap muka yang menghadirkan banyak peserta
-- ... ditunda atau dibatalkan" (large face-to-face meetings are postponed
-- or cancelled): not about attendance.

COMMIT;
