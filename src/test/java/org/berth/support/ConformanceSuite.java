package org.berth.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.berth.support.ConformanceData.Blob;
import org.berth.support.RegistryClient.Response;

/**
 * A step-by-step Java port of the four workflows of the OCI distribution-spec conformance suite
 * (conformance/01_pull_test.go, 02_push_test.go, 03_discovery_test.go, 04_management_test.go of the
 * v1.1.x line). Each public method is one ginkgo {@code Specify} (its name is in the Javadoc) and makes
 * the same requests and accepts the same statuses, headers and bodies; state carried between specs
 * in Go (lastResponse, tag lists, ...) is kept in fields, so specs must be called in suite order
 * within one instance. {@code run*} methods play whole workflows in suite order.
 * <p>
 * As in the real run, every workflow of one instance works on the same repository ({@link #name});
 * cross-repository mounts target {@link #crossmountNamespace}.
 */
public final class ConformanceSuite {

    public final RegistryClient client;
    /** OCI_NAMESPACE: the repository every workflow uses. */
    public final String name;
    /** OCI_CROSSMOUNT_NAMESPACE (suite default: {@code conformance-<uuid>}). */
    public final String crossmountNamespace;
    public final ConformanceData data;
    /** OCI_DELETE_MANIFEST_BEFORE_BLOBS: teardown order; the suite default is {@code true}. */
    public boolean deleteManifestBeforeBlobs = true;
    /** OCI_AUTOMATIC_CROSSMOUNT: empty when unset (the two specs that depend on it are then skipped). */
    public Optional<Boolean> automaticCrossmount = Optional.empty();
    /** What the Go suite would print as WARNING instead of failing. */
    public final List<String> warnings = new ArrayList<>();

    // state carried between specs, as in the Go closures
    private String pullTag;
    private Response pushLastResponse;
    private Response pushPrevResponse;
    private Response mountResponse;
    private boolean emptyLayerManifestPushed;
    private List<String> discoveryTagList = new ArrayList<>();
    private int discoveryNumTags = 4;
    private String managementTagToDelete;
    private int managementNumTags;
    private boolean blobDeleteAllowed = true;

    public ConformanceSuite(RegistryClient client, String name, String crossmountNamespace, ConformanceData data) {
        this.client = client;
        this.name = name;
        this.crossmountNamespace = crossmountNamespace;
        this.data = data;
    }

    /** Reads OCI_AUTOMATIC_CROSSMOUNT from a system property or the environment, like the suite's LookupEnv. */
    public ConformanceSuite withAutomaticCrossmountFromEnvironment() {
        String v = System.getProperty("OCI_AUTOMATIC_CROSSMOUNT", System.getenv("OCI_AUTOMATIC_CROSSMOUNT"));
        automaticCrossmount = v == null ? Optional.empty() : Optional.of(parseGoBool(v));
        return this;
    }

    private static boolean parseGoBool(String v) {
        switch (v.trim()) {
            case "1": case "t": case "T": case "true": case "TRUE": case "True":
                return true;
            default:
                return false;
        }
    }

    // ================================================================== assertions

    public static void assert2xx(Response r, String what) {
        assertTrue(r.is2xx(), what + ": expected 2xx, got " + r);
    }

    public static void assertStatus(Response r, int expected, String what) {
        assertEquals(expected, r.status(), what + ": " + r);
    }

    /** Any of {@code allowed}; {@code 2} stands for the whole 2xx range. */
    public static void assertStatusIn(Response r, String what, int... allowed) {
        for (int a : allowed) {
            if (a == 2 ? r.is2xx() : r.status() == a) {
                return;
            }
        }
        String expected = Arrays.stream(allowed).mapToObj(a -> a == 2 ? "2xx" : Integer.toString(a))
                .collect(Collectors.joining(", "));
        fail(what + ": expected one of [" + expected + "], got " + r);
    }

    private static final int ANY_2XX = 2;

    public static void assertLocation(Response r, String what) {
        assertFalse(r.location().isEmpty(), what + ": Location header missing: " + r);
    }

    private static void assertDigestHeaderIfPresent(Response r, String digest, String what) {
        String h = r.header("Docker-Content-Digest");
        if (!h.isEmpty()) {
            assertEquals(digest, h, what + ": Docker-Content-Digest: " + r);
        }
    }

    private void warn(String message) {
        warnings.add(message);
        System.err.println("WARNING (conformance suite would only warn): " + message);
    }

    private Response uploadBlob(Blob blob, String what) {
        Response r = client.uploadBlob(name, blob.digest(), blob.content());
        assert2xx(r, what);
        return r;
    }

    private Response putManifest(String reference, Blob manifest, String mediaType, String what) {
        Response r = client.putManifest(name, reference, mediaType, manifest.content());
        assert2xx(r, what);
        return r;
    }

    // ================================================================== 01 Pull

    /** Pull / Setup / "Populate registry with test blob" (configs[0]) and again (configs[1]). */
    public void pullPopulateConfig(int i) {
        uploadBlob(data.config(i), "populate config[" + i + "]");
    }

    /** Pull / Setup / "Populate registry with test layer". */
    public void pullPopulateLayer() {
        uploadBlob(data.layer, "populate layer");
    }

    /** Pull / Setup / "Populate registry with test manifest" (manifests[0], by tag). */
    public void pullPopulateManifestByTag() {
        pullTag = ConformanceData.TEST_TAG_NAME;
        putManifest(pullTag, data.manifest(0), RegistryClient.OCI_MANIFEST, "PUT manifest[0] by tag");
    }

    /** Pull / Setup / "Populate registry with test manifest" (manifests[1], by digest). */
    public void pullPopulateManifestByDigest() {
        putManifest(data.manifest(1).digest(), data.manifest(1), RegistryClient.OCI_MANIFEST, "PUT manifest[1] by digest");
    }

    public void pullSetup() {
        pullPopulateConfig(0);
        pullPopulateConfig(1);
        pullPopulateLayer();
        pullPopulateManifestByTag();
        pullPopulateManifestByDigest();
    }

    /** "HEAD request to nonexistent blob should result in 404 response". */
    public void pullHeadNonexistentBlob() {
        assertStatus(client.headBlob(name, data.dummyDigest), 404, "HEAD nonexistent blob");
    }

    /** "HEAD request to existing blob should yield 200". */
    public Response pullHeadExistingBlob() {
        Response r = client.headBlob(name, data.config(0).digest());
        assertStatus(r, 200, "HEAD existing blob");
        assertDigestHeaderIfPresent(r, data.config(0).digest(), "HEAD existing blob");
        return r;
    }

    /** "GET nonexistent blob should result in 404 response". */
    public void pullGetNonexistentBlob() {
        assertStatus(client.getBlob(name, data.dummyDigest), 404, "GET nonexistent blob");
    }

    /** "GET request to existing blob URL should yield 200". */
    public Response pullGetExistingBlob() {
        Response r = client.getBlob(name, data.config(0).digest());
        assertStatus(r, 200, "GET existing blob");
        return r;
    }

    /** "HEAD request to nonexistent manifest should return 404". */
    public void pullHeadNonexistentManifest() {
        assertStatus(client.headManifest(name, ConformanceData.NONEXISTENT_MANIFEST, null), 404, "HEAD nonexistent manifest");
    }

    /** "HEAD request to manifest[i] path (digest) should yield 200 response". */
    public Response pullHeadManifestByDigest(int i) {
        Response r = client.headManifest(name, data.manifest(i).digest(), RegistryClient.OCI_MANIFEST);
        assertStatus(r, 200, "HEAD manifest[" + i + "] by digest");
        assertDigestHeaderIfPresent(r, data.manifest(i).digest(), "HEAD manifest[" + i + "] by digest");
        return r;
    }

    /** "HEAD request to manifest path (tag) should yield 200 response". */
    public Response pullHeadManifestByTag() {
        assertNotNull(pullTag, "tag");
        assertFalse(pullTag.isEmpty(), "tag");
        Response r = client.headManifest(name, pullTag, RegistryClient.OCI_MANIFEST);
        assertStatus(r, 200, "HEAD manifest by tag");
        assertDigestHeaderIfPresent(r, data.manifest(0).digest(), "HEAD manifest by tag");
        return r;
    }

    /** "GET nonexistent manifest should return 404". */
    public void pullGetNonexistentManifest() {
        assertStatus(client.getManifest(name, ConformanceData.NONEXISTENT_MANIFEST, null), 404, "GET nonexistent manifest");
    }

    /** "GET request to manifest[i] path (digest) should yield 200 response". */
    public Response pullGetManifestByDigest(int i) {
        Response r = client.getManifest(name, data.manifest(i).digest(), RegistryClient.OCI_MANIFEST);
        assertStatus(r, 200, "GET manifest[" + i + "] by digest");
        return r;
    }

    /** "GET request to manifest path (tag) should yield 200 response". */
    public Response pullGetManifestByTag() {
        assertNotNull(pullTag, "tag");
        Response r = client.getManifest(name, pullTag, RegistryClient.OCI_MANIFEST);
        assertStatus(r, 200, "GET manifest by tag");
        return r;
    }

    /**
     * Error codes / "400 response body should contain OCI-conforming JSON message":
     * a GET (with a body) of {@code manifests/sha256:totallywrong}; 400 with a known code, or 404.
     */
    public Response pullErrorCodes() {
        Response r = client.request("GET", "/v2/" + name + "/manifests/sha256:totallywrong")
                .contentType(RegistryClient.OCI_MANIFEST)
                .body(ConformanceData.INVALID_MANIFEST_CONTENT)
                .send();
        assertErrorBodyIf400(r);
        return r;
    }

    /** The older revision of the same spec: a PUT of "blablabla" to {@code manifests/sha256:totallywrong}. */
    public Response pullErrorCodesByPut() {
        Response r = client.putManifest(name, "sha256:totallywrong", RegistryClient.OCI_MANIFEST,
                ConformanceData.INVALID_MANIFEST_CONTENT);
        assertErrorBodyIf400(r);
        return r;
    }

    private static void assertErrorBodyIf400(Response r) {
        assertStatusIn(r, "invalid digest reference", 400, 404);
        if (r.status() == 400) {
            List<String> codes;
            try {
                codes = r.errorCodes();
            } catch (RuntimeException e) {
                throw new AssertionError("400 body is not an OCI error body: " + r, e);
            }
            assertFalse(codes.isEmpty(), "errors array is empty: " + r);
            assertTrue(ConformanceData.ERROR_CODES.contains(codes.get(0)), "unknown error code: " + r);
        }
    }

    /** Pull / Teardown, in the order OCI_DELETE_MANIFEST_BEFORE_BLOBS selects. */
    public void pullTeardown() {
        if (deleteManifestBeforeBlobs) {
            pullDeleteManifests();
        }
        for (Blob b : List.of(data.config(0), data.config(1), data.layer)) {
            assertStatusIn(client.deleteBlob(name, b.digest()), "delete blob created in setup", ANY_2XX, 404, 405);
        }
        if (!deleteManifestBeforeBlobs) {
            pullDeleteManifests();
        }
    }

    /** "Delete manifest[0] created in setup", "Delete manifest[1] created in setup": 2xx or 405, not 404. */
    private void pullDeleteManifests() {
        for (int i = 0; i < 2; i++) {
            assertStatusIn(client.deleteManifest(name, data.manifest(i).digest()),
                    "delete manifest[" + i + "] created in setup", ANY_2XX, 405);
        }
    }

    public void runPull() {
        pullSetup();
        pullHeadNonexistentBlob();
        pullHeadExistingBlob();
        pullGetNonexistentBlob();
        pullGetExistingBlob();
        pullHeadNonexistentManifest();
        pullHeadManifestByDigest(0);
        pullHeadManifestByDigest(1);
        pullHeadManifestByTag();
        pullGetNonexistentManifest();
        pullGetManifestByDigest(0);
        pullGetManifestByDigest(1);
        pullGetManifestByTag();
        pullErrorCodes();
        pullTeardown();
    }

    // ================================================================== 02 Push

    /** Blob Upload Streamed / "PATCH request with blob in body should yield 202 response". */
    public Response pushStreamedPatch() {
        Response post = client.startUpload(name);
        assertLocation(post, "POST upload");
        Response r = client.request("PATCH", post.relativeLocation())
                .contentType(RegistryClient.OCTET_STREAM)
                .body(data.testBlobA.content())
                .send();
        assertStatus(r, 202, "streamed PATCH");
        pushLastResponse = r;
        return r;
    }

    /** Blob Upload Streamed / "PUT request to session URL with digest should yield 201 response". */
    public Response pushStreamedPut() {
        assertNotNull(pushLastResponse, "no previous PATCH response");
        Response r = client.request("PUT", pushLastResponse.relativeLocation())
                .query("digest", data.testBlobA.digest())
                .contentType(RegistryClient.OCTET_STREAM)
                .send();
        assertStatus(r, 201, "PUT closing a streamed upload");
        assertLocation(r, "PUT closing a streamed upload");
        return r;
    }

    /** Blob Upload Monolithic / "GET nonexistent blob should result in 404 response". */
    public void pushGetNonexistentBlob() {
        assertStatus(client.getBlob(name, data.dummyDigest), 404, "GET nonexistent blob");
    }

    /** "POST request with digest and blob should yield a 201 or 202". */
    public Response pushPostWithDigestAndBlob() {
        Blob c = data.config(1);
        Response r = client.postBlob(name, c.digest(), c.content());
        assertLocation(r, "POST with digest and blob");
        assertStatusIn(r, "POST with digest and blob", 201, 202);
        pushLastResponse = r;
        return r;
    }

    /** "GET request to blob URL from prior request should yield 200 or 404 based on response code". */
    public void pushGetBlobAfterPost() {
        assertNotNull(pushLastResponse, "no previous POST response");
        Response r = client.getBlob(name, data.config(1).digest());
        if (pushLastResponse.status() == 202) {
            assertStatus(r, 404, "GET blob after a 202 POST");
        } else {
            assertStatus(r, 200, "GET blob after a 201 POST");
        }
    }

    /** "POST request should yield a session ID". */
    public Response pushPostSessionId() {
        Response r = client.startUpload(name);
        assertStatus(r, 202, "POST upload");
        pushLastResponse = r;
        return r;
    }

    /** "PUT upload of a blob should yield a 201 Response". */
    public Response pushPutBlob() {
        Blob c = data.config(1);
        Response r = client.request("PUT", pushLastResponse.relativeLocation())
                .contentType(RegistryClient.OCTET_STREAM)
                .query("digest", c.digest())
                .body(c.content())
                .send();
        assertLocation(r, "monolithic PUT");
        assertStatus(r, 201, "monolithic PUT");
        return r;
    }

    /** "GET request to existing blob should yield 200 response". */
    public Response pushGetExistingBlob() {
        Response r = client.getBlob(name, data.config(1).digest());
        assertStatus(r, 200, "GET existing blob");
        return r;
    }

    /** "PUT upload of a layer blob should yield a 201 Response". */
    public Response pushPutLayer() {
        Response post = client.startUpload(name);
        Response r = client.request("PUT", post.relativeLocation())
                .contentType(RegistryClient.OCTET_STREAM)
                .query("digest", data.layer.digest())
                .body(data.layer.content())
                .send();
        assertLocation(r, "PUT layer");
        assertStatus(r, 201, "PUT layer");
        return r;
    }

    /** "GET request to existing layer should yield 200 response". */
    public Response pushGetExistingLayer() {
        Response r = client.getBlob(name, data.layer.digest());
        assertStatus(r, 200, "GET existing layer");
        return r;
    }

    /** Blob Upload Chunked / "Out-of-order blob upload should return 416". */
    public Response pushChunkedOutOfOrder() {
        Response post = client.startUpload(name);
        assertLocation(post, "POST upload");
        String min = post.header("OCI-Chunk-Min-Length");
        if (!min.isEmpty()) {
            int minSize = Integer.parseInt(min.trim());
            if (minSize > data.testBlobBChunk1.length) {
                data.setupChunkedBlob(minSize * 2 - 2);
            }
        }
        Response r = client.request("PATCH", post.relativeLocation())
                .contentType(RegistryClient.OCTET_STREAM)
                .header("Content-Range", data.testBlobBChunk2Range)
                .body(data.testBlobBChunk2)
                .send();
        assertStatus(r, 416, "PATCH of the second chunk first");
        return r;
    }

    /** "PATCH request with first chunk should return 202". */
    public Response pushChunkedFirstChunk() {
        Response post = client.startUpload(name);
        assertLocation(post, "POST upload");
        pushPrevResponse = post;
        Response r = client.request("PATCH", post.relativeLocation())
                .contentType(RegistryClient.OCTET_STREAM)
                .header("Content-Range", data.testBlobBChunk1Range)
                .body(data.testBlobBChunk1)
                .send();
        assertStatus(r, 202, "PATCH first chunk");
        assertEquals(data.testBlobBChunk1Range, r.header("Range"), "Range after the first chunk: " + r);
        pushLastResponse = r;
        return r;
    }

    /** "Retry previous blob chunk should return 416" (to the POST's Location, not the PATCH's). */
    public Response pushChunkedRetryPreviousChunk() {
        Response r = client.request("PATCH", pushPrevResponse.relativeLocation())
                .contentType(RegistryClient.OCTET_STREAM)
                .header("Content-Range", data.testBlobBChunk1Range)
                .body(data.testBlobBChunk1)
                .send();
        assertStatus(r, 416, "PATCH retrying the first chunk");
        return r;
    }

    /** "Get on stale blob upload should return 204 with a range and location". */
    public Response pushChunkedGetStaleUpload() {
        Response r = client.request("GET", pushPrevResponse.relativeLocation()).send();
        assertStatus(r, 204, "GET upload status");
        assertLocation(r, "GET upload status");
        assertEquals(data.testBlobBChunk1Range, r.header("Range"), "Range of the upload status: " + r);
        pushLastResponse = r;
        return r;
    }

    /**
     * "PATCH request with second chunk should return 202". The {@code Range: 0-<last>} check is from
     * the next revision of the suite; v1.1.1 checks status and Location only.
     */
    public Response pushChunkedSecondChunk() {
        Response r = client.request("PATCH", pushLastResponse.relativeLocation())
                .header("Content-Range", data.testBlobBChunk2Range)
                .contentType(RegistryClient.OCTET_STREAM)
                .body(data.testBlobBChunk2)
                .send();
        assertStatus(r, 202, "PATCH second chunk");
        assertEquals("0-" + (data.testBlobB.length() - 1), r.header("Range"), "Range after the second chunk: " + r);
        assertLocation(r, "PATCH second chunk");
        pushLastResponse = r;
        return r;
    }

    /** "PUT request with digest should return 201" (closing the chunked upload, no body). */
    public Response pushChunkedPutWithDigest() {
        Response r = client.request("PUT", pushLastResponse.relativeLocation())
                .contentType(RegistryClient.OCTET_STREAM)
                .query("digest", data.testBlobB.digest())
                .send();
        assertStatus(r, 201, "PUT closing a chunked upload");
        assertLocation(r, "PUT closing a chunked upload");
        return r;
    }

    /** Cross-Repository Blob Mount / "Cross-mounting of a blob without the from argument should yield session id". */
    public Response pushMountWithoutFrom() {
        Response r = client.mount(crossmountNamespace, data.dummyDigest, null);
        assertStatus(r, 202, "mount of an unknown blob without from");
        assertFalse(r.location().isEmpty(), "mount without from: Location missing: " + r);
        return r;
    }

    /** "POST request to mount another repository's blob should return 201 or 202". */
    public Response pushMountFromOtherRepository() {
        Response r = client.mount(crossmountNamespace, data.testBlobA.digest(), name);
        assertStatusIn(r, "mount from " + name, 201, 202);
        mountResponse = r;
        return r;
    }

    /** "GET request to test digest within cross-mount namespace should return 200"; false when skipped (mount gave 202). */
    public boolean pushGetMountedBlob() {
        if (mountResponse == null || mountResponse.status() != 201) {
            return false;
        }
        assertEquals("/v2/" + crossmountNamespace + "/blobs/" + data.testBlobA.digest(),
                mountResponse.relativeLocation(), "Location of the mounted blob: " + mountResponse);
        Response r = client.request("GET", mountResponse.relativeLocation()).send();
        assertStatus(r, 200, "GET mounted blob");
        return true;
    }

    /** "Cross-mounting of nonexistent blob should yield session id"; false when skipped (mount gave 201). */
    public boolean pushMountFallbackIsUploadSession() {
        if (mountResponse == null || mountResponse.status() != 202) {
            return false;
        }
        assertTrue(mountResponse.relativeLocation().startsWith("/v2/" + crossmountNamespace + "/blobs/uploads/"),
                "Location of the session a failed mount opens: " + mountResponse);
        return true;
    }

    /**
     * "Cross-mounting without from, and automatic content discovery enabled should return a 201" and
     * "... disabled should return a 202"; false when skipped (OCI_AUTOMATIC_CROSSMOUNT unset, or the
     * mount with from gave 202).
     */
    public boolean pushMountWithoutFromAutomaticDiscovery() {
        if (automaticCrossmount.isEmpty() || mountResponse == null || mountResponse.status() != 201) {
            return false;
        }
        Response r = client.mount(crossmountNamespace, data.testBlobA.digest(), null);
        assertStatus(r, automaticCrossmount.get() ? 201 : 202, "mount without from (automatic discovery "
                + (automaticCrossmount.get() ? "on" : "off") + ")");
        return true;
    }

    /** Manifest Upload / "GET nonexistent manifest should return 404". */
    public void pushGetNonexistentManifest() {
        assertStatus(client.getManifest(name, ConformanceData.NONEXISTENT_MANIFEST, null), 404, "GET nonexistent manifest");
    }

    /** "PUT should accept a manifest upload" (manifests[1] as test0..test3). */
    public void pushPutManifestTags() {
        for (int i = 0; i < 4; i++) {
            Response r = client.putManifest(name, "test" + i, RegistryClient.OCI_MANIFEST, data.manifest(1).content());
            assertLocation(r, "PUT manifest as test" + i);
            assertStatus(r, 201, "PUT manifest as test" + i);
        }
    }

    /** "Registry should accept a manifest upload with no layers" (the suite only warns when it is refused). */
    public Response pushPutEmptyLayerManifest() {
        Response r = client.putManifest(name, ConformanceData.EMPTY_LAYER_TEST_TAG, RegistryClient.OCI_MANIFEST,
                data.emptyLayerManifest.content());
        if (r.status() == 201) {
            assertLocation(r, "PUT manifest with no layers");
            emptyLayerManifestPushed = true;
        } else {
            warn("image manifest with no layers is not supported: " + r);
        }
        return r;
    }

    /** "GET request to manifest URL (digest) should yield 200 response". */
    public Response pushGetManifestByDigest() {
        Response r = client.getManifest(name, data.manifest(1).digest(), RegistryClient.OCI_MANIFEST);
        assertStatus(r, 200, "GET manifest by digest");
        return r;
    }

    /** Push / Teardown. */
    public void pushTeardown() {
        if (deleteManifestBeforeBlobs) {
            pushDeleteManifests();
        }
        assertStatusIn(client.deleteBlob(name, data.config(1).digest()), "delete config blob created in tests", ANY_2XX, 404, 405);
        assertStatusIn(client.deleteBlob(name, data.layer.digest()), "delete layer blob created in setup", ANY_2XX, 404, 405);
        if (!deleteManifestBeforeBlobs) {
            pushDeleteManifests();
        }
    }

    /** "Delete manifest created in tests": 2xx or 405 (a 404 fails). */
    private void pushDeleteManifests() {
        assertStatusIn(client.deleteManifest(name, data.manifest(1).digest()), "delete manifest created in tests", ANY_2XX, 405);
        if (emptyLayerManifestPushed) {
            assertStatusIn(client.deleteManifest(name, data.emptyLayerManifest.digest()),
                    "delete manifest with no layers", ANY_2XX, 405);
        }
    }

    public void runPush() {
        pushStreamedPatch();
        pushStreamedPut();
        pushGetNonexistentBlob();
        pushPostWithDigestAndBlob();
        pushGetBlobAfterPost();
        pushPostSessionId();
        pushPutBlob();
        pushGetExistingBlob();
        pushPutLayer();
        pushGetExistingLayer();
        pushChunkedOutOfOrder();
        pushChunkedFirstChunk();
        pushChunkedRetryPreviousChunk();
        pushChunkedGetStaleUpload();
        pushChunkedSecondChunk();
        pushChunkedPutWithDigest();
        pushMountWithoutFrom();
        pushMountFromOtherRepository();
        pushGetMountedBlob();
        pushMountFallbackIsUploadSession();
        pushMountWithoutFromAutomaticDiscovery();
        pushGetNonexistentManifest();
        pushPutManifestTags();
        pushPutEmptyLayerManifest();
        pushGetManifestByDigest();
        pushTeardown();
    }

    // ================================================================== 03 Content discovery

    /** Setup / "Populate registry with test blob" (configs[2]). */
    public void discoveryPopulateBlob() {
        uploadBlob(data.config(2), "populate config[2]");
    }

    /** Setup / "Populate registry with test layer". */
    public void discoveryPopulateLayer() {
        uploadBlob(data.layer, "populate layer");
    }

    /** Setup / "Populate registry with test tags" (manifests[2] as test0..test3, then a tag list). */
    public void discoveryPopulateTags() {
        for (int i = 0; i < discoveryNumTags; i++) {
            putManifest("test" + i, data.manifest(2), RegistryClient.OCI_MANIFEST, "PUT manifest[2] as test" + i);
        }
        discoveryTagList = new ArrayList<>(client.listTags(name, null, null).tagsOrEmpty());
    }

    /** Setup / "References setup": blobs, subject manifest and the referrers, each with OCI-Subject checks. */
    public void discoveryReferencesSetup() {
        assertEquals(ConformanceData.EMPTY_JSON_DIGEST, data.emptyJson.digest(), "empty JSON digest");
        uploadBlob(data.emptyJson, "populate empty JSON blob");
        uploadBlob(data.testRefBlobA, "populate reference blob A");

        String subject = data.manifest(4).digest();
        assertSubject(putManifest(data.refsManifestAConfigArtifact.digest(), data.refsManifestAConfigArtifact,
                RegistryClient.OCI_MANIFEST, "PUT A-config artifact"), subject);
        assertSubject(putManifest(data.refsManifestALayerArtifact.digest(), data.refsManifestALayerArtifact,
                RegistryClient.OCI_MANIFEST, "PUT A-layer artifact"), subject);
        assertSubject(putManifest(data.refsIndexArtifact.digest(), data.refsIndexArtifact,
                RegistryClient.OCI_INDEX, "PUT index artifact"), subject);

        uploadBlob(data.config(4), "populate config[4]");
        uploadBlob(data.layer, "populate layer");
        putManifest(ConformanceData.TEST_TAG_NAME, data.manifest(4), RegistryClient.OCI_MANIFEST, "PUT subject manifest[4]");

        uploadBlob(data.testRefBlobB, "populate reference blob B");
        assertSubject(putManifest(data.refsManifestBConfigArtifact.digest(), data.refsManifestBConfigArtifact,
                RegistryClient.OCI_MANIFEST, "PUT B-config artifact"), subject);
        assertSubject(putManifest(data.refsManifestBLayerArtifact.digest(), data.refsManifestBLayerArtifact,
                RegistryClient.OCI_MANIFEST, "PUT B-layer artifact"), subject);
        assertSubject(putManifest(data.refsManifestCLayerArtifact.digest(), data.refsManifestCLayerArtifact,
                RegistryClient.OCI_MANIFEST, "PUT C-layer artifact (subject not pushed)"), data.manifest(3).digest());
    }

    private static void assertSubject(Response r, String subjectDigest) {
        assertEquals(subjectDigest, r.header("OCI-Subject"), "OCI-Subject header: " + r);
    }

    public void discoverySetup() {
        discoveryPopulateBlob();
        discoveryPopulateLayer();
        discoveryPopulateTags();
        discoveryReferencesSetup();
    }

    /** Listing tags / "GET request to list tags should yield 200 response". */
    public List<String> discoveryListTags() {
        Response r = client.listTags(name, null, null);
        assertStatus(r, 200, "GET tags list");
        discoveryTagList = new ArrayList<>(r.tagsOrEmpty());
        discoveryNumTags = discoveryTagList.size();
        return discoveryTagList;
    }

    /** "GET number of tags should be limitable by `n` query parameter". */
    public List<String> discoveryTagsLimitedByN() {
        int numResults = discoveryNumTags / 2;
        Response r = client.listTags(name, numResults, null);
        assertStatus(r, 200, "GET tags list with n");
        discoveryTagList = new ArrayList<>(r.tagsOrEmpty());
        assertEquals(numResults, discoveryTagList.size(), "number of tags with n=" + numResults + ": " + r);
        return discoveryTagList;
    }

    /** "GET start of tag is set by `last` query parameter". */
    public List<String> discoveryTagsStartAfterLast() {
        int numResults = discoveryNumTags / 2;
        Response first = client.listTags(name, numResults, null);
        assertStatus(first, 200, "GET tags list with n");
        List<String> page = first.tagsOrEmpty();
        assertTrue(numResults >= 1 && page.size() >= numResults,
                "the suite indexes tagList[n-1] (it would panic here): n=" + numResults + ", " + first);
        String last = page.get(numResults - 1);
        Response r = client.listTags(name, numResults, last);
        assertStatus(r, 200, "GET tags list with n and last");
        discoveryTagList = new ArrayList<>(r.tagsOrEmpty());
        assertTrue(discoveryTagList.size() <= numResults, "more than n tags: " + r);
        assertFalse(discoveryTagList.contains(last), "the page after '" + last + "' contains it: " + r);
        return discoveryTagList;
    }

    /** Listing references / "GET request to nonexistent blob should result in empty 200 response". */
    public List<Map<String, Object>> discoveryReferrersOfUnknownDigest() {
        Response r = client.referrers(name, data.dummyDigest, null);
        List<Map<String, Object>> manifests = referrersIndex(r, "referrers of an unknown digest");
        assertTrue(manifests.isEmpty(), "referrers of an unknown digest: " + r);
        return manifests;
    }

    /** "GET request to existing blob should yield 200": the five referrers of manifests[4]. */
    public List<Map<String, Object>> discoveryReferrersOfSubject() {
        Response r = client.referrers(name, data.manifest(4).digest(), null);
        List<Map<String, Object>> manifests = referrersIndex(r, "referrers of manifest[4]");
        assertEquals(5, manifests.size(), "number of referrers: " + r);
        assertFalse(String.valueOf(manifests.get(0).get("digest")).equals(String.valueOf(manifests.get(1).get("digest"))),
                "first two referrers are the same: " + r);
        assertOneAnnotationEach(manifests, r);
        return manifests;
    }

    /** "GET request to existing blob with filter should yield 200". */
    public List<Map<String, Object>> discoveryReferrersFiltered() {
        Response r = client.referrers(name, data.manifest(4).digest(), ConformanceData.ARTIFACT_TYPE_A);
        List<Map<String, Object>> manifests = referrersIndex(r, "filtered referrers of manifest[4]");
        if (!r.header("OCI-Filters-Applied").isEmpty()) {
            assertEquals(2, manifests.size(), "number of referrers of type A: " + r);
            assertEquals(ConformanceData.ARTIFACT_TYPE_FILTER, r.header("OCI-Filters-Applied"), "OCI-Filters-Applied: " + r);
        } else {
            assertEquals(5, manifests.size(), "number of referrers when the filter is not applied: " + r);
            warn("filtering by artifact-type is not implemented");
        }
        assertOneAnnotationEach(manifests, r);
        return manifests;
    }

    /** "GET request to missing manifest should yield 200": the one referrer of the never-pushed manifests[3]. */
    public List<Map<String, Object>> discoveryReferrersOfMissingSubject() {
        Response r = client.referrers(name, data.manifest(3).digest(), null);
        List<Map<String, Object>> manifests = referrersIndex(r, "referrers of a missing manifest");
        assertEquals(1, manifests.size(), "number of referrers of a missing manifest: " + r);
        assertEquals(data.refsManifestCLayerArtifact.digest(), manifests.get(0).get("digest"), "referrer: " + r);
        return manifests;
    }

    private static List<Map<String, Object>> referrersIndex(Response r, String what) {
        assertStatus(r, 200, what);
        assertEquals(RegistryClient.OCI_INDEX, r.header("Content-Type"), what + ": Content-Type: " + r);
        Map<String, Object> index;
        try {
            index = Json.parseObject(r.body());
        } catch (RuntimeException e) {
            throw new AssertionError(what + ": body is not a JSON object: " + r, e);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object d : Json.array(index.get("manifests"), "manifests")) {
            out.add(Json.object(d, "descriptor"));
        }
        return out;
    }

    private void assertOneAnnotationEach(List<Map<String, Object>> manifests, Response r) {
        for (Map<String, Object> d : manifests) {
            Object a = d.get("annotations");
            Map<String, Object> annotations = a == null ? Map.of() : Json.object(a, "annotations");
            assertEquals(1, annotations.size(), "annotations of " + d.get("digest") + ": " + r);
            assertEquals(data.annotationValues.get(String.valueOf(d.get("digest"))),
                    annotations.get(ConformanceData.ANNOTATION_KEY), "annotation of " + d.get("digest") + ": " + r);
        }
    }

    /** Content Discovery / Teardown (all specs, in the order OCI_DELETE_MANIFEST_BEFORE_BLOBS selects). */
    public void discoveryTeardown() {
        if (deleteManifestBeforeBlobs) {
            discoveryDeleteManifestsAndTags();
        }
        assertStatusIn(client.deleteBlob(name, data.config(2).digest()), "delete config blob created in tests", ANY_2XX, 404, 405);
        assertStatusIn(client.deleteBlob(name, data.layer.digest()), "delete layer blob created in setup", ANY_2XX, 404, 405);
        if (!deleteManifestBeforeBlobs) {
            discoveryDeleteManifestsAndTags();
        }
        discoveryReferencesTeardown();
    }

    /** "Delete created manifest & associated tags". */
    private void discoveryDeleteManifestsAndTags() {
        for (String ref : List.of(data.refsIndexArtifact.digest(), data.manifest(2).digest(), data.manifest(4).digest(),
                data.refsManifestAConfigArtifact.digest(), data.refsManifestALayerArtifact.digest(),
                data.refsManifestBConfigArtifact.digest(), data.refsManifestBLayerArtifact.digest(),
                data.refsManifestCLayerArtifact.digest())) {
            assertStatusIn(client.deleteManifest(name, ref), "delete manifest " + ref, ANY_2XX, 404, 405);
        }
    }

    /** "References teardown". */
    private void discoveryReferencesTeardown() {
        List<String> manifestsToDelete = List.of(data.refsIndexArtifact.digest(), data.refsManifestAConfigArtifact.digest(),
                data.refsManifestALayerArtifact.digest(), data.manifest(4).digest(),
                data.refsManifestBConfigArtifact.digest(), data.refsManifestBLayerArtifact.digest());
        if (deleteManifestBeforeBlobs) {
            for (String ref : manifestsToDelete) {
                assertStatusIn(client.deleteManifest(name, ref), "references teardown: manifest " + ref, ANY_2XX, 404, 405);
            }
        }
        for (Blob b : List.of(data.config(4), data.testRefBlobA, data.testRefBlobB, data.emptyJson)) {
            assertStatusIn(client.deleteBlob(name, b.digest()), "references teardown: blob " + b.digest(), ANY_2XX, 404, 405);
        }
        if (!deleteManifestBeforeBlobs) {
            for (String ref : manifestsToDelete) {
                assertStatusIn(client.deleteManifest(name, ref), "references teardown: manifest " + ref, ANY_2XX, 404, 405);
            }
        }
    }

    public void runDiscovery() {
        discoverySetup();
        discoveryListTags();
        discoveryTagsLimitedByN();
        discoveryTagsStartAfterLast();
        discoveryReferrersOfUnknownDigest();
        discoveryReferrersOfSubject();
        discoveryReferrersFiltered();
        discoveryReferrersOfMissingSubject();
        discoveryTeardown();
    }

    // ================================================================== 04 Content management

    /** Setup / "Populate registry with test config blob" (configs[3]). */
    public void managementPopulateConfig() {
        uploadBlob(data.config(3), "populate config[3]");
    }

    /** Setup / "Populate registry with test layer". */
    public void managementPopulateLayer() {
        uploadBlob(data.layer, "populate layer");
    }

    /** Setup / "Populate registry with test tag" (manifests[3] as tagtest0). */
    public void managementPopulateTag() {
        managementTagToDelete = ConformanceData.TEST_TAG_NAME;
        putManifest(managementTagToDelete, data.manifest(3), RegistryClient.OCI_MANIFEST, "PUT manifest[3] as tag");
    }

    /** Setup / "Check how many tags there are before anything gets deleted". */
    public int managementCountTags() {
        Response r = client.listTags(name, null, null);
        assertStatus(r, 200, "GET tags list");
        try {
            managementNumTags = r.tags().size();
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError("tag list is not valid JSON: " + r, e);
        }
        return managementNumTags;
    }

    public void managementSetup() {
        managementPopulateConfig();
        managementPopulateLayer();
        managementPopulateTag();
        managementCountTags();
    }

    /** Manifest delete / "DELETE request to manifest tag should return 202, unless tag deletion is disallowed (400/405)". */
    public Response managementDeleteTag() {
        Response r = client.deleteManifest(name, managementTagToDelete);
        assertStatusIn(r, "DELETE tag", 400, 202, 405);
        if (r.status() == 400) {
            List<String> codes = r.errorCodes();
            assertFalse(codes.isEmpty(), "errors array is empty: " + r);
            assertEquals("UNSUPPORTED", codes.get(0), "error code of a refused tag deletion: " + r);
        }
        return r;
    }

    /** "DELETE request to manifest (digest) should yield 202 response unless already deleted". */
    public Response managementDeleteManifestByDigest() {
        Response r = client.deleteManifest(name, data.manifest(3).digest());
        assertStatusIn(r, "DELETE manifest by digest", 202, 404);
        return r;
    }

    /** "GET request to deleted manifest URL should yield 404 response, unless delete is disallowed". */
    public Response managementGetDeletedManifest() {
        Response r = client.getManifest(name, data.manifest(3).digest(), null);
        assertStatusIn(r, "GET deleted manifest", 404, 200);
        return r;
    }

    /** "GET request to tags list should reflect manifest deletion". */
    public List<String> managementTagsReflectDeletion() {
        Response r = client.listTags(name, null, null);
        assertStatus(r, 200, "GET tags list after deletion");
        List<String> tags;
        try {
            tags = r.tags();
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError("tag list is not valid JSON: " + r, e);
        }
        assertTrue(tags.size() < managementNumTags, "tag list did not shrink below " + managementNumTags + ": " + r);
        return tags;
    }

    /** Blob delete / "DELETE request to blob URL should yield 202 response" (config, then layer). */
    public void managementDeleteBlobs() {
        assertStatusIn(client.deleteBlob(name, data.config(3).digest()), "DELETE config blob", 202, 404, 405);
        Response layer = client.deleteBlob(name, data.layer.digest());
        assertStatusIn(layer, "DELETE layer blob", 202, 404, 405);
        if (layer.status() == 405) {
            blobDeleteAllowed = false;
        }
    }

    /** "GET request to deleted blob URL should yield 404 response"; false when skipped (blob delete gave 405). */
    public boolean managementGetDeletedBlob() {
        if (!blobDeleteAllowed) {
            return false;
        }
        assertStatus(client.getBlob(name, data.config(3).digest()), 404, "GET deleted blob");
        return true;
    }

    public void runManagement() {
        managementSetup();
        managementDeleteTag();
        managementDeleteManifestByDigest();
        managementGetDeletedManifest();
        managementTagsReflectDeletion();
        managementDeleteBlobs();
        managementGetDeletedBlob();
    }

    /** The whole suite as one run plays it: the four workflows in order, on one repository. */
    public void runAll() {
        runPull();
        runPush();
        runDiscovery();
        runManagement();
    }

    // ================================================================== helpers for extra checks

    /** Digests of a referrers list. */
    public static Set<String> digests(List<Map<String, Object>> descriptors) {
        return descriptors.stream().map(d -> String.valueOf(d.get("digest"))).collect(Collectors.toCollection(HashSet::new));
    }
}
