-- Kota Balikpapan (Kalimantan Timur), August 2020: seed 002, Kaltim Post,
-- "50 Persen ASN di Balikpapan Kerja dari Rumah" (50 percent of Balikpapan's
-- civil servants work from home).
--
-- Scope: balikpapan.  Load after 00_national.sql (58/2020, then 67/2020, apply
-- beside it).  Closures and public-service units are in 06_circumstances.sql.

BEGIN;

-- "Edaran ini berlaku mulai Sabtu (1/8). Selama pemberlakuan kebijakan
--  terbaru ini, SE Wali Kota Nomor 800/373/Org tentang Sistem Kerja Aparatur
--  di lingkungan pemerintah Kota Balikpapan dalam tatanan kenormalan baru
--  tetap berlaku."
-- (The circular is in force from Saturday 1 August.  While it is, circular
--  800/373/Org on the work system of the city's staff in the new normal
--  stays in force.)
--
-- The earlier circular is kept beside the new one: neither amends nor
-- revokes the other.  Its rules and first day are not in the report; we
-- assume it began with the national new normal (5 June 2020) and give it no
-- rules, so it shows in policies_in_force but checks nothing.
INSERT INTO hrpolicy.policy (code, title, issuer, issued_on, valid, scope, note) VALUES
    ('SE-BALIKPAPAN-800/373/Org',
     'Sistem Kerja Aparatur di Lingkungan Pemerintah Kota Balikpapan dalam Tatanan Kenormalan Baru',
     'Wali Kota Balikpapan', NULL, '[2020-06-05,)', 'balikpapan',
     'content and first day not reported (first day assumed: 5 June 2020, the national new normal); stays in force beside 800/0437/Org');

-- "Kebijakan ini tertuang dalam Surat Edaran Wali Kota Balikpapan Nomor
--  800/0437/Org tentang pengaturan kehadiran aparatur di lingkungan Pemkot
--  Balikpapan. Bahwa terhitung pada Senin (3/8), jumlah kehadiran aparatur
--  harus diatur setiap harinya."
-- (Circular 800/0437/Org of the Mayor of Balikpapan on the attendance of the
--  city's staff: from Monday 3 August, attendance must be arranged every day.)
-- The circular is in force from Saturday 1 August (quoted above); the first
-- working day is Monday 3 August.  No last day.
INSERT INTO hrpolicy.policy (code, title, issuer, issued_on, valid, scope, note) VALUES
    ('SE-BALIKPAPAN-800/0437/Org',
     'Pengaturan Kehadiran Aparatur di Lingkungan Pemerintah Kota Balikpapan',
     'Wali Kota Balikpapan', NULL, '[2020-08-01,)', 'balikpapan',
     'attendance at most 50% of each unit every day; a unit closes for three days after a confirmed positive case; public-service units schedule by need');

INSERT INTO hrpolicy.rule (policy, name, quota, counts, who, unless, excused, only_when) VALUES
-- "Tepatnya mencapai komposisi kehadiran maksimal 50 persen dari jumlah
--  keseluruhan aparatur pada unit kerja."
-- (An attendance of at most 50 percent of all staff of the unit.)
-- "Secara teknis, kepala perangkat daerah mengatur jadwal kehadiran aparatur
--  pada unit kerja dan UPTD di bawahnya."
-- (The head of each agency schedules attendance in the unit and the UPTDs
--  under it.)  Each unit on the roster, OPD or UPTD, is checked on its own.
-- Base: everyone on the unit's roster that day ("keseluruhan aparatur": all
-- staff, civil servants or not); part: those in the office.
-- "Sementara unit kerja yang memberikan pelayanan publik langsung kepada
--  masyarakat dan membuka loket pelayanan. Dengan demikian, perlu mengatur
--  jadwal kehadiran aparatur dan operasional loket sesuai kebutuhan."
-- (Units serving the public directly and opening service counters must
--  schedule staff and counters by need.)  Read as an exemption from the 50%:
--  the cap holds only where no circumstance public-service covers the unit.
-- "Selanjutnya mengatur sistem penjadwalan petugas operasional lapangan
--  dengan menyesuaikan kebutuhan." (Field officers are scheduled by need.)
--  Field work is status duty, which the cap does not count.
    ('SE-BALIKPAPAN-800/0437/Org', 'attendance-cap', '<=50%', '{office}', '{}', '{}', '{}', '!public-service'),

-- "Apabila ada aparatur yang terkonfirmasi positif, sesuai aturan kegiatan
--  pelayanan dan perkantoran dalam unit kerja ditutup selama tiga hari."
-- (If a staff member is confirmed positive, service and office activities in
--  the unit are closed for three days.)
-- A closure is a circumstance closed on the unit for three calendar days
-- from the day the case is confirmed (06_circumstances.sql); on those days
-- nobody may be in the office, public-service units included.
    ('SE-BALIKPAPAN-800/0437/Org', 'closure', 'none', '{office}', '{}', '{}', '{}', 'closed');

-- Not encoded: the duties of staff working from home (stay home, be
-- reachable, come in when called, report in e-kinerja) are not attendance
-- quotas.  "bersedia hadir setiap saat apabila diperlukan" (ready to come in
-- whenever needed): such a call-in counts in the office like anyone else.

COMMIT;
