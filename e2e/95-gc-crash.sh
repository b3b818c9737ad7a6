#!/usr/bin/env bash
# A crash in the middle of a garbage collection sweep loses nothing that is referenced, and the
# next run finishes the job (issue 16): an image is pushed, 3000 unreferenced blobs are uploaded,
# and Berth is killed with SIGKILL while a real run is deleting them. After a restart every blob of
# the image is there (a pull works), the killed run is marked interrupted, the run that
# BERTH_GC_SCHEDULE starts deletes the rest, and the disk then holds exactly the image's blobs.
# shellcheck source=e2e/lib.sh
. "$(dirname "$0")/lib.sh"

require_docker
require_restartable
export E2E_GC_GRACE=2
unset BERTH_GC_SCHEDULE
GARBAGE=${E2E_GC_GARBAGE:-3000}
start_berth
http POST /api/v1/projects -H 'Content-Type: application/json' -d '{"name":"crash","public":true}'
[[ $HTTP_STATUS == 201 ]] || fail "cannot create project crash: $HTTP_STATUS"

run_json() { expect_status 200 GET "/api/v1/system/gc/runs/$1"; cp "$HTTP_BODY" "$E2E_WORK/run.json"; }

step "an image to keep, and $GARBAGE unreferenced 4 KiB blobs"
build_image "berth-e2e-gc-crash:$E2E_RUN_ID" 64K 256K
REF="$REGISTRY/crash/app:1"
track_image "$REF"
docker tag "berth-e2e-gc-crash:$E2E_RUN_ID" "$REF"
run docker push "$REF"
IMAGE_ID=$(image_id "$REF")
BENCH_USER=admin BENCH_PASSWORD=$E2E_ADMIN_PASSWORD \
    run java "$REPO_ROOT/bench/src/GcBench.java" populate "http://127.0.0.1:$BERTH_PORT" crash/garbage "$GARBAGE" 4096 8
sleep 3 # past the grace period

step "SIGKILL while a real run deletes the blobs"
expect_status 202 POST /api/v1/system/gc -H 'Content-Type: application/json' -d '{"dry_run":false}'
ID=$(jq -r .id "$HTTP_BODY")
for _ in $(seq 1 1200); do
    run_json "$ID"
    [[ $(jq -r .state "$E2E_WORK/run.json") == running ]] ||
        fail "run $ID ended before the kill (make more garbage: E2E_GC_GARBAGE): $(cat "$E2E_WORK/run.json")"
    if [[ $(jq -r .progress.phase "$E2E_WORK/run.json") == blobs ]] && (($(jq -r .deleted.blobs.count "$E2E_WORK/run.json") > 0)); then
        break
    fi
    sleep 0.05
done
DELETED_BEFORE=$(jq -r .deleted.blobs.count "$E2E_WORK/run.json")
log "run $ID had deleted $DELETED_BEFORE blobs when Berth was killed"
kill_berth
# the next start runs collection every minute by itself
export BERTH_GC_SCHEDULE='* * * * *'
restart_berth
unset BERTH_GC_SCHEDULE

step "after the crash every blob of the image is there"
expect_status 200 GET /v2/crash/app/manifests/1 -H 'Accept: application/vnd.docker.distribution.manifest.v2+json'
MANIFEST_DIGEST=$(header Docker-Content-Digest)
KEEP=$(jq -r '.config.digest, .layers[].digest' "$HTTP_BODY")
for d in $KEEP; do
    expect_status 200 GET "/v2/crash/app/blobs/$d"
    assert_eq "$d" "sha256:$(sha256_of "$HTTP_BODY")" "content of $d after the crash"
done
remove_image_completely "$REF"
run docker pull "$REF"
assert_eq "$IMAGE_ID" "$(image_id "$REF")" "image ID pulled after the crash"
# its server is gone: once its heartbeat is 15 s old, the run is marked interrupted
for _ in $(seq 1 60); do
    run_json "$ID"
    [[ $(jq -r .state "$E2E_WORK/run.json") == interrupted ]] && break
    sleep 1
done
assert_eq interrupted "$(jq -r .state "$E2E_WORK/run.json")" "state of the killed run"

step "the scheduled run finishes the job"
for _ in $(seq 1 150); do
    expect_status 200 GET /api/v1/system/gc
    [[ $(jq -r '.last.trigger // ""' "$HTTP_BODY") == schedule && $(jq -r .last.state "$HTTP_BODY") != running ]] && break
    sleep 1
done
cp "$HTTP_BODY" "$E2E_WORK/status.json"
assert_eq schedule "$(jq -r .last.trigger "$E2E_WORK/status.json")" "trigger of the run after the restart"
assert_eq succeeded "$(jq -r .last.state "$E2E_WORK/status.json")" "state of the scheduled run"
assert_eq system "$(jq -r .last.started_by "$E2E_WORK/status.json")" "who started the scheduled run"
REST=$(jq -r .last.deleted.blobs.count "$E2E_WORK/status.json")
log "the scheduled run deleted $REST blobs ($DELETED_BEFORE before the crash, of $GARBAGE)"
((REST > 0)) || fail "the scheduled run found nothing left to delete"

step "the disk holds exactly the image's blobs"
EXPECTED=$(printf '%s\n' $KEEP "$MANIFEST_DIGEST" | sort -u)
ON_DISK=$(find "$BERTH_DATA_ROOT/blobs" -type f | awk -F/ '{print $(NF-2) ":" $NF}' | sort -u)
assert_eq "$EXPECTED" "$ON_DISK" "blobs on disk after the scheduled run"
assert_eq "" "$(find "$BERTH_DATA_ROOT/uploads" "$BERTH_DATA_ROOT/tmp" -type f 2>/dev/null)" "upload sessions and scratch files left"
expect_status 200 GET /api/v1/systeminfo
assert_eq "$(find "$BERTH_DATA_ROOT/blobs" -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}')" \
    "$(jq -r .storage.used_bytes "$HTTP_BODY")" "bytes on disk against the storage Berth counts"
