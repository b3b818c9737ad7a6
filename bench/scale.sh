#!/usr/bin/env bash
# Scale benchmarks (issue 19), on RegistryBench's workloads (bench/src/ScaleBench.java):
#   bench/scale.sh s3 [REPS]     Berth on S3Proxy against Distribution 2.8.2 (Debian's docker-registry)
#                                on the same S3Proxy (its s3 driver with regionendpoint), a bucket each;
#                                small images c=16, manifest GETs c=16, streamed 64 MiB push + GET + HEAD
#   bench/scale.sh nodes [REPS]  one Berth node against two, each behind nginx (round robin, the shipped
#                                server-config/nginx-cluster.conf on plain HTTP), one PostgreSQL database
#                                and one data root; the one node is one of the two; small images c=16
#                                and manifest GETs c=16
# REPS samples per target and figure (default 5), interleaved A, B, A, B; medians and the ratio B/A.
# Needs target/ROOT.war and target/berth-micro.jar (mvn -B package -DskipTests; s3 also
# target/s3proxy.jar, which that build copies); nodes needs PostgreSQL (PGHOST, PGPORT, PGUSER,
# PGPASSWORD; default the role berth_test of ./test.sh) and makes its own database berth_bench_<pid>,
# dropped at the end. No auth (BERTH_ANONYMOUS_PUSH=true); loopback only; each run about 4-8 minutes.
# Output: the table on stdout, bench/results/<time>-<mode>.json (every sample with the load average,
# each server's CPU, S3Proxy's, nginx's and PostgreSQL's), the servers' logs beside it.
#   SCALE_PORT=25030        first of 8 ports on 127.0.0.1
#   SCALE_IMAGES=400        small images per sample;   SCALE_GET_SECONDS=5   manifest GETs per sample
#   SCALE_JAVA_OPTS         JVM options of every Berth node (default -Xmx256m)
#   SCALE_UPLOAD_SESSIONS   BERTH_MAX_UPLOAD_SESSIONS of the nodes (default: Berth's, 100; before 129afd5
#                           the per-node count leaked behind round robin: bench/README "Scale", bug 2)
#   SCALE_JFR=1             a JFR recording (settings=profile) of every Berth, beside its log
#   SCALE_S3PROXY_HEAP=3g   S3Proxy's heap: it holds every object in memory
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
MODE="${1:-}"
REPS="${2:-5}"
case "$MODE" in s3|nodes) ;; *) echo "usage: bench/scale.sh s3|nodes [REPS]" >&2; exit 2 ;; esac
case "$REPS" in ''|*[!0-9]*) echo "REPS must be a number" >&2; exit 2 ;; esac
BASE="${SCALE_PORT:-25030}"
S3_PORT=$BASE DIST_PORT=$((BASE + 1)) BERTH_PORT=$((BASE + 2))
NODE_PORT=($((BASE + 3)) $((BASE + 4))) LB1_PORT=$((BASE + 5)) LB2_PORT=$((BASE + 6)) S3_SHIM_PORT=$((BASE + 7))
JAVA_OPTS="${SCALE_JAVA_OPTS:--Xmx256m}"
S3PROXY_HEAP="-Xmx${SCALE_S3PROXY_HEAP:-3g}"

missing=()
for cmd in java:openjdk-17-jdk-headless javac:openjdk-17-jdk-headless jcmd:openjdk-17-jdk-headless curl:curl; do
    command -v "${cmd%%:*}" >/dev/null || missing+=("${cmd#*:}")
done
if [ "$MODE" = s3 ]; then
    command -v docker-registry >/dev/null || missing+=(docker-registry)
else
    command -v psql >/dev/null || missing+=(postgresql-client)
fi
command -v nginx >/dev/null || missing+=(nginx-light)
if [ ${#missing[@]} -gt 0 ]; then
    echo "missing Debian packages: ${missing[*]} (apt-get install ${missing[*]})" >&2; exit 2
fi
if [ "$MODE" = s3 ]; then need_build target/s3proxy.jar || exit 2; else need_build || exit 2; fi
port_free "$S3_PORT" "$DIST_PORT" "$BERTH_PORT" "${NODE_PORT[@]}" "$LB1_PORT" "$LB2_PORT" "$S3_SHIM_PORT" || exit 2

WORK="$(mktemp -d /tmp/berth-scale.XXXXXX)"
mkdir -p bench/results
STAMP="bench/results/$(date -u +%Y-%m-%dT%H%M%SZ)-$MODE"
PIDS=()
DB=""
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-berth_test}" PGPASSWORD="${PGPASSWORD:-berth_test}"
cleanup() {
    stop_pids ${PIDS[@]+"${PIDS[@]}"}
    [ -z "$DB" ] || e2e/postgresql-database.sh drop "$DB" >/dev/null 2>&1 || echo "could not drop database $DB" >&2
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

# The bench's programs, compiled once: ScaleBench builds on RegistryBench.
javac -d "$WORK/classes" bench/src/RegistryBench.java bench/src/ScaleBench.java
# start_berth NAME PORT [ENV=VALUE...]: a Berth node from its own folder (its copy of the jar and WAR,
# so that a build during the run changes nothing), HTTP on 127.0.0.1 only, no auth; sets STARTED_PID.
printf '%s\n' 'set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1' \
    > "$WORK/loopback.asadmin"
cp target/berth-micro.jar "$WORK/berth-micro.jar"
start_berth() {
    local port=$2 home="$WORK/$1" log="$PWD/$STAMP-$1.log" jfr=()
    shift 2
    mkdir -p "$home/deploy" "$home/tmp"
    cp target/ROOT.war "$home/deploy/ROOT.war"
    [ "${SCALE_JFR:-0}" != 1 ] || jfr=("-XX:StartFlightRecording=filename=${log%.log}.jfr,settings=profile,dumponexit=true")
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
    (cd "$home" && exec env BERTH_ANONYMOUS_PUSH=true "$@" java $JAVA_OPTS ${jfr[@]+"${jfr[@]}"} -Djava.io.tmpdir="$home/tmp" \
        -jar "$WORK/berth-micro.jar" --deploy "$home/deploy/ROOT.war" --port "$port" --nocluster \
        --prebootcommandfile "$WORK/loopback.asadmin" </dev/null >"$log" 2>&1) &
    STARTED_PID=$!
    PIDS+=("$STARTED_PID")
}

# start_nginx NAME SERVER_BLOCKS: one nginx (1 worker, no access log) with its own config and temp
# folders under $WORK/NAME; sets STARTED_PID.
start_nginx() {
    mkdir -p "$WORK/$1"
    cat > "$WORK/$1/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $WORK/$1/nginx.pid;
error_log $WORK/$1/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $WORK/$1/body;
    proxy_temp_path $WORK/$1/proxy;
    fastcgi_temp_path $WORK/$1/fastcgi;
    uwsgi_temp_path $WORK/$1/uwsgi;
    scgi_temp_path $WORK/$1/scgi;
$2
}
EOF
    nginx -c "$WORK/$1/nginx.conf" -p "$WORK/$1" > "$STAMP-$1.log" 2>&1 &
    STARTED_PID=$!
    PIDS+=("$STARTED_PID")
}

# proxy_site PORT UPSTREAM [DIRECTIVES]: a server on 127.0.0.1:PORT passing everything to UPSTREAM,
# streamed both ways, Host kept (S3's signatures and Berth's Location headers use it), with the
# proxy settings of server-config/nginx-cluster.conf on plain HTTP.
proxy_site() {
    cat <<EOF
    server {
        listen 127.0.0.1:$1;
        client_max_body_size 0;
        location / {
            proxy_pass http://$2;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$http_host;
            proxy_set_header X-Forwarded-Host \$http_host;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_request_buffering off;
            proxy_buffering off;
            proxy_next_upstream error timeout http_502 http_503;
            proxy_read_timeout 900s;
            ${3:-}
        }
    }
EOF
}

S3_ID=bench-s3 S3_SECRET=bench-s3-secret-key
if [ "$MODE" = s3 ]; then
    mkdir -p "$WORK/s3"
    cat > "$WORK/s3proxy.properties" <<EOF
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_ID
s3proxy.credential=$S3_SECRET
jclouds.provider=transient
jclouds.identity=$S3_ID
jclouds.credential=$S3_SECRET
EOF
    # The transient (in-memory) backend, not the tests' "filesystem": that one's delete sleeps 5 s
    # whenever a folder it removes is not empty (jclouds Utils.delete), which Distribution's
    # DeleteObjects of an upload's keys meets under concurrent pushes (requests waiting, no CPU
    # used); "filesystem-nio2" fails ListMultipartUploads while parts are being written ("Unable to
    # get size of extended attribute 'user.content-md5'"). In memory, S3Proxy also costs the least.
    echo "starting S3Proxy (target/s3proxy.jar, transient backend, $S3PROXY_HEAP) on 127.0.0.1:$S3_PORT"
    cp target/s3proxy.jar "$WORK/s3proxy.jar"
    java "$S3PROXY_HEAP" -jar "$WORK/s3proxy.jar" --properties "$WORK/s3proxy.properties" > "$STAMP-s3proxy.log" 2>&1 &
    S3_PID=$!
    PIDS+=("$S3_PID")
    wait_port "$S3_PORT" "$S3_PID" || { tail -20 "$STAMP-s3proxy.log"; exit 1; }
    for bucket in distribution berth; do
        # S3Proxy wants x-amz-content-sha256, which curl signs but does not add: the empty body's hash.
        curl -sSf --aws-sigv4 "aws:amz:us-east-1:s3" --user "$S3_ID:$S3_SECRET" -X PUT "http://127.0.0.1:$S3_PORT/$bucket" \
            -H "x-amz-content-sha256: $(printf '' | sha256sum | cut -d' ' -f1)" \
            || { echo "could not create bucket $bucket" >&2; exit 1; }
    done
    # Distribution 2.8.2 resumes every upload with ListParts and reads its IsTruncated, which S3Proxy
    # 2.6.0 leaves out: a nil pointer, a panic, a 500 on every PUT and PATCH after the POST. An nginx in
    # front of S3Proxy adds <IsTruncated>false</IsTruncated> to ListParts answers (an upload here has
    # at most 7 parts), and both registries go through it, so each pays the same hop.
    start_nginx s3-shim "    upstream s3proxy { server 127.0.0.1:$S3_PORT; keepalive 64; }
$(proxy_site "$S3_SHIM_PORT" s3proxy "sub_filter_types application/xml; sub_filter '</ListPartsResult>' '<IsTruncated>false</IsTruncated></ListPartsResult>';")"
    SHIM_PID=$STARTED_PID
    wait_port "$S3_SHIM_PORT" "$SHIM_PID" || { cat "$WORK/s3-shim/error.log"; exit 1; }
    S3_URL="http://127.0.0.1:$S3_SHIM_PORT"

    # Redirects off on both: a redirected GET would measure S3Proxy, and the client follows none.
    cat > "$WORK/dist.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  s3:
    accesskey: $S3_ID
    secretkey: $S3_SECRET
    region: us-east-1
    regionendpoint: $S3_URL
    bucket: distribution
    secure: false
    v4auth: true
    rootdirectory: /
  redirect:
    disable: true
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: 127.0.0.1:$DIST_PORT
  secret: bench-only-secret
EOF
    echo "starting Distribution ($(docker-registry --version 2>/dev/null | head -1)) on 127.0.0.1:$DIST_PORT, bucket distribution"
    # AWS_CA_BUNDLE (set on some machines) makes its AWS SDK panic at start ("unable to load custom
    # CA bundle, HTTPClient's transport unsupported type"); S3Proxy is plain HTTP on loopback anyway.
    env -u AWS_CA_BUNDLE docker-registry serve "$WORK/dist.yml" > "$STAMP-distribution.log" 2>&1 &
    DIST_PID=$!
    PIDS+=("$DIST_PID")
    first_answer "http://127.0.0.1:$DIST_PORT" "$(date +%s%N)" "$DIST_PID" >/dev/null \
        || { tail -20 "$STAMP-distribution.log"; exit 1; }
    echo "starting Berth ($JAVA_OPTS, H2 in its data root) on 127.0.0.1:$BERTH_PORT, bucket berth"
    mkdir -p "$WORK/berth-data"
    start_berth berth "$BERTH_PORT" BERTH_DATA_ROOT="$WORK/berth-data" BERTH_STORAGE=s3 \
        BERTH_S3_ENDPOINT="$S3_URL" BERTH_S3_BUCKET=berth BERTH_S3_REGION=us-east-1 \
        BERTH_S3_PATH_STYLE=true AWS_ACCESS_KEY_ID="$S3_ID" AWS_SECRET_ACCESS_KEY="$S3_SECRET"
    BERTH_PID=$STARTED_PID
    ms="$(first_answer "http://127.0.0.1:$BERTH_PORT" "$(date +%s%N)" "$BERTH_PID")" || { tail -40 "$STAMP-berth.log"; exit 1; }
    echo "Berth answered after $ms ms"
    TARGETS=(--a-name distribution --a "http://127.0.0.1:$DIST_PORT" --a-pids "$DIST_PID"
             --b-name berth --b "http://127.0.0.1:$BERTH_PORT" --b-pids "$BERTH_PID"
             --aux "s3proxy=$S3_PID,s3shim=$SHIM_PID")
    NOTE="S3Proxy (transient backend, in memory) behind an nginx shim on loopback, a bucket each, redirects off; Berth on H2; no auth"
else
    DB="berth_bench_$$"
    e2e/postgresql-database.sh recreate "$DB" >/dev/null || { DB=""; exit 1; }
    mkdir -p "$WORK/data"
    NODE_ENV=(BERTH_DATA_ROOT="$WORK/data" BERTH_TRUSTED_PROXIES=127.0.0.1
              BERTH_DB_DATASOURCE_CLASS=org.postgresql.ds.PGSimpleDataSource
              BERTH_DB_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" BERTH_DB_USER="$PGUSER" BERTH_DB_PASSWORD="$PGPASSWORD")
    [[ -z ${SCALE_UPLOAD_SESSIONS:-} ]] || NODE_ENV+=(BERTH_MAX_UPLOAD_SESSIONS="$SCALE_UPLOAD_SESSIONS")
    echo "starting two Berth nodes ($JAVA_OPTS) together on ports ${NODE_PORT[*]}, PostgreSQL database $DB, data root $WORK/data"
    NODE_PID=()
    for i in 0 1; do
        start_berth "node$((i + 1))" "${NODE_PORT[i]}" "${NODE_ENV[@]}"
        NODE_PID+=("$STARTED_PID")
    done
    t0=$(date +%s%N)
    for i in 0 1; do
        FIRST_ANSWER_TRIES=480 first_answer "http://127.0.0.1:${NODE_PORT[i]}" "$t0" "${NODE_PID[i]}" >/dev/null \
            || { tail -40 "$STAMP-node$((i + 1)).log"; exit 1; }
    done
    echo "both nodes answered after $(( ($(date +%s%N) - t0) / 1000000 )) ms"

    # One nginx, two sites: LB1 in front of node 1 alone, LB2 in front of both (round robin).
    start_nginx balancer "    upstream one_node { server 127.0.0.1:${NODE_PORT[0]}; keepalive 32; }
    upstream two_nodes { server 127.0.0.1:${NODE_PORT[0]}; server 127.0.0.1:${NODE_PORT[1]}; keepalive 32; }
$(proxy_site "$LB1_PORT" one_node)
$(proxy_site "$LB2_PORT" two_nodes)"
    NGINX_PID=$STARTED_PID
    for port in "$LB1_PORT" "$LB2_PORT"; do
        first_answer "http://127.0.0.1:$port" "$(date +%s%N)" "$NGINX_PID" >/dev/null || { cat "$WORK/balancer/error.log"; exit 1; }
    done
    # PostgreSQL's CPU: the postmaster's backends that serve this database (the cluster is shared).
    backend=$(pgrep -n -f "postgres: .* $DB " || true)
    AUX="nginx=$NGINX_PID"
    if [ -n "$backend" ]; then AUX="$AUX,postgres=$(ps -o ppid= -p "$backend" | tr -d ' '):$DB"; fi
    TARGETS=(--a-name 1-node --a "http://127.0.0.1:$LB1_PORT" --a-pids "${NODE_PID[0]}"
             --b-name 2-nodes --b "http://127.0.0.1:$LB2_PORT" --b-pids "${NODE_PID[0]},${NODE_PID[1]}"
             --aux "$AUX")
    NOTE="nginx (1 worker) in front of both; one PostgreSQL database and data root; 1-node is node 1 of the 2; no auth"
fi

echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
OUT="$STAMP.json"
rc=0
# In the background and waited for, so that a TERM to this script stops everything at once.
java -Xmx1g -cp "$WORK/classes" ScaleBench --mode "$MODE" --reps "$REPS" "${TARGETS[@]}" \
    --images "${SCALE_IMAGES:-400}" --get-seconds "${SCALE_GET_SECONDS:-5}" \
    --work "$WORK" --out "$OUT" --note "$NOTE; shared 2-core machine, indicative only" &
PIDS+=("$!")
wait "$!" || rc=$?
echo "results: $OUT; load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
for log in "$STAMP"-*.log; do
    n=$(grep -c -iE 'SEVERE|Exception|level=error|panic' "$log" || true)
    [ "$n" = 0 ] || echo "$log: $n lines with SEVERE/Exception/error"
done
[ $rc -eq 0 ] || echo "THE RUN HAD FAILURES (exit $rc): see 'failures' above and in $OUT" >&2
exit $rc
