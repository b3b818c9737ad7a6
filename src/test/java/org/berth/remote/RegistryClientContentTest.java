package org.berth.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.berth.domain.Digest;
import org.berth.domain.MediaTypes;
import org.berth.remote.RemoteFailure.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the reads return: manifests and their digests, blob sizes, tag pages. */
class RegistryClientContentTest {

    static final byte[] INDEX = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[]}")
            .getBytes(StandardCharsets.UTF_8);
    static final String INDEX_DIGEST = Digest.sha256(INDEX).toString();
    static final String TAG_PATH = "/v2/library/nginx/manifests/1.27";

    private FakeUpstream upstream;
    private RegistryClient client;

    @BeforeEach
    void start() throws Exception {
        upstream = FakeUpstream.start();
        client = new RegistryClient(new RegistryClient.Settings(Duration.ofSeconds(2), Duration.ofSeconds(5), 3, Duration.ofMillis(1)));
    }

    @AfterEach
    void stop() {
        client.close();
        upstream.close();
    }

    @Test
    void aManifestsDigestIsTheHeaderWhenItMatchesTheBytes() throws Exception {
        upstream.on(TAG_PATH, ex -> FakeUpstream.send(ex, 200, MediaTypes.OCI_INDEX + "; charset=utf-8", INDEX,
                "Docker-Content-Digest", INDEX_DIGEST));

        RemoteManifest m = client.getManifest(upstream.anonymous(), "library/nginx", "1.27");

        assertEquals(INDEX_DIGEST, m.digest());
        assertEquals(MediaTypes.OCI_INDEX, m.mediaType());
        assertArrayEquals(INDEX, m.bytes());
        String accept = upstream.seen(TAG_PATH).get(0).header("Accept").orElse("");
        for (String type : List.of(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST)) {
            assertTrue(accept.contains(type), accept);
        }
    }

    @Test
    void withoutTheHeaderTheDigestIsComputedAndTheMediaTypeRead() throws Exception {
        upstream.on(TAG_PATH, ex -> FakeUpstream.send(ex, 200, "application/json", INDEX));

        RemoteManifest m = client.getManifest(upstream.anonymous(), "library/nginx", "1.27");

        assertEquals(INDEX_DIGEST, m.digest());
        assertEquals(MediaTypes.OCI_INDEX, m.mediaType(), "from the document when Content-Type says only json");
    }

    @Test
    void aHeaderDigestThatDoesNotMatchTheBytesIsInvalid() {
        upstream.on(TAG_PATH, ex -> FakeUpstream.send(ex, 200, MediaTypes.OCI_INDEX, INDEX,
                "Docker-Content-Digest", "sha256:" + "c".repeat(64)));

        RemoteFailure f = assertThrows(RemoteFailure.class, () -> client.getManifest(upstream.anonymous(), "library/nginx", "1.27"));

        assertEquals(Reason.INVALID, f.reason());
        assertEquals(200, f.status());
    }

    @Test
    void aManifestByDigestMustHaveThatDigest() throws Exception {
        String wrong = "sha256:" + "d".repeat(64);
        upstream.on("/v2/library/nginx/manifests/" + wrong, ex -> FakeUpstream.send(ex, 200, MediaTypes.OCI_INDEX, INDEX));
        upstream.on("/v2/library/nginx/manifests/" + INDEX_DIGEST, ex -> FakeUpstream.send(ex, 200, MediaTypes.OCI_INDEX, INDEX));

        RemoteFailure f = assertThrows(RemoteFailure.class, () -> client.getManifest(upstream.anonymous(), "library/nginx", wrong));

        assertEquals(Reason.INVALID, f.reason());
        assertEquals(INDEX_DIGEST, client.getManifest(upstream.anonymous(), "library/nginx", INDEX_DIGEST).digest());
    }

    @Test
    void anOversizeManifestIsRefusedWithOrWithoutContentLength() {
        byte[] huge = new byte[RegistryClient.MAX_MANIFEST_BYTES + 1];
        Arrays.fill(huge, (byte) ' ');
        upstream.on(TAG_PATH, ex -> FakeUpstream.send(ex, 200, MediaTypes.OCI_MANIFEST, huge));
        upstream.on("/v2/library/nginx/manifests/chunked", ex -> FakeUpstream.sendChunked(ex, 200, MediaTypes.OCI_MANIFEST, huge));

        RemoteFailure declared = assertThrows(RemoteFailure.class, () -> client.getManifest(upstream.anonymous(), "library/nginx", "1.27"));
        RemoteFailure chunked = assertThrows(RemoteFailure.class, () -> client.getManifest(upstream.anonymous(), "library/nginx", "chunked"));

        assertEquals(Reason.INVALID, declared.reason());
        assertEquals(Reason.INVALID, chunked.reason());
        assertTrue(chunked.getMessage().contains("larger than"), chunked.getMessage());
    }

    @Test
    void headOfAManifestTellsDigestTypeAndSize() throws Exception {
        upstream.on(TAG_PATH, ex -> FakeUpstream.send(ex, 200, MediaTypes.OCI_INDEX, INDEX, "Docker-Content-Digest", INDEX_DIGEST));
        upstream.on("/v2/library/nginx/manifests/nodigest", ex -> FakeUpstream.send(ex, 200, MediaTypes.OCI_INDEX, INDEX));

        RemoteManifest.Head head = client.headManifest(upstream.anonymous(), "library/nginx", "1.27");
        RemoteFailure f = assertThrows(RemoteFailure.class, () -> client.headManifest(upstream.anonymous(), "library/nginx", "nodigest"));

        assertEquals(new RemoteManifest.Head(INDEX_DIGEST, MediaTypes.OCI_INDEX, INDEX.length), head);
        assertEquals("HEAD", upstream.seen(TAG_PATH).get(0).method());
        assertEquals(Reason.INVALID, f.reason());
    }

    @Test
    void blobSizesComeFromContentLength() throws Exception {
        String digest = "sha256:" + "e".repeat(64);
        byte[] blob = "some layer".getBytes(StandardCharsets.UTF_8);
        upstream.on("/v2/library/nginx/blobs/" + digest, ex -> {
            if (ex.getRequestMethod().equals("HEAD")) {
                ex.sendResponseHeaders(200, -1); // no Content-Length
            } else {
                FakeUpstream.sendChunked(ex, 200, "application/octet-stream", blob);
            }
        });
        upstream.on("/v2/library/other/blobs/" + digest, ex -> FakeUpstream.send(ex, 200, "application/octet-stream", blob));

        assertEquals(blob.length, client.headBlob(upstream.anonymous(), "library/other", digest));
        RemoteFailure noSize = assertThrows(RemoteFailure.class, () -> client.headBlob(upstream.anonymous(), "library/nginx", digest));
        assertEquals(Reason.INVALID, noSize.reason());
        try (RemoteBlob b = client.getBlob(upstream.anonymous(), "library/nginx", digest)) {
            assertEquals(-1, b.size());
            assertArrayEquals(blob, b.body().readAllBytes());
        }
    }

    @Test
    void tagsArePagedThroughTheLinkHeader() throws Exception {
        upstream.on("/v2/library/nginx/tags/list", ex -> {
            String query = ex.getRequestURI().getRawQuery();
            if ("n=2".equals(query)) {
                FakeUpstream.json(ex, 200, "{\"name\":\"library/nginx\",\"tags\":[\"1.26\",\"1.27\"]}",
                        "Link", "</v2/library/nginx/tags/list?n=2&last=1.27>; rel=\"next\"");
            } else {
                FakeUpstream.json(ex, 200, "{\"name\":\"library/nginx\",\"tags\":[\"latest\"]}");
            }
        });

        TagPage first = client.listTags(upstream.anonymous(), "library/nginx", 2, null);
        TagPage second = client.listTags(upstream.anonymous(), "library/nginx", 2, first.next().orElseThrow());

        assertEquals(new TagPage(List.of("1.26", "1.27"), Optional.of("1.27")), first);
        assertEquals(new TagPage(List.of("latest"), Optional.empty()), second);
        assertEquals("n=2&last=1.27", upstream.seen("/v2/library/nginx/tags/list").get(1).query());
    }

    @Test
    void aTagListThatIsNotJsonIsInvalid() {
        upstream.on("/v2/library/nginx/tags/list", ex -> FakeUpstream.send(ex, 200, "text/html", "<html>".getBytes(StandardCharsets.UTF_8)));

        RemoteFailure f = assertThrows(RemoteFailure.class, () -> client.listTags(upstream.anonymous(), "library/nginx", 0, null));

        assertEquals(Reason.INVALID, f.reason());
    }

    @Test
    void namesThatCouldLeaveThePathAreRefusedBeforeAnyRequest() {
        assertThrows(IllegalArgumentException.class, () -> client.getManifest(upstream.anonymous(), "../etc", "1.27"));
        assertThrows(IllegalArgumentException.class, () -> client.getManifest(upstream.anonymous(), "library/nginx", "../x"));
        assertThrows(IllegalArgumentException.class, () -> client.getBlob(upstream.anonymous(), "library/nginx", "sha256:xyz"));
        assertEquals(List.of(), upstream.seen);
    }
}
