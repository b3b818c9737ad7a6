#!/usr/bin/env bash
# Builds Berth's container image NAME:VERSION and NAME:latest (NAME berth, VERSION the pom's)
# from what `mvn -B package -DskipTests` left in target/, without pulling any base image and
# without Maven: the layers are tars written here and handed to `docker load` with their config.
#
#   mvn -B package -DskipTests && image/build.sh
#
# Layers, least to most often changed, so that a change to Berth's code rebuilds the last one:
#   1. Debian bookworm minbase + openjdk-17-jre-headless + user berth (image/rootfs.sh; cached)
#   2. Payara Micro (target/payara-micro.jar, the artifact from Maven Central, byte for byte)
#   3. the WAR's libraries (WEB-INF/lib)
#   4. Berth: the rest of the WAR, exploded in /opt/berth/ROOT; the launcher with Berth's
#      pre-boot checks (berth-launcher.jar, on Payara Micro's jar); entrypoint and health check
# Reproducible: in layers 2-4 every file time is 1970-01-01T00:00:01Z and every owner root, in
# name order, so a layer's digest depends on its content only; layer 1's times are bounded by
# the Debian suite's Release date; the config's times are SOURCE_DATE_EPOCH (default: the
# commit's time). The same commit and the same Debian packages give the same image ID, but for
# layer 1's /etc/ssl/certs/java/cacerts (a PKCS12 keystore that ca-certificates-java writes with
# a random salt at each install): the base is built once per machine and cached.
#
# Environment:
#   BERTH_IMAGE_NAME   image name (default berth)
#   BERTH_IMAGE_CACHE  where layer 1 is cached, by the hash of image/rootfs.sh's commands (which
#                      name the suite and packages): default ${XDG_CACHE_HOME:-~/.cache}/berth-image, so
#                      that `mvn clean` keeps it; a fresh machine runs debootstrap once (minutes)
#   BERTH_IMAGE_SOURCE the org.opencontainers.image.source label (default: git's remote.origin.url)
#   SOURCE_DATE_EPOCH  the image's creation time (default: the time of the commit)
#   DOCKER             docker client (default /usr/bin/docker when present, as the e2e scripts)
# Needs root for layer 1 (debootstrap), jq, and a JDK's jar tool (the build's).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[image %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() {
    echo "image/build.sh: $*" >&2
    exit 1
}

if [[ -z ${DOCKER:-} ]]; then
    if [[ -x /usr/bin/docker ]]; then DOCKER=/usr/bin/docker; else DOCKER=docker; fi
fi
NAME=${BERTH_IMAGE_NAME:-berth}
CACHE=${BERTH_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/berth-image}
# file times in layers 2-4 (as jib does: one second after the epoch)
FILE_TIME=1
PREFIX=/opt/berth

for tool in jq jar sha256sum; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done
for f in target/ROOT.war target/payara-micro.jar target/berth-micro.jar; do
    [[ -f $f ]] || die "$f is missing: run mvn -B package -DskipTests first"
done

# the project's own version: the first <version> after the project's <artifactId>berth</artifactId>
VERSION=$(awk '/<parent>/ { p = 1 } /<\/parent>/ { p = 0 }
    !p && /<artifactId>berth<\/artifactId>/ { a = 1; next }
    a && /<version>/ { sub(/.*<version>/, ""); sub(/<\/version>.*/, ""); print; exit }' pom.xml)
[[ -n $VERSION ]] || die "no project version in pom.xml"
REVISION=$(git rev-parse HEAD 2>/dev/null || echo unknown)
if [[ $REVISION != unknown ]] && [[ -n $(git status --porcelain --untracked-files=no 2>/dev/null) ]]; then
    REVISION="$REVISION-dirty"
fi
SOURCE=${BERTH_IMAGE_SOURCE:-$(git config --get remote.origin.url 2>/dev/null || true)}
EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 1)}
CREATED=$(date -u -d "@$EPOCH" +%Y-%m-%dT%H:%M:%SZ)

work=$(mktemp -d "${TMPDIR:-/tmp}/berth-image.XXXXXX")
trap 'rm -rf "$work"' EXIT

# ---------------------------------------------------------------- layer 1: the base

# keyed by rootfs.sh without its comments: the suite, the packages and every step
key=$(grep -v '^[[:space:]]*#' image/rootfs.sh | sha256sum | cut -c1-16)
base=$CACHE/base-$key.tar
if [[ -f $base && -f $base.sha256 ]]; then
    log "base layer from the cache: $base"
else
    log "building the base layer (debootstrap; cached as $base)"
    mkdir -p "$CACHE"
    image/rootfs.sh "$base"
    sha256sum "$base" | cut -d' ' -f1 >"$base.sha256.tmp"
    mv "$base.sha256.tmp" "$base.sha256"
fi

# ---------------------------------------------------------------- layers 2-4: staged trees

stage=$work/stage
mkdir -p "$stage"/{payara,libs,app}"$PREFIX"
cp target/payara-micro.jar "$stage/payara$PREFIX/payara-micro.jar"

app=$stage/app$PREFIX
mkdir "$app/ROOT"
(cd "$app/ROOT" && jar --extract --file "$OLDPWD/target/ROOT.war")
mkdir -p "$stage/libs$PREFIX/ROOT/WEB-INF"
mv "$app/ROOT/WEB-INF/lib" "$stage/libs$PREFIX/ROOT/WEB-INF/lib"

# The launcher: Berth's pre-boot checks (org.berth.infrastructure.boot, as in target/berth-micro.jar)
# in a small jar whose manifest puts Payara Micro's jar on the class path and carries its
# Add-Exports and Add-Opens, which the JVM honours only in the jar that -jar names. Payara's own
# jar then stays byte for byte the one from Maven Central, in a layer that never changes with Berth.
launcher=$work/launcher
mkdir -p "$launcher/classes"
(cd "$launcher/classes" && jar --extract --file "$OLDPWD/target/berth-micro.jar" org/berth/infrastructure/boot)
[[ -f $launcher/classes/org/berth/infrastructure/boot/BerthMicro.class ]] ||
    die "target/berth-micro.jar holds no org.berth.infrastructure.boot.BerthMicro"
(cd "$launcher" && jar --extract --file "$OLDPWD/target/payara-micro.jar" META-INF/MANIFEST.MF)
{
    echo "Main-Class: org.berth.infrastructure.boot.BerthMicro"
    echo "Class-Path: payara-micro.jar"
    # the Add-* attributes of Payara Micro's manifest, continuation lines included
    awk '/^[^ ]/ { keep = ($0 ~ /^Add-(Exports|Opens):/) } keep' "$launcher/META-INF/MANIFEST.MF" | tr -d '\r'
} >"$launcher/manifest.txt"
grep -q '^Add-Opens:' "$launcher/manifest.txt" || die "no Add-Opens in Payara Micro's manifest"
jar --create --file "$app/berth-launcher.jar" --manifest "$launcher/manifest.txt" \
    --date=1980-01-01T00:00:02Z -C "$launcher/classes" org

cp server-config/payara-micro/pre-boot-commands.asadmin "$app/"
cp image/entrypoint.sh image/healthcheck.sh "$app/"

# layer_tar DIR OUT: DIR's tree as a reproducible layer (name order, root, fixed times)
layer_tar() {
    (cd "$1" && find . -mindepth 1 -maxdepth 1 -printf '%P\n' | LC_ALL=C sort) >"$work/top"
    tar --create --file "$2" --directory "$1" --sort=name --owner=0 --group=0 --numeric-owner \
        --mode='u=rwX,go=rX' --mtime="@$FILE_TIME" --format=posix \
        --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
        --files-from "$work/top"
}

# ---------------------------------------------------------------- the archive docker loads

archive=$work/archive
mkdir "$archive"
layers=() diff_ids=()
add_layer() { # TAR_FILE DIFF_ID
    mkdir -p "$archive/${2#sha256:}"
    ln -s "$1" "$archive/${2#sha256:}/layer.tar"
    layers+=("${2#sha256:}/layer.tar")
    diff_ids+=("$2")
}
add_layer "$base" "sha256:$(cat "$base.sha256")"
for part in payara libs app; do
    layer_tar "$stage/$part" "$work/$part.tar"
    add_layer "$work/$part.tar" "sha256:$(sha256sum "$work/$part.tar" | cut -d' ' -f1)"
done

history=(
    "image/rootfs.sh: Debian bookworm minbase, openjdk-17-jre-headless, user berth (10001) owning /data"
    "Payara Micro (payara-micro.jar)"
    "the WAR's libraries (WEB-INF/lib)"
    "Berth $VERSION ($REVISION): the WAR, the launcher, entrypoint.sh, healthcheck.sh"
)
labels=$(jq -n --arg version "$VERSION" --arg revision "$REVISION" --arg source "$SOURCE" --arg created "$CREATED" '
    {"org.opencontainers.image.title": "Berth",
     "org.opencontainers.image.description": "Berth container registry on Payara Micro",
     "org.opencontainers.image.version": $version,
     "org.opencontainers.image.revision": $revision,
     "org.opencontainers.image.created": $created,
     "org.opencontainers.image.base.name": "debian:bookworm (debootstrap --variant=minbase)"}
    + (if $source == "" then {} else {"org.opencontainers.image.source": $source} end)')
[[ -n $SOURCE ]] || log "no git remote origin and no BERTH_IMAGE_SOURCE: the image has no org.opencontainers.image.source label"

second=1000000000
jq -n --arg created "$CREATED" --argjson labels "$labels" \
    --args '{
    architecture: "amd64", os: "linux", created: $created,
    config: {
        User: "10001:10001",
        Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8",
              "BERTH_DATA_ROOT=/data", "BERTH_PORT=5000", "BERTH_HEAP=1g"],
        Entrypoint: ["'"$PREFIX"'/entrypoint.sh"],
        WorkingDir: "/data",
        ExposedPorts: {"5000/tcp": {}},
        Volumes: {"/data": {}},
        StopSignal: "SIGTERM",
        Healthcheck: {Test: ["CMD", "'"$PREFIX"'/healthcheck.sh"],
                      Interval: (10 * '"$second"'), Timeout: (5 * '"$second"'),
                      StartPeriod: (300 * '"$second"'), Retries: 3},
        Labels: $labels
    },
    rootfs: {type: "layers", diff_ids: $ARGS.positional[0:4]},
    history: [$ARGS.positional[4:8][] | {created: $created, created_by: .}]
}' "${diff_ids[@]}" "${history[@]}" >"$work/config.json"
config_id=$(sha256sum "$work/config.json" | cut -d' ' -f1)
mv "$work/config.json" "$archive/$config_id.json"
jq -n --arg config "$config_id.json" --arg name "$NAME" --arg version "$VERSION" \
    '[{Config: $config, RepoTags: ["\($name):\($version)", "\($name):latest"], Layers: $ARGS.positional}]' \
    --args "${layers[@]}" >"$archive/manifest.json"

# docker load skips a layer it already has (by the chain of diff IDs) without reading its file:
# leave out those the previous image of this name shares from the bottom (usually the 300 MB base)
previous=$("$DOCKER" image inspect -f '{{.Id}}{{range .RootFS.Layers}} {{.}}{{end}}' "$NAME:$VERSION" 2>/dev/null || true)
read -r previous_id previous_layers <<<"${previous:-none}" || true
i=0
for old in ${previous_layers:-}; do
    if ((i >= ${#diff_ids[@]})) || [[ $old != "${diff_ids[i]}" ]]; then break; fi
    rm "$archive/${layers[i]}"
    i=$((i + 1))
done
((i == 0)) || log "$i layer(s) already in docker: not sent again"

log "docker load of $NAME:$VERSION and $NAME:latest"
tar --create --dereference --directory "$archive" . | "$DOCKER" load >"$work/load.log" 2>&1 || {
    cat "$work/load.log" >&2
    die "docker load failed"
}
id=$("$DOCKER" image inspect -f '{{.Id}}' "$NAME:$VERSION")
[[ $id == "sha256:$config_id" ]] || die "docker loaded $id, expected sha256:$config_id"
# the image these tags named before, now untagged: remove it unless a container still uses it
if [[ -n ${previous_id:-} && $previous_id != none && $previous_id != "$id" ]]; then
    "$DOCKER" rmi "$previous_id" >/dev/null 2>&1 || true
fi
size=$("$DOCKER" image inspect -f '{{.Size}}' "$id")
log "built $NAME:$VERSION ($id, $((size / 1024 / 1024)) MiB, revision $REVISION)"
for i in "${!diff_ids[@]}"; do
    log "  layer $((i + 1)) ${diff_ids[i]} ${history[i]}"
done
