#!/usr/bin/env bash
# TLS on Payara Micro's own listener, as server-config/tls.md sets it up: a self-signed
# certificate (SAN DNS:localhost, IP:127.0.0.1) made here with openssl, a PKCS12 keystore
# selected by --sslport/--sslcert and javax.net.ssl.* in a --systemproperties file, the
# certificate trusted by the Docker host in /etc/docker/certs.d/localhost:PORT/ca.crt.
# docker login, push, rmi and pull go to the HTTPS port only: Berth's plain HTTP listener
# is on another port that docker is never told about, and the HTTPS port is shown to
# refuse plain HTTP, so every docker request of this scenario went over TLS. The token
# realm and upload Locations are https URLs of that port, and curl verifies the chain.
#
# dockerd treats 127.0.0.0/8 as insecure registries: for localhost it tries https first
# but skips verifying the certificate. So the scenario also maps a name of its own to the
# IPv6 loopback ::1 only (a line in /etc/hosts, removed at exit): for that name docker
# verifies, and refuses the registry until the certificate is in certs.d.
# shellcheck source=e2e/lib.sh
. "$(dirname "$0")/lib.sh"

require_docker
[[ $E2E_TARGET == berth ]] || fail "this scenario tests Berth's own TLS listener (E2E_TARGET=berth)"
[[ -z ${E2E_REGISTRY:-} ]] || fail "this scenario starts its own registry with TLS: unset E2E_REGISTRY"
command -v openssl >/dev/null || fail "needs openssl (apt-get install openssl)"

step "a self-signed certificate with a SAN, in a PKCS12 keystore (server-config/tls.md)"
TLS="$E2E_WORK/tls"
mkdir -p "$TLS"
V6_NAME="berth-e2e-v6-$$"
run openssl req -x509 -newkey rsa:2048 -sha256 -days 2 -nodes \
    -keyout "$TLS/berth.key" -out "$TLS/berth.crt" -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,DNS:$V6_NAME"
run openssl pkcs12 -export -name berth -inkey "$TLS/berth.key" -in "$TLS/berth.crt" \
    -out "$TLS/berth.p12" -passout pass:changeit
cat >"$TLS/tls.properties" <<EOF
javax.net.ssl.keyStore=$TLS/berth.p12
javax.net.ssl.keyStorePassword=changeit
javax.net.ssl.keyStoreType=PKCS12
EOF
chmod 600 "$TLS/tls.properties"

BERTH_PORT=$(free_port)
SSL_PORT=$(free_port)
[[ $SSL_PORT != "$BERTH_PORT" ]] || SSL_PORT=$(free_port)
E2E_MICRO_ARGS=(--sslport "$SSL_PORT" --sslcert berth --systemproperties "$TLS/tls.properties")
E2E_SCHEME=https
E2E_CLIENT_PORT=$SSL_PORT
E2E_CURL_ARGS=(--cacert "$TLS/berth.crt")

step "the Docker host trusts the certificate for localhost:$SSL_PORT"
CERTS_D="/etc/docker/certs.d/localhost:$SSL_PORT"
[[ ! -e $CERTS_D ]] || fail "$CERTS_D already exists"
mkdir -p "$CERTS_D"
at_exit "rm -rf '$CERTS_D'"
cp "$TLS/berth.crt" "$CERTS_D/ca.crt"

step "Berth with HTTPS on $SSL_PORT (plain HTTP on $BERTH_PORT, which docker is never told)"
start_berth
assert_eq "https://localhost:$SSL_PORT" "$REGISTRY_URL" "registry URL the clients use"

step "the HTTPS port speaks TLS only, with a certificate valid for localhost and 127.0.0.1"
expect_status 200 GET /v2/
run curl -sS -o /dev/null -w '%{http_code}' --cacert "$TLS/berth.crt" -u "admin:$E2E_ADMIN_PASSWORD" \
    "https://127.0.0.1:$SSL_PORT/v2/"
assert_eq 200 "$RUN_OUT" "GET https://127.0.0.1:$SSL_PORT/v2/ verified against the certificate"
# without the certificate, curl refuses the chain: the server really presents ours
run_fails curl -sS -o /dev/null --max-time 10 "https://localhost:$SSL_PORT/v2/"
PLAIN=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://localhost:$SSL_PORT/v2/" || true)
[[ $PLAIN != 200 && $PLAIN != 401 ]] || fail "plain HTTP on the TLS port answered $PLAIN"
log "plain HTTP to the TLS port: $PLAIN (no registry answer)"
run openssl s_client -connect "127.0.0.1:$SSL_PORT" -servername localhost -CAfile "$TLS/berth.crt" \
    -verify_return_error -brief </dev/null
assert_contains "$RUN_OUT" "Verification: OK" "openssl s_client verification"
assert_contains "$RUN_OUT" "Protocol version: TLSv1.3" "TLS version offered"

step "the token realm is an https URL of the TLS port"
E2E_ANONYMOUS=1 expect_status 401 GET /v2/
REALM=$(header WWW-Authenticate)
assert_contains "$REALM" "realm=\"https://localhost:$SSL_PORT/" "WWW-Authenticate of GET /v2/"

step "docker push over https"
build_image "berth-e2e-tls:$E2E_RUN_ID" 64K 2M
ID=$(image_id "berth-e2e-tls:$E2E_RUN_ID")
CTX=$BUILD_CONTEXT
REF="$REGISTRY/library/tls:1"
track_image "$REF"
docker tag "$ID" "$REF"
run docker push "$REF"
assert_contains "$RUN_OUT" "1: digest: sha256:" "docker push output"
DIGEST=$(grep -o 'digest: sha256:[0-9a-f]\{64\}' <<<"$RUN_OUT" | head -n1 | cut -d' ' -f2)

step "an upload's Location is an https URL of the TLS port"
expect_status 202 POST /v2/library/tls/blobs/uploads/
assert_contains "$(absolute_url "$(header Location)")" "https://localhost:$SSL_PORT/v2/library/tls/blobs/uploads/" \
    "Location of POST blobs/uploads/"
http DELETE "$(absolute_url "$(header Location)")"

step "docker rmi, then docker pull over https"
remove_image_completely "$REF"
run docker pull "$REF"
assert_contains "$RUN_OUT" "Digest: $DIGEST" "docker pull output"
assert_eq "$ID" "$(image_id "$REF")" "image ID after pull"
assert_eq "$(sha256_of "$CTX/layer2.bin")" "$(image_file_sha "$REF" /data/layer2.bin)" "content after pull"

step "a registry docker does not consider insecure: $V6_NAME, which resolves to ::1 only"
ipv6_loopback_name "$V6_NAME"
V6="$V6_NAME:$SSL_PORT"
V6_REF="$V6/library/tls:v6"
track_image "$V6_REF"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 --cacert "$TLS/berth.crt" "https://$V6/v2/" || true)
assert_eq 401 "$code" "GET https://$V6/v2/ over IPv6"
# not trusted yet: docker verifies this registry's certificate and refuses it
run_fails docker login "$V6" -u admin --password-stdin <<<"$E2E_ADMIN_PASSWORD"
assert_contains "$RUN_OUT" "x509" "docker login to $V6 before its certificate is trusted"
V6_CERTS_D="/etc/docker/certs.d/$V6"
[[ ! -e $V6_CERTS_D ]] || fail "$V6_CERTS_D already exists"
mkdir -p "$V6_CERTS_D"
at_exit "rm -rf '$V6_CERTS_D'"
cp "$TLS/berth.crt" "$V6_CERTS_D/ca.crt"
run docker login "$V6" -u admin --password-stdin <<<"$E2E_ADMIN_PASSWORD"
assert_contains "$RUN_OUT" "Login Succeeded" "docker login to $V6 with the certificate in certs.d"
docker tag "$ID" "$V6_REF"
run docker push "$V6_REF"
assert_contains "$RUN_OUT" "v6: digest: $DIGEST" "docker push to $V6"
remove_image_completely "$V6_REF"
run docker pull "$V6_REF"
assert_eq "$ID" "$(image_id "$V6_REF")" "image ID pulled from $V6"
run docker logout "$V6"

step "docker was never sent to the plain HTTP port"
# Payara logs nothing per request, so the proof is structural: docker only knows
# localhost:$SSL_PORT, which answers TLS only (above). The plain port works, for curl:
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://localhost:$BERTH_PORT/v2/" || true)
assert_eq 401 "$code" "GET /v2/ on the plain HTTP port, which docker never used"
run docker logout "$REGISTRY"

log "ok"
