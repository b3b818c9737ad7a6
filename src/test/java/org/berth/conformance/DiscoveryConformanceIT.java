package org.berth.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.berth.support.ConformanceData;
import org.berth.support.ConformanceSuite;
import org.berth.support.RegistryClient;
import org.berth.support.RegistryClient.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * OCI conformance suite, "Content Discovery" workflow (conformance/03_discovery_test.go), against the
 * deployed WAR. Every test gets its own repository populated as the suite's Setup does (which
 * already asserts the {@code OCI-Subject} header of every manifest with a subject): manifest[2]
 * tagged test0..test3, manifest[4] tagged tagtest0, and the referrers A-config, A-layer, index,
 * B-config, B-layer of manifest[4] plus C-layer of the never-pushed manifest[3].
 * Checks marked "Berth" go beyond what the Go suite asserts.
 */
class DiscoveryConformanceIT extends ConformanceITBase {

    @Override
    protected String workflow() {
        return "discovery";
    }

    @BeforeEach
    void populateRegistry() {
        suite.discoverySetup();
    }

    // ---------------------------------------------------------------- listing tags

    @Test
    @DisplayName("GET request to list tags should yield 200 response")
    void listTags() {
        List<String> tags = suite.discoveryListTags();
        assertEquals(Set.of("test0", "test1", "test2", "test3", ConformanceData.TEST_TAG_NAME), new HashSet<>(tags),
                "Berth: the tags of the repository");
        assertEquals(5, tags.size(), "Berth: no duplicates");
    }

    @Test
    @DisplayName("GET number of tags should be limitable by `n` query parameter")
    void tagsLimitedByN() {
        suite.discoveryListTags();
        suite.discoveryTagsLimitedByN();
    }

    @Test
    @DisplayName("GET start of tag is set by `last` query parameter")
    void tagsStartAfterLast() {
        suite.discoveryListTags();
        suite.discoveryTagsLimitedByN();
        suite.discoveryTagsStartAfterLast();
    }

    @Test
    @DisplayName("Berth: pages of n tags chained by `last` list every tag once, in lexical order")
    void tagPagesChainInLexicalOrder() {
        List<String> all = suite.discoveryListTags();
        List<String> sorted = new ArrayList<>(all);
        sorted.sort(null);
        assertEquals(sorted, all, "tags in lexical order");
        List<String> walked = new ArrayList<>();
        String last = null;
        for (int page = 0; page < 10; page++) {
            Response r = client.listTags(suite.name, 2, last);
            assertEquals(200, r.status(), "page " + page + ": " + r);
            List<String> tags = r.tags();
            assertTrue(tags.size() <= 2, "page larger than n: " + r);
            if (tags.isEmpty()) {
                break;
            }
            walked.addAll(tags);
            last = tags.get(tags.size() - 1);
        }
        assertEquals(sorted, walked, "tags walked page by page");
    }

    @Test
    @DisplayName("Berth: n=0 lists no tags (the suite sends n=0 when a repository has a single tag)")
    void tagsWithNZero() {
        Response r = client.listTags(suite.name, 0, null);
        assertEquals(200, r.status(), "n=0: " + r);
        assertEquals(List.of(), r.tags(), "n=0: " + r);
    }

    // ---------------------------------------------------------------- listing referrers

    @Test
    @DisplayName("GET request to nonexistent blob should result in empty 200 response")
    void referrersOfUnknownDigest() {
        suite.discoveryReferrersOfUnknownDigest();
    }

    @Test
    @DisplayName("GET request to existing blob should yield 200")
    void referrersOfSubject() {
        List<Map<String, Object>> referrers = suite.discoveryReferrersOfSubject();
        assertEquals(Set.of(data.refsManifestAConfigArtifact.digest(), data.refsManifestALayerArtifact.digest(),
                        data.refsIndexArtifact.digest(), data.refsManifestBConfigArtifact.digest(),
                        data.refsManifestBLayerArtifact.digest()),
                ConformanceSuite.digests(referrers), "Berth: the referrers of manifest[4]");
    }

    @Test
    @DisplayName("GET request to existing blob with filter should yield 200")
    void referrersFilteredByArtifactType() {
        suite.discoveryReferrersFiltered();
    }

    @Test
    @DisplayName("Berth: the artifactType filter is applied and announced with OCI-Filters-Applied")
    void artifactTypeFilterIsApplied() {
        List<Map<String, Object>> referrers = suite.discoveryReferrersFiltered();
        assertTrue(suite.warnings.isEmpty(), "warnings: " + suite.warnings);
        assertEquals(Set.of(data.refsManifestAConfigArtifact.digest(), data.refsManifestALayerArtifact.digest()),
                ConformanceSuite.digests(referrers), "referrers of type " + ConformanceData.ARTIFACT_TYPE_A);
    }

    @Test
    @DisplayName("Berth: referrer descriptors carry mediaType, size and artifactType (config.mediaType fallback)")
    void referrerDescriptors() {
        Map<String, Map<String, Object>> byDigest = new java.util.HashMap<>();
        for (Map<String, Object> d : suite.discoveryReferrersOfSubject()) {
            byDigest.put(String.valueOf(d.get("digest")), d);
        }
        assertDescriptor(byDigest, data.refsManifestAConfigArtifact, RegistryClient.OCI_MANIFEST, ConformanceData.ARTIFACT_TYPE_A);
        assertDescriptor(byDigest, data.refsManifestALayerArtifact, RegistryClient.OCI_MANIFEST, ConformanceData.ARTIFACT_TYPE_A);
        assertDescriptor(byDigest, data.refsManifestBConfigArtifact, RegistryClient.OCI_MANIFEST, ConformanceData.ARTIFACT_TYPE_B);
        assertDescriptor(byDigest, data.refsManifestBLayerArtifact, RegistryClient.OCI_MANIFEST, ConformanceData.ARTIFACT_TYPE_B);
        assertDescriptor(byDigest, data.refsIndexArtifact, RegistryClient.OCI_INDEX, ConformanceData.ARTIFACT_TYPE_INDEX);
    }

    private static void assertDescriptor(Map<String, Map<String, Object>> byDigest, ConformanceData.Blob manifest,
                                         String mediaType, String artifactType) {
        Map<String, Object> d = byDigest.get(manifest.digest());
        assertTrue(d != null, "no descriptor for " + manifest.digest() + " in " + byDigest.keySet());
        assertEquals(mediaType, d.get("mediaType"), "mediaType of " + d);
        assertEquals(manifest.length(), ((Number) d.get("size")).intValue(), "size of " + d);
        assertEquals(artifactType, d.get("artifactType"), "artifactType of " + d);
    }

    @Test
    @DisplayName("GET request to missing manifest should yield 200")
    void referrersOfMissingSubject() {
        suite.discoveryReferrersOfMissingSubject();
    }

    // ---------------------------------------------------------------- teardown / whole workflow

    @Test
    @DisplayName("Teardown with OCI_DELETE_MANIFEST_BEFORE_BLOBS=1 (suite default)")
    void teardownDeletingManifestsBeforeBlobs() {
        suite.deleteManifestBeforeBlobs = true;
        suite.discoveryTeardown();
        Response tags = client.listTags(suite.name, null, null);
        assertEquals(200, tags.status(), "Berth: tag list of a repository whose tags are all gone: " + tags);
        assertEquals(List.of(), tags.tags(), "Berth: tags go with the manifests deleted by digest");
    }

    @Test
    @DisplayName("Teardown with OCI_DELETE_MANIFEST_BEFORE_BLOBS=0")
    void teardownDeletingBlobsBeforeManifests() {
        suite.deleteManifestBeforeBlobs = false;
        suite.discoveryTeardown();
    }

    @Test
    @DisplayName("Whole Content Discovery workflow in suite order, on a fresh repository")
    void wholeWorkflowInSuiteOrder() {
        ConformanceSuite fresh = newSuite(new ConformanceData());
        fresh.runDiscovery();
    }
}
