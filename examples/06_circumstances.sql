-- Circumstances: the facts about units that switch conditional rules on or
-- off (only_when): risk zones (SE MenPAN-RB 67/2020), units that serve the
-- public (exempt from the local caps of Kupang, Balikpapan, Kukar and
-- Probolinggo), and Balikpapan's closures after a positive case.
--
-- They describe the sample database (demo/sample_hr.sql), which shaped its
-- attendance by the same facts: keep the two in step.  Where a seed states
-- the fact it is quoted; the rest are the sample's assumptions.
--
-- Load after 00..05 (or before: circumstances reference no decree).

BEGIN;

-- ---------------------------------------------------------------------------
-- Risk zones of each city or regency, from SE MenPAN-RB 67/2020 (4 Sep 2020)
-- on.  Labels zone:no-cases, zone:low, zone:medium, zone:high match the
-- only_when of 67/2020's four wfo-cap rules.  The last window of each
-- government is open: the zone holds until a new row says otherwise.
INSERT INTO hrpolicy.circumstance (scope, valid, label, note) VALUES
    -- Seed 000: "Status penyebaran Covid-19 Kota Kupang berada pada zona
    -- coklat dengan risiko sangat tinggi" (Kupang is in the brown zone, very
    -- high risk), reported 17 Nov 2020.  The brown zone is above the
    -- national high category; 67/2020 has nothing stricter, so zone:high.
    ('kupang', '[2020-09-04,2020-11-16]', 'zone:medium', 'sample assumption'),
    ('kupang', '[2020-11-17,)', 'zone:high', 'zona coklat, very high risk (seed 000, 17 Nov 2020)'),
    -- The other zones are the sample's assumptions.
    ('belu', '[2020-09-04,2020-10-31]', 'zone:no-cases', 'sample assumption'),
    ('belu', '[2020-11-01,2020-12-31]', 'zone:low', 'sample assumption'),
    ('belu', '[2021-01-01,)', 'zone:medium', 'sample assumption'),
    ('balikpapan', '[2020-09-04,2020-10-31]', 'zone:high', 'sample assumption'),
    ('balikpapan', '[2020-11-01,2020-12-31]', 'zone:low', 'sample assumption'),
    ('balikpapan', '[2021-01-01,)', 'zone:high', 'sample assumption'),
    ('kukar', '[2020-09-04,2021-01-10]', 'zone:medium', 'sample assumption'),
    ('kukar', '[2021-01-11,)', 'zone:high', 'sample assumption (PPKM from January 2021, seed 003)'),
    ('probolinggo', '[2020-09-04,2020-10-31]', 'zone:medium', 'sample assumption'),
    ('probolinggo', '[2020-11-01,2020-12-31]', 'zone:low', 'sample assumption'),
    ('probolinggo', '[2021-01-01,)', 'zone:medium', 'sample assumption');

-- ---------------------------------------------------------------------------
-- Units that serve the public directly: civil registration (Disdukcapil),
-- the one-stop licensing office (DPMPTSP), the puskesmas.  A standing fact,
-- open-ended.  Rules that exempt them say only_when '!public-service'.
INSERT INTO hrpolicy.circumstance (scope, valid, label, note) VALUES
    -- Seed 000 (Kupang): "Penyesuaian sistem kerja pada Dinas Kesehatan
    -- dilaksanakan oleh Kadis dengan memerhatikan kebutuhan kerja" (at the
    -- Health Office the head arranges the work system by need) and
    -- "Perangkat Daerah yang melaksanakan pelayanan publik" (agencies that
    -- serve the public) follow the laws of their field.  Both are out of the
    -- city's caps; the whole Dinas Kesehatan, puskesmas included, is marked.
    ('kupang.dinkes', '[2020-01-01,)', 'public-service', 'Dinas Kesehatan arranges its own work (seed 000)'),
    ('kupang.disdukcapil', '[2020-01-01,)', 'public-service', 'civil registration counters'),
    ('kupang.dpmptsp', '[2020-01-01,)', 'public-service', 'one-stop licensing counters'),
    -- Belu's circular has no public-service exemption; the facts are
    -- recorded all the same.
    ('belu.dinkes.puskesmas_umanen', '[2020-01-01,)', 'public-service', 'community health centre'),
    ('belu.disdukcapil', '[2020-01-01,)', 'public-service', 'civil registration counters'),
    -- Seed 002 (Balikpapan): "unit kerja yang memberikan pelayanan publik
    -- langsung kepada masyarakat dan membuka loket pelayanan" (units serving
    -- the public directly and opening service counters).
    ('balikpapan.dinkes.puskesmas_klandasan_ilir', '[2020-01-01,)', 'public-service', 'community health centre'),
    ('balikpapan.disdukcapil', '[2020-01-01,)', 'public-service', 'civil registration counters'),
    ('balikpapan.dpmptsp', '[2020-01-01,)', 'public-service', 'one-stop licensing counters'),
    -- Seed 003 (Kukar): "perangkat daerah yang melakukan pelayanan terhadap
    -- masyarakat" (agencies that serve the public).
    ('kukar.dinkes.puskesmas_tenggarong', '[2020-01-01,)', 'public-service', 'community health centre'),
    ('kukar.disdukcapil', '[2020-01-01,)', 'public-service', 'civil registration counters'),
    ('kukar.dpmptsp', '[2020-01-01,)', 'public-service', 'one-stop licensing counters'),
    -- Seed 004 (Probolinggo): "unit kerja yang bertugas di pelayanan publik"
    -- (units working in public service).
    ('probolinggo.dinkes.puskesmas_kanigaran', '[2020-01-01,)', 'public-service', 'community health centre'),
    ('probolinggo.dinkes.puskesmas_wonoasih', '[2020-01-01,)', 'public-service', 'community health centre'),
    ('probolinggo.dispendukcapil', '[2020-01-01,)', 'public-service', 'civil registration counters'),
    ('probolinggo.dpmptsp', '[2020-01-01,)', 'public-service', 'one-stop licensing counters');

-- ---------------------------------------------------------------------------
-- Closures after a positive case (seed 002, Balikpapan): "Apabila ada
-- aparatur yang terkonfirmasi positif, sesuai aturan kegiatan pelayanan dan
-- perkantoran dalam unit kerja ditutup selama tiga hari." (If a staff member
-- is confirmed positive, the unit's service and office activities close for
-- three days.)  Three calendar days from the confirmation; a closure from a
-- Thursday runs into the weekend.  The cases are the sample's.
INSERT INTO hrpolicy.circumstance (scope, valid, label, note) VALUES
    ('balikpapan.disdukcapil', '[2020-09-14,2020-09-16]', 'closed', 'a staff member confirmed positive on 14 Sep 2020'),
    ('balikpapan.bpkad', '[2020-10-12,2020-10-14]', 'closed', 'a staff member confirmed positive on 12 Oct 2020'),
    ('balikpapan.dinkes.puskesmas_klandasan_ilir', '[2020-12-03,2020-12-05]', 'closed', 'a staff member confirmed positive on 3 Dec 2020');

COMMIT;
