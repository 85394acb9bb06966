#!/usr/bin/env bash
# Stress check of enforcement: several clients hammer one unit-day at once,
# half of them putting someone new in the office, half at home.  Afterwards
# the unit-day is within its cap (<=25%), every transaction a client saw
# commit left its row, and every refused one left nothing.  Run under READ
# COMMITTED, then SERIALIZABLE.  Runs inside the throwaway cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

db=hrpolicy_stress
clients=${STRESS_CLIENTS:-4}
per_client=${STRESS_TRANSACTIONS:-150}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

psql -qX -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -qX -v ON_ERROR_STOP=1 -d "$db" -o /dev/null <<'SQL'
CREATE EXTENSION hrpolicy CASCADE;
CREATE TABLE att (unit ltree NOT NULL, day date NOT NULL, person text PRIMARY KEY,
                  status text NOT NULL, tags text[] NOT NULL DEFAULT '{}');
INSERT INTO att SELECT 'kota.dinas', '2021-03-01', 'seed' || i, 'home' FROM generate_series(1, 8) i;
INSERT INTO hrpolicy.policy (code, valid, scope) VALUES ('CAP', '[2021-01-01,2021-12-31]', 'kota');
INSERT INTO hrpolicy.rule (policy, name, quota) VALUES ('CAP', 'wfo-cap', '<=25%');
SELECT hrpolicy.use_roster('att');
SELECT hrpolicy.enforce('att', 'day');
SQL

round() {
	local isolation=$1 c i status
	for c in $(seq 1 "$clients"); do
		{
			echo "SET default_transaction_isolation = '$isolation';"
			for i in $(seq 1 "$per_client"); do
				if (( (i + c) % 2 )); then status=office; else status=home; fi
				echo "BEGIN;"
				echo "INSERT INTO att VALUES ('kota.dinas', '2021-03-01', '$isolation-$c-$i', '$status');"
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
	done
	wait
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
SELECT (SELECT count(*) FROM seen s LEFT JOIN att a USING (person) WHERE a.person IS NULL) AS missing,
       (SELECT count(*) FROM att a WHERE a.person LIKE '$isolation-%'
          AND NOT EXISTS (SELECT FROM seen s WHERE s.person = a.person)) AS phantom,
       (SELECT count(*) FILTER (WHERE status = 'office') * 100 <= 25 * count(*) FROM att) AS within_cap,
       (SELECT count(*) FILTER (WHERE status = 'office') || '/' || count(*) FROM att) AS tally;
SQL
	echo "$isolation: missing|phantom|within cap|office/total = $(cat "$work/verdict-$isolation")"
	grep -qx '0|0|t|.*' "$work/verdict-$isolation"
}

round 'read committed'
round 'serializable'
psql -qX -d postgres -c "DROP DATABASE $db"
echo "check-enforce-stress: the cap held and no committed row was lost"
