#!/usr/bin/env bash
# The demo proper; runs inside the throwaway cluster made by demo.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
psql -qX -v ON_ERROR_STOP=1 -c 'CREATE DATABASE hrpolicy_demo' postgres
psql -qX -v ON_ERROR_STOP=1 -d hrpolicy_demo -f demo/demo.sql
