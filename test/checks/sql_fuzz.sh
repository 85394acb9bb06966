#!/usr/bin/env bash
# SQL-level fuzzing of every C function of hrpolicy (test/sql_fuzz.sql).
#
# Every C-language function of the extension is called directly, many
# times, with generated arguments of its declared types (NULLs, empty,
# multi-dimensional and non-1-based arrays, arrays of NULLs, int8 and date
# extremes, infinite and empty windows, valid and broken quota and tally
# literals, odd rule_filters, random strings), as the superuser and as an
# unprivileged role (hrp_fuzzer); aggregates are built in pg_temp on every
# function that can be a transition, combine or final function (with
# hostile INITCONDs) and run, with the extension's own aggregates, over
# generated rows in many plan shapes (grouped, windowed, partitionwise,
# parallel); the enforcement, catalog, COPY binary and DROP EXTENSION paths
# are driven too.  See the head of the SQL file.
#
# Fails when a call gets SQLSTATE XX000, XX001 or XX002 (each is printed
# with its statement), when the session running the calls dies (a backend
# crash: the last statement traced before it is printed), when the server
# does not answer afterwards or restarted, or when the run takes too long.
# (pg_postmaster_start_time() stays the same through a backend crash and
# the reinitialization that follows; only a full restart changes it.  A
# crash shows as the session dying: psql fails, and the run's last step,
# which compares its backend pid with the first one, never prints "the
# session survived".)
#
# Runs inside the throwaway cluster (PG* variables set by pg_virtualenv);
# the server must be local (COPY reads files written to a temp directory).
#   SQL_FUZZ_ROUNDS   amount of work (default 25: about 30 s on 2 cores)
#   SQL_FUZZ_CALLS    direct calls per function per round (default 40)
#   SQL_FUZZ_SEED     setseed() argument, -1..1 (default 0.4242); a run is
#                     replayed exactly with the same seed, rounds and calls
#   SQL_FUZZ_TIMEOUT  seconds before the run counts as hung (default
#                     120 + 20 per round)
#   SQL_FUZZ_INTERNAL off: skip the aggregates with an internal state (the
#                     last part, superuser-only; default on)
#   SQL_FUZZ_KEEP     set: keep the database hrpolicy_sql_fuzz and the log
set -euo pipefail
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
cd "$(dirname "$0")/../.."

db=hrpolicy_sql_fuzz
rounds=${SQL_FUZZ_ROUNDS:-25}
calls=${SQL_FUZZ_CALLS:-40}
seed=${SQL_FUZZ_SEED:-0.4242}
limit=${SQL_FUZZ_TIMEOUT:-$((120 + 20 * rounds))}
internal_part=${SQL_FUZZ_INTERNAL:-on}
work=$(mktemp -d /tmp/hrpolicy-sql-fuzz.XXXXXX)
chmod 777 "$work"
log=$work/sql-fuzz.log
keep_work=
cleanup() { [ -n "$keep_work" ] || rm -rf "$work"; }
trap cleanup EXIT
SECONDS=0

q() { psql -qXAt -v ON_ERROR_STOP=1 -d "$db" "$@"; }

psql -qX -v ON_ERROR_STOP=1 -d postgres \
	-c "DROP DATABASE IF EXISTS $db" \
	-c "CREATE DATABASE $db TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
q -c 'CREATE EXTENSION hrpolicy CASCADE'
started=$(q -c "SELECT pg_postmaster_start_time()")

# The run: one session, traced (a NOTICE per statement before it runs).
# The trace goes to a ring of its last lines (tail.log, written when psql
# ends, however it ends); everything else to the log.
run_status=0
set +e
timeout -s INT -k 30 "$limit" \
	psql -qX -v ON_ERROR_STOP=1 -v fuzz_rounds="$rounds" -v fuzz_calls="$calls" -v fuzz_seed="$seed" \
	-v fuzz_trace=on -v fuzz_dir="$work" -v fuzz_internal="$internal_part" -d "$db" -f test/sql_fuzz.sql 2>&1 |
	awk -v logf="$log" -v tailf="$work/tail.log" '
		{ ring[NR % 60] = $0 }
		index($0, "NOTICE:  sql-fuzz call ") == 0 { print > logf; fflush(logf) }
		END { for (i = (NR > 60 ? NR - 59 : 1); i <= NR; i++) print ring[i % 60] > tailf }'
run_status=${PIPESTATUS[0]}
set -e
touch "$log" "$work/tail.log"

# After a crash the postmaster needs a moment to notice and to recover.
[ "$run_status" -eq 0 ] || sleep 2
alive=
for _ in $(seq 1 30); do
	alive=$(psql -qXAt -d postgres -c "SELECT 1" 2>/dev/null || true)
	[ "$alive" = 1 ] && break
	sleep 1
done
now_started=$(psql -qXAt -d postgres -c "SELECT pg_postmaster_start_time()" 2>/dev/null || true)

failed=0
summary=$(grep -o 'sql-fuzz: [0-9]* calls over .*' "$log" | tail -n 1 || true)
internal=$(grep -o 'sql-fuzz internal-state aggregates: .*' "$log" | tail -n 1 || true)
findings=$(grep -A3 'WARNING:  sql-fuzz FINDING' "$log" || true)
if [ -n "$findings" ]; then
	failed=1
	echo "sql_fuzz: internal errors (XX000/XX001/XX002) found:" >&2
	printf '%s\n' "$findings" | grep -v '^psql:.*NOTICE:  sql-fuzz call' | head -n 80 >&2
fi
if [ "$run_status" -ne 0 ]; then
	failed=1
	if [ "$run_status" -eq 124 ]; then
		echo "sql_fuzz: the run did not end within ${limit}s (hung?)" >&2
	else
		echo "sql_fuzz: the fuzzing session failed (psql exit $run_status)" >&2
	fi
	if [ -z "$findings" ]; then
		# The statement running when the session ended: the last one traced.
		last=$(grep -n 'NOTICE:  sql-fuzz call ' "$work/tail.log" | tail -n 1 | cut -d: -f1 || true)
		if [ -n "$last" ]; then
			echo "sql_fuzz: the last statement traced, and what followed:" >&2
			tail -n +"$last" "$work/tail.log" | cut -c1-3000 | head -n 40 >&2
		else
			tail -n 40 "$log" >&2
		fi
	fi
	echo "sql_fuzz: replay with SQL_FUZZ_SEED=$seed SQL_FUZZ_ROUNDS=$rounds SQL_FUZZ_CALLS=$calls SQL_FUZZ_INTERNAL=$internal_part" >&2
fi
if [ "$alive" != 1 ]; then
	failed=1
	echo "sql_fuzz: the server does not answer SELECT 1 afterwards" >&2
fi
if [ -n "$now_started" ] && [ "$now_started" != "$started" ]; then
	failed=1
	echo "sql_fuzz: the postmaster restarted ($started, now $now_started)" >&2
fi
if [ "$run_status" -eq 0 ] && ! grep -q '^sql-fuzz: the session survived' "$log"; then
	failed=1
	echo "sql_fuzz: the run did not confirm that its session survived" >&2
fi
if [ -z "$summary" ]; then
	failed=1
fi

if [ $failed -ne 0 ]; then
	keep_work=1
	echo "sql_fuzz: FAILED after ${SECONDS}s (database $db, log $log and the trace's end $work/tail.log kept for inspection)"
	[ -z "$summary" ] || echo "sql_fuzz: ${summary#sql-fuzz: }"
	[ -z "$internal" ] || echo "sql_fuzz: ${internal#sql-fuzz }"
	exit 1
fi
if [ -n "${SQL_FUZZ_KEEP:-}" ]; then
	keep_work=1
	echo "sql_fuzz: log kept in $log, database $db kept"
else
	psql -qX -d postgres -c "DROP DATABASE $db"
	# (the role stays if another database still grants it something)
	psql -qX -d postgres -c 'DROP ROLE IF EXISTS hrp_fuzzer' 2>/dev/null || true
fi
echo "sql_fuzz: ${summary#sql-fuzz: }${internal:+; ${internal#sql-fuzz }}; backend survived, server not restarted, in ${SECONDS}s"
