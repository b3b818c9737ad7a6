package org.berth.api.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.berth.ITBase;
import org.berth.support.RegistryClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The /v2 API's error cases and the behaviour the conformance workflows do not pin down, driven
 * over HTTP against the packaged WAR. Every test works in repositories of its own.
 */
class RegistryApiIT extends ITBase {

    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private RegistryClient registry;

    @BeforeEach
    void client() {
        registry = registryAsAdmin();
        ensureProject("api");
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String sha512(byte[] content) throws Exception {
        return "sha512:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(content));
    }

    /** Pushes config + one layer and a manifest by tag; returns the manifest bytes. */
    private byte[] pushImage(String repo, String tag) {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"repo\":\"" + repo + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] layer = randomBytes(3000, repo.hashCode());
        assertEquals(201, registry.uploadBlob(repo, RegistryClient.sha256(config), config).status());
        assertEquals(201, registry.uploadBlob(repo, RegistryClient.sha256(layer), layer).status());
        byte[] manifest = manifest(RegistryClient.sha256(config), config.length, RegistryClient.sha256(layer), layer.length);
        assertEquals(201, registry.putManifest(repo, tag, OCI_MANIFEST, manifest).status());
        return manifest;
    }

    private static byte[] manifest(String configDigest, int configSize, String layerDigest, int layerSize) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":" + configSize + "},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + layerDigest + "\",\"size\":" + layerSize + "}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void assertError(RegistryClient.Response response, int status, String code) {
        assertEquals(status, response.status(), () -> "status of " + response);
        assertEquals(List.of(code), response.errorCodes(), () -> "error codes of " + response);
        assertTrue(response.header("Content-Type").startsWith("application/json"), () -> "content type of " + response);
        assertEquals("registry/2.0", response.header("Docker-Distribution-API-Version"));
    }

    @Test
    void baseAnswersWithTheApiVersion() {
        RegistryClient.Response r = registry.request("GET", "/v2/").send();
        assertEquals(200, r.status());
        assertEquals("registry/2.0", r.header("Docker-Distribution-API-Version"));
    }

    @Test
    void unknownRoutesAndMethodsGiveJsonErrorsNotHtml() {
        assertError(registry.request("GET", "/v2/x/nothing-here").send(), 404, "NOT_FOUND");
        assertError(registry.request("POST", "/v2/").send(), 405, "UNSUPPORTED");
    }

    @Test
    void invalidNamesAreRefused() {
        assertError(registry.listTags("Upper/Case", null, null), 400, "NAME_INVALID");
        assertError(registry.request("POST", "/v2/a..b/blobs/uploads/").send(), 400, "NAME_INVALID");
        assertError(registry.listTags("x".repeat(256), null, null), 400, "NAME_INVALID");
        assertError(registry.listTags("never/pushed", null, null), 404, "NAME_UNKNOWN");
    }

    @Test
    void digestsAreVerified() throws Exception {
        String repo = uniqueRepository("api/digest");
        byte[] blob = randomBytes(1000, 1);
        assertError(registry.uploadBlob(repo, RegistryClient.sha256("other"), blob), 400, "DIGEST_INVALID");
        assertEquals(404, registry.headBlob(repo, RegistryClient.sha256(blob)).status(), "a blob that failed verification is not visible");
        assertError(registry.getBlob(repo, "md5:0123"), 400, "DIGEST_INVALID");
        assertError(registry.getBlob(repo, "sha256:ABC"), 400, "DIGEST_INVALID");
        // sha512 is verified and served under its own digest
        String sha512 = sha512(blob);
        assertEquals(201, registry.uploadBlob(repo, sha512, blob).status());
        RegistryClient.Response got = registry.getBlob(repo, sha512);
        assertEquals(200, got.status());
        assertArrayEquals(blob, got.body());
        assertEquals(sha512, got.header("Docker-Content-Digest"));
    }

    @Test
    void blobRangesAndHead() {
        String repo = uniqueRepository("api/range");
        byte[] blob = randomBytes(10_000, 2);
        String digest = RegistryClient.sha256(blob);
        assertEquals(201, registry.uploadBlob(repo, digest, blob).status());
        RegistryClient.Response head = registry.headBlob(repo, digest);
        assertEquals(200, head.status());
        assertEquals("10000", head.header("Content-Length"));
        assertEquals(digest, head.header("Docker-Content-Digest"));
        RegistryClient.Response part = registry.request("GET", "/v2/" + repo + "/blobs/" + digest).header("Range", "bytes=100-199").send();
        assertEquals(206, part.status());
        assertEquals("bytes 100-199/10000", part.header("Content-Range"));
        assertArrayEquals(java.util.Arrays.copyOfRange(blob, 100, 200), part.body());
        RegistryClient.Response tail = registry.request("GET", "/v2/" + repo + "/blobs/" + digest).header("Range", "bytes=-10").send();
        assertEquals(206, tail.status());
        assertArrayEquals(java.util.Arrays.copyOfRange(blob, 9990, 10000), tail.body());
        RegistryClient.Response beyond = registry.request("GET", "/v2/" + repo + "/blobs/" + digest).header("Range", "bytes=20000-").send();
        assertEquals(416, beyond.status());
        assertEquals("bytes */10000", beyond.header("Content-Range"));
        assertError(registry.getBlob(repo, RegistryClient.sha256("missing")), 404, "BLOB_UNKNOWN");
    }

    /**
     * Bodies of 256 KiB and more leave by sendfile on Payara (GrizzlySendfile): whole, by range, and
     * back to back on the client's kept-alive connections, with the small bodies in between still copied.
     */
    @Test
    void bigBlobsAreSentWholeAndByRangeOnReusedConnections() {
        String repo = uniqueRepository("api/sendfile");
        byte[] blob = randomBytes(3 * 1024 * 1024 + 17, 5);
        byte[] small = randomBytes(1000, 6);
        String digest = RegistryClient.sha256(blob);
        assertEquals(201, registry.uploadBlob(repo, digest, blob).status());
        assertEquals(201, registry.uploadBlob(repo, RegistryClient.sha256(small), small).status());
        for (int i = 0; i < 3; i++) {
            RegistryClient.Response whole = registry.getBlob(repo, digest);
            assertEquals(200, whole.status());
            assertEquals(Integer.toString(blob.length), whole.header("Content-Length"));
            assertArrayEquals(blob, whole.body());
            RegistryClient.Response part = registry.request("GET", "/v2/" + repo + "/blobs/" + digest)
                    .header("Range", "bytes=1000-2000999").send();
            assertEquals(206, part.status());
            assertEquals("bytes 1000-2000999/" + blob.length, part.header("Content-Range"));
            assertArrayEquals(java.util.Arrays.copyOfRange(blob, 1000, 2001000), part.body());
            assertArrayEquals(small, registry.getBlob(repo, RegistryClient.sha256(small)).body());
            assertEquals(200, registry.headBlob(repo, digest).status());
        }
    }

    @Test
    void uploadSessionsReportProgressAndCanBeCancelled() {
        String repo = uniqueRepository("api/upload");
        RegistryClient.Response started = registry.startUpload(repo);
        assertEquals(202, started.status());
        String uuid = started.header("Docker-Upload-UUID");
        assertNotNull(uuid);
        assertEquals("0-0", started.header("Range"));
        String location = started.relativeLocation();
        RegistryClient.Response patched = registry.request("PATCH", location).contentType("application/octet-stream")
                .body(randomBytes(100, 3)).send();
        assertEquals(202, patched.status());
        assertEquals("0-99", patched.header("Range"));
        RegistryClient.Response status = registry.request("GET", location).send();
        assertEquals(204, status.status());
        assertEquals("0-99", status.header("Range"));
        // a chunk that does not start where the upload ends
        RegistryClient.Response gap = registry.request("PATCH", location).contentType("application/octet-stream")
                .header("Content-Range", "200-299").body(randomBytes(100, 4)).send();
        assertError(gap, 416, "RANGE_INVALID");
        assertEquals("0-99", gap.header("Range"));
        // completing without a digest
        assertError(registry.request("PUT", location).send(), 400, "DIGEST_INVALID");
        assertEquals(204, registry.request("DELETE", location).send().status());
        assertError(registry.request("GET", location).send(), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(registry.request("GET", "/v2/" + repo + "/blobs/uploads/not-a-uuid").send(), 404, "BLOB_UPLOAD_UNKNOWN");
        assertEquals(404, registry.request("GET", "/v2/" + repo + "/blobs/uploads/%2e%2e%2f%2e%2e%2fetc").send().status());
    }

    @Test
    void anUploadBelongsToItsRepository() {
        String repo = uniqueRepository("api/owner");
        String uuid = registry.startUpload(repo).header("Docker-Upload-UUID");
        assertError(registry.request("GET", "/v2/" + uniqueRepository("api/other") + "/blobs/uploads/" + uuid).send(),
                404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void manifestsAreValidated() {
        String repo = uniqueRepository("api/manifest");
        assertError(registry.putManifest(repo, "bad", OCI_MANIFEST, "not json".getBytes(StandardCharsets.UTF_8)), 400, "MANIFEST_INVALID");
        assertError(registry.putManifest(repo, "v1", "application/vnd.docker.distribution.manifest.v1+json",
                "{\"schemaVersion\":1,\"name\":\"x\",\"tag\":\"v1\",\"fsLayers\":[]}".getBytes(StandardCharsets.UTF_8)), 400, "MANIFEST_INVALID");
        byte[] dangling = manifest(RegistryClient.sha256("no config"), 9, RegistryClient.sha256("no layer"), 8);
        assertError(registry.putManifest(repo, "v1", OCI_MANIFEST, dangling), 404, "MANIFEST_BLOB_UNKNOWN");
        byte[] huge = new byte[4 * 1024 * 1024 + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        assertError(registry.putManifest(repo, "big", OCI_MANIFEST, huge), 413, "SIZE_INVALID");
        assertError(registry.putManifest(repo, "-bad-tag", OCI_MANIFEST, "{}".getBytes(StandardCharsets.UTF_8)), 400, "MANIFEST_INVALID");
        assertError(registry.putManifest(repo, RegistryClient.sha256("other bytes"), OCI_MANIFEST, pushImage(repo, "v1")), 400, "DIGEST_INVALID");
        assertError(registry.getManifest(repo, "missing", OCI_MANIFEST), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void manifestsAreServedByteForByteWithTheirOwnType() {
        String repo = uniqueRepository("api/bytes");
        byte[] manifest = pushImage(repo, "v1");
        RegistryClient.Response got = registry.getManifest(repo, "v1", "*/*");
        assertEquals(200, got.status());
        assertArrayEquals(manifest, got.body());
        assertEquals(OCI_MANIFEST, got.header("Content-Type"));
        assertEquals(RegistryClient.sha256(manifest), got.header("Docker-Content-Digest"));
        assertEquals(String.valueOf(manifest.length), got.header("Content-Length"));
        // an index needs its children in the repository
        String index = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                + "{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"" + RegistryClient.sha256(manifest) + "\",\"size\":" + manifest.length + "}]}";
        assertEquals(201, registry.putManifest(repo, "multi", "application/vnd.oci.image.index.v1+json", index.getBytes(StandardCharsets.UTF_8)).status());
        String orphan = index.replace(RegistryClient.sha256(manifest), RegistryClient.sha256("absent"));
        assertError(registry.putManifest(repo, "orphan", "application/vnd.oci.image.index.v1+json", orphan.getBytes(StandardCharsets.UTF_8)),
                404, "MANIFEST_UNKNOWN");
    }

    @Test
    void tagsAndCatalogArePagedWithLinkHeaders() {
        String repo = uniqueRepository("api/paging");
        byte[] manifest = pushImage(repo, "a");
        for (String tag : List.of("c", "B", "b", "_z")) {
            assertEquals(201, registry.putManifest(repo, tag, OCI_MANIFEST, manifest).status());
        }
        assertEquals(List.of("B", "_z", "a", "b", "c"), registry.listTags(repo, null, null).tags(), "byte-wise lexical order");
        RegistryClient.Response first = registry.listTags(repo, 2, null);
        assertEquals(List.of("B", "_z"), first.tags());
        String link = first.header("Link");
        assertNotNull(link);
        assertTrue(link.contains("/v2/" + repo + "/tags/list?n=2&last=_z") && link.endsWith("rel=\"next\""), link);
        RegistryClient.Response last = registry.listTags(repo, 3, "_z");
        assertEquals(List.of("a", "b", "c"), last.tags());
        assertFalse(last.optionalHeader("Link").isPresent(), "no next page after the last");
        assertError(registry.request("GET", "/v2/" + repo + "/tags/list?n=-1").send(), 400, "PAGINATION_NUMBER_INVALID");
        RegistryClient.Response catalog = registry.request("GET", "/v2/_catalog?n=1").send();
        assertEquals(200, catalog.status());
        assertTrue(catalog.header("Link").contains("/v2/_catalog?n=1&last="), catalog.toString());
    }

    @Test
    void deletingATagKeepsTheManifest() {
        String repo = uniqueRepository("api/untag");
        byte[] manifest = pushImage(repo, "v1");
        assertEquals(202, registry.deleteManifest(repo, "v1").status());
        assertEquals(200, registry.getManifest(repo, RegistryClient.sha256(manifest), OCI_MANIFEST).status());
        assertError(registry.deleteManifest(repo, "v1"), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void concurrentPushesOfOneManifestAllSucceed() throws Exception {
        String repo = uniqueRepository("api/race");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 4; round++) {
                // blobs first; the manifest is new to the repository when the PUTs race
                byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"round\":" + round + "}").getBytes(StandardCharsets.UTF_8);
                byte[] layer = randomBytes(1000, round);
                assertEquals(201, registry.uploadBlob(repo, RegistryClient.sha256(config), config).status());
                assertEquals(201, registry.uploadBlob(repo, RegistryClient.sha256(layer), layer).status());
                byte[] manifest = manifest(RegistryClient.sha256(config), config.length, RegistryClient.sha256(layer), layer.length);
                List<Future<RegistryClient.Response>> puts = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    // half under tags of their own, half under one tag
                    String tag = i % 2 == 0 ? "r" + round + "-" + i : "r" + round + "-same";
                    puts.add(pool.submit(() -> registry.putManifest(repo, tag, OCI_MANIFEST, manifest)));
                }
                for (Future<RegistryClient.Response> put : puts) {
                    RegistryClient.Response response = put.get(60, TimeUnit.SECONDS);
                    assertEquals(201, response.status(), response::toString);
                }
                assertEquals(200, registry.getManifest(repo, RegistryClient.sha256(manifest), OCI_MANIFEST).status());
                assertArrayEquals(manifest, registry.getManifest(repo, "r" + round + "-same", OCI_MANIFEST).body());
            }
            assertEquals(4 * 9, registry.listTags(repo, null, null).tags().size());
        } finally {
            pool.shutdownNow();
        }
    }
}
