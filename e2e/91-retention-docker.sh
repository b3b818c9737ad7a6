#!/usr/bin/env bash
# Tag retention with the docker CLI (issue 17): two releases (v1.0, v2.0) and twelve builds
# (build-1..12) of distinct small images in one repository. The preview of "keep the last 5
# builds, and everything v*" names exactly build-1..7; enabling must quote that preview; a run
# deletes exactly those; every survivor pulls, every deleted tag is "manifest unknown" to docker;
# and the garbage collection run the retention run starts (run_gc) removes the deleted builds'
# own layers and configs from disk while the base layer they shared with the survivors stays.
# Needs a short grace period (E2E_GC_GRACE, which the build sets; 8 s).
# shellcheck source=e2e/lib.sh
. "$(dirname "$0")/lib.sh"

require_docker
start_berth

expect_status 200 GET /api/v1/system/gc
GRACE=$(jq -r .grace_seconds "$HTTP_BODY")
((GRACE <= 60)) || fail "this scenario needs a short grace period (E2E_GC_GRACE); Berth has $GRACE s"
PROJECT=retdemo
REPO=$PROJECT/app
http POST /api/v1/projects -H 'Content-Type: application/json' -d "{\"name\":\"$PROJECT\",\"public\":true}"
[[ $HTTP_STATUS == 201 || $HTTP_STATUS == 409 ]] || fail "cannot create project $PROJECT: $HTTP_STATUS"
API=/api/v1/projects/$PROJECT/retention
JSON=(-H 'Content-Type: application/json')

blob_file() { local hex=${1#sha256:}; printf '%s/blobs/sha256/%s/%s' "$BERTH_DATA_ROOT" "${hex:0:2}" "$hex"; }

# own_blobs TAG: the config and the top layer of the image under TAG (what only it has)
own_blobs() {
    expect_status 200 GET "/v2/$REPO/manifests/$1" -H 'Accept: application/vnd.docker.distribution.manifest.v2+json'
    jq -r '.config.digest, .layers[-1].digest' "$HTTP_BODY"
}

step "push v1.0, v2.0 and build-1..12, each its own image on the shared busybox base"
TAGS=(v1.0 v2.0)
for i in $(seq 1 12); do TAGS+=("build-$i"); done
declare -A OWN
for tag in "${TAGS[@]}"; do
    build_image "berth-e2e-ret-$tag:$E2E_RUN_ID" 48K
    track_image "$REGISTRY/$REPO:$tag"
    docker tag "berth-e2e-ret-$tag:$E2E_RUN_ID" "$REGISTRY/$REPO:$tag"
    run docker push "$REGISTRY/$REPO:$tag"
    OWN[$tag]=$(own_blobs "$tag")
done
expect_status 200 GET "/v2/$REPO/manifests/v1.0" -H 'Accept: application/vnd.docker.distribution.manifest.v2+json'
BASE_LAYER=$(jq -r '.layers[0].digest' "$HTTP_BODY")
[[ -f $(blob_file "$BASE_LAYER") ]] || fail "the base layer is not on disk: $BASE_LAYER"

RULES='[{"repository":{"pattern":"**"},"tag":{"pattern":"build-*"},"keep":"latest_pushed","amount":5},
        {"repository":{"pattern":"**"},"tag":{"pattern":"v*"},"keep":"always"}]'
EXPECTED=$(printf 'build-%s\n' 1 2 3 4 5 6 7 | sort)

step "preview: exactly build-1..7 would go"
expect_status 200 POST "$API/preview" "${JSON[@]}" -d "{\"rules\":$RULES}"
cp "$HTTP_BODY" "$E2E_WORK/preview.json"
assert_eq "$EXPECTED" "$(jq -r '.deletions[].tags[]' "$E2E_WORK/preview.json" | sort)" "tags the preview would delete"
assert_eq 7 "$(jq -r .totals.artifacts_deleted "$E2E_WORK/preview.json")" "artifacts the preview would delete"
assert_eq 7 "$(jq -r '[.kept[] | select(.reason == "rule")] | length' "$E2E_WORK/preview.json")" "artifacts kept by a rule"
FREED=$(jq -r .totals.freed_bytes "$E2E_WORK/preview.json")
((FREED > 7 * 48 * 1024)) || fail "the preview frees $FREED bytes, less than the builds' own layers"
log "the preview would delete 7 artifacts and free $FREED bytes"
FINGERPRINT=$(jq -r .rules_fingerprint "$E2E_WORK/preview.json")

step "enabling needs the preview: refused without it, accepted with it (run_gc on)"
expect_status 409 PUT "$API" "${JSON[@]}" -d "{\"rules\":$RULES,\"enabled\":true,\"run_gc\":true}"
assert_contains "$(cat "$HTTP_BODY")" "not previewed" "the refusal"
expect_status 200 PUT "$API" "${JSON[@]}" \
    -d "{\"rules\":$RULES,\"enabled\":true,\"run_gc\":true,\"preview_fingerprint\":\"$FINGERPRINT\"}"
assert_eq true "$(jq -r .policy.enabled "$HTTP_BODY")" "enabled"
assert_eq "$EXPECTED" "$(jq -r '.preview.deletions[].tags[]' "$HTTP_BODY" | sort)" "the preview the enabling PUT answers"

step "a run, once the builds' blobs are past the grace period, deletes exactly that and starts garbage collection"
sleep $((GRACE + GRACE / 10 + 2))
expect_status 202 POST "$API/runs"
RUN_ID=$(jq -r .id "$HTTP_BODY")
await_run "$API/runs/$RUN_ID"
cp "$HTTP_BODY" "$E2E_WORK/run.json"
assert_eq succeeded "$(jq -r .state "$E2E_WORK/run.json")" "state of retention run $RUN_ID"
assert_eq "$EXPECTED" "$(jq -r '.deleted[].tags[]' "$E2E_WORK/run.json" | sort)" "tags the run deleted"
assert_eq "$FREED" "$(jq -r .freed_bytes "$E2E_WORK/run.json")" "bytes the run left to garbage collection"
GC_ID=$(jq -r .gc_run "$E2E_WORK/run.json")
[[ $GC_ID =~ ^[0-9]+$ ]] || fail "the run started no garbage collection: $(cat "$E2E_WORK/run.json")"

step "every survivor pulls; every deleted build is manifest unknown"
for tag in "${TAGS[@]}"; do
    docker rmi -f "$REGISTRY/$REPO:$tag" >/dev/null 2>&1 || true
    if grep -qx "$tag" <<<"$EXPECTED"; then
        run_fails docker pull "$REGISTRY/$REPO:$tag"
        assert_contains "$RUN_OUT" "manifest unknown" "docker pull of deleted $tag"
    else
        run docker pull "$REGISTRY/$REPO:$tag"
    fi
done

step "garbage collection run $GC_ID frees the deleted builds' own blobs, not the shared base layer"
await_run "/api/v1/system/gc/runs/$GC_ID"
cp "$HTTP_BODY" "$E2E_WORK/gc.json"
assert_eq succeeded "$(jq -r .state "$E2E_WORK/gc.json")" "state of garbage collection run $GC_ID"
for tag in "${TAGS[@]}"; do
    for digest in ${OWN[$tag]}; do
        if grep -qx "$tag" <<<"$EXPECTED"; then
            [[ ! -e $(blob_file "$digest") ]] || fail "$tag's blob $digest is still on disk after garbage collection"
        else
            [[ -f $(blob_file "$digest") ]] || fail "$tag's blob $digest is gone, though $tag was kept"
        fi
    done
done
[[ -f $(blob_file "$BASE_LAYER") ]] || fail "the shared base layer was removed"
log "garbage collection freed $(jq -r .freed_bytes "$E2E_WORK/gc.json") bytes ($(jq -r .deleted.blobs.count "$E2E_WORK/gc.json") blobs)"
expect_status 200 GET "/api/v1/audit-logs?project=$PROJECT&operation=retention_run"
assert_contains "$(cat "$HTTP_BODY")" "run $RUN_ID" "the run's audit entry"
