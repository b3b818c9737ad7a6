#!/usr/bin/env bash
# The base layer of Berth's container image: Debian's root file system with the JRE, made from
# Debian packages by debootstrap (no base image is pulled), as one reproducible tar.
#
#   image/rootfs.sh OUT.tar
#
# Debian bookworm, variant minbase (the Essential packages and apt), plus PACKAGES with their
# dependencies (not their recommendations); the package mirror is the one this machine's apt
# uses for bookworm (/etc/apt/sources.list.d/*.sources, /etc/apt/sources.list), else
# deb.debian.org, or BERTH_DEBIAN_MIRROR. Trimmed of what a server does not read (apt's lists
# and downloaded packages, documentation, man pages, translations, logs) and of the host's
# resolv.conf; adds the user berth (uid and gid 10001) owning /data and /home/berth.
# The tar lists files in name order with numeric owners, no access or change times, and every
# time after the suite's Release date set to it, so the same packages give the same bytes, but
# for /etc/ssl/certs/java/cacerts (ca-certificates-java's PKCS12 keystore has a random salt).
# image/build.sh caches the result keyed by this file's hash (it names the packages).
# Needs root (debootstrap, chown).
set -euo pipefail

SUITE=bookworm
PACKAGES=(openjdk-17-jre-headless)
BERTH_UID=10001

log() { printf '[rootfs %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

out=${1:?usage: image/rootfs.sh OUT.tar}
[[ $(id -u) == 0 ]] || { echo "image/rootfs.sh needs root (debootstrap)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }

# mirror: the first URI this machine's apt uses for the suite itself (not -updates, -security)
mirror_from_apt() {
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [[ -f $f ]] || continue
        # deb822 stanzas, separated by blank lines
        awk -v suite="$SUITE" '
            function flush() { if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " suite " ") && uri != "") { print uri; found = 1; exit } types = suites = uri = "" }
            /^[ \t]*$/ { flush(); next }
            /^[ \t]*#/ { next }
            tolower($1) == "types:" { $1 = ""; types = $0 }
            tolower($1) == "suites:" { $1 = ""; suites = $0 }
            tolower($1) == "uris:" { uri = $2 }
            END { if (!found) flush() }' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [[ -f $f ]] || continue
        # one-line style: deb [options] URI SUITE COMPONENTS...
        sed -E 's/\[[^]]*\]//' "$f" | awk -v suite="$SUITE" '$1 == "deb" && $3 == suite { print $2 }'
    done
}
mirror=${BERTH_DEBIAN_MIRROR:-$(mirror_from_apt | head -n 1)}
mirror=${mirror:-http://deb.debian.org/debian}

# unmount_under DIR: what debootstrap left mounted there (seen: its /proc, when it runs in a
# container), deepest first, so that neither tar nor rm goes into the host's /proc
unmount_under() {
    local m
    awk -v d="$1/" 'index($2 "/", d) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
        umount "$m" || umount -l "$m"
    done
}
work=$(mktemp -d "${TMPDIR:-/tmp}/berth-rootfs.XXXXXX")
root=$work/root
trap 'unmount_under "$root"; rm -rf --one-file-system "$work"' EXIT
log "debootstrap --variant=minbase $SUITE from $mirror with ${PACKAGES[*]}"
debootstrap --variant=minbase --include="$(IFS=,; echo "${PACKAGES[*]}")" "$SUITE" "$root" "$mirror" \
    >"$work/debootstrap.log" 2>&1 || {
    tail -n 30 "$work/debootstrap.log" >&2
    exit 1
}

unmount_under "$root"
if awk -v d="$root/" 'index($2 "/", d) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
    echo "something is still mounted under $root" >&2
    exit 1
fi

# the suite's Release date bounds every file time: files written while installing get it
release=$(find "$root/var/lib/apt/lists" -maxdepth 1 -name "*_dists_${SUITE}_Release" | head -n 1)
[[ -n $release ]] || { echo "no Release file of $SUITE under $root/var/lib/apt/lists" >&2; exit 1; }
epoch=$(date -d "$(sed -n 's/^Date: //p' "$release")" +%s)

log "trimming"
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old \
    "$root"/var/lib/dpkg/*-old "$root"/var/cache/ldconfig/aux-cache "$root"/var/log/* \
    "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* \
    "$root"/usr/share/lintian "$root"/usr/share/bug
# javac's symbol file, and the class-data archive for heaps of 32 GiB and more, serve no JRE here
rm -f "$root"/usr/lib/jvm/java-17-openjdk-*/lib/ct.sym "$root"/usr/lib/jvm/java-17-openjdk-*/lib/server/classes_nocoops.jsa
# docker mounts its own over these; the host's must not be baked in
: >"$root/etc/resolv.conf"
: >"$root/etc/hostname"

# the user Berth runs as, owning the data root (a named volume takes the owner of the image's
# directory when docker first fills it)
echo "berth:x:$BERTH_UID:$BERTH_UID:Berth registry:/home/berth:/usr/sbin/nologin" >>"$root/etc/passwd"
echo "berth:x:$BERTH_UID:" >>"$root/etc/group"
echo "berth:!::0:99999:7:::" >>"$root/etc/shadow"
echo "berth:!::" >>"$root/etc/gshadow"
rm -f "$root"/etc/passwd- "$root"/etc/group- "$root"/etc/shadow- "$root"/etc/gshadow-
mkdir -p "$root/data" "$root/home/berth"
chown "$BERTH_UID:$BERTH_UID" "$root/data" "$root/home/berth"
chmod 0755 "$root/data" "$root/home/berth"

log "writing $out"
mkdir -p "$(dirname "$out")"
(cd "$root" && find . -mindepth 1 -maxdepth 1 -printf '%P\n' | LC_ALL=C sort) >"$work/top"
tar --create --file "$out.tmp" --directory "$root" --sort=name --numeric-owner \
    --mtime="@$epoch" --clamp-mtime --format=posix \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    --files-from "$work/top"
mv "$out.tmp" "$out"
log "done: $(du -h "$out" | cut -f1) ($(du -sh "$root" | cut -f1) unpacked), file times at most $(date -u -d "@$epoch" +%FT%TZ)"
