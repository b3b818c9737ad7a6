#!/usr/bin/env bash
# Builds Berth and starts it on Payara Micro at http://localhost:${BERTH_PORT:-5000}/
# Data (blobs, upload sessions, the H2 metadata database) goes to ${BERTH_DATA_ROOT:-./data}.
#   BERTH_PORT=5000            HTTP port
#   BERTH_DATA_ROOT=./data     data folder (kept across restarts)
#   BERTH_ANONYMOUS_PUSH=true  the anonymous-push switch (false: anonymous clients may only pull)
#   BERTH_HEAP=1g              Java heap
#   SKIP_BUILD=1               start the WAR already in target/
set -euo pipefail
cd "$(dirname "$0")"
if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -f target/ROOT.war ] || [ ! -f target/berth-micro.jar ]; then
    mvn -B -q package -DskipTests
fi
export BERTH_DATA_ROOT="${BERTH_DATA_ROOT:-./data}"
mkdir -p "$BERTH_DATA_ROOT"
echo "Berth: http://localhost:${BERTH_PORT:-5000}/v2/  data: $BERTH_DATA_ROOT  anonymous push: ${BERTH_ANONYMOUS_PUSH:-false}"
# target/berth-micro.jar is Payara Micro with server-config/payara-micro/pre-boot-commands.asadmin baked in.
exec java -Xmx"${BERTH_HEAP:-1g}" -jar target/berth-micro.jar \
    --deploy target/ROOT.war --port "${BERTH_PORT:-5000}" --nocluster
