#!/usr/bin/env bash
# docker push/pull against the registry: multi-segment and single-segment repository
# names, catalog and tag listing, pull round trip keeps the image ID and the file
# contents, a second push finds every layer already there, and a push of the same
# image to another repository mounts the layers instead of uploading them.
# shellcheck source=e2e/lib.sh
. "$(dirname "$0")/lib.sh"

require_docker
start_berth

step "build two test images"
build_image "berth-e2e-bb:$E2E_RUN_ID" 64K 1M 3M
BB_CTX=$BUILD_CONTEXT
build_image "berth-e2e-nginx:$E2E_RUN_ID" 512K 2M
NGINX_CTX=$BUILD_CONTEXT
BB_ID=$(image_id "berth-e2e-bb:$E2E_RUN_ID")
NGINX_ID=$(image_id "berth-e2e-nginx:$E2E_RUN_ID")
BB_LAYERS=$(docker image inspect -f '{{len .RootFS.Layers}}' "$BB_ID")
log "busybox test image $BB_ID with $BB_LAYERS layers; nginx test image $NGINX_ID"

BB_REF="$REGISTRY/library/busybox:1"
NGINX_REF="$REGISTRY/nginx:v1.0.0"
MIRROR_REF="$REGISTRY/mirror/busybox:1"
track_image "$BB_REF" "$NGINX_REF" "$MIRROR_REF"
docker tag "$BB_ID" "$BB_REF"
docker tag "$NGINX_ID" "$NGINX_REF"

step "docker push $BB_REF"
run docker push "$BB_REF"
assert_contains "$RUN_OUT" "1: digest: sha256:" "docker push output"
BB_DIGEST=$(grep -o 'digest: sha256:[0-9a-f]\{64\}' <<<"$RUN_OUT" | head -n1 | cut -d' ' -f2)
PUSHED=$(grep -c ': Pushed$' <<<"$RUN_OUT" || true)
assert_eq "$BB_LAYERS" "$PUSHED" "layers reported Pushed on the first push"

step "docker push $NGINX_REF (single-segment repository name)"
run docker push "$NGINX_REF"
assert_contains "$RUN_OUT" "v1.0.0: digest: sha256:" "docker push output"
# the busybox base layer is already in library/busybox: docker mounts it
assert_contains "$RUN_OUT" ": Mounted from library/busybox" "push of nginx sharing the base layer"
NGINX_DIGEST=$(grep -o 'digest: sha256:[0-9a-f]\{64\}' <<<"$RUN_OUT" | head -n1 | cut -d' ' -f2)

step "catalog and tag lists"
expect_status 200 GET /v2/_catalog
REPOS=$(jq -r '.repositories[]' "$HTTP_BODY")
assert_line_in "$REPOS" library/busybox "GET /v2/_catalog"
assert_line_in "$REPOS" nginx "GET /v2/_catalog"
expect_status 200 GET /v2/nginx/tags/list
assert_eq nginx "$(jq -r .name "$HTTP_BODY")" "name in /v2/nginx/tags/list"
assert_eq v1.0.0 "$(jq -r '.tags | join(",")' "$HTTP_BODY")" "tags in /v2/nginx/tags/list"
expect_status 200 GET /v2/library/busybox/tags/list
assert_eq library/busybox "$(jq -r .name "$HTTP_BODY")" "name in /v2/library/busybox/tags/list"
assert_eq 1 "$(jq -r '.tags | join(",")' "$HTTP_BODY")" "tags in /v2/library/busybox/tags/list"

step "the manifest the registry serves is the one docker pushed"
expect_status 200 GET /v2/library/busybox/manifests/1 \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json'
assert_eq "$BB_DIGEST" "sha256:$(sha256_of "$HTTP_BODY")" "digest of the manifest body"
assert_eq "$BB_DIGEST" "$(header Docker-Content-Digest)" "Docker-Content-Digest of GET manifest by tag"
assert_eq application/vnd.docker.distribution.manifest.v2+json "$(jq -r .mediaType "$HTTP_BODY")" "manifest mediaType"
assert_eq "$BB_ID" "$(jq -r .config.digest "$HTTP_BODY")" "config digest in the manifest = local image ID"
assert_eq "$BB_LAYERS" "$(jq '.layers | length' "$HTTP_BODY")" "layer count in the manifest"
expect_status 200 HEAD "/v2/nginx/manifests/$NGINX_DIGEST" \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json'
assert_eq "$NGINX_DIGEST" "$(header Docker-Content-Digest)" "Docker-Content-Digest of HEAD manifest by digest"

step "docker rmi, then docker pull gives the same image"
WANT_SHA=$(sha256_of "$BB_CTX/layer3.bin")
remove_image_completely "$BB_REF"
run docker pull "$BB_REF"
assert_contains "$RUN_OUT" "Digest: $BB_DIGEST" "docker pull output"
assert_eq "$BB_ID" "$(image_id "$BB_REF")" "image ID after pull"
assert_eq "$WANT_SHA" "$(image_file_sha "$BB_REF" /data/layer3.bin)" "content of /data/layer3.bin after pull"

remove_image_completely "$NGINX_REF"
run docker pull "$NGINX_REF"
assert_eq "$NGINX_ID" "$(image_id "$NGINX_REF")" "image ID of nginx after pull"
assert_eq "$(sha256_of "$NGINX_CTX/layer2.bin")" "$(image_file_sha "$NGINX_REF" /data/layer2.bin)" \
    "content of /data/layer2.bin after pull"
docker rmi "$NGINX_REF" >/dev/null
track_image "$REGISTRY/nginx@$NGINX_DIGEST"
run docker pull "$REGISTRY/nginx@$NGINX_DIGEST"
assert_eq "$NGINX_ID" "$(image_id "$REGISTRY/nginx@$NGINX_DIGEST")" "image ID after pull by digest"

step "a second push finds every layer already there"
run docker push "$BB_REF"
EXISTS=$(grep -c ': Layer already exists$' <<<"$RUN_OUT" || true)
assert_eq "$BB_LAYERS" "$EXISTS" "layers reported 'Layer already exists' on the second push"
assert_contains "$RUN_OUT" "1: digest: $BB_DIGEST" "digest of the second push"

step "a push to another repository mounts the layers"
docker tag "$BB_REF" "$MIRROR_REF"
run docker push "$MIRROR_REF"
# every layer is mounted; the base layer, shared with nginx, may be mounted from there
MOUNTED=$(grep -c ': Mounted from \(library/busybox\|nginx\)$' <<<"$RUN_OUT" || true)
assert_eq "$BB_LAYERS" "$MOUNTED" "layers reported 'Mounted from library/busybox' (or nginx)"
assert_not_contains "$RUN_OUT" ": Pushed" "push to the mirror repository"
assert_contains "$RUN_OUT" "1: digest: $BB_DIGEST" "digest of the mirror push"
expect_status 200 GET /v2/_catalog
assert_line_in "$(jq -r '.repositories[]' "$HTTP_BODY")" mirror/busybox "GET /v2/_catalog after the mirror push"
remove_image_completely "$MIRROR_REF"
run docker pull "$MIRROR_REF"
assert_eq "$BB_ID" "$(image_id "$MIRROR_REF")" "image ID pulled from the mirror repository"

step "an unknown tag is not found"
run_fails docker pull "$REGISTRY/library/busybox:no-such-tag"
assert_contains "$RUN_OUT" "not found" "docker pull of an unknown tag"
expect_status 404 GET /v2/library/busybox/manifests/no-such-tag
assert_eq MANIFEST_UNKNOWN "$(jq -r '.errors[0].code' "$HTTP_BODY")" "error code for an unknown tag"
