#!/usr/bin/env bash
# Content API and quotas with the real docker CLI: an image pushed by docker is shown with its
# tags, config labels, layers and sizes; the same image in a second repository of the project
# counts once physically and twice logically; a push over the project's quota is refused by
# docker with Berth's "quota exceeded" message and leaves the usage unchanged; once the limit is
# raised the same push goes through; docker pulls are counted. An immutable-tag rule: docker
# pushes the same image again under a protected tag, but another image over it is refused with
# Berth's message and the tag still pulls the first image; once a system administrator lifts the
# rule the push goes through.
# shellcheck source=e2e/lib.sh
. "$(dirname "$0")/lib.sh"

require_docker
[[ $E2E_TARGET == berth ]] || fail "this scenario needs Berth's administration API (E2E_TARGET=berth)"
start_berth

api() { # EXPECTED_STATUS METHOD PATH [JSON]
    if [[ $# -ge 4 ]]; then
        expect_status "$1" "$2" "$3" -H 'Content-Type: application/json' -d "$4"
    else
        expect_status "$1" "$2" "$3"
    fi
}
json() { jq -r "$1" "$HTTP_BODY"; }

step "a private project and an image pushed by docker"
api 201 POST /api/v1/projects '{"name":"quota","public":false}'
build_image "berth-e2e-quota:$E2E_RUN_ID" 256K 1M
IMAGE_ID=$(image_id "berth-e2e-quota:$E2E_RUN_ID")
track_image "$REGISTRY/quota/a:1" "$REGISTRY/quota/b:1" "$REGISTRY/quota/c:1"
docker tag "$IMAGE_ID" "$REGISTRY/quota/a:1"
run docker push "$REGISTRY/quota/a:1"
DIGEST=$(grep -o 'digest: sha256:[0-9a-f]*' <<<"$RUN_OUT" | cut -d' ' -f2)
assert_ne "" "$DIGEST" "digest printed by docker push"

step "the artifact as the API shows it"
api 200 GET "/api/v1/repositories/quota/a/artifacts/1"
assert_eq "$DIGEST" "$(json .digest)" "artifact digest"
assert_eq "1" "$(json '.tags[0].name')" "artifact tag"
assert_eq "linux" "$(json .config.os)" "config os"
assert_eq "$E2E_RUN_ID" "$(json '.config.labels["org.berth.e2e.run"]')" "config label from the Dockerfile"
LAYERS=$(json '.layers | length')
(( LAYERS >= 3 )) || fail "expected the base layer and two COPY layers, got $LAYERS"
TOTAL=$(json .total_size)
(( TOTAL > 1280000 )) || fail "total size $TOTAL is smaller than the layers pushed"

step "the same image in a second repository counts once physically, twice logically"
api 200 GET /api/v1/projects/quota/quota
PHYSICAL=$(json .physical_bytes)
assert_eq "$TOTAL" "$PHYSICAL" "physical bytes of one image"
docker tag "$IMAGE_ID" "$REGISTRY/quota/b:1"
run docker push "$REGISTRY/quota/b:1"
api 200 GET /api/v1/projects/quota/summary
assert_eq "$PHYSICAL" "$(json .physical_bytes)" "physical bytes after the second repository"
assert_eq "$((2 * TOTAL))" "$(json .logical_bytes)" "logical bytes after the second repository"
assert_eq "2" "$(json .repository_count)" "repositories"

step "a push over the quota is refused by docker and leaves the usage unchanged"
api 200 PUT /api/v1/projects/quota/quota "{\"limit_bytes\": $((PHYSICAL + 100000))}"
build_image "berth-e2e-quota2:$E2E_RUN_ID" 512K
docker tag "berth-e2e-quota2:$E2E_RUN_ID" "$REGISTRY/quota/c:1"
run_fails docker push "$REGISTRY/quota/c:1"
assert_contains "$RUN_OUT" "quota exceeded: project 'quota' limit $((PHYSICAL + 100000)) bytes" "docker's refusal"
api 200 GET /api/v1/projects/quota/quota
assert_eq "$PHYSICAL" "$(json .used_bytes)" "usage after the refused push"

step "once the limit is raised the same push goes through"
api 200 PUT /api/v1/projects/quota/quota '{"limit_bytes": -1}'
run docker push "$REGISTRY/quota/c:1"
assert_contains "$RUN_OUT" "1: digest: sha256:" "push after raising the limit"

step "docker pulls are counted"
docker rmi "$REGISTRY/quota/a:1" >/dev/null
run docker pull "$REGISTRY/quota/a:1"
COUNT=0
for _ in $(seq 1 20); do
    api 200 GET /api/v1/repositories/quota/a
    COUNT=$(json .pull_count)
    (( COUNT >= 1 )) && break
    sleep 0.5
done
(( COUNT >= 1 )) || fail "the pull was not counted"

step "an immutable tag: docker pushes the same image again, not another one over it"
api 201 POST /api/v1/projects/quota/immutable-tags '{"name":"releases","tag":{"pattern":"v*","mode":"matching"}}'
RULE_ID=$(json .id)
track_image "$REGISTRY/quota/rel:v1.0.0"
docker tag "$IMAGE_ID" "$REGISTRY/quota/rel:v1.0.0"
run docker push "$REGISTRY/quota/rel:v1.0.0"
assert_contains "$RUN_OUT" "v1.0.0: digest: $DIGEST" "first push under the protected tag"
run docker push "$REGISTRY/quota/rel:v1.0.0"
assert_contains "$RUN_OUT" "v1.0.0: digest: $DIGEST" "the same image pushed again"
docker tag "berth-e2e-quota2:$E2E_RUN_ID" "$REGISTRY/quota/rel:v1.0.0"
run_fails docker push "$REGISTRY/quota/rel:v1.0.0"
assert_contains "$RUN_OUT" "tag v1.0.0 is immutable in project quota (rule 'releases')" "docker's refusal"
docker rmi "$REGISTRY/quota/rel:v1.0.0" >/dev/null # the tag only: both images stay
run docker pull "$REGISTRY/quota/rel:v1.0.0"
assert_contains "$RUN_OUT" "Digest: $DIGEST" "the protected tag still pulls the first image"
assert_eq "$IMAGE_ID" "$(image_id "$REGISTRY/quota/rel:v1.0.0")" "image ID pulled under the protected tag"
expect_status 403 DELETE /v2/quota/rel/manifests/v1.0.0
assert_eq DENIED "$(json '.errors[0].code')" "error code of a delete of the protected tag"

step "lifted by the system administrator, the other image goes over it"
api 200 PATCH "/api/v1/projects/quota/immutable-tags/$RULE_ID" '{"disabled":true}'
docker tag "berth-e2e-quota2:$E2E_RUN_ID" "$REGISTRY/quota/rel:v1.0.0"
run docker push "$REGISTRY/quota/rel:v1.0.0"
assert_not_contains "$RUN_OUT" "v1.0.0: digest: $DIGEST" "push after the rule was lifted"
assert_contains "$RUN_OUT" "v1.0.0: digest: sha256:" "push after the rule was lifted"
log "ok"
