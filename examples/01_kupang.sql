-- Kota Kupang (Nusa Tenggara Timur), November 2020: seed 000, POS-KUPANG.COM,
-- "Sekitar 50 persen Pejabat Eselon II di Pemerintah Kota Kupang Kerja dari
-- Rumah" (about 50% of eselon II officials of Kupang city work from home).
--
-- Scope: kupang (the whole city government).  Load after 00_national.sql;
-- the zone and the units serving the public are in 06_circumstances.sql.

BEGIN;

-- "menindaklanjuti SE Men PAN RB No. 67 Tahun 2020 tentang perubahan atas SE
--  No. 58 Tahun 2020 ... maka perlu dilakukan Penyesuaian Sistem Kerja ASN di
--  Pemerintah Kupang"
-- (following up SE MenPAN-RB 67/2020, which amends SE 58/2020, the work
--  system of civil servants of Kupang city must be adjusted)
-- "kata Wakil Wali Kota Kupang, Herman Man, ... Selasa (17/11/2020)"
-- (said the deputy mayor on Tuesday 17 November 2020)
--
-- The report gives no number for the city's circular and no last day: the
-- code is made from the date it was announced, and the window runs from that
-- day until changed.  It does not amend 67/2020: it follows it, and both
-- apply (67/2020's zone cap and the city's caps are all checked).
INSERT INTO hrpolicy.policy (code, title, issuer, issued_on, valid, scope, note) VALUES
    ('SE-KUPANG-2020-11-17',
     'Penyesuaian Sistem Kerja ASN di Lingkungan Pemerintah Kota Kupang',
     'Wali Kota Kupang', '2020-11-17', '[2020-11-17,)', 'kupang',
     'number not reported; announced 17 Nov 2020 following SE MenPAN-RB 67/2020 and Satgas letter SATGAS.1162/XI/2020; zona coklat (very high risk)');

INSERT INTO hrpolicy.rule (policy, name, quota, counts, who, unless, excused, only_when) VALUES
-- "pimpinan Perangkat Daerah dapat mengatur jumlah staf yang melaksanakan
--  tugas kedinasan di Kantor (WFO) paling banyak 25%"
-- (heads of agencies may have at most 25% of staff working at the office)
-- "Dalan WFH ... dijalankan oleh ASN dan seluruh PTT" (WFH applies to civil
--  servants and all contract staff)
-- Reading: the sentence sets "staf" apart from "pejabat struktural", so the
-- 25% is of the unit's staff who are not structural officials, civil
-- servants and non-ASN alike.  (67/2020's high-zone cap of 25% of the whole
-- unit applies beside it.)
    ('SE-KUPANG-2020-11-17', 'staff-wfo', '<=25%', '{office}', '{}', '{structural}', '{}', '!public-service'),

-- "... dan jumlah pejabat struktural paling banyak 50%"
-- (and at most 50% of the structural officials)
    ('SE-KUPANG-2020-11-17', 'structural-wfo', '<=50%', '{office}', '{structural}', '{}', '{}', '!public-service');

-- Not encoded as rules, and why:
--
-- "penentuan ASN (PNS + PTT) yang melaksanakan tugas kedinasan di rumah (WFH)
--  paling banyak 75%"
-- (civil servants and contract staff working from home: at most 75%)
--   Read as the other side of the 25% office cap (75% WFH, 25% WFO), not as a
--   second cap on status home: taken literally it would force a unit of 7
--   with 1 in the office (the most 25% admits) to have someone absent, which
--   no one intended.  Encoding it literally would be:
--   ('SE-KUPANG-2020-11-17', 'wfh-cap', '<=75%', '{home}', '{}', '{}', '{}', '!public-service')
--
-- "Kalau awal seluruh pejabat eselon dua wajib masuk, sekarang hanya 50 persen"
-- (at first every eselon II official had to come in; now only 50 percent)
--   A city-wide half of the agency heads.  Each OPD has one eselon II head,
--   so a per-unit rule would read "at most 0 of 1" or "at least 1 of 1":
--   neither is what was said.  The per-unit rule that covers eselon II is
--   structural-wfo above.
--
-- "Penyesuaian sistem kerja pada Dinas Kesehatan dilaksanakan oleh Kadis
--  dengan memerhatikan kebutuhan kerja dalam pelaksanaan Tupoksi setiap hari"
-- (at the Health Office the head of the office arranges the work system by
--  the daily needs of its duties)
-- "pembagian jadwal kerja bagi Perangkat Daerah yang melaksanakan pelayanan
--  publik disesuaikan dengan ketentuan perundang-undangan di Bidang"
-- (agencies that serve the public schedule work by the laws of their field)
--   Both take the unit out of the city's caps: the rules above hold only
--   where no circumstance public-service covers the unit, and
--   06_circumstances.sql marks kupang.dinkes (with its puskesmas),
--   kupang.disdukcapil and kupang.dpmptsp.  The national zone cap still
--   applies to them.
--
-- "Status penyebaran Covid-19 Kota Kupang berada pada zona coklat dengan
--  risiko sangat tinggi" (Kupang is in the brown zone, very high risk)
--   A fact, not a rule: circumstance zone:high on kupang from 17 Nov 2020
--   (06_circumstances.sql), which switches on 67/2020's 25% cap.

COMMIT;
