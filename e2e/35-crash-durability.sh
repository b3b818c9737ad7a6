#!/usr/bin/env bash
# A crash right after a push loses nothing that the registry acknowledged: docker push
# and a blob upload (POST, then PUT with the bytes), then SIGKILL at once (no shutdown hooks, no grace
# period), start again on the same data root, and everything is there.
# shellcheck source=e2e/lib.sh
. "$(dirname "$0")/lib.sh"

require_docker
require_restartable
start_berth

step "push, then crash at once"
build_image "berth-e2e-crash:$E2E_RUN_ID" 32K 1M
ID=$(image_id "berth-e2e-crash:$E2E_RUN_ID")
REF="$REGISTRY/durable/app:1"
track_image "$REF"
docker tag "$ID" "$REF"
BLOB="$E2E_WORK/blob.bin"
head -c 100000 /dev/urandom >"$BLOB"
BLOB_DIGEST="sha256:$(sha256_of "$BLOB")"

run docker push "$REF"
DIGEST=$(grep -o 'digest: sha256:[0-9a-f]\{64\}' <<<"$RUN_OUT" | head -n1 | cut -d' ' -f2)
expect_status 202 POST /v2/durable/blobs/blobs/uploads/ -H 'Content-Length: 0'
LOCATION=$(absolute_url "$(header Location)")
SEP='?'
[[ $LOCATION == *\?* ]] && SEP='&'
expect_status 201 PUT "$LOCATION${SEP}digest=$BLOB_DIGEST" \
    -H 'Content-Type: application/octet-stream' --data-binary "@$BLOB"
restart_berth --kill

step "everything acknowledged before the crash is there"
expect_status 200 GET /v2/durable/app/manifests/1 -H 'Accept: application/vnd.docker.distribution.manifest.v2+json'
assert_eq "$DIGEST" "$(header Docker-Content-Digest)" "digest of tag 1 after the crash"
expect_status 200 GET /v2/durable/app/tags/list
assert_line_in "$(jq -r '.tags[]' "$HTTP_BODY")" 1 "tags of durable/app after the crash"
expect_status 200 GET "/v2/durable/blobs/blobs/$BLOB_DIGEST"
assert_files_equal "$BLOB" "$HTTP_BODY" "blob uploaded just before the crash"
remove_image_completely "$REF"
run docker pull "$REF"
assert_eq "$ID" "$(image_id "$REF")" "image ID pulled after the crash"
