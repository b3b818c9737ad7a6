# shellcheck shell=bash
# Shell functions of the bench scripts (sourced by run.sh and scale.sh).

# port_free PORT...: fails, naming the port, when something listens on 127.0.0.1:PORT.
port_free() {
    local p
    for p in "$@"; do
        if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "port $p on 127.0.0.1 is in use" >&2; return 1; fi
    done
}

# need_build: fails unless target/ROOT.war and target/berth-micro.jar exist (the bench builds nothing).
# shellcheck disable=SC2120 # extra files are optional
need_build() {
    local f
    for f in target/ROOT.war target/berth-micro.jar "$@"; do
        [ -f "$f" ] || { echo "$f is missing: run mvn -B package -DskipTests first" >&2; return 1; }
    done
}

# stop_pids PID...: SIGTERM each, wait up to 30 s each, then SIGKILL.
stop_pids() {
    local pid
    for pid in "$@"; do kill "$pid" 2>/dev/null || true; done
    for pid in "$@"; do
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$pid" 2>/dev/null || true
    done
}

# first_answer URL START_NS PID: waits (bounded: 240 x 0.5 s, or 2 x that with FIRST_ANSWER_TRIES)
# for the registry's first answer on /v2/; prints milliseconds since START_NS (date +%s%N).
first_answer() {
    local url="$1" start="$2" pid="$3" code
    for _ in $(seq 1 "${FIRST_ANSWER_TRIES:-240}"); do
        kill -0 "$pid" 2>/dev/null || { echo "server $url died while starting" >&2; return 1; }
        code="$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$url/v2/" || true)"
        # 200 (or 401 with auth on) comes from the registry itself; Payara answers 404 until the WAR is deployed.
        if [ "$code" = 200 ] || [ "$code" = 401 ]; then
            echo "$(( ($(date +%s%N) - start) / 1000000 ))"; echo "  $url/v2/ answered $code" >&2; return 0
        fi
        sleep 0.5
    done
    echo "no answer from $url/v2/ in $(( ${FIRST_ANSWER_TRIES:-240} / 2 )) s" >&2; return 1
}

# wait_port PORT PID: waits (bounded: 60 s) until 127.0.0.1:PORT accepts connections; fails when PID ends.
wait_port() {
    for _ in $(seq 1 240); do
        kill -0 "$2" 2>/dev/null || { echo "process $2 ended before listening on port $1" >&2; return 1; }
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.25
    done
    echo "nothing listens on 127.0.0.1:$1 after 60 s" >&2; return 1
}

# dist_config FILE ROOT ADDR: Distribution's config for the bench: filesystem storage in ROOT, delete
# enabled, in-memory blob descriptor cache, access log off, listening on ADDR (127.0.0.1:port)
dist_config() {
    cat > "$1" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $2
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: $3
  secret: bench-only-secret
EOF
}
