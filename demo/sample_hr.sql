-- sample_hr.sql: a deterministic sample HR database for hrpolicy.
--
-- Five local governments, one per seed decree (Kota Kupang, Kab. Belu,
-- Kota Balikpapan, Kab. Kutai Kartanegara, Kota Probolinggo), in schema
-- "sample", shaped as HR databases are: units with a parent and a code,
-- staff, their assignments to units with dates (a few transfers during the
-- year), public holidays, daily attendance
-- (with the odd day nobody recorded), and the duty roster (piket).  The
-- view that binds them to hrpolicy is demo/roster.sql, the README's recipe.
--
--   psql -v staff=5000 -v from_day=2020-03-02 -v through_day=2021-02-26 \
--        -f demo/sample_hr.sql
--
-- Every variable has a default.  The script drops and recreates schema
-- "sample"; it needs ltree (for its own work) but not hrpolicy, and never
-- touches hrpolicy's catalog (the decrees are in examples/).
--
-- Deterministic: no random().  Every choice comes from hashint8/hashtext of
-- stable keys, so two runs with the same variables give identical rows.
-- Set-based: one INSERT ... SELECT per table, indexes and keys after the
-- load, ANALYZE at the end (staff=5000 over a year is 1.3M attendance rows;
-- staff=250000 over 20 working days is 5M, used by the benchmark).  One
-- transaction: a failed run leaves the previous sample in place.  Settings
-- are SET LOCAL and psql's QUIET and ON_ERROR_STOP are restored, so the file
-- can be included (\i) in a longer session.
--
-- staff counts everyone; the structural posts (about 300: each OPD has 1
-- eselon II, 2-4 eselon III and 4-8 eselon IV officials, each UPTD 1-2
-- eselon IV) are always filled, the rest is spread over the units by weight.
--
-- How attendance is shaped.  Each unit and working day gets a plan (temp
-- table g_plan) from the decrees in force for its government that day:
-- the whole-unit caps (SE MenPAN-RB 58/2020, 67/2020 by zone, Balikpapan,
-- Kukar), Kupang's separate caps for staff and structural officials, the
-- presence duties (two highest structural levels, Kukar's leaders, the
-- Probolinggo piket), closures after a positive case, and what the unit
-- would do unconstrained.  From the plan come slot counts per group; people
-- take slots by a daily rotation within their unit, so the count in office
-- is exact without sorting (position = (index + daily offset) mod group size).
-- Leave, sick and duty (official duty away from the office) come from a hash
-- and only ever lower the count in office.  A handful of unit-days break the
-- decrees on purpose (temp table g_breach, with what each one breaks); the
-- decrees themselves are in examples/.
--
-- Public holidays have no attendance.  About 1% of the non-structural
-- staff move to another agency of their government on transfer_day (1
-- October 2020), and the plan counts them where they are each day.  About
-- 0.4% of the staff's working days have no attendance row (nobody
-- recorded the day), and one eselon II head has none on a day the two
-- highest levels must be in: the roster shows such days as absent.
--
-- Not modelled: retirements, new hires.

\set hr_saved_on_error_stop :ON_ERROR_STOP
\set hr_saved_quiet :QUIET
\set ON_ERROR_STOP on
\set QUIET on
\if :{?staff}
\else
\set staff 5000
\endif
\if :{?from_day}
\else
\set from_day 2020-03-02
\endif
\if :{?through_day}
\else
\set through_day 2021-02-26
\endif
\if :{?transfer_day}
\else
\set transfer_day 2020-10-01
\endif

BEGIN;

SET LOCAL client_min_messages = warning;
SET LOCAL work_mem = '256MB';
SET LOCAL maintenance_work_mem = '512MB';
SET LOCAL synchronous_commit = off;
-- JIT compiling these one-off queries costs more than it saves.
SET LOCAL jit = off;

CREATE EXTENSION IF NOT EXISTS ltree;
DROP SCHEMA IF EXISTS sample CASCADE;
CREATE SCHEMA sample;
COMMENT ON SCHEMA sample IS
    'a generated HR database of five Indonesian local governments (2020-2021), for the hrpolicy demo, tests and benchmarks';

-- ---------------------------------------------------------------------------
-- Tables.  Keys and indexes on staff, attendance and the duty roster come
-- after the load.

CREATE TABLE sample.unit (
    id integer PRIMARY KEY,
    parent_id integer REFERENCES sample.unit,
    code text NOT NULL,
    name text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('government', 'opd', 'uptd')),
    UNIQUE (parent_id, code)
);
COMMENT ON TABLE sample.unit IS
    'organisation units: a local government (Pemkot/Pemkab), its agencies (OPD) and their technical units (UPTD), each under its parent';
COMMENT ON COLUMN sample.unit.code IS 'the unit''s code under its parent, e.g. DINKES, PUSKESMAS-OEBOBO';
COMMENT ON COLUMN sample.unit.kind IS 'government, opd (Organisasi Perangkat Daerah) or uptd (Unit Pelaksana Teknis Daerah)';

CREATE TABLE sample.staff (
    nip text NOT NULL,
    full_name text NOT NULL,
    birth_date date NOT NULL,
    eselon smallint CHECK (eselon IN (2, 3, 4)),
    position text NOT NULL CHECK (position IN ('structural', 'functional', 'pelaksana')),
    employment text NOT NULL CHECK (employment IN ('pns', 'pppk', 'non-asn')),
    CHECK ((position = 'structural') = (eselon IS NOT NULL))
);
COMMENT ON TABLE sample.staff IS 'everyone on the payroll of a unit: civil servants (ASN: PNS and PPPK) and other staff (non-ASN, honorer, PTT)';
COMMENT ON COLUMN sample.staff.nip IS
    'NIP (18 digits: birth date, appointment month, sex, sequence) for ASN; a register number PTT-<gov>-<n> for non-ASN staff';
COMMENT ON COLUMN sample.staff.eselon IS 'structural rank: 2 (head of an OPD, JPT pratama), 3 (administrator), 4 (pengawas); NULL for non-structural staff';
COMMENT ON COLUMN sample.staff.position IS 'structural (holds an eselon post), functional (jabatan fungsional) or pelaksana';
COMMENT ON COLUMN sample.staff.employment IS 'pns, pppk (both ASN) or non-asn';

CREATE TABLE sample.assignment (
    nip text NOT NULL,
    unit_id integer NOT NULL REFERENCES sample.unit,
    valid_from date NOT NULL,
    valid_to date,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
COMMENT ON TABLE sample.assignment IS
    'who works in which unit, from which day through which day (NULL: to this day); a transfer ends one row and starts another';

CREATE TABLE sample.holiday (
    day date PRIMARY KEY,
    name text NOT NULL
);
COMMENT ON TABLE sample.holiday IS 'national public holidays (hari libur nasional) on working days';

CREATE TABLE sample.attendance (
    nip text NOT NULL,
    day date NOT NULL,
    status text NOT NULL CHECK (status IN ('office', 'home', 'leave', 'sick', 'duty'))
);
COMMENT ON TABLE sample.attendance IS 'what each staff member did on a working day, as recorded; a day nobody recorded has no row';
COMMENT ON COLUMN sample.attendance.status IS
    'office (WFO), home (WFH), leave (cuti), sick, duty (dinas luar: official duty away from the office)';

CREATE TABLE sample.duty_roster (
    nip text NOT NULL,
    day date NOT NULL
);
COMMENT ON TABLE sample.duty_roster IS 'the piket roster: people on duty at the office that day';

-- ---------------------------------------------------------------------------
-- Units.  weight: the unit's share of the non-structural staff.

CREATE TEMP TABLE g_unit ON COMMIT DROP AS
SELECT path::ltree AS path, name, kind, weight
FROM (VALUES
    ('kupang', 'Pemerintah Kota Kupang', 'government', 0),
    ('kupang.bkpsdm', 'Badan Kepegawaian dan Pengembangan Sumber Daya Manusia', 'opd', 4),
    ('kupang.dinkes', 'Dinas Kesehatan', 'opd', 5),
    ('kupang.dinkes.puskesmas_oebobo', 'UPTD Puskesmas Oebobo', 'uptd', 4),
    ('kupang.dinkes.puskesmas_sikumana', 'UPTD Puskesmas Sikumana', 'uptd', 4),
    ('kupang.disdukcapil', 'Dinas Kependudukan dan Pencatatan Sipil', 'opd', 5),
    ('kupang.dispenda', 'Dinas Pendapatan Daerah', 'opd', 5),
    ('kupang.dlhk', 'Dinas Lingkungan Hidup dan Kebersihan', 'opd', 7),
    ('kupang.dpmptsp', 'Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu', 'opd', 4),
    ('belu', 'Pemerintah Kabupaten Belu', 'government', 0),
    ('belu.bkpsmd', 'Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Daerah', 'opd', 3),
    ('belu.dinkes', 'Dinas Kesehatan', 'opd', 5),
    ('belu.dinkes.puskesmas_umanen', 'UPTD Puskesmas Umanen', 'uptd', 4),
    ('belu.disdukcapil', 'Dinas Kependudukan dan Pencatatan Sipil', 'opd', 4),
    ('belu.bappeda', 'Badan Perencanaan Pembangunan Daerah', 'opd', 3),
    ('belu.dpupr', 'Dinas Pekerjaan Umum dan Penataan Ruang', 'opd', 6),
    ('belu.dinsos', 'Dinas Sosial', 'opd', 3),
    ('balikpapan', 'Pemerintah Kota Balikpapan', 'government', 0),
    ('balikpapan.bkpsdm', 'Badan Kepegawaian dan Pengembangan Sumber Daya Manusia', 'opd', 4),
    ('balikpapan.dinkes', 'Dinas Kesehatan', 'opd', 5),
    ('balikpapan.dinkes.puskesmas_klandasan_ilir', 'UPTD Puskesmas Klandasan Ilir', 'uptd', 4),
    ('balikpapan.disdukcapil', 'Dinas Kependudukan dan Pencatatan Sipil', 'opd', 5),
    ('balikpapan.bpkad', 'Badan Pengelolaan Keuangan dan Aset Daerah', 'opd', 5),
    ('balikpapan.dlh', 'Dinas Lingkungan Hidup', 'opd', 6),
    ('balikpapan.dlh.uptd_tpa_manggar', 'UPTD Tempat Pemrosesan Akhir Sampah Manggar', 'uptd', 4),
    ('balikpapan.dpmptsp', 'Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu', 'opd', 4),
    ('kukar', 'Pemerintah Kabupaten Kutai Kartanegara', 'government', 0),
    ('kukar.bkpsdm', 'Badan Kepegawaian dan Pengembangan Sumber Daya Manusia', 'opd', 4),
    ('kukar.dinkes', 'Dinas Kesehatan', 'opd', 5),
    ('kukar.dinkes.puskesmas_tenggarong', 'UPTD Puskesmas Tenggarong', 'uptd', 4),
    ('kukar.disdukcapil', 'Dinas Kependudukan dan Pencatatan Sipil', 'opd', 5),
    ('kukar.bappeda', 'Badan Perencanaan Pembangunan Daerah', 'opd', 3),
    ('kukar.dispar', 'Dinas Pariwisata', 'opd', 3),
    ('kukar.dpmptsp', 'Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu', 'opd', 4),
    ('probolinggo', 'Pemerintah Kota Probolinggo', 'government', 0),
    ('probolinggo.bkpsdm', 'Badan Kepegawaian dan Pengembangan Sumber Daya Manusia', 'opd', 4),
    ('probolinggo.dinkes', 'Dinas Kesehatan', 'opd', 4),
    ('probolinggo.dinkes.puskesmas_kanigaran', 'UPTD Puskesmas Kanigaran', 'uptd', 4),
    ('probolinggo.dinkes.puskesmas_wonoasih', 'UPTD Puskesmas Wonoasih', 'uptd', 4),
    ('probolinggo.dispendukcapil', 'Dinas Kependudukan dan Pencatatan Sipil', 'opd', 4),
    ('probolinggo.bappeda', 'Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah', 'opd', 3),
    ('probolinggo.dlh', 'Dinas Lingkungan Hidup', 'opd', 6),
    ('probolinggo.dpmptsp', 'Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu', 'opd', 4)
) AS u (path, name, kind, weight);

-- Ids in path order; codes as an HR system keeps them (upper case, hyphens),
-- from which hrpolicy.label() gives back the path's labels.
ALTER TABLE g_unit ADD COLUMN id integer;
UPDATE g_unit u SET id = n.id
FROM (SELECT path, row_number() OVER (ORDER BY path)::int AS id FROM g_unit) n
WHERE n.path = u.path;
INSERT INTO sample.unit (id, parent_id, code, name, kind)
SELECT u.id, p.id, upper(replace(subpath(u.path, -1)::text, '_', '-')), u.name, u.kind
FROM g_unit u LEFT JOIN g_unit p ON p.path = subpath(u.path, 0, nlevel(u.path) - 1)
ORDER BY u.id;

INSERT INTO sample.holiday (day, name) VALUES
    ('2020-01-01', 'Tahun Baru Masehi'),
    ('2020-03-25', 'Hari Suci Nyepi'),
    ('2020-04-10', 'Wafat Isa Almasih'),
    ('2020-05-01', 'Hari Buruh Internasional'),
    ('2020-05-07', 'Hari Raya Waisak'),
    ('2020-05-21', 'Kenaikan Isa Almasih'),
    ('2020-05-25', 'Hari Raya Idul Fitri'),
    ('2020-06-01', 'Hari Lahir Pancasila'),
    ('2020-07-31', 'Hari Raya Idul Adha'),
    ('2020-08-17', 'Hari Kemerdekaan Republik Indonesia'),
    ('2020-08-20', 'Tahun Baru Islam'),
    ('2020-10-29', 'Maulid Nabi Muhammad SAW'),
    ('2020-12-25', 'Hari Raya Natal'),
    ('2021-01-01', 'Tahun Baru Masehi'),
    ('2021-02-12', 'Tahun Baru Imlek');

-- ---------------------------------------------------------------------------
-- Facts the decrees depend on, as they happened in this sample.  They are the
-- same facts examples/06_circumstances.sql records as hrpolicy circumstances:
-- keep the two in step.

-- Units serving the public directly (loket, puskesmas); all of Kupang's Dinas
-- Kesehatan, which its decree lets arrange its own work.
CREATE TEMP TABLE g_public (path ltree) ON COMMIT DROP;
INSERT INTO g_public VALUES
    ('kupang.dinkes'), ('kupang.disdukcapil'), ('kupang.dpmptsp'),
    ('belu.dinkes.puskesmas_umanen'), ('belu.disdukcapil'),
    ('balikpapan.dinkes.puskesmas_klandasan_ilir'), ('balikpapan.disdukcapil'), ('balikpapan.dpmptsp'),
    ('kukar.dinkes.puskesmas_tenggarong'), ('kukar.disdukcapil'), ('kukar.dpmptsp'),
    ('probolinggo.dinkes.puskesmas_kanigaran'), ('probolinggo.dinkes.puskesmas_wonoasih'),
    ('probolinggo.dispendukcapil'), ('probolinggo.dpmptsp');

-- Risk zone of each government from SE MenPAN-RB 67/2020 on (4 Sep 2020):
-- the whole-unit cap in force there.
CREATE TEMP TABLE g_zone (gov text, first_day date, last_day date, cap int) ON COMMIT DROP;
INSERT INTO g_zone VALUES
    ('kupang',      '2020-09-04', '2020-11-16', 50),   -- zone:medium
    ('kupang',      '2020-11-17', 'infinity',   25),   -- zone:high (zona coklat, seed 000)
    ('belu',        '2020-09-04', '2020-10-31', 100),  -- zone:no-cases
    ('belu',        '2020-11-01', '2020-12-31', 75),   -- zone:low
    ('belu',        '2021-01-01', 'infinity',   50),   -- zone:medium
    ('balikpapan',  '2020-09-04', '2020-10-31', 25),   -- zone:high
    ('balikpapan',  '2020-11-01', '2020-12-31', 75),   -- zone:low
    ('balikpapan',  '2021-01-01', 'infinity',   25),   -- zone:high
    ('kukar',       '2020-09-04', '2021-01-10', 50),   -- zone:medium
    ('kukar',       '2021-01-11', 'infinity',   25),   -- zone:high
    ('probolinggo', '2020-09-04', '2020-10-31', 50),   -- zone:medium
    ('probolinggo', '2020-11-01', '2020-12-31', 75),   -- zone:low
    ('probolinggo', '2021-01-01', 'infinity',   50);   -- zone:medium

-- Balikpapan closes a unit for three days after a positive case (seed 002).
CREATE TEMP TABLE g_closure (path ltree, first_day date, last_day date) ON COMMIT DROP;
INSERT INTO g_closure VALUES
    ('balikpapan.disdukcapil', '2020-09-14', '2020-09-16'),
    ('balikpapan.bpkad', '2020-10-12', '2020-10-14'),
    ('balikpapan.dinkes.puskesmas_klandasan_ilir', '2020-12-03', '2020-12-05');

-- Deliberate breaches, one row per unit-day:
--   s_share     the share (%) of non-structural staff scheduled in office, ignoring every cap
--   home_t      index of the eselon II/III official sent home (0 = the eselon II head)
--   home_f      index of the eselon IV official sent home
--   extra_s     this many staff not on the piket roster come in anyway
--   home_piket  the first person on the piket roster stays home
--   all_l_in    every structural official in office (staff fewer, to keep the unit total)
--   open        the unit works as usual on a day it is closed
--   absent_t    index of the eselon II/III official with no attendance row that day
CREATE TEMP TABLE g_breach (
    path ltree, day date, s_share int, home_t int, home_f int, extra_s int,
    home_piket bool, all_l_in bool, open bool, what text, absent_t int
) ON COMMIT DROP;
INSERT INTO g_breach VALUES
    ('belu.bappeda', '2020-03-26', NULL, 1, NULL, NULL, false, false, false,
     'an eselon III official works from home: two highest levels not all in office'),
    ('probolinggo.dlh', '2020-04-08', NULL, 0, NULL, NULL, false, false, false,
     'the eselon II head works from home'),
    ('probolinggo.bappeda', '2020-04-14', NULL, NULL, NULL, 2, false, false, false,
     'two staff not on the piket roster come to the office'),
    ('probolinggo.dpmptsp', '2020-04-16', NULL, NULL, NULL, NULL, true, false, false,
     'a person on the piket roster stays home'),
    ('balikpapan.bpkad', '2020-08-05', 60, NULL, NULL, NULL, false, false, false,
     '60% of staff in office under a 50% cap'),
    ('balikpapan.bpkad', '2020-10-14', NULL, NULL, NULL, NULL, false, false, true,
     'the third day of a closure: the unit works as usual'),
    ('kupang.dispenda', '2020-11-23', 40, NULL, NULL, NULL, false, false, false,
     '40% of staff in office under a 25% cap'),
    ('kupang.dispenda', '2020-11-24', 40, NULL, NULL, NULL, false, false, false,
     '40% of staff in office under a 25% cap'),
    ('kupang.bkpsdm', '2020-12-01', NULL, NULL, NULL, NULL, false, true, false,
     'every structural official in office under a 50% cap on structural officials'),
    ('kukar.bappeda', '2021-02-01', 40, NULL, NULL, NULL, false, false, false,
     '40% of staff in office under a 25% cap'),
    ('kukar.bappeda', '2021-02-02', 40, NULL, NULL, NULL, false, false, false,
     '40% of staff in office under a 25% cap'),
    ('kukar.dispar', '2021-02-03', NULL, NULL, 0, NULL, false, false, false,
     'an eselon IV official in good health (not over 55) works from home');
INSERT INTO g_breach (path, day, home_piket, all_l_in, open, what, absent_t) VALUES
    ('belu.dinkes', '2020-04-15', false, false, false,
     'the eselon II head has no attendance row while the two highest levels must be in', 0);

-- ---------------------------------------------------------------------------
-- Staff.  Groups per unit: T = eselon II and III (the two highest structural
-- levels of an OPD), F = eselon IV, S = everyone else.  idx numbers a
-- person within the unit's group; T starts with the eselon II head.  k
-- numbers everyone; the other attributes come from hashes of k:
--   employment and position: about 30% non-ASN (pelaksana), 6% PPPK
--     (functional), the rest PNS, functional or pelaksana (more functional
--     staff, doctors and nurses, under a Dinas Kesehatan);
--   age at from_day: eselon II 45-59, III 40-58, IV 30-52, others 22-58
--     (about one in ten is over 55 on some day of a year);
--   names by region: Nusa Tenggara Timur (Kupang, Belu), Kalimantan Timur
--     (Balikpapan, Kukar), Jawa Timur (Probolinggo), ten men's and ten
--     women's given names each, picked by sex;
--   NIP: birth date, month of appointment (22-29 years after birth, before
--     from_day), sex (1 man, 2 woman), and a sequence that keeps it unique.
--     Non-ASN staff have no NIP: they get the government's register number.

CREATE UNLOGGED TABLE sample.gen_staff AS
WITH structural AS (
    -- an OPD: 1 eselon II head, 2-4 eselon III, 4-8 eselon IV; a UPTD: 1-2 eselon IV
    SELECT u.path, e.eselon, e.n
    FROM g_unit u
    CROSS JOIN LATERAL (VALUES
        (2, CASE WHEN u.kind = 'opd' THEN 1 ELSE 0 END),
        (3, CASE WHEN u.kind = 'opd' THEN 2 + (hashtext(u.path::text || '/3') & 65535) % 3 ELSE 0 END),
        (4, CASE WHEN u.kind = 'opd' THEN 4 + (hashtext(u.path::text || '/4') & 65535) % 5
                 ELSE 1 + (hashtext(u.path::text || '/4') & 65535) % 2 END)
    ) AS e (eselon, n)
    WHERE u.kind <> 'government'
), weights AS (
    SELECT path,
           sum(weight) OVER (ORDER BY path) - weight AS lo,
           sum(weight) OVER (ORDER BY path) AS hi,
           sum(weight) OVER () AS total
    FROM g_unit WHERE weight > 0
), rest AS (
    -- the non-structural staff, split by weight; the counts sum exactly to the rest
    SELECT w.path, (r.n * w.hi / w.total - r.n * w.lo / w.total)::int AS n
    FROM weights w
    CROSS JOIN (SELECT greatest(:'staff'::bigint - sum(n), 0)::bigint AS n FROM structural) r
), slot AS (
    SELECT s.path, s.eselon::smallint AS eselon,
           CASE WHEN s.eselon = 4 THEN 'F' ELSE 'T' END AS grp,
           row_number() OVER (PARTITION BY s.path, s.eselon = 4 ORDER BY s.eselon, i) - 1 AS idx
    FROM structural s CROSS JOIN LATERAL generate_series(1, s.n) i
    UNION ALL
    SELECT r.path, NULL::smallint, 'S', i - 1
    FROM rest r CROSS JOIN LATERAL generate_series(1, r.n) i
), numbered AS (
    SELECT row_number() OVER (ORDER BY path, CASE grp WHEN 'T' THEN 0 WHEN 'F' THEN 1 ELSE 2 END, idx) AS k,
           path AS unit,
           subpath(path, 0, 1)::text AS gov, eselon, grp, idx::int AS idx
    FROM slot
), hashed AS (
    SELECT n.*,
           hashint8(n.k * 8 + 1) & 1023 AS h_job,
           hashint8(n.k * 8 + 2) & 1023 AS h_fn,
           1 + (hashint8(n.k * 8 + 4) & 1) AS sex,
           CASE
               -- planted: an eselon III official of Kukar's Bappeda is over 55
               -- during Kukar's decree (exempt from its duty to be in the office)
               WHEN n.unit = 'kukar.bappeda' AND n.grp = 'T' AND n.idx = 1 THEN date '1962-06-15'
               ELSE :'from_day'::date - (a.lo * 365.25)::int
                    - ((hashint8(n.k * 8 + 3) & 1048575) % ((a.hi - a.lo) * 365.25)::int)
           END AS birth_date
    FROM numbered n
    JOIN (VALUES (2, 45, 59), (3, 40, 58), (4, 30, 52), (0, 22, 58)) AS a (eselon, lo, hi)
      ON a.eselon = coalesce(n.eselon, 0)
), attributed AS (
    SELECT h.k, h.unit, h.gov, h.eselon, h.grp, h.idx, h.sex, h.birth_date,
           CASE WHEN h.grp <> 'S' THEN 'pns' WHEN h.h_job < 300 THEN 'non-asn'
                WHEN h.h_job < 360 THEN 'pppk' ELSE 'pns' END AS employment,
           CASE WHEN h.grp <> 'S' THEN 'structural' WHEN h.h_job < 300 THEN 'pelaksana'
                WHEN h.h_job < 360 THEN 'functional'
                WHEN h.h_fn < CASE WHEN h.unit ~ '*.dinkes.*' THEN 600 ELSE 300 END THEN 'functional'
                ELSE 'pelaksana' END AS position,
           nm.given[1 + 10 * (h.sex - 1) + (hashint8(h.k * 8 + 5) & 65535) % 10]
               || ' ' || nm.family[1 + (hashint8(h.k * 8 + 6) & 65535) % 20] AS full_name,
           (h.birth_date + interval '55 years')::date AS turns55,
           to_char(h.birth_date, 'YYYYMMDD')
               || to_char(least(date_trunc('month', h.birth_date + make_interval(years => 22 + (hashint8(h.k * 8 + 7) & 7)::int)),
                                date_trunc('month', :'from_day'::date) - interval '1 month'), 'YYYYMM')
               || h.sex AS nip_prefix
    FROM hashed h
    JOIN (VALUES
        ('ntt',
         '{Yohanes,Fransiskus,Benediktus,Agustinus,Petrus,Antonius,Yakobus,Dominggus,Stefanus,Aloysius,Maria,Yosefina,Theresia,Marselina,Kristina,Elisabeth,Margaretha,Yuliana,Veronika,Florentina}'::text[],
         '{Tefa,Nalle,Bria,Mau,Seran,Klau,Manek,Tallo,Bessie,Ndun,Fanggidae,Pellokila,Riwu,Kana,Mesakh,Nahak,Atok,Bere,Lopo,Taek}'::text[]),
        ('kaltim',
         '{Muhammad,Rizal,Andi,Ahmad,Hendra,Rahmat,Arif,Hadi,Irwan,Syahrani,Siti,Nur,Dewi,Rina,Fitri,Yuliani,Sri,Nurul,Wulan,Aisyah}'::text[],
         '{Effendi,Saputra,Hidayat,Rahman,Pratama,Wijaya,Hasanah,Kurniawan,Lestari,Syahputra,Noor,Aji,Ramadhan,Sari,Maulana,Anwar,Fadillah,Yusuf,Gunawan,Permata}'::text[]),
        ('jatim',
         '{Agus,Budi,Eko,Wahyu,Bambang,Heru,Joko,Slamet,Sugeng,Hari,Sri,Dwi,Endang,Nanik,Rini,Yuli,Dyah,Lilik,Tri,Siti}'::text[],
         '{Santoso,Wahyuni,Prasetyo,Susanto,Rahayu,Hartono,Setiawan,Purnomo,Handayani,Suryani,Hidayat,Utomo,Wibowo,Kusuma,Sulistyo,Widodo,Nugroho,Astuti,Suprapto,Rachmawati}'::text[])
    ) AS nm (region, given, family)
      ON nm.region = CASE h.gov WHEN 'kupang' THEN 'ntt' WHEN 'belu' THEN 'ntt'
                                WHEN 'probolinggo' THEN 'jatim' ELSE 'kaltim' END
)
SELECT a.k, a.unit, a.gov, a.eselon, a.grp, a.idx, a.birth_date, a.turns55, a.full_name,
       a.employment, a.position,
       -- in the unit since appointment (ASN, the month in the NIP) or since a
       -- contract before from_day (non-ASN)
       CASE WHEN a.employment = 'non-asn'
            THEN :'from_day'::date - 30 - (hashint8(a.k * 8 + 7) & 2047)::int
            ELSE to_date(substr(a.nip_prefix, 9, 6), 'YYYYMM') END AS hired,
       CASE WHEN a.employment = 'non-asn' THEN
                'PTT-' || CASE a.gov WHEN 'kupang' THEN 'KPG' WHEN 'belu' THEN 'BLU' WHEN 'balikpapan' THEN 'BPN'
                                     WHEN 'kukar' THEN 'KKR' ELSE 'PBL' END
                || '-' || lpad((row_number() OVER (PARTITION BY a.gov COLLATE "C", a.employment = 'non-asn' ORDER BY a.k))::text, 6, '0')
            ELSE a.nip_prefix
                || lpad((row_number() OVER (PARTITION BY a.nip_prefix COLLATE "C", a.employment = 'non-asn' ORDER BY a.k))::text, 3, '0')
       END AS nip
FROM attributed a;

ANALYZE sample.gen_staff;

INSERT INTO sample.staff (nip, full_name, birth_date, eselon, position, employment)
SELECT nip, full_name, birth_date, eselon, position, employment FROM sample.gen_staff ORDER BY k;

-- Transfers: about 1% of the non-structural staff move on transfer_day to
-- the next agency (OPD) of their government.  Membership epochs: 0 before
-- transfer_day, 1 from it; idx renumbers each group of a unit in each epoch
-- (newcomers last), so that the daily rotation stays exact.
CREATE TEMP TABLE g_member ON COMMIT DROP AS
WITH opd AS (
    SELECT path, subpath(path, 0, 1)::text AS gov,
           lead(path) OVER (PARTITION BY subpath(path, 0, 1) ORDER BY path) AS next_path,
           first_value(path) OVER (PARTITION BY subpath(path, 0, 1) ORDER BY path) AS first_path
    FROM g_unit WHERE kind = 'opd'
), moving AS (
    SELECT g.k, coalesce(o.next_path, o.first_path) AS new_unit
    FROM sample.gen_staff g
    JOIN opd o ON o.path = subpath(g.unit, 0, 2)
    WHERE g.grp = 'S' AND (hashint8(g.k * 8 + 9) & 1023) < 10
      AND coalesce(o.next_path, o.first_path) <> subpath(g.unit, 0, 2)
), spans AS (
    SELECT g.k, g.grp, g.idx, e.epoch,
           CASE WHEN e.epoch = 1 AND m.k IS NOT NULL THEN m.new_unit ELSE g.unit END AS unit,
           e.epoch = 1 AND m.k IS NOT NULL AS newcomer
    FROM sample.gen_staff g
    LEFT JOIN moving m ON m.k = g.k
    CROSS JOIN (VALUES (0), (1)) AS e (epoch)
)
SELECT k, grp, epoch, unit,
       (row_number() OVER (PARTITION BY unit, epoch, grp ORDER BY newcomer, idx, k) - 1)::int AS idx
FROM spans;

INSERT INTO sample.assignment (nip, unit_id, valid_from, valid_to)
SELECT g.nip, u.id,
       CASE WHEN m0.unit = m1.unit THEN g.hired
            WHEN m.epoch = 0 THEN least(g.hired, :'transfer_day'::date - 1)
            ELSE :'transfer_day'::date END,
       CASE WHEN m0.unit <> m1.unit AND m.epoch = 0 THEN :'transfer_day'::date - 1 END
FROM sample.gen_staff g
JOIN g_member m0 ON m0.k = g.k AND m0.epoch = 0
JOIN g_member m1 ON m1.k = g.k AND m1.epoch = 1
JOIN g_member m ON m.k = g.k AND (m.epoch = 0 OR m0.unit <> m1.unit)
JOIN g_unit u ON u.path = m.unit
ORDER BY g.k, m.epoch;

-- ---------------------------------------------------------------------------
-- The plan of each unit and working day.

CREATE TEMP TABLE g_plan ON COMMIT DROP AS
WITH days AS (
    SELECT d::date AS day, (d >= :'transfer_day'::date)::int AS epoch
    FROM generate_series(:'from_day'::date, :'through_day'::date, interval '1 day') d
    WHERE extract(isodow FROM d) < 6
      AND NOT EXISTS (SELECT FROM sample.holiday h WHERE h.day = d::date)
), sizes AS (
    SELECT unit, subpath(unit, 0, 1)::text AS gov, epoch,
           count(*) AS n,
           count(*) FILTER (WHERE grp = 'T') AS n_t,
           count(*) FILTER (WHERE grp = 'F') AS n_f,
           count(*) FILTER (WHERE grp = 'S') AS n_s,
           EXISTS (SELECT FROM g_public p WHERE p.path @> unit) AS public_service
    FROM g_member GROUP BY unit, epoch
), rules AS (
    SELECT z.*, d.day,
        -- whole-unit cap on office presence, in percent (the strictest in force)
        coalesce(least(
            CASE WHEN d.day BETWEEN '2020-06-05' AND '2020-09-03' THEN 50 END,      -- SE MenPAN-RB 58/2020
            CASE WHEN d.day >= '2020-09-04' THEN (
                SELECT g.cap FROM g_zone g
                WHERE g.gov = z.gov AND d.day BETWEEN g.first_day AND g.last_day) END, -- 67/2020, by zone
            CASE WHEN z.gov = 'balikpapan' AND d.day >= '2020-08-01'
                  AND NOT z.public_service THEN 50 END,                              -- 800/0437/Org
            CASE WHEN z.gov = 'kukar' AND d.day BETWEEN '2021-01-27' AND '2021-02-09'
                  AND NOT z.public_service THEN 25 END                               -- B-104/BKPSDM
        ), 100) AS cap_all,
        -- Kupang from 17 Nov 2020: staff at most 25%, structural officials at most 50%
        CASE WHEN z.gov = 'kupang' AND d.day >= '2020-11-17' AND NOT z.public_service THEN 25 ELSE 100 END AS cap_s,
        CASE WHEN z.gov = 'kupang' AND d.day >= '2020-11-17' AND NOT z.public_service THEN 50 ELSE 100 END AS cap_l,
        -- two highest structural levels in office: SE MenPAN-RB 19/2020 and its extensions
        d.day BETWEEN '2020-03-16' AND '2020-06-04' AS must_top2,
        -- Kukar: leaders, administrators and supervisors in good health in office
        z.gov = 'kukar' AND d.day BETWEEN '2021-01-27' AND '2021-02-09' AS must_leaders,
        -- Probolinggo: only the piket roster (and eselon II/III) in office
        z.gov = 'probolinggo' AND d.day BETWEEN '2020-04-01' AND '2020-04-21'
            AND NOT z.public_service AS piket_only,
        EXISTS (SELECT FROM g_closure c
                WHERE c.path @> z.unit AND d.day BETWEEN c.first_day AND c.last_day) AS closed,
        -- what the unit does unconstrained: everyone in before the pandemic
        -- decrees, then mostly at home, then the new normal
        CASE WHEN d.day < '2020-03-16' THEN 100 WHEN d.day < '2020-06-05' THEN 30 ELSE 60 END
            + CASE WHEN z.public_service AND d.day >= '2020-03-16' THEN 40 ELSE 0 END AS want_s,
        CASE WHEN d.day < '2020-03-16' THEN 100 WHEN d.day < '2020-06-05' THEN 60 ELSE 100 END AS want_l,
        (z.n_s + 9) / 10 AS n_piket,
        (hashtext(z.unit::text || d.day::text) & 1048575) AS rot
    FROM sizes z JOIN days d ON d.epoch = z.epoch
), slots AS (
    SELECT r.*, b.s_share, b.home_t, b.home_f, b.absent_t, coalesce(b.extra_s, 0) AS extra_s,
           coalesce(b.home_piket, false) AS home_piket, coalesce(b.all_l_in, false) AS all_l_in,
           r.closed AND NOT coalesce(b.open, false) AS shut,
           r.cap_all * r.n / 100 AS lim,
           CASE WHEN r.must_top2 OR r.must_leaders OR b.all_l_in THEN r.n_t
                ELSE least(least(r.want_l, r.cap_l) * r.n_t / 100, r.cap_all * r.n / 100) END AS k_t
    FROM rules r
    LEFT JOIN g_breach b ON b.path = r.unit AND b.day = r.day
), slots_f AS (
    SELECT s.*,
           CASE WHEN s.must_leaders OR s.all_l_in THEN s.n_f
                WHEN s.piket_only THEN 0
                ELSE least(least(s.want_l, s.cap_l) * s.n_f / 100, greatest(s.lim - s.k_t, 0)) END AS k_f
    FROM slots s
)
SELECT unit, day, epoch, n_t, n_f, n_s, n_piket, rot, shut, must_leaders, home_t, home_f, absent_t,
       extra_s, home_piket, all_l_in, s_share IS NOT NULL AS planted_share, k_t, k_f,
       CASE WHEN s_share IS NOT NULL THEN s_share * n_s / 100
            WHEN piket_only THEN n_piket
            ELSE least(least(want_s, cap_s) * n_s / 100, greatest(lim - k_t - k_f, 0)) END AS k_s
FROM slots_f;

ANALYZE g_plan;

-- One row per person and working day, with the position of the person in the
-- unit's daily rotation.  Used for attendance and for the piket roster.
CREATE TEMP VIEW g_person_day AS
SELECT g.k, g.nip, m.grp, m.idx, g.turns55, p.*,
       (m.idx + p.rot) % CASE m.grp WHEN 'T' THEN p.n_t WHEN 'F' THEN p.n_f ELSE p.n_s END AS pos,
       hashint8(g.k * 65536 + (p.day - date '2000-01-01')) & 1023 AS luck
FROM g_member m
JOIN sample.gen_staff g ON g.k = m.k
JOIN g_plan p ON p.unit = m.unit AND p.epoch = m.epoch;

INSERT INTO sample.attendance (nip, day, status)
SELECT nip, day,
       CASE
           -- planted breaches first, so no leave or sickness hides them
           WHEN grp = 'T' AND idx = home_t THEN 'home'
           WHEN grp = 'F' AND idx = home_f THEN 'home'
           WHEN grp = 'S' AND home_piket AND pos = 0 THEN 'home'
           WHEN grp = 'S' AND pos >= n_piket AND pos < n_piket + extra_s THEN 'office'
           WHEN grp <> 'S' AND all_l_in THEN 'office'
           -- leave, sickness, official duty away from the office: about 7% of days
           WHEN luck < 26 THEN 'leave'
           WHEN luck < 41 THEN 'sick'
           WHEN luck < 72 THEN 'duty'
           WHEN shut THEN 'home'
           -- Kukar: staff over 55 are not required in the office, and stay home
           WHEN must_leaders AND grp <> 'S' AND day > turns55 THEN 'home'
           WHEN pos < CASE grp WHEN 'T' THEN k_t WHEN 'F' THEN k_f ELSE k_s END THEN 'office'
           ELSE 'home'
       END
FROM g_person_day
-- days nobody recorded: the planted one, and about 0.4% of the days of
-- staff who are neither on the piket roster nor part of a planted breach
WHERE NOT (grp = 'T' AND idx IS NOT DISTINCT FROM absent_t)
  AND NOT (grp = 'S' AND luck >= 1020 AND pos >= n_piket + extra_s
           AND NOT home_piket AND NOT planted_share);

INSERT INTO sample.duty_roster (nip, day)
SELECT nip, day FROM g_person_day WHERE grp = 'S' AND pos < n_piket;

-- ---------------------------------------------------------------------------
-- Keys and indexes after the load.

ALTER TABLE sample.staff ADD PRIMARY KEY (nip);
ALTER TABLE sample.assignment ADD PRIMARY KEY (nip, valid_from);
ALTER TABLE sample.assignment ADD FOREIGN KEY (nip) REFERENCES sample.staff;
ALTER TABLE sample.attendance ADD PRIMARY KEY (nip, day);
ALTER TABLE sample.duty_roster ADD PRIMARY KEY (nip, day);
CREATE INDEX attendance_day_idx ON sample.attendance (day);
CREATE INDEX duty_roster_day_idx ON sample.duty_roster (day);
CREATE INDEX assignment_unit_idx ON sample.assignment (unit_id);
ALTER TABLE sample.attendance ADD FOREIGN KEY (nip) REFERENCES sample.staff;
ALTER TABLE sample.duty_roster ADD FOREIGN KEY (nip) REFERENCES sample.staff;

-- The generator's working tables go; only the HR data stays.
DROP VIEW g_person_day;
DROP TABLE sample.gen_staff;

ANALYZE sample.unit;
ANALYZE sample.staff;

COMMIT;

-- The visibility map, so that index-only scans of the calendar and keys
-- need not visit the heap (ANALYZE alone does not set it).
VACUUM (ANALYZE) sample.assignment, sample.attendance, sample.duty_roster;

\echo 'sample HR database loaded:'
SELECT (SELECT count(*) FROM sample.unit) AS units,
       (SELECT count(*) FROM sample.staff) AS staff,
       (SELECT count(*) FROM sample.assignment WHERE valid_to IS NOT NULL) AS transfers,
       (SELECT count(*) FROM sample.attendance) AS attendance,
       (SELECT count(*) FROM sample.duty_roster) AS piket,
       (SELECT min(day) || ' .. ' || max(day) FROM sample.attendance) AS days;

\set ON_ERROR_STOP :hr_saved_on_error_stop
\set QUIET :hr_saved_quiet
\unset hr_saved_on_error_stop
\unset hr_saved_quiet
