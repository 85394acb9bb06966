#!/usr/bin/env bash
# Security and lifecycle checks, each in a database of its own:
#  1. hostile search_path: public holds look-alikes of the builtins the
#     extension uses (each raises if called); the extension is created and
#     used with public searched before pg_catalog, and none is ever called;
#  2. no SECURITY DEFINER function; every SQL and PL/pgSQL function either has
#     a body bound at creation (BEGIN ATOMIC / RETURN) or pins search_path;
#  3. a non-superuser who owns a database creates the extension (trusted)
#     and uses all of it; a role without grants cannot change decrees; the
#     README's reader and writer grants work;
#  4. DROP EXTENSION: refused while tables are enforced, CASCADE removes the
#     triggers and leaves the user's table and rows;
#  5. planted look-alikes with exact argument types: every operator and
#     function the extension's SQL uses, derived from it, imitated in public
#     before and after install; the reports answer as in a clean database,
#     for the superuser (also with public first) and a reader, and none of
#     the look-alikes ever runs (test/security/planted/run.sh).
# Runs inside the throwaway cluster (PG* set by pg_virtualenv).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
here=test/security

run() { psql -qX -v ON_ERROR_STOP=1 "$@"; }
# pg_virtualenv's cluster asks TCP clients for a password (PGPASSWORD is
# the superuser's); the test roles get the same one.
pw=${PGPASSWORD:-hrpolicy-test}

run -d postgres -c 'DROP DATABASE IF EXISTS hrpolicy_hostile' -c 'CREATE DATABASE hrpolicy_hostile' \
	-c 'DROP DATABASE IF EXISTS hrpolicy_owned' \
	-c 'DROP ROLE IF EXISTS hrp_owner' -c 'DROP ROLE IF EXISTS hrp_nobody' \
	-c 'DROP ROLE IF EXISTS hrp_reader' -c 'DROP ROLE IF EXISTS hrp_writer' \
	-c "CREATE ROLE hrp_owner LOGIN PASSWORD '$pw'" -c "CREATE ROLE hrp_nobody LOGIN PASSWORD '$pw'" \
	-c "CREATE ROLE hrp_reader LOGIN PASSWORD '$pw'" -c "CREATE ROLE hrp_writer LOGIN PASSWORD '$pw'" \
	-c 'CREATE DATABASE hrpolicy_owned OWNER hrp_owner'

echo "-- 1. hostile search_path"
run -d hrpolicy_hostile -f "$here/hostile.sql" -o /dev/null
echo "ok: created and used with look-alikes of the builtins first on the search_path"

echo "-- 2. function attributes"
run -d hrpolicy_hostile -f "$here/attributes.sql"

echo "-- 3. non-superuser owner, roles and grants"
run -d hrpolicy_owned -U hrp_owner -f "$here/owner.sql" -o /dev/null
run -d hrpolicy_owned -U hrp_nobody -f "$here/nobody.sql"
run -d hrpolicy_owned -U hrp_owner -f "$here/grants.sql" -o /dev/null
run -d hrpolicy_owned -U hrp_reader -f "$here/reader.sql"
run -d hrpolicy_owned -U hrp_writer -f "$here/writer.sql"

echo "-- 4. DROP EXTENSION"
run -d hrpolicy_owned -U hrp_owner -f "$here/drop.sql"

echo "-- 5. planted look-alikes with exact argument types"
bash "$here/planted/run.sh"

run -d postgres -c 'DROP DATABASE hrpolicy_hostile' -c 'DROP DATABASE hrpolicy_owned' \
	-c 'DROP ROLE hrp_owner' -c 'DROP ROLE hrp_nobody' -c 'DROP ROLE hrp_reader' -c 'DROP ROLE hrp_writer'
echo "security: hostile search_path, function attributes, trusted install, grants and DROP EXTENSION ok"
