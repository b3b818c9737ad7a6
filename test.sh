#!/usr/bin/env bash
# Runs every Berth test: unit tests, Arquillian integration tests on Payara Micro, and the
# end-to-end scenarios in e2e/ that drive the real docker CLI and skopeo; the ITs and the core
# scenarios run twice: on H2 (the default) and on PostgreSQL (Maven profile db-postgresql).
# Installs what the tests need when it is missing (Debian packages; needs root), starts a
# Docker engine unless one already answers, starts Debian's PostgreSQL cluster unless it is
# running and gives it a test role, then runs `mvn -B clean verify -Pdb-postgresql`.
# Safe to run again on the same machine. CI (.ci/run) runs exactly this.
set -euo pipefail

cd "$(dirname "$0")"
export DEBIAN_FRONTEND=noninteractive

log() { printf '[ci %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# debootstrap: image/build.sh makes the container image's Debian base with it (e2e/97-container-image.sh);
# docker-registry (CNCF Distribution): the upstream of e2e/92-proxy-cache.sh
PACKAGES=(docker.io skopeo podman busybox-static jq curl iptables ca-certificates openssl nginx postgresql chromium chromium-driver debootstrap docker-registry)
# the machine image brings Java 17 and Maven; install Debian's if it ever does not
command -v mvn >/dev/null || PACKAGES+=(maven)
command -v javac >/dev/null || PACKAGES+=(openjdk-17-jdk-headless)

install_packages() {
    if dpkg -s "${PACKAGES[@]}" >/dev/null 2>&1; then
        log "test tools already installed"
        return 0
    fi
    local i
    for i in 1 2 3; do
        if apt-get update -qq; then break; fi
        ((i < 3)) || { log "apt-get update failed 3 times"; return 1; }
        log "apt-get update failed; retrying in 10 s"
        sleep 10
    done
    log "installing ${PACKAGES[*]}"
    apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/tmp/berth-ci-apt.log 2>&1 || {
        tail -n 50 /tmp/berth-ci-apt.log
        return 1
    }
}

# The docker.io client (20.10) matches the daemon; another docker client may come first
# on PATH (e.g. /usr/local/bin/docker), so ask the one from the package.
DOCKER=/usr/bin/docker
DOCKERD_LOG=/var/log/berth-ci-dockerd.log
DOCKERD_PID=

docker_up() { "$DOCKER" info >/dev/null 2>&1; }

start_dockerd() {
    if docker_up; then
        log "a Docker engine already answers"
        return 0
    fi
    # a daemon killed earlier may have left its pid file behind
    local pidfile=/var/run/docker.pid
    if [[ -f $pidfile ]] && ! kill -0 "$(cat "$pidfile" 2>/dev/null)" 2>/dev/null; then
        rm -f "$pidfile"
    fi
    log "starting dockerd (log: $DOCKERD_LOG)"
    # vfs: works on any file system; no iptables and no default bridge: the tests only
    # talk to registries on loopback and never need container networking.
    nohup dockerd --storage-driver=vfs --iptables=false --bridge=none </dev/null >>"$DOCKERD_LOG" 2>&1 &
    DOCKERD_PID=$!
    local i
    for i in $(seq 1 60); do
        if docker_up; then
            log "dockerd is up (pid $DOCKERD_PID)"
            return 0
        fi
        if ! kill -0 "$DOCKERD_PID" 2>/dev/null; then
            log "dockerd exited; its log:"
            tail -n 50 "$DOCKERD_LOG" || true
            return 1
        fi
        sleep 1
    done
    log "dockerd did not answer within 60 s; its log:"
    tail -n 50 "$DOCKERD_LOG" || true
    return 1
}

stop_dockerd() {
    if [[ -n $DOCKERD_PID ]] && kill -0 "$DOCKERD_PID" 2>/dev/null; then
        log "stopping the dockerd this run started (pid $DOCKERD_PID)"
        kill -TERM "$DOCKERD_PID" 2>/dev/null || true
        local i
        for i in $(seq 1 20); do
            kill -0 "$DOCKERD_PID" 2>/dev/null || return 0
            sleep 1
        done
        kill -KILL "$DOCKERD_PID" 2>/dev/null || true
    fi
}

# Debian's PostgreSQL for the db-postgresql pass: its cluster (started if it is down, stopped
# again at the end) listens on loopback only (Debian's default listen_addresses=localhost).
# Role PG_ROLE may create databases; the Maven profile and e2e/lib.sh make a fresh one per
# Berth they start (e2e/postgresql-database.sh).
PG_ROLE=berth_test
PG_PASSWORD=berth_test
PG_PORT=
PG_STARTED=

start_postgresql() {
    local version cluster status
    if [[ -z $(pg_lsclusters --no-header 2>/dev/null) ]]; then
        # the package creates a cluster unless told not to; make one if it did not
        version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
        log "creating PostgreSQL cluster $version/main"
        pg_createcluster "$version" main >/dev/null
    fi
    # a cluster of the newest version (Debian 12: 15/main, port 5432)
    read -r version cluster PG_PORT status _ < <(pg_lsclusters --no-header | sort -k1,1n -s | tail -n 1)
    if [[ $status == online* ]]; then
        log "PostgreSQL $version/$cluster already runs on port $PG_PORT"
    else
        log "starting PostgreSQL $version/$cluster on port $PG_PORT"
        pg_ctlcluster "$version" "$cluster" start
        PG_STARTED="$version $cluster"
    fi
    local i
    for i in $(seq 1 30); do
        runuser -u postgres -- psql -p "$PG_PORT" -qAtX -c 'SELECT 1' >/dev/null 2>&1 && break
        ((i < 30)) || { log "PostgreSQL on port $PG_PORT does not answer"; return 1; }
        sleep 1
    done
    runuser -u postgres -- psql -p "$PG_PORT" -qAtX -v ON_ERROR_STOP=1 >/dev/null <<SQL
SELECT 'CREATE ROLE $PG_ROLE' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_ROLE') \gexec
ALTER ROLE $PG_ROLE LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
SQL
    log "PostgreSQL role $PG_ROLE ready (it may create databases)"
}

stop_postgresql() {
    if [[ -n $PG_STARTED ]]; then
        log "stopping the PostgreSQL cluster this run started ($PG_STARTED)"
        # shellcheck disable=SC2086 # version and cluster name
        pg_ctlcluster $PG_STARTED stop || true
    fi
}

trap 'stop_dockerd; stop_postgresql' EXIT

install_packages
start_dockerd
"$DOCKER" version --format 'docker client {{.Client.Version}}, engine {{.Server.Version}}' || true
skopeo --version
start_postgresql

MAVEN_ARGS=(-B clean verify -Pdb-postgresql -Dberth.pg.port="$PG_PORT" -Dberth.pg.user="$PG_ROLE" -Dberth.pg.password="$PG_PASSWORD")
log "mvn ${MAVEN_ARGS[*]}"
mvn "${MAVEN_ARGS[@]}"
