#!/usr/bin/env bash
# An image with a 200 MiB layer of random (incompressible) bytes: docker push, the
# blob served by GET has the digest and size the manifest names, docker rmi + pull
# gives the same image and the same file.
# shellcheck source=e2e/lib.sh
. "$(dirname "$0")/lib.sh"

require_docker
start_berth

SIZE=$((200 * 1024 * 1024))
step "build an image with a 200 MiB random layer"
build_image "berth-e2e-big:$E2E_RUN_ID" 16K "$SIZE"
CTX=$BUILD_CONTEXT
WANT_SHA=$(sha256_of "$CTX/layer2.bin")
ID=$(image_id "berth-e2e-big:$E2E_RUN_ID")
REF="$REGISTRY/big/random:200m"
track_image "$REF"
docker tag "$ID" "$REF"

step "docker push $REF"
T0=$SECONDS
run docker push "$REF"
log "push took $((SECONDS - T0))s"
DIGEST=$(grep -o 'digest: sha256:[0-9a-f]\{64\}' <<<"$RUN_OUT" | head -n1 | cut -d' ' -f2)
[[ -n $DIGEST ]] || fail "docker push printed no digest"

step "the big blob as the registry stores it"
expect_status 200 GET "/v2/big/random/manifests/$DIGEST" \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json'
cp "$HTTP_BODY" "$E2E_WORK/manifest.json"
BIG_DIGEST=$(jq -r '.layers | max_by(.size) | .digest' "$E2E_WORK/manifest.json")
BIG_SIZE=$(jq -r '.layers | max_by(.size) | .size' "$E2E_WORK/manifest.json")
((BIG_SIZE > SIZE)) || fail "largest layer in the manifest is only $BIG_SIZE bytes"
expect_status 200 HEAD "/v2/big/random/blobs/$BIG_DIGEST"
assert_eq "$BIG_SIZE" "$(header Content-Length)" "Content-Length of HEAD on the big blob"
curl -sSf --max-time 300 -o "$E2E_WORK/big.blob" "$REGISTRY_URL/v2/big/random/blobs/$BIG_DIGEST" ||
    fail "GET of the big blob failed"
assert_eq "$BIG_SIZE" "$(stat -c %s "$E2E_WORK/big.blob")" "size of the big blob fetched with GET"
assert_eq "$BIG_DIGEST" "sha256:$(sha256_of "$E2E_WORK/big.blob")" "digest of the big blob fetched with GET"
# the layer is gzip of a tar holding the random file
tar -xzf "$E2E_WORK/big.blob" -C "$E2E_WORK" data/layer2.bin || fail "the big blob is not the gzip'd tar of the layer"
assert_files_equal "$CTX/layer2.bin" "$E2E_WORK/data/layer2.bin" "random file inside the big blob"
rm -f "$E2E_WORK/big.blob" "$E2E_WORK/data/layer2.bin"

step "a GET cut short by the client is counted, not logged as a server error"
hangups() { curl -sS "$REGISTRY_URL/metrics" | awk '/^berth_client_hangups_total\{.*blobs\/\{digest\}/ { n += $NF } END { print n + 0 }'; }
BEFORE=$(hangups)
SEVERE_BEFORE=$(grep -c SEVERE "$REGISTRY_LOG" || true)
# head takes 1 MiB and exits; curl then fails writing and drops the connection mid-blob
curl -sS --max-time 60 "$REGISTRY_URL/v2/big/random/blobs/$BIG_DIGEST" 2>/dev/null | head -c 1048576 >/dev/null || true
for _ in $(seq 1 60); do (($(hangups) > BEFORE)) && break; sleep 0.5; done
(($(hangups) > BEFORE)) || fail "berth_client_hangups_total did not count the GET cut short ($BEFORE before)"
assert_eq "$SEVERE_BEFORE" "$(grep -c SEVERE "$REGISTRY_LOG" || true)" "SEVERE lines in the registry log after a client hung up"

step "docker rmi, then docker pull"
remove_image_completely "$REF"
T0=$SECONDS
run docker pull "$REF"
log "pull took $((SECONDS - T0))s"
assert_contains "$RUN_OUT" "Digest: $DIGEST" "docker pull output"
assert_eq "$ID" "$(image_id "$REF")" "image ID after pull"
assert_eq "$WANT_SHA" "$(image_file_sha "$REF" /data/layer2.bin)" "sha256 of the 200 MiB file after pull"
