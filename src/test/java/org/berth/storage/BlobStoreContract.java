package org.berth.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.berth.domain.Digest;
import org.berth.domain.DigestAlgorithm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BlobStore} must do. An implementation's test extends this class and says how
 * to make a store over fresh, empty storage (STYLE habit 7: one shared contract test).
 */
abstract class BlobStoreContract {

    protected BlobStore store;

    /** A store over empty storage, new for each test. */
    protected abstract BlobStore newStore() throws Exception;

    @BeforeEach
    void createStore() throws Exception {
        store = newStore();
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] copy(BlobContent blob, long offset, long length) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        blob.writeTo(out, offset, length);
        return out.toByteArray();
    }

    private Digest put(byte[] content) {
        Digest digest = Digest.sha256(content);
        store.putSmall(digest, content);
        return digest;
    }

    @Test
    void absentBlobIsAbsentEverywhere() {
        Digest digest = Digest.sha256("never stored".getBytes(StandardCharsets.UTF_8));
        assertEquals(Optional.empty(), store.open(digest));
        assertEquals(Optional.empty(), store.size(digest));
        assertEquals(Optional.empty(), store.readSmall(digest));
    }

    @Test
    void putSmallThenReadBack() throws IOException {
        byte[] content = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
        Digest digest = put(content);

        assertArrayEquals(content, store.readSmall(digest).orElseThrow());
        assertEquals(Optional.of((long) content.length), store.size(digest));
        BlobContent blob = store.open(digest).orElseThrow();
        assertEquals(digest, blob.digest());
        assertEquals(content.length, blob.size());
        assertArrayEquals(content, copy(blob, 0, blob.size()));
    }

    @Test
    void putSmallIsIdempotent() {
        byte[] content = "same".getBytes(StandardCharsets.UTF_8);
        Digest digest = put(content);
        store.putSmall(digest, content);
        assertArrayEquals(content, store.readSmall(digest).orElseThrow());
    }

    @Test
    void blobsAreKeptApart() {
        byte[] a = "a".getBytes(StandardCharsets.UTF_8);
        byte[] b = "b".getBytes(StandardCharsets.UTF_8);
        Digest da = put(a);
        Digest db = put(b);
        Digest da512 = Digest.of(DigestAlgorithm.SHA512, a);
        assertEquals(Optional.empty(), store.size(da512), "sha512 of the same bytes is another blob");
        store.putSmall(da512, a);

        assertArrayEquals(a, store.readSmall(da).orElseThrow());
        assertArrayEquals(b, store.readSmall(db).orElseThrow());
        assertArrayEquals(a, store.readSmall(da512).orElseThrow());
    }

    @Test
    void emptyBlob() throws IOException {
        Digest digest = put(new byte[0]);
        assertEquals(Optional.of(0L), store.size(digest));
        assertArrayEquals(new byte[0], store.readSmall(digest).orElseThrow());
        assertArrayEquals(new byte[0], copy(store.open(digest).orElseThrow(), 0, 0));
    }

    @Test
    void writeToCopiesTheRequestedRange() throws IOException {
        byte[] content = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        BlobContent blob = store.open(put(content)).orElseThrow();

        assertArrayEquals("0123".getBytes(StandardCharsets.US_ASCII), copy(blob, 0, 4));
        assertArrayEquals("56789".getBytes(StandardCharsets.US_ASCII), copy(blob, 5, 5));
        assertArrayEquals("f".getBytes(StandardCharsets.US_ASCII), copy(blob, 15, 1));
        assertArrayEquals(new byte[0], copy(blob, 7, 0));
    }

    @Test
    void writeToIsRightAcrossCopyBufferBoundaries() throws IOException {
        byte[] content = random(1_000_003, 42);
        BlobContent blob = store.open(put(content)).orElseThrow();
        assertEquals(content.length, blob.size());

        assertArrayEquals(content, copy(blob, 0, content.length));
        int offset = 262_143; // one short of a 256 KiB buffer
        int length = 600_001;
        assertArrayEquals(java.util.Arrays.copyOfRange(content, offset, offset + length), copy(blob, offset, length));
        assertArrayEquals(java.util.Arrays.copyOfRange(content, content.length - 3, content.length),
                copy(blob, content.length - 3, 3));
    }

    @Test
    void openedBlobCanBeCopiedRepeatedly() throws IOException {
        byte[] content = random(1000, 7);
        BlobContent blob = store.open(put(content)).orElseThrow();
        assertArrayEquals(content, copy(blob, 0, content.length));
        assertArrayEquals(content, copy(blob, 0, content.length));
    }

    @Test
    void concurrentPutsOfTheSameDigestLeaveOneIntactBlob() throws Exception {
        byte[] content = random(300_000, 3);
        Digest digest = Digest.sha256(content);
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    store.putSmall(digest, content);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : results) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertArrayEquals(content, store.readSmall(digest).orElseThrow());
        assertTrue(store.size(digest).isPresent());
    }

    // ------------------------------------------------------------------ garbage collection (issue 16)

    @Test
    void deleteRemovesTheBlobAndAnswersItsSize() {
        byte[] content = random(5000, 901);
        Digest digest = put(content);
        assertEquals(5000, store.delete(digest));
        assertEquals(Optional.empty(), store.size(digest));
        assertEquals(0, store.delete(digest), "a second delete finds nothing");
        put(content);
        assertEquals(Optional.of(5000L), store.size(digest), "stored again after the delete");
    }

    @Test
    void blobFilesListsEveryStoredBlobWithItsDigestAndSize() {
        Digest a = put(random(10, 902));
        Digest b = put(random(20, 903));
        List<StoredFile> files;
        try (var stream = store.blobFiles()) {
            files = stream.toList();
        }
        assertEquals(2, files.size(), files.toString());
        assertTrue(files.stream().anyMatch(f -> a.equals(f.digest()) && f.size() == 10), files.toString());
        assertTrue(files.stream().anyMatch(f -> b.equals(f.digest()) && f.size() == 20), files.toString());
        try (var stream = store.scratchFiles()) {
            assertEquals(0, stream.count(), "no scratch file left by putSmall");
        }
    }

    @Test
    void deleteFileRemovesAListedFileOnlyWhileItIsUnchanged() {
        Digest digest = put(random(30, 904));
        StoredFile listed;
        try (var stream = store.blobFiles()) {
            listed = stream.filter(f -> digest.equals(f.digest())).findFirst().orElseThrow();
        }
        StoredFile changed = new StoredFile(listed.name(), listed.digest(), listed.size(), listed.modified().minusSeconds(5));
        assertEquals(0, store.deleteFile(changed), "written again since it was listed: kept");
        assertEquals(Optional.of(30L), store.size(digest));
        assertEquals(30, store.deleteFile(listed));
        assertEquals(Optional.empty(), store.size(digest));
        assertEquals(0, store.deleteFile(listed), "gone already");
    }
}
