#!/usr/bin/env bash
# The garbage collector's benchmark (issue 16): sweep of 100,000 unreferenced 4 KiB blobs, mark over
# 10,000 manifests, manifest GETs at c=16 during a sweep against without a run, Berth at -Xmx256m.
#   bench/gc.sh [BLOBS] [MANIFESTS]      defaults 100000 10000
# Starts Berth (target/berth-micro.jar, target/ROOT.war: mvn -B package -DskipTests) on 127.0.0.1 with
# an empty data root, BERTH_GC_GRACE=0 (what the benchmark uploads is garbage at once) and an admin
# password for the API, runs bench/src/GcBench.java measure, stops Berth. Output on stdout; Berth's
# log in bench/results/<time>-gc-berth.log.
#   GC_PORT=25021   GC_JAVA_OPTS=-Xmx256m
set -euo pipefail
cd "$(dirname "$0")/.."
BLOBS="${1:-100000}"
MANIFESTS="${2:-10000}"
PORT="${GC_PORT:-25021}"
JAVA_OPTS="${GC_JAVA_OPTS:--Xmx256m}"
for f in target/ROOT.war target/berth-micro.jar; do
    [ -f "$f" ] || { echo "$f is missing: run mvn -B package -DskipTests first" >&2; exit 2; }
done
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then echo "port $PORT on 127.0.0.1 is in use" >&2; exit 2; fi
mkdir -p bench/results
STAMP="bench/results/$(date -u +%Y-%m-%dT%H%M%SZ)-gc"
WORK="$(mktemp -d /tmp/berth-gc-bench.XXXXXX)"
PID=""
cleanup() {
    if [ -n "$PID" ]; then
        kill "$PID" 2>/dev/null || true
        for _ in $(seq 1 60); do kill -0 "$PID" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

export BENCH_USER=admin BENCH_PASSWORD=Bench-gc-12345
echo "starting Berth ($JAVA_OPTS, BERTH_GC_GRACE=0) on 127.0.0.1:$PORT, data root $WORK/data"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
BERTH_DATA_ROOT="$WORK/data" BERTH_GC_GRACE=0 BERTH_ADMIN_PASSWORD="$BENCH_PASSWORD" \
    java $JAVA_OPTS -Djava.io.tmpdir="$WORK" -jar target/berth-micro.jar --deploy target/ROOT.war \
    --port "$PORT" --nocluster --nohazelcast >"$STAMP-berth.log" 2>&1 &
PID=$!
for _ in $(seq 1 360); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/v2/" || true)
    [ "$code" = 401 ] || [ "$code" = 200 ] && break
    kill -0 "$PID" 2>/dev/null || { tail -40 "$STAMP-berth.log"; exit 1; }
    sleep 0.5
done
java -Xmx512m bench/src/GcBench.java measure "http://127.0.0.1:$PORT" "$BLOBS" "$MANIFESTS"
if grep -q OutOfMemoryError "$STAMP-berth.log"; then
    echo "Berth ran out of memory ($JAVA_OPTS): see $STAMP-berth.log"
    exit 1
fi
echo "Berth's heap: no OutOfMemoryError at $JAVA_OPTS; its log: $STAMP-berth.log"
