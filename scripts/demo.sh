#!/usr/bin/env bash
# make demo: build, start a throwaway cluster, load the sample HR database
# with the seeds' decrees and print the compliance report.
. "$(dirname "$0")/lib.sh"

need_base_packages
build_and_install
cd "$HRPOLICY_ROOT"
with_cluster "$HRPOLICY_ROOT/scripts/run-demo.sh"
