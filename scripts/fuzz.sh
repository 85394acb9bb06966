#!/usr/bin/env bash
# make fuzz: libFuzzer on the server-independent text parsers of
# hrpolicy.quota (src/quota_text.c) and hrpolicy.tally (src/tally_text.c).
#
#   FUZZ_SECONDS   seconds per harness (default 60)
#   FUZZ_TARGETS   harnesses to run (default "quota tally")
#   FUZZ_PARALLEL  1: run the harnesses side by side (default when there
#                  are two CPUs or more), 0: one after the other
#   FUZZ_CC        the clang to use (default: clang, else the newest clang-NN)
#
# Builds fuzz/fuzz_<name>.c with -fsanitize=fuzzer,address,undefined into
# fuzz/build/, then runs each harness on a working corpus in
# fuzz/build/corpus/<name> (kept between runs) seeded by the committed
# fuzz/corpus/<name>.  A crashing input is written to fuzz/crashes/ (not
# committed) and the script exits 1 with the harness's report.  When
# libFuzzer's runtime is missing it is installed with apt-get as root, or
# the exact command is printed.
. "$(dirname "$0")/lib.sh"
cd "$HRPOLICY_ROOT"

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_TARGETS=${FUZZ_TARGETS:-quota tally}
if [ -z "${FUZZ_PARALLEL:-}" ]; then
	if [ "$(nproc 2>/dev/null || echo 1)" -ge 2 ]; then FUZZ_PARALLEL=1; else FUZZ_PARALLEL=0; fi
fi
case $FUZZ_SECONDS in
	'' | *[!0-9]*) echo "fuzz: FUZZ_SECONDS must be a whole number of seconds, not '$FUZZ_SECONDS'" >&2; exit 2 ;;
esac

build=fuzz/build
crashes=fuzz/crashes
sanitizers="-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"

find_clang() {
	local cc
	if [ -n "${FUZZ_CC:-}" ]; then
		echo "$FUZZ_CC"
		return
	fi
	if command -v clang >/dev/null 2>&1; then
		echo clang
		return
	fi
	cc=$(compgen -c clang- 2>/dev/null | grep -E '^clang-[0-9]+$' | sort -t- -k2 -n | tail -n 1 || true)
	[ -n "$cc" ] && echo "$cc"
}

# Can this clang link a libFuzzer harness with ASan and UBSan?
can_link_fuzzer() {
	local dir rc
	dir=$(mktemp -d)
	printf '%s\n' '#include <stddef.h>' \
		'int LLVMFuzzerTestOneInput(const unsigned char *d, size_t n) { (void) d; (void) n; return 0; }' \
		> "$dir/probe.c"
	# shellcheck disable=SC2086
	"$CC" $sanitizers ${FUZZ_CFLAGS:-} "$dir/probe.c" -o "$dir/probe" >"$dir/log" 2>&1
	rc=$?
	[ $rc -eq 0 ] || sed 's/^/    /' "$dir/log" | tail -n 5 >&2
	rm -rf "$dir"
	return $rc
}

# The Debian/Ubuntu package holding libclang_rt.fuzzer for this clang:
# libclang-rt-N-dev (Debian 12, Ubuntu 23.04+; only recommended by clang-N,
# so absent after --no-install-recommends), libclang-common-N-dev before.
fuzzer_runtime_package() {
	local major pkg
	major=$("$CC" -dumpversion 2>/dev/null | cut -d. -f1)
	major=${major:-14}
	for pkg in "libclang-rt-$major-dev" "libclang-common-$major-dev"; do
		if apt-cache show "$pkg" >/dev/null 2>&1; then
			echo "$pkg"
			return
		fi
	done
	echo "libclang-rt-$major-dev"
}

CC=$(find_clang || true)
if [ -z "$CC" ]; then
	need_packages clang
	CC=clang
fi
if ! can_link_fuzzer; then
	pkg=$(fuzzer_runtime_package)
	echo "fuzz: $CC cannot link a libFuzzer harness; libFuzzer's runtime comes with $pkg" >&2
	if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
		echo "fuzz: $pkg is installed but $CC still cannot link -fsanitize=fuzzer (set FUZZ_CC to another clang?)" >&2
		exit 1
	fi
	need_packages "$pkg"
	if ! can_link_fuzzer; then
		echo "fuzz: $CC still cannot link -fsanitize=fuzzer after installing $pkg" >&2
		exit 1
	fi
fi

mkdir -p "$build" "$crashes"
for name in $FUZZ_TARGETS; do
	case $name in
		quota) parser=src/quota_text.c ;;
		tally) parser=src/tally_text.c ;;
		*) echo "fuzz: unknown harness '$name' (have: quota tally)" >&2; exit 2 ;;
	esac
	# shellcheck disable=SC2086
	"$CC" -g -O1 -fno-omit-frame-pointer $sanitizers -Wall -Werror ${FUZZ_CFLAGS:-} \
		-Isrc "fuzz/fuzz_$name.c" "$parser" -o "$build/fuzz_$name"
done

export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:symbolize=1}"
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ]; then
	sym=$(command -v llvm-symbolizer || ls /usr/lib/llvm-*/bin/llvm-symbolizer 2>/dev/null | tail -n 1 || true)
	[ -n "$sym" ] && export ASAN_SYMBOLIZER_PATH="$sym"
fi

run_one() {
	local name=$1 log=$2
	mkdir -p "$build/corpus/$name"
	"$build/fuzz_$name" "$build/corpus/$name" "fuzz/corpus/$name" \
		-dict="fuzz/$name.dict" -max_len=512 -timeout=10 -rss_limit_mb=2048 \
		-max_total_time="$FUZZ_SECONDS" -print_final_stats=1 \
		-artifact_prefix="$crashes/$name-" >"$log" 2>&1
}

logs=()
pids=()
start=$SECONDS
for name in $FUZZ_TARGETS; do
	log="$build/fuzz_$name.log"
	logs+=("$log")
	echo "fuzz: running fuzz_$name for ${FUZZ_SECONDS}s" >&2
	if [ "$FUZZ_PARALLEL" = 1 ]; then
		run_one "$name" "$log" &
		pids+=($!)
	else
		if run_one "$name" "$log"; then pids+=(0); else pids+=(-1); fi
	fi
done

status=0
summary=()
i=0
for name in $FUZZ_TARGETS; do
	log=${logs[$i]}
	rc=0
	if [ "$FUZZ_PARALLEL" = 1 ]; then
		wait "${pids[$i]}" || rc=$?
	elif [ "${pids[$i]}" != 0 ]; then
		rc=1
	fi
	i=$((i + 1))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	[ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9]*\)[[:space:]]*DONE.*/\1/p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1 || true)
	corpus=$(printf '%s\n' "$done_line" | sed -n 's/.*corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p')
	cov=$(printf '%s\n' "$done_line" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	if [ $rc -eq 0 ] && [ -n "$execs" ]; then
		echo "fuzz_$name: ${execs} executions (${rate:-?}/s), coverage ${cov:-?} edges, corpus ${corpus:-?}, no crash"
		summary+=("$name ${execs} execs")
	else
		status=1
		echo "fuzz_$name: FAILED (exit $rc); the report from $log:" >&2
		if grep -qE 'ERROR: |runtime error|^fuzz_[a-z]+: ' "$log"; then
			sed -n '/ERROR: \|runtime error\|^fuzz_[a-z]*: /,/^SUMMARY/p' "$log" | head -n 80 >&2
		else
			tail -n 40 "$log" >&2
		fi
		artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		if [ -n "$artifact" ]; then
			echo "fuzz_$name: the input ($(wc -c <"$artifact") bytes, od -c):" >&2
			od -An -c "$artifact" | head -n 12 >&2
			echo "fuzz_$name: crashing input kept in $artifact (not committed)" >&2
			echo "fuzz_$name: reproduce with: $build/fuzz_$name $artifact" >&2
			summary+=("$name CRASH $artifact")
		else
			summary+=("$name FAILED")
		fi
	fi
done

elapsed=$((SECONDS - start))
if [ $status -eq 0 ]; then
	echo "fuzz: no crash in ${elapsed}s (${FUZZ_SECONDS}s per harness): $(IFS=,; echo "${summary[*]}" | sed 's/,/, /g')"
else
	echo "fuzz: FAILED: $(IFS=,; echo "${summary[*]}" | sed 's/,/, /g')"
fi
exit $status
