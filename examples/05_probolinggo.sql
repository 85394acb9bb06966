-- Kota Probolinggo (Jawa Timur), April 2020: seed 004, Radar Bromo,
-- "ASN Pemkot Probolinggo Mulai Work From Home" (Probolinggo city's civil
-- servants begin working from home).
--
-- Scope: probolinggo.  Load after 00_national.sql (34/2020, the extension of
-- 19/2020, applies beside it).  Public-service units are in
-- 06_circumstances.sql; the piket roster is the tag piket of the roster.

BEGIN;

-- "Kebijakan itu tertuang dalam Surat Edaran (SE) Wali Kota Probolinggo
--  bernomor 060/1617/425.022/2020 tentang penyesuaian sistem kerja ASN dan
--  Non-ASN dalam upaya pencegahan penyebaran Covid-19 di lingkungan Pemkot
--  Probolinggo. Dalam SE itu dijelaskan, mulai 1-21 April, ASN dan non-ASN
--  bisa bekerja di rumah."
-- (The policy is set out in circular 060/1617/425.022/2020 of the Mayor of
--  Probolinggo on adjusting the work system of ASN and non-ASN staff; from 1
--  to 21 April, ASN and non-ASN staff can work from home.)
-- The signature date is not reported.
INSERT INTO hrpolicy.policy (code, title, issuer, issued_on, valid, scope, note) VALUES
    ('SE-PROBOLINGGO-060/1617/425.022/2020',
     'Penyesuaian Sistem Kerja ASN dan Non-ASN dalam Upaya Pencegahan Penyebaran Covid-19 di Lingkungan Pemerintah Kota Probolinggo',
     'Wali Kota Probolinggo', NULL, '[2020-04-01,2020-04-21]', 'probolinggo',
     'WFH for ASN and non-ASN 1-21 April 2020 except the piket roster; eselon II and III come in; public-service units keep serving');

INSERT INTO hrpolicy.rule (policy, name, quota, counts, who, unless, excused, only_when) VALUES
-- "ASN dan Non-ASN dapat melakukan tugas kedinasan di rumah masing-masing,
--  kecuali bagi yang mendapatkan jadwal piket."
-- (ASN and non-ASN staff may do their duties at home, except those given a
--  piket (duty roster) slot.)
-- Reading: the people on the roster that day are in the office; leave,
-- sickness and official duty elsewhere excuse them.
    ('SE-PROBOLINGGO-060/1617/425.022/2020', 'piket-in-office', 'all', '{office}', '{piket}', '{}', '{leave,sick,duty}', NULL),

-- "Selain itu, bagi eselon II dan III diminta tetap masuk. Jadi, tidak
--  semuanya yang WFH (work from home)."
-- (Besides, eselon II and III are asked to keep coming in.  So not everyone
--  works from home.)
    ('SE-PROBOLINGGO-060/1617/425.022/2020', 'top2-in-office', 'all', '{office}', '{top2}', '{}', '{leave,sick,duty}', NULL),

-- "Mereka diminta bekerja di rumah." (They are asked to work at home.)
-- "Namun, jika ada tugas yang mendesak dan harus dikerjakan di kantor, maka
--  petugas tersebut diperkenankan ke kantor."
-- (But if an urgent task must be done at the office, that person may come.)
-- "bagi unit kerja yang bertugas di pelayanan publik tetap bertugas"
-- (units working in public service keep working)
-- Reading: everyone else, neither on the roster nor eselon II/III, works
-- from home: none of them in the office, outside public-service units.  The
-- urgent-task exception is decided case by case: the DBA records a person
-- called in for an urgent task on that day's duty roster, so the roster says
-- why they came (they then fall under piket-in-office instead).  Eselon IV
-- officials are not named by the circular and work from home like staff.
    ('SE-PROBOLINGGO-060/1617/425.022/2020', 'work-from-home', 'none', '{office}', '{}', '{piket,top2}', '{}', '!public-service');

-- Not encoded: attendance through the SIAP Mobile app, staying at home in
-- working hours, no cut in allowances (TPP): not attendance quotas.

COMMIT;
