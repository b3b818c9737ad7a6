#!/usr/bin/env bash
# Restart with the same data root: what was pushed before is still listed and pullable
# (docker, skopeo, HTTP), and a blob upload session started before the restart is
# resumed after it (POST, PATCH, restart, GET status, PATCH, PUT ?digest=).
# shellcheck source=e2e/lib.sh
. "$(dirname "$0")/lib.sh"

require_docker
require_restartable
require_skopeo
start_berth

step "push before the restart"
build_image "berth-e2e-restart:$E2E_RUN_ID" 32K 1M
ID=$(image_id "berth-e2e-restart:$E2E_RUN_ID")
WANT_SHA=$(sha256_of "$BUILD_CONTEXT/layer2.bin")
REF="$REGISTRY/persist/app:1.0"
REF2="$REGISTRY/persist/other:latest"
track_image "$REF" "$REF2"
docker tag "$ID" "$REF"
docker tag "$ID" "$REF2"
run docker push "$REF"
DIGEST=$(grep -o 'digest: sha256:[0-9a-f]\{64\}' <<<"$RUN_OUT" | head -n1 | cut -d' ' -f2)
run docker push "$REF2"
run_to "$E2E_WORK/before.json" skopeo_ inspect --raw --tls-verify=false "docker://$REF"

step "start a chunked blob upload and send its first part"
BLOB="$E2E_WORK/upload.bin"
head -c $((3 * 1024 * 1024 + 12345)) /dev/urandom >"$BLOB"
BLOB_SIZE=$(stat -c %s "$BLOB")
BLOB_DIGEST="sha256:$(sha256_of "$BLOB")"
FIRST=$((2 * 1024 * 1024))
head -c "$FIRST" "$BLOB" >"$E2E_WORK/part1.bin"
tail -c $((BLOB_SIZE - FIRST)) "$BLOB" >"$E2E_WORK/part2.bin"

expect_status 202 POST /v2/persist/uploads-test/blobs/uploads/ -H 'Content-Length: 0'
LOCATION=$(absolute_url "$(header Location)")
log "upload session at $LOCATION"
expect_status 202 PATCH "$LOCATION" -H 'Content-Type: application/octet-stream' \
    -H "Content-Range: 0-$((FIRST - 1))" --data-binary "@$E2E_WORK/part1.bin"
assert_eq "0-$((FIRST - 1))" "$(header Range)" "Range after the first PATCH"
LOCATION=$(absolute_url "$(header Location)")

step "restart with the same data root"
OLD_PORT=$BERTH_PORT
# shellcheck disable=SC2119 # no arguments: a clean stop
restart_berth
assert_eq "$OLD_PORT" "$BERTH_PORT" "port after the restart"

step "the upload session survived the restart"
expect_status 204 GET "$LOCATION"
assert_eq "0-$((FIRST - 1))" "$(header Range)" "Range of the upload status after the restart"
expect_status 202 PATCH "$LOCATION" -H 'Content-Type: application/octet-stream' \
    -H "Content-Range: $FIRST-$((BLOB_SIZE - 1))" --data-binary "@$E2E_WORK/part2.bin"
assert_eq "0-$((BLOB_SIZE - 1))" "$(header Range)" "Range after the second PATCH"
LOCATION=$(absolute_url "$(header Location)")
SEP='?'
[[ $LOCATION == *\?* ]] && SEP='&'
expect_status 201 PUT "$LOCATION${SEP}digest=$BLOB_DIGEST" -H 'Content-Length: 0'
assert_eq "$BLOB_DIGEST" "$(header Docker-Content-Digest)" "Docker-Content-Digest of the finished upload"
expect_status 200 GET "/v2/persist/uploads-test/blobs/$BLOB_DIGEST"
assert_files_equal "$BLOB" "$HTTP_BODY" "blob uploaded across the restart"

step "everything pushed before the restart is still there"
expect_status 200 GET /v2/_catalog
REPOS=$(jq -r '.repositories[]' "$HTTP_BODY")
assert_line_in "$REPOS" persist/app "catalog after the restart"
assert_line_in "$REPOS" persist/other "catalog after the restart"
expect_status 200 GET /v2/persist/app/tags/list
assert_eq 1.0 "$(jq -r '.tags | join(",")' "$HTTP_BODY")" "tags of persist/app after the restart"
run_to "$E2E_WORK/after.json" skopeo_ inspect --raw --tls-verify=false "docker://$REF"
assert_files_equal "$E2E_WORK/before.json" "$E2E_WORK/after.json" "manifest before and after the restart"
run skopeo_ inspect --tls-verify=false "docker://$REF"
assert_eq "$DIGEST" "$(jq -r .Digest <<<"$RUN_OUT")" "Digest in skopeo inspect after the restart"
remove_image_completely "$REF"
run docker pull "$REF"
assert_contains "$RUN_OUT" "Digest: $DIGEST" "docker pull after the restart"
assert_eq "$ID" "$(image_id "$REF")" "image ID pulled after the restart"
assert_eq "$WANT_SHA" "$(image_file_sha "$REF" /data/layer2.bin)" "content pulled after the restart"
run docker pull "$REF2"
assert_eq "$ID" "$(image_id "$REF2")" "image ID of persist/other pulled after the restart"

step "pushing still works after the restart"
build_image "berth-e2e-restart2:$E2E_RUN_ID" 16K
REF3="$REGISTRY/persist/app:2.0"
track_image "$REF3"
docker tag "berth-e2e-restart2:$E2E_RUN_ID" "$REF3"
run docker push "$REF3"
run skopeo_ list-tags --tls-verify=false "docker://$REGISTRY/persist/app"
TAGS=$(jq -r '.Tags[]' <<<"$RUN_OUT")
assert_line_in "$TAGS" 1.0 "tags after a push following the restart"
assert_line_in "$TAGS" 2.0 "tags after a push following the restart"
