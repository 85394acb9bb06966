#!/usr/bin/env bash
# make sanitize: the test suite against an extension built with
# AddressSanitizer and UndefinedBehaviorSanitizer (gcc), in a throwaway
# cluster whose server has the ASan runtime preloaded.
#
#   SANITIZE_SUITE=full   (default) scripts/run-tests.sh: pg_regress and the
#                         isolation specs (make installcheck), pgTAP, and
#                         every scripts/check-*.sh but check-fuzz
#   SANITIZE_SUITE=quick  make installcheck and pgTAP only
#   SANITIZE_KEEP=1       keep the work directory (logs, build) on success
#
# The sources are copied to a work directory under /tmp and built there, so
# the instrumented objects never mix with the ordinary build.  The server
# gets LD_PRELOAD and ASAN_OPTIONS / UBSAN_OPTIONS through the cluster's
# environment file (pg_createcluster --environment, passed by pg_virtualenv
# -c), because pg_ctlcluster starts the server with that environment only.
# Sanitizer reports go to files in the work directory (log_path); any
# report, or a server process killed by a signal, fails the run.
#
# PostgreSQL itself is not instrumented: ASan sees our C code's own stack
# and global accesses, and heap accesses past a whole malloc'd block, but
# not overruns inside a memory-context block that still lie within it.
# UBSan checks signed overflow (see -fno-wrapv below), shifts, alignment,
# bounds of arrays of known size, and invalid conversions in our code.
. "$(dirname "$0")/lib.sh"

suite=${SANITIZE_SUITE:-full}
case $suite in
	full | quick) ;;
	*) echo "sanitize: SANITIZE_SUITE must be full or quick, not '$suite'" >&2; exit 2 ;;
esac
need_test_packages

asan_rt=$(gcc -print-file-name=libasan.so)
asan_rt=$(readlink -f "$asan_rt" 2>/dev/null || echo "$asan_rt")
if [ ! -e "$asan_rt" ]; then
	echo "sanitize: gcc's AddressSanitizer runtime (libasan.so) was not found; install the libasan package of your gcc (Debian 12: libasan8)" >&2
	exit 1
fi

start=$SECONDS
work=$(mktemp -d /tmp/hrpolicy-sanitize.XXXXXX)
chmod 755 "$work"
keep=${SANITIZE_KEEP:-}
cleanup() {
	if [ -z "$keep" ]; then
		rm -rf "$work"
	else
		echo "sanitize: work directory kept: $work" >&2
	fi
}
trap cleanup EXIT

# --- copy the sources and build them instrumented ---------------------------
src=$work/src
mkdir "$src"
cd "$HRPOLICY_ROOT"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	# tracked and new files, without build products (.gitignore)
	# (--ignore-failed-read: a tracked file deleted in the work tree is skipped)
	git ls-files -z --cached --others --exclude-standard |
		tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C "$src"
else
	tar --exclude='*.o' --exclude='*.so' --exclude='*.bc' --exclude=./results --exclude=./output_iso \
		--exclude=./fuzz/build -cf - . | tar -xf - -C "$src"
fi
[ -f "$src/Makefile" ] || { echo "sanitize: could not copy the sources to $src" >&2; exit 1; }

# PostgreSQL compiles with -fwrapv, which defines signed overflow and so
# turns UBSan's signed-integer-overflow check off: -fno-wrapv (after it)
# turns it back on for our code, whose exact arithmetic must never overflow.
sanitize_flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -fno-wrapv"
echo "sanitize: building with gcc $sanitize_flags" >&2
build_start=$SECONDS
make -C "$src" -s -j"$(nproc 2>/dev/null || echo 2)" PG_CONFIG="$PG_CONFIG" with_llvm=no \
	PG_CFLAGS="$sanitize_flags -g -Wall" PG_LDFLAGS="-fsanitize=address,undefined" >&2
symbols=$(nm -D "$src/hrpolicy.so" 2>/dev/null || true)
if ! grep -q '__asan_init' <<<"$symbols" || ! grep -q '__ubsan_handle' <<<"$symbols"; then
	echo "sanitize: $src/hrpolicy.so is not instrumented (no __asan_/__ubsan_ symbols)" >&2
	exit 1
fi
destdir=$work/install
mkdir "$destdir"
make -C "$src" -s PG_CONFIG="$PG_CONFIG" with_llvm=no install DESTDIR="$destdir" >/dev/null
chmod -R a+rX "$destdir"
build_seconds=$((SECONDS - build_start))

# Preloading libasan alone makes postgres hang before main(): the
# constructors of libgpg-error and libp11-kit (pulled in through ldap and
# gnutls) call bindtextdomain() and newlocale(), whose first malloc()
# initializes ASan inside glibc's gettext or locale lock, and ASan's
# initialization calls dlerror(), which wants that lock again.  This small
# preloaded shim wraps those functions to initialize ASan first, outside the
# locks.
cat > "$work/asan-early-init.c" <<'EOF'
/* Initialize AddressSanitizer before glibc's gettext and locale locks. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <libintl.h>
#include <locale.h>
#include <stdlib.h>

static void
asan_init_now(void)
{
	static int	done;

	if (!done)
	{
		void	   *volatile p;

		done = 1;
		p = malloc(1);
		free(p);
	}
}

#define REAL(name) \
	static __typeof__(name) *real; \
	asan_init_now(); \
	if (real == NULL) \
		real = (__typeof__(name) *) dlsym(RTLD_NEXT, #name)

char *bindtextdomain(const char *domain, const char *dir)
{ REAL(bindtextdomain); return real(domain, dir); }
char *bind_textdomain_codeset(const char *domain, const char *codeset)
{ REAL(bind_textdomain_codeset); return real(domain, codeset); }
char *textdomain(const char *domain)
{ REAL(textdomain); return real(domain); }
locale_t newlocale(int mask, const char *locale, locale_t base)
{ REAL(newlocale); return real(mask, locale, base); }
locale_t duplocale(locale_t l)
{ REAL(duplocale); return real(l); }
char *setlocale(int category, const char *locale)
{ REAL(setlocale); return real(category, locale); }
EOF
gcc -O1 -fno-builtin -Wall -shared -fPIC "$work/asan-early-init.c" -o "$work/asan-early-init.so" -ldl
chmod a+rx "$work/asan-early-init.so"
if ! env LD_PRELOAD="$asan_rt $work/asan-early-init.so" ASAN_OPTIONS=detect_leaks=0 \
	timeout 20 "$(dirname "$PG_CONFIG")/postgres" -V >/dev/null; then
	echo "sanitize: postgres -V does not run with $asan_rt preloaded" >&2
	exit 1
fi

# The server writes its reports here (as postgres when run as root).
reports=$work/reports
mkdir "$reports"
chmod 1777 "$reports"
cat > "$work/environment" <<EOF
# environment of the sanitized throwaway cluster (pg_createcluster --environment)
LD_PRELOAD = '$asan_rt $work/asan-early-init.so'
ASAN_OPTIONS = 'detect_leaks=0:abort_on_error=1:disable_coredump=1:symbolize=1:log_path=$reports/asan'
UBSAN_OPTIONS = 'print_stacktrace=1:halt_on_error=1:symbolize=1:log_path=$reports/ubsan'
EOF
chmod a+r "$work/environment"

# --- the suite, inside the cluster ---------------------------------------------
cat > "$work/inner.sh" <<'EOF'
#!/usr/bin/env bash
# Runs inside pg_virtualenv: prove the server is sanitized, then run the suite.
set -uo pipefail
src=$1
suite=$2
work=$3
cd "$src"
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

# Keep a copy of the server log, which goes away with the cluster.
server_log=$(pg_lsclusters -h | awk '{print $7}' | head -n 1)
trap 'cp "$server_log" "$work/server.log" 2>/dev/null || true' EXIT

# A backend that has loaded the extension must map libasan and our .so
# from the install directory.
psql -qX -v ON_ERROR_STOP=1 -d postgres -c 'DROP DATABASE IF EXISTS hrpolicy_sanitize_probe' \
	-c 'CREATE DATABASE hrpolicy_sanitize_probe' || exit 1
maps=$(psql -qXAt -v ON_ERROR_STOP=1 -d hrpolicy_sanitize_probe <<'SQL'
CREATE EXTENSION hrpolicy CASCADE;
SELECT hrpolicy.quota_limit('<=25%', 7) \g /dev/null
SELECT pg_read_file('/proc/self/maps');
SQL
) || exit 1
psql -qX -d postgres -c 'DROP DATABASE hrpolicy_sanitize_probe'
if ! grep -q 'libasan' <<<"$maps"; then
	echo "sanitize: the backend does not map libasan: LD_PRELOAD did not reach the server" >&2
	exit 1
fi
if ! grep -q "$work/install/.*hrpolicy.so" <<<"$maps"; then
	echo "sanitize: the backend did not load the instrumented hrpolicy.so from $work/install" >&2
	grep hrpolicy <<<"$maps" >&2
	exit 1
fi
echo "sanitize: the server runs with $(grep -o '/[^ ]*libasan[^ ]*' <<<"$maps" | head -n 1) preloaded and the instrumented hrpolicy.so"

if [ "$suite" = full ]; then
	# Fuzzing the parsers is not about the server: leave it to make fuzz.
	rm -f scripts/check-fuzz.sh
	bash scripts/run-tests.sh
else
	status=0
	rm -rf results output_iso regression.diffs
	make -s PG_CONFIG="$PG_CONFIG" with_llvm=no installcheck || status=1
	for diffs in regression.diffs output_iso/regression.diffs; do
		[ -s "$diffs" ] && { cat "$diffs"; status=1; }
	done
	psql -qX -c 'DROP DATABASE IF EXISTS hrpolicy_tap' -c 'CREATE DATABASE hrpolicy_tap' postgres
	pg_prove -d hrpolicy_tap test/*.sql || status=1
	exit $status
fi
EOF

suite_start=$SECONDS
suite_status=0
(
	cd "$src"
	pg_virtualenv -t -v "$PGVER" -o "extension_destdir=$destdir" -o max_prepared_transactions=10 \
		-c "--environment=$work/environment" bash "$work/inner.sh" "$src" "$suite" "$work"
) 2>&1 | tee "$work/suite.log" || suite_status=$?
suite_seconds=$((SECONDS - suite_start))

# --- sanitizer reports ----------------------------------------------------------
found=0
for report in "$reports"/*; do
	[ -e "$report" ] || continue
	found=1
	echo "sanitize: sanitizer report $report:" >&2
	head -n 80 "$report" >&2
done
# Reports that went to stderr instead, and server processes that died.
if [ ! -s "$work/server.log" ]; then
	echo "sanitize: the server log was not saved ($work/server.log)" >&2
	found=1
fi
if grep -nE 'AddressSanitizer|LeakSanitizer|runtime error:|SUMMARY: (Address|Undefined)|terminated by signal|was terminated by exception' \
	"$work/server.log" "$work/suite.log" >"$work/log-hits" 2>/dev/null; then
	found=1
	echo "sanitize: sanitizer or crash lines in the server log or the output:" >&2
	head -n 40 "$work/log-hits" >&2
fi

# One line from the suite's own summary: run-tests.sh prints "pg_regress: ...",
# "pg_prove: ..." and "check-...: ok" lines; the quick suite only the tools' own.
suite_summary() {
	local pattern='^(pg_regress: |pg_prove: Result|check-[a-z-]+: (ok|FAILED)$)'
	[ "$suite" = quick ] && pattern='All [0-9]+ tests passed|[0-9]+ of [0-9]+ tests failed|^Result: '
	grep -E "$pattern" "$work/suite.log" 2>/dev/null | sed 's/^[ #]*//; s/ *$//' | tr '\n' ';' |
		sed 's/;$//; s/;/; /g' || true
}

total=$((SECONDS - start))
if [ $found -ne 0 ] || [ $suite_status -ne 0 ]; then
	keep=1
	summary=$(suite_summary)
	echo "sanitize: FAILED (suite exit $suite_status, sanitizer reports: $([ $found -ne 0 ] && echo yes || echo none)) after ${total}s; ${summary}"
	exit 1
fi
summary=$(suite_summary)
echo "sanitize: no ASan/UBSan report; suite ($suite) passed in ${suite_seconds}s (build ${build_seconds}s, total ${total}s): ${summary}"
