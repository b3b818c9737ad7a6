#!/usr/bin/env bash
# Webhooks (issue 21) survive a crash: every event arrives, exactly once by its id. A receiver on
# 127.0.0.1 (python3's http.server) logs each delivery's X-Berth-Event-Id and checks its
# X-Berth-Signature; it hangs while a flag file exists. Ten images are pushed with curl while it
# hangs (the pushes are not slowed: each must answer within the usual time), two deliveries are
# in flight (the per-webhook bound) when Berth is killed with SIGKILL; the receiver then answers,
# Berth starts again on the same data root, and within two minutes (the lease of a claim made by
# the dead node is 60 s) the receiver holds the ten push events' ids, each signed, no other id,
# and the delivery log says delivered for each. Only the deliveries that were in flight at the
# crash may come twice (at least once; a receiver dedupes by id).
# Needs python3 and curl; no docker.
# shellcheck source=e2e/lib.sh
. "$(dirname "$0")/lib.sh"

[[ $E2E_TARGET == berth ]] || fail "this scenario tests Berth's webhooks (E2E_TARGET=berth)"
command -v python3 >/dev/null || fail "needs python3"
require_restartable
# retries after at most 0.4 s, 2 s, ... (Berth's default unit is 30 s)
export BERTH_WEBHOOK_BACKOFF_BASE=0.2
start_berth

N=10
PROJECT="e2e-hooks-$$"
RECEIVED="$E2E_WORK/received.log"
HANG="$E2E_WORK/hang"
SECRET_FILE="$E2E_WORK/secret"
: >"$RECEIVED"
cat >"$E2E_WORK/receiver.py" <<'PY'
import hashlib, hmac, http.server, os, sys, time
port, log_path, hang, secret_path = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
log = open(log_path, "a", buffering=1)

class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        secret = open(secret_path).read().strip().encode()
        want = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
        signed = hmac.compare_digest(want, self.headers.get("X-Berth-Signature", ""))
        log.write("%s %s %s %s\n" % (self.headers.get("X-Berth-Event-Id"), self.headers.get("X-Berth-Event-Type"),
                                     self.headers.get("X-Berth-Delivery-Attempt"), "signed" if signed else "UNSIGNED"))
        while os.path.exists(hang):
            time.sleep(0.1)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass

http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
PY
RECEIVER_PORT=$(free_port)
touch "$HANG"
python3 "$E2E_WORK/receiver.py" "$RECEIVER_PORT" "$RECEIVED" "$HANG" "$SECRET_FILE" >"$E2E_WORK/receiver.out" 2>&1 &
RECEIVER_PID=$!
at_exit "kill $RECEIVER_PID 2>/dev/null || true"
show_on_failure "$RECEIVED" "$E2E_WORK/receiver.out"

step "a project with a webhook for pushes"
expect_status 201 POST /api/v1/projects -H 'Content-Type: application/json' \
    -d "{\"name\":\"$PROJECT\",\"public\":false}"
expect_status 201 POST "/api/v1/projects/$PROJECT/webhooks" -H 'Content-Type: application/json' \
    -d "{\"name\":\"receiver\",\"url\":\"http://127.0.0.1:$RECEIVER_PORT/hook\",\"event_types\":[\"push_artifact\"],\"auth_header\":\"Bearer e2e-hidden-token\"}"
HOOK=$(jq -r .id "$HTTP_BODY")
jq -r .secret "$HTTP_BODY" >"$SECRET_FILE"
[[ $(wc -c <"$SECRET_FILE") -gt 40 ]] || fail "no secret in the create answer"

step "push $N images while the receiver hangs"
push_one() { # TAG
    local config="$E2E_WORK/config-$1.json" layer="$E2E_WORK/layer-$1.bin" manifest="$E2E_WORK/manifest-$1.json"
    printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"created":"%s"}' "$1" >"$config"
    head -c 2048 /dev/urandom >"$layer"
    local f
    for f in "$config" "$layer"; do
        expect_status 201 POST "/v2/$PROJECT/app/blobs/uploads/?digest=sha256:$(sha256_of "$f")" \
            -H 'Content-Type: application/octet-stream' --data-binary "@$f"
    done
    printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s}]}' \
        "$(sha256_of "$config")" "$(wc -c <"$config")" "$(sha256_of "$layer")" "$(wc -c <"$layer")" >"$manifest"
    expect_status 201 PUT "/v2/$PROJECT/app/manifests/$1" \
        -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary "@$manifest"
}
START=$(date +%s%N)
for i in $(seq 1 $N); do push_one "t$i"; done
TOOK=$((($(date +%s%N) - START) / 1000000))
log "$N pushes took $TOOK ms with the receiver hanging"
((TOOK < 60000)) || fail "$N small pushes took $TOOK ms while the webhook's receiver hung"

for _ in $(seq 1 100); do
    [[ $(wc -l <"$RECEIVED") -ge 2 ]] && break
    sleep 0.1
done
IN_FLIGHT=$(wc -l <"$RECEIVED")
((IN_FLIGHT >= 1)) || fail "no delivery reached the receiver within 10 s"
((IN_FLIGHT <= 2)) || fail "$IN_FLIGHT deliveries in flight to one webhook (at most 2)"

step "kill -9 with $IN_FLIGHT deliveries in flight and $((N - IN_FLIGHT)) waiting"
kill_berth
rm -f "$HANG"
# shellcheck disable=SC2119 # no argument: a plain restart (the kill was above)
restart_berth

step "every event arrives once Berth is back"
DISTINCT=0
for _ in $(seq 1 1200); do
    DISTINCT=$(cut -d' ' -f1 "$RECEIVED" | sort -u | wc -l)
    ((DISTINCT >= N)) && break
    sleep 0.1
done
assert_eq "$N" "$DISTINCT" "distinct event ids received"
assert_eq "push_artifact" "$(cut -d' ' -f2 "$RECEIVED" | sort -u)" "event types received"
assert_not_contains "$(cat "$RECEIVED")" "UNSIGNED" "signatures"
DUPLICATES=$(($(wc -l <"$RECEIVED") - DISTINCT))
log "$(wc -l <"$RECEIVED") deliveries of $DISTINCT events ($DUPLICATES sent again after the crash)"
((DUPLICATES <= IN_FLIGHT)) || fail "$DUPLICATES events came twice; only the $IN_FLIGHT in flight at the crash may"

expect_status 200 GET "/api/v1/projects/$PROJECT/webhooks/$HOOK/deliveries?page_size=100"
assert_eq "$N" "$(jq 'length' "$HTTP_BODY")" "deliveries in the log"
for _ in $(seq 1 100); do
    [[ $(jq -r '[.[] | select(.state != "delivered")] | length' "$HTTP_BODY") == 0 ]] && break
    sleep 0.2
    expect_status 200 GET "/api/v1/projects/$PROJECT/webhooks/$HOOK/deliveries?page_size=100"
done
assert_eq "delivered" "$(jq -r '.[].state' "$HTTP_BODY" | sort -u)" "state of every delivery"
assert_eq "$(cut -d' ' -f1 "$RECEIVED" | sort -u)" "$(jq -r '.[].event_id' "$HTTP_BODY" | sort -u)" "the ids sent are the log's"
! grep -aq "e2e-hidden-token" "$REGISTRY_LOG" || fail "the server log holds the webhook's Authorization header"
log "ok"
