package org.berth.security;

import static org.berth.security.HttpApi.ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.berth.ITBase;
import org.berth.support.RegistryClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 13: the test server trusts no proxy, so {@code X-Forwarded-Host} and
 * {@code X-Forwarded-Proto} from this (untrusted) client change no URL Berth hands out: not the
 * token realm, not a Location (of /v2 or of the administration API), not a Link.
 */
class ForwardedHeadersIT extends ITBase {

    private static final String[] FORGED = {"X-Forwarded-Host", "evil.example", "X-Forwarded-Proto", "https"};

    private HttpApi api;
    private String origin;

    @BeforeEach
    void client() {
        api = new HttpApi(base());
        origin = "http://localhost:" + base().getPort();
    }

    private void assertOurs(String url, String what) {
        assertFalse(url.contains("evil.example"), what + ": " + url);
        assertTrue(url.startsWith(origin + "/") || url.startsWith("/"), what + " is not a URL of this server: " + url);
    }

    @Test
    void aForgedForwardedHostDoesNotMoveTheTokenRealm() {
        HttpResponse<String> r = api.send("GET", "v2/", null, null, FORGED);
        assertEquals(401, r.statusCode(), r.body());
        String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
        assertTrue(challenge.startsWith("Bearer realm=\"" + origin + "/service/token\""), challenge);
        assertOurs(challenge.substring("Bearer realm=\"".length()), "token realm");
    }

    @Test
    void aForgedForwardedHostDoesNotMoveLocationsOrLinks() {
        String repo = uniqueRepository("library").replace("library/", "fwd-");
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        String digest = RegistryClient.sha256(config);

        HttpResponse<String> start = api.send("POST", "v2/" + repo + "/blobs/uploads/", null, ADMIN, FORGED);
        assertEquals(202, start.statusCode(), start.body());
        assertOurs(start.headers().firstValue("Location").orElseThrow(), "upload Location");

        RegistryClient registry = registryAsAdmin();
        assertEquals(201, registry.uploadBlob(repo, digest, config).status());
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + RegistryClient.OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + digest + "\",\"size\":2},\"layers\":[]}";
        for (String tag : List.of("a", "b")) {
            RegistryClient.Response pushed = registry.request("PUT", "/v2/" + repo + "/manifests/" + tag)
                    .contentType(RegistryClient.OCI_MANIFEST)
                    .header("X-Forwarded-Host", "evil.example").header("X-Forwarded-Proto", "https")
                    .body(manifest.getBytes(StandardCharsets.UTF_8)).send();
            assertEquals(201, pushed.status(), pushed.toString());
            assertOurs(pushed.location(), "manifest Location");
        }

        HttpResponse<String> tags = api.send("GET", "v2/" + repo + "/tags/list?n=1", null, ADMIN, FORGED);
        assertEquals(200, tags.statusCode(), tags.body());
        String link = tags.headers().firstValue("Link").orElseThrow();
        assertOurs(link.substring(1, link.indexOf('>')), "tags Link");
    }

    @Test
    void aForgedForwardedHostDoesNotMoveTheAdministrationApisLocations() {
        String p = HttpApi.unique("p");
        HttpResponse<String> created = api.send("POST", "api/v1/projects", "{\"name\":\"" + p + "\",\"public\":false}", ADMIN, FORGED);
        assertEquals(201, created.statusCode(), created.body());
        String location = created.headers().firstValue("Location").orElseThrow();
        assertEquals(origin + "/api/v1/projects/" + p, location);
    }
}
