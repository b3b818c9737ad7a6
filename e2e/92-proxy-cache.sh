#!/usr/bin/env bash
# Pull-through proxy cache (issue 20) with the docker CLI and skopeo, against real upstreams on
# 127.0.0.1: Debian's docker-registry (CNCF Distribution 2.8.2) with htpasswd Basic auth behind an
# nginx that can answer 429 for everything, and a second Berth (Docker's Bearer token flow) with a
# private project. The Berth under test gets registry endpoints for both (the API never returns
# their passwords, nor does its log show them; "test connection" works and names a refused
# password) and proxy projects of them (tag TTL 5 s). Proves: docker pull of a single-arch image
# and of a multi-arch index (skopeo copy --all, byte-for-byte; docker picks linux/amd64) through the
# proxy, and of an image in the second Berth's private project (credentials of a member); a push
# into a proxy project is refused with the message saying it is a proxy cache; a tag moved
# upstream is served with its old digest within the TTL and its new one after it; with nginx
# answering 429 (Retry-After) a cached image still pulls (Warning: 110, berth_proxy_stale_total),
# Berth asks the upstream nothing until Retry-After has passed, the endpoint's status says
# rate_limited, and an image never cached fails with docker printing why; with the upstreams
# stopped, docker rmi + docker pull succeed with the same image ID.
# Needs docker, skopeo, nginx and docker-registry (apt-get install docker-registry nginx-light).
# Shares the Berth of the other scenarios (its names end in this run's pid); the second Berth is
# its own (-Xmx256m, loopback only), started first so that it boots while Distribution is filled.
# shellcheck source=e2e/lib.sh
. "$(dirname "$0")/lib.sh"

require_docker
require_skopeo
[[ $E2E_TARGET == berth ]] || fail "this scenario tests Berth's proxy cache (E2E_TARGET=berth)"
command -v docker-registry >/dev/null || fail "needs Debian's docker-registry (apt-get install docker-registry)"
command -v nginx >/dev/null || fail "needs nginx (apt-get install nginx-light or nginx)"

TTL=5           # tag_ttl_seconds of the proxy project of Distribution
RETRY_AFTER=10  # what nginx's 429 asks for
DIST_USER=e2e-puller
DIST_PASSWORD=Upstream-e2e-pass1
# bcrypt of DIST_PASSWORD, the only hash Distribution's htpasswd accepts; cost 5 because Distribution
# checks it on every request. Made once with Python's crypt (no htpasswd on the machine needed):
#   python3 -c "import crypt; print(crypt.crypt('Upstream-e2e-pass1', crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=32)))"
# shellcheck disable=SC2016 # a literal hash
DIST_HASH='$2b$05$dXw2t6AVZUcTlAdBQUqZq.jp0FbecvHJT8KX4w4pxUFJbtZFgIPn.'
MEMBER=e2e-member
MEMBER_PASSWORD=Member-e2e-12345
# names in the (possibly shared) Berth: this run's own
R_DIST="e2e-dist-$$" R_BAD="e2e-distbad-$$" R_BERTH="e2e-berth-$$" R_ANON="e2e-berthanon-$$"
P_DIST="e2e-pxd-$$" P_BERTH="e2e-pxb-$$" P_ANON="e2e-pxa-$$"
MT_DOCKER=application/vnd.docker.distribution.manifest.v2+json
MT_INDEX=application/vnd.oci.image.index.v1+json
MT_MANIFEST=application/vnd.oci.image.manifest.v1+json
ACCEPT="Accept: $MT_DOCKER, $MT_MANIFEST, application/vnd.docker.distribution.manifest.list.v2+json, $MT_INDEX"

api() { # METHOD PATH JSON EXPECTED_STATUS
    expect_status "$4" "$1" "$2" -H 'Content-Type: application/json' -d "$3"
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
sleep_until_ms() { # EPOCH_MS
    local left=$(($1 - $(now_ms)))
    ((left <= 0)) || sleep "$(awk -v ms="$left" 'BEGIN { printf "%.3f", ms / 1000 }')"
}

# ---------------------------------------------------------------- the second Berth (Bearer tokens)

UP_PORT=$(free_port)
UP_HOME="$E2E_WORK/upstream-berth"
UP_URL="http://127.0.0.1:$UP_PORT"
UP_LOG="$E2E_LOG_DIR/${E2E_NAME}.upstream.registry.log"
UP_PID=
: >"$UP_LOG"
show_on_failure "$UP_LOG"

launch_upstream_berth() {
    log "starting the upstream Berth on $UP_URL (log: $UP_LOG)"
    launch_other_berth UP_PID "$UP_HOME" "$UP_PORT" "$UP_LOG"
    at_exit stop_upstream_berth
}

stop_upstream_berth() {
    [[ -n $UP_PID ]] || return 0
    log "stopping the upstream Berth (pid $UP_PID)"
    stop_other_berth "$UP_PID"
    UP_PID=
}

step "the upstream Berth (Bearer tokens) boots in the background"
launch_upstream_berth

# ---------------------------------------------------------------- Distribution behind nginx

DIST_PORT=$(free_port)
NGINX_PORT=$(free_port)
[[ $NGINX_PORT != "$DIST_PORT" && $NGINX_PORT != "$UP_PORT" ]] || NGINX_PORT=$(free_port)
DIST="127.0.0.1:$DIST_PORT"
DIST_PID=
DIST_LOG="$E2E_WORK/distribution.log"
show_on_failure "$DIST_LOG"
NG="$E2E_WORK/nginx"
RATE_LIMITED_FLAG="$NG/rate-limited" # while it exists nginx answers 429 to everything
mkdir -p "$NG"
# nginx's workers (nobody) test the flag file: they must reach it inside the private temp dir
chmod o+x "$E2E_WORK" "$NG"

step "Distribution ($(docker-registry --version | awk '{ print $3 }')) with htpasswd Basic auth on $DIST"
echo "$DIST_USER:$DIST_HASH" >"$E2E_WORK/htpasswd"
launch_other_distribution DIST_PID "$E2E_WORK/dist" "$DIST" "$DIST_LOG" "auth:
  htpasswd:
    realm: berth-e2e-upstream
    path: $E2E_WORK/htpasswd"
for _ in $(seq 1 40); do port_in_use "$DIST_PORT" && break; sleep 0.25; done
expect_status 401 GET "http://$DIST/v2/" -u "$DIST_USER:wrong"
assert_contains "$(header WWW-Authenticate)" "Basic realm=" "Distribution's challenge"
expect_status 200 GET "http://$DIST/v2/" -u "$DIST_USER:$DIST_PASSWORD"

step "nginx on 127.0.0.1:$NGINX_PORT in front of Distribution (429 for everything while $RATE_LIMITED_FLAG exists)"
cat >"$NG/site.conf" <<EOF
server {
    listen 127.0.0.1:$NGINX_PORT;
    client_max_body_size 0;
    default_type application/json;
    location / {
        if (-f $RATE_LIMITED_FLAG) {
            add_header Retry-After $RETRY_AFTER always;
            return 429 '{"errors":[{"code":"TOOMANYREQUESTS","message":"e2e: rate limited by nginx"}]}\n';
        }
        proxy_pass http://$DIST;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host \$http_host;
        proxy_request_buffering off;
        proxy_buffering off;
    }
}
EOF
# shellcheck disable=SC2016 # nginx's variables
start_nginx "$NG" "$NG/site.conf" '$msec $request_method $uri $status'
expect_status 200 GET "http://127.0.0.1:$NGINX_PORT/v2/" -u "$DIST_USER:$DIST_PASSWORD"
touch "$RATE_LIMITED_FLAG"
expect_status 429 GET "http://127.0.0.1:$NGINX_PORT/v2/"
assert_eq "$RETRY_AFTER" "$(header Retry-After)" "Retry-After of nginx's 429"
rm -f "$RATE_LIMITED_FLAG"

# ---------------------------------------------------------------- filling the upstreams

step "images, pushed to Distribution by docker"
build_image "berth-e2e-proxy-s:$E2E_RUN_ID" 64K 512K
S_ID=$(image_id "berth-e2e-proxy-s:$E2E_RUN_ID")
build_image "berth-e2e-proxy-n:$E2E_RUN_ID" 32K 256K
N_ID=$(image_id "berth-e2e-proxy-n:$E2E_RUN_ID")
build_image "berth-e2e-proxy-p:$E2E_RUN_ID" 16K 128K
P_ID=$(image_id "berth-e2e-proxy-p:$E2E_RUN_ID")
at_exit "docker logout '$DIST' >/dev/null 2>&1 || true"
run docker login "$DIST" -u "$DIST_USER" --password-stdin <<<"$DIST_PASSWORD"
# push_to_dist IMAGE REPO:TAG: docker push to Distribution; the manifest digest in PUSHED
push_to_dist() {
    track_image "$DIST/$2"
    docker tag "$1" "$DIST/$2"
    run docker push "$DIST/$2"
    PUSHED=$(pushed_digest)
}
push_to_dist "$S_ID" e2e/small:1
S_DIGEST=$PUSHED
push_to_dist "$S_ID" e2e/ttl:moving
push_to_dist "$N_ID" e2e/ttl:next
N_DIGEST=$PUSHED
push_to_dist "$N_ID" e2e/uncached:1
run docker logout "$DIST"

step "a multi-arch index (linux/amd64 = the first image, linux/arm64/v8) copied to Distribution by skopeo"
OCI="$E2E_WORK/oci-src"
blob_path() { echo "$1/blobs/sha256/${2#sha256:}"; } # LAYOUT DIGEST
put_blob() { # LAYOUT FILE: store FILE as a blob of the layout, print its digest
    local d
    d="sha256:$(sha256_of "$2")"
    cp "$2" "$(blob_path "$1" "$d")"
    echo "$d"
}
ref_digest() { # LAYOUT REFNAME
    jq -r --arg r "$2" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $r) | .digest' "$1/index.json"
}
run skopeo_ copy --dest-compress "docker-daemon:berth-e2e-proxy-s:$E2E_RUN_ID" "oci:$OCI:amd64"
run skopeo_ copy --dest-compress "docker-daemon:berth-e2e-proxy-n:$E2E_RUN_ID" "oci:$OCI:arm64-src"
ARM_SRC=$(ref_digest "$OCI" arm64-src)
ARM_CFG_SRC=$(jq -r .config.digest "$(blob_path "$OCI" "$ARM_SRC")")
jq -c '.architecture = "arm64" | .variant = "v8"' "$(blob_path "$OCI" "$ARM_CFG_SRC")" >"$E2E_WORK/arm-config.json"
ARM_CFG=$(put_blob "$OCI" "$E2E_WORK/arm-config.json")
jq -c --arg d "$ARM_CFG" --argjson s "$(stat -c %s "$E2E_WORK/arm-config.json")" \
    '.config.digest = $d | .config.size = $s' "$(blob_path "$OCI" "$ARM_SRC")" >"$E2E_WORK/arm-manifest.json"
ARM_MAN=$(put_blob "$OCI" "$E2E_WORK/arm-manifest.json")
AMD_MAN=$(ref_digest "$OCI" amd64)
# skopeo rewrites docker's config as an OCI one: the amd64 image's ID is its new config's digest
AMD_ID=$(jq -r .config.digest "$(blob_path "$OCI" "$AMD_MAN")")
jq -n --arg mi "$MT_INDEX" --arg mm "$MT_MANIFEST" \
    --arg a "$AMD_MAN" --argjson asz "$(stat -c %s "$(blob_path "$OCI" "$AMD_MAN")")" \
    --arg r "$ARM_MAN" --argjson rsz "$(stat -c %s "$E2E_WORK/arm-manifest.json")" '{
  schemaVersion: 2, mediaType: $mi,
  manifests: [
    {mediaType: $mm, digest: $a, size: $asz, platform: {architecture: "amd64", os: "linux"}},
    {mediaType: $mm, digest: $r, size: $rsz, platform: {architecture: "arm64", os: "linux", variant: "v8"}}
  ]
}' >"$E2E_WORK/index-blob.json"
INDEX=$(put_blob "$OCI" "$E2E_WORK/index-blob.json")
jq --arg mi "$MT_INDEX" --arg d "$INDEX" --argjson s "$(stat -c %s "$E2E_WORK/index-blob.json")" \
    '.manifests += [{mediaType: $mi, digest: $d, size: $s, annotations: {"org.opencontainers.image.ref.name": "multi"}}]' \
    "$OCI/index.json" >"$E2E_WORK/index.json"
cp "$E2E_WORK/index.json" "$OCI/index.json"
ALL_DIGESTS=("$INDEX")
for m in "$AMD_MAN" "$ARM_MAN"; do
    ALL_DIGESTS+=("$m")
    mapfile -t -O "${#ALL_DIGESTS[@]}" ALL_DIGESTS < <(jq -r '.config.digest, .layers[].digest' "$(blob_path "$OCI" "$m")")
done
run skopeo_ copy --all --preserve-digests --dest-tls-verify=false --dest-creds "$DIST_USER:$DIST_PASSWORD" \
    "oci:$OCI:multi" "docker://$DIST/e2e/multi:1"

# ---------------------------------------------------------------- the Berth under test

start_berth
PX="$REGISTRY/$P_DIST"

step "registry endpoints: the API never returns a password, and 'test connection' works"
api POST /api/v1/registries "{\"name\":\"$R_DIST\",\"url\":\"http://127.0.0.1:$NGINX_PORT\",\"username\":\"$DIST_USER\",\"password\":\"$DIST_PASSWORD\",\"verify_tls\":true}" 201
assert_not_contains "$(cat "$HTTP_BODY")" "$DIST_PASSWORD" "answer to POST /api/v1/registries"
api POST /api/v1/registries "{\"name\":\"$R_BAD\",\"url\":\"http://127.0.0.1:$NGINX_PORT\",\"username\":\"$DIST_USER\",\"password\":\"not-$DIST_PASSWORD\"}" 201
expect_status 200 GET "/api/v1/registries/$R_DIST"
assert_eq "$R_DIST|http://127.0.0.1:$NGINX_PORT|$DIST_USER|true|null" \
    "$(jq -r '[.name, .url, .username, .has_password, .password] | map(tostring) | join("|")' "$HTTP_BODY")" \
    "GET /api/v1/registries/$R_DIST (name, url, username, has_password, password)"
assert_not_contains "$(cat "$HTTP_BODY")" "$DIST_PASSWORD" "GET /api/v1/registries/$R_DIST"
expect_status 200 GET "/api/v1/registries"
assert_not_contains "$(cat "$HTTP_BODY")" "$DIST_PASSWORD" "GET /api/v1/registries"
expect_status 200 POST "/api/v1/registries/$R_DIST/ping"
assert_eq true "$(jq -r .ok "$HTTP_BODY")" "ping of $R_DIST: $(cat "$HTTP_BODY")"
expect_status 200 POST "/api/v1/registries/$R_BAD/ping"
assert_eq "false|auth" "$(jq -r '[.ok, .reason] | map(tostring) | join("|")' "$HTTP_BODY")" "ping of $R_BAD (wrong password): $(cat "$HTTP_BODY")"
assert_not_contains "$(cat "$HTTP_BODY")" "$DIST_PASSWORD" "ping answer"

step "a proxy project of Distribution, tag TTL $TTL s"
api POST /api/v1/projects "{\"name\":\"$P_DIST\",\"public\":true,\"registry\":\"$R_DIST\",\"tag_ttl_seconds\":$TTL}" 201
expect_status 200 GET "/api/v1/projects/$P_DIST"
assert_eq "$R_DIST|http://127.0.0.1:$NGINX_PORT|$TTL" \
    "$(jq -r '[.registry, .registry_url, .tag_ttl_seconds] | map(tostring) | join("|")' "$HTTP_BODY")" \
    "GET /api/v1/projects/$P_DIST (registry, registry_url, tag_ttl_seconds)"

step "docker pull of a single-arch image through the proxy"
remove_image_completely "$S_ID"
track_image "$PX/e2e/small:1"
run docker pull "$PX/e2e/small:1"
assert_contains "$RUN_OUT" "Digest: $S_DIGEST" "docker pull through the proxy"
assert_eq "$S_ID" "$(image_id "$PX/e2e/small:1")" "image ID pulled through the proxy"

step "the multi-arch index through the proxy: skopeo copy --all byte-for-byte, docker pull picks linux/amd64"
OUT="$E2E_WORK/oci-out"
run skopeo_ copy --all --preserve-digests --src-tls-verify=false "docker://$PX/e2e/multi:1" "oci:$OUT:copy"
assert_eq "$INDEX" "$(ref_digest "$OUT" copy)" "digest of the index copied through the proxy"
for d in "${ALL_DIGESTS[@]}"; do
    [[ -f $(blob_path "$OUT" "$d") ]] || fail "blob $d is missing from the copy through the proxy"
    assert_files_equal "$(blob_path "$OCI" "$d")" "$(blob_path "$OUT" "$d")" "blob $d copied through the proxy"
done
track_image "$PX/e2e/multi:1"
run docker pull "$PX/e2e/multi:1"
assert_contains "$RUN_OUT" "Digest: $INDEX" "docker pull of the index through the proxy"
assert_eq "$AMD_ID" "$(image_id "$PX/e2e/multi:1")" "image ID pulled from the index through the proxy (linux/amd64)"

step "a push into the proxy project is refused, saying it is a proxy cache"
track_image "$PX/e2e/pushed:1"
docker tag "$S_ID" "$PX/e2e/pushed:1"
run_fails docker push "$PX/e2e/pushed:1"
assert_contains "$RUN_OUT" "is a proxy cache" "docker push into the proxy project"
expect_status 403 POST "/v2/$P_DIST/e2e/pushed/blobs/uploads/"
assert_eq DENIED "$(jq -r '.errors[0].code' "$HTTP_BODY")" "error code of a blob upload into the proxy project"
assert_contains "$(jq -r '.errors[0].message' "$HTTP_BODY")" \
    "project '$P_DIST' is a proxy cache of registry '$R_DIST' and cannot be pushed to" "DENIED message"

step "a tag moved upstream: its old digest within the TTL ($TTL s), the new one after it"
# the proxy's first GET of the tag caches it and starts its TTL
T0=$(now_ms)
expect_status 200 GET "/v2/$P_DIST/e2e/ttl/manifests/moving" -H "$ACCEPT"
assert_eq "$S_DIGEST" "$(header Docker-Content-Digest)" "digest of e2e/ttl:moving through the proxy"
# move the tag upstream: the manifest of :next PUT as :moving (its blobs are in the repository)
expect_status 200 GET "http://$DIST/v2/e2e/ttl/manifests/next" -u "$DIST_USER:$DIST_PASSWORD" -H "Accept: $MT_DOCKER"
cp "$HTTP_BODY" "$E2E_WORK/next.json"
expect_status 201 PUT "http://$DIST/v2/e2e/ttl/manifests/moving" -u "$DIST_USER:$DIST_PASSWORD" \
    -H "Content-Type: $MT_DOCKER" --data-binary "@$E2E_WORK/next.json"
assert_eq "$N_DIGEST" "$(header Docker-Content-Digest)" "digest of e2e/ttl:moving upstream after the move"
track_image "$PX/e2e/ttl:moving"
run docker pull "$PX/e2e/ttl:moving"
expect_status 200 GET "/v2/$P_DIST/e2e/ttl/manifests/moving" -H "$ACCEPT"
WITHIN_MS=$(($(now_ms) - T0))
((WITHIN_MS < TTL * 1000)) || fail "the machine took ${WITHIN_MS} ms for the steps within the TTL of $TTL s: the check proves nothing"
assert_eq "$S_DIGEST" "$(header Docker-Content-Digest)" "digest of e2e/ttl:moving through the proxy ${WITHIN_MS} ms after it was cached"
assert_eq "" "$(header Warning)" "Warning header of a fresh cached manifest"
assert_eq "$S_ID" "$(image_id "$PX/e2e/ttl:moving")" "image ID of e2e/ttl:moving pulled within the TTL"
sleep_until_ms $((T0 + (TTL + 1) * 1000))
expect_status 200 GET "/v2/$P_DIST/e2e/ttl/manifests/moving" -H "$ACCEPT"
assert_eq "$N_DIGEST" "$(header Docker-Content-Digest)" "digest of e2e/ttl:moving through the proxy after the TTL"
remove_image_completely "$N_ID"
run docker pull "$PX/e2e/ttl:moving"
assert_contains "$RUN_OUT" "Digest: $N_DIGEST" "docker pull of e2e/ttl:moving after the TTL"
assert_eq "$N_ID" "$(image_id "$PX/e2e/ttl:moving")" "image ID of e2e/ttl:moving pulled after the TTL"

# stale_total [REASON]: berth_proxy_stale_total (of REASON, or of all reasons) in /metrics
stale_total() {
    curl -sS "$REGISTRY_URL/metrics" | awk -v r="${1:-}" '
        /^berth_proxy_stale_total[{ ]/ && (r == "" || index($0, "reason=\"" r "\"") > 0) { n += $NF }
        END { print n + 0 }'
}
# upstream_hits: requests nginx saw (every one of them, 429s included)
upstream_hits() { wc -l <"$NG/access.log"; }

step "nginx answers 429 (Retry-After: $RETRY_AFTER): an image never cached fails with docker saying why"
STALE_BEFORE=$(stale_total)
RATE_LIMITED_BEFORE=$(stale_total rate_limited)
touch "$RATE_LIMITED_FLAG"
T429_BEFORE=$(now_ms)
run_fails docker pull "$PX/e2e/uncached:1"
T429_AFTER=$(now_ms)
# docker prints the error's code (toomanyrequests: a 4xx body is shown) and Berth's message
if ! grep -qiE 'toomanyrequests|429' <<<"$RUN_OUT" || ! grep -qi 'upstream' <<<"$RUN_OUT"; then
    fail "docker's error for an image never cached while the upstream answers 429 does not say that the upstream refused:
$RUN_OUT"
fi
HITS_429=$(upstream_hits)
(($(awk '$4 == 429' "$NG/access.log" | wc -l) >= 1)) || fail "nginx answered no 429: $(tail -n 5 "$NG/access.log")"
expect_status 200 GET "/api/v1/registries/$R_DIST"
assert_eq rate_limited "$(jq -r .status.state "$HTTP_BODY")" "status of $R_DIST after a 429: $(jq -c .status "$HTTP_BODY")"

step "while the upstream answers 429, the cached image still pulls (stale, Warning: 110)"
remove_image_completely "$PX/e2e/small:1"
run docker pull "$PX/e2e/small:1"
assert_eq "$S_ID" "$(image_id "$PX/e2e/small:1")" "image ID pulled while the upstream answers 429"
expect_status 200 HEAD "/v2/$P_DIST/e2e/small/manifests/1" -H "$ACCEPT"
assert_eq "$S_DIGEST" "$(header Docker-Content-Digest)" "digest of a stale manifest"
assert_contains "$(header Warning)" '110' "Warning header of a manifest served stale"
assert_contains "$(header Warning)" 'Response is Stale' "Warning header of a manifest served stale"
(($(stale_total rate_limited) > RATE_LIMITED_BEFORE)) ||
    fail "berth_proxy_stale_total{reason=\"rate_limited\"} did not grow: $(curl -sS "$REGISTRY_URL/metrics" | grep '^berth_proxy_')"
if (($(now_ms) - T429_BEFORE < (RETRY_AFTER - 1) * 1000)); then
    assert_eq "$HITS_429" "$(upstream_hits)" "requests nginx saw within Retry-After ($RETRY_AFTER s) of its 429"
else
    log "this machine took $(($(now_ms) - T429_BEFORE)) ms: whether Berth waited out Retry-After is not checked"
fi

step "Distribution and nginx stopped: docker rmi, then pull again: same image ID"
rm -f "$RATE_LIMITED_FLAG"
# Retry-After must have passed, or Berth would not even try the stopped upstream
sleep_until_ms $((T429_AFTER + (RETRY_AFTER + 1) * 1000))
stop_nginx "$NG"
kill "$DIST_PID" 2>/dev/null || true
wait "$DIST_PID" 2>/dev/null || true
! port_in_use "$NGINX_PORT" || fail "nginx still listens on $NGINX_PORT"
UNREACHABLE_BEFORE=$(($(stale_total unreachable) + $(stale_total circuit_open)))
remove_image_completely "$PX/e2e/small:1"
run docker pull "$PX/e2e/small:1"
assert_eq "$S_ID" "$(image_id "$PX/e2e/small:1")" "image ID pulled with the upstream stopped"
expect_status 200 GET "/v2/$P_DIST/e2e/small/manifests/1" -H "$ACCEPT"
assert_contains "$(header Warning)" '110' "Warning header with the upstream stopped"
(($(stale_total unreachable) + $(stale_total circuit_open) > UNREACHABLE_BEFORE)) ||
    fail "berth_proxy_stale_total{reason=\"unreachable\" or \"circuit_open\"} did not grow: $(curl -sS "$REGISTRY_URL/metrics" | grep '^berth_proxy_')"
run_to "$E2E_WORK/index-stale.json" skopeo_ inspect --raw --tls-verify=false "docker://$PX/e2e/multi:1"
assert_files_equal "$E2E_WORK/index-blob.json" "$E2E_WORK/index-stale.json" "the index by tag with the upstream stopped"
(($(stale_total) > STALE_BEFORE)) || fail "berth_proxy_stale_total did not grow"
log "berth_proxy_ series: $(curl -sS "$REGISTRY_URL/metrics" | grep '^berth_proxy_' | grep -v ' 0\(\.0\)\?$' | tr '\n' ';')"

# ---------------------------------------------------------------- the second Berth (Bearer tokens)

step "the upstream Berth: a private project with an image, and a member who may pull it"
BERTH_PID=$UP_PID REGISTRY_URL=$UP_URL REGISTRY_LOG=$UP_LOG wait_ready
api POST "$UP_URL/api/v1/projects" '{"name":"vault","public":false}' 201
api POST "$UP_URL/api/v1/users" "{\"username\":\"$MEMBER\",\"password\":\"$MEMBER_PASSWORD\"}" 201
api POST "$UP_URL/api/v1/projects/vault/members" "{\"username\":\"$MEMBER\",\"role\":\"guest\"}" 201
run skopeo_ copy --dest-tls-verify=false --dest-creds "admin:$E2E_ADMIN_PASSWORD" \
    "docker-daemon:berth-e2e-proxy-p:$E2E_RUN_ID" "docker://127.0.0.1:$UP_PORT/vault/app:1"
E2E_ANONYMOUS=1 expect_status 401 GET "$UP_URL/v2/vault/app/manifests/1" -H "$ACCEPT"
assert_contains "$(header WWW-Authenticate)" "Bearer realm=" "the upstream Berth's challenge"

step "a proxy project of the upstream Berth with the member's credentials (Bearer token flow)"
api POST /api/v1/registries "{\"name\":\"$R_BERTH\",\"url\":\"$UP_URL\",\"username\":\"$MEMBER\",\"password\":\"$MEMBER_PASSWORD\"}" 201
api POST /api/v1/registries "{\"name\":\"$R_ANON\",\"url\":\"$UP_URL\"}" 201
expect_status 200 GET "/api/v1/registries/$R_BERTH"
assert_eq "$MEMBER|true|null" "$(jq -r '[.username, .has_password, .password] | map(tostring) | join("|")' "$HTTP_BODY")" \
    "GET /api/v1/registries/$R_BERTH (username, has_password, password)"
assert_not_contains "$(cat "$HTTP_BODY")" "$MEMBER_PASSWORD" "GET /api/v1/registries/$R_BERTH"
expect_status 200 POST "/api/v1/registries/$R_BERTH/ping"
assert_eq true "$(jq -r .ok "$HTTP_BODY")" "ping of $R_BERTH: $(cat "$HTTP_BODY")"
api POST /api/v1/projects "{\"name\":\"$P_BERTH\",\"public\":true,\"registry\":\"$R_BERTH\"}" 201
api POST /api/v1/projects "{\"name\":\"$P_ANON\",\"public\":true,\"registry\":\"$R_ANON\"}" 201
remove_image_completely "$P_ID"
track_image "$REGISTRY/$P_BERTH/vault/app:1"
run docker pull "$REGISTRY/$P_BERTH/vault/app:1"
assert_eq "$P_ID" "$(image_id "$REGISTRY/$P_BERTH/vault/app:1")" "image ID pulled through the proxy from the private project"

step "without credentials the private image is not served, and the answer names the upstream"
track_image "$REGISTRY/$P_ANON/vault/app:1"
run_fails docker pull "$REGISTRY/$P_ANON/vault/app:1"
http GET "/v2/$P_ANON/vault/app/manifests/1" -H "$ACCEPT"
[[ $HTTP_STATUS == 4* || $HTTP_STATUS == 5* ]] || fail "GET through the proxy without upstream credentials answered $HTTP_STATUS"
assert_contains "$(jq -r '.errors[0].message' "$HTTP_BODY")" "$R_ANON" \
    "error message of a pull the upstream refused ($HTTP_STATUS $(head -c 500 "$HTTP_BODY"))"

step "the upstream Berth stopped: docker rmi, then pull again: same image ID"
stop_upstream_berth
remove_image_completely "$REGISTRY/$P_BERTH/vault/app:1"
run docker pull "$REGISTRY/$P_BERTH/vault/app:1"
assert_eq "$P_ID" "$(image_id "$REGISTRY/$P_BERTH/vault/app:1")" "image ID pulled with the upstream Berth stopped"

step "no password in the log of the Berth under test"
assert_not_contains "$(cat "$REGISTRY_LOG")" "$DIST_PASSWORD" "the registry log"
assert_not_contains "$(cat "$REGISTRY_LOG")" "$MEMBER_PASSWORD" "the registry log"

log "ok"
