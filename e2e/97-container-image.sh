#!/usr/bin/env bash
# Berth as a container image (issue 18): image/build.sh builds it from the build's WAR (labels,
# user, volume, health check as README says); a container on a named volume becomes healthy,
# runs as uid 10001 with the JVM as PID 1, keeps the volume its owner's; docker login, push and
# pull through it; docker stop returns within 10 s with the JVM ended by SIGTERM, and after
# docker start the pushed images, the audit entry of the last push and the pulls counted just
# before the stop are there. Dogfooding: Berth's own image is pushed into that Berth, read back
# (skopeo checks every blob; the uncompressed layers match the image's diff IDs), pulled by
# docker, and the pulled copy runs and answers /v2/.
# CI's dockerd has no bridge network: every container runs with --network host on a free
# loopback port (BERTH_PORT). H2 only: the container's Berth keeps its database in the volume.
# shellcheck source=e2e/lib.sh
. "$(dirname "$0")/lib.sh"

require_docker
require_restartable
require_skopeo
[[ $E2E_DB == h2 ]] || fail "this scenario runs Berth on H2 in its volume: unset E2E_DB"

NAME="berth-e2e-image-$E2E_RUN_ID"
VOLUME="berth-e2e-data-$E2E_RUN_ID"
CONTAINER="berth-e2e-$E2E_RUN_ID"
PULLED_CONTAINER="berth-e2e-pulled-$E2E_RUN_ID"
PULLED_VOLUME="berth-e2e-pulled-data-$E2E_RUN_ID"
PULLED_LOG="$E2E_LOG_DIR/${E2E_NAME}.pulled.log"
: >"$PULLED_LOG"
show_on_failure "$PULLED_LOG"
# the last registered runs first: containers go before their volumes
at_exit "docker volume rm -f '$VOLUME' '$PULLED_VOLUME' >/dev/null 2>&1"
at_exit "docker rm -f '$CONTAINER' '$PULLED_CONTAINER' >/dev/null 2>&1"

ms_now() { echo $(($(date +%s%N) / 1000000)); }

# follow_logs CONTAINER FILE: append the container's output to FILE (ends with the container)
follow_logs() { (command "$DOCKER" logs -f "$1" >>"$2" 2>&1 &); }

# wait_healthy CONTAINER: until docker's HEALTHCHECK (GET /health/ready) says healthy; fails
# at once when the container exits. Prints the seconds it took.
wait_healthy() {
    local start=$SECONDS state
    while :; do
        state=$(docker inspect -f '{{.State.Status}} {{.State.Health.Status}}' "$1") ||
            fail "docker inspect $1 failed"
        [[ $state == "running healthy" ]] && break
        [[ $state == running* ]] || fail "container $1 is $state before it became healthy
$(docker inspect -f '{{json .State}}' "$1")"
        ((SECONDS - start < E2E_START_TIMEOUT)) || fail "container $1 not healthy within ${E2E_START_TIMEOUT}s: $state
$(docker inspect -f '{{json .State.Health}}' "$1")"
        sleep 1
    done
    log "container $1 is healthy after $((SECONDS - start)) s"
}

# run_berth CONTAINER VOLUME PORT IMAGE [docker run options...]: Berth's image as README shows
# it, with --network host and BERTH_PORT instead of -p (no bridge network here)
run_berth() {
    local container=$1 volume=$2 port=$3 image=$4
    shift 4
    run docker run -d --name "$container" --network host -v "$volume:/data" \
        -e BERTH_PORT="$port" -e BERTH_ADMIN_PASSWORD="$E2E_ADMIN_PASSWORD" -e BERTH_HEAP=512m "$@" "$image"
}

step "build the image (image/build.sh)"
BUILD_START=$SECONDS
run env BERTH_IMAGE_NAME="$NAME" DOCKER="$DOCKER" bash "$REPO_ROOT/image/build.sh"
log "image built in $((SECONDS - BUILD_START)) s"
VERSION=$(sed -n 's/^version=//p' "$REPO_ROOT/target/classes/berth-build.properties")
[[ -n $VERSION ]] || fail "no version in target/classes/berth-build.properties"
IMAGE="$NAME:$VERSION"
track_image "$IMAGE" "$NAME:latest"
IMAGE_ID=$(image_id "$IMAGE")
assert_eq "$IMAGE_ID" "$(image_id "$NAME:latest")" "image ID of $NAME:latest"
docker image inspect "$IMAGE" >"$E2E_WORK/inspect.json"
CONFIG_OF() { jq -r ".[0].Config.$1" "$E2E_WORK/inspect.json"; }
assert_eq "$VERSION" "$(CONFIG_OF 'Labels["org.opencontainers.image.version"]')" "version label"
REVISION=$(CONFIG_OF 'Labels["org.opencontainers.image.revision"]')
assert_eq "$(git -C "$REPO_ROOT" rev-parse HEAD)" "${REVISION%-dirty}" "revision label"
assert_eq 10001:10001 "$(CONFIG_OF User)" "the image's user"
assert_eq SIGTERM "$(CONFIG_OF StopSignal)" "the image's stop signal"
assert_eq '["/data"]' "$(jq -c '.[0].Config.Volumes | keys' "$E2E_WORK/inspect.json")" "the image's volumes"
assert_eq '["5000/tcp"]' "$(jq -c '.[0].Config.ExposedPorts | keys' "$E2E_WORK/inspect.json")" "the image's ports"
assert_eq '["CMD","/opt/berth/healthcheck.sh"]' "$(jq -c '.[0].Config.Healthcheck.Test' "$E2E_WORK/inspect.json")" "the image's health check"
assert_eq 4 "$(jq '.[0].RootFS.Layers | length' "$E2E_WORK/inspect.json")" "number of layers"
SIZE=$(jq '.[0].Size' "$E2E_WORK/inspect.json")
log "image $IMAGE: $IMAGE_ID, $((SIZE / 1024 / 1024)) MiB"

step "run it on a named volume"
docker volume create "$VOLUME" >/dev/null
BERTH_PORT=$(free_port)
REGISTRY="localhost:$BERTH_PORT"
REGISTRY_URL="http://$REGISTRY"
run_berth "$CONTAINER" "$VOLUME" "$BERTH_PORT" "$IMAGE"
follow_logs "$CONTAINER" "$REGISTRY_LOG"
wait_healthy "$CONTAINER"
wait_ready
sign_in_and_prepare

step "a user that is not root, the JVM as PID 1, the volume owned by that user"
run docker exec "$CONTAINER" id -u
assert_eq 10001 "$RUN_OUT" "uid in the container"
run docker exec "$CONTAINER" cat /proc/1/comm
assert_eq java "$RUN_OUT" "PID 1 (gets docker stop's SIGTERM)"
run docker exec "$CONTAINER" stat -c %u:%g /data
assert_eq 10001:10001 "$RUN_OUT" "owner of /data in the container"
MOUNTPOINT=$(docker volume inspect -f '{{.Mountpoint}}' "$VOLUME")
assert_eq 10001:10001 "$(stat -c %u:%g "$MOUNTPOINT")" "owner of the volume on the host"
[[ -n $(find "$MOUNTPOINT" -mindepth 1 -print -quit) ]] || fail "Berth wrote nothing into the volume"
assert_eq "" "$(find "$MOUNTPOINT" ! -user 10001 -printf '%u %p\n' | head -n 5)" "files in the volume not owned by uid 10001"

step "docker push and pull through the container"
build_image "berth-e2e-payload:$E2E_RUN_ID" 64K 1M
PAYLOAD_ID=$(image_id "berth-e2e-payload:$E2E_RUN_ID")
WANT_SHA=$(sha256_of "$BUILD_CONTEXT/layer2.bin")
REF1="$REGISTRY/persist/app:1"
REF2="$REGISTRY/persist/app:2"
track_image "$REF1" "$REF2"
docker tag "$PAYLOAD_ID" "$REF1"
docker tag "$PAYLOAD_ID" "$REF2"
run docker push "$REF1"
DIGEST=$(pushed_digest)
remove_image_completely "$REF1"
run docker pull "$REF1"
assert_eq "$PAYLOAD_ID" "$(image_id "$REF1")" "image ID pulled from the container"
assert_eq "$WANT_SHA" "$(image_file_sha "$REF1" /data/layer2.bin)" "content pulled from the container"
docker tag "$PAYLOAD_ID" "$REF2"

step "the last push and three pulls, then docker stop at once: within 10 s, by SIGTERM"
# the docker pull above is one pull: wait until the timer has written it
for _ in $(seq 1 20); do
    expect_status 200 GET /api/v1/repositories/persist/app
    [[ $(jq -r .pull_count "$HTTP_BODY") == 1 ]] && break
    sleep 0.5
done
assert_eq 1 "$(jq -r .pull_count "$HTTP_BODY")" "pull count after one docker pull"
run docker push "$REF2"
for _ in 1 2 3; do
    expect_status 200 GET /v2/persist/app/manifests/1 -H 'Accept: application/vnd.docker.distribution.manifest.v2+json'
done
STOP_START=$(ms_now)
run docker stop -t 10 "$CONTAINER"
STOP_MS=$(($(ms_now) - STOP_START))
log "docker stop took $STOP_MS ms"
((STOP_MS < 10000)) || fail "docker stop took $STOP_MS ms: the JVM did not end within 10 s of SIGTERM"
EXIT_CODE=$(docker inspect -f '{{.State.ExitCode}}' "$CONTAINER")
# 143: the JVM ended on SIGTERM after its shutdown hooks; 137 would be docker's SIGKILL
assert_eq 143 "$EXIT_CODE" "exit status of the stopped container"

step "docker start: the content, the audit entry of the last push and the pulls are there"
run docker start "$CONTAINER"
follow_logs "$CONTAINER" "$REGISTRY_LOG"
wait_healthy "$CONTAINER"
wait_ready
expect_status 200 GET /v2/persist/app/tags/list
assert_eq 1,2 "$(jq -r '.tags | sort | join(",")' "$HTTP_BODY")" "tags after the restart"
expect_status 200 GET '/api/v1/audit-logs?operation=push&resource=persist/app:2'
assert_eq success "$(jq -r '[.[] | select(.resource == "persist/app:2")][0].result' "$HTTP_BODY")" \
    "audit entry of the push just before docker stop"
expect_status 200 GET /api/v1/repositories/persist/app
assert_eq 4 "$(jq -r .pull_count "$HTTP_BODY")" "pull count after the pulls just before docker stop"
remove_image_completely "$REF2"
run docker pull "$REF2"
assert_contains "$RUN_OUT" "Digest: $DIGEST" "docker pull after the restart"
assert_eq "$WANT_SHA" "$(image_file_sha "$REF2" /data/layer2.bin)" "content pulled after the restart"
assert_eq 10001:10001 "$(stat -c %u:%g "$MOUNTPOINT")" "owner of the volume after the restart"

step "dogfooding: Berth's own image pushed into Berth"
DOG="$REGISTRY/library/berth:$VERSION"
track_image "$DOG"
docker tag "$IMAGE" "$DOG"
PUSH_START=$SECONDS
run docker push "$DOG"
log "pushed $DOG in $((SECONDS - PUSH_START)) s"
DOG_DIGEST=$(pushed_digest)

step "read it back: every blob (skopeo verifies digests), layers equal to the image's"
COPY="$E2E_WORK/pulled-berth"
run skopeo_ copy --src-tls-verify=false "docker://$DOG" "dir:$COPY"
MANIFEST_DIGEST="sha256:$(sha256_of "$COPY/manifest.json")"
assert_eq "$DOG_DIGEST" "$MANIFEST_DIGEST" "digest of the manifest read back"
CONFIG_DIGEST=$(jq -r .config.digest "$COPY/manifest.json")
assert_eq "$IMAGE_ID" "$CONFIG_DIGEST" "config read back (the image ID)"
mapfile -t LAYER_DIGESTS < <(jq -r '.layers[].digest' "$COPY/manifest.json")
mapfile -t DIFF_IDS < <(jq -r '.[0].RootFS.Layers[]' "$E2E_WORK/inspect.json")
assert_eq "${#DIFF_IDS[@]}" "${#LAYER_DIGESTS[@]}" "layers read back"
COMPRESSED=0
for i in "${!LAYER_DIGESTS[@]}"; do
    blob="$COPY/${LAYER_DIGESTS[i]#sha256:}"
    COMPRESSED=$((COMPRESSED + $(stat -c %s "$blob")))
    assert_eq "${DIFF_IDS[i]}" "sha256:$(gzip -dc "$blob" | sha256sum | cut -d' ' -f1)" "uncompressed layer $((i + 1)) read back"
done
log "Berth's image as pushed: $((COMPRESSED / 1024 / 1024)) MiB compressed in ${#LAYER_DIGESTS[@]} layers"
rm -rf "$COPY"

step "docker pull it and run the pulled copy"
# the running container keeps the image's layers in this docker: the pull fetches and checks
# the manifest and config (the bytes of every layer were read back above)
docker rmi "$DOG" >/dev/null
run docker pull "$DOG"
assert_contains "$RUN_OUT" "Digest: $DOG_DIGEST" "docker pull of Berth's image"
assert_eq "$IMAGE_ID" "$(image_id "$DOG")" "image ID of the pulled Berth"
docker volume create "$PULLED_VOLUME" >/dev/null
PULLED_PORT=$(free_port)
run_berth "$PULLED_CONTAINER" "$PULLED_VOLUME" "$PULLED_PORT" "$DOG"
follow_logs "$PULLED_CONTAINER" "$PULLED_LOG"
wait_healthy "$PULLED_CONTAINER"
assert_eq "$IMAGE_ID" "$(docker inspect -f '{{.Image}}' "$PULLED_CONTAINER")" "image of the pulled copy's container"
E2E_ANONYMOUS=1 expect_status 401 GET "http://localhost:$PULLED_PORT/v2/"
expect_status 200 GET "http://localhost:$PULLED_PORT/v2/"
run docker exec "$PULLED_CONTAINER" id -u
assert_eq 10001 "$RUN_OUT" "uid in the pulled copy"
run docker stop -t 10 "$PULLED_CONTAINER"
