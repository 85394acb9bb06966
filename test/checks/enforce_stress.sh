#!/usr/bin/env bash
# Stress check of enforcement, on the layout real schemas have: attendance
# partitioned by month (one partition attached after enforce()) plus a
# table of hand-made entries, under one roster view.  Several clients
# hammer one unit-day at once, half of them putting someone new in the
# office, half at home, each writing in turn through the parent, straight
# into the partition, and into the second table; a poller reads the roster
# all along.  Afterwards, and at every poll, the unit-day is within its cap
# (<=25%); every transaction a client saw commit left its row, and every
# refused one left nothing.  Run under READ COMMITTED, then SERIALIZABLE,
# then READ COMMITTED with parallel plans made cheap and the leader kept
# out of them, so that parallel workers read the roster for the checks
# (test/checks/enforce_parallel.sh shows they do on this layout).
# Runs inside the throwaway cluster.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

db=hrpolicy_stress
clients=${STRESS_CLIENTS:-4}
per_client=${STRESS_TRANSACTIONS:-150}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

psql -qX -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -qX -v ON_ERROR_STOP=1 -d "$db" -o /dev/null <<'SQL'
CREATE EXTENSION hrpolicy CASCADE;
CREATE TABLE att (unit ltree NOT NULL, day date NOT NULL, person text NOT NULL,
                  status text NOT NULL, tags text[] NOT NULL DEFAULT '{}') PARTITION BY RANGE (day);
CREATE TABLE att_2021_02 PARTITION OF att FOR VALUES FROM ('2021-02-01') TO ('2021-03-01');
CREATE TABLE manual (LIKE att INCLUDING DEFAULTS);
CREATE VIEW roster AS SELECT * FROM att UNION ALL SELECT * FROM manual;
INSERT INTO hrpolicy.policy (code, valid, scope) VALUES ('CAP', '[2021-01-01,2021-12-31]', 'kota');
INSERT INTO hrpolicy.rule (policy, name, quota) VALUES ('CAP', 'wfo-cap', '<=25%');
SELECT hrpolicy.use_roster('roster');
SELECT hrpolicy.enforce('att', 'day');
SELECT hrpolicy.enforce('manual', 'day');
CREATE TABLE att_2021_03 (LIKE att INCLUDING DEFAULTS);
ALTER TABLE att ATTACH PARTITION att_2021_03 FOR VALUES FROM ('2021-03-01') TO ('2021-04-01');
INSERT INTO att SELECT 'kota.dinas', '2021-03-01', 'seed' || i, 'home' FROM generate_series(1, 8) i;
SQL

round() {
	local isolation=$1 settings=${2:-} c i status table
	local writers=()
	for c in $(seq 1 "$clients"); do
		{
			echo "SET default_transaction_isolation = '${isolation% parallel}';"
			echo "$settings"
			for i in $(seq 1 "$per_client"); do
				if (( (i + c) % 2 )); then status=office; else status=home; fi
				echo "BEGIN;"
				case $(( (i + c) / 2 % 3 )) in
					0) table=att ;;
					1) table=att_2021_03 ;;
					*) table=manual ;;
				esac
				echo "INSERT INTO $table VALUES ('kota.dinas', '2021-03-01', '$isolation-$c-$i', '$status');"
				echo "COMMIT;"
				echo "\\if :ERROR"
				echo "\\echo refused $isolation-$c-$i"
				echo "\\else"
				echo "\\echo committed $isolation-$c-$i"
				echo "\\endif"
			done
		} > "$work/client$c.sql"
	done
	for c in $(seq 1 "$clients"); do
		psql -qX -d "$db" -f "$work/client$c.sql" > "$work/out-$isolation-$c" 2> "$work/err-$isolation-$c" &
		writers+=($!)
	done
	# The poller: what any reader can see committed must be within the cap.
	(
		while :; do
			psql -qX -At -d "$db" -c "SELECT count(*) FILTER (WHERE status = 'office') * 100 <= 25 * count(*) FROM roster WHERE day = '2021-03-01'"
			sleep 0.01
		done
	) > "$work/polls-$isolation" 2>/dev/null &
	local poller=$!
	wait "${writers[@]}"
	kill "$poller" 2>/dev/null || true
	wait "$poller" 2>/dev/null || true
	local polls breaches
	polls=$(grep -c . "$work/polls-$isolation" || true)
	breaches=$(grep -c '^f' "$work/polls-$isolation" || true)
	echo "$isolation: $polls polls of the roster while writing, $breaches saw a breach"
	[ "$polls" -gt 0 ] || { echo "the poller never read" >&2; return 1; }
	[ "$breaches" -eq 0 ] || { echo "a committed state broke the cap" >&2; return 1; }
	cat "$work"/out-"$isolation"-* | sort > "$work/outcome-$isolation"
	local committed refused unexpected
	committed=$(grep -c '^committed' "$work/outcome-$isolation" || true)
	refused=$(grep -c '^refused' "$work/outcome-$isolation" || true)
	unexpected=$(cat "$work"/err-"$isolation"-* | grep '^psql.*ERROR' | grep -v -e '[0-9] of [0-9]* in office at kota.dinas' \
		-e 'could not serialize access' || true)
	echo "$isolation: $committed committed, $refused refused of $((clients * per_client))"
	if [ -n "$unexpected" ]; then
		echo "unexpected errors:" >&2
		echo "$unexpected" | head >&2
		return 1
	fi
	[ "$((committed + refused))" -eq "$((clients * per_client))" ] || { echo "lost outcomes" >&2; return 1; }
	[ "$refused" -gt 0 ] || { echo "no refusal: the cap was never contended" >&2; return 1; }

	# Every committed row is there, every refused one is not, the cap holds.
	sed -n 's/^committed //p' "$work/outcome-$isolation" > "$work/committed-$isolation"
	psql -qX -v ON_ERROR_STOP=1 -d "$db" -At <<SQL > "$work/verdict-$isolation"
CREATE TEMP TABLE seen (person text);
\copy seen FROM '$work/committed-$isolation'
SELECT (SELECT count(*) FROM seen s LEFT JOIN roster a USING (person) WHERE a.person IS NULL) AS missing,
       (SELECT count(*) FROM roster a WHERE a.person LIKE '$isolation-%'
          AND NOT EXISTS (SELECT FROM seen s WHERE s.person = a.person)) AS phantom,
       (SELECT count(*) FILTER (WHERE status = 'office') * 100 <= 25 * count(*) FROM roster) AS within_cap,
       (SELECT count(*) FILTER (WHERE status = 'office') || '/' || count(*) FROM roster) AS tally;
SQL
	echo "$isolation: missing|phantom|within cap|office/total = $(cat "$work/verdict-$isolation")"
	grep -qx '0|0|t|.*' "$work/verdict-$isolation"
}

round 'read committed'
round 'serializable'
round 'read committed parallel' 'SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET parallel_leader_participation = off;'
psql -qX -d postgres -c "DROP DATABASE $db"
echo "enforce_stress: the cap held and no committed row was lost"
