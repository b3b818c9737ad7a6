#!/usr/bin/env bash
# PostgreSQL as the metadata store, chosen by configuration only (README "PostgreSQL"):
# Debian's PostgreSQL cluster (started here if it is down, and then stopped again at the
# end), a fresh role and database for this run (dropped at the end), Berth started with
# BERTH_DB_DATASOURCE_CLASS/URL/USER/PASSWORD. Proves: the migrations create the schema in
# PostgreSQL, docker push/pull work, the tag is a row in PostgreSQL (not in an H2 file),
# and after a restart of Berth the image is still listed and pullable.
# shellcheck source=e2e/lib.sh
. "$(dirname "$0")/lib.sh"

require_docker
require_restartable
[[ $E2E_TARGET == berth ]] || fail "this scenario tests Berth's PostgreSQL configuration (E2E_TARGET=berth)"
command -v pg_lsclusters >/dev/null || fail "needs Debian's postgresql (apt-get install postgresql)"

PG_VERSION=${E2E_PG_VERSION:-15}
PG_CLUSTER=${E2E_PG_CLUSTER:-main}
cluster_field() { pg_lsclusters --no-header | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c { print $'"$1"' }'; }
[[ -n $(cluster_field 3) ]] || fail "no PostgreSQL cluster $PG_VERSION/$PG_CLUSTER (pg_lsclusters)"
PG_PORT=$(cluster_field 3)
psql_() { runuser -u postgres -- psql -p "$PG_PORT" -v ON_ERROR_STOP=1 -qAt "$@"; }

step "PostgreSQL cluster $PG_VERSION/$PG_CLUSTER on port $PG_PORT"
if [[ $(cluster_field 4) == online ]]; then
    log "already running: it is left running at the end"
else
    run pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
    at_exit "pg_ctlcluster '$PG_VERSION' '$PG_CLUSTER' stop || true"
fi
for _ in $(seq 1 30); do psql_ -c 'SELECT 1' >/dev/null 2>&1 && break; sleep 1; done
psql_ -c 'SELECT 1' >/dev/null || fail "PostgreSQL on port $PG_PORT does not answer"

DB="berth_e2e_$$"
DB_PASSWORD="pw-$E2E_RUN_ID"
run psql_ -c "CREATE ROLE $DB LOGIN PASSWORD '$DB_PASSWORD'" -c "CREATE DATABASE $DB OWNER $DB"
at_exit "psql_ -c 'DROP DATABASE IF EXISTS $DB' -c 'DROP ROLE IF EXISTS $DB' >/dev/null || true"

export BERTH_DB_DATASOURCE_CLASS=org.postgresql.ds.PGSimpleDataSource
export BERTH_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/$DB"
export BERTH_DB_USER=$DB
export BERTH_DB_PASSWORD=$DB_PASSWORD

step "Berth on PostgreSQL database $DB"
start_berth
TABLES=$(psql_ -d "$DB" -c "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
assert_line_in "$TABLES" tag "tables the migrations created in PostgreSQL"
assert_line_in "$TABLES" account "tables the migrations created in PostgreSQL"

step "docker push"
build_image "berth-e2e-pg:$E2E_RUN_ID" 64K 1M
ID=$(image_id "berth-e2e-pg:$E2E_RUN_ID")
CTX=$BUILD_CONTEXT
REF="$REGISTRY/persist/on-postgresql:1"
track_image "$REF"
docker tag "$ID" "$REF"
run docker push "$REF"
DIGEST=$(grep -o 'digest: sha256:[0-9a-f]\{64\}' <<<"$RUN_OUT" | head -n1 | cut -d' ' -f2)
[[ -n $DIGEST ]] || fail "docker push printed no digest"
TAGS=$(psql_ -d "$DB" -c "SELECT r.name || ':' || t.name FROM tag t JOIN repository r ON r.id = t.repository_id")
assert_line_in "$TAGS" persist/on-postgresql:1 "tags stored in PostgreSQL"
if find "$BERTH_DATA_ROOT" -name '*.mv.db' | grep -q .; then
    fail "an H2 database file exists under the data root: $(find "$BERTH_DATA_ROOT" -name '*.mv.db')"
fi

step "docker rmi, then docker pull"
remove_image_completely "$REF"
run docker pull "$REF"
assert_contains "$RUN_OUT" "Digest: $DIGEST" "docker pull output"
assert_eq "$ID" "$(image_id "$REF")" "image ID after pull"

step "restart Berth: the image is still listed and pullable"
restart_berth
expect_status 200 GET /v2/persist/on-postgresql/tags/list
assert_eq 1 "$(jq -r '.tags | join(",")' "$HTTP_BODY")" "tags after the restart"
remove_image_completely "$REF"
run docker pull "$REF"
assert_contains "$RUN_OUT" "Digest: $DIGEST" "docker pull after the restart"
assert_eq "$ID" "$(image_id "$REF")" "image ID after the restart"
assert_eq "$(sha256_of "$CTX/layer2.bin")" "$(image_file_sha "$REF" /data/layer2.bin)" "content after the restart"

log "ok"
