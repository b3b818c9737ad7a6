#!/usr/bin/env bash
# Berth on a full Payara Server 6 with asadmin, as server-config/payara-server.md says:
# a fresh domain of this scenario's own (every port from a free --portbase, every listener
# on 127.0.0.1), the HTTP listener settings of server-config/ applied as pre-boot commands,
# Berth's JVM options, `asadmin deploy --contextroot / --name berth ROOT.war`; then docker
# login, push, rmi, pull to the domain's HTTP listener; `asadmin undeploy berth` takes /v2/
# away; a deployment with an unreachable database fails with Berth's "Berth cannot start:" line
# in the asadmin output while the domain stays up; stop-domain and delete-domain. The domain
# is stopped at exit whatever happens.
#
# Payara Server comes from the build (fish.payara.distributions:payara, unpacked into
# target/payara-server by the pom before the integration tests; failsafe passes its path in
# BERTH_PAYARA_SERVER). By hand: mvn -B dependency:unpack@payara-server
# shellcheck source=e2e/lib.sh
. "$(dirname "$0")/lib.sh"

require_docker
[[ $E2E_TARGET == berth ]] || fail "this scenario deploys Berth on Payara Server (E2E_TARGET=berth)"
[[ -z ${E2E_REGISTRY:-} ]] || fail "this scenario starts its own Payara Server: unset E2E_REGISTRY"
PAYARA=${BERTH_PAYARA_SERVER:-$REPO_ROOT/target/payara-server/payara6}
[[ -x $PAYARA/bin/asadmin ]] ||
    fail "no Payara Server at $PAYARA: run 'mvn -B dependency:unpack@payara-server' (or set BERTH_PAYARA_SERVER)"
[[ -f $BERTH_WAR ]] || fail "no WAR at $BERTH_WAR: run 'mvn -B package -DskipTests' first"

DOMAINS="$E2E_WORK/domains"
DOMAIN=berth
# Local commands (create/start/stop/delete-domain) take --domaindir; remote ones the admin port.
asadmin() { command timeout 240 "$PAYARA/bin/asadmin" --interactive=false "$@"; }

# free_portbase: a --portbase whose every derived port is free on loopback
# (+9 debug, +37..39 IIOP, +48 admin, +49/+59 Hazelcast, +66 OSGi shell, +76 JMS,
# +80 HTTP, +81 HTTPS, +86 JMX), below the kernel's ephemeral range (32768 up), where a
# connection in TIME-WAIT makes create-domain refuse the port
free_portbase() {
    local base off busy _
    for _ in $(seq 1 100); do
        base=$((20000 + (RANDOM % 126) * 100))
        busy=0
        for off in 9 37 38 39 48 49 59 66 76 80 81 86; do
            if port_in_use $((base + off)); then busy=1 && break; fi
        done
        ((busy == 0)) && echo "$base" && return 0
    done
    fail "no free port base found"
}

# create_domain: create-domain on a free port base; another port base if one of its ports
# was taken meanwhile (create-domain checks them all). Sets PORTBASE, ADMIN_PORT, HTTP_PORT.
create_domain() {
    local attempt
    for attempt in 1 2 3; do
        PORTBASE=$(free_portbase)
        ADMIN_PORT=$((PORTBASE + 48))
        HTTP_PORT=$((PORTBASE + 80))
        step "a fresh domain on port base $PORTBASE (HTTP $HTTP_PORT, admin $ADMIN_PORT)"
        log "\$ asadmin create-domain --nopassword --domaindir $DOMAINS --portbase $PORTBASE $DOMAIN"
        if RUN_OUT=$(asadmin create-domain --nopassword --domaindir "$DOMAINS" --portbase "$PORTBASE" "$DOMAIN" 2>&1); then
            printf '%s\n' "$RUN_OUT" | grep -v '^\s*\[' | sed 's/^/    | /'
            return 0
        fi
        printf '%s\n' "$RUN_OUT" | head -n 3 | sed 's/^/    | /'
        [[ $RUN_OUT == *"is in use"* ]] || fail "create-domain failed"
    done
    fail "create-domain found a port in use $attempt times"
}
remote() { asadmin --host 127.0.0.1 --port "$ADMIN_PORT" "$@"; }

stop_domain_at_exit() {
    [[ -f $DOMAINS/$DOMAIN/config/pid ]] || return 0
    local pid
    pid=$(cat "$DOMAINS/$DOMAIN/config/pid")
    kill -0 "$pid" 2>/dev/null || return 0
    log "stopping the domain (pid $pid)"
    asadmin stop-domain --domaindir "$DOMAINS" --kill=false "$DOMAIN" >/dev/null 2>&1 || true
    if kill -0 "$pid" 2>/dev/null; then
        log "stop-domain did not stop pid $pid: killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
}
at_exit stop_domain_at_exit

create_domain
# the server's log, followed into the registry log (printed if the scenario fails)
SERVER_LOG="$DOMAINS/$DOMAIN/logs/server.log"
tail -n +1 -F "$SERVER_LOG" >>"$REGISTRY_LOG" 2>/dev/null &
LOG_TAIL_PID=$!
at_exit "kill $LOG_TAIL_PID 2>/dev/null || true"

step "pre-boot commands: server-config's listener settings for http-listener-1, every listener on loopback"
# exactly as server-config/payara-server.md
PRE_BOOT="$E2E_WORK/berth-pre-boot.asadmin"
{
    cat "$REPO_ROOT/server-config/payara-micro/pre-boot-commands.asadmin" "$REPO_ROOT/server-config/pre-boot-http.asadmin" |
        sed -n 's/protocol\.http-listener\./protocol.http-listener-1./; /^set /p'
    for listener in http-listener-1 http-listener-2 admin-listener; do
        echo "set configs.config.server-config.network-config.network-listeners.network-listener.$listener.address=127.0.0.1"
    done
    for listener in orb-listener-1 SSL SSL_MUTUALAUTH; do
        echo "set configs.config.server-config.iiop-service.iiop-listener.$listener.address=127.0.0.1"
    done
    echo "set configs.config.server-config.admin-service.jmx-connector.system.address=127.0.0.1"
} >"$PRE_BOOT"
sed 's/^/    | /' "$PRE_BOOT"
grep -q 'http-listener-1.http.allow-payload-for-undefined-http-methods=true' "$PRE_BOOT" ||
    fail "the pre-boot commands lack allow-payload-for-undefined-http-methods"
grep -q 'http-listener-1.http.max-post-size-bytes=-1' "$PRE_BOOT" ||
    fail "the pre-boot commands lack the body-size setting of pre-boot-http.asadmin"

step "start-domain, Berth's JVM options, restart-domain"
DATA_ROOT="$E2E_WORK/berth-data"
# Berth reads BERTH_ADMIN_PASSWORD once, when it creates the admin account; the domain's process
# inherits it from start-domain (and keeps it across restart-domain). The integration tests'
# short BERTH_TOKEN_LIFETIME is not for docker pushes: the domain must not inherit it.
unset BERTH_TOKEN_LIFETIME BERTH_SEND_TIMEOUT
BERTH_ADMIN_PASSWORD=$E2E_ADMIN_PASSWORD asadmin start-domain --domaindir "$DOMAINS" --prebootcommandfile "$PRE_BOOT" "$DOMAIN" \
    >"$E2E_WORK/start.out" 2>&1 || fail "start-domain failed: $(cat "$E2E_WORK/start.out")"
sed 's/^/    | /' "$E2E_WORK/start.out"
run remote delete-jvm-options -Xmx512m
run remote create-jvm-options -Xmx1g
run remote create-jvm-options "-Dberth.data.root=$DATA_ROOT"
run remote create-jvm-options "-Dorg.glassfish.grizzly.http.USE_SEND_FILE=true"
run remote restart-domain --domaindir "$DOMAINS" "$DOMAIN"
JVM_OPTIONS=$(remote list-jvm-options) || fail "list-jvm-options failed: $JVM_OPTIONS"
assert_line_in "$JVM_OPTIONS" "-Dberth.data.root=$DATA_ROOT" "JVM options after the restart"
assert_line_in "$JVM_OPTIONS" "-Xmx1g" "JVM options after the restart"
assert_line_not_in "$JVM_OPTIONS" "-Xmx512m" "JVM options after the restart"
run remote get configs.config.server-config.network-config.protocols.protocol.http-listener-1.http.allow-payload-for-undefined-http-methods
assert_contains "$RUN_OUT" "allow-payload-for-undefined-http-methods=true" "the pre-boot setting in the domain"

mkdir -p "$E2E_WORK/deploy"
cp "$BERTH_WAR" "$E2E_WORK/deploy/ROOT.war"

step "asadmin deploy --contextroot / --name berth ROOT.war"
run remote deploy --contextroot / --name berth "$E2E_WORK/deploy/ROOT.war"
run remote list-applications
assert_contains "$RUN_OUT" "berth" "list-applications"
BERTH_PORT=$HTTP_PORT
REGISTRY="localhost:$HTTP_PORT"
REGISTRY_URL="http://$REGISTRY"
E2E_PROJECTS=onserver
wait_ready
[[ -d $DATA_ROOT ]] || fail "Berth did not use berth.data.root=$DATA_ROOT"
sign_in_and_prepare
# a GET with a body reaches Berth (allow-payload-for-undefined-http-methods): an OCI error, not Grizzly's empty 400
expect_status 404 GET /v2/onserver/none/manifests/latest -H 'Content-Type: application/json' -d '{}'
assert_eq MANIFEST_UNKNOWN "$(jq -r '.errors[0].code' "$HTTP_BODY")" "GET with a body"

step "docker push, rmi, pull through Payara Server's HTTP listener"
build_image "berth-e2e-server:$E2E_RUN_ID" 64K 2M
ID=$(image_id "berth-e2e-server:$E2E_RUN_ID")
REF="$REGISTRY/onserver/busybox:1"
track_image "$REF"
docker tag "$ID" "$REF"
run docker push "$REF"
assert_contains "$RUN_OUT" "1: digest: sha256:" "docker push output"
WANT_SHA=$(sha256_of "$BUILD_CONTEXT/layer2.bin")
remove_image_completely "$REF"
run docker pull "$REF"
assert_eq "$ID" "$(image_id "$REF")" "image ID after pull"
assert_eq "$WANT_SHA" "$(image_file_sha "$REF" /data/layer2.bin)" "content of /data/layer2.bin after pull"
[[ -n $(find "$DATA_ROOT" -type f -size +1M -print -quit) ]] || fail "no blob under $DATA_ROOT"
grep -q "go out by sendfile" "$SERVER_LOG" || fail "the 2 MiB layer did not go out by sendfile (USE_SEND_FILE)"

step "asadmin undeploy berth: /v2/ is gone"
run remote undeploy berth
http GET /v2/
assert_eq 404 "$HTTP_STATUS" "GET /v2/ after undeploy"

step "a bad setting fails asadmin deploy with a line naming it; the domain stays up"
# domain-level MicroProfile Config (the domain is deleted next): PostgreSQL on a closed port
CLOSED_PORT=$(free_port)
BAD_URL="jdbc:postgresql://127.0.0.1:$CLOSED_PORT/berth"
run remote set-config-property --source=domain --propertyName=berth.db.datasource-class \
    --propertyValue=org.postgresql.ds.PGSimpleDataSource
run remote set-config-property --source=domain --propertyName=berth.db.url --propertyValue="$BAD_URL"
LOG_FROM=$(($(wc -l <"$SERVER_LOG") + 1))
run_fails remote deploy --contextroot / --name berth "$E2E_WORK/deploy/ROOT.war"
assert_contains "$RUN_OUT" "Berth cannot start: cannot connect to the metadata database berth.db.url=$BAD_URL" \
    "asadmin deploy output"
DEPLOY_LOG=$(tail -n "+$LOG_FROM" "$SERVER_LOG")
log "server.log of the failed deployment: $(grep -c 'Berth cannot start:' <<<"$DEPLOY_LOG" || true) 'Berth cannot start:' line(s), $(grep -cE '^\s+at ' <<<"$DEPLOY_LOG" || true) stack-trace lines"
run remote list-applications
assert_not_contains "$RUN_OUT" "berth" "list-applications after the failed deployment"
http GET /v2/
assert_eq 404 "$HTTP_STATUS" "GET /v2/ after the failed deployment"
# (Last, because Payara's MicroProfile Config cache, 60 s by default, would hand the bad values
# to a deployment right after delete-config-property: see server-config/payara-server.md.)

step "stop-domain, delete-domain"
run asadmin stop-domain --domaindir "$DOMAINS" "$DOMAIN"
port_in_use "$HTTP_PORT" && fail "port $HTTP_PORT still open after stop-domain"
run asadmin delete-domain --domaindir "$DOMAINS" "$DOMAIN"
[[ ! -e $DOMAINS/$DOMAIN ]] || fail "the domain directory is still there after delete-domain"
