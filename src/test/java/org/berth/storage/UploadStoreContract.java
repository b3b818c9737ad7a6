package org.berth.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.berth.domain.Digest;
import org.berth.domain.DigestAlgorithm;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link UploadStore} must do (OCI dist-spec "Pushing blobs": monolithic and chunked
 * uploads, resumable across restarts). An implementation's test extends this class.
 */
abstract class UploadStoreContract {

    protected static final RepositoryName REPO = new RepositoryName("team/app");
    protected static final RepositoryName OTHER = new RepositoryName("team/other");
    protected static final OptionalLong NONE = OptionalLong.empty();
    protected static final String OWNER = "alice";

    /** An upload store and the blob store its commits land in. */
    protected record Stores(UploadStore uploads, BlobStore blobs) {
    }

    /** Stores over fresh, empty storage. */
    protected abstract Stores newStores() throws Exception;

    /** New instances over the same storage, as after a restart of the server. */
    protected abstract Stores restartedStores() throws Exception;

    protected UploadStore uploads;
    protected BlobStore blobs;

    @BeforeEach
    void createStores() throws Exception {
        Stores stores = newStores();
        uploads = stores.uploads();
        blobs = stores.blobs();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    protected UploadSession append(String id, byte[] chunk, long start) {
        return uploads.append(REPO, id, new ByteArrayInputStream(chunk), OptionalLong.of(start), OptionalLong.of(chunk.length));
    }

    protected void assertUnknown(RepositoryName repository, String id) {
        assertThrows(RegistryException.BlobUploadUnknown.class, () -> uploads.status(repository, id));
    }

    // ------------------------------------------------------------------ size limit (a project's quota)

    @Test
    void appendsUpToTheMaxSizeExactlySucceed() {
        byte[] content = random(3000, 61);
        String id = uploads.create(REPO, OWNER).id();
        uploads.append(REPO, id, new ByteArrayInputStream(Arrays.copyOfRange(content, 0, 1000)), NONE, NONE, 3000);
        uploads.append(REPO, id, new ByteArrayInputStream(Arrays.copyOfRange(content, 1000, 3000)), NONE, NONE, 3000);
        assertEquals(3000, uploads.commit(REPO, id, Digest.sha256(content)));
    }

    @Test
    void streamedBytesPastTheMaxSizeAreRefusedAndTheSessionIsDiscarded() {
        String id = uploads.create(REPO, OWNER).id();
        append(id, random(1000, 62), 0);
        UploadTooLarge refused = assertThrows(UploadTooLarge.class, () -> uploads.append(REPO, id,
                new ByteArrayInputStream(random(2001, 63)), NONE, NONE, 3000));
        assertEquals(3000, refused.maxSize());
        assertEquals(3001, refused.atLeast());
        assertUnknown(REPO, id);
    }

    @Test
    void aDeclaredLengthPastTheMaxSizeIsRefusedUnread() {
        String id = uploads.create(REPO, OWNER).id();
        append(id, random(1000, 64), 0);
        java.io.InputStream unread = new java.io.InputStream() {
            @Override
            public int read() {
                throw new AssertionError("the body was read");
            }
        };
        UploadTooLarge refused = assertThrows(UploadTooLarge.class, () -> uploads.append(REPO, id, unread,
                OptionalLong.of(1000), OptionalLong.of(50_000_000), 3000));
        assertEquals(50_001_000, refused.atLeast());
        assertUnknown(REPO, id);
    }

    // ------------------------------------------------------------------ adopting a verified file (the proxy cache's spool)

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path spoolDir;

    @Test
    void aVerifiedFileIsAdoptedAsTheBlobAndLeftWhereItIs() throws Exception {
        byte[] content = random(300_000, 71);
        Digest digest = Digest.sha256(content);
        java.nio.file.Path spool = java.nio.file.Files.write(spoolDir.resolve("spool"), content);
        long size = uploads.adopt(REPO, spool, digest, content.length, OWNER, (n, install) -> {
            install.run();
            return n;
        });
        assertEquals(content.length, size);
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        blobs.open(digest).orElseThrow().writeTo(got, 0, content.length);
        assertArrayEquals(content, got.toByteArray());
        assertArrayEquals(content, java.nio.file.Files.readAllBytes(spool));
        assertEquals(0, uploads.sessions().count());
    }

    @Test
    void anAdoptionTheCommitterRefusesStoresNothing() throws Exception {
        byte[] content = random(5000, 72);
        Digest digest = Digest.sha256(content);
        java.nio.file.Path spool = java.nio.file.Files.write(spoolDir.resolve("spool"), content);
        assertThrows(RegistryException.Denied.class, () -> uploads.adopt(REPO, spool, digest, content.length, OWNER,
                (n, install) -> {
                    throw new RegistryException.Denied("quota");
                }));
        assertTrue(blobs.open(digest).isEmpty());
        assertEquals(0, uploads.sessions().count());
    }

    // ------------------------------------------------------------------ sessions

    @Test
    void newSessionIsEmpty() {
        UploadSession session = uploads.create(REPO, OWNER);
        assertEquals(REPO, session.repository());
        assertEquals(0, session.size());
        assertEquals(session, uploads.status(REPO, session.id()));
    }

    @Test
    void sessionIdsAreDistinct() {
        assertNotEquals(uploads.create(REPO, OWNER).id(), uploads.create(REPO, OWNER).id());
    }

    @Test
    void monolithicUpload() {
        byte[] content = bytes("hello, registry");
        Digest digest = Digest.sha256(content);
        String id = uploads.create(REPO, OWNER).id();

        UploadSession after = uploads.append(REPO, id, new ByteArrayInputStream(content), NONE, NONE);
        assertEquals(content.length, after.size());
        assertEquals(content.length, uploads.commit(REPO, id, digest));

        assertArrayEquals(content, blobs.readSmall(digest).orElseThrow());
        assertUnknown(REPO, id);
    }

    @Test
    void chunkedUploadWithStartOffsets() {
        byte[] content = random(100_000, 1);
        Digest digest = Digest.sha256(content);
        String id = uploads.create(REPO, OWNER).id();

        assertEquals(30_000, append(id, Arrays.copyOfRange(content, 0, 30_000), 0).size());
        assertEquals(30_001, append(id, Arrays.copyOfRange(content, 30_000, 30_001), 30_000).size());
        assertEquals(100_000, append(id, Arrays.copyOfRange(content, 30_001, 100_000), 30_001).size());
        assertEquals(100_000, uploads.status(REPO, id).size());

        assertEquals(100_000, uploads.commit(REPO, id, digest));
        assertArrayEquals(content, blobs.readSmall(digest).orElseThrow());
    }

    @Test
    void chunksLargerThanAnyCopyBufferHashCorrectly() {
        byte[] content = random(3 * 1024 * 1024 + 17, 2);
        Digest digest = Digest.sha256(content);
        String id = uploads.create(REPO, OWNER).id();
        append(id, Arrays.copyOfRange(content, 0, 1_500_000), 0);
        uploads.append(REPO, id, new ByteArrayInputStream(Arrays.copyOfRange(content, 1_500_000, content.length)), NONE, NONE);
        assertEquals(content.length, uploads.commit(REPO, id, digest));
        assertEquals(content.length, blobs.size(digest).orElseThrow());
    }

    @Test
    void emptyUploadCommitsTheEmptyBlob() {
        Digest empty = Digest.sha256(new byte[0]);
        String id = uploads.create(REPO, OWNER).id();
        assertEquals(0, uploads.commit(REPO, id, empty));
        assertEquals(Optional.of(0L), blobs.size(empty));
    }

    @Test
    void emptyChunkChangesNothing() {
        String id = uploads.create(REPO, OWNER).id();
        append(id, bytes("abc"), 0);
        assertEquals(3, append(id, new byte[0], 3).size());
        assertEquals(3, uploads.commit(REPO, id, Digest.sha256(bytes("abc"))));
    }

    // ------------------------------------------------------------------ ranges

    @Test
    void chunkAtTheWrongOffsetIsRefusedAndTheSessionSurvives() {
        String id = uploads.create(REPO, OWNER).id();
        append(id, bytes("12345"), 0);

        for (long wrong : new long[] {0, 3, 4, 6, 100}) {
            var e = assertThrows(RegistryException.RangeInvalid.class, () -> append(id, bytes("67890"), wrong),
                    "start " + wrong);
            assertEquals(5, e.committed(), "the error says where to resume");
        }
        assertEquals(5, uploads.status(REPO, id).size());

        append(id, bytes("67890"), 5);
        assertEquals(10, uploads.commit(REPO, id, Digest.sha256(bytes("1234567890"))));
    }

    @Test
    void chunkShorterThanDeclaredIsRefusedAndDropped() {
        String id = uploads.create(REPO, OWNER).id();
        append(id, bytes("first-"), 0);

        var e = assertThrows(RegistryException.RangeInvalid.class, () -> uploads.append(REPO, id,
                new ByteArrayInputStream(bytes("bad")), OptionalLong.of(6), OptionalLong.of(10)));
        assertEquals(6, e.committed());
        assertEquals(6, uploads.status(REPO, id).size(), "the partial chunk is gone");

        append(id, bytes("second"), 6);
        assertEquals(12, uploads.commit(REPO, id, Digest.sha256(bytes("first-second"))),
                "the running hash does not remember the dropped bytes");
    }

    @Test
    void chunkLongerThanDeclaredIsRefusedAndDropped() {
        String id = uploads.create(REPO, OWNER).id();
        var e = assertThrows(RegistryException.RangeInvalid.class, () -> uploads.append(REPO, id,
                new ByteArrayInputStream(bytes("too many bytes")), NONE, OptionalLong.of(3)));
        assertEquals(0, e.committed());
        assertEquals(0, uploads.status(REPO, id).size());

        append(id, bytes("ok"), 0);
        assertEquals(2, uploads.commit(REPO, id, Digest.sha256(bytes("ok"))));
    }

    @Test
    void concurrentChunksAtTheSameOffsetAdmitOnlyOne() throws Exception {
        String id = uploads.create(REPO, OWNER).id();
        byte[] chunk = random(200_000, 5);
        int clients = 6;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        int accepted = 0;
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<UploadSession>> results = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return append(id, chunk, 0);
                }));
            }
            go.countDown();
            for (Future<UploadSession> f : results) {
                try {
                    assertEquals(chunk.length, f.get(30, TimeUnit.SECONDS).size());
                    accepted++;
                } catch (ExecutionException e) {
                    assertInstanceOf(RegistryException.RangeInvalid.class, e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, accepted);
        assertEquals(chunk.length, uploads.commit(REPO, id, Digest.sha256(chunk)));
    }

    // ------------------------------------------------------------------ commit

    @Test
    void wrongDigestDiscardsTheSessionAndStoresNothing() {
        byte[] content = bytes("payload");
        Digest actual = Digest.sha256(content);
        Digest claimed = Digest.sha256(bytes("something else"));
        String id = uploads.create(REPO, OWNER).id();
        append(id, content, 0);

        var e = assertThrows(RegistryException.DigestInvalid.class, () -> uploads.commit(REPO, id, claimed));
        assertEquals(Map.of("expected", claimed.toString(), "actual", actual.toString()), e.detail());
        assertUnknown(REPO, id);
        assertEquals(Optional.empty(), blobs.size(claimed));
        assertEquals(Optional.empty(), blobs.size(actual));
    }

    @Test
    void wrongAlgorithmDigestIsAMismatchToo() {
        byte[] content = bytes("payload");
        String id = uploads.create(REPO, OWNER).id();
        append(id, content, 0);
        Digest sha512OfOther = Digest.of(DigestAlgorithm.SHA512, bytes("other"));
        assertThrows(RegistryException.DigestInvalid.class, () -> uploads.commit(REPO, id, sha512OfOther));
        assertUnknown(REPO, id);
    }

    @Test
    void sha512Commit() {
        byte[] content = random(70_000, 9);
        Digest digest = Digest.of(DigestAlgorithm.SHA512, content);
        String id = uploads.create(REPO, OWNER).id();
        append(id, Arrays.copyOfRange(content, 0, 10), 0);
        append(id, Arrays.copyOfRange(content, 10, content.length), 10);

        assertEquals(content.length, uploads.commit(REPO, id, digest));
        assertArrayEquals(content, blobs.readSmall(digest).orElseThrow());
        assertEquals(Optional.empty(), blobs.size(Digest.sha256(content)), "stored under the digest named, only");
    }

    @Test
    void committedSessionCannotBeCommittedAgain() {
        byte[] content = bytes("once");
        String id = uploads.create(REPO, OWNER).id();
        append(id, content, 0);
        uploads.commit(REPO, id, Digest.sha256(content));
        assertThrows(RegistryException.BlobUploadUnknown.class, () -> uploads.commit(REPO, id, Digest.sha256(content)));
        assertThrows(RegistryException.BlobUploadUnknown.class, () -> append(id, content, 4));
    }

    @Test
    void committingContentThatIsAlreadyStoredSucceeds() {
        byte[] content = bytes("dup");
        Digest digest = Digest.sha256(content);
        blobs.putSmall(digest, content);
        String id = uploads.create(REPO, OWNER).id();
        append(id, content, 0);
        assertEquals(3, uploads.commit(REPO, id, digest));
        assertArrayEquals(content, blobs.readSmall(digest).orElseThrow());
        assertUnknown(REPO, id);
    }

    @Test
    void twoConcurrentCommitsOfTheSameContentBothSucceed() throws Exception {
        byte[] content = random(500_000, 11);
        Digest digest = Digest.sha256(content);
        int clients = 4;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            String id = uploads.create(REPO, OWNER).id();
            append(id, content, 0);
            ids.add(id);
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Long>> results = new ArrayList<>();
            for (String id : ids) {
                results.add(pool.submit(() -> {
                    go.await();
                    return uploads.commit(REPO, id, digest);
                }));
            }
            go.countDown();
            for (Future<Long> f : results) {
                assertEquals(content.length, f.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertArrayEquals(content, blobs.readSmall(digest).orElseThrow());
        ids.forEach(id -> assertUnknown(REPO, id));
    }

    @Test
    void cancelDiscardsTheSession() {
        String id = uploads.create(REPO, OWNER).id();
        append(id, bytes("abandoned"), 0);
        uploads.cancel(REPO, id);
        assertUnknown(REPO, id);
        assertThrows(RegistryException.BlobUploadUnknown.class,
                () -> uploads.commit(REPO, id, Digest.sha256(bytes("abandoned"))));
        assertThrows(RegistryException.BlobUploadUnknown.class, () -> uploads.cancel(REPO, id));
    }

    // ------------------------------------------------------------------ restart

    @Test
    void uploadResumesAfterRestart() throws Exception {
        byte[] content = random(400_000, 13);
        Digest digest = Digest.sha256(content);
        String id = uploads.create(REPO, OWNER).id();
        append(id, Arrays.copyOfRange(content, 0, 123_457), 0);

        Stores restarted = restartedStores();
        uploads = restarted.uploads();
        blobs = restarted.blobs();

        assertEquals(123_457, uploads.status(REPO, id).size());
        append(id, Arrays.copyOfRange(content, 123_457, content.length), 123_457);
        assertEquals(content.length, uploads.commit(REPO, id, digest));
        assertArrayEquals(content, blobs.readSmall(digest).orElseThrow());
    }

    @Test
    void uploadCommitsAfterRestartWithoutFurtherChunks() throws Exception {
        byte[] content = random(50_000, 17);
        String id = uploads.create(REPO, OWNER).id();
        append(id, content, 0);

        uploads = restartedStores().uploads();
        assertEquals(content.length, uploads.commit(REPO, id, Digest.sha256(content)));
    }

    @Test
    void restartedStoreStillRefusesAWrongDigest() throws Exception {
        String id = uploads.create(REPO, OWNER).id();
        append(id, bytes("abc"), 0);
        uploads = restartedStores().uploads();
        assertThrows(RegistryException.DigestInvalid.class, () -> uploads.commit(REPO, id, Digest.sha256(bytes("abd"))));
    }

    // ------------------------------------------------------------------ unknown sessions

    @Test
    void sessionBelongsToItsRepository() {
        String id = uploads.create(REPO, OWNER).id();
        append(id, bytes("mine"), 0);

        assertUnknown(OTHER, id);
        assertThrows(RegistryException.BlobUploadUnknown.class,
                () -> uploads.append(OTHER, id, new ByteArrayInputStream(bytes("x")), NONE, NONE));
        assertThrows(RegistryException.BlobUploadUnknown.class, () -> uploads.commit(OTHER, id, Digest.sha256(bytes("mine"))));
        assertThrows(RegistryException.BlobUploadUnknown.class, () -> uploads.cancel(OTHER, id));
        assertUnknown(new RepositoryName("team"), id);

        assertEquals(4, uploads.status(REPO, id).size(), "the owner's session is untouched");
        assertEquals(4, uploads.commit(REPO, id, Digest.sha256(bytes("mine"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../../etc", "../../../../etc/passwd", "..", ".", "/etc/passwd", "a/b",
            "not-a-uuid", "00000000-0000-0000-0000-00000000000", "00000000-0000-0000-0000-0000000000000",
            "6F9619FF-8B86-D011-B42D-00CF4FC964FF", "6f9619ff-8b86-d011-b42d-00cf4fc964ff/../x",
            "6f9619ff8b86d011b42d00cf4fc964ff", "%2e%2e%2fetc"})
    void malformedIdsAreUnknownSessions(String id) {
        Digest digest = Digest.sha256(new byte[0]);
        assertUnknown(REPO, id);
        assertThrows(RegistryException.BlobUploadUnknown.class,
                () -> uploads.append(REPO, id, new ByteArrayInputStream(bytes("x")), NONE, NONE));
        assertThrows(RegistryException.BlobUploadUnknown.class, () -> uploads.commit(REPO, id, digest));
        assertThrows(RegistryException.BlobUploadUnknown.class, () -> uploads.cancel(REPO, id));
    }

    @Test
    void nullAndUnknownIdsAreUnknownSessions() {
        assertUnknown(REPO, null);
        assertUnknown(REPO, UUID.randomUUID().toString());
        var e = assertThrows(RegistryException.BlobUploadUnknown.class, () -> uploads.status(REPO, "../../etc"));
        assertEquals("../../etc", e.detail());
        assertTrue(e.getMessage().contains("unknown"));
    }

    // ------------------------------------------------------------------ expiry (issue 16)

    @Test
    void sessionsListsOpenSessionsWithTheirRepositoryAndSize() {
        String empty = uploads.create(REPO, OWNER).id();
        String filled = uploads.create(OTHER, OWNER).id();
        byte[] chunk = random(700, 71);
        uploads.append(OTHER, filled, new ByteArrayInputStream(chunk), OptionalLong.of(0), OptionalLong.of(chunk.length));
        List<UploadStore.SessionInfo> sessions;
        try (var stream = uploads.sessions()) {
            sessions = stream.toList();
        }
        assertEquals(2, sessions.size(), sessions.toString());
        assertTrue(sessions.stream().anyMatch(s -> s.id().equals(empty) && REPO.value().equals(s.repository()) && s.size() == 0));
        assertTrue(sessions.stream().anyMatch(s -> s.id().equals(filled) && OTHER.value().equals(s.repository()) && s.size() == 700));
    }

    @Test
    void expireRemovesAnIdleSessionAndKeepsOneWrittenSince() {
        String idle = uploads.create(REPO, OWNER).id();
        append(idle, random(300, 72), 0);
        java.time.Instant written;
        try (var stream = uploads.sessions()) {
            written = stream.filter(s -> s.id().equals(idle)).findFirst().orElseThrow().lastWrite();
        }
        assertEquals(-1, uploads.expire(idle, written), "written at the cutoff: kept");
        assertEquals(300, uploads.status(REPO, idle).size());
        assertEquals(300, uploads.expire(idle, written.plusMillis(1)));
        assertUnknown(REPO, idle);
        assertEquals(-1, uploads.expire(idle, written.plusSeconds(60)), "gone already");
        assertEquals(-1, uploads.expire("not-an-id", written.plusSeconds(60)));
        // the owner's slot is free again: a new session opens
        assertTrue(uploads.create(REPO, OWNER).id().length() > 0);
    }
}
