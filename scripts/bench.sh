#!/usr/bin/env bash
# make bench: build, start a throwaway cluster, and measure hrpolicy against
# floors that do the same work, side by side in one run.  Prints a table
# per measure, then one verdict line per target:
#   bench: <name> ratio=<x> target=<y> ok|MISS|skip
# and writes bench/RESULTS.md.  BENCH_QUICK=1 runs the smallest scale only,
# with the same verdict lines (a measure that means nothing there says skip).
# Then compliance() on Citus against a single node (scripts/bench_citus.sh)
# when BENCH_CITUS=1, or when Citus is in the cache (BENCH_CITUS=0: never).
#
# The floor of a report reads what the report reads and groups as it does:
#   SELECT unit::text, day, count(*), count(status), sum(cardinality(tags))
#   FROM roster WHERE day BETWEEN ... GROUP BY 1, 2
# (unit as text: ltree has no hash support; status and tags read, so the
# planner keeps every join the tags need).  Every query's every column is
# produced (count(q.*)), so no measure can skip work the others do.
. "$(dirname "$0")/lib.sh"

if [ -z "${HRPOLICY_IN_CLUSTER:-}" ]; then
	need_base_packages
	build_and_install
	cd "$HRPOLICY_ROOT"
	status=0
	# Fixed settings, so that runs compare: no JIT (it switches on at some
	# sizes and not others), the default work_mem, two parallel workers.
	CLUSTER_OPTS="jit=off work_mem=4MB max_parallel_workers_per_gather=2 shared_buffers=256MB ${CLUSTER_OPTS:-}" \
		HRPOLICY_IN_CLUSTER=1 with_cluster bash ${BENCH_TRACE:+-x} "$0" "$@" || status=$?
	# Citus (scripts/bench_citus.sh): asked for, or already built.
	. scripts/citus_lib.sh
	if [ "${BENCH_CITUS:-}" = 1 ] || { [ "${BENCH_CITUS:-}" != 0 ] && citus_cached; }; then
		echo
		bash scripts/bench_citus.sh || status=1
	fi
	exit $status
fi

# Inside the cluster.
cd "$HRPOLICY_ROOT"
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

# November 2020, the seed catalogs' busiest month: 8 rules in force over 3
# decrees (21 working days).
from=2020-11-02
through=2020-11-30
if [ -n "${BENCH_QUICK:-}" ]; then
	scales=(5000)            # about 100,000 roster rows
	catalogs=(100 10000)
	lookups=300
else
	scales=(50000 250000)    # about 1 million and 5 million roster rows
	catalogs=(100 10000 100000)
	lookups=500
fi
reps=5
rule_counts=(1 8 32 64)
db=hrpolicy_bench
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
results=bench/RESULTS.md
finals=()

q() { psql -qX -v ON_ERROR_STOP=1 -d "$db" "$@"; }
val() { psql -qXAt -v ON_ERROR_STOP=1 -d "$db" "$@"; }
now() { date +%s.%N; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
verdict() {  # name ratio target [le|ge|skip]
	local ok
	if [ "${4:-le}" = skip ]; then
		ok=skip
	else
		ok=$(awk -v r="$2" -v t="$3" -v how="${4:-le}" 'BEGIN { print ((how == "le" ? r <= t : r >= t) ? "ok" : "MISS") }')
	fi
	finals+=("bench: $1 ratio=$2 target=$3 $ok")
}
emit() { echo "$1"; echo "$1" >> "$results"; }

# side NAME=QUERY ...: measure the queries side by side; fills med[NAME],
# lo[NAME], hi[NAME].  A setting in force while one of them runs comes in
# setting_of[NAME] (e.g. max_parallel_workers_per_gather=0).
declare -A med lo hi setting_of
side() {
	local names=() queries=() settings=() arg name
	for arg in "$@"; do
		name=${arg%%=*}
		names+=("$name")
		queries+=("${arg#*=}")
		settings+=("${setting_of[$name]:-NULL}")
	done
	local sql="SELECT name, median_ms, min_ms, max_ms FROM bench.side_by_side(ARRAY["
	local i sep=""
	for i in "${!names[@]}"; do
		sql+="$sep\$n\$${names[$i]}\$n\$"
		sep=,
	done
	sql+="], ARRAY["
	sep=""
	for i in "${!queries[@]}"; do
		sql+="$sep\$q\$${queries[$i]}\$q\$"
		sep=,
	done
	sql+="], $reps, ARRAY["
	sep=""
	for i in "${!settings[@]}"; do
		if [ "${settings[$i]}" = NULL ]; then sql+="${sep}NULL"; else sql+="$sep'${settings[$i]}'"; fi
		sep=,
	done
	sql+="]::text[])"
	while IFS='|' read -r name m l h; do
		med[$name]=$m
		lo[$name]=$l
		hi[$name]=$h
	done < <(val -F '|' -c "$sql")
}
row() {  # label name [ratio text]
	echo "| $1 | ${med[$2]} | ${lo[$2]} - ${hi[$2]} | ${3:-} |"
}

psql -qX -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
q -c 'CREATE EXTENSION hrpolicy CASCADE' -f bench/functions.sql

{
	echo "# hrpolicy benchmarks"
	echo
	echo "Measured by \`make bench\`$([ -n "${BENCH_QUICK:-}" ] && echo ' (BENCH_QUICK=1)') on $(date -u +%Y-%m-%d)."
	echo "Machine: $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM;"
	echo "$(val -c 'SELECT version()' | cut -d, -f1); jit=off, work_mem=4MB, max_parallel_workers_per_gather=2, shared_buffers=256MB."
	echo
	echo "Data: the sample HR database (demo/sample_hr.sql) over November 2020 ($from to $through, 21 working"
	echo "days), with the roster of the README's recipe (demo/roster.sql: every assigned person on every working"
	echo "day), and the same roster copied into a plain table, where the report's own cost is most visible."
	echo "Catalogs: the decrees of examples/ (8 rules in force that month over 3 decrees), and synthetic"
	echo "catalogs of exactly 1, 8, 32 and 64 rules in force (bench.synthetic_catalog)."
	echo
	echo "The floor reads what the report reads and groups as it does, by hashing:"
	echo "\`SELECT unit::text, day, count(*), count(status), sum(cardinality(tags)) FROM roster WHERE day BETWEEN ... GROUP BY 1, 2\`."
	echo "Every figure is the median of $reps runs taken side by side (each run takes every query of its table in"
	echo "turn, after one warm-up run), printed with the fastest and slowest; every column of every row is"
	echo "produced (count(q.*)). Verdicts use the medians."
	echo
} > "$results"

floor_of() {  # roster
	echo "SELECT unit::text, day, count(*), count(status), sum(cardinality(tags)) FROM $1 WHERE day BETWEEN '$from' AND '$through' GROUP BY 1, 2"
}
report() { echo "SELECT * FROM hrpolicy.$1('$from', '$through')"; }

declare -A rule_ratio
largest=${scales[-1]}
smallest=${scales[0]}
for staff in "${scales[@]}"; do
	t0=$(now)
	q -o /dev/null -v staff="$staff" -v from_day="$from" -v through_day="$through" \
		-f demo/sample_hr.sql -f demo/roster.sql
	q -o /dev/null -c "DELETE FROM hrpolicy.policy" 2>/dev/null || true
	for f in examples/0*.sql; do q -o /dev/null -f "$f"; done
	q -o /dev/null <<SQL
SELECT hrpolicy.use_roster('sample.roster');
SELECT bench.save_catalog();
DROP TABLE IF EXISTS bench.roster_table;
CREATE TABLE bench.roster_table AS SELECT * FROM sample.roster WHERE day BETWEEN '$from' AND '$through';
VACUUM ANALYZE bench.roster_table;
SQL
	gen=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }')
	rows=$(val -c "SELECT count(*) FROM bench.roster_table")
	rules=$(val -c "SELECT count(*) FROM hrpolicy.rule_book('$from', '$through')")
	emit "## $rows roster rows (staff = $staff, generated in $gen s)"
	emit ""

	# The hand-written report and hrpolicy agree, row for row.
	q -o /dev/null -c "SELECT bench.flatten_rules('$from', '$through')"
	mismatches=$(val -c "
		WITH h AS (SELECT day, unit::text AS unit, policy, rule, hrpolicy.part(tally) AS part,
		                  hrpolicy.total(tally) AS total, ok
		           FROM hrpolicy.compliance('$from', '$through')),
		     d AS (SELECT day, unit::text, policy, rule, part, total, ok FROM ($(val -c "SELECT bench.dba_query('$from', '$through')")) x)
		SELECT (SELECT count(*) FROM (SELECT * FROM h EXCEPT ALL SELECT * FROM d) a)
		     + (SELECT count(*) FROM (SELECT * FROM d EXCEPT ALL SELECT * FROM h) b)")
	if [ "$mismatches" != 0 ]; then
		echo "bench: the hand-written SQL and compliance() disagree on $mismatches rows at staff=$staff" >&2
		exit 1
	fi

	# 1. The roster as a plain table: the seed catalog and the synthetic ones.
	q -o /dev/null -c "SELECT hrpolicy.use_roster('bench.roster_table')"
	# (the hand-written report, slow, at the smallest scale only)
	hand=()
	if [ "$staff" = "$smallest" ]; then
		hand=(hand_sql="$(val -c "SELECT bench.dba_query('$from', '$through', 'bench.roster_table')")")
	fi
	side floor="$(floor_of bench.roster_table)" compliance="$(report compliance)" diagnose="$(report diagnose)" \
		"${hand[@]}" \
		tally="SELECT unit::text, day, hrpolicy.tally(status = 'office') FROM bench.roster_table WHERE day BETWEEN '$from' AND '$through' GROUP BY 1, 2" \
		count_filter="SELECT unit::text, day, count(*) FILTER (WHERE status = 'office'), count(status) FROM bench.roster_table WHERE day BETWEEN '$from' AND '$through' GROUP BY 1, 2"
	seed_ratio=$(ratio "${med[compliance]}" "${med[floor]}")
	tally_ratio=$(ratio "${med[tally]}" "${med[count_filter]}")
	diagnose_ratio=$(ratio "${med[diagnose]}" "${med[compliance]}")
	emit "### The roster as a table, the seed catalog ($rules rules in force)"
	emit ""
	emit "| measure | median ms | min - max | ratio |"
	emit "|---|---:|---:|---:|"
	emit "$(row 'floor' floor '1.00')"
	emit "$(row '`compliance()`' compliance "$seed_ratio x floor")"
	emit "$(row '`diagnose()`' diagnose "$diagnose_ratio x compliance")"
	if [ "$staff" = "$smallest" ]; then
		hand_ratio=$(ratio "${med[compliance]}" "${med[hand_sql]}")
		emit "$(row 'hand-written SQL (count(*) FILTER, numeric %), same rows' hand_sql "compliance / hand = $hand_ratio")"
	fi
	emit "$(row '`tally(status = ''office'')` per unit-day' tally "tally / count = $tally_ratio")"
	emit "$(row '`count(*) FILTER (...)`, `count(status)` per unit-day' count_filter '')"
	emit ""
	verdict "compliance_vs_floor(table, seed catalog $rules rules, rows=$rows)" "$seed_ratio" 1.3
	verdict "diagnose_vs_compliance(table, rows=$rows)" "$diagnose_ratio" 2.0
	if [ "$staff" = "$smallest" ]; then verdict "compliance_vs_hand_sql(table, rows=$rows)" "$hand_ratio" 1.1; fi
	verdict "tally_vs_count_filter(table, rows=$rows)" "$tally_ratio" 1.1

	emit "### The roster as a table, synthetic catalogs"
	emit ""
	emit "| rules in force | floor ms (min - max) | compliance ms (min - max) | ratio |"
	emit "|---:|---:|---:|---:|"
	for n in "${rule_counts[@]}"; do
		q -o /dev/null -c "SELECT bench.synthetic_catalog($n, '$from', '$through')"
		side floor="$(floor_of bench.roster_table)" compliance="$(report compliance)"
		rule_ratio[$n]=$(ratio "${med[compliance]}" "${med[floor]}")
		emit "| $n | ${med[floor]} (${lo[floor]} - ${hi[floor]}) | ${med[compliance]} (${lo[compliance]} - ${hi[compliance]}) | ${rule_ratio[$n]} |"
		verdict "compliance_vs_floor(table, $n rules, rows=$rows)" "${rule_ratio[$n]}" "$([ "$n" -le 8 ] && echo 1.3 || echo 2.0)"
	done
	emit ""
	q -o /dev/null -c "SELECT bench.restore_catalog()"

	# 1b. Person-week rules (two, beside the seed catalog's unit-day ones):
	# person_compliance() against a floor that reads the same rows and
	# columns and groups them by person and week, by hashing.
	q -o /dev/null -c "SELECT bench.person_catalog('$from', '$through')"
	week_from=$(val -c "SELECT date_trunc('week', '$from'::date)::date")
	week_through=$(val -c "SELECT (date_trunc('week', '$through'::date) + interval '6 days')::date")
	side floor="SELECT person, date_trunc('week', day), count(*), count(unit), count(status), sum(cardinality(tags)) FROM bench.roster_table WHERE day BETWEEN '$week_from' AND '$week_through' GROUP BY 1, 2" \
		person="$(report person_compliance)"
	person_ratio=$(ratio "${med[person]}" "${med[floor]}")
	emit "### Person-week rules (the roster as a table, 2 person-week rules)"
	emit ""
	emit "| measure | median ms | min - max | ratio |"
	emit "|---|---:|---:|---:|"
	emit "$(row 'floor: `person, date_trunc(week, day), count(*), count(unit), count(status), sum(cardinality(tags))`' floor '1.00')"
	emit "$(row '`person_compliance()`' person "$person_ratio x floor")"
	emit ""
	verdict "person_compliance_vs_floor(table, rows=$rows)" "$person_ratio" 1.5
	q -o /dev/null -c "SELECT bench.restore_catalog()"

	# 2. Parallel workers, serial and parallel in turn.
	setting_of[serial]=max_parallel_workers_per_gather=0
	side serial="$(report compliance)" parallel="$(report compliance)"
	speedup=$(ratio "${med[serial]}" "${med[parallel]}")
	emit "### Parallel workers (the roster as a table, the seed catalog)"
	emit ""
	emit "| measure | median ms | min - max | speed-up |"
	emit "|---|---:|---:|---:|"
	emit "$(row 'compliance, no parallel workers' serial)"
	emit "$(row 'compliance, 2 parallel workers' parallel "$speedup")"
	emit ""
	if [ "$rows" -ge 1000000 ] || [ -n "${BENCH_QUICK:-}" ]; then
		if [ "$staff" = "$largest" ]; then
			verdict "parallel_speedup(rows=$rows)" "$speedup" 1.5 "$([ "$rows" -lt 1000000 ] && echo skip || echo ge)"
		fi
	fi

	# 3. The recipe's roster view (the seed catalog): the same report with
	# the joins of a real roster.
	if [ "$staff" = "$smallest" ]; then
		q -o /dev/null -c "SELECT hrpolicy.use_roster('sample.roster')"
		side floor="$(floor_of sample.roster)" compliance="$(report compliance)" diagnose="$(report diagnose)"
		view_ratio=$(ratio "${med[compliance]}" "${med[floor]}")
		view_diagnose=$(ratio "${med[diagnose]}" "${med[compliance]}")
		emit "### The recipe's roster view, the seed catalog"
		emit ""
		emit "| measure | median ms | min - max | ratio |"
		emit "|---|---:|---:|---:|"
		emit "$(row 'floor' floor '1.00')"
		emit "$(row '`compliance()`' compliance "$view_ratio x floor")"
		emit "$(row '`diagnose()`' diagnose "$view_diagnose x compliance")"
		emit ""
		verdict "compliance_vs_floor(recipe view, seed catalog, rows=$rows)" "$view_ratio" 1.3
		verdict "diagnose_vs_compliance(recipe view, rows=$rows)" "$view_diagnose" 2.0
	fi

	# 4. Backend memory above idle during the report over 5 and over 21
	# working days.
	if [ "$staff" = "$largest" ]; then
		q -o /dev/null -c "SELECT hrpolicy.use_roster('bench.roster_table')"
		peak() {  # last day
			local pidfile="$out/pid" pid base max=0 rss
			rm -f "$pidfile"
			psql -qXAt -d "$db" -c "SELECT pg_backend_pid()" -o "$pidfile" \
				-c "SELECT pg_sleep(0.5)" \
				-c "SELECT count(*) FROM hrpolicy.compliance('$from', '$1')" >/dev/null &
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
		mem5=$(peak 2020-11-06)
		mem21=$(peak "$through")
		emit "### Memory: backend memory above idle, report over 5 / 21 working days: $mem5 MB / $mem21 MB"
		emit ""
		verdict "memory_21_vs_5_days(rows=$rows)" "$(ratio "$((mem21 + 1))" "$((mem5 + 1))")" 1.5
	fi
done

# 5. Enforcement overhead on a bulk load into a partitioned attendance table
# (most real schemas partition it by month): the attendance of the smallest
# scale loaded into an empty partitioned copy, which the roster then reads,
# without and with enforce(), alternately; the load commits, so the check
# of its 21 days is in the time.
q -o /dev/null -v staff="$smallest" -v from_day="$from" -v through_day="$through" \
	-f demo/sample_hr.sql -f demo/roster.sql
q -o /dev/null -c "SELECT bench.restore_catalog()"
q -o /dev/null <<SQL
DROP TABLE IF EXISTS bench.load_source, bench.attendance_parted;
CREATE UNLOGGED TABLE bench.load_source AS SELECT * FROM sample.attendance;
-- The sample breaks caps on purpose on a few unit-days: leave those out,
-- so that the enforced load commits (its check reads every day all the same).
SELECT hrpolicy.use_roster('sample.roster');
DELETE FROM bench.load_source l
USING sample.roster r, hrpolicy.violations('$from', '$through') v
WHERE hrpolicy.is_cap(v.quota) AND v.unit = r.unit AND v.day = r.day
  AND r.person = l.nip AND r.day = l.day;
CREATE TABLE bench.attendance_parted (LIKE sample.attendance INCLUDING DEFAULTS) PARTITION BY RANGE (day);
CREATE TABLE bench.attendance_2020_11 PARTITION OF bench.attendance_parted FOR VALUES FROM ('2020-11-01') TO ('2020-12-01');
CREATE TABLE bench.attendance_2020_12 PARTITION OF bench.attendance_parted FOR VALUES FROM ('2020-12-01') TO ('2021-01-01');
CREATE INDEX ON bench.attendance_parted (nip, day);
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
	q -o /dev/null -c "INSERT INTO bench.attendance_parted SELECT * FROM bench.load_source"
	awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.0f\n", (b - a) * 1000 }'
}
plain=() enforced=()
for i in $(seq 1 $reps); do
	q -o /dev/null -c "SELECT hrpolicy.unenforce('bench.attendance_parted')" \
		-c "TRUNCATE bench.attendance_parted" -c "VACUUM ANALYZE bench.attendance_parted"
	plain+=("$(load)")
	q -o /dev/null -c "TRUNCATE bench.attendance_parted" -c "VACUUM ANALYZE bench.attendance_parted" \
		-c "SELECT hrpolicy.enforce('bench.attendance_parted', 'day')"
	enforced+=("$(load)")
done
q -o /dev/null -c "SELECT hrpolicy.unenforce('bench.attendance_parted')"
# What any check of those days must do at least once: read the roster for
# them (the floor of a report over the roster view), with the load in place.
roster_read_ms=$(val -c "SELECT bench.median_ms(\$\$$(floor_of sample.roster)\$\$, $reps)")
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
spread() { printf '%s\n' "$@" | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo " - " hi }'; }
plain_ms=$(median "${plain[@]}")
enforced_ms=$(median "${enforced[@]}")
enforce_ratio=$(ratio "$enforced_ms" "$plain_ms")
emit "### Enforcement: loading $load_rows attendance rows into a partitioned table (one INSERT, committed)"
emit ""
emit "| load | median ms | min - max |"
emit "|---|---:|---:|"
emit "| without enforce() | $plain_ms | $(spread "${plain[@]}") |"
emit "| with enforce() (21 days checked at commit: caps, and persons counted twice) | $enforced_ms | $(spread "${enforced[@]}") |"
emit ""
emit "The check itself (with minus without) costs $(awk -v a="$enforced_ms" -v b="$plain_ms" 'BEGIN { printf "%.0f", a - b }') ms; one read of the roster for the"
emit "same days (the floor of the reports, over the roster view) costs $roster_read_ms ms: $(ratio "$(awk -v a="$enforced_ms" -v b="$plain_ms" 'BEGIN { print a - b }')" "$roster_read_ms") x that read."
emit "A check that reads those days once, and does nothing else, would make the enforced load"
emit "$(ratio "$(awk -v a="$plain_ms" -v b="$roster_read_ms" 'BEGIN { print a + b }')" "$plain_ms") x the plain one (the plain load plus one read of the roster, serial)."
emit ""
verdict "enforced_vs_plain_load(rows=$load_rows, partitioned)" "$enforce_ratio" 1.5

# 6. Resolution on amendment graphs that defeat a walk of every path: a
# chain of 1,500 decrees each amending the one before, and 200 decrees each
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
emit "### Resolution on deep amendment graphs: ms per \`rules_in_force()\`, median of 20"
emit ""
emit "| catalog | ms |"
emit "|---|---:|"
emit "| a chain of 1,500 decrees, each amending the one before | $chain_ms |"
emit "| 200 decrees, each amending all earlier ones (19,900 amendments) | $fan_ms |"
emit ""
verdict "rules_in_force_chain_1500_ms" "$chain_ms" 50
verdict "rules_in_force_fan_in_200_ms" "$fan_ms" 50

# 7. rules_in_force against catalogs of growing size: ms per lookup, each
# lookup a statement planned on its own, as an application sends them.
declare -A lookup
for n in "${catalogs[@]}"; do
	q -o /dev/null -c "SELECT bench.make_catalog($n)"
	lookup[$n]=$(val -c "SELECT bench.lookup_ms($lookups)")
done
emit "### rules_in_force: ms per lookup ($lookups lookups of random units and days, each a statement of its own)"
emit ""
emit "| decrees | ms per lookup |"
emit "|---:|---:|"
for n in "${catalogs[@]}"; do emit "| $n | ${lookup[$n]} |"; done
emit ""
last=${catalogs[-1]}
verdict "rules_in_force_ms_per_lookup(decrees=$last)" "${lookup[$last]}" 0.5

{
	echo "### Verdicts"
	echo
	echo '```'
	printf '%s\n' "${finals[@]}"
	echo '```'
} >> "$results"
printf '%s\n' "${finals[@]}"
psql -qX -d postgres -c "DROP DATABASE $db"
