# shellcheck shell=bash
# Shared helpers for the end-to-end scenarios in e2e/NN-name.sh.
#
# Source it from a scenario script:   . "$(dirname "$0")/lib.sh"
#
# Environment (all optional):
#   E2E_TARGET        berth (default) or distribution. "distribution" runs Debian's
#                     docker-registry (CNCF Distribution 2.8) instead of Berth; it is
#                     only for proving the scenarios against the reference registry.
#   BERTH_WAR         WAR to deploy (default: target/ROOT.war)
#   BERTH_MICRO_JAR   Payara Micro jar (default: target/berth-micro.jar when present,
#                     else target/payara-micro.jar)
#   E2E_REGISTRY      host:port of an already running registry to use instead of
#                     starting one (scenarios that restart the registry refuse it)
#   E2E_SHARED_DIR    a directory where scenarios that need no Berth of their own share one
#                     (H2, plain HTTP): the first start_berth starts it there (data root, WAR
#                     copy, temp files, pid and port) and leaves it running when the scenario
#                     ends; later ones use it. Its log is E2E_LOG_DIR/shared.registry.log.
#                     Whoever sets the variable stops it: kill "$(cat "$E2E_SHARED_DIR/pid")"
#                     (EndToEndIT does). A scenario that restarts Berth or starts it another
#                     way fails with it set.
#   E2E_LOG_DIR       where registry logs go (default: the scenario's temp dir)
#   E2E_START_TIMEOUT seconds to wait for /v2/ to answer 200 (default 180)
#   E2E_KEEP          1 = keep the scenario's temp dir (data root, images, logs)
#   DOCKER            docker client to use (default: /usr/bin/docker when present)
#   E2E_CMD_TIMEOUT   seconds any one docker or skopeo call may take (default 300)
#   E2E_GC_GRACE      BERTH_GC_GRACE (seconds) of every Berth started here (the build sets 8 for
#                     the garbage collection scenarios); unset: Berth's default (3600)
#   E2E_DB            h2 (default: Berth's embedded database under the data root) or
#                     postgresql: each start_berth on a fresh data root also gets a fresh
#                     PostgreSQL database berth_e2e_PID_N (e2e/postgresql-database.sh; dropped
#                     at exit unless E2E_KEEP=1) and BERTH_DB_* pointing at it; restart_berth
#                     keeps both. BERTH_DB_* inherited from the caller are ignored. Reached with
#                     PGHOST (default 127.0.0.1), PGPORT (5432), PGUSER and PGPASSWORD (default
#                     berth_test, the role ./test.sh creates; it must be allowed to create databases)
#
# Set by a scenario before start_berth, for a registry reached another way (TLS, a proxy):
#   E2E_MICRO_ARGS    array: more Payara Micro arguments (e.g. --sslport, --prebootcommandfile)
#   E2E_SCHEME        scheme clients use (default http)
#   E2E_CLIENT_PORT   port clients use (default BERTH_PORT, the plain HTTP listener)
#   E2E_CLIENT_HOST   host name clients use (default localhost)
#   E2E_CURL_ARGS     array: more curl arguments for http() and wait_ready (e.g. --cacert)
#
# Scenario scripts get: REGISTRY (host:port), REGISTRY_URL (http://host:port),
# BERTH_PORT, BERTH_DATA_ROOT, E2E_WORK (a temp dir removed at exit).
#
# Berth starts with the system administrator's password E2E_ADMIN_PASSWORD; start_berth
# logs docker in as admin (skopeo reads the same credentials) and creates the projects
# the scenarios push to (E2E_PROJECTS). http() sends admin's credentials too.

set -Eeuo pipefail

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$E2E_DIR/.." && pwd)
E2E_NAME=$(basename "$0" .sh)
E2E_TARGET=${E2E_TARGET:-berth}
E2E_START_TIMEOUT=${E2E_START_TIMEOUT:-180}
E2E_RUN_ID="$(date +%s)-$$"
E2E_WORK=$(mktemp -d "${TMPDIR:-/tmp}/berth-e2e-${E2E_NAME}.XXXXXX")
E2E_LOG_DIR=${E2E_LOG_DIR:-$E2E_WORK}
mkdir -p "$E2E_LOG_DIR"
E2E_LOG_DIR=$(cd "$E2E_LOG_DIR" && pwd)
REGISTRY_LOG="$E2E_LOG_DIR/${E2E_NAME}.registry.log"
: >"$REGISTRY_LOG"

BERTH_WAR=${BERTH_WAR:-$REPO_ROOT/target/ROOT.war}
# failsafe passes its payara.microJar; by hand, the build's Payara Micro with Berth's
# pre-boot commands baked in (target/berth-micro.jar) when there is one
if [[ -z ${BERTH_MICRO_JAR:-} ]]; then
    if [[ -f $REPO_ROOT/target/berth-micro.jar ]]; then
        BERTH_MICRO_JAR=$REPO_ROOT/target/berth-micro.jar
    else
        BERTH_MICRO_JAR=$REPO_ROOT/target/payara-micro.jar
    fi
fi

# The docker.io client matches the Debian daemon (20.10). The machine image also has a
# docker 28 client first on PATH (/usr/local/bin/docker); it negotiates down to API 1.41
# and works too, but the matching client is the one these scripts are proven with.
# The legacy builder is used: BuildKit's RUN needs the default bridge network, which a
# dockerd started with --bridge=none does not have.
if [[ -z ${DOCKER:-} ]]; then
    if [[ -x /usr/bin/docker ]]; then DOCKER=/usr/bin/docker; else DOCKER=docker; fi
fi
export DOCKER_BUILDKIT=0
# every docker and skopeo call is bounded, so a hung registry fails the scenario
E2E_CMD_TIMEOUT=${E2E_CMD_TIMEOUT:-300}
E2E_ADMIN_PASSWORD=${E2E_ADMIN_PASSWORD:-Admin12345!}
E2E_PROJECTS=${E2E_PROJECTS:-big durable mirror persist multi}
docker() { command timeout "$E2E_CMD_TIMEOUT" "$DOCKER" "$@"; }

REGISTRY=
REGISTRY_URL=
BERTH_PORT=
BERTH_PID=
BERTH_DATA_ROOT=
E2E_EXTERNAL=0
E2E_SHARED=0
E2E_IMAGES=()
E2E_BASE_IMAGE=
E2E_MICRO_ARGS=()
E2E_CURL_ARGS=()
E2E_SCHEME=${E2E_SCHEME:-http}
E2E_CLIENT_PORT=${E2E_CLIENT_PORT:-}
E2E_DB=${E2E_DB:-h2}
E2E_DB_NAME=
E2E_DB_COUNT=0
case $E2E_DB in
h2) ;;
postgresql)
    # the Maven pass on PostgreSQL sets BERTH_DB_* for its ITs: a scenario's Berth gets its own
    unset BERTH_DB_DATASOURCE_CLASS BERTH_DB_URL BERTH_DB_USER BERTH_DB_PASSWORD BERTH_DB_JNDI
    export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-berth_test} PGPASSWORD=${PGPASSWORD:-berth_test}
    ;;
*)
    echo "E2E_DB=$E2E_DB: expected h2 or postgresql" >&2
    rm -rf "$E2E_WORK"
    exit 2
    ;;
esac

# ---------------------------------------------------------------- logging/asserts

log() { printf '[%s] %s: %s\n' "$(date +%H:%M:%S)" "$E2E_NAME" "$*"; }
step() { printf '\n[%s] %s: ==== %s\n' "$(date +%H:%M:%S)" "$E2E_NAME" "$*"; }

# fail MESSAGE...: print what failed and exit non-zero (the EXIT trap prints logs).
fail() {
    printf '\n[%s] %s: FAIL: %s\n' "$(date +%H:%M:%S)" "$E2E_NAME" "$*" >&2
    E2E_FAILED=1
    E2E_FAILURE=$*
    exit 1
}

assert_eq() { # EXPECTED ACTUAL WHAT
    [[ $1 == "$2" ]] || fail "${3:-values differ}: expected [$1] but got [$2]"
}

assert_ne() { # UNEXPECTED ACTUAL WHAT
    [[ $1 != "$2" ]] || fail "${3:-values equal}: did not expect [$1]"
}

assert_contains() { # HAYSTACK NEEDLE WHAT
    [[ $1 == *"$2"* ]] || fail "${3:-text lacks expected part}: [$2] not found in:
$1"
}

assert_not_contains() { # HAYSTACK NEEDLE WHAT
    [[ $1 != *"$2"* ]] || fail "${3:-text has unexpected part}: [$2] found in:
$1"
}

assert_files_equal() { # FILE1 FILE2 WHAT
    cmp -s "$1" "$2" || fail "${3:-files differ}: $1 and $2 differ ($(wc -c <"$1") vs $(wc -c <"$2") bytes)"
}

# assert_line_in LIST_TEXT LINE WHAT: LINE is one of the lines of LIST_TEXT
assert_line_in() {
    grep -qxF -- "$2" <<<"$1" || fail "${3:-missing line}: [$2] not among:
$1"
}

assert_line_not_in() {
    if grep -qxF -- "$2" <<<"$1"; then fail "${3:-unexpected line}: [$2] is among:
$1"; fi
}

# run CMD...: run a command, echo its output, fail with that output if it fails.
# The output is also left in $RUN_OUT for later assertions.
RUN_OUT=
run() {
    log "\$ $*"
    local rc=0
    RUN_OUT=$("$@" 2>&1) || rc=$?
    printf '%s\n' "$RUN_OUT" | sed 's/^/    | /'
    ((rc == 0)) || fail "command exited $rc: $*"
}

# run_to FILE CMD...: run a command with its standard output (exact bytes) in FILE;
# fail with its standard error if it fails.
run_to() {
    local file=$1
    shift
    log "\$ $* > $(basename "$file")"
    local rc=0
    "$@" >"$file" 2>"$file.err" || rc=$?
    ((rc == 0)) || fail "command exited $rc: $*
$(cat "$file.err")"
}

# run_fails CMD...: the command must fail; output in $RUN_OUT.
run_fails() {
    log "\$ $* (must fail)"
    local rc=0
    RUN_OUT=$("$@" 2>&1) || rc=$?
    printf '%s\n' "$RUN_OUT" | sed 's/^/    | /'
    ((rc != 0)) || fail "command succeeded but should have failed: $*"
}

# ---------------------------------------------------------------- HTTP helpers

# http METHOD PATH_OR_URL [curl args...]: sets HTTP_STATUS, HTTP_BODY (file) and
# HTTP_HEADERS (file). Never fails by itself.
HTTP_STATUS=
HTTP_BODY=
HTTP_HEADERS=
http() {
    local method=$1 url=$2
    shift 2
    [[ $url == http* ]] || url="$REGISTRY_URL$url"
    HTTP_BODY="$E2E_WORK/http.body"
    HTTP_HEADERS="$E2E_WORK/http.headers"
    : >"$HTTP_BODY"
    : >"$HTTP_HEADERS"
    local args=(-sS --max-time 120 -X "$method" -o "$HTTP_BODY" -D "$HTTP_HEADERS" -w '%{http_code}')
    [[ $method == HEAD ]] && args=(-sS --max-time 120 -I -o "$HTTP_BODY" -D "$HTTP_HEADERS" -w '%{http_code}')
    [[ $E2E_TARGET == berth && ${E2E_ANONYMOUS:-0} != 1 ]] && args+=(-u "admin:$E2E_ADMIN_PASSWORD")
    HTTP_STATUS=$(curl "${args[@]}" ${E2E_CURL_ARGS[@]+"${E2E_CURL_ARGS[@]}"} "$@" "$url") || HTTP_STATUS="curl-error-$?"
}

# header NAME: value of a response header of the last http call (case-insensitive)
header() {
    awk -v n="$(tr '[:upper:]' '[:lower:]' <<<"$1")" '
        { line=$0; sub(/\r$/, "", line); i=index(line, ":");
          if (i > 0 && tolower(substr(line, 1, i-1)) == n) { v=substr(line, i+1); sub(/^[ \t]+/, "", v); val=v } }
        END { print val }' "$HTTP_HEADERS"
}

# expect_status CODE METHOD PATH [curl args...]: the call must answer CODE
expect_status() {
    local want=$1
    shift
    http "$@"
    if [[ $HTTP_STATUS != "$want" ]]; then
        fail "$1 $2 answered $HTTP_STATUS, expected $want
--- headers:
$(cat "$HTTP_HEADERS")
--- body (first 2000 bytes):
$(head -c 2000 "$HTTP_BODY")"
    fi
}

# await_run PATH: poll GET PATH (a garbage collection or retention run of /api/v1) until its
# state is no longer running, 2 minutes at most; the run's JSON is then in $HTTP_BODY
await_run() {
    local i
    for i in $(seq 1 1200); do
        expect_status 200 GET "$1"
        [[ $(jq -r .state "$HTTP_BODY") != running ]] && return 0
        sleep 0.1
    done
    fail "$1 was still running after 2 minutes"
}

# absolute_url LOCATION: a Location header value made absolute
absolute_url() {
    case $1 in
    http://* | https://*) printf '%s' "$1" ;;
    /*) printf '%s%s' "$REGISTRY_URL" "$1" ;;
    *) fail "unexpected relative Location: $1" ;;
    esac
}

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# ---------------------------------------------------------------- registry lifecycle

# free_port: a TCP port on 127.0.0.1 that nothing listens on, below the kernel's range of
# ephemeral ports: a port in that range can be taken by any outgoing connection between this
# check and the bind (seen: Payara's BindException on a port 50-tls had just found free)
free_port() {
    local p _ low=32768
    read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
    ((low > 16000)) || low=32768
    for _ in $(seq 1 200); do
        p=$((15000 + RANDOM % (low - 15000)))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    fail "no free port found"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start_berth [DATA_ROOT]: start the registry under test on a free loopback port with a
# fresh temp data root (or DATA_ROOT), wait until GET /v2/ answers 200.
start_berth() {
    if [[ -n ${E2E_REGISTRY:-} ]]; then
        E2E_EXTERNAL=1
        REGISTRY=$E2E_REGISTRY
        REGISTRY_URL="http://$REGISTRY"
        BERTH_PORT=${REGISTRY##*:}
        log "using the already running registry at $REGISTRY"
        wait_ready
        return 0
    fi
    if [[ -n ${E2E_SHARED_DIR:-} ]]; then
        [[ -z ${1:-} ]] || fail "this scenario restarts the registry: unset E2E_SHARED_DIR"
        shared_berth
        return 0
    fi
    BERTH_DATA_ROOT=${1:-$(mktemp -d "$E2E_WORK/data.XXXXXX")}
    mkdir -p "$BERTH_DATA_ROOT"
    # a fresh data root needs a fresh database: rows of another run would name blobs not on disk
    # (unless the scenario chose its database itself, as 60-postgresql does)
    if [[ -z ${1:-} && $E2E_TARGET == berth && $E2E_DB == postgresql ]] &&
        [[ -z ${BERTH_DB_URL:-} || -n $E2E_DB_NAME ]]; then
        fresh_postgresql_database
    fi
    [[ -n $BERTH_PORT ]] || BERTH_PORT=$(free_port)
    REGISTRY="${E2E_CLIENT_HOST:-localhost}:${E2E_CLIENT_PORT:-$BERTH_PORT}"
    REGISTRY_URL="$E2E_SCHEME://$REGISTRY"
    case $E2E_TARGET in
    berth) launch_berth ;;
    distribution) launch_distribution ;;
    *) fail "unknown E2E_TARGET '$E2E_TARGET' (berth or distribution)" ;;
    esac
    wait_ready
    if [[ -n $E2E_DB_NAME ]]; then
        "$E2E_DIR/postgresql-database.sh" used "$E2E_DB_NAME" "$BERTH_DATA_ROOT" >/dev/null ||
            fail "Berth did not keep its metadata in PostgreSQL database $E2E_DB_NAME"
    fi
    [[ $E2E_TARGET == berth ]] && sign_in_and_prepare
    return 0
}

# shared_berth: use the Berth kept in E2E_SHARED_DIR, or start it there (see E2E_SHARED_DIR)
shared_berth() {
    local dir pid
    [[ $E2E_TARGET == berth && $E2E_DB == h2 ]] || fail "E2E_SHARED_DIR is for Berth on H2 only"
    [[ ${#E2E_MICRO_ARGS[@]} == 0 && $E2E_SCHEME == http && -z $E2E_CLIENT_PORT ]] ||
        fail "this scenario starts Berth its own way: unset E2E_SHARED_DIR"
    mkdir -p "$E2E_SHARED_DIR"
    dir=$(cd "$E2E_SHARED_DIR" && pwd)
    BERTH_DATA_ROOT=$dir/data
    REGISTRY_LOG="$E2E_LOG_DIR/shared.registry.log"
    E2E_SHARED=1
    if pid=$(cat "$dir/pid" 2>/dev/null) && kill -0 "$pid" 2>/dev/null; then
        BERTH_PORT=$(cat "$dir/port")
        REGISTRY="localhost:$BERTH_PORT"
        REGISTRY_URL="http://$REGISTRY"
        log "using the shared Berth of $dir (pid $pid, port $BERTH_PORT, log: $REGISTRY_LOG)"
        wait_ready
    else
        mkdir -p "$BERTH_DATA_ROOT"
        BERTH_PORT=$(free_port)
        REGISTRY="localhost:$BERTH_PORT"
        REGISTRY_URL="http://$REGISTRY"
        E2E_BERTH_HOME=$dir launch_berth
        echo "$BERTH_PID" >"$dir/pid"
        echo "$BERTH_PORT" >"$dir/port"
        wait_ready
        log "Berth stays up for the next scenarios that share it (pid $BERTH_PID)"
    fi
    BERTH_PID= # not this scenario's to stop
    sign_in_and_prepare
}

# sign_in_and_prepare: docker login as admin, and the projects the scenarios push to
sign_in_and_prepare() {
    printf '%s' "$E2E_ADMIN_PASSWORD" | docker login "$REGISTRY" -u admin --password-stdin >/dev/null ||
        fail "docker login $REGISTRY as admin failed"
    local project
    for project in $E2E_PROJECTS; do
        http POST /api/v1/projects -H 'Content-Type: application/json' -d "{\"name\":\"$project\",\"public\":true}"
        [[ $HTTP_STATUS == 201 || $HTTP_STATUS == 409 ]] || fail "cannot create project $project: $HTTP_STATUS $(cat "$HTTP_BODY")"
    done
}

# fresh_postgresql_database: create berth_e2e_PID_N (dropped at exit) and point BERTH_DB_* at it
fresh_postgresql_database() {
    E2E_DB_COUNT=$((E2E_DB_COUNT + 1))
    E2E_DB_NAME="berth_e2e_$$_$E2E_DB_COUNT"
    "$E2E_DIR/postgresql-database.sh" recreate "$E2E_DB_NAME" ||
        fail "cannot create PostgreSQL database $E2E_DB_NAME at $PGHOST:$PGPORT as $PGUSER"
    at_exit "[[ \${E2E_KEEP:-0} == 1 ]] || '$E2E_DIR/postgresql-database.sh' drop $E2E_DB_NAME || true"
    export BERTH_DB_DATASOURCE_CLASS=org.postgresql.ds.PGSimpleDataSource
    export BERTH_DB_URL="jdbc:postgresql://$PGHOST:$PGPORT/$E2E_DB_NAME"
    export BERTH_DB_USER=$PGUSER BERTH_DB_PASSWORD=$PGPASSWORD
    log "PostgreSQL database $E2E_DB_NAME at $PGHOST:$PGPORT"
}

launch_berth() {
    [[ -f $BERTH_WAR ]] || fail "no WAR at $BERTH_WAR: run 'mvn -B package -DskipTests' first"
    [[ -f $BERTH_MICRO_JAR ]] || fail "no Payara Micro at $BERTH_MICRO_JAR: run 'mvn -B package -DskipTests' first"
    # A private copy: a rebuild of target/ROOT.war during the run must not disturb it.
    # The file name ROOT.war makes Payara deploy it at context root /. E2E_BERTH_HOME: where
    # the copy and Payara's temp files go (the scenario's temp dir unless Berth outlives it).
    local home=${E2E_BERTH_HOME:-$E2E_WORK}
    if [[ ! -f $home/deploy/ROOT.war ]]; then
        mkdir -p "$home/deploy"
        cp "$BERTH_WAR" "$home/deploy/ROOT.war"
    fi
    local java=java
    [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]] && java=$JAVA_HOME/bin/java
    local db=${BERTH_DB_URL:-H2 under the data root}
    log "starting Berth ($(basename "$BERTH_MICRO_JAR")) on port $BERTH_PORT, data root $BERTH_DATA_ROOT, database $db (log: $REGISTRY_LOG)"
    echo "===== $(date -Is) starting Berth on port $BERTH_PORT, data root $BERTH_DATA_ROOT, database $db" >>"$REGISTRY_LOG"
    (
        cd "$home"
        export BERTH_DATA_ROOT
        export BERTH_ADMIN_PASSWORD=$E2E_ADMIN_PASSWORD
        # the integration tests' short token lifetime, send timeout and garbage collection periods
        # are not for docker pushes and pulls of large layers on a loaded machine
        unset BERTH_TOKEN_LIFETIME BERTH_SEND_TIMEOUT BERTH_GC_GRACE BERTH_UPLOAD_EXPIRY
        # the garbage collection scenarios' grace period, when the run or the scenario sets one
        [[ -z ${E2E_GC_GRACE:-} ]] || export BERTH_GC_GRACE=$E2E_GC_GRACE
        # Payara Micro unpacks ~100 MB into java.io.tmpdir and leaves it there when it is
        # killed: keep that inside the scenario's temp dir (removed at exit) or the shared dir.
        mkdir -p "$home/java-tmp"
        exec "$java" -Xmx512m -Djava.io.tmpdir="$home/java-tmp" \
            -jar "$BERTH_MICRO_JAR" --deploy "$home/deploy/ROOT.war" \
            --port "$BERTH_PORT" --nocluster ${E2E_MICRO_ARGS[@]+"${E2E_MICRO_ARGS[@]}"} </dev/null >>"$REGISTRY_LOG" 2>&1
    ) &
    BERTH_PID=$!
}

# launch_other_berth PID_VAR HOME PORT LOG: another Berth of this build beside the one under test
# (an upstream, a replication site), on 127.0.0.1:PORT with its own data root and H2 under HOME,
# kept across restarts; in the background, its process id in the variable named PID_VAR, its
# output appended to LOG. Wait for it with BERTH_PID=... REGISTRY_URL=... wait_ready.
launch_other_berth() {
    local pid_var=$1 home=$2 port=$3 out=$4
    [[ -f $BERTH_WAR && -f $BERTH_MICRO_JAR ]] || fail "no $BERTH_WAR or $BERTH_MICRO_JAR: run 'mvn -B package -DskipTests' first"
    mkdir -p "$home/deploy" "$home/java-tmp" "$home/data"
    [[ -f $home/deploy/ROOT.war ]] || cp "$BERTH_WAR" "$home/deploy/ROOT.war"
    echo 'set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1' \
        >"$home/loopback.asadmin"
    echo "===== $(date -Is) starting Berth on port $port" >>"$out"
    (
        cd "$home"
        unset BERTH_DB_DATASOURCE_CLASS BERTH_DB_URL BERTH_DB_USER BERTH_DB_PASSWORD BERTH_DB_JNDI
        unset BERTH_TOKEN_LIFETIME BERTH_SEND_TIMEOUT BERTH_GC_GRACE BERTH_UPLOAD_EXPIRY
        # shellcheck disable=SC2031 # this subshell's own environment
        export BERTH_DATA_ROOT="$home/data" BERTH_ADMIN_PASSWORD=$E2E_ADMIN_PASSWORD
        exec java -Xmx256m -Djava.io.tmpdir="$home/java-tmp" -jar "$BERTH_MICRO_JAR" \
            --deploy "$home/deploy/ROOT.war" --port "$port" --nocluster \
            --prebootcommandfile "$home/loopback.asadmin" </dev/null >>"$out" 2>&1
    ) &
    printf -v "$pid_var" '%s' "$!"
}

# distribution_config FILE ROOT ADDR SECRET LOG_LEVEL [YAML]: a config of Debian's docker-registry
# (Distribution) for the e2e tests: filesystem storage in ROOT, deletes on, upload purging off,
# listening on ADDR (127.0.0.1:PORT), YAML (whole top-level sections such as auth:) added at the end
distribution_config() {
    cat >"$1" <<EOF
version: 0.1
log:
  level: $5
storage:
  filesystem:
    rootdirectory: $2
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: $3
  secret: $4
${6:-}
EOF
}

# launch_other_distribution PID_VAR DIR ADDR LOG [YAML]: Distribution beside the registry under test
# (an upstream, a replication source) on ADDR, its config and storage under DIR, YAML added to its
# config; in the background, killed at exit, its process id in the variable named PID_VAR, its
# output appended to LOG
launch_other_distribution() {
    local pid_var=$1 dir=$2 addr=$3 out=$4
    mkdir -p "$dir/storage"
    distribution_config "$dir/config.yml" "$dir/storage" "$addr" "berth-e2e-$E2E_NAME-secret" warn "${5:-}"
    (exec docker-registry serve "$dir/config.yml" </dev/null >>"$out" 2>&1) &
    printf -v "$pid_var" '%s' "$!"
    at_exit "kill $! 2>/dev/null || true"
}

# stop_other_berth PID [--kill]: SIGTERM (or with --kill, SIGKILL: a crash) to a Berth of
# launch_other_berth, SIGKILL after 30 s, and wait for it to exit
stop_other_berth() {
    [[ -n $1 ]] || return 0
    if [[ ${2:-} == --kill ]]; then
        kill -KILL "$1" 2>/dev/null || true
    else
        kill "$1" 2>/dev/null || true
        local _
        for _ in $(seq 1 60); do kill -0 "$1" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$1" 2>/dev/null || true
    fi
    wait "$1" 2>/dev/null || true
}

launch_distribution() {
    command -v docker-registry >/dev/null ||
        fail "E2E_TARGET=distribution needs Debian's docker-registry package (apt-get install docker-registry)"
    local cfg="$E2E_WORK/distribution.yml"
    distribution_config "$cfg" "$BERTH_DATA_ROOT" "127.0.0.1:$BERTH_PORT" berth-e2e-fixed-secret info
    log "starting Distribution (docker-registry) on port $BERTH_PORT, root $BERTH_DATA_ROOT (log: $REGISTRY_LOG)"
    echo "===== $(date -Is) starting docker-registry on port $BERTH_PORT" >>"$REGISTRY_LOG"
    (exec docker-registry serve "$cfg" </dev/null >>"$REGISTRY_LOG" 2>&1) &
    BERTH_PID=$!
}

wait_ready() {
    local deadline=$((SECONDS + E2E_START_TIMEOUT)) code err="$E2E_WORK/wait_ready.err"
    while :; do
        code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 5 ${E2E_CURL_ARGS[@]+"${E2E_CURL_ARGS[@]}"} "$REGISTRY_URL/v2/" 2>"$err" || true)
        # 401: Berth asks for credentials on /v2/ (docker login starts there)
        if [[ $code == 200 || $code == 401 ]]; then
            log "registry ready at $REGISTRY_URL"
            return 0
        fi
        if [[ -n $BERTH_PID ]] && ! kill -0 "$BERTH_PID" 2>/dev/null; then
            local status=0
            wait "$BERTH_PID" 2>/dev/null || status=$?
            BERTH_PID=
            fail "the registry process exited with status $status before GET /v2/ answered 200$( ((status > 128)) && echo " (killed by signal $((status - 128)))")"
        fi
        ((SECONDS < deadline)) || fail "GET $REGISTRY_URL/v2/ did not answer 200 within ${E2E_START_TIMEOUT}s (last: $code $(head -c 300 "$err"))$(direct_probe)"
        sleep 1
    done
}

# direct_probe: when clients reach Berth another way (a proxy, TLS), what its own plain HTTP
# port answers, to tell a registry that is down from a path to it that is broken
direct_probe() {
    [[ -n ${BERTH_PORT:-} && $REGISTRY_URL != "http://localhost:$BERTH_PORT" ]] || return 0
    printf '; GET http://127.0.0.1:%s/v2/ (Berth itself): %s' "$BERTH_PORT" \
        "$(curl -sS -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$BERTH_PORT/v2/" 2>&1 || true)"
}

# stop_berth: stop the registry started by start_berth and wait for it to exit
stop_berth() {
    [[ -n $BERTH_PID ]] || return 0
    log "stopping the registry (pid $BERTH_PID)"
    kill -TERM "$BERTH_PID" 2>/dev/null || true
    local _
    for _ in $(seq 1 60); do
        kill -0 "$BERTH_PID" 2>/dev/null || break
        sleep 1
    done
    if kill -0 "$BERTH_PID" 2>/dev/null; then
        log "the registry did not exit within 60s of SIGTERM: killing it"
        kill -KILL "$BERTH_PID" 2>/dev/null || true
    fi
    wait "$BERTH_PID" 2>/dev/null || true
    BERTH_PID=
    echo "===== $(date -Is) stopped" >>"$REGISTRY_LOG"
}

# require_restartable: this scenario restarts the registry, so it must start its own
require_restartable() {
    [[ -z ${E2E_REGISTRY:-} ]] || fail "this scenario restarts the registry: unset E2E_REGISTRY to let it start its own"
    [[ -z ${E2E_SHARED_DIR:-} ]] || fail "this scenario restarts the registry: unset E2E_SHARED_DIR to let it start its own"
}

# kill_berth: end the registry with SIGKILL (a crash: no shutdown hooks run)
kill_berth() {
    [[ -n $BERTH_PID ]] || return 0
    log "killing the registry with SIGKILL (pid $BERTH_PID)"
    kill -KILL "$BERTH_PID" 2>/dev/null || true
    wait "$BERTH_PID" 2>/dev/null || true
    BERTH_PID=
    echo "===== $(date -Is) killed with SIGKILL" >>"$REGISTRY_LOG"
}

# restart_berth [--kill]: stop (or with --kill, crash) the registry, then start it
# again on the same port with the same data root
restart_berth() {
    ((E2E_EXTERNAL == 0)) || fail "this scenario restarts the registry: it cannot use E2E_REGISTRY"
    ((E2E_SHARED == 0)) || fail "this scenario restarts the registry: unset E2E_SHARED_DIR"
    if [[ ${1:-} == --kill ]]; then kill_berth; else stop_berth; fi
    local _
    for _ in $(seq 1 30); do
        port_in_use "$BERTH_PORT" || break
        sleep 1
    done
    port_in_use "$BERTH_PORT" && fail "port $BERTH_PORT still in use after the registry stopped"
    start_berth "$BERTH_DATA_ROOT"
}

# ---------------------------------------------------------------- docker helpers

require_docker() {
    docker info >/dev/null 2>&1 ||
        fail "no Docker engine answers '$DOCKER info': run .ci/run, or start dockerd (dockerd --storage-driver=vfs --iptables=false --bridge=none)"
}

require_skopeo() {
    command -v skopeo >/dev/null || fail "skopeo is not installed (apt-get install skopeo)"
}

# skopeo with the flags every call here needs (no policy file needed, no TLS to loopback)
skopeo_() { command timeout "$E2E_CMD_TIMEOUT" skopeo --insecure-policy "$@"; }

# track_image REF...: remove these images when the scenario ends
track_image() { E2E_IMAGES+=("$@"); }

# build_base_image: import a one-layer image holding a static busybox (no network needed);
# sets E2E_BASE_IMAGE
build_base_image() {
    [[ -n $E2E_BASE_IMAGE ]] && return 0
    local bb
    bb=$(command -v busybox || true)
    [[ -n $bb ]] || bb=/bin/busybox
    [[ -x $bb ]] || fail "no busybox binary (apt-get install busybox-static)"
    local root="$E2E_WORK/base-root"
    mkdir -p "$root/bin" "$root/etc" "$root/tmp"
    cp "$bb" "$root/bin/busybox"
    local applet
    for applet in sh ls cat echo sha256sum head wc true; do ln -s busybox "$root/bin/$applet"; done
    echo "berth-e2e base $E2E_RUN_ID" >"$root/etc/berth-e2e"
    tar -C "$root" -cf "$E2E_WORK/base.tar" .
    E2E_BASE_IMAGE="berth-e2e-base:$E2E_RUN_ID"
    track_image "$E2E_BASE_IMAGE"
    docker import -c 'CMD ["/bin/sh"]' "$E2E_WORK/base.tar" "$E2E_BASE_IMAGE" >/dev/null ||
        fail "docker import of the busybox base image failed"
    log "imported base image $E2E_BASE_IMAGE"
}

# build_image TAG SIZE... : an image FROM the busybox base with one COPY layer per SIZE
# (bytes, or with K/M suffix as head -c takes them) of random data, /data/layerN.bin.
# The random files stay in $E2E_WORK/ctx-TAG/ for content checks.
build_image() {
    local tag=$1
    shift
    build_base_image
    local ctx
    ctx="$E2E_WORK/ctx-$(tr -c 'a-zA-Z0-9' '_' <<<"$tag")"
    mkdir -p "$ctx"
    {
        echo "FROM $E2E_BASE_IMAGE"
        echo "LABEL org.berth.e2e.run=\"$E2E_RUN_ID\" org.berth.e2e.tag=\"$tag\""
    } >"$ctx/Dockerfile"
    local n=0 size
    for size in "$@"; do
        n=$((n + 1))
        head -c "$size" /dev/urandom >"$ctx/layer$n.bin"
        echo "COPY layer$n.bin /data/layer$n.bin" >>"$ctx/Dockerfile"
    done
    track_image "$tag"
    log "building $tag with $n random layer(s): $*"
    local out rc=0
    out=$(docker build --no-cache -t "$tag" "$ctx" 2>&1) || rc=$?
    ((rc == 0)) || fail "docker build of $tag failed:
$out"
    # shellcheck disable=SC2034 # for the calling scenario
    BUILD_CONTEXT=$ctx
}

image_id() { docker image inspect -f '{{.Id}}' "$1"; }

# pushed_digest: the manifest digest in the output of the last `run docker push` (RUN_OUT)
pushed_digest() {
    local digest
    digest=$(grep -o 'digest: sha256:[0-9a-f]\{64\}' <<<"$RUN_OUT" | head -n1 | cut -d' ' -f2)
    [[ -n $digest ]] || fail "docker push printed no digest"
    echo "$digest"
}

# image_file_sha IMAGE PATH: sha256 of a file inside an image, read without running
# a container (docker create + docker cp need no container runtime)
image_file_sha() {
    local cid out
    cid=$(docker create --network none "$1" /bin/true) || fail "docker create $1 failed"
    mkdir -p "$E2E_WORK/cp"
    rm -rf "$E2E_WORK/cp/out"
    mkdir "$E2E_WORK/cp/out"
    if ! docker cp "$cid:$2" "$E2E_WORK/cp/out/" >/dev/null; then
        docker rm -f "$cid" >/dev/null 2>&1 || true
        fail "docker cp $2 out of $1 failed"
    fi
    docker rm -f "$cid" >/dev/null 2>&1 || true
    out=$(sha256_of "$E2E_WORK/cp/out/$(basename "$2")")
    rm -rf "$E2E_WORK/cp/out"
    echo "$out"
}

# remove_image_completely IMAGE: remove every tag of the image so that a pull must
# fetch it again; fails if the image is still there afterwards
remove_image_completely() {
    local id
    id=$(image_id "$1")
    docker rmi -f "$id" >/dev/null || fail "docker rmi -f $id failed"
    if docker image inspect "$id" >/dev/null 2>&1; then
        fail "image $id is still present after docker rmi"
    fi
    log "removed image $id (all tags)"
}

# ipv6_loopback_name NAME: make NAME resolve to ::1 only (a line in /etc/hosts, removed at
# exit). dockerd treats 127.0.0.0/8 as insecure registries, where it does not verify TLS
# certificates; a registry named NAME is not, so docker verifies it against certs.d.
ipv6_loopback_name() {
    local name=$1
    [[ -w /etc/hosts ]] || fail "ipv6_loopback_name needs a writable /etc/hosts (run as root)"
    grep -q "[[:space:]]$name\b" /etc/hosts && fail "$name is already in /etc/hosts"
    echo "::1 $name # berth e2e $E2E_NAME, removed at exit" >>/etc/hosts
    at_exit "sed -i '/^::1 $name # berth e2e/d' /etc/hosts"
    # dockerd (Go) re-reads /etc/hosts at most every 5 s
    sleep 6
}

# start_nginx DIR SITE_CONF LOG_FORMAT: Debian's nginx with SITE_CONF as its only site, its pid,
# logs (DIR/error.log, DIR/access.log in LOG_FORMAT) and temp files under DIR; stopped at exit
start_nginx() {
    local dir=$1 site=$2 format=$3
    mkdir -p "$dir/temp"
    cat >"$dir/nginx.conf" <<NGINX
pid $dir/nginx.pid;
error_log $dir/error.log info;
worker_processes 1;
events { worker_connections 256; }
http {
    log_format scenario '$format';
    access_log $dir/access.log scenario;
    client_body_temp_path $dir/temp/body;
    proxy_temp_path $dir/temp/proxy;
    fastcgi_temp_path $dir/temp/fastcgi;
    uwsgi_temp_path $dir/temp/uwsgi;
    scgi_temp_path $dir/temp/scgi;
    include /etc/nginx/mime.types;
    include $site;
}
NGINX
    run nginx -t -c "$dir/nginx.conf" -e "$dir/error.log"
    nginx -c "$dir/nginx.conf" -e "$dir/error.log" || fail "nginx did not start: $(tail -n 20 "$dir/error.log")"
    at_exit "stop_nginx '$dir'"
    show_on_failure "$dir/error.log" "$dir/access.log"
    for _ in $(seq 1 20); do [[ -s $dir/nginx.pid ]] && break; sleep 0.25; done
    log "nginx is running (pid $(cat "$dir/nginx.pid"))"
}

# stop_nginx DIR: stop the nginx start_nginx started in DIR
stop_nginx() {
    local pid
    pid=$(cat "$1/nginx.pid" 2>/dev/null) || return 0
    log "stopping nginx (pid $pid)"
    kill -QUIT "$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
}

# ---------------------------------------------------------------- exit handling

E2E_FAILED=0
E2E_FAILURE=
# show_on_failure FILE...: print the tail of each FILE with the registry log when the scenario
# fails (logs of what a scenario starts itself, e.g. a proxy's error log)
E2E_FAILURE_LOGS=()
show_on_failure() { E2E_FAILURE_LOGS+=("$@"); }
# at_exit COMMAND: run COMMAND (a string for eval) when the scenario ends, after the registry
# is stopped; the last registered runs first. For what a scenario starts or installs itself.
E2E_AT_EXIT=()
at_exit() { E2E_AT_EXIT+=("$1"); }

e2e_on_err() {
    local rc=$1 line=$2 cmd=$3
    # called for a failing simple command that set -e turns into an exit
    printf '\n[%s] %s: FAIL: command at %s line %s exited %s: %s\n' \
        "$(date +%H:%M:%S)" "$E2E_NAME" "$(basename "$0")" "$line" "$rc" "$cmd" >&2
    E2E_FAILED=1
    E2E_FAILURE="command at $(basename "$0") line $line exited $rc: $cmd"
}

e2e_on_exit() {
    local rc=$?
    trap - ERR
    set +e
    if ((rc != 0)) || ((E2E_FAILED != 0)); then
        if [[ -s $REGISTRY_LOG ]]; then
            echo "----- last 80 lines of the registry log ($REGISTRY_LOG) -----" >&2
            tail -n 80 "$REGISTRY_LOG" >&2
            echo "----- end of registry log -----" >&2
        fi
        local f
        for f in ${E2E_FAILURE_LOGS[@]+"${E2E_FAILURE_LOGS[@]}"}; do
            [[ -s $f ]] || continue
            echo "----- last 30 lines of $f -----" >&2
            tail -n 30 "$f" >&2
            echo "----- end of $(basename "$f") -----" >&2
        done
    fi
    stop_berth
    local i
    for ((i = ${#E2E_AT_EXIT[@]} - 1; i >= 0; i--)); do
        eval "${E2E_AT_EXIT[i]}"
    done
    if ((${#E2E_IMAGES[@]} > 0)); then
        docker rmi -f "${E2E_IMAGES[@]}" >/dev/null 2>&1
    fi
    if [[ ${E2E_KEEP:-0} == 1 ]]; then
        log "kept $E2E_WORK"
    else
        rm -rf "$E2E_WORK"
    fi
    if ((rc == 0)) && ((E2E_FAILED == 0)); then
        log "PASSED"
    else
        # again at the very end, where a reader of the output's last lines finds it
        log "FAILED (exit $rc)${E2E_FAILURE:+: $(head -n 12 <<<"$E2E_FAILURE")}"
    fi
    exit "$rc"
}

trap 'e2e_on_err $? $LINENO "$BASH_COMMAND"' ERR
trap e2e_on_exit EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
