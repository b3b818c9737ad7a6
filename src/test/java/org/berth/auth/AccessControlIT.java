package org.berth.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.berth.ITBase;
import org.berth.support.Json;
import org.berth.support.RegistryClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Authentication and authorization through the real WAR: the token service, bearer and Basic
 * credentials on /v2, each role's rights, private projects, robots, personal tokens and lockout.
 * The admin password comes from BERTH_ADMIN_PASSWORD (set by the build for integration tests).
 */
class AccessControlIT extends ITBase {

    static final String ADMIN_PASSWORD = "Admin12345!";
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private final HttpClient http = HttpClient.newHttpClient();
    private String suffix;

    @BeforeEach
    void names() {
        suffix = UUID.randomUUID().toString().substring(0, 8);
    }

    // --- helpers -------------------------------------------------------------------------------

    record Reply(int status, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            return (Map<String, Object>) Json.parse(body);
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    Reply call(String method, String path, String authorization, String contentType, byte[] body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(base().resolve(path.substring(1)))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers().map(), r.body());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path, e);
        }
    }

    Reply admin(String method, String path, String json) {
        return call(method, path, basic("admin", ADMIN_PASSWORD), "application/json", json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    String createUser(String name, String password) {
        Reply r = admin("POST", "/api/v1/users", "{\"username\":\"" + name + "\",\"password\":\"" + password + "\"}");
        assertEquals(201, r.status(), r.toString());
        return name;
    }

    String createProject(String name, boolean isPublic) {
        Reply r = admin("POST", "/api/v1/projects", "{\"name\":\"" + name + "\",\"public\":" + isPublic + "}");
        assertEquals(201, r.status(), r.toString());
        return name;
    }

    void addMember(String project, String user, String role) {
        Reply r = admin("POST", "/api/v1/projects/" + project + "/members", "{\"username\":\"" + user + "\",\"role\":\"" + role + "\"}");
        assertTrue(r.status() == 201 || r.status() == 200, r.toString());
    }

    /** Asks the token service, as docker does, for the scopes with Basic credentials (or none). */
    Reply token(String authorization, String... scopes) {
        StringBuilder q = new StringBuilder("/service/token?service=berth");
        for (String s : scopes) {
            q.append("&scope=").append(URLEncoder.encode(s, StandardCharsets.UTF_8));
        }
        return call("GET", q.toString(), authorization, null, null);
    }

    String bearer(String authorization, String... scopes) {
        Reply r = token(authorization, scopes);
        assertEquals(200, r.status(), r.toString());
        return "Bearer " + r.json().get("token");
    }

    /** Pushes a one-layer image with the given credentials; returns the manifest status. */
    int pushImage(String authorization, String repo, String tag) {
        byte[] config = ("{\"os\":\"linux\",\"architecture\":\"amd64\",\"n\":\"" + repo + tag + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] layer = ("layer of " + repo + tag).getBytes(StandardCharsets.UTF_8);
        for (byte[] blob : List.of(config, layer)) {
            Reply r = call("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + RegistryClient.sha256(blob), authorization,
                    "application/octet-stream", blob);
            if (r.status() != 201) {
                return r.status();
            }
        }
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + RegistryClient.sha256(config) + "\",\"size\":" + config.length
                + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\""
                + RegistryClient.sha256(layer) + "\",\"size\":" + layer.length + "}]}";
        return call("PUT", "/v2/" + repo + "/manifests/" + tag, authorization, OCI_MANIFEST, manifest.getBytes(StandardCharsets.UTF_8)).status();
    }

    int pull(String authorization, String repo, String tag) {
        return call("GET", "/v2/" + repo + "/manifests/" + tag, authorization, null, null).status();
    }

    // --- tests ---------------------------------------------------------------------------------

    @Test
    void anonymousBaseCheckIsChallengedWithTheTokenRealm() {
        Reply r = call("GET", "/v2/", null, null, null);
        assertEquals(401, r.status());
        String challenge = r.header("WWW-Authenticate");
        assertNotNull(challenge);
        assertTrue(challenge.startsWith("Bearer realm=\"" + base().toString() + "service/token\""), challenge);
        assertTrue(challenge.contains("service=\"berth\""), challenge);
        assertEquals("UNAUTHORIZED", ((Map<?, ?>) ((List<?>) r.json().get("errors")).get(0)).get("code"));
    }

    @Test
    void wrongPasswordIsRefusedAndTheCorrectOneAccepted() {
        assertEquals(401, call("GET", "/v2/", basic("admin", "wrong-" + suffix), null, null).status());
        assertEquals(401, token(basic("admin", "wrong-" + suffix)).status());
        assertEquals(200, call("GET", "/v2/", basic("admin", ADMIN_PASSWORD), null, null).status());
        Reply t = token(basic("admin", ADMIN_PASSWORD), "repository:library/x:pull,push");
        assertEquals(200, t.status());
        for (String field : List.of("token", "access_token", "expires_in", "issued_at")) {
            assertNotNull(t.json().get(field), field);
        }
        assertFalse(t.body().contains(ADMIN_PASSWORD));
    }

    @Test
    void tokensCarryDockerClaimsAndAreSignedWithAKeyId() {
        Reply t = token(basic("admin", ADMIN_PASSWORD), "repository:library/claims:pull,push");
        String[] parts = ((String) t.json().get("token")).split("\\.");
        assertEquals(3, parts.length);
        String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertTrue(header.contains("\"kid\""), header);
        for (String claim : List.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "access")) {
            assertTrue(claims.contains("\"" + claim + "\""), claim + " in " + claims);
        }
        assertTrue(claims.contains("\"library/claims\""), claims);
        assertTrue(((Number) t.json().get("expires_in")).longValue() > 0, "a positive lifetime");
    }

    @Test
    void tamperedTokensAndTokensForAnotherRepositoryAreRejected() {
        String repo = "library/tamper-" + suffix;
        String token = bearer(basic("admin", ADMIN_PASSWORD), "repository:" + repo + ":pull,push");
        assertEquals(201, pushImage(token, repo, "v1"));
        // flip one character of the signature
        String raw = token.substring("Bearer ".length());
        char last = raw.charAt(raw.length() - 2);
        String tampered = "Bearer " + raw.substring(0, raw.length() - 2) + (last == 'A' ? 'B' : 'A') + raw.charAt(raw.length() - 1);
        Reply r = call("GET", "/v2/" + repo + "/manifests/v1", tampered, null, null);
        assertEquals(401, r.status());
        assertTrue(r.header("WWW-Authenticate").contains("invalid_token"), r.header("WWW-Authenticate"));
        // a token for repository A does not open repository B
        Reply other = call("GET", "/v2/library/other-" + suffix + "/manifests/v1", token, null, null);
        assertEquals(401, other.status());
        assertTrue(other.header("WWW-Authenticate").contains("insufficient_scope"), other.header("WWW-Authenticate"));
        // a token with an "alg":"none" header is not a token
        String unsigned = "Bearer " + Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
                + "." + raw.split("\\.")[1] + ".";
        assertEquals(401, call("GET", "/v2/" + repo + "/manifests/v1", unsigned, null, null).status());
    }

    @Test
    void tokensForAnotherServiceAreRejected() {
        Reply t = call("GET", "/service/token?service=elsewhere&scope=repository:library/aud:pull", basic("admin", ADMIN_PASSWORD), null, null);
        assertEquals(200, t.status());
        Reply r = call("GET", "/v2/library/aud/tags/list", "Bearer " + t.json().get("token"), null, null);
        assertEquals(401, r.status());
    }

    @Test
    void expiredTokensAreRejected() throws InterruptedException {
        // BERTH_TOKEN_LIFETIME is 4 seconds for the integration tests
        String token = bearer(basic("admin", ADMIN_PASSWORD), "repository:library/expire-" + suffix + ":pull,push");
        assertEquals(201, pushImage(token, "library/expire-" + suffix, "v1"));
        Thread.sleep(5_500);
        Reply r = call("GET", "/v2/library/expire-" + suffix + "/manifests/v1", token, null, null);
        assertEquals(401, r.status());
        assertTrue(r.header("WWW-Authenticate").contains("invalid_token"));
    }

    @Test
    void theGrantIsTheIntersectionOfRequestAndRights() {
        String project = createProject("grant-" + suffix, false);
        String guest = createUser("guest-" + suffix, "GuestPass-1");
        addMember(project, guest, "guest");
        Reply t = token(basic(guest, "GuestPass-1"), "repository:" + project + "/app:pull,push,delete", "registry:catalog:*");
        assertEquals(200, t.status(), "asking for more is not an error");
        String scope = (String) t.json().get("scope");
        assertTrue(scope.contains("repository:" + project + "/app:pull"), scope);
        assertFalse(scope.contains("push"), scope);
        // anonymous gets nothing on a private project, pull on a public one
        Reply anon = token(null, "repository:" + project + "/app:pull", "repository:library/pub:pull,push");
        String anonScope = (String) anon.json().get("scope");
        assertFalse(anonScope.contains(project + "/app:pull"), anonScope);
        assertTrue(anonScope.contains("repository:library/pub:pull"), anonScope);
        assertFalse(anonScope.contains("library/pub:pull,push"), anonScope);
    }

    @Test
    void rolesDecideWhatMembersMayDo() {
        String project = createProject("roles-" + suffix, false);
        String developer = createUser("dev-" + suffix, "DevPass-123");
        String guest = createUser("gst-" + suffix, "GstPass-123");
        String maintainer = createUser("mnt-" + suffix, "MntPass-123");
        String stranger = createUser("str-" + suffix, "StrPass-123");
        addMember(project, developer, "developer");
        addMember(project, guest, "guest");
        addMember(project, maintainer, "maintainer");
        String repo = project + "/app";
        assertEquals(201, pushImage(basic(developer, "DevPass-123"), repo, "v1"), "developers push");
        assertEquals(200, pull(basic(guest, "GstPass-123"), repo, "v1"), "guests pull");
        assertEquals(403, pushImage(basic(guest, "GstPass-123"), repo, "v2"), "guests do not push");
        assertEquals(403, call("DELETE", "/v2/" + repo + "/manifests/v1", basic(developer, "DevPass-123"), null, null).status(),
                "developers do not delete");
        assertEquals(404, pull(basic(stranger, "StrPass-123"), repo, "v1"), "a private project is invisible to strangers");
        assertEquals(401, pull(null, repo, "v1"), "and to anonymous callers");
        assertEquals(202, call("DELETE", "/v2/" + repo + "/manifests/v1", basic(maintainer, "MntPass-123"), null, null).status(),
                "maintainers delete");
    }

    @Test
    void privateRepositoriesAreAbsentFromTheCatalogOfOutsiders() {
        String project = createProject("hidden-" + suffix, false);
        assertEquals(201, pushImage(basic("admin", ADMIN_PASSWORD), project + "/secret", "v1"));
        String outsider = createUser("out-" + suffix, "OutPass-123");
        Reply adminCatalog = call("GET", "/v2/_catalog", basic("admin", ADMIN_PASSWORD), null, null);
        assertTrue(adminCatalog.body().contains(project + "/secret"), adminCatalog.body());
        Reply outsiderCatalog = call("GET", "/v2/_catalog", basic(outsider, "OutPass-123"), null, null);
        assertEquals(200, outsiderCatalog.status());
        assertFalse(outsiderCatalog.body().contains(project), outsiderCatalog.body());
        Reply anonymousCatalog = call("GET", "/v2/_catalog", null, null, null);
        assertEquals(200, anonymousCatalog.status());
        assertFalse(anonymousCatalog.body().contains(project), anonymousCatalog.body());
    }

    @Test
    void pushingIntoAMissingProjectSaysSo() {
        Reply r = call("POST", "/v2/nosuch-" + suffix + "/app/blobs/uploads/", basic("admin", ADMIN_PASSWORD), null, null);
        assertEquals(404, r.status());
        assertTrue(r.body().contains("does not exist"), r.body());
    }

    @Test
    void visibilityAndDeletionOfAProjectTakeEffectOnTheNextRequest() {
        // Project existence and the public list are kept briefly for the /v2 hot path; a change must still show at once.
        String project = createProject("flip-" + suffix, true);
        assertEquals(201, pushImage(basic("admin", ADMIN_PASSWORD), project + "/app", "v1"));
        assertEquals(200, pull(null, project + "/app", "v1"), "public: anonymous pulls work");
        assertEquals(200, admin("PATCH", "/api/v1/projects/" + project, "{\"public\":false}").status());
        assertEquals(401, pull(null, project + "/app", "v1"), "private from the next request on");
        assertEquals(200, admin("PATCH", "/api/v1/projects/" + project, "{\"public\":true}").status());
        assertEquals(200, pull(null, project + "/app", "v1"), "public again from the next request on");

        String empty = createProject("gone-" + suffix, false);
        Reply before = call("POST", "/v2/" + empty + "/app/blobs/uploads/", basic("admin", ADMIN_PASSWORD), null, null);
        assertEquals(202, before.status(), before.toString());
        assertEquals(204, admin("DELETE", "/api/v1/projects/" + empty, null).status());
        Reply after = call("POST", "/v2/" + empty + "/app/blobs/uploads/", basic("admin", ADMIN_PASSWORD), null, null);
        assertEquals(404, after.status(), "a deleted project takes no push from the next request on: " + after);
    }

    @Test
    void singleSegmentNamesBelongToLibrary() {
        assertEquals(201, pushImage(basic("admin", ADMIN_PASSWORD), "nginx-" + suffix, "v1.0.0"));
        assertEquals(200, pull(null, "nginx-" + suffix, "v1.0.0"), "library is public: anonymous pulls work");
        assertEquals(200, pull(bearer(null, "repository:nginx-" + suffix + ":pull"), "nginx-" + suffix, "v1.0.0"));
    }

    @Test
    void robotAccountsLogInAndAreLimitedToTheirProjectAndActions() {
        String project = createProject("robots-" + suffix, false);
        Reply created = admin("POST", "/api/v1/projects/" + project + "/robots", "{\"name\":\"ci\",\"actions\":[\"pull\",\"push\"]}");
        assertEquals(201, created.status(), created.toString());
        String name = (String) created.json().get("name");
        String secret = (String) created.json().get("secret");
        assertEquals("robot$" + project + "+ci", name);
        assertNotNull(secret);
        assertEquals(201, pushImage(basic(name, secret), project + "/app", "v1"));
        assertEquals(403, call("DELETE", "/v2/" + project + "/app/manifests/v1", basic(name, secret), null, null).status());
        assertEquals(401, call("GET", "/v2/", basic(name, secret + "x"), null, null).status());
        Reply listed = admin("GET", "/api/v1/projects/" + project + "/robots", null);
        assertFalse(listed.body().contains(secret), "the secret is shown once");
        // docker login with a robot goes through the token service
        assertEquals(201, pushImage(bearer(basic(name, secret), "repository:" + project + "/app:pull,push"), project + "/app", "v2"));
    }

    @Test
    void personalAccessTokensWorkAsPasswordsWithinTheirActionsAndCanBeRevoked() {
        String project = createProject("pat-" + suffix, false);
        String user = createUser("patuser-" + suffix, "PatPass-123");
        addMember(project, user, "maintainer");
        Reply created = call("POST", "/api/v1/users/current/tokens", basic(user, "PatPass-123"), "application/json",
                "{\"name\":\"laptop\",\"actions\":[\"pull\"]}".getBytes(StandardCharsets.UTF_8));
        assertEquals(201, created.status(), created.toString());
        String pat = (String) created.json().get("token");
        assertTrue(pat.startsWith("berth_pat_"), pat);
        assertEquals(201, pushImage(basic(user, "PatPass-123"), project + "/app", "v1"));
        assertEquals(200, pull(basic(user, pat), project + "/app", "v1"), "pull is within the token's actions");
        assertEquals(403, pushImage(basic(user, pat), project + "/app", "v2"), "push is not");
        assertEquals(204, call("DELETE", "/api/v1/users/current/tokens/laptop", basic(user, "PatPass-123"), null, null).status());
        assertEquals(401, token(basic(user, pat), "repository:" + project + "/app:pull").status(), "revoked at once");
        assertEquals(401, pull(basic(user, pat), project + "/app", "v1"));
    }

    @Test
    void repeatedFailedLoginsLockTheAccountOut() {
        String user = createUser("lock-" + suffix, "LockPass-123");
        for (int i = 0; i < 5; i++) {
            assertEquals(401, call("GET", "/v2/", basic(user, "bad-" + i), null, null).status());
        }
        Reply locked = call("GET", "/v2/", basic(user, "LockPass-123"), null, null);
        assertEquals(429, locked.status(), "even the right password waits");
        assertNotNull(locked.header("Retry-After"));
        assertTrue(locked.body().contains("TOOMANYREQUESTS"), locked.body());
        assertEquals(200, call("GET", "/v2/", basic("admin", ADMIN_PASSWORD), null, null).status(), "other accounts are unaffected");
    }

    @Test
    void refreshTokensAndTheOAuth2FormWork() {
        Reply offline = call("GET", "/service/token?service=berth&offline_token=true&scope=repository:library/r:pull",
                basic("admin", ADMIN_PASSWORD), null, null);
        String refresh = (String) offline.json().get("refresh_token");
        assertNotNull(refresh);
        String form = "grant_type=refresh_token&service=berth&client_id=test&refresh_token=" + URLEncoder.encode(refresh, StandardCharsets.UTF_8)
                + "&scope=" + URLEncoder.encode("repository:library/r:pull", StandardCharsets.UTF_8);
        Reply posted = call("POST", "/service/token", null, "application/x-www-form-urlencoded", form.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, posted.status(), posted.toString());
        assertNotNull(posted.json().get("access_token"));
        String passwordForm = "grant_type=password&service=berth&client_id=test&username=admin&password="
                + URLEncoder.encode(ADMIN_PASSWORD, StandardCharsets.UTF_8) + "&scope=repository:library/r:pull";
        assertEquals(200, call("POST", "/service/token", null, "application/x-www-form-urlencoded",
                passwordForm.getBytes(StandardCharsets.UTF_8)).status());
        String badForm = "grant_type=password&service=berth&client_id=test&username=admin&password=nope";
        assertEquals(401, call("POST", "/service/token", null, "application/x-www-form-urlencoded",
                badForm.getBytes(StandardCharsets.UTF_8)).status());
        assertNotEquals(refresh, posted.json().get("access_token"));
    }
}
