#!/usr/bin/env bash
# Random and mutated input to every input and receive function of hrpolicy.
#
# Text: a few thousand strings, generated deterministically (setseed) from
# the valid literals of each type by mutation (character flips, deletions,
# truncation, digit runs, signs, %, whitespace, unicode, extreme numbers),
# from a grammar of near-valid literals, and at random, are cast to
# hrpolicy.quota, hrpolicy.tally, hrpolicy.validity and
# hrpolicy.validity_set.  Each must be accepted, or refused with a 22xxx
# SQLSTATE; an accepted value's text must read back as the same value and
# print the same (and have the canonical shape).
#
# Binary: tables of valid values are written with COPY ... (FORMAT binary),
# the files mutated (bytes flipped in the field data, the format version
# byte changed, field lengths changed, fields shrunk, grown or swapped for
# another type's, integers overwritten with extremes, the COPY header
# damaged, the file truncated) and loaded back with COPY FROM, which calls
# quota_recv, tally_recv and the range and multirange receive functions
# (hence validity_canonical).  Each mutant must load, with values that
# round-trip through text, or fail with a 22xxx or 08P01 SQLSTATE.  Two
# refusals from PostgreSQL itself are tolerated and counted: 54000 "Cannot
# enlarge string buffer" for a COPY field length of 1 GB or more, and
# multirange_recv's "invalid memory alloc request size" (XX000, or 54000
# in newer minor releases) for a huge range count in a validity_set.
#
# Every input is tried in its own committed transaction, so that after a
# backend crash the culprit is the first input without a result (it is
# printed and kept in /tmp/hrpolicy-random-input-crash.*).  The session
# must survive (same backend pid at the end): a backend crash ends it, while
# pg_postmaster_start_time() stays the same through a crash and
# reinitialization, so that is only checked to catch a full restart.
#
# Runs inside the throwaway cluster (PG* variables set by pg_virtualenv);
# the server must be local (it reads and writes files in a temp directory).
#   RANDOM_INPUT_SEED   setseed() argument (default 0.4242)
#   RANDOM_INPUT_SCALE  multiplies the number of inputs (default 1)
#   RANDOM_INPUT_KEEP   set: keep the database hrpolicy_random_input afterwards
set -euo pipefail
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
cd "$(dirname "$0")/../.."

db=hrpolicy_random_input
seed=${RANDOM_INPUT_SEED:-0.4242}
scale=${RANDOM_INPUT_SCALE:-1}
work=$(mktemp -d /tmp/hrpolicy-random-input.XXXXXX)
chmod 777 "$work"
trap 'rm -rf "$work"' EXIT
SECONDS=0

psql -qX -v ON_ERROR_STOP=1 -d postgres \
	-c "DROP DATABASE IF EXISTS $db" \
	-c "CREATE DATABASE $db TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"

q() { psql -qXAt -v ON_ERROR_STOP=1 -d "$db" "$@"; }

started=$(q -c "SELECT pg_postmaster_start_time()")

# --- setup: the helpers, the inputs and the mutants -------------------------
q -v seed="$seed" -v scale="$scale" -v dir="$work" -f test/random_input.sql >/dev/null

counts=$(q -F' ' -c "SELECT (SELECT count(*) FROM hrp_fuzz.input), (SELECT count(*) FROM hrp_fuzz.mutant)")
read -r ninputs nmutants <<<"$counts"
echo "random_input: $ninputs strings and $nmutants COPY binary mutants generated (seed $seed) in ${SECONDS}s"

# --- run: one session, which must survive -----------------------------------
run_status=0
pids=$(q -v dir="$work" <<'SQL'
SET datestyle = ISO;
SET synchronous_commit = off;
SELECT pg_backend_pid();
CALL hrp_fuzz.check_text();
CALL hrp_fuzz.check_binary(:'dir');
SELECT pg_backend_pid();
SQL
) || run_status=$?

first_pid=$(sed -n 1p <<<"$pids")
last_pid=$(sed -n 2p <<<"$pids")
# After a crash the postmaster needs a moment to notice, and then to
# recover, before it answers again.
alive=
if [ "$run_status" -ne 0 ]; then
	sleep 2
fi
for _ in $(seq 1 30); do
	alive=$(q -c "SELECT 1" 2>/dev/null || true)
	[ "$alive" = 1 ] && break
	sleep 1
done
now_started=$(q -c "SELECT pg_postmaster_start_time()" 2>/dev/null || true)

failed=0
if [ "$run_status" -ne 0 ] || [ -z "$last_pid" ] || [ "$first_pid" != "$last_pid" ]; then
	failed=1
	echo "random_input: the session running the inputs died (psql exit $run_status; backend pid $first_pid, then '${last_pid}')" >&2
	culprit=$(q -c "SELECT id FROM hrp_fuzz.input i WHERE NOT EXISTS (SELECT FROM hrp_fuzz.text_result r WHERE r.id = i.id) ORDER BY id LIMIT 1" 2>/dev/null || true)
	if [ -n "$culprit" ]; then
		keep=$(mktemp -d /tmp/hrpolicy-random-input-crash.XXXXXX)
		q -c "SELECT s FROM hrp_fuzz.input WHERE id = $culprit" > "$keep/input-$culprit.txt" 2>/dev/null || true
		echo "random_input: the text input being tried (id $culprit), kept in $keep/input-$culprit.txt:" >&2
		q -c "SELECT format('%L (origin: %s)', s, origin) FROM hrp_fuzz.input WHERE id = $culprit" >&2 || true
	else
		culprit=$(q -c "SELECT id FROM hrp_fuzz.mutant m WHERE NOT EXISTS (SELECT FROM hrp_fuzz.binary_result r WHERE r.id = m.id) ORDER BY id LIMIT 1" 2>/dev/null || true)
		if [ -n "$culprit" ]; then
			keep=$(mktemp -d /tmp/hrpolicy-random-input-crash.XXXXXX)
			{ q -c "SELECT encode(data, 'base64') FROM hrp_fuzz.mutant WHERE id = $culprit" | base64 -d > "$keep/mutant-$culprit.bin"; } 2>/dev/null || true
			echo "random_input: the COPY binary mutant being loaded (id $culprit), kept in $keep/mutant-$culprit.bin:" >&2
			q -c "SELECT format('COPY hrp_fuzz.%s FROM ''%s'' (FORMAT binary); -- %s mutant, bytes %s', target, '$keep/mutant-$culprit.bin', kind, encode(data, 'hex')) FROM hrp_fuzz.mutant WHERE id = $culprit" >&2 || true
		else
			echo "random_input: every input has a result; the session died afterwards" >&2
		fi
	fi
fi
if [ "$alive" != 1 ]; then
	failed=1
	echo "random_input: the server does not answer SELECT 1 afterwards" >&2
fi
if [ -n "$now_started" ] && [ "$now_started" != "$started" ]; then
	failed=1
	echo "random_input: the postmaster restarted ($started, now $now_started)" >&2
fi

# --- results ----------------------------------------------------------------
if [ "$alive" = 1 ]; then
	q -F' | ' <<'SQL' || failed=1
\echo text input, per type: accepted, refused (by SQLSTATE), problems
SELECT typ, count(*) FILTER (WHERE state = '00000') AS accepted,
       string_agg(DISTINCT state, ',') FILTER (WHERE state <> '00000') AS refused_with,
       count(*) FILTER (WHERE state <> '00000') AS refused,
       count(problem) AS problems
FROM hrp_fuzz.text_result GROUP BY typ ORDER BY typ;
\echo COPY binary mutants: target, verdict, count
SELECT target, verdict, count(*), string_agg(DISTINCT state, ',') AS states
FROM hrp_fuzz.binary_result JOIN hrp_fuzz.mutant USING (id)
GROUP BY target, verdict ORDER BY target, verdict;
SQL
	problems=$(q <<'SQL' || echo "random_input: could not read the problems"
SELECT format('text %s as %s: %s', quote_literal(i.s), r.typ, r.problem)
FROM hrp_fuzz.text_result r JOIN hrp_fuzz.input i USING (id)
WHERE r.problem IS NOT NULL ORDER BY r.id, r.typ LIMIT 30;
SELECT format('mutant %s (%s of %s, %s): %s', m.id, m.kind, m.target, encode(m.data, 'hex'), b.problem)
FROM hrp_fuzz.binary_result b JOIN hrp_fuzz.mutant m USING (id)
WHERE b.verdict = 'FAIL' ORDER BY m.id LIMIT 30;
SQL
)
	if [ -n "$problems" ]; then
		failed=1
		echo "random_input: problems (first 30 of each kind):" >&2
		printf '%s\n' "$problems" >&2
	fi
	summary=$(q -F' ' <<'SQL'
SELECT (SELECT count(DISTINCT id) FROM hrp_fuzz.text_result),
       (SELECT count(*) FROM hrp_fuzz.text_result),
       (SELECT count(*) FROM hrp_fuzz.text_result WHERE state = '00000'),
       (SELECT count(*) FROM hrp_fuzz.binary_result),
       (SELECT count(*) FROM hrp_fuzz.binary_result WHERE verdict = 'loaded'),
       (SELECT count(*) FROM hrp_fuzz.binary_result WHERE verdict = 'refused'),
       (SELECT count(*) FROM hrp_fuzz.binary_result WHERE verdict LIKE 'core:%');
SQL
) || failed=1
	read -r tried casts accepted mtried mloaded mrefused mcore <<<"${summary:-0 0 0 0 0 0 0}"
	fewest=$(q -c "SELECT min(n) FROM (SELECT count(*) FILTER (WHERE state = '00000') AS n FROM hrp_fuzz.text_result GROUP BY typ) s" || echo 0)
	if [ "${tried:-0}" -ne "$ninputs" ] || [ "${mtried:-0}" -ne "$nmutants" ]; then
		failed=1
		echo "random_input: only $tried of $ninputs strings and $mtried of $nmutants mutants were tried" >&2
	fi
	# Not vacuous: every type must accept enough strings, and enough mutants
	# must load, for the round trips to mean something.
	if [ "${fewest:-0}" -lt $((100 * scale)) ] || [ "${mloaded:-0}" -lt $((nmutants / 50)) ]; then
		failed=1
		echo "random_input: too few accepted values to test the round trip (fewest for a type: $fewest strings; $mloaded mutants loaded)" >&2
	fi
fi

if [ $failed -ne 0 ]; then
	echo "random_input: FAILED (database $db kept for inspection)"
	exit 1
fi
[ -n "${RANDOM_INPUT_KEEP:-}" ] || psql -qX -d postgres -c "DROP DATABASE $db"
echo "random_input: $tried strings x 4 input functions ($accepted of $casts accepted and round-tripped, the rest refused with 22xxx), $mtried COPY binary mutants ($mloaded loaded and round-tripped, $mrefused refused with 22xxx/08P01, $mcore refused by PostgreSQL's own framing checks), backend survived, in ${SECONDS}s"
