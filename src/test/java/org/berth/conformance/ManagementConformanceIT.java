package org.berth.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;

import org.berth.support.ConformanceData;
import org.berth.support.ConformanceSuite;
import org.berth.support.RegistryClient;
import org.berth.support.RegistryClient.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * OCI conformance suite, "Content Management" workflow (conformance/04_management_test.go), against
 * the deployed WAR. Every test gets its own repository populated as the suite's Setup does (config[3],
 * the layer, manifest[3] tagged {@code tagtest0}, then the tag count) and replays the specs before
 * the one it is named after.
 * <p>
 * This class also plays the whole suite as a real run does: the four workflows in order on ONE
 * repository, so what a workflow leaves behind is seen by the next one.
 * Checks marked "Berth" go beyond what the Go suite asserts.
 */
class ManagementConformanceIT extends ConformanceITBase {

    @Override
    protected String workflow() {
        return "management";
    }

    @BeforeEach
    void populateRegistry() {
        suite.managementSetup();
    }

    // ---------------------------------------------------------------- Manifest delete

    @Test
    @DisplayName("DELETE request to manifest tag should return 202, unless tag deletion is disallowed (400/405)")
    void deleteTag() {
        suite.managementDeleteTag();
    }

    @Test
    @DisplayName("Berth: deleting a tag answers 202 and removes the tag only, not the manifest")
    void deleteTagKeepsManifest() {
        Response r = suite.managementDeleteTag();
        assertEquals(202, r.status(), "DELETE tag: " + r);
        Response byTag = client.getManifest(suite.name, ConformanceData.TEST_TAG_NAME, RegistryClient.OCI_MANIFEST);
        assertEquals(404, byTag.status(), "GET by the deleted tag: " + byTag);
        Response byDigest = client.getManifest(suite.name, data.manifest(3).digest(), RegistryClient.OCI_MANIFEST);
        assertEquals(200, byDigest.status(), "GET by digest after the tag is gone: " + byDigest);
        assertArrayEquals(data.manifest(3).content(), byDigest.body(), "manifest after the tag is gone");
    }

    @Test
    @DisplayName("DELETE request to manifest (digest) should yield 202 response unless already deleted")
    void deleteManifestByDigest() {
        suite.managementDeleteTag();
        suite.managementDeleteManifestByDigest();
    }

    @Test
    @DisplayName("Berth: deleting a manifest by digest answers 202 and takes its tags along")
    void deleteManifestByDigestTakesTags() {
        Response r = suite.managementDeleteManifestByDigest();
        assertEquals(202, r.status(), "DELETE manifest by digest: " + r);
        Response tags = client.listTags(suite.name, null, null);
        assertEquals(200, tags.status(), "tags list: " + tags);
        assertFalse(tags.tags().contains(ConformanceData.TEST_TAG_NAME), "tag of the deleted manifest: " + tags);
        Response again = client.deleteManifest(suite.name, data.manifest(3).digest());
        assertEquals(404, again.status(), "second DELETE of the same digest: " + again);
    }

    @Test
    @DisplayName("GET request to deleted manifest URL should yield 404 response, unless delete is disallowed")
    void getDeletedManifest() {
        suite.managementDeleteTag();
        suite.managementDeleteManifestByDigest();
        Response r = suite.managementGetDeletedManifest();
        assertEquals(404, r.status(), "Berth allows deletion: " + r);
    }

    @Test
    @DisplayName("GET request to tags list should reflect manifest deletion")
    void tagsListReflectsDeletion() {
        suite.managementDeleteTag();
        suite.managementDeleteManifestByDigest();
        suite.managementGetDeletedManifest();
        List<String> tags = suite.managementTagsReflectDeletion();
        assertEquals(List.of(), tags, "Berth: the repository has no tag left");
    }

    // ---------------------------------------------------------------- Blob delete

    @Test
    @DisplayName("DELETE request to blob URL should yield 202 response")
    void deleteBlobs() {
        suite.managementDeleteTag();
        suite.managementDeleteManifestByDigest();
        suite.managementGetDeletedManifest();
        suite.managementTagsReflectDeletion();
        suite.managementDeleteBlobs();
    }

    @Test
    @DisplayName("GET request to deleted blob URL should yield 404 response")
    void getDeletedBlob() {
        suite.managementDeleteTag();
        suite.managementDeleteManifestByDigest();
        suite.managementGetDeletedManifest();
        suite.managementTagsReflectDeletion();
        suite.managementDeleteBlobs();
        assumeTrue(suite.managementGetDeletedBlob(), "skipped by the suite: blob deletion answered 405");
    }

    @Test
    @DisplayName("Berth: blob deletion answers exactly 202, then the blob is 404 for GET and HEAD")
    void blobDeletionIsAccepted() {
        suite.managementDeleteManifestByDigest();
        Response config = client.deleteBlob(suite.name, data.config(3).digest());
        assertEquals(202, config.status(), "DELETE config blob: " + config);
        Response layer = client.deleteBlob(suite.name, data.layer.digest());
        assertEquals(202, layer.status(), "DELETE layer blob: " + layer);
        assertEquals(404, client.getBlob(suite.name, data.layer.digest()).status(), "GET deleted layer");
        assertEquals(404, client.headBlob(suite.name, data.config(3).digest()).status(), "HEAD deleted config");
    }

    // ---------------------------------------------------------------- the suite as one run

    @Test
    @DisplayName("All four workflows in order on one repository, OCI_DELETE_MANIFEST_BEFORE_BLOBS=1 (suite default)")
    void wholeSuiteInOneRepositoryDeletingManifestsBeforeBlobs() {
        ConformanceSuite run = newSuite(new ConformanceData());
        run.deleteManifestBeforeBlobs = true;
        run.runAll();
        assertEquals(List.of(), run.warnings, "Berth: nothing the suite would warn about");
    }

    @Test
    @DisplayName("All four workflows in order on one repository, OCI_DELETE_MANIFEST_BEFORE_BLOBS=0")
    void wholeSuiteInOneRepositoryDeletingBlobsBeforeManifests() {
        ConformanceSuite run = newSuite(new ConformanceData());
        run.deleteManifestBeforeBlobs = false;
        run.runAll();
        assertEquals(List.of(), run.warnings, "Berth: nothing the suite would warn about");
    }
}
