#!/usr/bin/env bash
# make bench, the Citus section (scripts/bench.sh runs it when BENCH_CITUS=1,
# or when Citus is already in the cache; BENCH_CITUS=0 skips it):
# compliance() over the same roster table, about 1M rows (November 2020,
# staff = 50,000; BENCH_QUICK=1: 5,000), on a single node and on a Citus
# cluster of a coordinator and two workers on this machine, the roster
# distributed by day and by person; side by side (each round runs every
# configuration in turn, after one warm-up round), medians of 5 with the
# fastest and slowest.  Appends its table to bench/RESULTS.md.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/citus_lib.sh"

need_base_packages
build_and_install
citus_install_into "$HRPOLICY_DESTDIR"
work=$(mktemp -d /tmp/hrpolicy-bench-citus.XXXXXX)
chmod 755 "$work"
trap 'citus_cluster_stop; rm -rf "$work" "$HRPOLICY_DESTDIR"' EXIT
citus_cluster_start "$work/cluster"
cd "$HRPOLICY_ROOT"

from=2020-11-02
through=2020-11-30
staff=$([ -n "${BENCH_QUICK:-}" ] && echo 5000 || echo 50000)
reps=5
results=bench/RESULTS.md
export PGOPTIONS='-c client_min_messages=error -c jit=off'

decrees() {  # database
	local f
	for f in examples/0*.sql; do citus_psql 0 -d "$1" -o /dev/null -f "$f"; done
}

# The single node: a database without Citus on the coordinator's server.
citus_psql 0 -d postgres -c 'CREATE DATABASE single'
citus_psql 0 -d single -o /dev/null -v staff="$staff" -v from_day="$from" -v through_day="$through" \
	-f demo/sample_hr.sql -c 'CREATE EXTENSION hrpolicy CASCADE' -f demo/roster.sql
decrees single
citus_psql 0 -d single -o /dev/null <<SQL
CREATE TABLE roster_table AS SELECT * FROM sample.roster WHERE day BETWEEN '$from' AND '$through';
VACUUM ANALYZE roster_table;
SELECT hrpolicy.use_roster('roster_table');
SQL
rows=$(citus_psql 0 -d single -At -c 'SELECT count(*) FROM roster_table')

# The cluster: the same roster table, copied, distributed by day and by person.
for key in day person; do
	citus_database "hr_$key"
	citus_psql 0 -d "hr_$key" -o /dev/null -c 'CREATE EXTENSION hrpolicy CASCADE' \
		-c 'CREATE TABLE roster_table (unit ltree, day date, person text, status text, tags text[])'
	decrees "hr_$key"
	citus_psql 0 -d single -c 'COPY roster_table TO STDOUT' |
		citus_psql 0 -d "hr_$key" -c 'COPY roster_table FROM STDIN'
	citus_psql 0 -d "hr_$key" -o /dev/null \
		-c "SELECT create_distributed_table('roster_table', '$key')" \
		-c 'VACUUM ANALYZE roster_table' -c "SELECT hrpolicy.use_roster('roster_table')"
done

configs=(single hr_day hr_person)
declare -A times
report="SELECT count(q.*) FROM hrpolicy.compliance('$from', '$through') q"
for round in $(seq 0 $reps); do
	for db in "${configs[@]}"; do
		ms=$(citus_psql 0 -d "$db" -c '\timing on' -c "$report" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p')
		[ "$round" -gt 0 ] && times[$db]+="$ms "    # round 0 warms up
	done
done
stats() {  # median min max of the words given
	printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { printf "%.0f %.0f %.0f", a[int((NR + 1) / 2)], a[1], a[NR] }'
}
read -r single_med single_lo single_hi <<<"$(stats ${times[single]})"
{
	echo "### Citus 13.2.2: compliance() over $rows roster rows (a table; the seed catalog), November 2020"
	echo
	echo "A coordinator and two workers on this machine ($(nproc) cores), 8 shards; the single node is a database"
	echo "without Citus on the coordinator's server. Medians of $reps rounds side by side, fastest and slowest."
	echo
	echo "| roster | median ms | min - max | ratio to single node |"
	echo "|---|---:|---:|---:|"
	for db in "${configs[@]}"; do
		read -r med lo hi <<<"$(stats ${times[$db]})"
		case $db in
		single) label='single node' ;;
		hr_day) label='distributed by day (tally_each() whole on the workers)' ;;
		hr_person) label='distributed by person (partial states on the workers, combined on the coordinator)' ;;
		esac
		echo "| $label | $med | $lo - $hi | $(awk -v a="$med" -v b="$single_med" 'BEGIN { printf "%.2f", a / b }') |"
	done
	echo
} | tee -a "$results"
# Verdict lines for the record: two workers sharing this machine's cores
# with the coordinator measure overheads, not a speed-up; no target.
for db in hr_day hr_person; do
	read -r med lo hi <<<"$(stats ${times[$db]})"
	echo "bench: citus_${db#hr_}_vs_single_node(rows=$rows) ratio=$(awk -v a="$med" -v b="$single_med" 'BEGIN { printf "%.2f", a / b }') target=none skip"
done
