#!/bin/sh
# Berth's container entrypoint: Payara Micro with Berth's WAR (exploded in /opt/berth/ROOT, so
# the context root is /) on BERTH_PORT. exec: the JVM becomes PID 1 and gets docker stop's
# SIGTERM itself, and its shutdown writes the queued audit entries and pull counts.
#   BERTH_PORT (5000)  HTTP port, as run.sh's; with --network host the only way to choose it
#   BERTH_HEAP (1g)    Java heap, as run.sh's
#   JAVA_OPTS          more JVM options (split at spaces)
#   arguments          more Payara Micro options: docker run ... berth:VERSION --sslport 5443 ...
set -eu
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec java -Xmx"${BERTH_HEAP:-1g}" ${JAVA_OPTS:-} -jar /opt/berth/berth-launcher.jar \
    --prebootcommandfile /opt/berth/pre-boot-commands.asadmin \
    --deploy /opt/berth/ROOT --port "${BERTH_PORT:-5000}" --nocluster "$@"
