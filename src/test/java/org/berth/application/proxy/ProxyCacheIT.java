package org.berth.application.proxy;

import static org.berth.support.AdminClient.ADMIN;
import static org.berth.support.AdminClient.errorCode;
import static org.berth.support.AdminClient.errorMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.berth.ITBase;
import org.berth.support.AdminClient;
import org.berth.support.RegistryClient;
import org.berth.support.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy cache through the deployed WAR (issue 20), against an upstream registry the test runs
 * on loopback ({@link TestUpstream}), which counts every request it gets: one upstream GET for many
 * concurrent pulls of a missing blob; a blob whose bytes do not match its digest is refused and
 * not stored; a manifest by digest never asks the upstream again; a tag's manifest is served stale
 * (Warning 110, counted) when the upstream fails or answers 429, whose Retry-After then keeps Berth
 * from asking; pushes are refused.
 */
class ProxyCacheIT extends ITBase {

    private static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    private static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

    private TestUpstream upstream;
    private AdminClient api;
    private RegistryClient registry;
    private String project;

    @BeforeEach
    void proxyProject() throws IOException {
        upstream = new TestUpstream();
        api = new AdminClient(base());
        registry = registryAsAdmin();
        String name = "up" + UUID.randomUUID().toString().substring(0, 8);
        project = "px" + name.substring(2);
        assertEquals(201, api.send("POST", "api/v1/registries", "{\"name\":\"" + name + "\",\"url\":\"" + upstream.url() + "\"}",
                ADMIN).statusCode());
        assertEquals(201, api.send("POST", "api/v1/projects", "{\"name\":\"" + project + "\",\"public\":true,\"registry\":\""
                + name + "\",\"tag_ttl_seconds\":0}", ADMIN).statusCode());
    }

    @AfterEach
    void stopUpstream() {
        upstream.close();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** An image in the upstream's {@code repository} under {@code tag}: returns its manifest. */
    private byte[] image(String repository, String tag, byte[] layer) {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":\"" + UUID.randomUUID() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        upstream.blob(repository, RegistryClient.sha256(config), config);
        upstream.blob(repository, RegistryClient.sha256(layer), layer);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + RegistryClient.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"" + OCI_CONFIG + "\",\"digest\":\"" + RegistryClient.sha256(config)
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"" + OCI_LAYER + "\",\"digest\":\""
                + RegistryClient.sha256(layer) + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        upstream.manifest(repository, tag, RegistryClient.OCI_MANIFEST, manifest);
        upstream.manifest(repository, RegistryClient.sha256(manifest), RegistryClient.OCI_MANIFEST, manifest);
        return manifest;
    }

    private RegistryClient.Response getManifest(String repository, String reference) {
        return registry.request("GET", "/v2/" + repository + "/manifests/" + reference)
                .header("Accept", RegistryClient.OCI_MANIFEST).send();
    }

    @Test
    void concurrentPullsOfAMissingBlobMakeOneUpstreamRequestAndAllGetItsBytes() throws Exception {
        byte[] layer = random(3 * 1024 * 1024 + 17, 1);
        String digest = RegistryClient.sha256(layer);
        upstream.blob("team/app", digest, layer);
        upstream.holdBlobs(); // the first half arrives, then the fetch waits: the other pulls come meanwhile
        int clients = 8;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<RegistryClient.Response>> pulls = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                pulls.add(pool.submit(() -> registry.getBlob(project + "/team/app", digest)));
            }
            Thread.sleep(1500);
            upstream.release();
            for (Future<RegistryClient.Response> pull : pulls) {
                RegistryClient.Response r = pull.get(60, TimeUnit.SECONDS);
                assertEquals(200, r.status(), r.toString());
                assertArrayEquals(layer, r.body());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, upstream.count("GET", "/v2/team/app/blobs/" + digest), "upstream GETs of the blob");
        // stored (or being stored, behind the same fetch): the next pull is served without the upstream
        assertArrayEquals(layer, registry.getBlob(project + "/team/app", digest).body());
        assertEquals(1, upstream.count("GET", "/v2/team/app/blobs/" + digest), "upstream GETs after it was stored");
    }

    @Test
    void aBlobThatDoesNotMatchItsDigestIsRefusedAndNotStored() throws Exception {
        byte[] layer = random(512 * 1024, 2);
        String digest = RegistryClient.sha256(layer);
        upstream.blob("team/bad", digest, layer);
        upstream.corrupt(true);
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(base().resolve("v2/" + project + "/team/bad/blobs/" + digest))
                .header("Authorization", ADMIN).build();
        for (int attempt = 1; attempt <= 2; attempt++) {
            try {
                HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                assertFalse(r.statusCode() == 200 && r.body().length == layer.length,
                        "a client got a whole blob whose bytes are not its digest's: " + r.statusCode());
            } catch (IOException cutShort) {
                // the transfer was cut before its last byte: what a client must see
            }
            assertEquals(attempt, upstream.count("GET", "/v2/team/bad/blobs/" + digest), "nothing stored: asked again");
        }
        upstream.corrupt(false);
        RegistryClient.Response good = registry.getBlob(project + "/team/bad", digest);
        assertEquals(200, good.status(), good.toString());
        assertArrayEquals(layer, good.body());
    }

    @Test
    void aManifestByDigestIsNeverAskedAgainAndATagIsServedStaleWhenTheUpstreamFails() throws Exception {
        byte[] manifest = image("library/web", "1.0", random(1000, 3));
        String digest = RegistryClient.sha256(manifest);
        RegistryClient.Response first = getManifest(project + "/library/web", "1.0");
        assertEquals(200, first.status(), first.toString());
        assertArrayEquals(manifest, first.body());
        assertEquals(digest, first.header("Docker-Content-Digest"));

        int gets = upstream.count("GET", "/v2/library/web/manifests/" + digest);
        RegistryClient.Response byDigest = getManifest(project + "/library/web", digest);
        assertEquals(200, byDigest.status());
        assertEquals(gets, upstream.count("GET", "/v2/library/web/manifests/" + digest), "a digest is never asked again");
        assertTrue(byDigest.optionalHeader("Warning").isEmpty());

        // TTL 0: every pull by tag asks the upstream with a HEAD; 503 now
        upstream.fail(503, Map.of());
        RegistryClient.Response stale = getManifest(project + "/library/web", "1.0");
        assertEquals(200, stale.status(), stale.toString());
        assertArrayEquals(manifest, stale.body());
        assertEquals("110 - \"Response is Stale\"", stale.header("Warning"));
        String metrics = api.send("GET", "metrics", null, null).body();
        assertTrue(metrics.matches("(?s).*berth_proxy_stale_total\\{[^}]*reason=\"server_error\"[^}]*} [1-9].*"), metrics);

        // nothing cached: the client gets the upstream's failure, clearly
        RegistryClient.Response missing = getManifest(project + "/library/other", "1.0");
        assertEquals(503, missing.status(), missing.toString());
        assertTrue(missing.bodyText().contains("upstream registry"), missing.bodyText());
    }

    @Test
    void a429IsHonouredCachedTagsAreServedAndNothingIsAskedUntilRetryAfter() {
        byte[] manifest = image("library/api", "2", random(800, 4));
        assertEquals(200, getManifest(project + "/library/api", "2").status());
        upstream.fail(429, Map.of("Retry-After", "120"));
        RegistryClient.Response stale = getManifest(project + "/library/api", "2");
        assertEquals(200, stale.status(), stale.toString());
        assertArrayEquals(manifest, stale.body());
        assertEquals("110 - \"Response is Stale\"", stale.header("Warning"));
        int heads = upstream.count("HEAD", "/v2/library/api/manifests/2");

        RegistryClient.Response never = getManifest(project + "/library/never", "1");
        assertEquals(429, never.status(), never.toString());
        assertTrue(Integer.parseInt(never.header("Retry-After")) > 60, never.toString());
        assertTrue(never.bodyText().contains("429"), never.bodyText());
        assertEquals(0, upstream.count("GET", "/v2/library/never/manifests/1"), "not asked while its Retry-After runs");
        assertEquals(200, getManifest(project + "/library/api", "2").status());
        assertEquals(heads, upstream.count("HEAD", "/v2/library/api/manifests/2"), "not asked while its Retry-After runs");
    }

    @Test
    void pushesAreRefusedWithAMessageSayingItIsACache() {
        RegistryClient.Response post = registry.startUpload(project + "/library/mine");
        assertEquals(403, post.status(), post.toString());
        assertEquals(List.of("DENIED"), post.errorCodes());
        assertTrue(post.bodyText().contains("is a proxy cache of registry"), post.bodyText());
        RegistryClient.Response put = registry.request("PUT", "/v2/" + project + "/library/mine/manifests/1")
                .contentType(RegistryClient.OCI_MANIFEST).body("{}".getBytes(StandardCharsets.UTF_8)).send();
        assertEquals(403, put.status(), put.toString());
    }

    @Test
    void aProxyProjectNamesItsUpstreamKeepsWhatWasPulledWithinSevenDaysAndNeedsAnEndpoint() {
        var project = AdminClient.object(api.send("GET", "api/v1/projects/" + this.project, null, ADMIN));
        assertEquals(upstream.url(), project.getString("registry_url"));
        assertEquals(0, project.getInt("tag_ttl_seconds"));
        var retention = AdminClient.object(api.send("GET", "api/v1/projects/" + this.project + "/retention", null, ADMIN));
        assertTrue(retention.toString().contains("pulled_within_days"), retention.toString());
        var refused = api.send("POST", "api/v1/projects", "{\"name\":\"pxother\",\"registry\":\"nosuch\"}", ADMIN);
        assertEquals(404, refused.statusCode(), refused.body());
        assertEquals("NOT_FOUND", errorCode(refused));
        assertTrue(errorMessage(refused).contains("nosuch"));
    }

    @Test
    void aFullProxyProjectEvictsTheLeastRecentlyPulledImageInsteadOfRefusingAPull() throws Exception {
        assertEquals(200, api.send("PUT", "api/v1/projects/" + project + "/quota", "{\"limit_bytes\":1048576}", ADMIN)
                .statusCode());
        byte[] oldLayer = random(600 * 1024, 11);
        byte[] newLayer = random(600 * 1024, 12);
        byte[] oldManifest = image("library/old", "1", oldLayer);
        image("library/new", "1", newLayer);
        assertEquals(200, getManifest(project + "/library/old", "1").status());
        pullWhole(project + "/library/old", oldManifest);
        String oldDigest = RegistryClient.sha256(oldManifest);
        int oldGets = upstream.count("GET", "/v2/library/old/manifests/" + oldDigest);
        assertEquals(200, getManifest(project + "/library/old", oldDigest).status());
        assertEquals(oldGets, upstream.count("GET", "/v2/library/old/manifests/" + oldDigest), "cached: served by digest");

        RegistryClient.Response newManifest = getManifest(project + "/library/new", "1");
        assertEquals(200, newManifest.status(), newManifest.toString());
        pullWhole(project + "/library/new", newManifest.body());

        // the new layer did not fit beside the old image: the old one went, and the pull was served
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (artifacts(project + "/library/old") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(0, artifacts(project + "/library/old"), "the least recently pulled image is evicted");
        assertEquals(1, artifacts(project + "/library/new"));
        assertEquals(200, getManifest(project + "/library/old", oldDigest).status());
        assertEquals(oldGets + 1, upstream.count("GET", "/v2/library/old/manifests/" + oldDigest), "evicted: fetched again");
        JsonObject evicted = auditEntry(project, "evict", project + "/library/old@" + oldDigest);
        assertEquals("system", evicted.getString("username"), evicted.toString());
        assertEquals("success", evicted.getString("result"), evicted.toString());
    }

    /** The audit entry of the operation on the resource, once it is written (entries are buffered). */
    private JsonObject auditEntry(String project, String operation, String resource) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            HttpResponse<String> r = api.get("api/v1/audit-logs?project=" + project + "&operation=" + operation, ADMIN);
            assertEquals(200, r.statusCode(), r.body());
            Optional<JsonObject> entry = AdminClient.array(r).getValuesAs(JsonObject.class).stream().filter(e -> resource.equals(e.getString("resource"))).findFirst();
            if (entry.isPresent()) {
                return entry.get();
            }
            assertTrue(System.nanoTime() < deadline, "no audit entry " + operation + " of " + resource + ": " + r.body());
            Thread.sleep(200);
        }
    }

    /** Pulls a manifest's config and layers, checking each blob's bytes. */
    private void pullWhole(String repository, byte[] manifest) {
        JsonObject json = Json.createReader(new ByteArrayInputStream(manifest)).readObject();
        List<String> digests = new ArrayList<>();
        digests.add(json.getJsonObject("config").getString("digest"));
        json.getJsonArray("layers").getValuesAs(JsonObject.class).forEach(l -> digests.add(l.getString("digest")));
        for (String digest : digests) {
            RegistryClient.Response blob = registry.getBlob(repository, digest);
            assertEquals(200, blob.status(), blob.toString());
            assertEquals(digest, RegistryClient.sha256(blob.body()));
        }
    }

    private int artifacts(String repository) {
        var r = api.send("GET", "api/v1/repositories/" + repository + "/artifacts", null, ADMIN);
        return r.statusCode() == 404 ? 0 : Integer.parseInt(r.headers().firstValue("X-Total-Count").orElseThrow());
    }
}
