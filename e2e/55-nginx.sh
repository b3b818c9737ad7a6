#!/usr/bin/env bash
# Behind nginx: Debian's nginx, started here with its own configuration built from
# server-config/nginx-registry.conf (loopback ports, a self-signed certificate, pid, logs
# and temp files in the scenario's temp dir), terminates TLS in front of Berth on plain
# HTTP, started with server-config/pre-boot-http.asadmin (no size or time caps) and
# BERTH_TRUSTED_PROXIES naming nginx, whose X-Forwarded-Host/Proto it then believes. Clients use a name of this run that resolves to ::1 only: dockerd
# treats 127.0.0.0/8 as insecure and would not verify the certificate there, but for this
# name it does, so docker trusts nginx only through /etc/docker/certs.d/NAME:PORT/ca.crt
# (shown by a refused login before it is there). docker is only ever told the nginx port.
# Proves: docker login/push/rmi/pull through nginx, a 1 GiB blob passes through both ways
# (pushed as docker pushes a layer: one streamed PATCH),
# and the token realm and every Location the client sees are https URLs of the proxy.
# shellcheck source=e2e/lib.sh
. "$(dirname "$0")/lib.sh"

require_docker
[[ $E2E_TARGET == berth ]] || fail "this scenario tests Berth behind nginx (E2E_TARGET=berth)"
[[ -z ${E2E_REGISTRY:-} ]] || fail "this scenario starts its own registry behind nginx: unset E2E_REGISTRY"
command -v nginx >/dev/null || fail "needs nginx (apt-get install nginx-light or nginx)"
command -v openssl >/dev/null || fail "needs openssl (apt-get install openssl)"

BERTH_PORT=$(free_port)
NGINX_PORT=$(free_port)
[[ $NGINX_PORT != "$BERTH_PORT" ]] || NGINX_PORT=$(free_port)
PROXY_NAME="berth-e2e-v6-$$"
PROXY="$PROXY_NAME:$NGINX_PORT"
ipv6_loopback_name "$PROXY_NAME"

step "a self-signed certificate for nginx with a SAN for $PROXY_NAME, localhost, 127.0.0.1 and ::1"
NG="$E2E_WORK/nginx"
mkdir -p "$NG/temp" "$NG/certs"
run openssl req -x509 -newkey rsa:2048 -sha256 -days 2 -nodes \
    -keyout "$NG/certs/registry.key" -out "$NG/certs/registry.crt" -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:$PROXY_NAME,DNS:localhost,IP:127.0.0.1,IP:::1"
CERTS_D="/etc/docker/certs.d/$PROXY"
[[ ! -e $CERTS_D ]] || fail "$CERTS_D already exists"

step "nginx on [::1]:$NGINX_PORT with the site from server-config/nginx-registry.conf"
# the site as shipped, with only the addresses, name and certificate paths changed
sed -e "s|server 127.0.0.1:5000;|server 127.0.0.1:$BERTH_PORT;|" \
    -e "s|listen 443 ssl;|listen [::1]:$NGINX_PORT ssl;|" \
    -e "s|server_name registry.example.com;|server_name $PROXY_NAME;|" \
    -e "s|/etc/nginx/certs/|$NG/certs/|" \
    -e "s|shared:registry_tls:|shared:registry_tls_$$:|" \
    "$REPO_ROOT/server-config/nginx-registry.conf" >"$NG/site.conf"
grep -q "listen \[::1\]:$NGINX_PORT ssl;" "$NG/site.conf" || fail "the listen line of nginx-registry.conf changed: update this scenario"
grep -q "server 127.0.0.1:$BERTH_PORT;" "$NG/site.conf" || fail "the upstream of nginx-registry.conf changed: update this scenario"
start_nginx "$NG" "$NG/site.conf" '$request_method $uri $status $request_length $bytes_sent $sent_http_location'

step "Berth on plain HTTP at $BERTH_PORT with server-config/pre-boot-http.asadmin, clients use https://$PROXY"
E2E_MICRO_ARGS=(--prebootcommandfile "$REPO_ROOT/server-config/pre-boot-http.asadmin")
# nginx connects from 127.0.0.1: Berth believes its X-Forwarded-Host and -Proto, nobody else's
export BERTH_TRUSTED_PROXIES=127.0.0.1
E2E_SCHEME=https
E2E_CLIENT_PORT=$NGINX_PORT
E2E_CLIENT_HOST=$PROXY_NAME
E2E_CURL_ARGS=(--cacert "$NG/certs/registry.crt")
# start_berth logs docker in: first show that docker refuses nginx's certificate until it
# is in certs.d (the login is refused by TLS verification, before any credential is checked)
run_fails docker login "$PROXY" -u admin --password-stdin <<<"wrong-password"
assert_contains "$RUN_OUT" "x509" "docker login to $PROXY before its certificate is trusted"
mkdir -p "$CERTS_D"
at_exit "rm -rf '$CERTS_D'"
cp "$NG/certs/registry.crt" "$CERTS_D/ca.crt"
start_berth
assert_eq "https://$PROXY" "$REGISTRY_URL" "registry URL the clients use"
# the listener settings came before boot: the HTTP listener started once and was never
# restarted while Berth deployed (as post-boot commands, each "set" restarts it)
assert_eq 1 "$(awk '/^===== .* starting Berth/ { n = 0 } /Network Listener http-listener started/ { n++ } END { print n }' "$REGISTRY_LOG")" \
    "HTTP listener starts in the registry log since Berth was started"

step "the token realm seen through nginx is an https URL of the proxy"
E2E_ANONYMOUS=1 expect_status 401 GET /v2/
REALM=$(header WWW-Authenticate)
assert_contains "$REALM" "realm=\"https://$PROXY/" "WWW-Authenticate of GET /v2/ through nginx"
REALM_URL=$(sed -n 's/.*realm="\([^"]*\)".*/\1/p' <<<"$REALM")
expect_status 200 GET "$REALM_URL?service=x&scope=repository:library/small:pull"
[[ -n $(jq -r '.token // .access_token // empty' "$HTTP_BODY") ]] || fail "no token from the realm $REALM_URL"

step "every Location of a chunked blob upload through nginx is an https URL of the proxy"
printf 'berth behind nginx %s\n' "$E2E_RUN_ID" >"$E2E_WORK/blob"
BLOB_DIGEST="sha256:$(sha256_of "$E2E_WORK/blob")"
expect_status 202 POST /v2/library/small/blobs/uploads/
LOC=$(header Location)
assert_contains "$(absolute_url "$LOC")" "https://$PROXY/v2/library/small/blobs/uploads/" "Location of POST"
expect_status 202 PATCH "$(absolute_url "$LOC")" -H 'Content-Type: application/octet-stream' \
    --data-binary "@$E2E_WORK/blob"
LOC=$(header Location)
assert_contains "$(absolute_url "$LOC")" "https://$PROXY/v2/library/small/blobs/uploads/" "Location of PATCH"
sep='?'
[[ $LOC == *\?* ]] && sep='&'
expect_status 201 PUT "$(absolute_url "$LOC")${sep}digest=$BLOB_DIGEST"
assert_eq "https://$PROXY/v2/library/small/blobs/$BLOB_DIGEST" "$(absolute_url "$(header Location)")" "Location of PUT"

step "docker push of an image through nginx"
build_image "berth-e2e-behind-nginx:$E2E_RUN_ID" 64K 2M
ID=$(image_id "berth-e2e-behind-nginx:$E2E_RUN_ID")
REF="$REGISTRY/library/behind-nginx:1"
track_image "$REF"
docker tag "$ID" "$REF"
run docker push "$REF"
DIGEST=$(grep -o 'digest: sha256:[0-9a-f]\{64\}' <<<"$RUN_OUT" | head -n1 | cut -d' ' -f2)
[[ -n $DIGEST ]] || fail "docker push printed no digest"

step "docker rmi, then docker pull through nginx"
remove_image_completely "$REF"
run docker pull "$REF"
assert_contains "$RUN_OUT" "Digest: $DIGEST" "docker pull output"
# the image ID is the digest of the config, which names every layer's uncompressed digest
assert_eq "$ID" "$(image_id "$REF")" "image ID after pull"

# A blob past nginx's default caps (client_max_body_size 1m for a request body,
# proxy_max_temp_file_size 1024m for a buffered response), sent the way docker sends a
# layer: POST, one PATCH streamed with chunked transfer encoding, PUT ?digest=. curl rather
# than docker: a docker push of 1 GiB of random data spends minutes in gzip and in dockerd's
# vfs copies, none of them in nginx or Berth.
step "a 1 GiB blob pushed through nginx the way docker pushes a layer"
GIB=$((1024 * 1024 * 1024))
BIG="$E2E_WORK/big.blob"
# random, so nothing on the way can compress it; AES-CTR is many times faster than /dev/urandom
# (openssl ends on SIGPIPE when head has enough: not a failure)
{ openssl enc -aes-128-ctr -pbkdf2 -nosalt -pass "pass:$E2E_RUN_ID" </dev/zero 2>/dev/null || true; } |
    head -c "$((GIB + 4096))" >"$BIG"
BIG_DIGEST="sha256:$(sha256_of "$BIG")"
BIG_SIZE=$(stat -c %s "$BIG")
assert_eq "$((GIB + 4096))" "$BIG_SIZE" "size of the random blob"
expect_status 202 POST /v2/big/behind-nginx/blobs/uploads/
LOC=$(header Location)
T0=$SECONDS
expect_status 202 PATCH "$(absolute_url "$LOC")" --max-time 900 -T "$BIG" \
    -H 'Content-Type: application/octet-stream' -H 'Transfer-Encoding: chunked'
log "streamed PATCH of $BIG_SIZE bytes took $((SECONDS - T0))s"
LOC=$(header Location)
sep='?'
[[ $LOC == *\?* ]] && sep='&'
expect_status 201 PUT "$(absolute_url "$LOC")${sep}digest=$BIG_DIGEST"
# nginx saw the upload: one PATCH carried more than 1 GiB
awk -v min="$GIB" '$1 == "PATCH" && $4 > min { found=1 } END { exit !found }' "$NG/access.log" ||
    fail "no upload of more than 1 GiB in nginx's access log:
$(tail -n 30 "$NG/access.log")"

step "the 1 GiB blob comes back whole through nginx"
expect_status 200 HEAD "/v2/big/behind-nginx/blobs/$BIG_DIGEST"
assert_eq "$BIG_SIZE" "$(header Content-Length)" "Content-Length of HEAD on the 1 GiB blob through nginx"
rm -f "$BIG"
T0=$SECONDS
expect_status 200 GET "/v2/big/behind-nginx/blobs/$BIG_DIGEST" --max-time 900
log "GET of the 1 GiB blob took $((SECONDS - T0))s"
assert_eq "$BIG_DIGEST" "sha256:$(sha256_of "$HTTP_BODY")" "digest of the 1 GiB blob read back through nginx"
: >"$HTTP_BODY"
awk -v min="$GIB" '$1 == "GET" && $2 ~ /\/blobs\/sha256:/ && $3 == 200 && $5 > min { found=1 } END { exit !found }' \
    "$NG/access.log" || fail "no download of more than 1 GiB in nginx's access log:
$(tail -n 30 "$NG/access.log")"

step "every Location nginx sent to a client (docker's too) is on the proxy or relative"
# nginx's access log has the Location header of every response as the client got it
LOCATIONS=$(awk '$6 != "-" { print $6 }' "$NG/access.log")
N=$(grep -c . <<<"$LOCATIONS" || true)
((N >= 4)) || fail "only $N responses with a Location in nginx's access log"
BAD=$(grep -v -e "^https://$PROXY/" -e '^/' <<<"$LOCATIONS" || true)
[[ -z $BAD ]] || fail "Locations that are not https URLs of the proxy:
$BAD"
log "$N Locations, all https://$PROXY/... or relative: $(grep -c '^/' <<<"$LOCATIONS" || true) relative"
run docker logout "$REGISTRY"

log "ok"
