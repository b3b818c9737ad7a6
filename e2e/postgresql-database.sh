#!/usr/bin/env bash
# Fresh PostgreSQL databases for the PostgreSQL test pass (README "Test it"):
#
#   postgresql-database.sh recreate NAME   drop NAME if it exists, create it empty
#   postgresql-database.sh drop NAME       drop NAME if it exists
#   postgresql-database.sh used NAME [DATA_ROOT]
#                                          fail unless Berth's migrations ran in NAME and
#                                          DATA_ROOT holds no H2 database file: the run
#                                          really was on PostgreSQL (no check when no Berth
#                                          made DATA_ROOT: e.g. only EndToEndIT ran)
#
# Connects with the standard libpq variables PGHOST (default 127.0.0.1), PGPORT (5432),
# PGUSER and PGPASSWORD: a role that may create databases (./test.sh makes berth_test).
# The new database is owned by that role, so Berth connects as it. Used by the Maven profile
# db-postgresql (the Arquillian ITs' database) and by e2e/lib.sh when E2E_DB=postgresql.
set -euo pipefail

usage() { echo "usage: $0 recreate NAME | drop NAME | used NAME [DATA_ROOT]" >&2; exit 2; }
[[ $# == 2 || ($# == 3 && $1 == used) ]] || usage
action=$1 name=$2 data_root=${3:-}
# the name is spliced into SQL: keep it an unquoted identifier
[[ $name =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "$0: bad database name '$name'" >&2; exit 2; }

export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432}
[[ -n ${PGUSER:-} ]] || { echo "$0: set PGUSER (and PGPASSWORD) to a role that may create databases" >&2; exit 2; }
export PGCONNECT_TIMEOUT=${PGCONNECT_TIMEOUT:-10}

# quiet: no NOTICE for a database that does not exist
psql_() { PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning" psql -d postgres -v ON_ERROR_STOP=1 -qAtX "$@"; }

if ! out=$(psql_ -c 'SELECT 1' 2>&1); then
    echo "$0: cannot connect to PostgreSQL at $PGHOST:$PGPORT as $PGUSER: $out" >&2
    echo "$0: ./test.sh (as root) starts Debian's cluster and creates that role" >&2
    exit 1
fi

case $action in
recreate | drop)
    # WITH (FORCE) (PostgreSQL 13+) ends sessions a killed Berth may have left behind
    psql_ -c "DROP DATABASE IF EXISTS $name WITH (FORCE)"
    [[ $action == drop ]] || psql_ -c "CREATE DATABASE $name"
    ;;
used)
    if [[ -n $data_root && ! -d $data_root ]]; then
        echo "no Berth ran on $data_root: nothing to check"
        exit 0
    fi
    applied=$(psql_ -d "$name" -c 'SELECT count(*) FROM flyway_schema_history WHERE success' 2>&1) || true
    if [[ ! $applied =~ ^[1-9][0-9]*$ ]]; then
        echo "$0: Berth's migrations did not run in PostgreSQL database $name ($applied)" >&2
        exit 1
    fi
    if [[ -n $data_root ]] && h2=$(find "$data_root" -name '*.mv.db' 2>/dev/null) && [[ -n $h2 ]]; then
        echo "$0: Berth wrote an H2 database under its data root instead: $h2" >&2
        exit 1
    fi
    echo "PostgreSQL database $name holds Berth's schema ($applied migrations applied)"
    ;;
*) usage ;;
esac
