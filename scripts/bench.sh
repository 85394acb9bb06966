#!/usr/bin/env bash
# make bench: build, start a throwaway cluster, and run the benchmarks of
# bench/ at several scales; BENCH_QUICK=1 runs the smallest scale only.
. "$(dirname "$0")/lib.sh"

need_base_packages
build_and_install
cd "$HRPOLICY_ROOT"
# Fixed settings, so that runs compare: no JIT (it switches on at some sizes
# and not others), the default work_mem, two parallel workers.
CLUSTER_OPTS="jit=off work_mem=4MB max_parallel_workers_per_gather=2 shared_buffers=256MB ${CLUSTER_OPTS:-}" \
	with_cluster "$HRPOLICY_ROOT/scripts/run-bench.sh"
