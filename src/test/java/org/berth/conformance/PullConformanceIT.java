package org.berth.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;


import org.berth.support.ConformanceData;
import org.berth.support.ConformanceSuite;
import org.berth.support.RegistryClient.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * OCI conformance suite, "Pull" workflow (conformance/01_pull_test.go), against the deployed WAR.
 * Every test gets its own repository populated as the suite's Setup does: config[0] and config[1]
 * blobs, the layer, manifest[0] tagged {@code tagtest0} and manifest[1] pushed by digest.
 * Checks marked "Berth" go beyond what the Go suite asserts.
 */
class PullConformanceIT extends ConformanceITBase {

    @Override
    protected String workflow() {
        return "pull";
    }

    @BeforeEach
    void populateRegistry() {
        suite.pullSetup();
    }

    // ---------------------------------------------------------------- Pull blobs

    @Test
    @DisplayName("HEAD request to nonexistent blob should result in 404 response")
    void headNonexistentBlob() {
        suite.pullHeadNonexistentBlob();
    }

    @Test
    @DisplayName("HEAD request to existing blob should yield 200")
    void headExistingBlob() {
        Response r = suite.pullHeadExistingBlob();
        assertEquals(0, r.body().length, "Berth: HEAD has no body");
    }

    @Test
    @DisplayName("GET nonexistent blob should result in 404 response")
    void getNonexistentBlob() {
        suite.pullGetNonexistentBlob();
    }

    @Test
    @DisplayName("GET request to existing blob URL should yield 200")
    void getExistingBlob() {
        Response r = suite.pullGetExistingBlob();
        assertArrayEquals(data.config(0).content(), r.body(), "Berth: the blob served is the blob pushed");
    }

    // ---------------------------------------------------------------- Pull manifests

    @Test
    @DisplayName("HEAD request to nonexistent manifest should return 404")
    void headNonexistentManifest() {
        suite.pullHeadNonexistentManifest();
    }

    @Test
    @DisplayName("HEAD request to manifest[0] path (digest) should yield 200 response")
    void headManifest0ByDigest() {
        suite.pullHeadManifestByDigest(0);
    }

    @Test
    @DisplayName("HEAD request to manifest[1] path (digest) should yield 200 response")
    void headManifest1ByDigest() {
        suite.pullHeadManifestByDigest(1);
    }

    @Test
    @DisplayName("HEAD request to manifest path (tag) should yield 200 response")
    void headManifestByTag() {
        suite.pullHeadManifestByTag();
    }

    @Test
    @DisplayName("GET nonexistent manifest should return 404")
    void getNonexistentManifest() {
        suite.pullGetNonexistentManifest();
    }

    @Test
    @DisplayName("GET request to manifest[0] path (digest) should yield 200 response")
    void getManifest0ByDigest() {
        Response r = suite.pullGetManifestByDigest(0);
        assertArrayEquals(data.manifest(0).content(), r.body(), "Berth: the manifest served is byte-identical");
    }

    @Test
    @DisplayName("GET request to manifest[1] path (digest) should yield 200 response")
    void getManifest1ByDigest() {
        Response r = suite.pullGetManifestByDigest(1);
        assertArrayEquals(data.manifest(1).content(), r.body(), "Berth: the manifest served is byte-identical");
    }

    @Test
    @DisplayName("GET request to manifest path (tag) should yield 200 response")
    void getManifestByTag() {
        Response r = suite.pullGetManifestByTag();
        assertArrayEquals(data.manifest(0).content(), r.body(), "Berth: the tag resolves to manifest[0]");
    }

    // ---------------------------------------------------------------- Error codes

    @Test
    @DisplayName("400 response body should contain OCI-conforming JSON message (GET with a body)")
    void errorBodyOfInvalidDigestReference() {
        suite.pullErrorCodes();
    }

    @Test
    @DisplayName("400 response body should contain OCI-conforming JSON message (older revision: PUT)")
    void errorBodyOfInvalidDigestReferenceOnPut() {
        suite.pullErrorCodesByPut();
    }

    // ---------------------------------------------------------------- Teardown

    @Test
    @DisplayName("Teardown with OCI_DELETE_MANIFEST_BEFORE_BLOBS=1 (suite default)")
    void teardownDeletingManifestsBeforeBlobs() {
        suite.deleteManifestBeforeBlobs = true;
        suite.pullTeardown();
    }

    @Test
    @DisplayName("Teardown with OCI_DELETE_MANIFEST_BEFORE_BLOBS=0")
    void teardownDeletingBlobsBeforeManifests() {
        suite.deleteManifestBeforeBlobs = false;
        suite.pullTeardown();
    }

    // ---------------------------------------------------------------- whole workflow

    @Test
    @DisplayName("Whole Pull workflow in suite order, on a fresh repository")
    void wholeWorkflowInSuiteOrder() {
        ConformanceSuite fresh = newSuite(new ConformanceData());
        fresh.runPull();
    }
}
