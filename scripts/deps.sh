#!/usr/bin/env bash
# make deps: install what building and testing hrpolicy needs (Debian and
# Ubuntu; as root it runs apt-get, otherwise it prints the command).
. "$(dirname "$0")/lib.sh"

need_test_packages
echo "hrpolicy: everything make test needs is installed (PostgreSQL $PGVER)"
