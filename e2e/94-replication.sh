#!/usr/bin/env bash
# Replication (issue 21) between two Berths on 127.0.0.1, and from Debian's docker-registry
# (CNCF Distribution 2.8.2), through the API of /api/v1/replication. Berth A (the one under test)
# gets a registry endpoint for Berth B (B's admin) and a push rule: after a run, docker pulls the
# image from B with the image ID it pushed to A, and a second run skips what is already there. A
# pull rule on A from Distribution (a tag left out by an exclude filter, the path replaced) brings
# an image docker then pulls from A. Interrupted: a 96 MiB layer copied at 16 MiB/s (the rule's
# bandwidth cap) when B is killed (SIGKILL) mid-layer; B starts again on the same data, the
# execution (or its retry of the failed tasks) completes and B received less than the layer after
# its restart: the upload resumed from what B had committed instead of from zero. Crashed: A is
# killed (SIGKILL) mid-execution and starts again on the same data: within a bound the execution is
# failed or succeeded, never left running, and the rule runs again to success. A succeeded execution
# has copied all it counted (bytes_done = bytes_total), and bytes_done grows while a layer goes. The
# checks of resuming and of the byte counts report at the end, after the others.
# Needs docker and docker-registry (apt-get install docker-registry). Its own two Berths (B with
# -Xmx256m, booting in the background meanwhile), HTTP on 127.0.0.1 only.
# shellcheck source=e2e/lib.sh
. "$(dirname "$0")/lib.sh"

require_docker
[[ $E2E_TARGET == berth ]] || fail "this scenario tests Berth's replication (E2E_TARGET=berth)"
command -v docker-registry >/dev/null || fail "needs Debian's docker-registry (apt-get install docker-registry)"
require_restartable
[[ -f $BERTH_WAR && -f $BERTH_MICRO_JAR ]] || fail "no $BERTH_WAR or $BERTH_MICRO_JAR: run 'mvn -B package -DskipTests' first"

E2E_PROJECTS="repl-src repl-pulled" # on A
MIB=$((1024 * 1024))
BIG_SIZE=$((96 * MIB))
BIG_CAP_KBPS=16384   # 16 MiB/s: the big layer takes 6 s, so B is killed mid-layer
CRASH_SIZE=$((64 * MIB))
CRASH_CAP_KBPS=8192  # 8 MiB/s: A is killed mid-layer
CRASH_BOUND=150      # seconds after A is back within which the killed execution must be over
LOOPBACK_ONLY="$E2E_WORK/loopback.asadmin"
echo 'set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1' >"$LOOPBACK_ONLY"
E2E_MICRO_ARGS=(--prebootcommandfile "$LOOPBACK_ONLY")

api() { # METHOD URL JSON EXPECTED_STATUS
    expect_status "$4" "$1" "$2" -H 'Content-Type: application/json' -d "$3"
}

# run_rule BASE_URL RULE: start a manual run (202); its id in EXEC
run_rule() {
    expect_status 202 POST "$1/api/v1/replication/rules/$2/executions" -H 'Content-Length: 0'
    EXEC=$(jq -r .id "$HTTP_BODY")
    [[ $EXEC =~ ^[0-9]+$ ]] || fail "no execution id in the answer to a run of $2: $(cat "$HTTP_BODY")"
    log "execution $EXEC of $2: $(jq -c '{status, trigger}' "$HTTP_BODY")"
}

# await_execution BASE_URL ID [SECONDS]: poll until the execution is neither pending nor running
# (120 s at most); its JSON is then in $HTTP_BODY and EXEC_JSON
await_execution() {
    local deadline=$((SECONDS + ${3:-120})) status
    while :; do
        expect_status 200 GET "$1/api/v1/replication/executions/$2"
        status=$(jq -r .status "$HTTP_BODY")
        [[ $status == pending || $status == running ]] || break
        ((SECONDS < deadline)) || fail "execution $2 is still $status after ${3:-120} s: $(jq -c . "$HTTP_BODY")"
        sleep 0.3
    done
    EXEC_JSON=$(jq -c . "$HTTP_BODY")
    log "execution $2: $EXEC_JSON"
}

# problem MESSAGE: a failed check reported at the end, so that one run shows every other check too
PROBLEMS=()
problem() {
    log "PROBLEM (the scenario fails at its end): $*"
    PROBLEMS+=("$*")
}

# assert_succeeded WHAT: the execution in EXEC_JSON succeeded with no failed task, and copied all it counted
assert_succeeded() {
    assert_eq "succeeded|0" "$(jq -r '[.status, .tasks.failed] | map(tostring) | join("|")' <<<"$EXEC_JSON")" \
        "$1 (status|failed tasks): $EXEC_JSON"
    [[ $(jq -r .bytes_done <<<"$EXEC_JSON") == $(jq -r .bytes_total <<<"$EXEC_JSON") ]] ||
        problem "$1: bytes_done is not bytes_total although it succeeded: $EXEC_JSON"
}

# tasks BASE_URL ID: the execution's tasks (one JSON line each) in TASKS
tasks() {
    expect_status 200 GET "$1/api/v1/replication/executions/$2/tasks?page_size=100"
    TASKS=$(jq -c '.[]' "$HTTP_BODY")
    log "tasks of execution $2:"
    printf '%s\n' "$TASKS" | sed 's/^/    | /'
}

# upload_bytes DATA_ROOT: the bytes of every upload session's data under DATA_ROOT (a session left
# by an upload that started again from zero stays, so the sum grows with any upload that goes on)
upload_bytes() {
    find "$1/uploads" -name data -type f -printf '%s\n' 2>/dev/null | awk '{ n += $1 } END { printf "%d\n", n }'
}

# received_upload_bytes URL: request body bytes the Berth at URL read on upload routes since it started
received_upload_bytes() {
    curl -sS --max-time 10 "$1/metrics" | awk '
        /^berth_received_bytes_total[{]/ && /uploads/ { n += $NF }
        END { printf "%d\n", n }'
}

# ---------------------------------------------------------------- Berth B, the other site

B_PORT=$(free_port)
B_HOME="$E2E_WORK/berth-b"
B_URL="http://127.0.0.1:$B_PORT"
B="127.0.0.1:$B_PORT"
B_LOG="$E2E_LOG_DIR/${E2E_NAME}.b.registry.log"
B_PID=
: >"$B_LOG"
show_on_failure "$B_LOG"

launch_b() {
    log "starting Berth B on $B_URL (log: $B_LOG)"
    launch_other_berth B_PID "$B_HOME" "$B_PORT" "$B_LOG"
}

wait_b() { BERTH_PID=$B_PID REGISTRY_URL=$B_URL REGISTRY_LOG=$B_LOG wait_ready; }

kill_b() {
    [[ -n $B_PID ]] || return 0
    log "killing Berth B with SIGKILL (pid $B_PID)"
    stop_other_berth "$B_PID" --kill
    B_PID=
    echo "===== $(date -Is) killed with SIGKILL" >>"$B_LOG"
}

stop_b() {
    [[ -n $B_PID ]] || return 0
    log "stopping Berth B (pid $B_PID)"
    stop_other_berth "$B_PID"
    B_PID=
}

step "Berth B boots in the background"
launch_b
at_exit stop_b

# ---------------------------------------------------------------- Distribution, a source for a pull rule

DIST_PORT=$(free_port)
[[ $DIST_PORT != "$B_PORT" ]] || DIST_PORT=$(free_port)
DIST="127.0.0.1:$DIST_PORT"
DIST_LOG="$E2E_WORK/distribution.log"
show_on_failure "$DIST_LOG"
DIST_PID=
launch_other_distribution DIST_PID "$E2E_WORK/dist" "$DIST" "$DIST_LOG"

step "images: two of a few MB built from the static busybox, and two of a random layer (96 and 64 MiB)"
build_image "berth-e2e-repl-app:$E2E_RUN_ID" 1M 2M
APP_ID=$(image_id "berth-e2e-repl-app:$E2E_RUN_ID")
build_image "berth-e2e-repl-tool:$E2E_RUN_ID" 512K 256K
TOOL_ID=$(image_id "berth-e2e-repl-tool:$E2E_RUN_ID")
# random_image NAME SIZE: NAME.bin (SIZE random bytes), NAME-config.json and NAME-manifest.json
# (an OCI image of that one layer); the digests in LAYER and MANIFEST
random_image() {
    head -c "$2" /dev/urandom >"$E2E_WORK/$1.bin"
    LAYER="sha256:$(sha256_of "$E2E_WORK/$1.bin")"
    printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["%s"]},"created":"%s"}' \
        "$LAYER" "$E2E_RUN_ID" >"$E2E_WORK/$1-config.json"
    printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"%s","size":%s}]}' \
        "$(sha256_of "$E2E_WORK/$1-config.json")" "$(wc -c <"$E2E_WORK/$1-config.json")" "$LAYER" "$2" >"$E2E_WORK/$1-manifest.json"
    MANIFEST="sha256:$(sha256_of "$E2E_WORK/$1-manifest.json")"
}
random_image big "$BIG_SIZE"
BIG_DIGEST=$LAYER BIG_MANIFEST=$MANIFEST
random_image crash "$CRASH_SIZE"
CRASH_MANIFEST=$MANIFEST

# push_random_image NAME: NAME's blobs and manifest to A as repl-src/NAME:1, with curl (OCI API)
push_random_image() {
    local f
    for f in "$1.bin" "$1-config.json"; do
        expect_status 201 POST "/v2/repl-src/$1/blobs/uploads/?digest=sha256:$(sha256_of "$E2E_WORK/$f")" \
            -H 'Content-Type: application/octet-stream' --data-binary "@$E2E_WORK/$f"
    done
    expect_status 201 PUT "/v2/repl-src/$1/manifests/1" \
        -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary "@$E2E_WORK/$1-manifest.json"
}

# ---------------------------------------------------------------- Berth A, the one under test

start_berth
SRC="$REGISTRY/repl-src"
step "docker push of the small image to A"
track_image "$SRC/app:1"
docker tag "$APP_ID" "$SRC/app:1"
run docker push "$SRC/app:1"
APP_DIGEST=$(pushed_digest)
step "the random layers (96 and 64 MiB) to A with curl (OCI API)"
push_random_image big
push_random_image crash

wait_b
api POST "$B_URL/api/v1/projects" '{"name":"mirror","public":true}' 201
api POST "$B_URL/api/v1/projects" '{"name":"crash","public":true}' 201
at_exit "docker logout '$B' >/dev/null 2>&1 || true"
run docker login "$B" -u admin --password-stdin <<<"$E2E_ADMIN_PASSWORD"

# ---------------------------------------------------------------- push: A to B

step "a registry endpoint on A for B (B's admin) and a push rule (repl-src/app to mirror/app)"
api POST /api/v1/registries "{\"name\":\"b\",\"url\":\"$B_URL\",\"username\":\"admin\",\"password\":\"$E2E_ADMIN_PASSWORD\"}" 201
expect_status 200 POST /api/v1/registries/b/ping
assert_eq true "$(jq -r .ok "$HTTP_BODY")" "ping of B: $(cat "$HTTP_BODY")"
api POST /api/v1/replication/rules '{"name":"to-b","description":"e2e","direction":"push","registry":"b",
    "filters":{"repository":"repl-src/app","tag":"","tag_match":"include","artifact_type":null},
    "destination":{"namespace":"mirror","path":"replace"},"trigger":{"type":"manual","cron":null},
    "override":true,"replicate_deletion":false,"bandwidth_kbps":0,"enabled":true}' 201
assert_eq "to-b|push|b|mirror|replace|manual|null" \
    "$(jq -r '[.name, .direction, .registry, .destination.namespace, .destination.path, .trigger.type, .last_execution] | map(tostring) | join("|")' "$HTTP_BODY")" \
    "the rule as created"
assert_contains "$(header Location)" "/api/v1/replication/rules/to-b" "Location of the new rule"

step "run it: docker pulls the image from B with the image ID pushed to A"
run_rule "$REGISTRY_URL" to-b
await_execution "$REGISTRY_URL" "$EXEC"
assert_succeeded "the push run"
tasks "$REGISTRY_URL" "$EXEC"
assert_line_in "$(jq -r 'select(.operation == "copy") | [.source, .destination, .digest, .status] | join(" ")' <<<"$TASKS")" \
    "repl-src/app:1 mirror/app:1 $APP_DIGEST succeeded" "the push run's task"
expect_status 200 GET /api/v1/replication/rules/to-b
assert_eq "$EXEC|succeeded" "$(jq -r '[.last_execution.id, .last_execution.status] | map(tostring) | join("|")' "$HTTP_BODY")" \
    "the rule's last execution"
remove_image_completely "$APP_ID"
track_image "$B/mirror/app:1"
run docker pull "$B/mirror/app:1"
assert_contains "$RUN_OUT" "Digest: $APP_DIGEST" "docker pull from B"
assert_eq "$APP_ID" "$(image_id "$B/mirror/app:1")" "image ID pulled from B"

step "a second run skips what B already has"
run_rule "$REGISTRY_URL" to-b
await_execution "$REGISTRY_URL" "$EXEC"
assert_succeeded "the second push run"
assert_eq "$(jq -r .tasks.total <<<"$EXEC_JSON")" "$(jq -r .tasks.skipped <<<"$EXEC_JSON")" "skipped tasks of the second run: $EXEC_JSON"

# ---------------------------------------------------------------- interrupted: B killed mid-layer

step "the 96 MiB layer to B at $BIG_CAP_KBPS KiB/s; B killed mid-layer"
api POST /api/v1/replication/rules "{\"name\":\"big-to-b\",\"direction\":\"push\",\"registry\":\"b\",
    \"filters\":{\"repository\":\"repl-src/big\"},\"destination\":{\"namespace\":\"mirror\",\"path\":\"replace\"},
    \"trigger\":{\"type\":\"manual\"},\"override\":true,\"bandwidth_kbps\":$BIG_CAP_KBPS,\"enabled\":true}" 201
run_rule "$REGISTRY_URL" big-to-b
BIG_EXEC=$EXEC
expect_status 409 POST /api/v1/replication/rules/big-to-b/executions -H 'Content-Length: 0'
expect_status 409 DELETE /api/v1/replication/rules/big-to-b
PARTIAL=0
for _ in $(seq 1 300); do
    PARTIAL=$(upload_bytes "$B_HOME/data")
    ((PARTIAL >= 40 * MIB)) && break
    sleep 0.1
done
((PARTIAL >= 40 * MIB)) || fail "B's upload of the big layer did not reach 40 MiB within 30 s (at $PARTIAL bytes)"
kill_b
log "B held $PARTIAL bytes of the layer when it was killed"
expect_status 200 GET "/api/v1/replication/executions/$BIG_EXEC"
log "execution $BIG_EXEC meanwhile: $(jq -c . "$HTTP_BODY")"
# progress while a layer goes: more than the config blob (180 bytes) is counted already
MID=$(jq -r .bytes_done "$HTTP_BODY")
log "bytes_done of execution $BIG_EXEC with $PARTIAL bytes of the layer at B: $MID"
((MID > MIB)) || problem "bytes_done of execution $BIG_EXEC was $MID with $PARTIAL bytes of its layer at B: no progress while a layer goes"
launch_b

# ---------------------------------------------------------------- pull: Distribution to A, while B restarts

step "a pull rule on A from Distribution (dist/*, all tags but dev, into repl-pulled) while B restarts"
track_image "$DIST/dist/tool:1" "$DIST/dist/tool:dev"
docker tag "$TOOL_ID" "$DIST/dist/tool:1"
docker tag "$TOOL_ID" "$DIST/dist/tool:dev"
run docker push "$DIST/dist/tool:1"
TOOL_DIGEST=$(pushed_digest)
run docker push "$DIST/dist/tool:dev"
api POST /api/v1/registries "{\"name\":\"dist\",\"url\":\"http://$DIST\"}" 201
api POST /api/v1/replication/rules '{"name":"from-dist","direction":"pull","registry":"dist",
    "filters":{"repository":"dist/*","tag":"dev","tag_match":"exclude"},
    "destination":{"namespace":"repl-pulled","path":"replace"},"trigger":{"type":"manual"},"override":true,"enabled":true}' 201
run_rule "$REGISTRY_URL" from-dist
await_execution "$REGISTRY_URL" "$EXEC"
assert_succeeded "the pull run"
expect_status 200 GET /v2/repl-pulled/tool/tags/list
assert_eq '["1"]' "$(jq -c .tags "$HTTP_BODY")" "tags pulled into A (dev left out)"
remove_image_completely "$TOOL_ID"
track_image "$REGISTRY/repl-pulled/tool:1"
run docker pull "$REGISTRY/repl-pulled/tool:1"
assert_contains "$RUN_OUT" "Digest: $TOOL_DIGEST" "docker pull from A of the pulled image"
assert_eq "$TOOL_ID" "$(image_id "$REGISTRY/repl-pulled/tool:1")" "image ID pulled from A"

# ---------------------------------------------------------------- B is back: the big layer completes

step "B restarted on the same data: the interrupted execution (or its retry) completes"
wait_b
await_execution "$REGISTRY_URL" "$BIG_EXEC" 180
api PATCH /api/v1/replication/rules/big-to-b '{"bandwidth_kbps":0}' 200
assert_eq 0 "$(jq -r .bandwidth_kbps "$HTTP_BODY")" "bandwidth_kbps after PATCH"
case $(jq -r .status <<<"$EXEC_JSON") in
succeeded) log "execution $BIG_EXEC completed by itself once B was back" ;;
failed)
    tasks "$REGISTRY_URL" "$BIG_EXEC"
    assert_ne 0 "$(jq -r .tasks.failed <<<"$EXEC_JSON")" "failed tasks of the interrupted execution"
    expect_status 202 POST "/api/v1/replication/executions/$BIG_EXEC/retry" -H 'Content-Length: 0'
    RETRY=$(jq -r .id "$HTTP_BODY")
    assert_eq "retry|$BIG_EXEC" "$(jq -r '[.trigger, .retry_of] | map(tostring) | join("|")' "$HTTP_BODY")" "the retry (trigger|retry_of)"
    await_execution "$REGISTRY_URL" "$RETRY"
    assert_succeeded "the retry of the failed tasks"
    tasks "$REGISTRY_URL" "$RETRY"
    ;;
*) fail "the interrupted execution ended $EXEC_JSON" ;;
esac
RECEIVED=$(received_upload_bytes "$B_URL")
log "B read $RECEIVED bytes on upload routes since its restart (the layer is $BIG_SIZE, B held $PARTIAL when killed)"
((RECEIVED <= BIG_SIZE - 16 * MIB)) ||
    problem "B read $RECEIVED bytes of uploads after its restart: the $BIG_SIZE byte layer was sent again from the start, not resumed from the $PARTIAL bytes B held"
expect_status 200 HEAD "$B_URL/v2/mirror/big/manifests/1" -H 'Accept: application/vnd.oci.image.manifest.v1+json'
assert_eq "$BIG_MANIFEST" "$(header Docker-Content-Digest)" "the big image's digest at B"
expect_status 200 HEAD "$B_URL/v2/mirror/big/blobs/$BIG_DIGEST"
assert_eq "$BIG_SIZE" "$(header Content-Length)" "size of the big layer at B"

# ---------------------------------------------------------------- crashed: A killed mid-execution

step "A killed (SIGKILL) while it copies the 64 MiB layer to B at $CRASH_CAP_KBPS KiB/s"
api POST /api/v1/replication/rules "{\"name\":\"crash-to-b\",\"direction\":\"push\",\"registry\":\"b\",
    \"filters\":{\"repository\":\"repl-src/crash\"},\"destination\":{\"namespace\":\"crash\",\"path\":\"replace\"},
    \"trigger\":{\"type\":\"manual\"},\"override\":true,\"bandwidth_kbps\":$CRASH_CAP_KBPS,\"enabled\":true}" 201
BEFORE=$(upload_bytes "$B_HOME/data")
run_rule "$REGISTRY_URL" crash-to-b
CRASH_EXEC=$EXEC
for _ in $(seq 1 300); do
    (($(upload_bytes "$B_HOME/data") >= BEFORE + 16 * MIB)) && break
    sleep 0.1
done
expect_status 200 GET "/api/v1/replication/executions/$CRASH_EXEC"
assert_eq running "$(jq -r .status "$HTTP_BODY")" "the execution A is killed in: $(jq -c . "$HTTP_BODY")"
log "B took $(($(upload_bytes "$B_HOME/data") - BEFORE)) bytes of the layer before A is killed"
restart_berth --kill
T_BACK=$SECONDS
await_execution "$REGISTRY_URL" "$CRASH_EXEC" "$CRASH_BOUND"
log "execution $CRASH_EXEC ended $(jq -r .status <<<"$EXEC_JSON") $((SECONDS - T_BACK)) s after A was back"
case $(jq -r .status <<<"$EXEC_JSON") in
failed) assert_ne "" "$(jq -r '.error // ""' <<<"$EXEC_JSON")" "the error of the execution killed with A" ;;
succeeded) assert_succeeded "the execution resumed after A was killed" ;;
stopped) ;;
*) fail "the execution killed with A ended $EXEC_JSON" ;;
esac
expect_status 200 GET /api/v1/replication/rules/crash-to-b
assert_eq "$CRASH_EXEC" "$(jq -r .last_execution.id "$HTTP_BODY")" "the crashed rule's last execution"
assert_eq "$(jq -r .status <<<"$EXEC_JSON")" "$(jq -r .last_execution.status "$HTTP_BODY")" "the crashed rule's last execution status"

step "the rule runs again to success after the crash"
api PATCH /api/v1/replication/rules/crash-to-b '{"bandwidth_kbps":0}' 200
run_rule "$REGISTRY_URL" crash-to-b
await_execution "$REGISTRY_URL" "$EXEC"
assert_succeeded "the run after the crash"
expect_status 200 HEAD "$B_URL/v2/crash/crash/manifests/1" -H 'Accept: application/vnd.oci.image.manifest.v1+json'
assert_eq "$CRASH_MANIFEST" "$(header Docker-Content-Digest)" "the image's digest at B after the crash"
expect_status 200 GET "/api/v1/replication/executions?page_size=100"
assert_eq "" "$(jq -r '.[] | select(.status == "running" or .status == "pending") | .id' "$HTTP_BODY")" "executions left running on A"

((${#PROBLEMS[@]} == 0)) || fail "$(printf '%s\n' "${PROBLEMS[@]}")"

log "ok"
