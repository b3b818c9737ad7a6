#!/usr/bin/env bash
# Side-by-side benchmark: CNCF Distribution (Debian's docker-registry) against Berth on Payara Micro.
#   bench/run.sh [--quick|--full]      quick: about 3 minutes; full: longer, bigger blobs
# Needs target/ROOT.war and target/berth-micro.jar (mvn -B package -DskipTests); builds nothing and
# installs nothing. Both registries listen on loopback only and run WITHOUT authentication (Berth with
# BERTH_ANONYMOUS_PUSH=true), so the figures leave out token auth. Results: bench/results/<date>.json.
#   DIST_PORT=25000 BERTH_PORT=25001 NGINX_PORT=25002   ports on 127.0.0.1
#   BERTH_JAVA_OPTS   JVM options of Berth (default below: -Xmx256m and the flags measured best)
#   BERTH_JFR=1       record a JFR profile of Berth beside the results (jfr print / jfr summary)
#   BENCH_DOCKER=0    leave out the docker CLI workload
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
MODE=quick
case "${1:-}" in --quick|"") MODE=quick ;; --full) MODE=full ;; *) echo "usage: bench/run.sh [--quick|--full]" >&2; exit 2 ;; esac
DIST_PORT="${DIST_PORT:-25000}"
BERTH_PORT="${BERTH_PORT:-25001}"
NGINX_PORT="${NGINX_PORT:-25002}"
BERTH_JAVA_OPTS="${BERTH_JAVA_OPTS:--Xmx256m}"

missing=()
for cmd in docker-registry:docker-registry java:openjdk-17-jdk-headless jcmd:openjdk-17-jdk-headless curl:curl dd:coreutils ps:procps nginx:nginx-light busybox:busybox-static; do
    command -v "${cmd%%:*}" >/dev/null || missing+=("${cmd#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "missing Debian packages: ${missing[*]} (apt-get install ${missing[*]})" >&2; exit 2
fi
need_build || exit 2
port_free "$DIST_PORT" "$BERTH_PORT" "$NGINX_PORT" || exit 2

WORK="$(mktemp -d /tmp/berth-bench.XXXXXX)"
DIST_PID="" BERTH_PID="" NGINX_PID=""
cleanup() {
    # shellcheck disable=SC2086 # empty ones drop out
    stop_pids $BERTH_PID $DIST_PID $NGINX_PID
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

mkdir -p "$WORK/dist" "$WORK/berth" bench/results
STAMP="bench/results/$(date -u +%Y-%m-%dT%H%M%SZ)-$MODE"   # .json and the two server logs
dist_config "$WORK/dist.yml" "$WORK/dist" "127.0.0.1:$DIST_PORT"

echo "starting Distribution ($(docker-registry --version 2>/dev/null | head -1)) on 127.0.0.1:$DIST_PORT"
t0=$(date +%s%N)
docker-registry serve "$WORK/dist.yml" > "$STAMP-distribution.log" 2>&1 &
DIST_PID=$!
DIST_MS="$(first_answer "http://127.0.0.1:$DIST_PORT" "$t0" "$DIST_PID")" || { tail -20 "$STAMP-distribution.log"; exit 1; }

# nginx with its own config serving the work folder: the machine's loopback GET rate for the same file.
mkdir -p "$WORK/nginx-tmp"
chmod 711 "$WORK"   # nginx workers (nobody) must reach the blob files (mode 644) in the mktemp folder
cat > "$WORK/nginx.conf" <<NGINX
daemon off;
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 64; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path $WORK/nginx-tmp/body;
    proxy_temp_path $WORK/nginx-tmp/proxy;
    fastcgi_temp_path $WORK/nginx-tmp/fastcgi;
    uwsgi_temp_path $WORK/nginx-tmp/uwsgi;
    scgi_temp_path $WORK/nginx-tmp/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WORK;
        location / { }
    }
}
NGINX
nginx -c "$WORK/nginx.conf" -p "$WORK" > "$STAMP-nginx.log" 2>&1 &
NGINX_PID=$!

JFR_OPT=()
if [ "${BERTH_JFR:-0}" = 1 ]; then
    JFR_OPT=("-XX:StartFlightRecording=filename=$PWD/$STAMP-berth.jfr,settings=profile,dumponexit=true")
fi
echo "starting Berth (Payara Micro, $BERTH_JAVA_OPTS, anonymous push) on port $BERTH_PORT"
t0=$(date +%s%N)
# shellcheck disable=SC2086 # BERTH_JAVA_OPTS is a list of options
BERTH_DATA_ROOT="$WORK/berth" BERTH_ANONYMOUS_PUSH=true \
    java $BERTH_JAVA_OPTS ${JFR_OPT[@]+"${JFR_OPT[@]}"} -jar target/berth-micro.jar --deploy target/ROOT.war \
    --port "$BERTH_PORT" --nocluster --nohazelcast > "$STAMP-berth.log" 2>&1 &
BERTH_PID=$!
BERTH_MS="$(first_answer "http://127.0.0.1:$BERTH_PORT" "$t0" "$BERTH_PID")" || { tail -40 "$STAMP-berth.log"; exit 1; }
echo "startup to first answer on /v2/: Distribution ${DIST_MS} ms, Berth ${BERTH_MS} ms"

OUT="$STAMP.json"
rc=0
java -Xmx1g bench/src/RegistryBench.java --mode "$MODE" \
    --dist "http://127.0.0.1:$DIST_PORT" --dist-pid "$DIST_PID" --dist-startup-ms "$DIST_MS" \
    --berth "http://127.0.0.1:$BERTH_PORT" --berth-pid "$BERTH_PID" --berth-startup-ms "$BERTH_MS" \
    --work "$WORK" --out "$OUT" --nginx "http://127.0.0.1:$NGINX_PORT" \
    --docker "$([ "${BENCH_DOCKER:-1}" = 0 ] && echo false || echo true)" \
    --note "both registries without auth (Berth: BERTH_ANONYMOUS_PUSH=true); shared machine, indicative only" || rc=$?
echo "results: $OUT"
if [ "${BERTH_JFR:-0}" = 1 ]; then
    kill "$BERTH_PID" 2>/dev/null || true        # dumponexit writes the recording
    for _ in $(seq 1 60); do kill -0 "$BERTH_PID" 2>/dev/null || break; sleep 0.5; done
    echo "JFR recording: $STAMP-berth.jfr (jfr summary / jfr print --events jdk.ExecutionSample)"
fi
echo "Berth log: $(grep -c -iE 'SEVERE|Exception' "$STAMP-berth.log" || true) lines with SEVERE/Exception"
grep -iE 'SEVERE|OutOfMemory' "$STAMP-berth.log" | head -5 || true
[ $rc -eq 0 ] || echo "THE RUN HAD FAILURES (exit $rc): see 'failures' above and in $OUT" >&2
exit $rc
