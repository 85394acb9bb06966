#!/usr/bin/env bash
# make sanitize: the test suite (scripts/test.sh, without the libFuzzer run)
# against an extension built with AddressSanitizer and
# UndefinedBehaviorSanitizer (gcc), in a throwaway cluster whose server has
# the ASan runtime preloaded.  Any sanitizer report, or a server process
# killed by a signal, fails the run.  SANITIZE_KEEP=1 keeps the work
# directory (logs, build); TEST_CHECKS chooses the checks, as for make test.
#
# The sources are built in a copy under /tmp, so the instrumented objects
# never mix with the ordinary build.  The server gets LD_PRELOAD and the
# sanitizers' options through the cluster's environment file (pg_virtualenv
# -c --environment), as pg_ctlcluster starts it with that environment only;
# reports go to files.  PostgreSQL itself is not instrumented: ASan sees our
# code's stack and global accesses, and heap accesses past a whole malloc'd
# block, not overruns inside a memory-context block; UBSan checks signed
# overflow (-fno-wrapv below), shifts, alignment, bounds and conversions.
. "$(dirname "$0")/lib.sh"

if [ -n "${HRPOLICY_IN_CLUSTER:-}" ]; then
	# Inside the sanitized cluster: prove the server is, then run the suite.
	psql -qX -v ON_ERROR_STOP=1 -d postgres -c 'CREATE DATABASE hrpolicy_sanitize_probe' || exit 1
	maps=$(psql -qXAt -v ON_ERROR_STOP=1 -d hrpolicy_sanitize_probe <<'SQL'
CREATE EXTENSION hrpolicy CASCADE;
SELECT hrpolicy.quota_limit('<=25%', 7) \g /dev/null
SELECT pg_read_file('/proc/self/maps');
SQL
	) || exit 1
	psql -qX -d postgres -c 'DROP DATABASE hrpolicy_sanitize_probe'
	if ! grep -q libasan <<<"$maps" || ! grep -q "$HRPOLICY_DESTDIR/.*hrpolicy.so" <<<"$maps"; then
		echo "sanitize: the backend maps no libasan, or not the instrumented hrpolicy.so" >&2
		exit 1
	fi
	echo "sanitize: the server runs with libasan preloaded and the instrumented hrpolicy.so"
	status=0
	TEST_FUZZ=0 bash scripts/test.sh || status=$?
	cp "$(pg_lsclusters -h | awk '{print $7}' | head -n 1)" "$SANITIZE_WORK/server.log" 2>/dev/null || true
	exit $status
fi

need_test_packages
asan_rt=$(readlink -f "$(gcc -print-file-name=libasan.so)" 2>/dev/null || true)
if [ ! -e "$asan_rt" ]; then
	echo "sanitize: gcc's AddressSanitizer runtime (libasan.so) was not found; install the libasan package of your gcc (Debian 12: libasan8)" >&2
	exit 1
fi
start=$SECONDS
work=$(mktemp -d /tmp/hrpolicy-sanitize.XXXXXX)
chmod 755 "$work"
trap '[ -n "${SANITIZE_KEEP:-}" ] && echo "sanitize: work directory kept: $work" >&2 || rm -rf "$work"' EXIT

# --- the sources, copied and built instrumented -----------------------------
src=$work/src
mkdir "$src"
copy_sources "$src"
cd "$HRPOLICY_ROOT"
# PostgreSQL compiles with -fwrapv, which defines signed overflow and so
# turns UBSan's overflow check off: -fno-wrapv (after it) turns it back on
# for our code, whose exact arithmetic must never overflow.
flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -fno-wrapv"
echo "sanitize: building with gcc $flags" >&2
make -C "$src" -s -j"$(nproc 2>/dev/null || echo 2)" PG_CONFIG="$PG_CONFIG" with_llvm=no \
	PG_CFLAGS="$flags -g -Wall -Werror" PG_LDFLAGS="-fsanitize=address,undefined" >&2
symbols=$(nm -D "$src/hrpolicy.so")
grep -q __asan_init <<<"$symbols" && grep -q __ubsan_handle <<<"$symbols" ||
	{ echo "sanitize: $src/hrpolicy.so is not instrumented" >&2; exit 1; }
HRPOLICY_DESTDIR=$work/install
mkdir "$HRPOLICY_DESTDIR"
make -C "$src" -s PG_CONFIG="$PG_CONFIG" with_llvm=no install DESTDIR="$HRPOLICY_DESTDIR" >/dev/null
chmod -R a+rX "$HRPOLICY_DESTDIR"
export HRPOLICY_DESTDIR

gcc -O1 -fno-builtin -Wall -shared -fPIC test/asan_early_init.c -o "$work/asan_early_init.so" -ldl
chmod a+rx "$work/asan_early_init.so"
env LD_PRELOAD="$asan_rt $work/asan_early_init.so" ASAN_OPTIONS=detect_leaks=0 \
	timeout 20 "$(dirname "$PG_CONFIG")/postgres" -V >/dev/null ||
	{ echo "sanitize: postgres -V does not run with $asan_rt preloaded" >&2; exit 1; }
reports=$work/reports
mkdir "$reports"
chmod 1777 "$reports"
cat > "$work/environment" <<ENV
LD_PRELOAD = '$asan_rt $work/asan_early_init.so'
ASAN_OPTIONS = 'detect_leaks=0:abort_on_error=1:disable_coredump=1:symbolize=1:log_path=$reports/asan'
UBSAN_OPTIONS = 'print_stacktrace=1:halt_on_error=1:symbolize=1:log_path=$reports/ubsan'
ENV
chmod a+r "$work/environment"

# --- the suite, in the sanitized cluster -------------------------------------
suite_status=0
(
	cd "$src"
	HRPOLICY_IN_CLUSTER=1 SANITIZE_WORK=$work pg_virtualenv -t -v "$PGVER" \
		-o "extension_destdir=$HRPOLICY_DESTDIR" -o max_prepared_transactions=10 \
		-c "--environment=$work/environment" bash scripts/sanitize.sh
) 2>&1 | tee "$work/suite.log" || suite_status=$?

# --- sanitizer reports, and crashes in the logs ------------------------------
found=0
for report in "$reports"/*; do
	[ -e "$report" ] || continue
	found=1
	echo "sanitize: sanitizer report $report:" >&2
	head -n 80 "$report" >&2
done
[ -s "$work/server.log" ] || { echo "sanitize: the server log was not saved" >&2; found=1; }
if grep -nE 'AddressSanitizer|LeakSanitizer|runtime error:|SUMMARY: (Address|Undefined)|terminated by signal|was terminated by exception' \
	"$work/server.log" "$work/suite.log" >"$work/log-hits" 2>/dev/null; then
	found=1
	echo "sanitize: sanitizer or crash lines in the server log or the output:" >&2
	head -n 40 "$work/log-hits" >&2
fi
summary=$(grep -E '^(regress|checks): ' "$work/suite.log" | tr '\n' ';' | sed 's/;$//; s/;/; /g')
if [ $found -ne 0 ] || [ $suite_status -ne 0 ]; then
	SANITIZE_KEEP=1
	echo "sanitize: FAILED (suite exit $suite_status, sanitizer reports: $([ $found -ne 0 ] && echo yes || echo none)) after $((SECONDS - start))s; $summary"
	exit 1
fi
echo "sanitize: no ASan/UBSan report; suite passed in $((SECONDS - start))s: $summary"
