#!/usr/bin/env bash
# Start time, memory and warm-up of Berth against a floor (issue 15), side by side on the same Payara Micro jar.
#   bench/startup.sh [RUNS]     RUNS rounds (default 3) of: floor, Berth on an empty data root
#                               (first start: migrations), Berth again on that now existing root,
#                               and Distribution (docker-registry, token auth) on a storage holding the blob
# The floor is an empty WAR with one JAX-RS resource answering 401 on /v2/ (bench/floor/, built here
# with javac and jar against jakartaee-api from ~/.m2). Every server: java -Xmx256m -jar
# target/berth-micro.jar --deploy ROOT.war --nocluster; ready = first 200/401 on /v2/ (Payara's 404
# before the deployment does not count); RSS = VmRSS from /proc/PID/status after 20 requests and 5 s;
# classes = loaded classes (jcmd PerfCounter.print, java.cls.loadedClasses) just after.
# Then the warm-up of that fresh server (bench/src/WarmUp.java: WARMUP_N sequential requests on one
# keep-alive connection, then WARMUP_CONNS each on a new connection), in this order:
#   floor           GET /v2/ anonymous (401)
#   berth-empty     GET /v2/ anonymous (401), then the blob HEAD (the blob pushed first, with Basic)
#   berth-existing  blob HEAD (Bearer token from Berth's /service/token, as docker after a login), then GET /v2/
#   distribution    blob HEAD (Bearer token minted by the bench: bench/src/TokenMint.java), then GET /v2/
# so each server's first kind is measured fresh (after only the 20 requests of the RSS figure and, for a
# Bearer HEAD on Berth, one token request), the second after the first; VmRSS is read again after both.
# Needs target/ROOT.war and target/berth-micro.jar (mvn -B package -DskipTests); builds only the floor.
#   STARTUP_PORT=25011      port on 127.0.0.1 (one server at a time)
#   STARTUP_JAVA_OPTS       JVM options (default -Xmx256m)
#   STARTUP_JFR=1           a JFR recording (settings=profile) of Berth's first empty and existing start
#   STARTUP_WARMUP=0        no warm-up measurement (the start and RSS table only)
#   STARTUP_DIST=0          leave out Distribution (needs docker-registry and keytool)
#   WARMUP_N=10000 WARMUP_CONNS=300 WARMUP_BLOCK=100  the warm-up's counts (each series stops after 300 s)
# Output: the tables of medians on stdout, every sample and the logs in bench/results/<time>-startup*.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-3}"
case "$RUNS" in ''|*[!0-9]*) echo "usage: bench/startup.sh [RUNS]" >&2; exit 2 ;; esac
[ "$RUNS" -ge 1 ] && [ "$RUNS" -le 20 ] || { echo "RUNS must be 1..20" >&2; exit 2; }
PORT="${STARTUP_PORT:-25011}"
JAVA_OPTS="${STARTUP_JAVA_OPTS:--Xmx256m}"
WARMUP="${STARTUP_WARMUP:-1}"
DIST="${STARTUP_DIST:-1}"
WARMUP_N="${WARMUP_N:-10000}"
WARMUP_CONNS="${WARMUP_CONNS:-300}"
WARMUP_BLOCK="${WARMUP_BLOCK:-100}"
for v in "$PORT" "$WARMUP_N" "$WARMUP_CONNS" "$WARMUP_BLOCK"; do
    case "$v" in ''|*[!0-9]*) echo "STARTUP_PORT, WARMUP_N, WARMUP_CONNS and WARMUP_BLOCK must be numbers" >&2; exit 2 ;; esac
done
API_JAR="$HOME/.m2/repository/jakarta/platform/jakarta.jakartaee-api/10.0.0/jakarta.jakartaee-api-10.0.0.jar"
for f in target/ROOT.war target/berth-micro.jar "$API_JAR"; do
    [ -f "$f" ] || { echo "$f is missing: run mvn -B package -DskipTests first" >&2; exit 2; }
done
for cmd in java javac jar jcmd curl; do command -v "$cmd" >/dev/null || { echo "missing: $cmd" >&2; exit 2; }; done
if [ "$DIST" = 1 ]; then
    for cmd in docker-registry keytool sha256sum; do
        command -v "$cmd" >/dev/null || { echo "missing: $cmd (apt-get install docker-registry; or STARTUP_DIST=0)" >&2; exit 2; }
    done
fi
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

# The bench's own Java programs, compiled once (the source launcher would compile them on every call).
mkdir -p "$WORK/bench-classes"
javac -d "$WORK/bench-classes" bench/src/WarmUp.java bench/src/TokenMint.java
CLIENT=(java -XX:+UseSerialGC -Xmx128m -cp "$WORK/bench-classes")
ADMIN_PW='Startup-bench-1'
BASIC="Basic $(printf 'admin:%s' "$ADMIN_PW" | base64 -w0)"

# Distribution with token auth; the bench is its token service: an EC P-256 key pair and a self-signed
# certificate (keytool), the certificate as rootcertbundle, tokens minted by TokenMint (ES256, kid = the
# key's libtrust ID), one to push the blob and one to pull it, valid for the whole run (2 h).
if [ "$DIST" = 1 ]; then
    keytool -genkeypair -alias bench -keyalg EC -groupname secp256r1 -sigalg SHA256withECDSA -dname CN=bench-token-issuer \
        -validity 2 -keystore "$WORK/token.p12" -storetype PKCS12 -storepass bench-pass -keypass bench-pass >/dev/null 2>&1
    keytool -exportcert -rfc -alias bench -keystore "$WORK/token.p12" -storepass bench-pass -file "$WORK/token-root.pem" >/dev/null 2>&1
    mint() {
        "${CLIENT[@]}" TokenMint "$WORK/token.p12" bench-pass bench --issuer bench-token-issuer \
            --service bench-distribution --lifetime 7200 --scope "$1"
    }
    DIST_PUSH="Bearer $(mint repository:library/warmup:pull,push)"
    DIST_PULL="Bearer $(mint repository:library/warmup:pull)"
    # log level error: at warn Distribution logs every refused anonymous request (the /v2/ series).
    cat > "$WORK/dist.yml" <<EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $WORK/dist-data
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: 127.0.0.1:$PORT
  secret: bench-only-secret
auth:
  token:
    realm: http://127.0.0.1:$PORT/no-token-service
    service: bench-distribution
    issuer: bench-token-issuer
    rootcertbundle: $WORK/token-root.pem
EOF
fi

# Copies of the jar and the WAR, so that a build during the run does not change what is measured.
cp target/berth-micro.jar target/ROOT.war "$WORK/"
mkdir -p "$WORK/berthwar" && mv "$WORK/ROOT.war" "$WORK/berthwar/ROOT.war"

mkdir -p bench/results
STAMP="bench/results/$(date -u +%Y-%m-%dT%H%M%SZ)-startup"
SAMPLES="$STAMP.tsv"
WARMUPS="$STAMP-warmup.tsv"            # WarmUp's rows, label = round:what:order
SERIES="$STAMP-warmup-series.tsv"      # the p50 of every block
printf 'round\twhat\tready_ms\trss_kib\tclasses\trss_after_warmup_kib\n' > "$SAMPLES"

# One warm-up measurement (WarmUp) of the server on $PORT: $1 label, $2 kind, then WarmUp's own options.
warmup() {
    local label="$1" kind="$2"; shift 2
    "${CLIENT[@]}" WarmUp --url "http://127.0.0.1:$PORT" --label "$label" --kind "$kind" --n "$WARMUP_N" \
        --conns "$WARMUP_CONNS" --block "$WARMUP_BLOCK" --max-seconds 300 --out "$WARMUPS" --series "$SERIES" "$@" \
        | sed 's/^/    /' || echo "    warm-up $label $kind failed (exit ${PIPESTATUS[0]})" >&2
}

# Starts one server, waits (bounded: 1200 x 0.1 s) for its first 200/401 on /v2/, sends 20 requests,
# waits 5 s, reads VmRSS, runs the warm-up measurements, reads VmRSS again, stops it. Appends a row to
# $SAMPLES.
sample() {
    local round="$1" what="$2" war="$3" data="$4" jfr="$5" t0 code ms="" rss classes="" log rss2=0
    log="$STAMP-$what-$round.log"
    local extra=()
    [ -n "$jfr" ] && extra=("-XX:StartFlightRecording=filename=$PWD/$jfr,settings=profile,dumponexit=true")
    t0=$(date +%s%N)
    if [ "$what" = distribution ]; then
        docker-registry serve "$WORK/dist.yml" > "$log" 2>&1 &
    else
        # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
        BERTH_DATA_ROOT="$data" BERTH_ADMIN_PASSWORD="$ADMIN_PW" \
            java $JAVA_OPTS ${extra[@]+"${extra[@]}"} -jar "$WORK/berth-micro.jar" --deploy "$war" \
            --port "$PORT" --nocluster > "$log" 2>&1 &
    fi
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
    if [ "$what" != distribution ]; then
        classes="$(timeout 30 jcmd "$PID" PerfCounter.print 2>/dev/null | awk -F= '/^java.cls.loadedClasses=/ {print $2}' || true)"
    fi
    printf '  round %s %-15s ready %6d ms  RSS %4d MiB  classes %6d  (load %s)\n' "$round" "$what" "$ms" \
        "$((rss / 1024))" "${classes:-0}" "$(cut -d' ' -f1 /proc/loadavg)"
    if [ "$WARMUP" = 1 ]; then
        case "$what" in
            floor)
                warmup "$round:$what:1" v2 ;;
            berth-empty)
                warmup "$round:$what:1" v2
                warmup "$round:$what:2" blob --push --push-auth "$BASIC" --berth-login "admin:$ADMIN_PW" ;;
            berth-existing)
                warmup "$round:$what:1" blob --berth-login "admin:$ADMIN_PW"
                warmup "$round:$what:2" v2 ;;
            distribution)
                warmup "$round:$what:1" blob --auth-header "$DIST_PULL"
                warmup "$round:$what:2" v2 ;;
        esac
        rss2="$(awk '/^VmRSS:/ {print $2}' "/proc/$PID/status")"
        printf '  round %s %-15s RSS after the warm-up %d MiB\n' "$round" "$what" "$((rss2 / 1024))"
    fi
    stop
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$what" "$ms" "$rss" "${classes:-0}" "$rss2" >> "$SAMPLES"
}

# Distribution's storage gets the blob once, from a start of its own that is not measured, so that its
# measured starts, like Berth's existing-root ones, answer the HEADs with no push before them.
seed_distribution() {
    local blob="$WORK/warmup-blob" digest loc code=""
    printf 'berth bench warm-up blob\n' > "$blob"     # WarmUp.BLOB_TEXT
    digest="sha256:$(sha256sum "$blob" | cut -d' ' -f1)"
    docker-registry serve "$WORK/dist.yml" > "$STAMP-distribution-seed.log" 2>&1 &
    PID=$!
    for _ in $(seq 1 100); do
        [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$PORT/v2/" || true)" = 401 ] && break
        sleep 0.1
    done
    loc="$(curl -s -m 10 -D - -o /dev/null -X POST -H "Authorization: $DIST_PUSH" \
        "http://127.0.0.1:$PORT/v2/library/warmup/blobs/uploads/" | awk 'tolower($1) == "location:" {print $2}' | tr -d '\r')"
    case "$loc" in http://127.0.0.1:"$PORT"/*)
        code="$(curl -s -m 10 -o /dev/null -w '%{http_code}' -X PUT -H "Authorization: $DIST_PUSH" \
            -H 'Content-Type: application/octet-stream' --data-binary @"$blob" "$loc&digest=$digest" || true)" ;;
    esac
    stop
    [ "$code" = 201 ] || { echo "could not push the blob to Distribution (Location '$loc', PUT '$code'): $STAMP-distribution-seed.log" >&2; exit 1; }
}

echo "floor vs Berth, $RUNS rounds, java $JAVA_OPTS -jar berth-micro.jar --nocluster, port $PORT (load $(cut -d' ' -f1-3 /proc/loadavg))"
[ "$WARMUP" = 1 ] && echo "warm-up: $WARMUP_N requests on one connection, then $WARMUP_CONNS on a new connection each, blocks of $WARMUP_BLOCK"
if [ "$DIST" = 1 ]; then seed_distribution; fi
for r in $(seq 1 "$RUNS"); do
    jfr_empty="" jfr_existing=""
    if [ "${STARTUP_JFR:-0}" = 1 ] && [ "$r" = 1 ]; then
        jfr_empty="$STAMP-berth-empty.jfr" jfr_existing="$STAMP-berth-existing.jfr"
    fi
    sample "$r" floor "$WORK/floorwar/ROOT.war" "$WORK/unused" ""
    sample "$r" berth-empty "$WORK/berthwar/ROOT.war" "$WORK/data-$r" "$jfr_empty"
    sample "$r" berth-existing "$WORK/berthwar/ROOT.war" "$WORK/data-$r" "$jfr_existing"
    if [ "$DIST" = 1 ]; then sample "$r" distribution "" "" ""; fi
    rm -rf "$WORK/data-$r"
done
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

# Medians (of an even count: the lower middle) and the margins over the floor.
awk -F'\t' 'NR > 1 { ms[$2] = ms[$2] " " $3; kib[$2] = kib[$2] " " $4; cls[$2] = cls[$2] " " $5; after[$2] = after[$2] " " $6 }
function median(list,   a, n, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return a[int((n + 1) / 2)]
}
END {
    fm = median(ms["floor"]); fk = median(kib["floor"])
    printf "\n%-15s %10s %10s %12s %12s %10s %16s\n", "median", "ready s", "RSS MiB", "ready-floor", "RSS-floor", "classes", "RSS after warm-up"
    split("floor berth-empty berth-existing distribution", order, " ")
    for (i = 1; i <= 4; i++) {
        w = order[i]
        if (ms[w] == "") continue
        m = median(ms[w]); k = median(kib[w])
        printf "%-15s %10.1f %10d %+11.1fs %+9dMiB %10d %12d MiB\n", w, m / 1000, k / 1024, (m - fm) / 1000, (k - fk) / 1024,
            median(cls[w]), median(after[w]) / 1024
    }
    print "targets (issue 15): ready within floor + 3 s, RSS within floor + 100 MiB"
}' "$SAMPLES"

# The warm-up table: medians over the rounds per server, kind and order (1 = measured first, on the
# fresh server; 2 = after the other kind).
if [ "$WARMUP" = 1 ] && [ -s "$WARMUPS" ]; then
    awk -F'\t' 'NR > 1 {
        split($1, l, ":"); key = l[2] "\t" $2 "\t" l[3] "\t" $3
        if (!(key in seen)) { seen[key] = 1; keys[++nk] = key }
        steady[key] = steady[key] " " $6; within[key] = within[key] " " $7; first[key] = first[key] " " $8; fin[key] = fin[key] " " $9
        excess[key] = excess[key] " " $10; nc[key] = nc[key] " " $13; rec[key] = rec[key] " " $16; n[key]++
        if ($17 != "true") incomplete[key]++
    }
    function median(list,   a, m, i, j, t) {
        m = split(list, a, " ")
        for (i = 2; i <= m; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
        return a[int((m + 1) / 2)]
    }
    END {
        printf "\n%-15s %-5s %-5s %-9s %6s %12s %12s %11s %11s %10s %13s %10s\n", "warm-up median", "kind", "order", "auth", "rounds",
            "first within", "steady after", "first p50", "final p50", "excess ms", "new-conn p50", "reconnects"
        for (i = 1; i <= nk; i++) {
            k = keys[i]; split(k, f, "\t")
            printf "%-15s %-5s %-5s %-9s %6d %12d %12d %9.2fms %9.2fms %10d %11.2fms %10d%s\n", f[1], f[2], f[3], f[4], n[k],
                median(within[k]), median(steady[k]), median(first[k]), median(fin[k]), median(excess[k]), median(nc[k]), median(rec[k]),
                incomplete[k] ? "  (" incomplete[k] " stopped at the time limit)" : ""
        }
        print "first within / steady after: requests until a block p50 first comes / the running median of 5 block p50s stays"
        print "within 10% of the final p50 (median of the last 20%); first p50: the first block; excess: sum of (block p50 - final p50)"
        print "x block size; new-conn p50: a new connection per request, the second half of that series"
    }' "$WARMUPS"
    echo "warm-up rows: $WARMUPS; per-block p50: $SERIES"
fi
echo "samples: $SAMPLES"
