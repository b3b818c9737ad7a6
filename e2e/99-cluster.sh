#!/usr/bin/env bash
# Several Berth nodes on one PostgreSQL database and one data root (issue 19, parts 2 and 5):
# three nodes started at the same moment on an empty database all come up, with the schema
# migrated once and admin, its password, library and the token-signing key made once; a project
# made private on one node is refused on another within about a second; five wrong passwords
# spread over the nodes lock the account on every node; two garbage collection runs started on
# two nodes at once make one run (the other 409); each push is in the audit log exactly once and
# pulls counted on three nodes add up; a node whose database stops answering (its relay to
# PostgreSQL, e2e/tools/TcpRelay.java, paused) is DOWN in /health/ready within seconds.
# Needs PostgreSQL (PGHOST, PGPORT, PGUSER, PGPASSWORD as for E2E_DB=postgresql; default the
# role berth_test of ./test.sh), nginx and curl; no docker (pushes are the OCI API's, by curl).
# Nodes run with --nocluster: Berth keeps everything nodes share in the database (README
# "Several nodes"). Each node: -Xmx256m, HTTP on 127.0.0.1 only. nginx with
# server-config/nginx-cluster.conf (on plain HTTP) spreads GETs over the nodes.
# three Payara Micro starts at once on two cores: more than lib.sh's 180 s on a busy machine
E2E_START_TIMEOUT=${E2E_START_TIMEOUT:-420}
. "$(dirname "$0")/lib.sh"

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

# launch_node I HOST:PORT: start node I (0-based) on the shared data root and the database at
# HOST:PORT, in the background
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
        export BERTH_DB_URL="jdbc:postgresql://$2/$DB" BERTH_DB_USER=$PGUSER BERTH_DB_PASSWORD=$PGPASSWORD
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
# the last node reaches the database through a relay this scenario can pause (its last step)
RELAY_PORT=$(free_port)
java "$E2E_DIR/tools/TcpRelay.java" "$RELAY_PORT" "$PGHOST" "$PGPORT" >"$E2E_WORK/relay.log" 2>&1 &
RELAY_PID=$!
at_exit "kill -CONT $RELAY_PID 2>/dev/null; kill $RELAY_PID 2>/dev/null || true"
for _ in $(seq 1 60); do port_in_use "$RELAY_PORT" && break; sleep 0.25; done
port_in_use "$RELAY_PORT" || fail "the relay to PostgreSQL did not start: $(cat "$E2E_WORK/relay.log")"
started=$SECONDS
for ((i = 0; i < NODES - 1; i++)); do launch_node "$i" "$PGHOST:$PGPORT"; done
launch_node $((NODES - 1)) "127.0.0.1:$RELAY_PORT"
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
MANIFEST_TYPE=application/vnd.oci.image.manifest.v1+json
# push_blob I REPO FILE: upload FILE to REPO through node I (POST, then PUT with the digest)
push_blob() {
    local digest location
    digest="sha256:$(sha256sum "$3" | cut -d' ' -f1)"
    on "$1" POST "/v2/$2/blobs/uploads/" -H 'Content-Length: 0'
    assert_eq 202 "$HTTP_STATUS" "upload of $3 begun on node $1"
    location=$(header Location)
    [[ $location == http* ]] || location="$(node_url "$1")$location"
    [[ $location == *\?* ]] && location="$location&" || location="$location?"
    http PUT "${location}digest=$digest" -H 'Content-Type: application/octet-stream' --data-binary "@$3"
    assert_eq 201 "$HTTP_STATUS" "upload of $3 ended on node $1"
    echo "$digest"
}
# push_image I REPO TAG: a one-layer image (random layer, small config) pushed through node I;
# sets PUSHED_DIGEST, the manifest's digest
push_image() {
    local dir="$E2E_WORK/image-$3" config_digest layer_digest
    mkdir -p "$dir"
    head -c 65536 /dev/urandom >"$dir/layer"
    printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
        "$(sha256sum "$dir/layer" | cut -d' ' -f1)" >"$dir/config"
    layer_digest=$(push_blob "$1" "$2" "$dir/layer")
    config_digest=$(push_blob "$1" "$2" "$dir/config")
    printf '{"schemaVersion":2,"mediaType":"%s","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%d},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"%s","size":%d}]}' \
        "$MANIFEST_TYPE" "$config_digest" "$(wc -c <"$dir/config")" "$layer_digest" "$(wc -c <"$dir/layer")" >"$dir/manifest"
    on "$1" PUT "/v2/$2/manifests/$3" -H "Content-Type: $MANIFEST_TYPE" --data-binary "@$dir/manifest"
    assert_eq 201 "$HTTP_STATUS" "manifest $2:$3 pushed on node $1"
    PUSHED_DIGEST="sha256:$(sha256sum "$dir/manifest" | cut -d' ' -f1)"
    assert_eq "$PUSHED_DIGEST" "$(header Docker-Content-Digest)" "digest of $2:$3"
}
on 0 POST /api/v1/projects -H 'Content-Type: application/json' -d '{"name":"cluster","public":true}'
assert_eq 201 "$HTTP_STATUS" "project cluster created on node 0"
for i in 0 1; do
    push_image "$i" cluster/app "v$i"
    DIGEST[i]=$PUSHED_DIGEST
done
pulls=0
for round in 1 2 3; do
    for ((i = 0; i < NODES; i++)); do
        on "$i" GET /v2/cluster/app/manifests/v0 -H "Accept: $MANIFEST_TYPE"
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

step "nginx with server-config/nginx-cluster.conf in front of the three nodes: GETs served by every node"
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
http GET "http://localhost:$NGINX_PORT/v2/cluster/app/manifests/v1" -H "Accept: $MANIFEST_TYPE"
assert_eq 200 "$HTTP_STATUS" "manifest GET through nginx"
assert_eq "${DIGEST[1]}" "$(header Docker-Content-Digest)" "the manifest pushed on node 1, through nginx"
config=$(jq -r .config.digest "$HTTP_BODY")
for _ in 1 2 3 4 5 6; do
    http GET "http://localhost:$NGINX_PORT/v2/cluster/app/blobs/$config"
    assert_eq 200 "$HTTP_STATUS" "blob GET through nginx"
done
served=$(awk '$1 == "GET" && $2 ~ /^\/v2\/cluster\/app\// && $3 == 200 { print $4 }' "$NG/access.log" | sort -u | wc -l)
assert_eq "$NODES" "$served" "nodes that served GETs through nginx (round robin)"

step "a project made private on node 0 is refused on node 1 within a second"
# Each node keeps which projects are public for 1 s (JpaProjectStore). On a busy machine a request
# takes long, so what is asserted is when a request *began*: every anonymous token asked for more
# than 1.2 s after node 0 answered must grant nothing. (A token issued before keeps its access
# claim until it expires, BERTH_TOKEN_LIFETIME, on one node as on several: as in Distribution,
# on /v2 a token's claim is the decision.)
anon_token() { curl -sS --max-time 30 "$(node_url "$1")/service/token?service=berth&scope=repository:cluster/app:pull" | jq -r .token; }
anon_tags() { # I: status of tags/list of cluster/app on node I with an anonymous token node I issues now
    curl -sS -o /dev/null -w '%{http_code}' --max-time 30 -H "Authorization: Bearer $(anon_token "$1")" \
        "$(node_url "$1")/v2/cluster/app/tags/list"
}
since_ms() { echo $((($(date +%s%N) - $1) / 1000000)); }
assert_eq 200 "$(anon_tags 1)" "anonymous tags/list of the public project on node 1"
on 0 PATCH /api/v1/projects/cluster -H 'Content-Type: application/json' -d '{"public":false}'
assert_eq 200 "$HTTP_STATUS" "made private on node 0"
changed=$(date +%s%N)
while :; do
    began=$(since_ms "$changed")
    status=$(anon_tags 1)
    [[ $status == 200 ]] || break
    ((began <= 1200)) || fail "node 1 still granted the private project to a token asked for ${began} ms after it was made private"
    sleep 0.05
done
log "node 1 refuses the private project ($status) to a token asked for ${began} ms after node 0 made it private (answered after $(since_ms "$changed") ms)"
[[ $status == 401 || $status == 404 ]] || fail "anonymous tags/list of the private project on node 1: $status"
status=$(anon_tags 2)
[[ $status == 401 || $status == 404 ]] || fail "node 2, $(since_ms "$changed") ms after: $status"

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

step "a node whose database stops answering is DOWN in /health/ready within seconds; the others stay UP"
last=$((NODES - 1))
kill -STOP "$RELAY_PID"
paused=$(date +%s%N)
# asserted by when a probe began: the last UP answer is kept 1 s, then a check waits 2 s at most
while :; do
    began=$(since_ms "$paused")
    status=$(curl -sS -o "$E2E_WORK/ready.body" -w '%{http_code}' --max-time 10 "$(node_url "$last")/health/ready" || true)
    [[ $status == 200 ]] || break
    ((began <= 1200)) || fail "node $last still reported ready to a probe begun ${began} ms after its database stopped answering"
    sleep 0.1
done
log "node $last: /health/ready $status to a probe begun ${began} ms after its database stopped answering, answered after $(since_ms "$paused") ms: $(tr -d '\n' <"$E2E_WORK/ready.body" | head -c 400)"
assert_eq 503 "$status" "node $last /health/ready without its database"
assert_eq DOWN "$(jq -r '.checks[] | select(.name == "database") | .status' "$E2E_WORK/ready.body")" "the database check"
answered=$(since_ms "$paused")
((answered <= 8000)) || fail "node $last took ${answered} ms to report DOWN (its check waits 2 s at most, after an answer kept 1 s)"
on 0 GET /health/ready
assert_eq 200 "$HTTP_STATUS" "node 0 /health/ready meanwhile"
kill -CONT "$RELAY_PID"
for _ in $(seq 1 100); do
    status=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 "$(node_url "$last")/health/ready" || true)
    [[ $status == 200 ]] && break
    sleep 0.1
done
assert_eq 200 "$status" "node $last /health/ready once its database answers again"
