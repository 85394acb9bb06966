#!/usr/bin/env bash
# make test-citus: the reports on a Citus cluster give the rows they give
# on a single node.  Builds Citus from ../shared/vendor once into a cache
# (scripts/citus_lib.sh), starts a coordinator and two workers on
# 127.0.0.1, and loads the sample HR database (test/citus/load.sql) into
#   single      a database without Citus: the single node's answers;
#   hr_day      attendance, the duty roster, the working days and a roster
#               table distributed by day; units, staff, assignments,
#               holidays as reference tables (test/citus/distribute.sql);
#   hr_person   attendance, the duty roster, the assignments and the roster
#               table distributed by person; the rest as reference tables.
# In each cluster database, with the roster view over the distributed
# attendance and with the distributed roster table, every report
# (test/citus/reports.sql) must return the single node's rows (EXCEPT ALL
# both ways); the plan of compliance() over either roster must aggregate
# on the workers (by day the whole tally_each(), by person its partial
# states, combined on the coordinator); enforce() must refuse a distributed table, and an enforced
# table distributed afterwards must let no breach commit.  Environment:
#   CITUS_CACHE   where built Citus is kept (default /var/cache/hrpolicy)
#   CITUS_VENDOR  where its source is (default ../shared/vendor)
#   CITUS_STAFF   staff in the sample (default 1000)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/citus_lib.sh"

started=$(date +%s)
need_base_packages
build_and_install
citus_install_into "$HRPOLICY_DESTDIR"
citus_ready=$(date +%s)

work=$(mktemp -d /tmp/hrpolicy-citus.XXXXXX)
chmod 755 "$work"
trap 'citus_cluster_stop; rm -rf "$work" "$HRPOLICY_DESTDIR"' EXIT
citus_cluster_start "$work/cluster"

cd "$HRPOLICY_ROOT"
period=(-v from_day=2020-09-01 -v through_day=2020-12-31)
sample=(-v staff="${CITUS_STAFF:-1000}" "${period[@]}")
status=0
summary=()
fail() {
	echo "FAILED: $*" >&2
	summary+=("FAILED: $*")
	status=1
}

echo "== single node (a database without Citus)"
citus_psql 0 -d postgres -c 'CREATE DATABASE single'
PGOPTIONS='-c client_min_messages=warning' citus_psql 0 -d single "${sample[@]}" -f test/citus/load.sql >/dev/null
citus_psql 0 -d single "${period[@]}" -f test/citus/reports.sql > "$work/single.tsv"
echo "$(wc -l < "$work/single.tsv") report rows:" \
	"$(cut -f1 "$work/single.tsv" | sort | uniq -c | awk '{printf "%s%s %s", sep, $2 ($3 ? " " $3 : ""), $1; sep=", "}')"

for key in day person; do
	db=hr_$key
	echo
	echo "== distributed by $key (database $db)"
	citus_database "$db"
	# (Citus warns of every view over tables not yet distributed)
	PGOPTIONS='-c client_min_messages=error' citus_psql 0 -d "$db" "${sample[@]}" -f test/citus/load.sql >/dev/null
	PGOPTIONS='-c client_min_messages=error' citus_psql 0 -d "$db" -v key="$key" -f test/citus/distribute.sql >/dev/null
	binary=$(citus_psql 0 -d "$db" -At -c 'SHOW citus.enable_binary_protocol')

	for roster in sample.roster sample.roster_table; do
		citus_psql 0 -d "$db" -c "SELECT hrpolicy.use_roster('$roster')" >/dev/null
		start=$(date +%s%N)
		if ! citus_psql 0 -d "$db" "${period[@]}" -f test/citus/reports.sql > "$work/$db.tsv"; then
			fail "$db: the reports over $roster"
			continue
		fi
		ms=$(( ($(date +%s%N) - start) / 1000000 ))
		# The rows of each report the cluster lacks and the rows it adds.
		differences=$(citus_psql 0 -d "$db" -At -F ' ' <<SQL
CREATE TEMP TABLE single_rows (report text, r text);
CREATE TEMP TABLE cluster_rows (report text, r text);
\copy single_rows FROM '$work/single.tsv'
\copy cluster_rows FROM '$work/$db.tsv'
SELECT report, count(*) FILTER (WHERE side = 'missing'), count(*) FILTER (WHERE side = 'extra')
FROM (SELECT 'missing' AS side, * FROM (SELECT * FROM single_rows EXCEPT ALL SELECT * FROM cluster_rows) m
      UNION ALL
      SELECT 'extra', * FROM (SELECT * FROM cluster_rows EXCEPT ALL SELECT * FROM single_rows) e) d
GROUP BY report ORDER BY report;
SQL
)
		if [ -n "$differences" ]; then
			fail "$db, roster $roster: rows that differ from the single node's (report, missing, extra): $differences"
		else
			summary+=("$db, roster $roster: every report the single node's rows ($(wc -l < "$work/$db.tsv") rows, $ms ms, binary protocol $binary)")
		fi
	done

	# Where compliance() aggregates: its plan over each roster.
	for roster in sample.roster sample.roster_table; do
		plan=$work/$db.$roster.plan
		citus_psql 0 -d "$db" -v roster="$roster" "${period[@]}" -f test/citus/explain.sql > "$plan"
		if [ "$key" = day ]; then
			# grouped by unit and day: every group lies on one worker
			if grep -q 'Query: SELECT .*hrpolicy.tally_each(' "$plan" && ! grep -q 'coord_combine_agg' "$plan"; then
				summary+=("$db, roster $roster: tally_each() runs whole on the workers")
			else
				fail "$db, roster $roster: tally_each() does not run whole on the workers"
				cat "$plan"
			fi
		else
			if grep -q "Query: SELECT .*worker_partial_agg('hrpolicy.tally_each(" "$plan" &&
				grep -q 'coord_combine_agg(' "$plan"; then
				summary+=("$db, roster $roster: tally_each() partial states on the workers, combined on the coordinator")
			else
				fail "$db, roster $roster: tally_each() is not aggregated partially on the workers"
				cat "$plan"
			fi
		fi
	done

	# Where the person reports count: over a roster table distributed by
	# person, every person's rows lie on one worker, which counts them whole.
	if [ "$key" = person ]; then
		plan=$work/$db.person.plan
		citus_psql 0 -d "$db" -v roster=sample.roster_table "${period[@]}" -f test/citus/explain_person.sql > "$plan"
		if grep -q 'Query: SELECT .*hrpolicy.person_tallies(' "$plan" && ! grep -q 'worker_partial_agg' "$plan"; then
			summary+=("$db, roster sample.roster_table: person_tallies() runs whole on the workers")
		else
			fail "$db, roster sample.roster_table: person_tallies() does not run whole on the workers"
			cat "$plan"
		fi
	fi

	# enforce() refuses a distributed table with its own error.
	refusal=$(citus_psql 0 -d "$db" -At -c "
DO \$\$ BEGIN PERFORM hrpolicy.enforce('sample.attendance', 'day');
RAISE EXCEPTION 'accepted'; EXCEPTION WHEN feature_not_supported THEN RAISE NOTICE '%', SQLERRM; END \$\$" 2>&1)
	case "$refusal" in
	*'cannot enforce caps on "sample.attendance": it is distributed by Citus'*)
		summary+=("$db: enforce() refuses the distributed attendance (0A000)") ;;
	*) fail "$db: enforce() on the distributed attendance: $refusal" ;;
	esac
	# An enforced table distributed afterwards lets no breach commit.
	if [ "$key" = day ]; then
		outcome=$(citus_psql 0 -d "$db" -At -f test/citus/enforce.sql 2>&1 | tail -n 1)
		case "$outcome" in
		*breaches=0) summary+=("$db: an enforced table distributed afterwards lets no breach commit ($outcome)") ;;
		*) fail "$db: an enforced table distributed afterwards: $outcome" ;;
		esac
	fi
done

echo
echo "== summary"
printf '%s\n' "${summary[@]}"
echo "Citus ready in $((citus_ready - started)) s (built or from the cache), the test in $(( $(date +%s) - citus_ready )) s"
[ $status -eq 0 ] && echo "make test-citus: all passed" || echo "make test-citus: FAILED"
exit $status
