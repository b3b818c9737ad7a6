#!/usr/bin/env bash
# Identity and access with the real clients: docker login (wrong password refused, nothing
# stored), a developer pushes to a private project, a guest pulls but may not push, a user
# without a role cannot pull, anonymous pulls of a public image work after docker logout,
# a robot account logs in and pushes, and skopeo works with --creds.
# shellcheck source=e2e/lib.sh
. "$(dirname "$0")/lib.sh"

require_docker
require_skopeo
[[ $E2E_TARGET == berth ]] || fail "this scenario needs Berth's accounts (E2E_TARGET=berth)"
start_berth

login_as() { # USER PASSWORD
    docker logout "$REGISTRY" >/dev/null 2>&1 || true
    run docker login "$REGISTRY" -u "$1" --password-stdin <<<"$2"
    assert_contains "$RUN_OUT" "Login Succeeded" "docker login as $1"
}
stored_auth() { jq -r --arg r "$REGISTRY" '.auths[$r].auth // empty' "${DOCKER_CONFIG:-$HOME/.docker}/config.json" 2>/dev/null || true; }
api() { # METHOD PATH JSON EXPECTED_STATUS
    expect_status "$4" "$1" "$2" -H 'Content-Type: application/json' -d "$3"
}

step "a wrong password is refused and nothing is stored"
docker logout "$REGISTRY" >/dev/null 2>&1 || true
run_fails docker login "$REGISTRY" -u admin --password-stdin <<<"not-the-password"
assert_eq "" "$(stored_auth)" "credentials stored after a failed login"
login_as admin "$E2E_ADMIN_PASSWORD"
assert_ne "" "$(stored_auth)" "credentials stored after a successful login"

step "a private project with a developer and a guest, and a user with no role"
api POST /api/v1/projects '{"name":"team","public":false}' 201
api POST /api/v1/users '{"username":"dev1","password":"DevPass-123"}' 201
api POST /api/v1/users '{"username":"guest1","password":"GuestPass-123"}' 201
api POST /api/v1/users '{"username":"nobody1","password":"NobodyPass-123"}' 201
api POST /api/v1/projects/team/members '{"username":"dev1","role":"developer"}' 201
api POST /api/v1/projects/team/members '{"username":"guest1","role":"guest"}' 201

build_image "berth-e2e-login:$E2E_RUN_ID" 256K 1M
IMAGE_ID=$(image_id "berth-e2e-login:$E2E_RUN_ID")
PRIVATE_REF="$REGISTRY/team/app:1"
PUBLIC_REF="$REGISTRY/library/public-app:1"
track_image "$PRIVATE_REF" "$REGISTRY/team/app:2" "$REGISTRY/team/app:robot" "$PUBLIC_REF"

step "the developer pushes to the private project"
login_as dev1 DevPass-123
docker tag "$IMAGE_ID" "$PRIVATE_REF"
run docker push "$PRIVATE_REF"
assert_contains "$RUN_OUT" "1: digest: sha256:" "developer's push"

step "the guest pulls, and may not push"
login_as guest1 GuestPass-123
docker rmi "$PRIVATE_REF" >/dev/null
run docker pull "$PRIVATE_REF"
assert_eq "$IMAGE_ID" "$(image_id "$PRIVATE_REF")" "image ID pulled by the guest"
docker tag "$IMAGE_ID" "$REGISTRY/team/app:2"
run_fails docker push "$REGISTRY/team/app:2"
assert_contains "$RUN_OUT" "denied" "guest's push refusal"

step "a user without a role in the private project cannot pull it"
login_as nobody1 NobodyPass-123
docker rmi "$PRIVATE_REF" >/dev/null
run_fails docker pull "$PRIVATE_REF"

step "after docker logout, anonymous pulls of a public image work, of a private one not"
login_as admin "$E2E_ADMIN_PASSWORD"
docker tag "$IMAGE_ID" "$PUBLIC_REF"
run docker push "$PUBLIC_REF"
run docker logout "$REGISTRY"
docker rmi "$PUBLIC_REF" >/dev/null
run docker pull "$PUBLIC_REF"
assert_eq "$IMAGE_ID" "$(image_id "$PUBLIC_REF")" "image ID pulled anonymously"
run_fails docker pull "$PRIVATE_REF"

step "a robot account logs in and pushes"
api POST /api/v1/projects/team/robots '{"name":"ci","actions":["pull","push"]}' 201
ROBOT_NAME=$(jq -r .name "$HTTP_BODY")
ROBOT_SECRET=$(jq -r .secret "$HTTP_BODY")
assert_eq 'robot$team+ci' "$ROBOT_NAME" "robot login name"
login_as "$ROBOT_NAME" "$ROBOT_SECRET"
docker tag "$IMAGE_ID" "$REGISTRY/team/app:robot"
run docker push "$REGISTRY/team/app:robot"
run docker logout "$REGISTRY"

step "skopeo with --creds"
run skopeo_ inspect --tls-verify=false --creds "dev1:DevPass-123" "docker://$PRIVATE_REF"
assert_contains "$RUN_OUT" '"Digest": "sha256:' "skopeo inspect as the developer"
run_fails skopeo_ inspect --tls-verify=false --creds "nobody1:NobodyPass-123" "docker://$PRIVATE_REF"
run skopeo_ copy --src-tls-verify=false --dest-tls-verify=false \
    --src-creds "guest1:GuestPass-123" --dest-creds "dev1:DevPass-123" \
    "docker://$PRIVATE_REF" "docker://$REGISTRY/team/copy:1"
run skopeo_ list-tags --tls-verify=false --creds "guest1:GuestPass-123" "docker://$REGISTRY/team/copy"
assert_contains "$RUN_OUT" '"1"' "tags of the copy"

log "ok"
