package org.berth.security;

import static org.berth.security.HttpApi.ADMIN;
import static org.berth.security.HttpApi.array;
import static org.berth.security.HttpApi.errorCode;
import static org.berth.security.HttpApi.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import org.berth.ITBase;
import org.berth.support.RegistryClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 5: what a content listing reads and shows per artifact is bounded (a config above
 * 256 KiB is not read, labels are cut at 16 Ki characters, either way the artifact says
 * {@code truncated}), and every paged listing refuses a {@code page_size} above 100.
 */
class ContentBoundsIT extends ITBase {

    private HttpApi api;

    @BeforeEach
    void client() {
        api = new HttpApi(base());
    }

    private static byte[] config(String labels, String padding) {
        return ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2026-01-02T03:04:05Z\",\"comment\":\"" + padding
                + "\",\"config\":{\"Labels\":{" + labels + "}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String labels(int count, int valueLength) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < count; i++) {
            s.append(i == 0 ? "" : ",").append("\"label.").append(i).append("\":\"").append("v".repeat(valueLength)).append('"');
        }
        return s.toString();
    }

    private void push(RegistryClient registry, String repo, String tag, byte[] config) {
        String digest = RegistryClient.sha256(config);
        assertEquals(201, registry.uploadBlob(repo, digest, config).status());
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + RegistryClient.OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + digest + "\",\"size\":" + config.length
                + "},\"layers\":[]}";
        RegistryClient.Response r = registry.putManifest(repo, tag, RegistryClient.OCI_MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
        assertEquals(201, r.status(), r.toString());
    }

    @Test
    void aListingReadsAndShowsABoundedPartOfEachConfig() {
        String p = unique("p");
        api.project(p, true, ADMIN);
        String repo = p + "/big";
        RegistryClient registry = registryAsAdmin();
        push(registry, repo, "normal", config("\"org.example\":\"hello\"", ""));
        push(registry, repo, "labels", config(labels(40, 1000), ""));         // 40 KB of labels, config under 256 KiB
        push(registry, repo, "huge", config(labels(1, 10), "x".repeat(300 * 1024)));  // config above 256 KiB

        HttpResponse<String> r = api.get("api/v1/repositories/" + repo + "/artifacts?page_size=100", null);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().length() < 64 * 1024, "listing of " + r.body().length() + " bytes");
        Map<String, JsonObject> byTag = array(r).getValuesAs(JsonObject.class).stream().collect(Collectors.toMap(
                a -> a.getJsonArray("tags").getJsonObject(0).getString("name"), a -> a));

        JsonObject normal = byTag.get("normal");
        assertFalse(normal.getBoolean("truncated"));
        assertEquals("linux", normal.getJsonObject("config").getString("os"));
        assertEquals("hello", normal.getJsonObject("config").getJsonObject("labels").getString("org.example"));

        JsonObject cut = byTag.get("labels");
        assertTrue(cut.getBoolean("truncated"));
        JsonObject cutConfig = cut.getJsonObject("config");
        assertEquals("amd64", cutConfig.getString("architecture"));
        int chars = cutConfig.getJsonObject("labels").entrySet().stream()
                .mapToInt(e -> e.getKey().length() + ((JsonString) e.getValue()).getString().length()).sum();
        assertTrue(chars > 0 && chars <= 16 * 1024, "labels of " + chars + " characters");

        JsonObject huge = byTag.get("huge");
        assertTrue(huge.getBoolean("truncated"));
        JsonObject hugeConfig = huge.getJsonObject("config");
        assertEquals(RegistryClient.sha256(config(labels(1, 10), "x".repeat(300 * 1024))), hugeConfig.getString("digest"));
        assertTrue(hugeConfig.isNull("os"), hugeConfig.toString());
        assertTrue(hugeConfig.getJsonObject("labels").isEmpty());
    }

    @Test
    void everyPagedListingRefusesAPageSizeAbove100() {
        String p = unique("p");
        api.project(p, true, ADMIN);
        for (String listing : List.of("api/v1/users", "api/v1/projects", "api/v1/audit-logs", "api/v1/projects/" + p + "/audit-logs",
                "api/v1/projects/" + p + "/repositories")) {
            HttpResponse<String> refused = api.get(listing + "?page_size=101", ADMIN);
            assertEquals(400, refused.statusCode(), listing + ": " + refused.body());
            assertEquals(200, api.get(listing + "?page_size=100", ADMIN).statusCode(), listing);
        }
        String repo = p + "/paged";
        push(registryAsAdmin(), repo, "1", config("", ""));
        HttpResponse<String> refused = api.get("api/v1/repositories/" + repo + "/artifacts?page_size=101", ADMIN);
        assertEquals(400, refused.statusCode(), refused.body());
        assertEquals("INVALID_REQUEST", errorCode(refused), refused.body());
    }
}
