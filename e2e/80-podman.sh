#!/usr/bin/env bash
# podman against Berth: login as admin, push and pull a tiny image built here (podman import of
# the static busybox, no network), the same image ID back; then the catalog through a token:
# `podman search REGISTRY/` and GET /v2/_catalog with a bearer token of scope
# registry:catalog:* must both list the repository pushed. podman keeps its own storage (vfs)
# and credentials under the scenario's temp dir, so it touches nothing of the machine's.
# shellcheck source=e2e/lib.sh
. "$(dirname "$0")/lib.sh"

require_docker # start_berth signs docker in
command -v podman >/dev/null || fail "podman is not installed (apt-get install podman)"
[[ $E2E_TARGET == berth ]] || fail "this scenario logs in with Berth's admin account (E2E_TARGET=berth)"
start_berth

PODMAN_AUTH="$E2E_WORK/podman-auth.json"
# podman also reads docker's config.json, where start_berth's docker login left an identity
# token for this registry ("currently logged in"): give podman an empty docker config
mkdir -p "$E2E_WORK/podman-docker-config"
# podman refuses a runroot longer than 50 characters, which a TMPDIR may well make
PODMAN_RUN=$(mktemp -d /tmp/berth-podman.XXXXXX)
PODMAN_ARGS=(--root "$E2E_WORK/podman-root" --runroot "$PODMAN_RUN" --storage-driver vfs)
podman_() {
    DOCKER_CONFIG="$E2E_WORK/podman-docker-config" REGISTRY_AUTH_FILE="$PODMAN_AUTH" \
        command timeout "$E2E_CMD_TIMEOUT" podman "${PODMAN_ARGS[@]}" "$@"
}
# podman's vfs layers hold files only root may remove with a plain rm: let podman remove them
at_exit "podman ${PODMAN_ARGS[*]@Q} rmi -a -f >/dev/null 2>&1 || true; rm -rf '$PODMAN_RUN'"

REPO="library/podman-e2e-$E2E_RUN_ID/app"
REF="$REGISTRY/$REPO:1"

step "podman logs in as admin; a wrong password is refused"
run_fails podman_ login --tls-verify=false --authfile "$PODMAN_AUTH" -u admin --password-stdin "$REGISTRY" <<<"not-the-password"
run podman_ login --tls-verify=false --authfile "$PODMAN_AUTH" -u admin --password-stdin "$REGISTRY" <<<"$E2E_ADMIN_PASSWORD"
assert_contains "$RUN_OUT" "Login Succeeded" "podman login as admin"

step "a tiny image built here: podman import of the static busybox"
bb=$(command -v busybox || echo /bin/busybox)
[[ -x $bb ]] || fail "no busybox binary (apt-get install busybox-static)"
mkdir -p "$E2E_WORK/podman-image/bin"
cp "$bb" "$E2E_WORK/podman-image/bin/busybox"
echo "berth-e2e podman $E2E_RUN_ID" >"$E2E_WORK/podman-image/marker"
tar -C "$E2E_WORK/podman-image" -cf "$E2E_WORK/podman-image.tar" .
run podman_ import --change 'CMD ["/bin/busybox","sh"]' "$E2E_WORK/podman-image.tar" "$REF"
IMAGE_ID=$(podman_ image inspect -f '{{.Id}}' "$REF")

step "podman push, then pull after removing the image: the same image ID"
run podman_ push --tls-verify=false --authfile "$PODMAN_AUTH" "$REF"
expect_status 200 GET "/v2/$REPO/tags/list"
assert_eq '["1"]' "$(jq -c .tags "$HTTP_BODY")" "tags of $REPO"
run podman_ rmi "$REF"
run_fails podman_ image inspect "$REF"
run podman_ pull --tls-verify=false --authfile "$PODMAN_AUTH" "$REF"
assert_eq "$IMAGE_ID" "$(podman_ image inspect -f '{{.Id}}' "$REF")" "image ID pulled by podman"

step "the catalog through a token: GET /v2/_catalog with a bearer token of scope registry:catalog:*"
E2E_ANONYMOUS=1 http GET /v2/
assert_eq 401 "$HTTP_STATUS" "anonymous GET /v2/"
CHALLENGE=$(header WWW-Authenticate)
REALM=$(sed -n 's/.*realm="\([^"]*\)".*/\1/p' <<<"$CHALLENGE")
SERVICE=$(sed -n 's/.*service="\([^"]*\)".*/\1/p' <<<"$CHALLENGE")
[[ -n $REALM ]] || fail "no token realm in the challenge: $CHALLENGE"
expect_status 200 GET "$REALM?service=$SERVICE&scope=registry:catalog:*"
TOKEN=$(jq -r .token "$HTTP_BODY")
[[ -n $TOKEN && $TOKEN != null ]] || fail "no token in $(cat "$HTTP_BODY")"
# names sort lexicographically: the first one after this run's prefix is the repository pushed
E2E_ANONYMOUS=1 expect_status 200 GET "/v2/_catalog?n=5&last=library/podman-e2e-$E2E_RUN_ID" \
    -H "Authorization: Bearer $TOKEN"
assert_line_in "$(jq -r '.repositories[]?' "$HTTP_BODY")" "$REPO" "GET /v2/_catalog with a catalog token"

step "podman search lists the repository"
run podman_ search --tls-verify=false --authfile "$PODMAN_AUTH" --limit 1000 --format '{{.Name}}' "$REGISTRY/podman-e2e-$E2E_RUN_ID"
assert_line_in "$RUN_OUT" "$REGISTRY/$REPO" "podman search $REGISTRY/podman-e2e-$E2E_RUN_ID"

log "ok"
