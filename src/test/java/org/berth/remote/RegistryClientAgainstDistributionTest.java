package org.berth.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.berth.domain.Descriptor;
import org.berth.domain.Digest;
import org.berth.domain.MediaTypes;
import org.berth.support.Distribution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write side against the real thing: Debian's {@code docker-registry} (CNCF Distribution 2.8.2)
 * on a free loopback port with filesystem storage in a temp dir. Skipped when it is not installed.
 * Each test has its own repository. Distribution 2.8 has no referrers API: the tag schema is used.
 */
class RegistryClientAgainstDistributionTest {

    @TempDir
    static Path dir;
    private static Distribution registry;
    private static RemoteRegistry endpoint;
    private static RegistryClient client;

    @BeforeAll
    static void startDistribution() throws Exception {
        Assumptions.assumeTrue(Distribution.binary().isPresent(), "docker-registry (Distribution) is not installed");
        registry = Distribution.start(dir);
        endpoint = RemoteRegistry.anonymous("distribution", registry.url(), true);
        client = new RegistryClient(new RegistryClient.Settings(Duration.ofSeconds(2), Duration.ofSeconds(10), 3, Duration.ofMillis(50)));
        client.ping(endpoint);
    }

    @AfterAll
    static void stopDistribution() throws Exception {
        if (client != null) {
            client.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] pull(RemoteRegistry r, String repository, String digest) throws Exception {
        try (RemoteBlob blob = client.getBlob(r, repository, digest)) {
            return blob.body().readAllBytes();
        }
    }

    @Test
    void smallAndChunkedPushesArriveWithTheirDigests() throws Exception {
        byte[] small = random(1_000, 1);
        byte[] big = random(1024 * 1024 + 3, 2);
        String smallDigest = Digest.sha256(small).toString();
        String bigDigest = Digest.sha256(big).toString();
        assertFalse(client.blobExists(endpoint, "push/blobs", bigDigest));

        PushedBlob one = client.pushBlob(endpoint, "push/blobs", smallDigest, BlobSource.of(small), BlobPush.defaults());
        PushedBlob chunked = client.pushBlob(endpoint, "push/blobs", bigDigest, BlobSource.of(big),
                BlobPush.defaults().withChunkSize(256 * 1024));

        assertFalse(one.chunked());
        assertTrue(chunked.chunked());
        assertEquals(big.length, chunked.bytesSent());
        assertTrue(client.blobExists(endpoint, "push/blobs", bigDigest));
        assertEquals(big.length, client.headBlob(endpoint, "push/blobs", bigDigest));
        assertArrayEquals(big, pull(endpoint, "push/blobs", bigDigest));
        assertArrayEquals(small, pull(endpoint, "push/blobs", smallDigest));
    }

    @Test
    void aChunkCutOffMidwayIsCompletedAfterAll() throws Exception {
        byte[] big = random(1024 * 1024, 3);
        String digest = Digest.sha256(big).toString();
        try (CuttingProxy proxy = new CuttingProxy(endpoint.url().getPort(), 2, 100_000)) {
            RemoteRegistry viaProxy = RemoteRegistry.anonymous("cut", URI.create("http://127.0.0.1:" + proxy.port()), true);

            PushedBlob pushed = client.pushBlob(viaProxy, "push/resumed", digest, BlobSource.of(big),
                    BlobPush.defaults().withChunkSize(256 * 1024));

            assertEquals(1, proxy.cuts.get(), "the second PATCH was cut");
            assertEquals(1, pushed.resumes(), pushed.toString());
            // Distribution 2.8 signs the offset into the session's Location (_state): after a cut PATCH
            // the stored size no longer matches it and the status GET answers 404, so the client
            // starts a new session (a registry that keeps the offset itself is resumed: see the fake)
            assertEquals(2, proxy.posts.get(), "a second session");
            assertTrue(pushed.bytesSent() > big.length + 256 * 1024, pushed.toString());
            assertArrayEquals(big, pull(endpoint, "push/resumed", digest));
        }
    }

    @Test
    void mountsFromAnotherRepositoryAndRefusesWhatIsNotThere() throws Exception {
        byte[] blob = random(5_000, 4);
        String digest = Digest.sha256(blob).toString();
        client.pushBlob(endpoint, "mount/source", digest, BlobSource.of(blob), BlobPush.defaults());

        assertTrue(client.mountBlob(endpoint, "mount/target", digest, "mount/source"));
        assertFalse(client.mountBlob(endpoint, "mount/other", "sha256:" + "0".repeat(64), "mount/source"));

        assertTrue(client.blobExists(endpoint, "mount/target", digest));
        assertArrayEquals(blob, pull(endpoint, "mount/target", digest));
    }

    /** Pushes a config and a layer and an OCI manifest of them under the tag; returns the manifest. */
    private static byte[] image(String repository, String tag, long seed) throws Exception {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":" + seed + "}").getBytes(StandardCharsets.UTF_8);
        byte[] layer = random(2_000, seed);
        client.pushBlob(endpoint, repository, Digest.sha256(config).toString(), BlobSource.of(config), BlobPush.defaults());
        client.pushBlob(endpoint, repository, Digest.sha256(layer).toString(), BlobSource.of(layer), BlobPush.defaults());
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + Digest.sha256(config) + "\",\"size\":" + config.length
                + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + Digest.sha256(layer)
                + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        PushedManifest pushed = client.putManifest(endpoint, repository, tag, MediaTypes.OCI_MANIFEST, manifest);
        assertEquals(Digest.sha256(manifest).toString(), pushed.digest());
        return manifest;
    }

    @Test
    void manifestsArePutPagedAndDeleted() throws Exception {
        byte[] manifest = image("push/manifests", "v1", 5);
        String digest = Digest.sha256(manifest).toString();
        for (String tag : List.of("v2", "v3", "v4", "v5")) {
            client.putManifest(endpoint, "push/manifests", tag, MediaTypes.OCI_MANIFEST, manifest);
        }

        RemoteManifest back = client.getManifest(endpoint, "push/manifests", "v3");
        TagCursor cursor = client.tags(endpoint, "push/manifests", 2);
        List<String> tags = new ArrayList<>();
        int pages = 0;
        while (cursor.hasNext()) {
            tags.addAll(cursor.next());
            pages++;
        }

        assertArrayEquals(manifest, back.bytes());
        assertEquals(digest, back.digest());
        // Distribution 2.8 ignores n on tags/list (its tag paging came with v3): every tag in one
        // page, in storage order, without a Link; the cursor ends after it
        assertEquals(List.of("v1", "v2", "v3", "v4", "v5"), tags.stream().sorted().toList());
        assertEquals(1, pages);
        assertTrue(client.deleteManifest(endpoint, "push/manifests", digest));
        assertFalse(client.deleteManifest(endpoint, "push/manifests", digest), "gone already");
    }

    @Test
    void referrersFallBackToTheTagSchemaWhichAClientMaintains() throws Exception {
        byte[] subject = image("push/referrers", "v1", 6);
        String subjectDigest = Digest.sha256(subject).toString();
        assertEquals(new Referrers(List.of(), true), client.listReferrers(endpoint, "push/referrers", subjectDigest, null));

        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        client.pushBlob(endpoint, "push/referrers", Digest.sha256(empty).toString(), BlobSource.of(empty), BlobPush.defaults());
        String sigType = "application/vnd.example.signature.v1+json";
        byte[] signature = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"artifactType\":\"" + sigType
                + "\",\"config\":{\"mediaType\":\"" + MediaTypes.OCI_EMPTY + "\",\"digest\":\"" + Digest.sha256(empty)
                + "\",\"size\":2},\"layers\":[{\"mediaType\":\"" + MediaTypes.OCI_EMPTY + "\",\"digest\":\"" + Digest.sha256(empty)
                + "\",\"size\":2}],\"subject\":{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + subjectDigest
                + "\",\"size\":" + subject.length + "}}").getBytes(StandardCharsets.UTF_8);
        String signatureDigest = Digest.sha256(signature).toString();
        PushedManifest pushed = client.putManifest(endpoint, "push/referrers", signatureDigest, MediaTypes.OCI_MANIFEST, signature);
        assertEquals(Optional.empty(), pushed.subject(), "Distribution 2.8 does not process subject");
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + signatureDigest + "\",\"size\":" + signature.length
                + ",\"artifactType\":\"" + sigType + "\"}]}").getBytes(StandardCharsets.UTF_8);
        client.putManifest(endpoint, "push/referrers", RegistryClient.referrersTag(subjectDigest), MediaTypes.OCI_INDEX, index);

        Referrers found = client.listReferrers(endpoint, "push/referrers", subjectDigest, sigType);
        Referrers other = client.listReferrers(endpoint, "push/referrers", subjectDigest, "application/spdx+json");

        assertTrue(found.fromTagSchema());
        assertEquals(List.of(new Descriptor(MediaTypes.OCI_MANIFEST, Digest.parse(signatureDigest), signature.length, sigType)),
                found.manifests());
        assertEquals(List.of(), other.manifests());
    }

    /**
     * A loopback TCP proxy to the registry that cuts the connection once: after the {@code nth}
     * PATCH request line it lets {@code after} more bytes through, then closes both sides.
     */
    static final class CuttingProxy implements AutoCloseable {
        private static final byte[] PATCH = "PATCH /v2/".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] POST = "POST /v2/".getBytes(StandardCharsets.US_ASCII);

        private final ServerSocket server;
        private final int target;
        private final int nth;
        private final long after;
        private final AtomicInteger patches = new AtomicInteger();
        final AtomicInteger cuts = new AtomicInteger();
        final AtomicInteger posts = new AtomicInteger();
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        CuttingProxy(int target, int nth, long after) throws IOException {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            this.target = target;
            this.nth = nth;
            this.after = after;
            Thread accept = new Thread(this::accept, "cutting-proxy");
            accept.setDaemon(true);
            accept.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket in = server.accept();
                    Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
                    sockets.add(in);
                    sockets.add(out);
                    pump(out.getInputStream(), in.getOutputStream(), null, null);
                    pump(in.getInputStream(), out.getOutputStream(), in, out);
                } catch (IOException e) {
                    return;
                }
            }
        }

        /** Copies one direction; the client-to-registry direction watches for the PATCH to cut. */
        private void pump(InputStream from, OutputStream to, Socket client, Socket upstream) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[8192];
                int matched = 0;
                int matchedPost = 0;
                long left = -1; // bytes still let through after the PATCH to cut
                try {
                    int n;
                    while ((n = from.read(buffer)) > 0) {
                        int pass = n;
                        if (client != null) {
                            for (int i = 0; i < n; i++) {
                                matchedPost = buffer[i] == POST[matchedPost] ? matchedPost + 1 : (buffer[i] == POST[0] ? 1 : 0);
                                if (matchedPost == POST.length) {
                                    matchedPost = 0;
                                    posts.incrementAndGet();
                                }
                            }
                            if (left >= 0) {
                                pass = 0; // armed: only the bytes still let through
                            }
                            for (int i = 0; i < n && left < 0; i++) {
                                matched = buffer[i] == PATCH[matched] ? matched + 1 : (buffer[i] == PATCH[0] ? 1 : 0);
                                if (matched == PATCH.length) {
                                    matched = 0;
                                    if (patches.incrementAndGet() == nth) {
                                        left = after; // counted from the request line: headers and body
                                        pass = i + 1;
                                    }
                                }
                            }
                            if (left >= 0) {
                                int extra = (int) Math.min(left, n - pass);
                                left -= extra;
                                pass += extra;
                            }
                        }
                        to.write(buffer, 0, pass);
                        to.flush();
                        if (left == 0) {
                            cuts.incrementAndGet();
                            client.close();
                            upstream.close();
                            return;
                        }
                    }
                } catch (IOException e) {
                    // one side closed
                } finally {
                    try {
                        to.close();
                    } catch (IOException e) {
                        // closing
                    }
                }
            }, "cutting-proxy-pump");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
