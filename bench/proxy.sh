#!/usr/bin/env bash
# The proxy cache's benchmark (issue 20): docker pull wall time of the bench image (a static busybox
# plus 5 random layers of 20 MiB, as RegistryBench's docker workload) with Debian's docker-registry
# (CNCF Distribution 2.8.2, no auth) as the upstream of a Berth proxy project, all on 127.0.0.1.
#   (a) warm cached pull: the image through the proxy project, already cached, against the same image
#       from a normal Berth project (and, for context, straight from Distribution); target <= 1.1x
#   (b) first pull (a miss): an image never pulled before through the proxy project (Berth fetches it
#       from Distribution while it streams it to docker) against pulling the same kind of image straight
#       from Distribution; each run a fresh image (own random layers), so every run is a real miss;
#       target <= 1.2x; for context the same miss through Distribution's own proxy mode (a pull-through
#       cache of the same upstream, on PORT+2)
# Before each timed pull the image is removed locally (docker rmi -f), so docker fetches every layer
# but the busybox base (the same local image under all of them). The order of the targets rotates
# from run to run. Medians of RUNS runs (default 5); every sample is printed and in the JSON.
#   bench/proxy.sh [RUNS]      needs target/ROOT.war and target/berth-micro.jar (mvn -B package
#                              -DskipTests), docker-registry, a running Docker engine, busybox
#   PROXY_PORT=25040           Distribution on it, Berth on +1 (127.0.0.1 only)
#   PROXY_JAVA_OPTS            Berth's JVM options (default -Xmx256m)
#   PROXY_LAYERS=5 PROXY_LAYER_MIB=20   the bench image's random layers
#   PROXY_WARM_MISSES=3        untimed misses (other images) before (b), for the JIT's steady state
# Output: the table on stdout; bench/results/<time>-proxy.json (every sample) and both servers' logs.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
RUNS="${1:-5}"
case "$RUNS" in ''|*[!0-9]*) echo "usage: bench/proxy.sh [RUNS]" >&2; exit 2 ;; esac
if [ "$RUNS" -lt 1 ] || [ "$RUNS" -gt 20 ]; then echo "RUNS must be 1..20" >&2; exit 2; fi
PORT="${PROXY_PORT:-25040}"
DIST_PORT=$PORT BERTH_PORT=$((PORT + 1)) DPROXY_PORT=$((PORT + 2))
JAVA_OPTS="${PROXY_JAVA_OPTS:--Xmx256m}"
LAYERS="${PROXY_LAYERS:-5}"
LAYER_MIB="${PROXY_LAYER_MIB:-20}"
WARM_MISSES="${PROXY_WARM_MISSES:-3}"
ADMIN_PASSWORD='Bench-proxy-12345'
if [[ -x /usr/bin/docker ]]; then DOCKER=/usr/bin/docker; else DOCKER=docker; fi
export DOCKER_BUILDKIT=0   # the legacy builder: BuildKit needs the bridge network a --bridge=none dockerd lacks

missing=()
for cmd in docker-registry:docker-registry java:openjdk-17-jdk-headless curl:curl jq:jq busybox:busybox-static; do
    command -v "${cmd%%:*}" >/dev/null || missing+=("${cmd#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "missing Debian packages: ${missing[*]} (apt-get install ${missing[*]})" >&2; exit 2
fi
need_build || exit 2
"$DOCKER" info >/dev/null 2>&1 || { echo "no Docker engine answers '$DOCKER info'" >&2; exit 2; }
port_free "$DIST_PORT" "$BERTH_PORT" "$DPROXY_PORT" || exit 2

WORK="$(mktemp -d /tmp/berth-proxy-bench.XXXXXX)"
mkdir -p bench/results
STAMP="$PWD/bench/results/$(date -u +%Y-%m-%dT%H%M%SZ)-proxy"
RUN_ID=$$
DIST="127.0.0.1:$DIST_PORT"
BERTH="127.0.0.1:$BERTH_PORT"
DPROXY="127.0.0.1:$DPROXY_PORT"
PIDS=()
IMAGES=()
cleanup() {
    stop_pids ${PIDS[@]+"${PIDS[@]}"}
    for img in ${IMAGES[@]+"${IMAGES[@]}"}; do "$DOCKER" rmi -f "$img" >/dev/null 2>&1 || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

# ---------------------------------------------------------------- the two servers

dist_config "$WORK/dist.yml" "$WORK/dist" "$DIST"
echo "starting Distribution ($(docker-registry --version 2>/dev/null | awk '{ print $3 }')) on $DIST"
docker-registry serve "$WORK/dist.yml" > "$STAMP-distribution.log" 2>&1 &
DIST_PID=$!
PIDS+=("$DIST_PID")
first_answer "http://$DIST" "$(date +%s%N)" "$DIST_PID" >/dev/null || { tail -20 "$STAMP-distribution.log"; exit 1; }
# Distribution's own pull-through cache of the same upstream, for context in (b)
dist_config "$WORK/dproxy.yml" "$WORK/dproxy" "$DPROXY"
printf 'proxy:\n  remoteurl: http://%s\n' "$DIST" >> "$WORK/dproxy.yml"
docker-registry serve "$WORK/dproxy.yml" > "$STAMP-distribution-proxy.log" 2>&1 &
DPROXY_PID=$!
PIDS+=("$DPROXY_PID")
first_answer "http://$DPROXY" "$(date +%s%N)" "$DPROXY_PID" >/dev/null || { tail -20 "$STAMP-distribution-proxy.log"; exit 1; }

echo "starting Berth ($JAVA_OPTS, H2, anonymous push) on $BERTH"
mkdir -p "$WORK/berth/deploy" "$WORK/berth/data" "$WORK/berth/tmp"
cp target/ROOT.war "$WORK/berth/deploy/ROOT.war"
cp target/berth-micro.jar "$WORK/berth/berth-micro.jar"
echo 'set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1' \
    > "$WORK/berth/loopback.asadmin"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
(cd "$WORK/berth" && exec env BERTH_DATA_ROOT="$WORK/berth/data" BERTH_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
    BERTH_ANONYMOUS_PUSH=true java $JAVA_OPTS -Djava.io.tmpdir="$WORK/berth/tmp" -jar "$WORK/berth/berth-micro.jar" \
    --deploy "$WORK/berth/deploy/ROOT.war" --port "$BERTH_PORT" --nocluster \
    --prebootcommandfile "$WORK/berth/loopback.asadmin" </dev/null > "$STAMP-berth.log" 2>&1) &
BERTH_PID=$!
PIDS+=("$BERTH_PID")

# api METHOD PATH [JSON]: Berth's admin API as admin; fails unless 2xx; the body on stdout
api() {
    local body=()
    [ -z "${3:-}" ] || body=(-H 'Content-Type: application/json' -d "$3")
    curl -sS --fail-with-body -u "admin:$ADMIN_PASSWORD" -X "$1" ${body[@]+"${body[@]}"} "http://$BERTH$2" ||
        { echo " <- $1 $2 failed" >&2; return 1; }
}
# metric NAME_AND_LABELS: the sum of the /metrics lines that start with it
metric() { # NAME{ [LABEL="VALUE"]: the sum of the series of NAME (with that label) in /metrics
    curl -sS "http://$BERTH/metrics" | awk -v p="$1" -v l="${2:-}" 'index($0, p) == 1 && index($0, l) { n += $NF } END { print n + 0 }'
}
ms_now() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ---------------------------------------------------------------- the images (built while Berth boots)

echo "building $((RUNS + 1 + WARM_MISSES)) images of $LAYERS x $LAYER_MIB MiB random layers"
BASE="berth-bench-proxy-base:$RUN_ID"
mkdir -p "$WORK/base/bin"
cp "$(command -v busybox)" "$WORK/base/bin/busybox"
tar -C "$WORK/base" -cf "$WORK/base.tar" .
"$DOCKER" import -c 'CMD ["/bin/busybox","sh"]' "$WORK/base.tar" "$BASE" >/dev/null
IMAGES+=("$BASE")
IDS=()
for i in $(seq 0 "$((RUNS + WARM_MISSES))"); do
    ctx="$WORK/ctx-$i"
    mkdir -p "$ctx"
    echo "FROM $BASE" > "$ctx/Dockerfile"
    for l in $(seq 1 "$LAYERS"); do
        head -c "${LAYER_MIB}M" /dev/urandom > "$ctx/layer$l.bin"
        echo "COPY layer$l.bin /data/layer$l.bin" >> "$ctx/Dockerfile"
    done
    "$DOCKER" build --no-cache -q -t "berth-bench-proxy-$i:$RUN_ID" "$ctx" >/dev/null
    IMAGES+=("berth-bench-proxy-$i:$RUN_ID")
    IDS+=("$("$DOCKER" image inspect -f '{{.Id}}' "berth-bench-proxy-$i:$RUN_ID")")
    rm -rf "$ctx"
done

BERTH_MS="$(FIRST_ANSWER_TRIES=480 first_answer "http://$BERTH" "$(date +%s%N)" "$BERTH_PID")" || { tail -40 "$STAMP-berth.log"; exit 1; }

# ---------------------------------------------------------------- filling: untimed

# push IMAGE REF: docker push (untimed); the local tag REF stays until the image is removed
push() {
    "$DOCKER" tag "$1" "$2"
    IMAGES+=("$2")
    "$DOCKER" push -q "$2" >/dev/null
}
echo "pushing image 0 to Distribution (bench/img-0) and to Berth's library project; images 1..$((RUNS + WARM_MISSES)) to Distribution"
for i in $(seq 0 "$((RUNS + WARM_MISSES))"); do
    push "berth-bench-proxy-$i:$RUN_ID" "$DIST/bench/img-$i:v1"
done
push "berth-bench-proxy-0:$RUN_ID" "$BERTH/library/bench-warm:v1"
api POST /api/v1/registries "{\"name\":\"dist\",\"url\":\"http://$DIST\"}" >/dev/null
# the TTL of a proxy project by default (5 minutes), written out: within it a cached tag is not checked upstream
api POST /api/v1/projects '{"name":"cache","public":true,"registry":"dist","tag_ttl_seconds":300}' >/dev/null
api POST /api/v1/registries/dist/ping | jq -c . | sed 's/^/ping of the endpoint: /'

# rm_local: no image of this run but the base is left in docker
rm_local() {
    local id
    for id in "${IDS[@]}"; do "$DOCKER" rmi -f "$id" >/dev/null 2>&1 || true; done
}
rm_local

# pull NAME REF ID: a timed docker pull of REF (which must give image ID), then the image removed
# (untimed); appends the milliseconds to $WORK/NAME and prints them
pull() {
    local t0 ms
    t0=$(ms_now)
    "$DOCKER" pull -q "$2" >/dev/null || { echo "docker pull $2 failed" >&2; return 1; }
    ms=$(($(ms_now) - t0))
    [ "$("$DOCKER" image inspect -f '{{.Id}}' "$2")" = "$3" ] || { echo "docker pull $2 gave another image" >&2; return 1; }
    "$DOCKER" rmi -f "$3" >/dev/null
    echo "$ms" >> "$WORK/$1"
    printf ' %s %d ms;' "$1" "$ms"
}

echo "warm-up (untimed): image 0 from each source twice, the first through the proxy filling the cache"
for _ in 1 2; do
    pull warmup "$BERTH/cache/bench/img-0:v1" "${IDS[0]}" >/dev/null
    pull warmup "$BERTH/library/bench-warm:v1" "${IDS[0]}" >/dev/null
    pull warmup "$DIST/bench/img-0:v1" "${IDS[0]}" >/dev/null
done

# ---------------------------------------------------------------- (a) warm cached pulls

echo "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "(a) warm cached pull of image 0, $RUNS runs:"
UP0=$(metric 'berth_proxy_upstream_requests_total{')
A_SOURCES=(proxy-warm "$BERTH/cache/bench/img-0:v1" normal "$BERTH/library/bench-warm:v1" dist-warm "$DIST/bench/img-0:v1")
for r in $(seq 1 "$RUNS"); do
    printf '  run %d:' "$r"
    for k in 0 1 2; do
        j=$(( (k + r) % 3 * 2 ))   # the order rotates
        pull "${A_SOURCES[j]}" "${A_SOURCES[j + 1]}" "${IDS[0]}"
    done
    echo
done
UP_WARM=$(( $(metric 'berth_proxy_upstream_requests_total{') - UP0 ))

# ---------------------------------------------------------------- (b) first pulls (misses)

# the misses' steady state, as in a registry that has run for a while: Berth's first misses run
# while its JIT compiles the fetch path (a third of its CPU then, measured); Distribution is compiled ahead
echo "warm-up (untimed): $WARM_MISSES other images, each through the proxy (a miss) and straight from Distribution"
for w in $(seq 1 "$WARM_MISSES"); do
    i=$((RUNS + w))
    pull warmup "$BERTH/cache/bench/img-$i:v1" "${IDS[i]}" >/dev/null
    pull warmup "$DIST/bench/img-$i:v1" "${IDS[i]}" >/dev/null
    pull warmup "$DPROXY/bench/img-$i:v1" "${IDS[i]}" >/dev/null
done
echo "(b) first pull: image r through the proxy (a miss), straight from Distribution, and through Distribution's proxy mode (a miss), $RUNS runs:"
MISS0=$(metric 'berth_proxy_requests_total{' 'result="miss"')
for r in $(seq 1 "$RUNS"); do
    printf '  run %d:' "$r"
    B_SOURCES=(proxy-miss "$BERTH/cache/bench/img-$r:v1" dist-first "$DIST/bench/img-$r:v1" dproxy-miss "$DPROXY/bench/img-$r:v1")
    for k in 0 1 2; do
        j=$(( (k + r) % 3 * 2 ))   # the order rotates
        pull "${B_SOURCES[j]}" "${B_SOURCES[j + 1]}" "${IDS[r]}"
    done
    echo
done
MISSES=$(( $(metric 'berth_proxy_requests_total{' 'result="miss"') - MISS0 ))
echo "load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- the table

med() { median < "$WORK/$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
PW=$(med proxy-warm) NW=$(med normal) DW=$(med dist-warm) PM=$(med proxy-miss) DF=$(med dist-first) DP=$(med dproxy-miss)
RA=$(ratio "$PW" "$NW") RB=$(ratio "$PM" "$DF")
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r <= t) ? "within" : "ABOVE" }'; }
echo
echo "docker pull of $LAYERS x $LAYER_MIB MiB (medians of $RUNS, ms); Berth started in $BERTH_MS ms"
printf '%-58s %8s %8s %6s  %s\n' "figure" "Berth" "other" "ratio" "target"
printf '%-58s %8s %8s %6s  %s\n' "(a) warm: proxy project / normal project" "$PW" "$NW" "$RA" "<= 1.1 ($(verdict "$RA" 1.1))"
printf '%-58s %8s %8s %6s\n' "    warm: proxy project / straight from Distribution" "$PW" "$DW" "$(ratio "$PW" "$DW")"
printf '%-58s %8s %8s %6s  %s\n' "(b) first pull: proxy (miss) / straight from Distribution" "$PM" "$DF" "$RB" "<= 1.2 ($(verdict "$RB" 1.2))"
printf '%-58s %8s %8s %6s\n' "    Distribution's proxy mode (miss) / straight" "$DP" "$DF" "$(ratio "$DP" "$DF")"
printf '%-58s %8s %8s %6s\n' "    Berth's proxy (miss) / Distribution's proxy (miss)" "$PM" "$DP" "$(ratio "$PM" "$DP")"
echo "requests Berth sent upstream during (a): $UP_WARM (0: warm pulls cost the upstream nothing); misses counted during (b): $MISSES"

samples() { jq -R 'tonumber' < "$WORK/$1" | jq -s .; }
jq -n --arg commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" --argjson runs "$RUNS" \
    --argjson layers "$LAYERS" --argjson layer_mib "$LAYER_MIB" --argjson berth_ms "$BERTH_MS" --arg java "$JAVA_OPTS" \
    --argjson pw "$(samples proxy-warm)" --argjson nw "$(samples normal)" --argjson dw "$(samples dist-warm)" \
    --argjson pm "$(samples proxy-miss)" --argjson df "$(samples dist-first)" --argjson dp "$(samples dproxy-miss)" \
    --argjson up_warm "$UP_WARM" --argjson misses "$MISSES" --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" '{
  commit: $commit, runs: $runs, image: {layers: $layers, layer_mib: $layer_mib}, berth_java_opts: $java,
  berth_startup_ms: $berth_ms, load_after: $load,
  warm: {proxy_ms: $pw, normal_ms: $nw, distribution_ms: $dw, upstream_requests: $up_warm},
  first: {proxy_miss_ms: $pm, distribution_ms: $df, distribution_proxy_miss_ms: $dp, misses: $misses}
}' > "$STAMP.json"
echo "results: ${STAMP#"$PWD"/}.json; logs: ${STAMP#"$PWD"/}-berth.log, ${STAMP#"$PWD"/}-distribution.log"
n=$(grep -c -iE 'SEVERE|Exception' "$STAMP-berth.log" || true)
[ "$n" = 0 ] || echo "$STAMP-berth.log: $n lines with SEVERE/Exception"
