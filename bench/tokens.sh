#!/usr/bin/env bash
# Bearer tokens on the hot path (issue 15): blob HEAD latency on one warm keep-alive connection with a
# Bearer token as docker sends it, Berth beside CNCF Distribution configured with token auth.
#   bench/tokens.sh [ROUNDS]    ROUNDS rounds (default 3), each on freshly started servers:
#     Distribution with token auth (docker-registry; the bench is its token service, bench/src/TokenMint.java):
#         Bearer with kid (the libtrust key ID), and Bearer with x5c (the certificate in the header)
#     Distribution without auth: anonymous (reference)
#     Berth: Bearer (a token from Berth's own /service/token, taken with Basic, as docker after a login),
#         Basic and anonymous (library is public)
#   measured by bench/src/HeadLatency.java: per variant 3000 HEADs warm-up, then the variants alternate
#   in blocks of 2000, 5 times; p50/p90 of the 10,000 per variant, medians over the rounds here; then the
#   same HEADs through bench/src/WarmUp.java's raw-socket client (TOKENS_RAW_N=5000 on one connection: the
#   p50 of the last 20%; 200 on a new connection each), as a check on java.net.http's own share.
# Before the rounds, one check of what Distribution 2.8 accepts: a token signed by the bundle's key with
# kid = its libtrust ID (200), the same with kid = the RFC 7638 thumbprint as Berth writes it (401).
# Needs target/ROOT.war and target/berth-micro.jar (mvn -B package -DskipTests), docker-registry, keytool.
#   TOKENS_PORT=25021    Distribution with token auth on it, Distribution without auth on +1, Berth on +2 (127.0.0.1)
#   TOKENS_JAVA_OPTS     Berth's JVM options (default -Xmx256m)
#   TOKENS_BLOCK=2000 TOKENS_BLOCKS=5 TOKENS_WARMUP=3000   HeadLatency's counts
# Output: the table on stdout; rows and logs in bench/results/<time>-tokens*.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-3}"
case "$RUNS" in ''|*[!0-9]*) echo "usage: bench/tokens.sh [ROUNDS]" >&2; exit 2 ;; esac
[ "$RUNS" -ge 1 ] && [ "$RUNS" -le 20 ] || { echo "ROUNDS must be 1..20" >&2; exit 2; }
PORT="${TOKENS_PORT:-25021}"
JAVA_OPTS="${TOKENS_JAVA_OPTS:--Xmx256m}"
BLOCK="${TOKENS_BLOCK:-2000}"
BLOCKS="${TOKENS_BLOCKS:-5}"
WARM="${TOKENS_WARMUP:-3000}"
for v in "$PORT" "$BLOCK" "$BLOCKS" "$WARM"; do
    case "$v" in ''|*[!0-9]*) echo "TOKENS_PORT, TOKENS_BLOCK, TOKENS_BLOCKS and TOKENS_WARMUP must be numbers" >&2; exit 2 ;; esac
done
DIST_PORT="$PORT" ANON_PORT=$((PORT + 1)) BERTH_PORT=$((PORT + 2))
for f in target/ROOT.war target/berth-micro.jar; do
    [ -f "$f" ] || { echo "$f is missing: run mvn -B package -DskipTests first" >&2; exit 2; }
done
for cmd in java javac curl keytool docker-registry; do
    command -v "$cmd" >/dev/null || { echo "missing: $cmd (apt-get install docker-registry openjdk-17-jdk-headless curl)" >&2; exit 2; }
done
for p in "$DIST_PORT" "$ANON_PORT" "$BERTH_PORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "port $p on 127.0.0.1 is in use" >&2; exit 2; fi
done

WORK="$(mktemp -d /tmp/berth-tokens.XXXXXX)"
PIDS=()
stop_all() {
    local pid
    for pid in ${PIDS[@]+"${PIDS[@]}"}; do kill "$pid" 2>/dev/null || true; done
    for pid in ${PIDS[@]+"${PIDS[@]}"}; do
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    PIDS=()
}
cleanup() { stop_all; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 143' TERM INT

mkdir -p "$WORK/classes" bench/results
javac -d "$WORK/classes" bench/src/HeadLatency.java bench/src/TokenMint.java bench/src/WarmUp.java
CLIENT=(java -XX:+UseSerialGC -Xmx256m -cp "$WORK/classes")
cp target/berth-micro.jar "$WORK/"
cp target/ROOT.war "$WORK/ROOT.war"
STAMP="bench/results/$(date -u +%Y-%m-%dT%H%M%SZ)-tokens"
ROWS="$STAMP.tsv"
RAW="$STAMP-raw.tsv"      # WarmUp's rows: the same HEADs through the raw-socket client
ADMIN_PW='Tokens-bench-1'
BASIC="Basic $(printf 'admin:%s' "$ADMIN_PW" | base64 -w0)"
REPO=library/headbench

# The token service of Distribution: a key pair and its self-signed certificate (the rootcertbundle).
keytool -genkeypair -alias bench -keyalg EC -groupname secp256r1 -sigalg SHA256withECDSA -dname CN=bench-token-issuer \
    -validity 2 -keystore "$WORK/token.p12" -storetype PKCS12 -storepass bench-pass -keypass bench-pass >/dev/null 2>&1
keytool -exportcert -rfc -alias bench -keystore "$WORK/token.p12" -storepass bench-pass -file "$WORK/token-root.pem" >/dev/null 2>&1
mint() {   # $1 scope, $2 header kind (kid, x5c, kid-thumbprint)
    "${CLIENT[@]}" TokenMint "$WORK/token.p12" bench-pass bench --issuer bench-token-issuer --service bench-distribution \
        --lifetime 7200 --scope "$1" --header "$2"
}
PUSH="Bearer $(mint "repository:$REPO:pull,push" kid)"
PULL="Bearer $(mint "repository:$REPO:pull" kid)"
PULL_X5C="Bearer $(mint "repository:$REPO:pull" x5c)"
PULL_THUMB="Bearer $(mint "repository:$REPO:pull" kid-thumbprint)"

dist_config() {   # $1 port, $2 data dir, $3 token (1) or none (0)
    cat <<EOF
version: 0.1
log:
  level: ${DIST_LOG_LEVEL:-error}
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
  addr: 127.0.0.1:$1
  secret: bench-only-secret
EOF
    if [ "$3" = 1 ]; then
        cat <<EOF
auth:
  token:
    realm: http://127.0.0.1:$1/no-token-service
    service: bench-distribution
    issuer: bench-token-issuer
    rootcertbundle: $WORK/token-root.pem
EOF
    fi
}

# Waits (bounded: 2400 x 0.1 s) for the first 200/401 on /v2/ of the server on port $1 (pid $2).
ready() {
    local code
    for _ in $(seq 1 2400); do
        kill -0 "$2" 2>/dev/null || { echo "the server on port $1 died while starting" >&2; return 1; }
        code="$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$1/v2/" || true)"
        if [ "$code" = 200 ] || [ "$code" = 401 ]; then return 0; fi
        sleep 0.1
    done
    echo "no answer on port $1 in 240 s" >&2; return 1
}

start_dist() {   # $1 port, $2 name, $3 token (1/0); appends to PIDS
    dist_config "$1" "$WORK/$2-data" "$3" > "$WORK/$2.yml"
    docker-registry serve "$WORK/$2.yml" > "$STAMP-$2.log" 2>&1 &
    PIDS+=($!)
    ready "$1" "$!"
}

echo "Bearer tokens on one warm keep-alive connection, $RUNS rounds (load $(cut -d' ' -f1-3 /proc/loadavg))"

# What Distribution 2.8 accepts (with its own log at info for this check only).
DIST_LOG_LEVEL=info start_dist "$DIST_PORT" check 1
check() { curl -s -o /dev/null -m 5 -w '%{http_code}' -H "Authorization: $1" "http://127.0.0.1:$DIST_PORT/v2/" || true; }
echo "check: Distribution answers /v2/ with a bench token: kid = libtrust ID $(check "$PULL"), x5c $(check "$PULL_X5C")," \
     "kid = RFC 7638 thumbprint (Berth's form) $(check "$PULL_THUMB")"
grep -o 'token signed by untrusted key with ID: [^ ]*' "$STAMP-check.log" | head -1 | tr -d '\\"' \
    | sed 's/^/  Distribution logged: /' || true
stop_all

for r in $(seq 1 "$RUNS"); do
    rm -rf "$WORK"/dist-data "$WORK"/anon-data "$WORK/berth-data"
    start_dist "$DIST_PORT" dist 1
    start_dist "$ANON_PORT" anon 0
    t0=$(date +%s)
    BERTH_DATA_ROOT="$WORK/berth-data" BERTH_ADMIN_PASSWORD="$ADMIN_PW" \
        java $JAVA_OPTS -jar "$WORK/berth-micro.jar" --deploy "$WORK/ROOT.war" --port "$BERTH_PORT" --nocluster \
        > "$STAMP-berth-$r.log" 2>&1 &
    PIDS+=($!)
    ready "$BERTH_PORT" "$!" || { tail -20 "$STAMP-berth-$r.log" >&2; exit 1; }
    echo "round $r: servers up (Berth in $(( $(date +%s) - t0 )) s), load $(cut -d' ' -f1-3 /proc/loadavg)"
    if [ "$r" = 1 ]; then
        berth_token="$(curl -s -m 10 -H "Authorization: $BASIC" \
            "http://127.0.0.1:$BERTH_PORT/service/token?service=berth&scope=repository:$REPO:pull" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')"
        echo "  Berth's token header: $(printf '%s' "${berth_token%%.*}" | tr '_-' '/+' | base64 -d 2>/dev/null || true)"
    fi
    common=(--rounds "$BLOCKS" --block "$BLOCK" --warmup "$WARM" --max-seconds 900 --out "$ROWS" --repo "$REPO")
    "${CLIENT[@]}" HeadLatency --url "http://127.0.0.1:$DIST_PORT" --label "$r:distribution-token" "${common[@]}" \
        --push-auth "$PUSH" --variant "bearer=$PULL" --variant "bearer-x5c=$PULL_X5C" | sed 's/^/  /'
    "${CLIENT[@]}" HeadLatency --url "http://127.0.0.1:$BERTH_PORT" --label "$r:berth" "${common[@]}" \
        --push-auth "$BASIC" --berth-login "admin:$ADMIN_PW" --variant "basic=$BASIC" --variant "anonymous=" | sed 's/^/  /'
    "${CLIENT[@]}" HeadLatency --url "http://127.0.0.1:$ANON_PORT" --label "$r:distribution-anonymous" "${common[@]}" \
        --push-auth "" --variant "anonymous=" | sed 's/^/  /'
    # The same warm servers through WarmUp's raw-socket client (its own blob, pushed by the first run on each
    # server): the final p50 (last 20% of RAW_N) on one connection, and a new connection per request.
    raw() {   # $1 port, $2 label, then WarmUp's options
        local port="$1" label="$2"; shift 2
        "${CLIENT[@]}" WarmUp --url "http://127.0.0.1:$port" --label "$r:$label" --kind blob --repo "$REPO" \
            --n "${TOKENS_RAW_N:-5000}" --conns 200 --max-seconds 300 --out "$RAW" "$@" \
            | sed -e 's/^/  raw /' -e 's/: steady after.*final p50/: final p50/' -e 's/, warm-up excess.*warm p50/; new connection p50/' \
            -e 's/ (200 requests).*//' || echo "  raw $label failed" >&2
    }
    raw "$DIST_PORT" distribution-token:bearer --push --push-auth "$PUSH" --auth-header "$PULL"
    raw "$DIST_PORT" distribution-token:bearer-x5c --auth-header "$PULL_X5C"
    raw "$BERTH_PORT" berth:bearer --push --push-auth "$BASIC" --berth-login "admin:$ADMIN_PW"
    raw "$BERTH_PORT" berth:basic --auth-header "$BASIC"
    raw "$BERTH_PORT" berth:anonymous
    raw "$ANON_PORT" distribution-anonymous:anonymous --push
    stop_all
done
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

# Medians over the rounds (of an even count: the lower middle).
awk -F'\t' 'NR > 1 {
    split($1, l, ":"); key = l[2] "\t" $2
    if (!(key in seen)) { seen[key] = 1; keys[++nk] = key }
    p50[key] = p50[key] " " $4; p90[key] = p90[key] " " $5; p99[key] = p99[key] " " $6; n[key]++
}
function median(list,   a, m, i, j, t) {
    m = split(list, a, " ")
    for (i = 2; i <= m; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return a[int((m + 1) / 2)]
}
END {
    printf "\n%-24s %-11s %7s %9s %9s %9s   %s\n", "blob HEAD, median", "credential", "rounds", "p50 ms", "p90 ms", "p99 ms", "p50 per round"
    for (i = 1; i <= nk; i++) {
        k = keys[i]; split(k, f, "\t")
        printf "%-24s %-11s %7d %9.3f %9.3f %9.3f  %s\n", f[1], f[2], n[k], median(p50[k]), median(p90[k]), median(p99[k]), p50[k]
    }
}' "$ROWS"
if [ -s "$RAW" ]; then
    awk -F'\t' 'NR > 1 {
        split($1, l, ":"); key = l[2] "\t" l[3]
        if (!(key in seen)) { seen[key] = 1; keys[++nk] = key }
        fin[key] = fin[key] " " $9; nc[key] = nc[key] " " $13; n[key]++
    }
    function median(list,   a, m, i, j, t) {
        m = split(list, a, " ")
        for (i = 2; i <= m; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
        return a[int((m + 1) / 2)]
    }
    END {
        printf "\n%-24s %-11s %7s %13s %17s\n", "raw client, median", "credential", "rounds", "warm p50 ms", "new-conn p50 ms"
        for (i = 1; i <= nk; i++) {
            k = keys[i]; split(k, f, "\t")
            printf "%-24s %-11s %7d %13.3f %17.3f\n", f[1], f[2], n[k], median(fin[k]), median(nc[k])
        }
    }' "$RAW"
fi
echo "rows: $ROWS $RAW"
