#!/usr/bin/env bash
# Start time and memory of Berth against a floor (issue 15), side by side on the same Payara Micro jar.
#   bench/startup.sh [RUNS]     RUNS rounds (default 3) of: floor, Berth on an empty data root
#                               (first start: migrations), Berth again on that now existing root
# The floor is an empty WAR with one JAX-RS resource answering 401 on /v2/ (bench/floor/, built here
# with javac and jar against jakartaee-api from ~/.m2). Every server: java -Xmx256m -jar
# target/berth-micro.jar --deploy ROOT.war --nocluster; ready = first 200/401 on /v2/ (Payara's 404
# before the deployment does not count); RSS = VmRSS from /proc/PID/status after 20 requests and 5 s;
# classes = loaded classes (jcmd PerfCounter.print, java.cls.loadedClasses) just after.
# Needs target/ROOT.war and target/berth-micro.jar (mvn -B package -DskipTests); builds only the floor.
#   STARTUP_PORT=25011      port on 127.0.0.1 (one server at a time)
#   STARTUP_JAVA_OPTS       JVM options (default -Xmx256m)
#   STARTUP_JFR=1           a JFR recording (settings=profile) of Berth's first empty and existing start
# Output: the table of medians on stdout, every sample and the logs in bench/results/<time>-startup*.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-3}"
case "$RUNS" in ''|*[!0-9]*) echo "usage: bench/startup.sh [RUNS]" >&2; exit 2 ;; esac
[ "$RUNS" -ge 1 ] && [ "$RUNS" -le 20 ] || { echo "RUNS must be 1..20" >&2; exit 2; }
PORT="${STARTUP_PORT:-25011}"
JAVA_OPTS="${STARTUP_JAVA_OPTS:--Xmx256m}"
API_JAR="$HOME/.m2/repository/jakarta/platform/jakarta.jakartaee-api/10.0.0/jakarta.jakartaee-api-10.0.0.jar"
for f in target/ROOT.war target/berth-micro.jar "$API_JAR"; do
    [ -f "$f" ] || { echo "$f is missing: run mvn -B package -DskipTests first" >&2; exit 2; }
done
for cmd in java javac jar jcmd curl; do command -v "$cmd" >/dev/null || { echo "missing: $cmd" >&2; exit 2; }; done
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then echo "port $PORT on 127.0.0.1 is in use" >&2; exit 2; fi

WORK="$(mktemp -d /tmp/berth-startup.XXXXXX)"
PID=""
stop() {
    [ -n "$PID" ] || return 0
    kill "$PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$PID" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    PID=""
}
cleanup() { stop; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 143' TERM INT

# The floor WAR: two classes, no descriptor; named ROOT.war so it deploys at / as Berth's does.
mkdir -p "$WORK/floor/classes/WEB-INF/classes" "$WORK/floorwar"
javac -q -d "$WORK/floor/classes/WEB-INF/classes" -cp "$API_JAR" bench/floor/src/floor/*.java 2>/dev/null \
    || javac -d "$WORK/floor/classes/WEB-INF/classes" -cp "$API_JAR" bench/floor/src/floor/*.java
jar --create --file "$WORK/floorwar/ROOT.war" -C "$WORK/floor/classes" .

# Copies of the jar and the WAR, so that a build during the run does not change what is measured.
cp target/berth-micro.jar target/ROOT.war "$WORK/"
mkdir -p "$WORK/berthwar" && mv "$WORK/ROOT.war" "$WORK/berthwar/ROOT.war"

mkdir -p bench/results
STAMP="bench/results/$(date -u +%Y-%m-%dT%H%M%SZ)-startup"
SAMPLES="$STAMP.tsv"
printf 'round\twhat\tready_ms\trss_kib\tclasses\n' > "$SAMPLES"

# Starts one server, waits (bounded: 1200 x 0.1 s) for its first 200/401 on /v2/, sends 20 requests,
# waits 5 s, reads VmRSS, stops it. Appends "round what ms kib" to $SAMPLES.
sample() {
    local round="$1" what="$2" war="$3" data="$4" jfr="$5" t0 code ms="" rss classes log
    log="$STAMP-$what-$round.log"
    local extra=()
    [ -n "$jfr" ] && extra=("-XX:StartFlightRecording=filename=$PWD/$jfr,settings=profile,dumponexit=true")
    t0=$(date +%s%N)
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
    BERTH_DATA_ROOT="$data" BERTH_ADMIN_PASSWORD='Startup-bench-1' \
        java $JAVA_OPTS ${extra[@]+"${extra[@]}"} -jar "$WORK/berth-micro.jar" --deploy "$war" \
        --port "$PORT" --nocluster > "$log" 2>&1 &
    PID=$!
    for _ in $(seq 1 1200); do
        kill -0 "$PID" 2>/dev/null || { echo "$what died while starting: $log" >&2; tail -20 "$log" >&2; exit 1; }
        code="$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$PORT/v2/" || true)"
        if [ "$code" = 200 ] || [ "$code" = 401 ]; then ms=$(( ($(date +%s%N) - t0) / 1000000 )); break; fi
        sleep 0.1
    done
    [ -n "$ms" ] || { echo "$what gave no answer on /v2/ in 120 s: $log" >&2; exit 1; }
    for _ in $(seq 1 20); do curl -s -o /dev/null -m 5 "http://127.0.0.1:$PORT/v2/" || true; done
    sleep 5
    rss="$(awk '/^VmRSS:/ {print $2}' "/proc/$PID/status")"
    classes="$(timeout 30 jcmd "$PID" PerfCounter.print 2>/dev/null | awk -F= '/^java.cls.loadedClasses=/ {print $2}' || true)"
    stop
    printf '%s\t%s\t%s\t%s\t%s\n' "$round" "$what" "$ms" "$rss" "${classes:-0}" >> "$SAMPLES"
    printf '  round %s %-15s ready %6d ms  RSS %4d MiB  classes %6d\n' "$round" "$what" "$ms" "$((rss / 1024))" "${classes:-0}"
}

echo "floor vs Berth, $RUNS rounds, java $JAVA_OPTS -jar berth-micro.jar --nocluster, port $PORT (load $(cut -d' ' -f1-3 /proc/loadavg))"
for r in $(seq 1 "$RUNS"); do
    jfr_empty="" jfr_existing=""
    if [ "${STARTUP_JFR:-0}" = 1 ] && [ "$r" = 1 ]; then
        jfr_empty="$STAMP-berth-empty.jfr" jfr_existing="$STAMP-berth-existing.jfr"
    fi
    sample "$r" floor "$WORK/floorwar/ROOT.war" "$WORK/unused" ""
    sample "$r" berth-empty "$WORK/berthwar/ROOT.war" "$WORK/data-$r" "$jfr_empty"
    sample "$r" berth-existing "$WORK/berthwar/ROOT.war" "$WORK/data-$r" "$jfr_existing"
    rm -rf "$WORK/data-$r"
done

# Medians (of an even count: the lower middle) and the margins over the floor.
awk -F'\t' 'NR > 1 { ms[$2] = ms[$2] " " $3; kib[$2] = kib[$2] " " $4; cls[$2] = cls[$2] " " $5 }
function median(list,   a, n, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return a[int((n + 1) / 2)]
}
END {
    fm = median(ms["floor"]); fk = median(kib["floor"])
    printf "\n%-15s %10s %10s %12s %12s %10s\n", "median", "ready s", "RSS MiB", "ready-floor", "RSS-floor", "classes"
    split("floor berth-empty berth-existing", order, " ")
    for (i = 1; i <= 3; i++) {
        w = order[i]; m = median(ms[w]); k = median(kib[w])
        printf "%-15s %10.1f %10d %+11.1fs %+10dMiB %10d\n", w, m / 1000, k / 1024, (m - fm) / 1000, (k - fk) / 1024, median(cls[w])
    }
    print "targets (issue 15): ready within floor + 3 s, RSS within floor + 100 MiB"
}' "$SAMPLES"
echo "samples: $SAMPLES"
