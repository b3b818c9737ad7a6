#!/usr/bin/env bash
# A disk that fills up during a push (issue 14, item 9): Berth's data root is a 64 MiB tmpfs (its
# H2 database lives elsewhere); a streamed, chunked PATCH of 100 MiB, sent as docker sends a
# layer, is answered 507 INSUFFICIENT_STORAGE saying storage is full; the bytes it had stored
# are released (df, the uploads folder, the session is unknown) and a small blob and a docker
# push then succeed. /health is DOWN while free space is below the floor, UP again after.
# Needs root (mount); needs its own Berth, so not the shared one.
# shellcheck source=e2e/lib.sh
. "$(dirname "$0")/lib.sh"

require_docker
require_restartable
[[ $E2E_TARGET == berth ]] || fail "this scenario checks Berth's answer to a full disk (E2E_TARGET=berth)"
[[ $(id -u) == 0 ]] || fail "this scenario mounts a tmpfs: run it as root"

DISK="$E2E_WORK/disk"
mkdir -p "$DISK"
mount -t tmpfs -o size=64m berth-e2e-disk "$DISK" || fail "cannot mount a tmpfs on $DISK"
# after Berth stopped (at_exit runs after stop_berth), before the temp dir is removed
at_exit "umount '$DISK' 2>/dev/null || umount -l '$DISK'"

# the database off the small disk: this is about blob bytes, and the database's growth would blur
# the numbers (a data root shared with H2 is the default; that the DB then fails too is not tested)
export BERTH_DB_DATASOURCE_CLASS=org.h2.jdbcx.JdbcDataSource
export BERTH_DB_URL="jdbc:h2:$E2E_WORK/db/berth;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0"
FLOOR=$((16 * 1024 * 1024))
export BERTH_HEALTH_MIN_FREE_BYTES=$FLOOR
start_berth "$DISK/data"

used_bytes() { df -B1 --output=used "$DISK" | tail -n 1 | tr -d ' '; }
free_bytes() { df -B1 --output=avail "$DISK" | tail -n 1 | tr -d ' '; }
health() { # sets HEALTH_STATUS and HEALTH_BODY
    HEALTH_BODY=$(curl -sS --max-time 30 -w '\n%{http_code}' "$REGISTRY_URL/health") || fail "GET /health failed"
    HEALTH_STATUS=$(tail -n 1 <<<"$HEALTH_BODY")
    HEALTH_BODY=$(head -n -1 <<<"$HEALTH_BODY")
}

step "a fresh data root on a 64 MiB disk: /health is UP"
health
assert_eq 200 "$HEALTH_STATUS" "/health with $(free_bytes) bytes free (floor $FLOOR): $HEALTH_BODY"
BEFORE=$(used_bytes)
log "used before the push: $BEFORE bytes, free: $(free_bytes) bytes"

step "a streamed PATCH of 100 MiB, chunked as docker sends a layer, fills the disk"
expect_status 202 POST /v2/big/diskfull/blobs/uploads/ -H 'Content-Length: 0'
LOCATION=$(absolute_url "$(header Location)")
START=$SECONDS
# -T - sends stdin with Transfer-Encoding: chunked and no length, as docker's PATCH does
http PATCH "$LOCATION" -T - -H 'Content-Type: application/octet-stream' -H 'Transfer-Encoding: chunked' \
    < <(head -c $((100 * 1024 * 1024)) /dev/urandom 2>/dev/null || true) # head ends on SIGPIPE: Berth stops reading
log "PATCH answered $HTTP_STATUS after $((SECONDS - START)) s: $(head -c 400 "$HTTP_BODY")"
assert_eq 507 "$HTTP_STATUS" "status of the PATCH that filled the disk"
assert_eq INSUFFICIENT_STORAGE "$(jq -r '.errors[0].code' "$HTTP_BODY")" "error code"
assert_contains "$(jq -r '.errors[0].message' "$HTTP_BODY")" "storage is full" "error message"

step "the bytes are released: df, the uploads folder, the session"
AFTER=$(used_bytes)
log "used after the refused PATCH: $AFTER bytes (before: $BEFORE)"
((AFTER - BEFORE < 4 * 1024 * 1024)) || fail "the refused PATCH still holds $((AFTER - BEFORE)) bytes of the disk"
LEFT=$(find "$DISK/data/uploads" -type f 2>/dev/null | wc -l)
assert_eq 0 "$LEFT" "files left under uploads/"
expect_status 404 GET "$LOCATION"
assert_eq BLOB_UPLOAD_UNKNOWN "$(jq -r '.errors[0].code' "$HTTP_BODY")" "the session is gone"
grep -q 'storage is full' "$REGISTRY_LOG" || fail "no warning about the full disk in the registry log"
TRACES=$(grep -c '^[[:space:]]*at ' "$REGISTRY_LOG" || true)
log "stack-trace lines in the registry log: $TRACES"

step "a small push fits again: a 4 KiB blob, then docker push"
head -c 4096 /dev/urandom >"$E2E_WORK/small.bin"
SMALL="sha256:$(sha256_of "$E2E_WORK/small.bin")"
expect_status 201 POST "/v2/big/diskfull/blobs/uploads/?digest=$SMALL" \
    -H 'Content-Type: application/octet-stream' --data-binary "@$E2E_WORK/small.bin"
expect_status 200 HEAD "/v2/big/diskfull/blobs/$SMALL"
build_image "berth-e2e-diskfull:$E2E_RUN_ID" 64K
REF="$REGISTRY/big/diskfull:small"
track_image "$REF"
docker tag "berth-e2e-diskfull:$E2E_RUN_ID" "$REF"
run docker push "$REF"
assert_contains "$RUN_OUT" "small: digest: sha256:" "docker push after the full disk"
health
assert_eq 200 "$HEALTH_STATUS" "/health after the space was released: $HEALTH_BODY"

step "/health is DOWN below the free-space floor, UP again above it"
FILL=$(($(free_bytes) - FLOOR / 2))
head -c "$FILL" /dev/zero >"$DISK/filler" || fail "cannot fill the disk"
health
assert_eq 503 "$HEALTH_STATUS" "/health with $(free_bytes) bytes free (floor $FLOOR): $HEALTH_BODY"
assert_contains "$HEALTH_BODY" '"DOWN"' "/health body"
rm -f "$DISK/filler"
health
assert_eq 200 "$HEALTH_STATUS" "/health after the filler went: $HEALTH_BODY"
log "ok"
