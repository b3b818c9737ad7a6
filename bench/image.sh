#!/usr/bin/env bash
# Berth's container image against the JAR run directly (issue 18): the image's size (as docker
# stores it, and gzip-compressed as docker push sends its layers) and the time from the start
# command to the first 200/401 on /v2/, RUNS rounds (default 3) of each, alternating: the
# container (docker run --network host, a fresh volume: a first start, with migrations) and
# java -jar target/berth-micro.jar --deploy target/ROOT.war --nocluster (a fresh data root),
# both with -Xmx512m, one at a time. Prints every sample, the medians and the load (uptime).
#   bench/image.sh [RUNS]      needs the image (image/build.sh) and target/ (mvn -B package -DskipTests)
#   IMAGE=berth:latest  IMAGE_PORT=25012
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-3}"
case "$RUNS" in '' | *[!0-9]*) echo "usage: bench/image.sh [RUNS]" >&2; exit 2 ;; esac
IMAGE="${IMAGE:-berth:latest}"
PORT="${IMAGE_PORT:-25012}"
if [[ -x /usr/bin/docker ]]; then DOCKER=/usr/bin/docker; else DOCKER=docker; fi
for f in target/ROOT.war target/berth-micro.jar; do
    [[ -f $f ]] || { echo "$f is missing: run mvn -B package -DskipTests first" >&2; exit 2; }
done
"$DOCKER" image inspect "$IMAGE" >/dev/null || { echo "no image $IMAGE: run image/build.sh" >&2; exit 2; }
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then echo "port $PORT on 127.0.0.1 is in use" >&2; exit 2; fi

WORK=$(mktemp -d /tmp/berth-image-bench.XXXXXX)
NAME="berth-bench-$$"
PID=
cleanup() {
    "$DOCKER" rm -f "$NAME" >/dev/null 2>&1 || true
    "$DOCKER" volume rm -f "$NAME" >/dev/null 2>&1 || true
    if [[ -n $PID ]]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

ms_now() { echo $(($(date +%s%N) / 1000000)); }
# wait_v2 START_MS: milliseconds from START_MS until /v2/ answers 200 or 401 (at most 300 s)
wait_v2() {
    local code
    for _ in $(seq 1 3000); do
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$PORT/v2/" || true)
        if [[ $code == 200 || $code == 401 ]]; then echo $(($(ms_now) - $1)); return 0; fi
        sleep 0.1
    done
    echo "no answer on /v2/ within 300 s" >&2
    return 1
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "image $IMAGE ($("$DOCKER" image inspect -f '{{.Id}}' "$IMAGE"))"
size=$("$DOCKER" image inspect -f '{{.Size}}' "$IMAGE")
"$DOCKER" save "$IMAGE" | tar -x -C "$WORK"
compressed=0
while read -r layer; do
    compressed=$((compressed + $(gzip -c "$WORK/$layer" | wc -c)))
done < <(jq -r '.[0].Layers[]' "$WORK/manifest.json")
rm -rf "${WORK:?}"/*
printf 'size: %d MiB in docker (image inspect .Size), %d MiB gzip-compressed as pushed\n' \
    $((size / 1024 / 1024)) $((compressed / 1024 / 1024))

: >"$WORK/container" && : >"$WORK/jar"
for round in $(seq 1 "$RUNS"); do
    "$DOCKER" volume create "$NAME" >/dev/null
    start=$(ms_now)
    "$DOCKER" run -d --name "$NAME" --network host -v "$NAME:/data" -e BERTH_PORT="$PORT" \
        -e BERTH_HEAP=512m -e BERTH_ADMIN_PASSWORD='Bench12345!' "$IMAGE" >/dev/null
    ms=$(wait_v2 "$start")
    echo "round $round container: $ms ms" && echo "$ms" >>"$WORK/container"
    "$DOCKER" rm -f "$NAME" >/dev/null && "$DOCKER" volume rm "$NAME" >/dev/null

    mkdir -p "$WORK/data"
    start=$(ms_now)
    BERTH_DATA_ROOT="$WORK/data" BERTH_ADMIN_PASSWORD='Bench12345!' java -Xmx512m -jar target/berth-micro.jar \
        --deploy target/ROOT.war --port "$PORT" --nocluster >"$WORK/jar.log" 2>&1 &
    PID=$!
    ms=$(wait_v2 "$start")
    echo "round $round jar: $ms ms" && echo "$ms" >>"$WORK/jar"
    kill "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    PID=
    rm -rf "$WORK/data"
done
printf 'median time to /v2/: container %s ms, jar %s ms (%d rounds); %s\n' \
    "$(median <"$WORK/container")" "$(median <"$WORK/jar")" "$RUNS" "$(uptime)"
