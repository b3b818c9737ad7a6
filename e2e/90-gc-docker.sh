#!/usr/bin/env bash
# Online garbage collection with the docker CLI (issue 16): two images that share layers are
# pushed, one is deleted, a run removes exactly the layers only it had (a dry run first reports
# the same, deleting nothing), and the other image pulls byte-identical. Then 50 images built on
# the deleted one (so their pushes need its collected layers again) are pushed while real runs
# follow one another, and every push and a pull of every image succeed: no "blob unknown".
# Needs a short grace period (E2E_GC_GRACE, which the build sets; 8 s).
# shellcheck source=e2e/lib.sh
. "$(dirname "$0")/lib.sh"

require_docker
start_berth
IMAGES=${E2E_GC_IMAGES:-50}

expect_status 200 GET /api/v1/system/gc
GRACE=$(jq -r .grace_seconds "$HTTP_BODY")
((GRACE <= 60)) || fail "this scenario needs a short grace period (E2E_GC_GRACE); Berth has $GRACE s"
http POST /api/v1/projects -H 'Content-Type: application/json' -d '{"name":"gcdemo","public":true}'
[[ $HTTP_STATUS == 201 || $HTTP_STATUS == 409 ]] || fail "cannot create project gcdemo: $HTTP_STATUS"

# gc_run DRY UNTAGGED: start a run (waiting out one that runs), wait for its end; the run's JSON in $GC_RUN
GC_RUN=
gc_run() {
    local i
    for i in $(seq 1 600); do
        http POST /api/v1/system/gc -H 'Content-Type: application/json' -d "{\"dry_run\":$1,\"delete_untagged\":$2}"
        [[ $HTTP_STATUS == 202 ]] && break
        [[ $HTTP_STATUS == 409 ]] || fail "POST /api/v1/system/gc answered $HTTP_STATUS: $(cat "$HTTP_BODY")"
        sleep 0.2
    done
    local id
    id=$(jq -r .id "$HTTP_BODY")
    await_run "/api/v1/system/gc/runs/$id"
    GC_RUN="$E2E_WORK/run-$id.json"
    cp "$HTTP_BODY" "$GC_RUN"
    assert_eq succeeded "$(jq -r .state "$GC_RUN")" "state of run $id"
}

# blobs_of REPOSITORY REFERENCE: the config and layer digests of a docker image manifest, one a line
blobs_of() {
    expect_status 200 GET "/v2/$1/manifests/$2" -H 'Accept: application/vnd.docker.distribution.manifest.v2+json'
    jq -r '.config.digest, .layers[].digest' "$HTTP_BODY"
}

blob_file() { local hex=${1#sha256:}; printf '%s/blobs/sha256/%s/%s' "$BERTH_DATA_ROOT" "${hex:0:2}" "$hex"; }

step "two images that share their lower layers"
build_image "berth-e2e-gc-common:$E2E_RUN_ID" 256K 512K
COMMON="berth-e2e-gc-common:$E2E_RUN_ID"
for x in a b; do
    ctx="$E2E_WORK/ctx-gc-$x"
    mkdir -p "$ctx"
    head -c 300K /dev/urandom >"$ctx/$x.bin"
    printf 'FROM %s\nCOPY %s.bin /data/%s.bin\n' "$COMMON" "$x" "$x" >"$ctx/Dockerfile"
    track_image "berth-e2e-gc-$x:$E2E_RUN_ID" "$REGISTRY/gcdemo/$x:1"
    run docker build --no-cache -t "berth-e2e-gc-$x:$E2E_RUN_ID" "$ctx"
    docker tag "berth-e2e-gc-$x:$E2E_RUN_ID" "$REGISTRY/gcdemo/$x:1"
    run docker push "$REGISTRY/gcdemo/$x:1"
done
B_ID=$(image_id "$REGISTRY/gcdemo/b:1")
expect_status 200 GET /v2/gcdemo/a/manifests/1 -H 'Accept: application/vnd.docker.distribution.manifest.v2+json'
A_DIGEST=$(header Docker-Content-Digest)
A_BLOBS=$(blobs_of gcdemo/a 1)
B_BLOBS=$(blobs_of gcdemo/b 1)
ONLY_A=$(comm -23 <(sort <<<"$A_BLOBS") <(sort <<<"$B_BLOBS"))
SHARED=$(comm -12 <(sort <<<"$A_BLOBS") <(sort <<<"$B_BLOBS"))
log "A has $(wc -l <<<"$A_BLOBS") blobs, $(wc -l <<<"$ONLY_A") of them its own; $(wc -l <<<"$SHARED") shared with B"
(($(wc -l <<<"$ONLY_A") == 2)) || fail "expected A's config and top layer to be its own: $ONLY_A"

step "delete A; after the grace period a dry run reports its own blobs and deletes nothing"
expect_status 202 DELETE "/v2/gcdemo/a/manifests/$A_DIGEST"
sleep $((GRACE + GRACE / 10 + 2))
gc_run true false
DRY=$GC_RUN
assert_eq "$(wc -l <<<"$A_BLOBS")" "$(jq -r '.repositories[] | select(.repository == "gcdemo/a") | .links' "$DRY")" \
    "links of gcdemo/a the dry run would delete"
(($(jq -r .deleted.blobs.count "$DRY") >= 3)) || fail "the dry run should find A's own config, layer and manifest: $(cat "$DRY")"
for d in $A_BLOBS $A_DIGEST; do
    [[ -f $(blob_file "$d") ]] || fail "the dry run deleted $d"
done

step "a real run deletes exactly that: A's own blobs and manifest, nothing of B"
gc_run false false
assert_eq "$(jq -S .deleted "$DRY")" "$(jq -S .deleted "$GC_RUN")" "what the real run deleted against the dry run's report"
for d in $ONLY_A $A_DIGEST; do
    [[ ! -e $(blob_file "$d") ]] || fail "$d (only A's) is still on disk"
done
for d in $ONLY_A; do
    expect_status 404 GET "/v2/gcdemo/a/blobs/$d"
done
for d in $SHARED $B_BLOBS; do
    [[ -f $(blob_file "$d") ]] || fail "$d (B's) is gone from disk"
    expect_status 200 HEAD "/v2/gcdemo/b/blobs/$d"
done

step "B pulls byte-identical"
remove_image_completely "$REGISTRY/gcdemo/b:1"
run docker pull "$REGISTRY/gcdemo/b:1"
assert_eq "$B_ID" "$(image_id "$REGISTRY/gcdemo/b:1")" "image ID of B after the run"
assert_eq "$(sha256_of "$E2E_WORK/ctx-gc-b/b.bin")" "$(image_file_sha "$REGISTRY/gcdemo/b:1" /data/b.bin)" "B's own file"
assert_eq "$(sha256_of "$BUILD_CONTEXT/layer1.bin")" "$(image_file_sha "$REGISTRY/gcdemo/b:1" /data/layer1.bin)" "a shared file"

step "$IMAGES pushes of images built on the deleted A while real runs follow one another"
# A is still in docker's local store: each image is A plus a small layer of its own, so every push
# needs A's collected layers again (docker HEADs them, tries to mount them from gcdemo/a, uploads them)
log "building $IMAGES images"
for i in $(seq 1 "$IMAGES"); do
    mkdir -p "$E2E_WORK/ctx-gc-loop-$i"
    echo "image $i of run $E2E_RUN_ID" >"$E2E_WORK/ctx-gc-loop-$i/n.txt"
    printf 'FROM berth-e2e-gc-a:%s\nCOPY n.txt /data/n%s.txt\n' "$E2E_RUN_ID" "$i" >"$E2E_WORK/ctx-gc-loop-$i/Dockerfile"
    track_image "$REGISTRY/gcdemo/loop-$i:1"
done
# four builds at a time (each is mostly waiting for the daemon)
seq 1 "$IMAGES" | xargs -P 4 -I{} timeout "$E2E_CMD_TIMEOUT" "$DOCKER" build -q -t "$REGISTRY/gcdemo/loop-{}:1" \
    "$E2E_WORK/ctx-gc-loop-{}" >"$E2E_WORK/loop-builds.log" 2>&1 || { tail -20 "$E2E_WORK/loop-builds.log"; fail "docker build of a loop image failed"; }
# the collector: real runs back to back, with their own curl files (http() belongs to the foreground)
LOOP_FLAG="$E2E_WORK/gc-loop"
touch "$LOOP_FLAG"
(
    n=0
    while [[ -f $LOOP_FLAG ]]; do
        code=$(curl -s -o "$E2E_WORK/loop-start.json" -w '%{http_code}' -u "admin:$E2E_ADMIN_PASSWORD" \
            -H 'Content-Type: application/json' -d '{"dry_run":false}' "$REGISTRY_URL/api/v1/system/gc")
        if [[ $code != 202 ]]; then sleep 0.2; continue; fi
        id=$(jq -r .id "$E2E_WORK/loop-start.json")
        while curl -s -u "admin:$E2E_ADMIN_PASSWORD" "$REGISTRY_URL/api/v1/system/gc/runs/$id" | jq -e '.state == "running"' >/dev/null; do
            sleep 0.1
        done
        curl -s -u "admin:$E2E_ADMIN_PASSWORD" "$REGISTRY_URL/api/v1/system/gc/runs/$id" | jq -r .state >>"$E2E_WORK/loop-states"
        n=$((n + 1))
    done
) &
LOOP_PID=$!
at_exit "rm -f '$LOOP_FLAG'; kill $LOOP_PID 2>/dev/null || true"
log "pushing $IMAGES images while collection runs"
PUSH_LOG="$E2E_WORK/loop-pushes.log"
for i in $(seq 1 "$IMAGES"); do
    docker push "$REGISTRY/gcdemo/loop-$i:1" >>"$PUSH_LOG" 2>&1 || { tail -20 "$PUSH_LOG"; fail "docker push of loop image $i failed"; }
done
rm -f "$LOOP_FLAG"
wait "$LOOP_PID" || true
RUNS=$(wc -l <"$E2E_WORK/loop-states" 2>/dev/null || echo 0)
log "$RUNS real runs went while the $IMAGES images were pushed: $(sort "$E2E_WORK/loop-states" | uniq -c | tr '\n' ' ')"
((RUNS >= 2)) || fail "collection ran only $RUNS times during the pushes"
assert_eq "$RUNS" "$(grep -c '^succeeded$' "$E2E_WORK/loop-states")" "runs that succeeded during the pushes"
assert_not_contains "$(cat "$PUSH_LOG")" "blob unknown" "docker push output"
assert_eq "$IMAGES" "$(grep -c ': digest: sha256:' "$PUSH_LOG")" "pushes that printed a digest"

step "every image pushed during the runs pulls, and every blob of it is served in its repository"
for i in $(seq 1 "$IMAGES"); do
    for d in $(blobs_of "gcdemo/loop-$i" 1); do
        expect_status 200 HEAD "/v2/gcdemo/loop-$i/blobs/$d"
    done
done
# nothing local: each pull fetches what it needs from the registry
for i in $(seq 1 "$IMAGES"); do docker rmi -f "$REGISTRY/gcdemo/loop-$i:1" >/dev/null 2>&1 || true; done
docker rmi -f "berth-e2e-gc-a:$E2E_RUN_ID" "$REGISTRY/gcdemo/a:1" >/dev/null 2>&1 || true
log "pulling $IMAGES images"
PULL_LOG="$E2E_WORK/loop-pulls.log"
for i in $(seq 1 "$IMAGES"); do
    docker pull "$REGISTRY/gcdemo/loop-$i:1" >>"$PULL_LOG" 2>&1 || { tail -20 "$PULL_LOG"; fail "docker pull of loop image $i failed"; }
done
assert_not_contains "$(cat "$PULL_LOG")" "blob unknown" "docker pull output"
assert_eq "$(sha256_of "$E2E_WORK/ctx-gc-a/a.bin")" "$(image_file_sha "$REGISTRY/gcdemo/loop-$IMAGES:1" /data/a.bin)" \
    "A's collected layer, pushed again and pulled"

step "B once more, every layer of it from the registry"
for i in $(seq 1 "$IMAGES"); do docker rmi -f "$REGISTRY/gcdemo/loop-$i:1" >/dev/null 2>&1 || true; done
docker rmi -f "$REGISTRY/gcdemo/b:1" "berth-e2e-gc-b:$E2E_RUN_ID" "$COMMON" "$E2E_BASE_IMAGE" >/dev/null 2>&1 || true
if docker image inspect "$B_ID" >/dev/null 2>&1; then fail "image $B_ID is still present"; fi
run docker pull "$REGISTRY/gcdemo/b:1"
assert_eq "$(wc -l <<<"$B_BLOBS")" "$(($(grep -c 'Pull complete' <<<"$RUN_OUT") + 1))" "layers of B downloaded (all but the config)"
assert_eq "$B_ID" "$(image_id "$REGISTRY/gcdemo/b:1")" "image ID of B"
assert_eq "$(sha256_of "$E2E_WORK/ctx-gc-b/b.bin")" "$(image_file_sha "$REGISTRY/gcdemo/b:1" /data/b.bin)" "B's own file"
assert_eq "$(sha256_of "$BUILD_CONTEXT/layer1.bin")" "$(image_file_sha "$REGISTRY/gcdemo/b:1" /data/layer1.bin)" "a file of a shared layer"
assert_eq "$(sha256_of "$BUILD_CONTEXT/layer2.bin")" "$(image_file_sha "$REGISTRY/gcdemo/b:1" /data/layer2.bin)" "a file of the other shared layer"
