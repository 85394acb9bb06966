#!/usr/bin/env bash
# make bench: build, start a throwaway cluster, and run the benchmarks at
# several scales; BENCH_QUICK=1 runs the smallest scale only.  Prints a
# table per scale, then one line per measure:
#   bench: <name> ratio=<x> target=<y> ok|MISS
# and writes bench/RESULTS.md.
. "$(dirname "$0")/lib.sh"

if [ -z "${HRPOLICY_IN_CLUSTER:-}" ]; then
	need_base_packages
	build_and_install
	cd "$HRPOLICY_ROOT"
	status=0
	# Fixed settings, so that runs compare: no JIT (it switches on at some
	# sizes and not others), the default work_mem, two parallel workers.
	CLUSTER_OPTS="jit=off work_mem=4MB max_parallel_workers_per_gather=2 shared_buffers=256MB ${CLUSTER_OPTS:-}" \
		HRPOLICY_IN_CLUSTER=1 with_cluster bash "$0" "$@" || status=$?
	exit $status
fi

# Inside the cluster.
cd "$HRPOLICY_ROOT"
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

from=2020-06-08          # 20 working days, Monday 8 June to Friday 3 July 2020
through=2020-07-03
if [ -n "${BENCH_QUICK:-}" ]; then
	scales=(5000)
	reps=3
	catalogs=(100 10000)
	lookups=300
else
	scales=(5000 50000 250000)
	reps=3
	catalogs=(100 10000 100000)
	lookups=500
fi
db=hrpolicy_bench
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
results=bench/RESULTS.md
finals=()

q() { psql -qX -v ON_ERROR_STOP=1 -d "$db" "$@"; }
val() { psql -qXAt -v ON_ERROR_STOP=1 -d "$db" "$@"; }
now() { date +%s.%N; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
verdict() {  # name ratio target [le|ge]
	local ok
	ok=$(awk -v r="$2" -v t="$3" -v how="${4:-le}" 'BEGIN { print ((how == "le" ? r <= t : r >= t) ? "ok" : "MISS") }')
	finals+=("bench: $1 ratio=$2 target=$3 $ok")
}

psql -qX -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
q -c 'CREATE EXTENSION hrpolicy CASCADE' -f bench/functions.sql
for f in examples/0*.sql; do q -o /dev/null -f "$f"; done

{
	echo "# hrpolicy benchmarks"
	echo
	echo "Measured by \`make bench\`$([ -n "${BENCH_QUICK:-}" ] && echo ' (BENCH_QUICK=1)') on $(date -u +%Y-%m-%d)."
	echo "Machine: $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM;"
	echo "$(val -c 'SELECT version()' | cut -d, -f1); jit=off, work_mem=4MB, max_parallel_workers_per_gather=2."
	echo "Data: the sample HR database (demo/sample_hr.sql) over 20 working days ($from to $through), the decrees of examples/."
	echo "Times are medians of $reps runs measured side by side (each run takes every query in turn)."
	echo
} > "$results"

declare -A report_ratio dba_ratio tally_ratio parallel_ratio memory_ratio
for staff in "${scales[@]}"; do
	t0=$(now)
	q -o /dev/null -v staff="$staff" -v from_day="$from" -v through_day="$through" -f demo/sample_hr.sql -f demo/roster.sql
	gen=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
	q -o /dev/null -c "SELECT hrpolicy.use_roster('sample.roster')" -c "SELECT bench.flatten_rules('$from', '$through')"
	rows=$(val -c "SELECT count(*) FROM sample.roster WHERE day BETWEEN '$from' AND '$through'")

	# The DBA's query and hrpolicy give the same rows.
	mismatches=$(val -c "
		WITH h AS (SELECT day, unit::text AS unit, policy, rule, hrpolicy.part(tally) AS part,
		                  hrpolicy.total(tally) AS total, ok
		           FROM hrpolicy.compliance('$from', '$through')),
		     d AS (SELECT day, unit::text, policy, rule, part, total, ok FROM ($(val -c "SELECT bench.dba_query('$from', '$through')")) x)
		SELECT (SELECT count(*) FROM (SELECT * FROM h EXCEPT ALL SELECT * FROM d) a)
		     + (SELECT count(*) FROM (SELECT * FROM d EXCEPT ALL SELECT * FROM h) b)")
	report_rows=$(val -c "SELECT count(*) FROM hrpolicy.compliance('$from', '$through')")
	if [ "$mismatches" != 0 ]; then
		echo "bench: the hand-written SQL and compliance() disagree on $mismatches rows at staff=$staff" >&2
		exit 1
	fi

	dba=$(val -c "SELECT bench.dba_query('$from', '$through')")
	val -F '|' -v dba="$dba" > "$out/times" <<SQL
SELECT * FROM bench.side_by_side(
    ARRAY['floor', 'compliance', 'hand_sql', 'tally', 'count_filter'],
    ARRAY[
        \$\$SELECT unit, day, count(*) FROM sample.roster WHERE day BETWEEN '$from' AND '$through' GROUP BY unit, day\$\$,
        \$\$SELECT * FROM hrpolicy.compliance('$from', '$through')\$\$,
        :'dba',
        \$\$SELECT unit, day, hrpolicy.tally(status = 'office') FROM sample.roster WHERE day BETWEEN '$from' AND '$through' GROUP BY unit, day\$\$,
        \$\$SELECT unit, day, count(*) FILTER (WHERE status = 'office'), count(status) FROM sample.roster WHERE day BETWEEN '$from' AND '$through' GROUP BY unit, day\$\$],
    $reps);
SQL
	t() { awk -F'|' -v n="$1" '$1 == n { print $2 }' "$out/times"; }
	serial=$(val -c "SET max_parallel_workers_per_gather = 0" -c "SELECT bench.median_ms(\$\$SELECT * FROM hrpolicy.compliance('$from', '$through')\$\$, $reps)" | tail -1)
	parallel=$(val -c "SELECT bench.median_ms(\$\$SELECT * FROM hrpolicy.compliance('$from', '$through')\$\$, $reps)")

	# Peak memory of the backend (anonymous RSS above its idle size) during
	# the report over 5 days and over 20 days.
	peak() {  # days
		local pidfile="$out/pid" last="$1" pid base max=0 rss
		rm -f "$pidfile"
		psql -qXAt -d "$db" -c "SELECT pg_backend_pid()" -o "$pidfile" \
			-c "SELECT pg_sleep(0.5)" \
			-c "SELECT count(*) FROM hrpolicy.compliance('$from', date '$from' + $last - 1)" >/dev/null &
		local job=$!
		while [ ! -s "$pidfile" ]; do sleep 0.02; done
		pid=$(head -1 "$pidfile" | tr -d " ")
		base=$(awk '/RssAnon/ { print $2 }' "/proc/$pid/status")
		while kill -0 "$job" 2>/dev/null; do
			rss=$(awk '/RssAnon/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
			[ -n "$rss" ] && [ "$rss" -gt "$max" ] && max=$rss
			sleep 0.02
		done
		wait "$job"
		echo $(( (max > base ? max - base : 0) / 1024 ))
	}
	mem5=$(peak 5)
	mem20=$(peak 26)

	report_ratio[$staff]=$(ratio "$(t compliance)" "$(t floor)")
	dba_ratio[$staff]=$(ratio "$(t compliance)" "$(t hand_sql)")
	tally_ratio[$staff]=$(ratio "$(t tally)" "$(t count_filter)")
	parallel_ratio[$staff]=$(ratio "$serial" "$parallel")
	memory_ratio[$staff]=$(ratio "$((mem20 + 1))" "$((mem5 + 1))")

	table=$(cat <<TABLE
### staff = $staff: $rows roster rows, $report_rows compliance rows (generated in ${gen} s)

| measure | median ms | ratio |
|---|---:|---:|
| floor: \`SELECT unit, day, count(*) ... GROUP BY\` | $(t floor) | 1.00 |
| \`hrpolicy.compliance()\` | $(t compliance) | ${report_ratio[$staff]} x floor |
| hand-written SQL (count(*) FILTER, numeric %), same rows | $(t hand_sql) | compliance / hand = ${dba_ratio[$staff]} |
| \`tally(status = 'office')\` per unit-day | $(t tally) | tally / count = ${tally_ratio[$staff]} |
| \`count(*) FILTER (...)\`, \`count(status)\` per unit-day | $(t count_filter) | |
| compliance, no parallel workers | $serial | |
| compliance, 2 parallel workers | $parallel | speed-up ${parallel_ratio[$staff]} |
| backend memory above idle, report over 5 / 20 days | ${mem5} MB / ${mem20} MB | |

TABLE
)
	echo "$table"
	echo "$table" >> "$results"
done

largest=${scales[-1]}
middle=${scales[$(( ${#scales[@]} > 1 ? 1 : 0 ))]}
verdict "compliance_vs_floor(staff=$largest)" "${report_ratio[$largest]}" 1.5
verdict "compliance_vs_hand_sql(staff=$largest)" "${dba_ratio[$largest]}" 1.1
verdict "tally_vs_count_filter(staff=$largest)" "${tally_ratio[$largest]}" 1.1
verdict "parallel_speedup(staff=$largest)" "${parallel_ratio[$largest]}" 1.3 ge
verdict "memory_20_vs_5_days(staff=$largest)" "${memory_ratio[$largest]}" 1.5

# Enforcement overhead on a bulk load into a partitioned attendance table
# (most real schemas partition it by month): the attendance of the middle
# scale loaded into an empty partitioned copy, which the roster then
# reads, without and with enforce(), alternately; the load commits, so the
# check of its 20 days is in the time.
q -o /dev/null -v staff="$middle" -v from_day="$from" -v through_day="$through" -f demo/sample_hr.sql -f demo/roster.sql
q -o /dev/null <<SQL
CREATE UNLOGGED TABLE bench.load_source AS SELECT * FROM sample.attendance;
CREATE TABLE bench.attendance_parted (LIKE sample.attendance INCLUDING DEFAULTS) PARTITION BY RANGE (day);
CREATE TABLE bench.attendance_2020_06 PARTITION OF bench.attendance_parted FOR VALUES FROM ('2020-06-01') TO ('2020-07-01');
CREATE TABLE bench.attendance_2020_07 PARTITION OF bench.attendance_parted FOR VALUES FROM ('2020-07-01') TO ('2020-08-01');
CREATE INDEX ON bench.attendance_parted (day);
DO \$\$
BEGIN
    EXECUTE 'CREATE OR REPLACE VIEW sample.roster AS '
            || replace(pg_get_viewdef('sample.roster'::regclass), 'sample.attendance', 'bench.attendance_parted');
END
\$\$;
SELECT hrpolicy.use_roster('sample.roster');
SQL
load_rows=$(val -c "SELECT count(*) FROM bench.load_source")
load() {
	local t0
	t0=$(now)
	q -c "INSERT INTO bench.attendance_parted SELECT * FROM bench.load_source"
	awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.0f\n", (b - a) * 1000 }'
}
plain=() enforced=()
for i in 1 2 3 4 5; do
	q -o /dev/null -c "SELECT hrpolicy.unenforce('bench.attendance_parted')" \
		-c "TRUNCATE bench.attendance_parted" -c "VACUUM bench.attendance_parted"
	plain+=("$(load)")
	q -o /dev/null -c "TRUNCATE bench.attendance_parted" -c "VACUUM bench.attendance_parted" \
		-c "SELECT hrpolicy.enforce('bench.attendance_parted', 'day')"
	enforced+=("$(load)")
done
q -o /dev/null -c "SELECT hrpolicy.unenforce('bench.attendance_parted')"
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
plain_ms=$(median "${plain[@]}")
enforced_ms=$(median "${enforced[@]}")
enforce_ratio=$(ratio "$enforced_ms" "$plain_ms")
table=$(cat <<TABLE
### enforcement: loading $load_rows attendance rows into a partitioned table (one INSERT, committed)

| load | median ms (min - max of 5) |
|---|---:|
| without enforce() | $plain_ms ($(printf '%s\n' "${plain[@]}" | sort -n | head -1) - $(printf '%s\n' "${plain[@]}" | sort -n | tail -1)) |
| with enforce() (20 days checked at commit: caps, and persons counted twice) | $enforced_ms ($(printf '%s\n' "${enforced[@]}" | sort -n | head -1) - $(printf '%s\n' "${enforced[@]}" | sort -n | tail -1)) |

TABLE
)
echo "$table"
echo "$table" >> "$results"
verdict "enforced_vs_plain_load(rows=$load_rows, partitioned)" "$enforce_ratio" 1.5

# Resolution on amendment graphs that defeat a walk of every path: a chain
# of 1,500 decrees each amending the one before, and 200 decrees each
# amending all earlier ones.  ms per rules_in_force(), median of 20.
q -o /dev/null <<'SQL'
DELETE FROM hrpolicy.circumstance;
UPDATE hrpolicy.policy SET amends = '{}', revokes = '{}';
DELETE FROM hrpolicy.policy;
BEGIN;
SET CONSTRAINTS ALL DEFERRED;
INSERT INTO hrpolicy.policy (code, valid, scope, amends)
SELECT 'CHAIN-' || i, '[2020-01-01,)', 'chain', CASE WHEN i > 1 THEN ARRAY['CHAIN-' || (i - 1)] ELSE '{}' END
FROM generate_series(1, 1500) i;
INSERT INTO hrpolicy.policy (code, valid, scope, amends)
SELECT 'FAN-' || i, '[2020-01-01,)', 'fan', ARRAY(SELECT 'FAN-' || j FROM generate_series(1, i - 1) j)
FROM generate_series(1, 200) i;
INSERT INTO hrpolicy.rule (policy, name, quota)
SELECT code, 'rule-' || (hashtext(code) & 7), '<=50%' FROM hrpolicy.policy;
COMMIT;
ANALYZE hrpolicy.policy;
ANALYZE hrpolicy.rule;
SQL
chain_ms=$(val -c "SELECT bench.median_ms(\$\$SELECT * FROM hrpolicy.rules_in_force('2020-06-01', 'chain.unit')\$\$, 20)")
fan_ms=$(val -c "SELECT bench.median_ms(\$\$SELECT * FROM hrpolicy.rules_in_force('2020-06-01', 'fan.unit')\$\$, 20)")
table=$(cat <<TABLE
### resolution on deep amendment graphs: ms per \`rules_in_force()\`, median of 20

| catalog | ms |
|---|---:|
| a chain of 1,500 decrees, each amending the one before | $chain_ms |
| 200 decrees, each amending all earlier ones (19,900 amendments) | $fan_ms |

TABLE
)
echo "$table"
echo "$table" >> "$results"
verdict "rules_in_force_chain_1500_ms" "$chain_ms" 50
verdict "rules_in_force_fan_in_200_ms" "$fan_ms" 50

# rules_in_force against catalogs of growing size.
declare -A lookup
for n in "${catalogs[@]}"; do
	q -o /dev/null -c "SELECT bench.make_catalog($n)"
	lookup[$n]=$(val -c "SELECT bench.lookup_ms($lookups)")
done
{
	echo "### rules_in_force: ms per lookup ($lookups lookups of random units and days)"
	echo
	echo "| decrees | ms per lookup |"
	echo "|---:|---:|"
	for n in "${catalogs[@]}"; do echo "| $n | ${lookup[$n]} |"; done
	echo
} | tee -a "$results"
first=${catalogs[0]}
last=${catalogs[-1]}
verdict "rules_in_force_${last}_vs_${first}" "$(ratio "${lookup[$last]}" "${lookup[$first]}")" 3

{
	echo "### Verdicts"
	echo
	echo '```'
	printf '%s\n' "${finals[@]}"
	echo '```'
} >> "$results"
printf '%s\n' "${finals[@]}"
psql -qX -d postgres -c "DROP DATABASE $db"
