package org.berth.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class PlatformTest {

    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final String C = "sha256:" + "c".repeat(64);

    @Test
    void readsEachEntryOfAnIndexInOrder() {
        String index = """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":1,
                  "platform":{"architecture":"amd64","os":"linux"}},
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":1,
                  "platform":{"architecture":"arm","os":"linux","variant":"v7"}},
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":1,
                  "annotations":{"vnd.docker.reference.type":"attestation-manifest"}}]}""".formatted(A, B, C);
        assertEquals(List.of(
                new Platform(Digest.parse(A), "linux", "amd64", null),
                new Platform(Digest.parse(B), "linux", "arm", "v7"),
                new Platform(Digest.parse(C), null, null, null)),
                Platform.ofIndex(index.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void entriesWithoutAUsableDigestAreSkipped() {
        String index = "{\"manifests\":[{\"digest\":\"nope\"},{\"size\":3},7,{\"digest\":\"%s\"}]}".formatted(A);
        assertEquals(List.of(new Platform(Digest.parse(A), null, null, null)),
                Platform.ofIndex(index.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anImageManifestOrGarbageHasNoPlatforms() {
        assertTrue(Platform.ofIndex("{\"schemaVersion\":2,\"layers\":[]}".getBytes(StandardCharsets.UTF_8)).isEmpty());
        assertTrue(Platform.ofIndex("garbage".getBytes(StandardCharsets.UTF_8)).isEmpty());
    }
}
