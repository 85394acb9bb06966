#!/usr/bin/env bash
# pg_upgrade of a database that uses hrpolicy: decrees, a roster, an
# enforced table.  pg_upgrade restores the extension's objects one by one
# in dependency order (not with CREATE EXTENSION), so every function body
# must restore before the objects it only names at run time exist (a SQL
# function whose body sorts by ltree needs ltree's operator class, which
# may come after it).  The reports, resolution and diagnose() answer the
# same after the upgrade, and enforcement still refuses a breach.
# Runs inside the throwaway cluster (PG* variables set by pg_virtualenv):
# it makes two more clusters of the same server version and upgrades one
# into the other, loading the extension from the same place as the
# running cluster (extension_destdir, Debian's; a server without it, as
# make test-versions builds, has the extension in its own directories).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

bindir=$(pg_config --bindir 2>/dev/null || true)
[ -x "$bindir/pg_upgrade" ] || bindir=$(dirname "$(command -v postgres 2>/dev/null || echo /usr/lib/postgresql/15/bin/postgres)")
destdir=$(psql -qXAt -d postgres -c "SELECT current_setting('extension_destdir', true)")
work=$(mktemp -d)
chmod 777 "$work"
# The servers get the environment of the running one (make sanitize runs
# it with the ASan runtime preloaded, which an instrumented library needs).
server_env=()
if [ -n "${SANITIZE_WORK:-}" ] && [ -f "$SANITIZE_WORK/environment" ]; then
	while IFS= read -r line; do
		value=${line#* = }
		value=${value#\'}
		server_env+=("${line%% = *}=${value%\'}")
	done <"$SANITIZE_WORK/environment"
fi
as_owner() {  # initdb and pg_upgrade refuse to run as root
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- env "${server_env[@]}" "$@"
	else
		env "${server_env[@]}" "$@"
	fi
}
cleanup() {
	for c in old new; do
		[ -f "$work/$c/postmaster.pid" ] && as_owner "$bindir/pg_ctl" -D "$work/$c" -m immediate stop >/dev/null 2>&1
	done
	rm -rf "$work"
}
trap cleanup EXIT
port_old=$((20000 + RANDOM % 10000))
port_new=$((port_old + 1))
opts="${destdir:+-c extension_destdir=$destdir }-c unix_socket_directories=$work -c listen_addresses="
for c in old new; do
	as_owner "$bindir/initdb" -D "$work/$c" -U postgres -A trust --no-sync >"$work/initdb-$c.log" 2>&1
done
as_owner "$bindir/pg_ctl" -D "$work/old" -o "$opts -p $port_old" -l "$work/old.log" -w start >/dev/null

q() {  # port, then psql arguments
	local port=$1
	shift
	psql -qX -v ON_ERROR_STOP=1 -h "$work" -p "$port" -U postgres "$@"
}
q "$port_old" -d postgres -c 'CREATE DATABASE hr'
q "$port_old" -d hr -o /dev/null <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION hrpolicy CASCADE;
INSERT INTO hrpolicy.policy (code, valid, scope, amends) VALUES
    ('SE-58/2020', '[2020-06-05,)', NULL, '{}'),
    ('SE-67/2020', '[2020-09-04,)', NULL, '{SE-58/2020}'),
    ('SE-KUPANG/2020', '[2020-11-17,)', 'kupang', '{}');
INSERT INTO hrpolicy.rule (policy, name, quota, who, excused, only_when) VALUES
    ('SE-58/2020', 'wfo-cap', '<=50%', '{}', '{}', NULL),
    ('SE-67/2020', 'wfo-cap', '<=25%', '{}', '{}', 'zone:high'),
    ('SE-KUPANG/2020', 'structural-in', '>=50%', '{structural}', '{leave,sick}', NULL);
INSERT INTO hrpolicy.circumstance (scope, valid, label) VALUES ('kupang', '[2020-11-01,2021-02-28]', 'zone:high');
CREATE SCHEMA hr;
CREATE TABLE hr.attendance (unit ltree NOT NULL, day date NOT NULL, person text NOT NULL,
                            status text NOT NULL, structural boolean NOT NULL DEFAULT false,
                            PRIMARY KEY (person, day)) PARTITION BY RANGE (day);
CREATE TABLE hr.attendance_2020_11 PARTITION OF hr.attendance FOR VALUES FROM ('2020-11-01') TO ('2020-12-01');
CREATE VIEW hr.roster AS
    SELECT unit, day, person, status,
           CASE WHEN structural THEN ARRAY['structural'] ELSE ARRAY[]::text[] END AS tags
    FROM hr.attendance;
INSERT INTO hr.attendance
SELECT u, d, u::text || '-p' || i, CASE WHEN (i + extract(day FROM d)::int) % 5 = 0 THEN 'office' ELSE 'home' END, i <= 2
FROM unnest('{kupang.bkpsdm,kupang.dinkes,belu.x}'::ltree[]) AS u,
     generate_series(date '2020-11-16', date '2020-11-20', interval '1 day') AS d,
     generate_series(1, 12) AS i;
SELECT hrpolicy.use_roster('hr.roster');
SELECT hrpolicy.enforce('hr.attendance', 'day');
SQL
answers() {  # port: what the extension answers, in a stable order
	q "$1" -d hr -At <<'SQL'
SET datestyle = ISO;
SELECT * FROM hrpolicy.compliance('2020-11-16', '2020-11-20') c ORDER BY c.day, c.unit::text, c.policy, c.rule;
SELECT * FROM hrpolicy.conflicts('2020-11-16', '2020-11-20') c ORDER BY c.day, c.unit::text;
SELECT * FROM hrpolicy.diagnose('2020-11-16', '2020-11-20');
SELECT * FROM hrpolicy.rules_in_force('2020-11-18', 'kupang.bkpsdm');
SELECT tbl, day_column FROM hrpolicy.enforcement;
SELECT '[2020-11-16,2020-11-20]'::hrpolicy.validity, hrpolicy.label('PEMKOT-KUPANG 4.01');
SQL
}
answers "$port_old" >"$work/before"
as_owner "$bindir/pg_ctl" -D "$work/old" -w stop >/dev/null

if ! (cd "$work" && as_owner "$bindir/pg_upgrade" -b "$bindir" -B "$bindir" -d "$work/old" -D "$work/new" \
		-p "$port_old" -P "$port_new" -s "$work" -U postgres -o "$opts" -O "$opts" >"$work/pg_upgrade.log" 2>&1); then
	echo "pg_upgrade: FAILED"
	tail -n 15 "$work/pg_upgrade.log"
	find "$work" -name 'pg_upgrade_dump_*.log' -newer "$work/before" -exec tail -n 8 {} \; 2>/dev/null || true
	exit 1
fi
as_owner "$bindir/pg_ctl" -D "$work/new" -o "$opts -p $port_new" -l "$work/new.log" -w start >/dev/null
answers "$port_new" >"$work/after"
if ! diff -u "$work/before" "$work/after"; then
	echo "pg_upgrade: FAILED: the upgraded database answers differently"
	exit 1
fi
# A breach is still refused (the DO block undoes the write either way).
outcome=$(q "$port_new" -d hr -At -c "SET client_min_messages = notice" -c "
DO \$\$
BEGIN
    UPDATE hr.attendance SET status = 'office' WHERE unit = 'kupang.bkpsdm' AND day = '2020-11-18';
    SET CONSTRAINTS ALL IMMEDIATE;
    RAISE NOTICE 'not refused';
    RAISE EXCEPTION USING ERRCODE = 'assert_failure';
EXCEPTION
    WHEN check_violation THEN RAISE NOTICE 'refused';
    WHEN assert_failure THEN NULL;
END
\$\$" 2>&1)
if ! grep -q 'NOTICE:  refused' <<<"$outcome"; then
	echo "pg_upgrade: FAILED: enforcement after the upgrade: $outcome"
	exit 1
fi
echo "pg_upgrade: $(wc -l <"$work/before") lines of reports, resolution and diagnose() the same after pg_upgrade; enforcement refuses a breach"
