#!/usr/bin/env bash
# Checks a running Berth with curl alone: pushes a config and a layer blob and an OCI manifest
# tagged v1 to REPO, then reads them back through tags/list, _catalog and the manifest/blob URLs.
#   server-config/smoke.sh http://127.0.0.1:5000 [REPO]          push, then verify
#   server-config/smoke.sh --verify http://127.0.0.1:5000 [REPO] verify only (e.g. after a restart)
# The content is fixed, so a verify after a restart checks the very bytes pushed before it.
# Credentials: BERTH_USER (default admin) and BERTH_PASSWORD (the admin password).
set -euo pipefail
verify_only=0
if [ "${1:-}" = --verify ]; then verify_only=1; shift; fi
base="${1:?usage: smoke.sh [--verify] BASE_URL [REPO]}"; base="${base%/}"
repo="${2:-library/smoke}"
auth=(); [ -n "${BERTH_PASSWORD:-}" ] && auth=(-u "${BERTH_USER:-admin}:$BERTH_PASSWORD")
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

printf 'berth smoke layer\n' > "$work/layer"
printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}' > "$work/config"
digest() { echo "sha256:$(sha256sum "$1" | cut -d' ' -f1)"; }
size() { wc -c < "$1" | tr -d ' '; }
layer="$(digest "$work/layer")"; config="$(digest "$work/config")"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"%s","size":%s}]}' \
    "$config" "$(size "$work/config")" "$layer" "$(size "$work/layer")" > "$work/manifest"
manifest="$(digest "$work/manifest")"

fail() { echo "FAIL: $*" >&2; exit 1; }
expect() { # expect STATUS METHOD URL [curl args...]
    local want="$1" method="$2" url="$3"; shift 3
    local got; got="$(curl -sS "${auth[@]}" -o "$work/body" -w '%{http_code}' -X "$method" "$@" "$base$url")"
    [ "$got" = "$want" ] || fail "$method $url: HTTP $got, expected $want: $(head -c 300 "$work/body")"
}

if [ "$verify_only" = 0 ]; then
    for blob in layer config; do   # monolithic upload, OCI dist-spec end-4b
        expect 201 POST "/v2/$repo/blobs/uploads/?digest=$(digest "$work/$blob")" \
            -H 'Content-Type: application/octet-stream' --data-binary "@$work/$blob"
    done
    expect 201 PUT "/v2/$repo/manifests/v1" \
        -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary "@$work/manifest"
fi

expect 200 GET "/v2/$repo/tags/list"
grep -q '"v1"' "$work/body" || fail "tags/list has no v1: $(cat "$work/body")"
expect 200 GET "/v2/_catalog?n=1000"
grep -q "\"$repo\"" "$work/body" || fail "_catalog has no $repo: $(cat "$work/body")"
expect 200 GET "/v2/$repo/manifests/v1" -H 'Accept: application/vnd.oci.image.manifest.v1+json'
[ "$(digest "$work/body")" = "$manifest" ] || fail "manifest v1 is not $manifest"
expect 200 GET "/v2/$repo/blobs/$layer"
cmp -s "$work/body" "$work/layer" || fail "layer bytes differ"
echo "OK: $repo:v1 = $manifest at $base"
