#!/usr/bin/env bash
# skopeo and a multi-architecture OCI image index: copy --all of a hand-made index of
# two images (linux/amd64 and linux/arm64/v8) into the registry, the registry serves
# the index, the manifests and the blobs byte for byte, copy --all back out gives the
# same blobs, list-tags, inspect (raw, per platform), docker pull picks amd64, and
# skopeo delete makes the index unknown (404).
# shellcheck source=e2e/lib.sh
. "$(dirname "$0")/lib.sh"

require_docker
require_skopeo
start_berth

OCI="$E2E_WORK/oci-src"
OUT="$E2E_WORK/oci-out"
REPO=multi/arch
REF="docker://$REGISTRY/$REPO"
MT_INDEX=application/vnd.oci.image.index.v1+json
MT_MANIFEST=application/vnd.oci.image.manifest.v1+json

blob_path() { echo "$1/blobs/sha256/${2#sha256:}"; } # LAYOUT DIGEST

# put_blob LAYOUT FILE: store FILE as a blob of the layout, print its digest
put_blob() {
    local d
    d="sha256:$(sha256_of "$2")"
    cp "$2" "$(blob_path "$1" "$d")"
    echo "$d"
}

# ref_digest LAYOUT REFNAME: digest that index.json names for the ref
ref_digest() {
    jq -r --arg r "$2" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $r) | .digest' \
        "$1/index.json"
}

step "build two images and copy them into an OCI layout"
build_image "berth-e2e-amd64:$E2E_RUN_ID" 64K 1M
build_image "berth-e2e-arm64:$E2E_RUN_ID" 128K 2M
run skopeo_ copy --dest-compress "docker-daemon:berth-e2e-amd64:$E2E_RUN_ID" "oci:$OCI:amd64"
run skopeo_ copy --dest-compress "docker-daemon:berth-e2e-arm64:$E2E_RUN_ID" "oci:$OCI:arm64-src"

step "make the second image an arm64 image and assemble an image index by hand"
ARM_SRC=$(ref_digest "$OCI" arm64-src)
ARM_CFG_SRC=$(jq -r .config.digest "$(blob_path "$OCI" "$ARM_SRC")")
jq -c '.architecture = "arm64" | .variant = "v8"' "$(blob_path "$OCI" "$ARM_CFG_SRC")" >"$E2E_WORK/arm-config.json"
ARM_CFG=$(put_blob "$OCI" "$E2E_WORK/arm-config.json")
jq -c --arg d "$ARM_CFG" --argjson s "$(stat -c %s "$E2E_WORK/arm-config.json")" \
    '.config.digest = $d | .config.size = $s' "$(blob_path "$OCI" "$ARM_SRC")" >"$E2E_WORK/arm-manifest.json"
ARM_MAN=$(put_blob "$OCI" "$E2E_WORK/arm-manifest.json")
ARM_SIZE=$(stat -c %s "$E2E_WORK/arm-manifest.json")
AMD_MAN=$(ref_digest "$OCI" amd64)
AMD_SIZE=$(stat -c %s "$(blob_path "$OCI" "$AMD_MAN")")
AMD_CFG=$(jq -r .config.digest "$(blob_path "$OCI" "$AMD_MAN")")
jq -n --arg mi "$MT_INDEX" --arg mm "$MT_MANIFEST" \
    --arg a "$AMD_MAN" --argjson asz "$AMD_SIZE" --arg r "$ARM_MAN" --argjson rsz "$ARM_SIZE" '{
  schemaVersion: 2,
  mediaType: $mi,
  manifests: [
    {mediaType: $mm, digest: $a, size: $asz, platform: {architecture: "amd64", os: "linux"}},
    {mediaType: $mm, digest: $r, size: $rsz, platform: {architecture: "arm64", os: "linux", variant: "v8"}}
  ],
  annotations: {"org.berth.e2e": "multi-arch"}
}' >"$E2E_WORK/index-blob.json"
INDEX=$(put_blob "$OCI" "$E2E_WORK/index-blob.json")
INDEX_SIZE=$(stat -c %s "$E2E_WORK/index-blob.json")
jq --arg mi "$MT_INDEX" --arg d "$INDEX" --argjson s "$INDEX_SIZE" \
    '.manifests += [{mediaType: $mi, digest: $d, size: $s, annotations: {"org.opencontainers.image.ref.name": "multi"}}]' \
    "$OCI/index.json" >"$E2E_WORK/index.json"
cp "$E2E_WORK/index.json" "$OCI/index.json"
log "index $INDEX: amd64 $AMD_MAN, arm64 $ARM_MAN"

# every digest reachable from the index: itself, both manifests, their configs and layers
ALL_DIGESTS=("$INDEX")
for m in "$AMD_MAN" "$ARM_MAN"; do
    ALL_DIGESTS+=("$m")
    mapfile -t -O "${#ALL_DIGESTS[@]}" ALL_DIGESTS < <(jq -r '.config.digest, .layers[].digest' "$(blob_path "$OCI" "$m")")
done
log "the index reaches ${#ALL_DIGESTS[@]} digests (shared base layer counted twice)"

step "skopeo copy --all into the registry"
run skopeo_ copy --all --preserve-digests --dest-tls-verify=false "oci:$OCI:multi" "$REF:1"

step "the registry serves the index, the manifests and the blobs unchanged"
expect_status 200 GET "/v2/$REPO/manifests/1" -H "Accept: $MT_INDEX"
assert_files_equal "$OCI/blobs/sha256/${INDEX#sha256:}" "$HTTP_BODY" "index served for tag 1"
assert_eq "$INDEX" "$(header Docker-Content-Digest)" "Docker-Content-Digest of the index"
assert_eq "$MT_INDEX" "$(header Content-Type)" "Content-Type of the index"
for m in "$AMD_MAN" "$ARM_MAN"; do
    expect_status 200 GET "/v2/$REPO/manifests/$m" -H "Accept: $MT_MANIFEST"
    assert_files_equal "$(blob_path "$OCI" "$m")" "$HTTP_BODY" "manifest $m"
    assert_eq "$MT_MANIFEST" "$(header Content-Type)" "Content-Type of manifest $m"
done
for d in "${ALL_DIGESTS[@]:1}"; do
    case $d in "$AMD_MAN" | "$ARM_MAN") continue ;; esac
    expect_status 200 GET "/v2/$REPO/blobs/$d"
    assert_files_equal "$(blob_path "$OCI" "$d")" "$HTTP_BODY" "blob $d"
done

step "skopeo inspect"
run_to "$E2E_WORK/inspect-raw.json" skopeo_ inspect --raw --tls-verify=false "$REF:1"
assert_files_equal "$OCI/blobs/sha256/${INDEX#sha256:}" "$E2E_WORK/inspect-raw.json" "skopeo inspect --raw of tag 1"
run skopeo_ --override-arch amd64 --override-os linux inspect --tls-verify=false "$REF:1"
assert_eq amd64 "$(jq -r .Architecture <<<"$RUN_OUT")" "Architecture of the linux/amd64 instance"
assert_eq "$REGISTRY/$REPO" "$(jq -r .Name <<<"$RUN_OUT")" "Name in skopeo inspect"
assert_eq 3 "$(jq '.Layers | length' <<<"$RUN_OUT")" "layers of the linux/amd64 instance"
run skopeo_ --override-arch arm64 --override-os linux --override-variant v8 inspect --tls-verify=false "$REF:1"
assert_eq arm64 "$(jq -r .Architecture <<<"$RUN_OUT")" "Architecture of the linux/arm64 instance"
run_to "$E2E_WORK/inspect-arm.json" skopeo_ inspect --raw --tls-verify=false "$REF@$ARM_MAN"
assert_files_equal "$(blob_path "$OCI" "$ARM_MAN")" "$E2E_WORK/inspect-arm.json" "skopeo inspect --raw of the arm64 manifest"
run skopeo_ inspect --config --raw --tls-verify=false "$REF@$ARM_MAN"
assert_eq arm64 "$(jq -r .architecture <<<"$RUN_OUT")" "architecture in the arm64 config"

step "skopeo copy --all back out of the registry"
run skopeo_ copy --all --preserve-digests --src-tls-verify=false "$REF:1" "oci:$OUT:copy"
assert_eq "$INDEX" "$(ref_digest "$OUT" copy)" "digest of the index copied back"
for d in "${ALL_DIGESTS[@]}"; do
    [[ -f $(blob_path "$OUT" "$d") ]] || fail "blob $d is missing from the copy"
    assert_files_equal "$(blob_path "$OCI" "$d")" "$(blob_path "$OUT" "$d")" "blob $d copied back"
done
log "all ${#ALL_DIGESTS[@]} blobs are byte-for-byte equal"

step "docker pull of the multi-arch tag picks linux/amd64"
track_image "$REGISTRY/$REPO:1"
run docker pull "$REGISTRY/$REPO:1"
assert_contains "$RUN_OUT" "Digest: $INDEX" "docker pull output"
assert_eq "$AMD_CFG" "$(image_id "$REGISTRY/$REPO:1")" "image ID pulled from the index"

step "a second tag, skopeo list-tags"
run skopeo_ copy --dest-tls-verify=false "oci:$OCI:amd64" "$REF:amd64-only"
run skopeo_ list-tags --tls-verify=false "$REF"
TAGS=$(jq -r '.Tags[]' <<<"$RUN_OUT")
assert_line_in "$TAGS" 1 "skopeo list-tags"
assert_line_in "$TAGS" amd64-only "skopeo list-tags"
assert_eq "$REGISTRY/$REPO" "$(jq -r .Repository <<<"$RUN_OUT")" "Repository in skopeo list-tags"

step "skopeo delete removes the index"
run skopeo_ delete --tls-verify=false "$REF:1"
expect_status 404 GET "/v2/$REPO/manifests/$INDEX" -H "Accept: $MT_INDEX"
assert_eq MANIFEST_UNKNOWN "$(jq -r '.errors[0].code' "$HTTP_BODY")" "error code for the deleted index"
expect_status 404 HEAD "/v2/$REPO/manifests/$INDEX" -H "Accept: $MT_INDEX"
expect_status 404 GET "/v2/$REPO/manifests/1" -H "Accept: $MT_INDEX"
run_fails skopeo_ inspect --raw --tls-verify=false "$REF:1"
run_fails skopeo_ inspect --raw --tls-verify=false "$REF@$INDEX"
run skopeo_ list-tags --tls-verify=false "$REF"
TAGS=$(jq -r '.Tags[]' <<<"$RUN_OUT")
assert_line_not_in "$TAGS" 1 "skopeo list-tags after the delete"
assert_line_in "$TAGS" amd64-only "skopeo list-tags after the delete"
# deleting the index does not delete the manifests it listed
expect_status 200 GET "/v2/$REPO/manifests/$ARM_MAN" -H "Accept: $MT_MANIFEST"
run skopeo_ inspect --raw --tls-verify=false "$REF:amd64-only"
