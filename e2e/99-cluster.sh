#!/usr/bin/env bash
# Several Berth nodes behind nginx round robin, no sticky sessions (issue 19).
# Part one: three nodes on one PostgreSQL database and one S3 bucket (S3Proxy on loopback, its
# filesystem backend). Three nodes started at the same moment on an empty database all come up,
# with the schema migrated once and admin, its password, library and the token-signing key made
# once; a chunked upload whose PATCHes go to the three nodes in turn; docker push of an image with
# a 100 MiB layer through nginx and docker pull back; a project made private on one node is
# refused on another within about a second; five wrong passwords spread over the nodes lock the
# account on every node; two garbage collection runs started on two nodes at once make one run;
# each push is in the audit log exactly once and pulls counted on three nodes add up; a node whose
# database or object store stops answering (its relay, e2e/tools/TcpRelay.java, paused) is DOWN in
# /health/ready within seconds; kill -9 of the node that receives a layer of a docker push, and the
# push (retried by docker, or by this script once) succeeds and pulls byte-identical.
# Part two: the same three nodes on one shared data root (no S3), a new database: a chunked
# upload across the nodes, one docker push and pull through nginx.
# Needs PostgreSQL (PGHOST, PGPORT, PGUSER, PGPASSWORD as for E2E_DB=postgresql; default the
# role berth_test of ./test.sh), nginx, docker and target/s3proxy.jar (the build copies it).
# Nodes run with --nocluster: Berth keeps everything nodes share in the database (README
# "Several nodes"). Each node: -Xmx256m, HTTP on 127.0.0.1 only. nginx runs
# server-config/nginx-cluster.conf as shipped, on plain HTTP.
# three Payara Micro starts at once on two cores: more than lib.sh's 180 s on a busy machine
E2E_START_TIMEOUT=${E2E_START_TIMEOUT:-420}
. "$(dirname "$0")/lib.sh"

export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-berth_test} PGPASSWORD=${PGPASSWORD:-berth_test}
unset BERTH_DB_JNDI
require_docker
command -v nginx >/dev/null || fail "needs nginx (apt-get install nginx-light or nginx)"
NODES=3
DB="berth_cluster_$$"
DATA_ROOT="$E2E_WORK/shared-data"
mkdir -p "$DATA_ROOT"
psql_() { psql -d "$DB" -v ON_ERROR_STOP=1 -qAtX -c "$1"; }

# ---------------------------------------------------------------- the object store

S3PROXY_JAR=${S3PROXY_JAR:-$REPO_ROOT/target/s3proxy.jar}
[[ -f $S3PROXY_JAR ]] || fail "no $S3PROXY_JAR: the build copies it (mvn process-test-resources)"
S3_BUCKET=berth
export AWS_ACCESS_KEY_ID=berth-e2e AWS_SECRET_ACCESS_KEY=berth-e2e-secret
S3_PORT=$(free_port)
# the filesystem backend keeps a bucket as a folder of its base folder, an object as a file
S3_OBJECTS="$E2E_WORK/s3/blobs/$S3_BUCKET"
mkdir -p "$S3_OBJECTS"
cat >"$E2E_WORK/s3/s3proxy.properties" <<PROPERTIES
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$AWS_ACCESS_KEY_ID
s3proxy.credential=$AWS_SECRET_ACCESS_KEY
jclouds.provider=filesystem
jclouds.filesystem.basedir=$E2E_WORK/s3/blobs
PROPERTIES
show_on_failure "$E2E_WORK/s3/s3proxy.log"
java -Xmx256m -jar "$S3PROXY_JAR" --properties "$E2E_WORK/s3/s3proxy.properties" >"$E2E_WORK/s3/s3proxy.log" 2>&1 &
S3_PID=$!
at_exit "kill $S3_PID 2>/dev/null || true"

# ---------------------------------------------------------------- the nodes

NODE_PORT=()
NODE_PID=()
NODE_LOG=()
LOOPBACK_ONLY="$E2E_WORK/loopback.asadmin"
echo 'set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1' >"$LOOPBACK_ONLY"

# launch_node I DB_HOST:PORT [S3_HOST:PORT]: start node I (0-based) on the database at
# DB_HOST:PORT, with blobs in the bucket at S3_HOST:PORT or, without it, on the shared data root;
# in the background
launch_node() {
    local i=$1 home="$E2E_WORK/node$1"
    mkdir -p "$home/deploy" "$home/java-tmp" "$home/data"
    cp "$BERTH_WAR" "$home/deploy/ROOT.war"
    NODE_LOG[i]="$E2E_LOG_DIR/${E2E_NAME}.node$i.log"
    : >"${NODE_LOG[i]}"
    show_on_failure "${NODE_LOG[i]}"
    (
        cd "$home"
        export BERTH_ADMIN_PASSWORD=$E2E_ADMIN_PASSWORD BERTH_TRUSTED_PROXIES=127.0.0.1
        export BERTH_DB_DATASOURCE_CLASS=org.postgresql.ds.PGSimpleDataSource
        export BERTH_DB_URL="jdbc:postgresql://$2/$DB" BERTH_DB_USER=$PGUSER BERTH_DB_PASSWORD=$PGPASSWORD
        if [[ -n ${3:-} ]]; then
            # the data root holds only what is the node's own (H2 is not used, tmp)
            export BERTH_DATA_ROOT=$home/data BERTH_STORAGE=s3 BERTH_S3_ENDPOINT="http://$3"
            export BERTH_S3_BUCKET=$S3_BUCKET BERTH_S3_PATH_STYLE=true
        else
            export BERTH_DATA_ROOT=$DATA_ROOT BERTH_STORAGE=filesystem
        fi
        unset BERTH_TOKEN_LIFETIME BERTH_SEND_TIMEOUT BERTH_GC_GRACE BERTH_UPLOAD_EXPIRY
        exec java -Xmx256m -Djava.io.tmpdir="$home/java-tmp" -jar "$BERTH_MICRO_JAR" \
            --deploy "$home/deploy/ROOT.war" --port "${NODE_PORT[i]}" --nocluster \
            --prebootcommandfile "$LOOPBACK_ONLY" </dev/null >>"${NODE_LOG[i]}" 2>&1
    ) &
    NODE_PID[i]=$!
    disown "$!" # a node killed on purpose is no news for bash to print
}

stop_nodes() {
    local pid
    for pid in ${NODE_PID[@]+"${NODE_PID[@]}"}; do kill "$pid" 2>/dev/null || true; done
    for pid in ${NODE_PID[@]+"${NODE_PID[@]}"}; do
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$pid" 2>/dev/null || true
    done
    NODE_PID=()
}

# await_nodes: wait until every node answers /v2/ and /health/ready, with nothing refused in its log
await_nodes() {
    local i
    for ((i = 0; i < NODES; i++)); do
        BERTH_PID=${NODE_PID[i]} REGISTRY_URL=$(node_url "$i") REGISTRY_LOG=${NODE_LOG[i]} wait_ready
    done
    BERTH_PID=
    for ((i = 0; i < NODES; i++)); do
        on "$i" GET /health/ready
        assert_eq 200 "$HTTP_STATUS" "node $i /health/ready"
        assert_not_contains "$(cat "${NODE_LOG[i]}")" "Berth cannot start" "node $i log"
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

# start_relay NAME HOST PORT: a relay on a free port to HOST:PORT that this scenario can pause
# (SIGSTOP); sets RELAY_PORT and RELAY_PID
start_relay() {
    RELAY_PORT=$(free_port)
    java "$E2E_DIR/tools/TcpRelay.java" "$RELAY_PORT" "$2" "$3" >"$E2E_WORK/relay-$1.log" 2>&1 &
    RELAY_PID=$!
    at_exit "kill -CONT $RELAY_PID 2>/dev/null; kill $RELAY_PID 2>/dev/null || true"
    for _ in $(seq 1 60); do port_in_use "$RELAY_PORT" && break; sleep 0.25; done
    port_in_use "$RELAY_PORT" || fail "the relay to $1 did not start: $(cat "$E2E_WORK/relay-$1.log")"
}

step "S3Proxy on loopback with the bucket $S3_BUCKET"
for _ in $(seq 1 240); do port_in_use "$S3_PORT" && break; kill -0 "$S3_PID" 2>/dev/null || break; sleep 0.25; done
port_in_use "$S3_PORT" || fail "S3Proxy did not start: $(tail -n 30 "$E2E_WORK/s3/s3proxy.log")"

step "three nodes start at the same moment on the empty database $DB and the bucket $S3_BUCKET"
"$E2E_DIR/postgresql-database.sh" recreate "$DB" >/dev/null || fail "cannot create PostgreSQL database $DB"
at_exit "[[ \${E2E_KEEP:-0} == 1 ]] || '$E2E_DIR/postgresql-database.sh' drop $DB >/dev/null || true"
at_exit stop_nodes
for ((i = 0; i < NODES; i++)); do
    NODE_PORT[i]=$(free_port)
    while [[ $i -gt 0 && " ${NODE_PORT[*]:0:i} " == *" ${NODE_PORT[i]} "* ]]; do NODE_PORT[i]=$(free_port); done
done
# the last node reaches the database and the object store through relays this scenario pauses
start_relay postgresql "$PGHOST" "$PGPORT"
DB_RELAY_PORT=$RELAY_PORT DB_RELAY_PID=$RELAY_PID
start_relay s3 127.0.0.1 "$S3_PORT"
S3_RELAY_PORT=$RELAY_PORT S3_RELAY_PID=$RELAY_PID
started=$SECONDS
for ((i = 0; i < NODES - 1; i++)); do launch_node "$i" "$PGHOST:$PGPORT" "127.0.0.1:$S3_PORT"; done
launch_node $((NODES - 1)) "127.0.0.1:$DB_RELAY_PORT" "127.0.0.1:$S3_RELAY_PORT"
await_nodes
log "all $NODES nodes answer /v2/ and are ready after $((SECONDS - started)) s"
on 0 GET /health/ready
assert_eq UP "$(jq -r '.checks[] | select(.name == "object-store") | .status' "$HTTP_BODY")" "node 0's object-store check"

shipped=$(find "$REPO_ROOT/src/main/resources/db/migration" -name 'V*__*.sql' | wc -l)
assert_eq "$shipped" "$(psql_ "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL")" "migrations applied, once each"
assert_eq 0 "$(psql_ "SELECT count(*) FROM flyway_schema_history WHERE NOT success")" "failed migrations"
assert_eq 1 "$(psql_ "SELECT count(*) FROM account WHERE username = 'admin'")" "admin accounts"
assert_eq 1 "$(psql_ "SELECT count(*) FROM project WHERE name = 'library'")" "library projects"
assert_eq 1 "$(cat "${NODE_LOG[@]}" | grep -c "Created the system administrator 'admin'")" "nodes that created admin"
# Flyway takes its PostgreSQL lock for each migration: nodes started together may share the work,
# each migration applied by one of them
applied=$(cat "${NODE_LOG[@]}" | sed -n 's/.*(\([0-9]*\) migrations applied now).*/\1/p' | awk '{ n += $1 } END { print n + 0 }')
assert_eq "$shipped" "$applied" "migrations applied by all nodes together"

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

NGINX_URL="http://localhost:$NGINX_PORT"

# upload_across_nodes REPO FILE CHUNK...: an upload of FILE begun through nginx (its Location must
# name nginx, not a node), then one PATCH of each CHUNK size (bytes) sent to the nodes directly in
# turn (node 0, 1, 2, 0, ...), the rest of FILE with the PUT on the next node; read back through nginx
upload_across_nodes() {
    local repo=$1 file=$2 location path offset=0 i=0 size digest node
    shift 2
    digest="sha256:$(sha256_of "$file")"
    http POST "$NGINX_URL/v2/$repo/blobs/uploads/" -H 'Content-Length: 0'
    assert_eq 202 "$HTTP_STATUS" "upload begun through nginx"
    location=$(header Location)
    [[ $location == "$NGINX_URL/"* ]] || fail "the upload's Location is not the external URL $NGINX_URL: $location"
    path=${location#"$NGINX_URL"}
    for size in "$@"; do
        node=$((i % NODES))
        dd if="$file" of="$E2E_WORK/chunk" iflag=skip_bytes,count_bytes skip="$offset" count="$size" bs=1M status=none
        http PATCH "$(node_url "$node")$path" -H 'Content-Type: application/octet-stream' \
            -H "Content-Range: $offset-$((offset + size - 1))" --data-binary "@$E2E_WORK/chunk"
        assert_eq 202 "$HTTP_STATUS" "PATCH of bytes $offset-$((offset + size - 1)) on node $node"
        assert_eq "0-$((offset + size - 1))" "$(header Range)" "Range after the PATCH on node $node"
        location=$(header Location)
        path=${location#"$(node_url "$node")"}
        [[ $path == /v2/* ]] || fail "the Location of a PATCH on node $node is not that node's URL: $location"
        offset=$((offset + size))
        i=$((i + 1))
    done
    node=$((i % NODES))
    dd if="$file" of="$E2E_WORK/chunk" iflag=skip_bytes skip="$offset" bs=1M status=none
    [[ $path == *\?* ]] && path="$path&" || path="$path?"
    http PUT "$(node_url "$node")${path}digest=$digest" -H 'Content-Type: application/octet-stream' --data-binary "@$E2E_WORK/chunk"
    assert_eq 201 "$HTTP_STATUS" "PUT of the last $(wc -c <"$E2E_WORK/chunk") bytes and the digest on node $node"
    http GET "$NGINX_URL/v2/$repo/blobs/$digest"
    assert_eq 200 "$HTTP_STATUS" "GET of the blob through nginx"
    assert_eq "${digest#sha256:}" "$(sha256_of "$HTTP_BODY")" "the blob read back through nginx"
    log "$(wc -c <"$file") bytes uploaded in chunks of $* bytes and the rest, on the nodes in turn"
}

# pushed_by_nodes FROM_LINE REPO: how many nodes served the requests of uploads to REPO logged by
# nginx from line FROM_LINE of its access log on
pushed_by_nodes() {
    tail -n +"$1" "$NG/access.log" | awk -v p="^/v2/$2/blobs/uploads/" '$2 ~ p { print $4 }' | sort -u | wc -l
}

on 0 POST /api/v1/projects -H 'Content-Type: application/json' -d '{"name":"fleet","public":true}'
assert_eq 201 "$HTTP_STATUS" "project fleet created on node 0"

step "a chunked upload whose PATCHes go to the three nodes in turn, across S3 part boundaries"
# parts are 10 MiB; chunks of 6, 7 and 3 MiB plus odd bytes leave a tail in the bucket that
# the next node goes on from, and the saved hash state of the bytes so far
head -c $((21 * 1048576 + 777)) /dev/urandom >"$E2E_WORK/chunked.bin"
upload_across_nodes fleet/chunked "$E2E_WORK/chunked.bin" $((6 * 1048576)) $((7 * 1048576 + 5)) $((3 * 1048576 + 123)) 1
assert_eq "" "$(find "$S3_OBJECTS/uploads" -type f 2>/dev/null)" "objects left under uploads/ in the bucket after the PUT"
[[ -n $(find "$S3_OBJECTS/blobs" -type f) ]] || fail "no object under blobs/ in the bucket"

step "docker push of an image with a 100 MiB layer through nginx, and docker pull back"
REGISTRY="localhost:$NGINX_PORT"
printf '%s' "$E2E_ADMIN_PASSWORD" | docker login "$REGISTRY" -u admin --password-stdin >/dev/null ||
    fail "docker login $REGISTRY (nginx) as admin failed"
BIG="$REGISTRY/fleet/big:1"
build_image "$BIG" 100M 1M
BIG_CONTEXT=$BUILD_CONTEXT
BIG_ID=$(image_id "$BIG")
from=$(($(wc -l <"$NG/access.log") + 1))
run docker push "$BIG"
BIG_DIGEST=$(pushed_digest)
served=$(pushed_by_nodes "$from" fleet/big)
((served >= 2)) || fail "the push's uploads were served by $served node(s): round robin spreads them"
log "the push's upload requests were served by $served nodes"
remove_image_completely "$BIG"
run docker pull "$BIG"
assert_eq "$BIG_ID" "$(image_id "$BIG")" "image ID after the pull through nginx"
assert_contains "$RUN_OUT" "$BIG_DIGEST" "the pull's digest"
assert_eq "$(sha256_of "$BIG_CONTEXT/layer1.bin")" "$(image_file_sha "$BIG" /data/layer1.bin)" "the 100 MiB file pulled back"

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

# await_down RELAY_PID CHECK KEPT_MS: pause the relay and require node 2 (the last) to report
# CHECK DOWN in /health/ready; asserted by when a probe began: the last UP answer is kept KEPT_MS,
# then a check waits 2 s at most. Then the relay goes on and the node is ready again.
await_down() {
    local relay=$1 check=$2 kept=$3 last=$((NODES - 1)) paused began status answered
    kill -STOP "$relay"
    paused=$(date +%s%N)
    while :; do
        began=$(since_ms "$paused")
        status=$(curl -sS -o "$E2E_WORK/ready.body" -w '%{http_code}' --max-time 10 "$(node_url "$last")/health/ready" || true)
        [[ $status == 200 ]] || break
        ((began <= kept + 200)) || fail "node $last still reported ready to a probe begun ${began} ms after its $check stopped answering"
        sleep 0.1
    done
    log "node $last: /health/ready $status to a probe begun ${began} ms after its $check stopped answering, answered after $(since_ms "$paused") ms: $(tr -d '\n' <"$E2E_WORK/ready.body" | head -c 400)"
    assert_eq 503 "$status" "node $last /health/ready without its $check"
    assert_eq DOWN "$(jq -r --arg c "$check" '.checks[] | select(.name == $c) | .status' "$E2E_WORK/ready.body")" "the $check check"
    answered=$(since_ms "$paused")
    ((answered <= kept + 7000)) || fail "node $last took ${answered} ms to report DOWN (its check waits 2 s at most, after an answer kept $kept ms)"
    on 0 GET /health/ready
    assert_eq 200 "$HTTP_STATUS" "node 0 /health/ready meanwhile"
    kill -CONT "$relay"
    for _ in $(seq 1 100); do
        status=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 "$(node_url "$last")/health/ready" || true)
        [[ $status == 200 ]] && break
        sleep 0.1
    done
    assert_eq 200 "$status" "node $last /health/ready once its $check answers again"
}

step "a node whose database stops answering is DOWN in /health/ready within seconds; the others stay UP"
await_down "$DB_RELAY_PID" database 1000

step "a node whose object store stops answering is DOWN in /health/ready within seconds; the others stay UP"
await_down "$S3_RELAY_PID" object-store 2000

step "kill -9 of the node receiving a layer of a docker push: the push goes on on the others"
# node_bytes I: 'local peer bytes_received' of each established connection to node I
node_bytes() {
    ss -tinH state established "( sport = :${NODE_PORT[$1]} )" |
        awk '/^[0-9]/ { key = $3 " " $4; next } match($0, /bytes_received:[0-9]+/) { print key, substr($0, RSTART + 15, RLENGTH - 15) }'
}
CRASH="$REGISTRY/fleet/crash:1"
build_image "$CRASH" 100M
CRASH_CONTEXT=$BUILD_CONTEXT
CRASH_ID=$(image_id "$CRASH")
for ((i = 0; i < NODES; i++)); do node_bytes "$i" >"$E2E_WORK/bytes.$i"; done
log "\$ docker push $CRASH (in the background)"
docker push "$CRASH" >"$E2E_WORK/crash-push.out" 2>&1 &
push=$!
victim=
deadline=$((SECONDS + 120))
while [[ -z $victim ]] && kill -0 "$push" 2>/dev/null && ((SECONDS < deadline)); do
    for ((i = 0; i < NODES; i++)); do
        # a connection that took in 8 MiB more than before the push: the layer is arriving there
        if node_bytes "$i" | awk -v before="$E2E_WORK/bytes.$i" '
            BEGIN { while ((getline line < before) > 0) { split(line, f, " "); seen[f[1] " " f[2]] = f[3] } }
            { if ($3 - seen[$1 " " $2] > 8 * 1048576) found = 1 } END { exit !found }'; then
            victim=$i
            break
        fi
    done
    [[ -n $victim ]] || sleep 0.05
done
[[ -n $victim ]] || fail "no node took in 8 MiB of the push before it ended: $(cat "$E2E_WORK/crash-push.out")"
kill -9 "${NODE_PID[victim]}"
log "killed node $victim (kill -9) while it received a layer"
rc=0
wait "$push" || rc=$?
sed 's/^/    | /' "$E2E_WORK/crash-push.out"
if ((rc != 0)); then
    log "docker push exited $rc after the kill; pushing once more"
    run docker push "$CRASH"
fi
CRASH_DIGEST=$(grep -o 'digest: sha256:[0-9a-f]\{64\}' "$E2E_WORK/crash-push.out" | head -n1 | cut -d' ' -f2)
[[ -n $CRASH_DIGEST ]] || CRASH_DIGEST=$(pushed_digest)
remove_image_completely "$CRASH"
run docker pull "$CRASH"
assert_eq "$CRASH_ID" "$(image_id "$CRASH")" "image ID of the image pushed across the kill"
assert_contains "$RUN_OUT" "$CRASH_DIGEST" "the pull's digest"
assert_eq "$(sha256_of "$CRASH_CONTEXT/layer1.bin")" "$(image_file_sha "$CRASH" /data/layer1.bin)" "the 100 MiB file pulled back"

# ---------------------------------------------------------------- part two: a shared data root

step "the three nodes again, on one shared data root (no S3) and a new database, behind the same nginx"
stop_nodes
DB="berth_cluster_$$_shared"
"$E2E_DIR/postgresql-database.sh" recreate "$DB" >/dev/null || fail "cannot create PostgreSQL database $DB"
at_exit "[[ \${E2E_KEEP:-0} == 1 ]] || '$E2E_DIR/postgresql-database.sh' drop $DB >/dev/null || true"
started=$SECONDS
for ((i = 0; i < NODES; i++)); do launch_node "$i" "$PGHOST:$PGPORT"; done
await_nodes
log "all $NODES nodes answer /v2/ and are ready after $((SECONDS - started)) s"
http POST "$NGINX_URL/api/v1/projects" -H 'Content-Type: application/json' -d '{"name":"fleet","public":true}'
assert_eq 201 "$HTTP_STATUS" "project fleet created through nginx"
# docker keeps the refresh token of its login, which the new database's key does not know
printf '%s' "$E2E_ADMIN_PASSWORD" | docker login "$REGISTRY" -u admin --password-stdin >/dev/null ||
    fail "docker login $REGISTRY (nginx) as admin failed"

step "a chunked upload whose PATCHes go to the three nodes in turn, on the shared data root"
head -c $((3 * 1048576 + 999)) /dev/urandom >"$E2E_WORK/chunked-fs.bin"
upload_across_nodes fleet/chunked "$E2E_WORK/chunked-fs.bin" 100 $((1048576 + 7)) $((1048576 + 9)) 65536
assert_eq "" "$(ls -A "$DATA_ROOT/uploads")" "sessions left in the shared data root"

step "docker push and pull through nginx, on the shared data root"
SMALL="$REGISTRY/fleet/shared:1"
build_image "$SMALL" 8M 2M
SMALL_ID=$(image_id "$SMALL")
from=$(($(wc -l <"$NG/access.log") + 1))
run docker push "$SMALL"
served=$(pushed_by_nodes "$from" fleet/shared)
((served >= 2)) || fail "the push's uploads were served by $served node(s): round robin spreads them"
remove_image_completely "$SMALL"
run docker pull "$SMALL"
assert_eq "$SMALL_ID" "$(image_id "$SMALL")" "image ID after the pull through nginx"
