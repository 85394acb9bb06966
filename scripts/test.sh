#!/usr/bin/env bash
# make test: build warning-free, install into a private directory, and run
# the whole suite (pg_regress, isolation specs, pgTAP, lifecycle checks) on
# a throwaway cluster.  Exits non-zero on any failure.
. "$(dirname "$0")/lib.sh"

need_test_packages
build_and_install
cd "$HRPOLICY_ROOT"
CLUSTER_OPTS="max_prepared_transactions=10 ${CLUSTER_OPTS:-}" \
	with_cluster "$HRPOLICY_ROOT/scripts/run-tests.sh"
