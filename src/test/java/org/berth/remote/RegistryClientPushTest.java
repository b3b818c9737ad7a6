package org.berth.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.berth.domain.Digest;
import org.berth.remote.RemoteFailure.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Blob pushes: monolithic, chunked, resumed from the committed offset, given the time their bytes need, paced. */
class RegistryClientPushTest {

    static final String REPO = "team/app";
    static final String SESSION_PREFIX = "/v2/team/app/blobs/uploads/s";

    private FakeUpstream upstream;
    private FakeUploads uploads;
    private RegistryClient client;

    @BeforeEach
    void start() throws Exception {
        upstream = FakeUpstream.start();
        uploads = new FakeUploads(upstream, REPO);
        client = new RegistryClient(new RegistryClient.Settings(Duration.ofSeconds(2), Duration.ofMillis(400), 3, Duration.ofMillis(1)));
    }

    @AfterEach
    void stop() {
        client.close();
        upstream.close();
    }

    static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private List<FakeUpstream.Seen> sessionRequests(String method) {
        return upstream.seen.stream().filter(s -> s.path().startsWith(SESSION_PREFIX) && s.method().equals(method)).toList();
    }

    @Test
    void aSmallBlobGoesInOnePostThenPut() throws Exception {
        byte[] blob = random(10_000);
        String digest = Digest.sha256(blob).toString();
        uploads.serve(digest);
        assertFalse(client.blobExists(upstream.anonymous(), REPO, digest));

        PushedBlob pushed = client.pushBlob(upstream.anonymous(), REPO, digest, BlobSource.of(blob), BlobPush.defaults());

        assertEquals(new PushedBlob(digest, blob.length, blob.length, false, 0), pushed);
        assertArrayEquals(blob, uploads.blobs.get(digest));
        assertTrue(client.blobExists(upstream.anonymous(), REPO, digest));
        List<FakeUpstream.Seen> puts = sessionRequests("PUT");
        assertEquals(1, puts.size());
        assertTrue(puts.get(0).query().startsWith("_state=s1-0&digest=sha256%3A"), "the session's own query is kept: " + puts.get(0).query());
        assertEquals("application/octet-stream", puts.get(0).header("Content-Type").orElse(""));
        assertEquals(0, sessionRequests("PATCH").size());
    }

    @Test
    void aBigBlobGoesInChunksWithContentRange() throws Exception {
        byte[] blob = random(250_000);
        String digest = Digest.sha256(blob).toString();
        List<Long> progress = new CopyOnWriteArrayList<>();

        PushedBlob pushed = client.pushBlob(upstream.anonymous(), REPO, digest, BlobSource.of(blob),
                BlobPush.defaults().withChunkSize(100_000).withProgress((bytes, size) -> progress.add(bytes)));

        assertEquals(new PushedBlob(digest, blob.length, blob.length, true, 0), pushed);
        assertArrayEquals(blob, uploads.blobs.get(digest));
        assertEquals(List.of("0-99999", "100000-199999", "200000-249999"),
                sessionRequests("PATCH").stream().map(s -> s.header("Content-Range").orElse("")).toList());
        assertEquals("", sessionRequests("PUT").get(0).header("Content-Length").map(l -> l.equals("0") ? "" : l).orElse(""));
        assertEquals(250_000L, progress.get(progress.size() - 1));
    }

    @Test
    void aDroppedConnectionMidChunkResumesFromTheCommittedOffset() throws Exception {
        byte[] blob = random(300_000);
        String digest = Digest.sha256(blob).toString();
        uploads.failPatch(2, 40_000, FakeUploads.Fault.DROP); // the second chunk: 40,000 of its 100,000 bytes arrive

        PushedBlob pushed = client.pushBlob(upstream.anonymous(), REPO, digest, BlobSource.of(blob),
                BlobPush.defaults().withChunkSize(100_000));

        assertArrayEquals(blob, uploads.blobs.get(digest), "the stored blob has the digest");
        assertEquals(List.of(new FakeUploads.Patch(0, 100_000, true), new FakeUploads.Patch(100_000, 40_000, false),
                new FakeUploads.Patch(140_000, 60_000, true), new FakeUploads.Patch(200_000, 100_000, true)), uploads.patches,
                "after the drop only the bytes from the committed offset 140000 are sent again");
        assertEquals(1, pushed.resumes());
        assertEquals(1, sessionRequests("GET").size(), "the session's Range was asked once");
        assertEquals(1, upstream.seen("/v2/team/app/blobs/uploads/").size(), "no new session: resumed, not restarted");
    }

    /** Sessions kept in memory, as the replication engine keeps them in its database. */
    private static final class Kept implements BlobPush.Sessions {
        volatile java.net.URI session;
        volatile boolean done;

        @Override
        public java.util.Optional<java.net.URI> saved() {
            return java.util.Optional.ofNullable(session);
        }

        @Override
        public void save(java.net.URI s) {
            session = s;
        }

        @Override
        public void done() {
            done = true;
            session = null;
        }
    }

    @Test
    void aPushThatFailedForGoodIsContinuedByTheNextPushOfTheBlob() throws Exception {
        byte[] blob = random(300_000);
        String digest = Digest.sha256(blob).toString();
        uploads.failPatch(2, 40_000, FakeUploads.Fault.DROP); // the second chunk: 40,000 of its 100,000 bytes arrive
        Kept kept = new Kept();
        BlobPush once = BlobPush.defaults().withChunkSize(100_000).withAttempts(1).withSessions(kept);

        assertThrows(RemoteFailure.class, () -> client.pushBlob(upstream.anonymous(), REPO, digest, BlobSource.of(blob), once));
        assertTrue(kept.session != null && kept.session.getPath().startsWith(SESSION_PREFIX), "the session is kept: " + kept.session);

        PushedBlob pushed = client.pushBlob(upstream.anonymous(), REPO, digest, BlobSource.of(blob), once);

        assertArrayEquals(blob, uploads.blobs.get(digest), "the stored blob has the digest");
        assertEquals(1, upstream.seen("/v2/team/app/blobs/uploads/").size(), "no second session: the first one continued");
        assertEquals(new FakeUploads.Patch(140_000, 60_000, true), uploads.patches.get(2),
                "the second push sends from the offset the registry committed");
        assertEquals(1, pushed.resumes());
        assertTrue(kept.done, "a finished push forgets its session");
    }

    @Test
    void aKeptSessionOfAnotherOriginIsNotUsed() throws Exception {
        byte[] blob = random(250_000);
        String digest = Digest.sha256(blob).toString();
        Kept kept = new Kept();
        kept.session = java.net.URI.create("http://127.0.0.1:1/v2/team/app/blobs/uploads/elsewhere");

        client.pushBlob(upstream.anonymous(), REPO, digest, BlobSource.of(blob),
                BlobPush.defaults().withChunkSize(100_000).withSessions(kept));

        assertArrayEquals(blob, uploads.blobs.get(digest));
        assertEquals(1, upstream.seen("/v2/team/app/blobs/uploads/").size(), "a new session on the registry itself");
    }

    @Test
    void aServerErrorMidChunkResumesFromTheCommittedOffset() throws Exception {
        byte[] blob = random(300_000);
        String digest = Digest.sha256(blob).toString();
        uploads.failPatch(3, 30_000, FakeUploads.Fault.SERVER_ERROR);

        PushedBlob pushed = client.pushBlob(upstream.anonymous(), REPO, digest, BlobSource.of(blob),
                BlobPush.defaults().withChunkSize(100_000));

        assertArrayEquals(blob, uploads.blobs.get(digest));
        assertEquals(List.of(0L, 100_000L, 200_000L, 230_000L), uploads.patches.stream().map(FakeUploads.Patch::start).toList());
        assertEquals(70_000, uploads.patches.get(3).received());
        assertEquals(1, pushed.resumes());
    }

    @Test
    void aLostSessionStartsOverAndAFailureThatKeepsComingEnds() throws Exception {
        byte[] blob = random(200_000);
        String digest = Digest.sha256(blob).toString();
        // a PATCH to a session the registry does not know: 404, and the GET says the same
        upstream.onRaw("/v2/team/app/blobs/uploads/", ex -> {
            ex.getRequestBody().readAllBytes();
            FakeUpstream.send(ex, 202, null, new byte[0], "Location", "/v2/team/app/blobs/uploads/gone");
        });

        RemoteFailure f = assertThrows(RemoteFailure.class, () -> client.pushBlob(upstream.anonymous(), REPO, digest,
                BlobSource.of(blob), BlobPush.defaults().withChunkSize(100_000).withAttempts(3)));

        assertEquals(Reason.NOT_FOUND, f.reason());
        assertEquals(3, upstream.seen("/v2/team/app/blobs/uploads/").size(), "started again, a bounded number of times");
    }

    @Test
    @Timeout(30)
    void aSlowButSteadyRegistryDoesNotTimeOutABigChunk() throws Exception {
        byte[] blob = random(1024 * 1024);
        String digest = Digest.sha256(blob).toString();
        uploads.slowReader(50); // 640 KB/s: a 512 KiB chunk takes ~0.8 s, twice the 400 ms response timeout

        long started = System.nanoTime();
        PushedBlob pushed = client.pushBlob(upstream.anonymous(), REPO, digest, BlobSource.of(blob),
                BlobPush.defaults().withChunkSize(512 * 1024));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertArrayEquals(blob, uploads.blobs.get(digest));
        assertEquals(0, pushed.resumes(), "no chunk timed out");
        assertTrue(millis > 1200, "the registry really was slower than the response timeout per chunk: " + millis + " ms");
    }

    @Test
    @Timeout(30)
    void aStalledRegistryStillTimesOut() throws Exception {
        RegistryClient strict = new RegistryClient(new RegistryClient.Settings(Duration.ofSeconds(2), Duration.ofMillis(300), 3,
                Duration.ofMillis(1), 100L * 1024 * 1024));
        try (strict) {
            byte[] blob = random(200_000);
            String digest = Digest.sha256(blob).toString();
            uploads.failPatch(1, 10_000, FakeUploads.Fault.STALL);

            long started = System.nanoTime();
            RemoteFailure f = assertThrows(RemoteFailure.class, () -> strict.pushBlob(upstream.anonymous(), REPO, digest,
                    BlobSource.of(blob), BlobPush.defaults().withChunkSize(100_000).withAttempts(1)));

            assertEquals(Reason.TIMEOUT, f.reason());
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(3), "the deadline, not the 5 s stall");
        }
    }

    @Test
    @Timeout(30)
    void theBandwidthCapIsRoughlyRespected() throws Exception {
        byte[] blob = random(600 * 1024);
        String digest = Digest.sha256(blob).toString();

        long started = System.nanoTime();
        client.pushBlob(upstream.anonymous(), REPO, digest, BlobSource.of(blob),
                BlobPush.defaults().withChunkSize(256 * 1024).withBandwidth(300 * 1024));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertArrayEquals(blob, uploads.blobs.get(digest));
        // 600 KiB at 300 KiB/s is 2 s; a quarter second of burst is allowed
        assertTrue(millis >= 1600, "too fast for the cap: " + millis + " ms");
        assertTrue(millis < 10_000, "far slower than the cap: " + millis + " ms");
    }

    @Test
    void aSourceThatCannotBeReadIsNotBlamedOnTheRegistry() {
        BlobSource broken = new BlobSource() {
            @Override
            public long size() {
                return 1000;
            }

            @Override
            public java.io.InputStream open(long offset) throws java.io.IOException {
                throw new java.io.IOException("disk gone");
            }
        };

        RemoteFailure f = assertThrows(RemoteFailure.class, () -> client.pushBlob(upstream.anonymous(), REPO,
                "sha256:" + "a".repeat(64), broken, BlobPush.defaults()));

        assertEquals(Reason.INVALID, f.reason());
        assertTrue(f.getMessage().contains("local blob"), f.getMessage());
        assertEquals(1, upstream.seen("/v2/team/app/blobs/uploads/").size(), "not retried");
    }
}
