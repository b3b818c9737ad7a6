package org.berth.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

import org.berth.domain.Digest;
import org.berth.domain.RegistryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesystemUploadStoreTest extends UploadStoreContract {

    @TempDir
    Path root;

    private StoragePaths paths;

    @Override
    protected Stores newStores() {
        return restartedStores();
    }

    @Override
    protected Stores restartedStores() {
        paths = new StoragePaths(root);
        FilesystemBlobStore blobStore = new FilesystemBlobStore(paths);
        return new Stores(new FilesystemUploadStore(blobStore), blobStore);
    }

    /** Delivers {@code prefix}, then fails as a client hanging up mid-chunk would. */
    private static InputStream hangsUpAfter(byte[] prefix) {
        return new InputStream() {
            private final InputStream delegate = new ByteArrayInputStream(prefix);

            @Override
            public int read() throws IOException {
                int b = delegate.read();
                if (b < 0) {
                    throw new IOException("connection reset");
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = delegate.read(buffer, offset, length);
                if (n < 0) {
                    throw new IOException("connection reset");
                }
                return n;
            }
        };
    }

    /** Delivers {@code content} at most {@code step} bytes per read, as a socket does. */
    private static InputStream trickles(byte[] content, int step) {
        return new ByteArrayInputStream(content) {
            @Override
            public synchronized int read(byte[] buffer, int offset, int length) {
                return super.read(buffer, offset, Math.min(step, length));
            }
        };
    }

    @Test
    void bodyArrivingInSmallReadsIsWrittenAndHashedInFullBuffers() {
        byte[] content = UploadStoreContract.random(5 * FilesystemBlobStore.BUFFER_SIZE + 4097, 31);
        String id = uploads.create(REPO, OWNER).id();
        UploadSession after = uploads.append(REPO, id, trickles(content, 7000), OptionalLong.of(0), OptionalLong.empty());
        assertEquals(content.length, after.size());
        assertEquals(content.length, uploads.commit(REPO, id, Digest.sha256(content)));
        assertArrayEquals(content, blobs.readSmall(Digest.sha256(content)).orElseThrow());
    }

    /** Long enough for background write-outs of the file while it is appended to. */
    @Test
    void bodyLongerThanTheWriteOutIntervalCommits() {
        byte[] content = UploadStoreContract.random((int) (2 * UploadPipeline.WRITE_OUT_EVERY + 12345), 43);
        String id = uploads.create(REPO, OWNER).id();
        uploads.append(REPO, id, trickles(content, 65536), OptionalLong.of(0), OptionalLong.of(content.length));
        assertEquals(content.length, uploads.commit(REPO, id, Digest.sha256(content)));
        assertArrayEquals(content, blobs.readSmall(Digest.sha256(content)).orElseThrow());
    }

    /**
     * A write-out that fails (the disk reported an error to that fsync, and to it alone) leaves the
     * bytes in doubt: the upload is refused as a server error and its session is gone.
     */
    @Test
    void failedWriteOutDiscardsTheSession() {
        UploadPipeline failing = new UploadPipeline() {
            @Override
            void force(FileChannel file) throws IOException {
                throw new IOException("EIO from writeback");
            }
        };
        uploads = new FilesystemUploadStore(new FilesystemBlobStore(paths), failing);
        byte[] content = UploadStoreContract.random((int) (2 * UploadPipeline.WRITE_OUT_EVERY), 47);
        String id = uploads.create(REPO, OWNER).id();

        RegistryException.Unavailable refused = assertThrows(RegistryException.Unavailable.class, () -> uploads.append(REPO, id,
                new ByteArrayInputStream(content), OptionalLong.of(0), OptionalLong.empty()));
        assertTrue(refused.getMessage().startsWith("storage write failed: upload " + id + " discarded"), refused.getMessage());
        assertFalse(Files.exists(paths.upload(id)));
        assertThrows(RegistryException.BlobUploadUnknown.class, () -> uploads.status(REPO, id));
        failing.close();
    }

    /**
     * The disk fills up in the middle of a streamed chunk (issue 14, item 9): the client is told
     * that storage is full, not that it hung up, and the session with every byte it held is gone,
     * so the space is free for the next push.
     */
    @Test
    void fullDiskMidChunkReleasesTheSessionAndSaysStorageIsFull() throws IOException {
        FilesystemUploadStore filling = new FilesystemUploadStore(new FilesystemBlobStore(paths)) {
            @Override
            FileChannel openForAppend(Path data) throws IOException {
                return new FullDiskChannel(super.openForAppend(data), 3L * FilesystemBlobStore.BUFFER_SIZE + 100);
            }
        };
        byte[] content = UploadStoreContract.random(6 * FilesystemBlobStore.BUFFER_SIZE, 53);
        String id = filling.create(REPO, OWNER).id();

        RegistryException.InsufficientStorage refused = assertThrows(RegistryException.InsufficientStorage.class,
                () -> filling.append(REPO, id, new ByteArrayInputStream(content), OptionalLong.of(0), NONE));
        assertTrue(refused.getMessage().startsWith("storage is full: upload " + id + " discarded"), refused.getMessage());
        assertFalse(Files.exists(paths.upload(id)), "the session's folder is gone");
        assertEquals(List.of(), FilesystemBlobStoreTest.regularFiles(paths.uploads()), "no bytes kept");
        assertThrows(RegistryException.BlobUploadUnknown.class, () -> filling.status(REPO, id));
        filling.stop();

        byte[] small = UploadStoreContract.random(4096, 59);
        String next = uploads.create(REPO, OWNER).id();
        append(next, small, 0);
        assertEquals(small.length, uploads.commit(REPO, next, Digest.sha256(small)));
    }

    /**
     * A body with no end (chunked, no length) into a session that may hold 1 MiB (issue 14, item
     * 10): reading stops at the first byte too many, and nothing of it stays on disk.
     */
    @Test
    void endlessBodyIsReadNoFurtherThanTheMaxSizeAndLeavesNothing() throws IOException {
        long[] read = {0};
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                read[0]++;
                return 'x';
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                Arrays.fill(buffer, offset, offset + length, (byte) 'x');
                read[0] += length;
                return length;
            }
        };
        String id = uploads.create(REPO, OWNER).id();
        assertThrows(UploadTooLarge.class, () -> uploads.append(REPO, id, endless, OptionalLong.of(0), NONE, 1 << 20));
        assertEquals((1 << 20) + 1, read[0], "bytes read from the client");
        assertFalse(Files.exists(paths.upload(id)));
        assertEquals(List.of(), FilesystemBlobStoreTest.regularFiles(paths.uploads()));
    }

    private FilesystemUploadStore limitedTo(int maxSessionsPerOwner) {
        return new FilesystemUploadStore(new FilesystemBlobStore(paths), maxSessionsPerOwner);
    }

    /** Issue 14, item 8: 2000 sessions of one client survived a restart; now each owner holds a few at most. */
    @Test
    void openSessionsPerOwnerAreCappedAndStillCountedAfterARestart() {
        uploads = limitedTo(2);
        uploads.create(REPO, "alice");
        uploads.create(OTHER, "alice");
        RegistryException.TooManyRequests refused = assertThrows(RegistryException.TooManyRequests.class,
                () -> uploads.create(REPO, "alice"));
        assertEquals(FilesystemUploadStore.RETRY_AFTER_SECONDS, refused.retryAfterSeconds());
        assertTrue(refused.getMessage().startsWith("too many open upload sessions: alice holds 2"), refused.getMessage());
        uploads.create(REPO, "bob");
        uploads.create(REPO, "anonymous/127.0.0.1");

        uploads = limitedTo(2); // a restart: the sessions on disk still count
        assertThrows(RegistryException.TooManyRequests.class, () -> uploads.create(REPO, "alice"));
        uploads.create(REPO, "bob");
        assertThrows(RegistryException.TooManyRequests.class, () -> uploads.create(REPO, "bob"));
        assertEquals(5, paths.uploads().toFile().list().length, "no folder for a refused session");
    }

    @Test
    void aCommittedCancelledOrFailedSessionFreesItsSlot() {
        uploads = limitedTo(1);
        String cancelled = uploads.create(REPO, "alice").id();
        assertThrows(RegistryException.TooManyRequests.class, () -> uploads.create(REPO, "alice"));
        uploads.cancel(REPO, cancelled);

        byte[] content = bytes("committed");
        String committed = uploads.create(REPO, "alice").id();
        append(committed, content, 0);
        uploads.commit(REPO, committed, Digest.sha256(content));

        String mismatched = uploads.create(REPO, "alice").id();
        append(mismatched, content, 0);
        assertThrows(RegistryException.DigestInvalid.class, () -> uploads.commit(REPO, mismatched, Digest.sha256(bytes("other"))));

        String tooLarge = uploads.create(REPO, "alice").id();
        assertThrows(UploadTooLarge.class, () -> uploads.append(REPO, tooLarge, new ByteArrayInputStream(content), NONE, NONE, 3));

        uploads = limitedTo(1); // and after a restart, no slot is held by any of them
        uploads.create(REPO, "alice");
    }

    /**
     * Issue 19: nodes on one data root. The chunks of one upload go to two nodes in turn, each
     * node's running hash catching up with the bytes the other appended (pipelined buffers and
     * small ones alike), and the other node commits.
     */
    @Test
    void chunksSentToTwoNodesInTurnCommitOnEither() {
        FilesystemUploadStore a = limitedTo(0);
        FilesystemUploadStore b = limitedTo(0);
        byte[] content = UploadStoreContract.random(3 * FilesystemBlobStore.BUFFER_SIZE + 12_345, 41);
        int[] cuts = {0, 100, FilesystemBlobStore.BUFFER_SIZE + 7, FilesystemBlobStore.BUFFER_SIZE + 9,
                2 * FilesystemBlobStore.BUFFER_SIZE, content.length};
        String id = a.create(REPO, OWNER).id();
        for (int i = 0; i + 1 < cuts.length; i++) {
            FilesystemUploadStore node = i % 2 == 0 ? a : b;
            node.append(REPO, id, new ByteArrayInputStream(content, cuts[i], cuts[i + 1] - cuts[i]),
                    OptionalLong.of(cuts[i]), OptionalLong.of(cuts[i + 1] - cuts[i]));
        }
        assertEquals(content.length, a.commit(REPO, id, Digest.sha256(content)), "committed on the node that began it");
    }

    /** Issue 19: a session another node ended frees its owner's slot on this node too. */
    @Test
    void aSessionEndedOnAnotherNodeFreesTheSlotHere() {
        FilesystemUploadStore a = limitedTo(1);
        FilesystemUploadStore b = limitedTo(1);
        byte[] content = bytes("layer");
        String first = a.create(REPO, "alice").id();
        append(first, content, 0);
        b.commit(REPO, first, Digest.sha256(content));
        String second = a.create(REPO, "alice").id();
        b.cancel(REPO, second);
        a.create(REPO, "alice");
        assertThrows(RegistryException.TooManyRequests.class, () -> limitedTo(1).create(REPO, "alice"),
                "a node started now counts alice's one session in storage");
    }

    /** A hang-up after several buffers went to the hashing pool: all that was read is kept and counted once. */
    @Test
    void hangUpAfterPipelinedBuffersKeepsEveryByteReadAndTheHashLevel() {
        byte[] content = UploadStoreContract.random(4 * FilesystemBlobStore.BUFFER_SIZE + 1000, 37);
        int cut = 3 * FilesystemBlobStore.BUFFER_SIZE + 5;
        String id = uploads.create(REPO, OWNER).id();

        assertThrows(UncheckedIOException.class, () -> uploads.append(REPO, id,
                hangsUpAfter(Arrays.copyOfRange(content, 0, cut)), OptionalLong.of(0), OptionalLong.empty()));
        assertEquals(cut, uploads.status(REPO, id).size());

        append(id, Arrays.copyOfRange(content, cut, content.length), cut);
        assertEquals(content.length, uploads.commit(REPO, id, Digest.sha256(content)));
    }

    @Test
    void sessionIsAFolderUnderUploads() throws IOException {
        String id = uploads.create(REPO, OWNER).id();
        assertTrue(StoragePaths.isUploadId(id), id);
        assertEquals(REPO.value(), Files.readString(paths.uploadRepository(id), StandardCharsets.UTF_8));
        assertEquals(0, Files.size(paths.uploadData(id)));

        append(id, bytes("abc"), 0);
        assertEquals(3, Files.size(paths.uploadData(id)));
    }

    @Test
    void commitMovesTheBytesIntoBlobsAndLeavesNothingBehind() throws IOException {
        byte[] content = bytes("tidy");
        Digest digest = Digest.sha256(content);
        String id = uploads.create(REPO, OWNER).id();
        append(id, content, 0);
        uploads.commit(REPO, id, digest);

        assertFalse(Files.exists(paths.upload(id)));
        assertEquals(List.of(paths.blob(digest)), FilesystemBlobStoreTest.regularFiles(paths.blobs()));
        assertEquals(List.of(), FilesystemBlobStoreTest.regularFiles(paths.uploads()));
        assertEquals(List.of(), FilesystemBlobStoreTest.regularFiles(paths.tmp()));
    }

    @Test
    void failedCommitRemovesTheSessionFolder() throws IOException {
        String id = uploads.create(REPO, OWNER).id();
        append(id, bytes("abc"), 0);
        assertThrows(RegistryException.DigestInvalid.class, () -> uploads.commit(REPO, id, Digest.sha256(bytes("xyz"))));
        assertFalse(Files.exists(paths.upload(id)));
        assertEquals(List.of(), FilesystemBlobStoreTest.regularFiles(paths.blobs()));
    }

    @Test
    void cancelRemovesTheSessionFolder() {
        String id = uploads.create(REPO, OWNER).id();
        append(id, bytes("abc"), 0);
        uploads.cancel(REPO, id);
        assertFalse(Files.exists(paths.upload(id)));
    }

    @Override
    @Test
    void twoConcurrentCommitsOfTheSameContentBothSucceed() throws Exception {
        super.twoConcurrentCommitsOfTheSameContentBothSucceed();
        assertEquals(1, FilesystemBlobStoreTest.regularFiles(paths.blobs()).size(), "one file per digest");
        assertEquals(List.of(), FilesystemBlobStoreTest.regularFiles(paths.uploads()));
    }

    @Test
    void declaredLengthMismatchTruncatesTheFileOnDisk() throws IOException {
        String id = uploads.create(REPO, OWNER).id();
        append(id, bytes("12345"), 0);
        assertThrows(RegistryException.RangeInvalid.class, () -> uploads.append(REPO, id,
                new ByteArrayInputStream(bytes("678")), OptionalLong.of(5), OptionalLong.of(5)));
        assertArrayEquals(bytes("12345"), Files.readAllBytes(paths.uploadData(id)));
    }

    @Test
    void bytesReceivedBeforeAHangUpAreKeptAndTheUploadResumes() {
        byte[] content = UploadStoreContract.random(600_000, 23);
        Digest digest = Digest.sha256(content);
        String id = uploads.create(REPO, OWNER).id();

        assertThrows(UncheckedIOException.class, () -> uploads.append(REPO, id,
                hangsUpAfter(Arrays.copyOfRange(content, 0, 300_000)), OptionalLong.of(0), OptionalLong.empty()));
        long kept = uploads.status(REPO, id).size();
        assertEquals(300_000, kept);

        append(id, Arrays.copyOfRange(content, (int) kept, content.length), kept);
        assertEquals(content.length, uploads.commit(REPO, id, digest));
    }

    @Test
    void hangUpAfterRestartStillLeavesAConsistentHash() {
        byte[] content = UploadStoreContract.random(10_000, 29);
        String id = uploads.create(REPO, OWNER).id();
        append(id, Arrays.copyOfRange(content, 0, 1000), 0);
        uploads = restartedStores().uploads();
        assertThrows(UncheckedIOException.class, () -> uploads.append(REPO, id,
                hangsUpAfter(Arrays.copyOfRange(content, 1000, 4000)), OptionalLong.of(1000), OptionalLong.empty()));
        append(id, Arrays.copyOfRange(content, 4000, content.length), 4000);
        assertEquals(content.length, uploads.commit(REPO, id, Digest.sha256(content)));
    }

    /**
     * A commit that fails for a storage reason (here the blob's fan-out folder cannot be created)
     * must leave the session as it was, so the client's retry succeeds once storage recovers.
     */
    @Test
    void commitRetriedAfterAStorageFailureStillVerifies() throws IOException {
        byte[] content = bytes("retry me");
        Digest digest = Digest.sha256(content);
        String id = uploads.create(REPO, OWNER).id();
        append(id, content, 0);

        Path fanOut = paths.blob(digest).getParent();
        Files.createDirectories(fanOut.getParent());
        Files.writeString(fanOut, "a file where a folder should be");
        assertThrows(RegistryException.Unavailable.class, () -> uploads.commit(REPO, id, digest));
        assertEquals(content.length, uploads.status(REPO, id).size(), "the bytes are still there");

        Files.delete(fanOut);
        assertEquals(content.length, uploads.commit(REPO, id, digest));
        assertArrayEquals(content, blobs.readSmall(digest).orElseThrow());
    }
}
