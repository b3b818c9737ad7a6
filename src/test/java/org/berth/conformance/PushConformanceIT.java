package org.berth.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;


import org.berth.support.ConformanceData;
import org.berth.support.RegistryClient;
import org.berth.support.RegistryClient.Response;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * OCI conformance suite, "Push" workflow (conformance/02_push_test.go), against the deployed WAR.
 * The Go specs depend on the ones before them (lastResponse, blobs pushed earlier); each test here
 * replays the specs it depends on, on its own repository, then runs the spec it is named after.
 * Checks marked "Berth" go beyond what the Go suite asserts.
 */
class PushConformanceIT extends ConformanceITBase {

    @Override
    protected String workflow() {
        return "push";
    }

    private void assertBlobContent(String repo, ConformanceData.Blob blob) {
        Response r = client.getBlob(repo, blob.digest());
        assertEquals(200, r.status(), "Berth: GET the uploaded blob: " + r);
        assertArrayEquals(blob.content(), r.body(), "Berth: the blob served is the blob uploaded");
    }

    // ---------------------------------------------------------------- Blob Upload Streamed

    @Test
    @DisplayName("PATCH request with blob in body should yield 202 response")
    void streamedPatch() {
        suite.pushStreamedPatch();
    }

    @Test
    @DisplayName("PUT request to session URL with digest should yield 201 response")
    void streamedPut() {
        suite.pushStreamedPatch();
        suite.pushStreamedPut();
        assertBlobContent(suite.name, data.testBlobA);
    }

    // ---------------------------------------------------------------- Blob Upload Monolithic

    @Test
    @DisplayName("GET nonexistent blob should result in 404 response")
    void monolithicGetNonexistentBlob() {
        suite.pushGetNonexistentBlob();
    }

    @Test
    @DisplayName("POST request with digest and blob should yield a 201 or 202")
    void monolithicPostWithDigestAndBlob() {
        suite.pushPostWithDigestAndBlob();
    }

    @Test
    @DisplayName("GET request to blob URL from prior request should yield 200 or 404 based on response code")
    void monolithicGetAfterPost() {
        suite.pushPostWithDigestAndBlob();
        suite.pushGetBlobAfterPost();
    }

    @Test
    @DisplayName("POST request should yield a session ID")
    void postYieldsSession() {
        suite.pushPostSessionId();
    }

    @Test
    @DisplayName("PUT upload of a blob should yield a 201 Response")
    void monolithicPut() {
        suite.pushPostSessionId();
        suite.pushPutBlob();
    }

    @Test
    @DisplayName("GET request to existing blob should yield 200 response")
    void monolithicGetExistingBlob() {
        suite.pushPostWithDigestAndBlob();
        suite.pushGetBlobAfterPost();
        suite.pushPostSessionId();
        suite.pushPutBlob();
        Response r = suite.pushGetExistingBlob();
        assertArrayEquals(data.config(1).content(), r.body(), "Berth: the blob served is the blob uploaded");
    }

    @Test
    @DisplayName("PUT upload of a layer blob should yield a 201 Response")
    void monolithicPutLayer() {
        suite.pushPutLayer();
    }

    @Test
    @DisplayName("GET request to existing layer should yield 200 response")
    void monolithicGetExistingLayer() {
        suite.pushPutLayer();
        Response r = suite.pushGetExistingLayer();
        assertArrayEquals(data.layer.content(), r.body(), "Berth: the layer served is the layer uploaded");
    }

    // ---------------------------------------------------------------- Blob Upload Chunked

    @Test
    @DisplayName("Out-of-order blob upload should return 416")
    void chunkedOutOfOrder() {
        suite.pushChunkedOutOfOrder();
    }

    @Test
    @DisplayName("PATCH request with first chunk should return 202")
    void chunkedFirstChunk() {
        suite.pushChunkedOutOfOrder();
        suite.pushChunkedFirstChunk();
    }

    @Test
    @DisplayName("Retry previous blob chunk should return 416")
    void chunkedRetryPreviousChunk() {
        suite.pushChunkedOutOfOrder();
        suite.pushChunkedFirstChunk();
        suite.pushChunkedRetryPreviousChunk();
    }

    @Test
    @DisplayName("Get on stale blob upload should return 204 with a range and location")
    void chunkedGetStaleUpload() {
        suite.pushChunkedOutOfOrder();
        suite.pushChunkedFirstChunk();
        suite.pushChunkedRetryPreviousChunk();
        suite.pushChunkedGetStaleUpload();
    }

    @Test
    @DisplayName("PATCH request with second chunk should return 202")
    void chunkedSecondChunk() {
        suite.pushChunkedOutOfOrder();
        suite.pushChunkedFirstChunk();
        suite.pushChunkedRetryPreviousChunk();
        suite.pushChunkedGetStaleUpload();
        suite.pushChunkedSecondChunk();
    }

    @Test
    @DisplayName("PUT request with digest should return 201")
    void chunkedPutWithDigest() {
        suite.pushChunkedOutOfOrder();
        suite.pushChunkedFirstChunk();
        suite.pushChunkedRetryPreviousChunk();
        suite.pushChunkedGetStaleUpload();
        suite.pushChunkedSecondChunk();
        suite.pushChunkedPutWithDigest();
        assertBlobContent(suite.name, data.testBlobB);
    }

    // ---------------------------------------------------------------- Cross-Repository Blob Mount

    @Test
    @DisplayName("Cross-mounting of a blob without the from argument should yield session id")
    void mountWithoutFrom() {
        suite.pushMountWithoutFrom();
    }

    @Test
    @DisplayName("POST request to mount another repository's blob should return 201 or 202")
    void mountFromOtherRepository() {
        suite.pushStreamedPatch();
        suite.pushStreamedPut();
        suite.pushMountFromOtherRepository();
    }

    @Test
    @DisplayName("Berth: mounting is enabled, so a mount of a blob the source has returns 201")
    void mountFromOtherRepositoryIsCreated() {
        suite.pushStreamedPatch();
        suite.pushStreamedPut();
        Response r = suite.pushMountFromOtherRepository();
        assertEquals(201, r.status(), "mount: " + r);
    }

    @Test
    @DisplayName("GET request to test digest within cross-mount namespace should return 200")
    void getMountedBlob() {
        suite.pushStreamedPatch();
        suite.pushStreamedPut();
        suite.pushMountFromOtherRepository();
        assumeTrue(suite.pushGetMountedBlob(), "skipped by the suite: the mount answered 202");
        assertBlobContent(suite.crossmountNamespace, data.testBlobA);
    }

    @Test
    @DisplayName("Cross-mounting of nonexistent blob should yield session id")
    void mountFallbackIsUploadSession() {
        suite.pushStreamedPatch();
        suite.pushStreamedPut();
        suite.pushMountFromOtherRepository();
        assumeTrue(suite.pushMountFallbackIsUploadSession(), "skipped by the suite: the mount answered 201");
    }

    @Test
    @DisplayName("Berth: mounting a blob the source repository lacks opens an upload session")
    void mountOfBlobMissingFromSourceOpensSession() {
        Response r = client.mount(suite.crossmountNamespace, data.dummyDigest, suite.name);
        assertEquals(202, r.status(), "mount of a blob the source lacks: " + r);
        assertTrue(r.relativeLocation().startsWith("/v2/" + suite.crossmountNamespace + "/blobs/uploads/"),
                "Location of the session: " + r);
    }

    @Test
    @DisplayName("Cross-mounting without from, and automatic content discovery enabled/disabled (OCI_AUTOMATIC_CROSSMOUNT)")
    void mountWithoutFromAutomaticContentDiscovery() {
        suite.pushStreamedPatch();
        suite.pushStreamedPut();
        suite.pushMountFromOtherRepository();
        assumeTrue(suite.pushMountWithoutFromAutomaticDiscovery(),
                "skipped by the suite: OCI_AUTOMATIC_CROSSMOUNT unset, or the mount answered 202");
    }

    // ---------------------------------------------------------------- Manifest Upload

    /** Blobs the Go suite has pushed by the time it uploads manifests (config[1] and the layer). */
    private void blobsPushedEarlierInTheWorkflow() {
        suite.pushPostWithDigestAndBlob();
        suite.pushPostSessionId();
        suite.pushPutBlob();
        suite.pushPutLayer();
    }

    @Test
    @DisplayName("GET nonexistent manifest should return 404")
    void getNonexistentManifest() {
        suite.pushGetNonexistentManifest();
    }

    @Test
    @DisplayName("PUT should accept a manifest upload")
    void putManifestUnderFourTags() {
        blobsPushedEarlierInTheWorkflow();
        suite.pushPutManifestTags();
        for (int i = 0; i < 4; i++) {
            Response r = client.getManifest(suite.name, "test" + i, RegistryClient.OCI_MANIFEST);
            assertEquals(200, r.status(), "Berth: GET by tag test" + i + ": " + r);
            assertArrayEquals(data.manifest(1).content(), r.body(), "Berth: tag test" + i);
        }
    }

    @Test
    @DisplayName("Registry should accept a manifest upload with no layers")
    void putManifestWithNoLayers() {
        blobsPushedEarlierInTheWorkflow();
        Response r = suite.pushPutEmptyLayerManifest();
        assertEquals(201, r.status(), "Berth accepts a manifest with no layers (the suite would only warn): " + r);
        assertTrue(suite.warnings.isEmpty(), "warnings: " + suite.warnings);
    }

    @Test
    @DisplayName("GET request to manifest URL (digest) should yield 200 response")
    void getManifestByDigest() {
        blobsPushedEarlierInTheWorkflow();
        suite.pushPutManifestTags();
        suite.pushPutEmptyLayerManifest();
        Response r = suite.pushGetManifestByDigest();
        assertArrayEquals(data.manifest(1).content(), r.body(), "Berth: the manifest served is byte-identical");
        assertEquals(data.manifest(1).digest(), r.header("Docker-Content-Digest"), "Berth: Docker-Content-Digest: " + r);
    }

    // ---------------------------------------------------------------- whole workflow, with teardown

    @Test
    @DisplayName("Whole Push workflow in suite order, teardown with OCI_DELETE_MANIFEST_BEFORE_BLOBS=1 (default)")
    void wholeWorkflowDeletingManifestsBeforeBlobs() {
        suite.deleteManifestBeforeBlobs = true;
        suite.runPush();
        assertFalse(client.listTags(suite.name, null, null).tagsOrEmpty().contains("test0"),
                "Berth: tags go with the manifest deleted by digest");
    }

    @Test
    @DisplayName("Whole Push workflow in suite order, teardown with OCI_DELETE_MANIFEST_BEFORE_BLOBS=0")
    void wholeWorkflowDeletingBlobsBeforeManifests() {
        suite.deleteManifestBeforeBlobs = false;
        suite.runPush();
    }
}
