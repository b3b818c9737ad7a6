#!/usr/bin/env bash
# A setting Berth cannot work with stops it at start, cleanly: for an unreachable database,
# a data root that cannot be a directory, a TLS keystore whose password is wrong, and a port
# another server listens on (plain Payara Micro logs "Failed to start, exiting" and keeps
# its JVM running), Berth
# on Payara Micro (target/berth-micro.jar, as run.sh starts it)
#   - exits with a non-zero status within START_LIMIT seconds (the time lib.sh gives a start,
#     E2E_START_TIMEOUT: on a busy 2-core machine a start that fails takes up to ~75 s),
#   - logs exactly one "Berth cannot start:" line, and it names the setting,
#   - logs at most MAX_TRACE_LINES stack-trace lines ("^\s+at "): no wall of traces,
#   - never answers GET /v2/ with 200 or 401 (no half-working registry) while it runs.
# Then the same keystore with the right password starts and serves /v2/ over HTTPS, so the
# keystore check refuses only what Payara would have failed on.
#
# MAX_TRACE_LINES: the database and data-root failures log none today (StartupCheck writes
# its line and halts); the bound leaves room for a short trace from a Payara version that
# logs the failed deployment before the halt, and is far below the ~490 lines Payara itself
# logged for the wrong keystore password.
# shellcheck source=e2e/lib.sh
. "$(dirname "$0")/lib.sh"

[[ $E2E_TARGET == berth ]] || fail "this scenario checks Berth's start-up checks (E2E_TARGET=berth)"
[[ -z ${E2E_REGISTRY:-} ]] || fail "this scenario starts Berth itself: unset E2E_REGISTRY"
command -v openssl >/dev/null || fail "needs openssl (apt-get install openssl)"

START_LIMIT=$E2E_START_TIMEOUT
MAX_TRACE_LINES=20

# expect_refusal WHAT SETTING: Berth (launched by the caller's settings) must stop as above
# with a "Berth cannot start:" line that contains SETTING
expect_refusal() {
    local what=$1 setting=$2
    local from
    from=$(($(wc -l <"$REGISTRY_LOG") + 1))
    local started=$SECONDS
    launch_berth
    local codes=() code
    while kill -0 "$BERTH_PID" 2>/dev/null; do
        ((SECONDS - started < START_LIMIT)) || fail "$what: Berth still runs after ${START_LIMIT}s"
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$BERTH_PORT/v2/" || true)
        [[ $code == 200 || $code == 401 ]] && fail "$what: GET /v2/ answered $code: a half-working registry"
        codes+=("$code")
        sleep 0.5
    done
    local status=0
    wait "$BERTH_PID" || status=$?
    BERTH_PID=
    local took=$((SECONDS - started))
    ((status != 0)) || fail "$what: Berth exited with status 0"
    local section lines traces
    section=$(tail -n "+$from" "$REGISTRY_LOG")
    lines=$(grep -c 'Berth cannot start:' <<<"$section" || true)
    traces=$(grep -cE '^\s+at ' <<<"$section" || true)
    assert_eq 1 "$lines" "$what: number of 'Berth cannot start:' lines in the log"
    assert_contains "$(grep 'Berth cannot start:' <<<"$section")" "$setting" "$what: the line names the setting"
    ((traces <= MAX_TRACE_LINES)) || fail "$what: $traces stack-trace lines in the log (at most $MAX_TRACE_LINES)"
    port_in_use "$BERTH_PORT" && fail "$what: port $BERTH_PORT still open after the exit"
    log "$what: exit status $status after ${took}s, $traces stack-trace lines, GET /v2/ meanwhile: $(printf '%s\n' "${codes[@]}" | sort | uniq -c | tr -s ' \n' ' ')"
    log "    $(grep -o 'Berth cannot start:.*' <<<"$section")"
}

step "1. an unreachable database: PostgreSQL on a closed loopback port"
BERTH_PORT=$(free_port)
CLOSED_PORT=$(free_port)
BERTH_DATA_ROOT="$E2E_WORK/data-db"
export BERTH_DB_DATASOURCE_CLASS=org.postgresql.ds.PGSimpleDataSource
export BERTH_DB_URL="jdbc:postgresql://127.0.0.1:$CLOSED_PORT/berth" BERTH_DB_USER=berth BERTH_DB_PASSWORD=berth
expect_refusal "unreachable database" "berth.db.url=jdbc:postgresql://127.0.0.1:$CLOSED_PORT/berth"
unset BERTH_DB_DATASOURCE_CLASS BERTH_DB_URL BERTH_DB_USER BERTH_DB_PASSWORD

step "2. a data root that cannot be a directory (a path under a regular file: root cannot write there either)"
BERTH_PORT=$(free_port)
echo "a regular file" >"$E2E_WORK/a-file"
BERTH_DATA_ROOT="$E2E_WORK/a-file/data"
expect_refusal "unwritable data root" "berth.data.root=$BERTH_DATA_ROOT is not writable"

step "3. a TLS keystore with the wrong password (--sslport/--sslcert, javax.net.ssl.* as in server-config/tls.md)"
TLS="$E2E_WORK/tls"
mkdir -p "$TLS"
run openssl req -x509 -newkey rsa:2048 -sha256 -days 2 -nodes \
    -keyout "$TLS/berth.key" -out "$TLS/berth.crt" -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1"
run openssl pkcs12 -export -name berth -inkey "$TLS/berth.key" -in "$TLS/berth.crt" \
    -out "$TLS/berth.p12" -passout pass:changeit
tls_properties() { # PASSWORD
    cat >"$TLS/tls.properties" <<EOF
javax.net.ssl.keyStore=$TLS/berth.p12
javax.net.ssl.keyStorePassword=$1
javax.net.ssl.keyStoreType=PKCS12
EOF
    chmod 600 "$TLS/tls.properties"
}
tls_properties not-the-password
BERTH_PORT=$(free_port)
SSL_PORT=$(free_port)
BERTH_DATA_ROOT="$E2E_WORK/data-tls"
E2E_MICRO_ARGS=(--sslport "$SSL_PORT" --sslcert berth --systemproperties "$TLS/tls.properties")
expect_refusal "wrong keystore password" "javax.net.ssl.keyStorePassword does not open javax.net.ssl.keyStore=$TLS/berth.p12"
grep -q 'not-the-password' "$REGISTRY_LOG" && fail "the keystore password is in the log"

step "4. a port another server listens on: --sslport held by busybox httpd on loopback (the keystore is right)"
tls_properties changeit
BERTH_PORT=$(free_port)
SSL_PORT=$(free_port)
command -v busybox >/dev/null || fail "needs busybox (apt-get install busybox-static)"
busybox httpd -f -p "127.0.0.1:$SSL_PORT" -h "$E2E_WORK" &
HOLDER=$!
at_exit "kill $HOLDER 2>/dev/null || true"
for _ in $(seq 1 20); do port_in_use "$SSL_PORT" && break; sleep 0.25; done
port_in_use "$SSL_PORT" || fail "busybox httpd does not listen on $SSL_PORT"
BERTH_DATA_ROOT="$E2E_WORK/data-port"
E2E_MICRO_ARGS=(--sslport "$SSL_PORT" --sslcert berth --systemproperties "$TLS/tls.properties")
expect_refusal "port in use" "--sslport $SSL_PORT cannot be listened on"
kill "$HOLDER"
wait "$HOLDER" 2>/dev/null || true

step "the same keystore with the right password: Berth starts and serves /v2/ over HTTPS"
E2E_SCHEME=https
E2E_CLIENT_PORT=$SSL_PORT
E2E_CURL_ARGS=(--cacert "$TLS/berth.crt")
E2E_PROJECTS=
REGISTRY="localhost:$SSL_PORT"
REGISTRY_URL="https://$REGISTRY"
launch_berth
wait_ready
expect_status 200 GET /v2/
stop_berth
