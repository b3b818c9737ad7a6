#!/usr/bin/env bash
# Several Berth nodes on one PostgreSQL database and one data root (issue 19, parts 2 and 5):
# three nodes started at the same moment on an empty database all come up, with the schema
# migrated once and admin, its password, library and the token-signing key made once; a project
# made private on one node is refused on another within about a second; five wrong passwords
# spread over the nodes lock the account on every node; two garbage collection runs started on
# two nodes at once make one run (the other 409); each push is in the audit log exactly once and
# pulls counted on three nodes add up. Needs PostgreSQL (PGHOST, PGPORT, PGUSER, PGPASSWORD as for
# E2E_DB=postgresql; default the role berth_test of ./test.sh) and dockerd.
# Nodes run with --nocluster: Berth keeps everything nodes share in the database (README
# "Several nodes"). Each node: -Xmx256m, HTTP on 127.0.0.1 only. nginx with
# server-config/nginx-cluster.conf (on plain HTTP) spreads a docker pull and GETs over the nodes.
. "$(dirname "$0")/lib.sh"

require_docker
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-berth_test} PGPASSWORD=${PGPASSWORD:-berth_test}
unset BERTH_DB_JNDI
NODES=3
DB="berth_cluster_$$"
DATA_ROOT="$E2E_WORK/shared-data"
mkdir -p "$DATA_ROOT"
psql_() { psql -d "$DB" -v ON_ERROR_STOP=1 -qAtX -c "$1"; }

# ---------------------------------------------------------------- the nodes

NODE_PORT=()
NODE_PID=()
NODE_LOG=()
LOOPBACK_ONLY="$E2E_WORK/loopback.asadmin"
echo 'set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1' >"$LOOPBACK_ONLY"

# launch_node I: start node I (0-based) on the shared data root and database, in the background
launch_node() {
    local i=$1 home="$E2E_WORK/node$1"
    mkdir -p "$home/deploy" "$home/java-tmp"
    cp "$BERTH_WAR" "$home/deploy/ROOT.war"
    NODE_LOG[i]="$E2E_LOG_DIR/${E2E_NAME}.node$i.log"
    : >"${NODE_LOG[i]}"
    show_on_failure "${NODE_LOG[i]}"
    (
        cd "$home"
        export BERTH_DATA_ROOT=$DATA_ROOT BERTH_ADMIN_PASSWORD=$E2E_ADMIN_PASSWORD BERTH_TRUSTED_PROXIES=127.0.0.1
        export BERTH_DB_DATASOURCE_CLASS=org.postgresql.ds.PGSimpleDataSource
        export BERTH_DB_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" BERTH_DB_USER=$PGUSER BERTH_DB_PASSWORD=$PGPASSWORD
        unset BERTH_TOKEN_LIFETIME BERTH_SEND_TIMEOUT BERTH_GC_GRACE BERTH_UPLOAD_EXPIRY
        exec java -Xmx256m -Djava.io.tmpdir="$home/java-tmp" -jar "$BERTH_MICRO_JAR" \
            --deploy "$home/deploy/ROOT.war" --port "${NODE_PORT[i]}" --nocluster \
            --prebootcommandfile "$LOOPBACK_ONLY" </dev/null >>"${NODE_LOG[i]}" 2>&1
    ) &
    NODE_PID[i]=$!
}

stop_nodes() {
    local pid
    for pid in ${NODE_PID[@]+"${NODE_PID[@]}"}; do kill "$pid" 2>/dev/null || true; done
    for pid in ${NODE_PID[@]+"${NODE_PID[@]}"}; do
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$pid" 2>/dev/null || true
    done
}

# node_url I: the base URL of node I
node_url() { echo "http://localhost:${NODE_PORT[$1]}"; }

# on I METHOD PATH [curl args]: http() against node I
on() {
    local i=$1 method=$2 path=$3
    shift 3
    http "$method" "$(node_url "$i")$path" "$@"
}

step "three nodes start at the same moment on the empty database $DB"
"$E2E_DIR/postgresql-database.sh" recreate "$DB" >/dev/null || fail "cannot create PostgreSQL database $DB"
at_exit "[[ \${E2E_KEEP:-0} == 1 ]] || '$E2E_DIR/postgresql-database.sh' drop $DB >/dev/null || true"
at_exit stop_nodes
for ((i = 0; i < NODES; i++)); do
    NODE_PORT[i]=$(free_port)
    while [[ $i -gt 0 && " ${NODE_PORT[*]:0:i} " == *" ${NODE_PORT[i]} "* ]]; do NODE_PORT[i]=$(free_port); done
done
started=$SECONDS
for ((i = 0; i < NODES; i++)); do launch_node "$i"; done
for ((i = 0; i < NODES; i++)); do
    BERTH_PID=${NODE_PID[i]} REGISTRY_URL=$(node_url "$i") REGISTRY_LOG=${NODE_LOG[i]} wait_ready
done
BERTH_PID=
log "all $NODES nodes answer /v2/ after $((SECONDS - started)) s"
for ((i = 0; i < NODES; i++)); do
    on "$i" GET /health/ready
    assert_eq 200 "$HTTP_STATUS" "node $i /health/ready"
    assert_not_contains "$(cat "${NODE_LOG[i]}")" "Berth cannot start" "node $i log"
done

shipped=$(find "$REPO_ROOT/src/main/resources/db/migration" -name 'V*__*.sql' | wc -l)
assert_eq "$shipped" "$(psql_ "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL")" "migrations applied, once each"
assert_eq 0 "$(psql_ "SELECT count(*) FROM flyway_schema_history WHERE NOT success")" "failed migrations"
assert_eq 1 "$(psql_ "SELECT count(*) FROM account WHERE username = 'admin'")" "admin accounts"
assert_eq 1 "$(psql_ "SELECT count(*) FROM project WHERE name = 'library'")" "library projects"
assert_eq 1 "$(cat "${NODE_LOG[@]}" | grep -c "Created the system administrator 'admin'")" "nodes that created admin"
applied_by=$(cat "${NODE_LOG[@]}" | grep "migrations applied now" | grep -vc "(0 migrations applied now)" || true)
assert_eq 1 "$applied_by" "nodes that applied migrations (the others found them applied)"

step "one token-signing key: a token of any node is good on every node"
for ((i = 0; i < NODES; i++)); do
    on "$i" GET "/service/token?service=berth&scope=repository:library/none:pull"
    assert_eq 200 "$HTTP_STATUS" "token from node $i"
    TOKEN[i]=$(jq -r .token "$HTTP_BODY")
done
assert_eq 1 "$(psql_ "SELECT count(*) FROM signing_key")" "signing keys after every node issued a token"
for ((i = 0; i < NODES; i++)); do
    j=$(((i + 1) % NODES))
    status=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${TOKEN[i]}" "$(node_url "$j")/v2/")
    assert_eq 200 "$status" "node $i's token on node $j"
done

step "pushes on two nodes, pulls on three: each push audited once, every pull counted"
for ((i = 0; i < NODES; i++)); do
    printf '%s' "$E2E_ADMIN_PASSWORD" | docker login "localhost:${NODE_PORT[i]}" -u admin --password-stdin >/dev/null ||
        fail "docker login to node $i"
done
on 0 POST /api/v1/projects -H 'Content-Type: application/json' -d '{"name":"cluster","public":true}'
assert_eq 201 "$HTTP_STATUS" "project cluster created on node 0"
build_image "berth-e2e-cluster-a:$E2E_RUN_ID" 64K
build_image "berth-e2e-cluster-b:$E2E_RUN_ID" 64K
for i in 0 1; do
    ref="localhost:${NODE_PORT[i]}/cluster/app:v$i"
    track_image "$ref"
    run docker tag "berth-e2e-cluster-$([[ $i == 0 ]] && echo a || echo b):$E2E_RUN_ID" "$ref"
    run docker push "$ref"
    DIGEST[i]=$(pushed_digest)
done
pulls=0
for round in 1 2 3; do
    for ((i = 0; i < NODES; i++)); do
        on "$i" GET /v2/cluster/app/manifests/v0 -H 'Accept: application/vnd.docker.distribution.manifest.v2+json'
        assert_eq 200 "$HTTP_STATUS" "manifest GET on node $i"
        pulls=$((pulls + 1))
    done
done
sleep 2.5 # each node writes its audit entries and pull counts once a second
assert_eq "$pulls" "$(psql_ "SELECT m.pull_count FROM manifest m JOIN repository r ON r.id = m.repository_id WHERE r.name = 'cluster/app' AND m.digest = '${DIGEST[0]}'")" \
    "pull count of cluster/app:v0 after $pulls GETs on $NODES nodes"
on 2 GET "/api/v1/audit-logs?resource=cluster/app&operation=push&page_size=100"
assert_eq 200 "$HTTP_STATUS" "audit log on node 2"
assert_eq "cluster/app:v0 cluster/app:v1" "$(jq -r '[.[].resource] | sort | join(" ")' "$HTTP_BODY")" "push entries, one per push"

step "nginx with server-config/nginx-cluster.conf in front of the three nodes: a docker pull, GETs on every node"
command -v nginx >/dev/null || fail "needs nginx (apt-get install nginx-light or nginx)"
NG="$E2E_WORK/nginx"
mkdir -p "$NG"
NGINX_PORT=$(free_port)
# the site as shipped, on plain HTTP: the listen line and the nodes changed, the ssl_ lines left out
{
    for ((i = 0; i < NODES; i++)); do echo "server 127.0.0.1:${NODE_PORT[i]} max_fails=2 fail_timeout=10s;"; done
} >"$NG/nodes.conf"
sed -e "/^ *server 10\.0\.0\.1[23]:/d" \
    -e "s|^ *server 10\.0\.0\.11:5000 max_fails=2 fail_timeout=10s;|    include $NG/nodes.conf;|" \
    -e "/^ *ssl_/d" \
    -e "s|listen 443 ssl;|listen 127.0.0.1:$NGINX_PORT;|" \
    "$REPO_ROOT/server-config/nginx-cluster.conf" >"$NG/site.conf"
grep -q "include $NG/nodes.conf;" "$NG/site.conf" || fail "the upstream of nginx-cluster.conf changed: update this scenario"
grep -q "listen 127.0.0.1:$NGINX_PORT;" "$NG/site.conf" || fail "the listen line of nginx-cluster.conf changed: update this scenario"
start_nginx "$NG" "$NG/site.conf" '$request_method $uri $status $upstream_addr'
printf '%s' "$E2E_ADMIN_PASSWORD" | docker login "localhost:$NGINX_PORT" -u admin --password-stdin >/dev/null ||
    fail "docker login through nginx"
ref="localhost:$NGINX_PORT/cluster/app:v1"
track_image "$ref"
run docker pull "$ref"
assert_contains "$RUN_OUT" "${DIGEST[1]}" "docker pull through nginx"
http GET "http://localhost:$NGINX_PORT/v2/cluster/app/manifests/v1" -H 'Accept: application/vnd.docker.distribution.manifest.v2+json'
config=$(jq -r .config.digest "$HTTP_BODY")
for _ in 1 2 3 4 5 6; do
    http GET "http://localhost:$NGINX_PORT/v2/cluster/app/blobs/$config"
    assert_eq 200 "$HTTP_STATUS" "blob GET through nginx"
done
served=$(awk '$1 == "GET" && $2 ~ /^\/v2\/cluster\/app\// && $3 == 200 { print $4 }' "$NG/access.log" | sort -u | wc -l)
assert_eq "$NODES" "$served" "nodes that served GETs through nginx (round robin)"

step "a project made private on node 0 is refused on node 1 within a second"
anon_tags() { # I: status of an anonymous tags/list of cluster/app on node I, with a fresh anonymous token
    local token
    token=$(curl -sS "$(node_url "$1")/service/token?service=berth&scope=repository:cluster/app:pull" | jq -r .token)
    curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$(node_url "$1")/v2/cluster/app/tags/list"
}
assert_eq 200 "$(anon_tags 1)" "anonymous tags/list of the public project on node 1"
on 0 PATCH /api/v1/projects/cluster -H 'Content-Type: application/json' -d '{"public":false}'
assert_eq 200 "$HTTP_STATUS" "made private on node 0"
changed=$(date +%s%N)
while :; do
    status=$(anon_tags 1)
    elapsed=$((($(date +%s%N) - changed) / 1000000))
    [[ $status == 200 ]] || break
    ((elapsed < 3000)) || fail "node 1 still serves the private project anonymously ${elapsed} ms after it was made private"
    sleep 0.05
done
log "node 1 refuses the private project ($status) ${elapsed} ms after node 0 made it private"
[[ $status == 401 || $status == 404 ]] || fail "anonymous tags/list of the private project on node 1: $status"
((elapsed <= 1500)) || fail "node 1 took ${elapsed} ms (more than the 1 s cache and a request) to see the project private"

step "five wrong passwords spread over the nodes lock the account on every node"
on 0 POST /api/v1/users -H 'Content-Type: application/json' -d '{"username":"carol","password":"CarolPass-123"}'
assert_eq 201 "$HTTP_STATUS" "user carol"
login_on() { # I PASSWORD: status of a token request with carol's password on node I
    curl -sS -o "$E2E_WORK/login.body" -w '%{http_code}' -u "carol:$2" "$(node_url "$1")/service/token?service=berth"
}
assert_eq 200 "$(login_on 2 CarolPass-123)" "carol's password works"
for attempt in 0 1 2 3 4; do
    assert_eq 401 "$(login_on $((attempt % NODES)) wrong-$attempt)" "wrong password $attempt on node $((attempt % NODES))"
done
for ((i = 0; i < NODES; i++)); do
    assert_eq 429 "$(login_on "$i" CarolPass-123)" "carol's right password on node $i after five failures"
    assert_contains "$(cat "$E2E_WORK/login.body")" "too many failed logins" "node $i's refusal"
done

step "a garbage collection started on two nodes at once runs once"
curl -sS -o "$E2E_WORK/gc0.body" -w '%{http_code}' -u "admin:$E2E_ADMIN_PASSWORD" -X POST -H 'Content-Type: application/json' \
    -d '{"dry_run":true}' "$(node_url 0)/api/v1/system/gc" >"$E2E_WORK/gc0.status" &
gc0=$!
curl -sS -o "$E2E_WORK/gc1.body" -w '%{http_code}' -u "admin:$E2E_ADMIN_PASSWORD" -X POST -H 'Content-Type: application/json' \
    -d '{"dry_run":true}' "$(node_url 1)/api/v1/system/gc" >"$E2E_WORK/gc1.status" &
gc1=$!
wait "$gc0" "$gc1"
statuses=$(sort <<<"$(cat "$E2E_WORK/gc0.status")
$(cat "$E2E_WORK/gc1.status")" | tr '\n' ' ')
runs=$(psql_ "SELECT count(*) FROM gc_run")
if [[ $runs == 1 ]]; then
    assert_eq "202 409 " "$statuses" "the two starts"
else
    # the first run may end before the second start arrives: then both ran, one after the other
    assert_eq "202 202 " "$statuses" "the two starts, $runs runs"
    assert_eq 0 "$(psql_ "SELECT count(*) FROM gc_run a JOIN gc_run b ON a.id < b.id WHERE b.started_at < a.ended_at")" "runs that overlapped"
fi
REGISTRY_URL=$(node_url 2) await_run "/api/v1/system/gc/runs/$(psql_ "SELECT max(id) FROM gc_run")"
assert_eq succeeded "$(jq -r .state "$HTTP_BODY")" "the garbage collection run, read on node 2"

step "the audit log has each failed login once, wherever it was sent"
sleep 1.5
on 1 GET "/api/v1/audit-logs?username=carol&operation=login_failed&page_size=100"
assert_eq 200 "$HTTP_STATUS" "audit log on node 1"
assert_eq 8 "$(jq length "$HTTP_BODY")" "carol's failed logins: five wrong passwords and three refusals while locked"
