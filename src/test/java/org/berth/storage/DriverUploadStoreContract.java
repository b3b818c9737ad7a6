package org.berth.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

import org.berth.domain.Digest;
import org.berth.domain.RegistryException;
import org.berth.storage.driver.FileInfo;
import org.berth.storage.driver.StorageDriver;
import org.junit.jupiter.api.Test;

/**
 * The upload store on a driver, for several nodes over one storage: on top of {@link UploadStoreContract},
 * chunks of one session sent to different nodes (store instances) in turn, of sizes below and
 * above the 5 MiB S3 part minimum.
 */
abstract class DriverUploadStoreContract extends UploadStoreContract {

    static final int MIB = 1024 * 1024;

    /** A driver over fresh storage; {@link #sameStorage} makes more instances over it (more nodes). */
    protected abstract StorageDriver newDriver() throws Exception;

    protected abstract StorageDriver sameStorage() throws Exception;

    protected StorageDriver storage;

    @Override
    protected Stores newStores() throws Exception {
        storage = newDriver();
        DriverBlobStore blobStore = new DriverBlobStore(storage);
        return new Stores(new DriverUploadStore(storage, 0), blobStore);
    }

    @Override
    protected Stores restartedStores() throws Exception {
        StorageDriver node = sameStorage();
        return new Stores(new DriverUploadStore(node, 0), new DriverBlobStore(node));
    }

    private static UploadSession appendTo(UploadStore node, String id, byte[] content, int from, int to) {
        return node.append(REPO, id, new ByteArrayInputStream(content, from, to - from), OptionalLong.of(from), OptionalLong.of(to - from));
    }

    @Test
    void chunksOfOneUploadOnThreeNodesInTurnBelowAndAboveAPart() throws Exception {
        byte[] content = random(17 * MIB + 4321, 101);
        int[] cuts = {0, 1 * MIB, 2 * MIB + 7, 9 * MIB, 9 * MIB + 1, 16 * MIB, content.length};
        List<UploadStore> nodes = List.of(uploads, restartedStores().uploads(), restartedStores().uploads());
        String id = nodes.get(1).create(REPO, OWNER).id();
        for (int i = 0; i + 1 < cuts.length; i++) {
            UploadStore node = nodes.get(i % nodes.size());
            assertEquals(cuts[i], node.status(REPO, id).size(), "every node sees the size so far");
            assertEquals(cuts[i + 1], appendTo(node, id, content, cuts[i], cuts[i + 1]).size());
        }
        Digest digest = Digest.sha256(content);
        assertEquals(content.length, nodes.get(2).commit(REPO, id, digest));
        assertEquals(Optional.of((long) content.length), blobs.size(digest));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        blobs.open(digest).orElseThrow().writeTo(out, 0, content.length);
        assertArrayEquals(content, out.toByteArray());
    }

    @Test
    void aChunkRefusedOnOneNodeLeavesNoTraceOnAnother() throws Exception {
        byte[] content = random(6 * MIB, 102);
        String id = uploads.create(REPO, OWNER).id();
        appendTo(uploads, id, content, 0, MIB);
        byte[] tooShort = Arrays.copyOfRange(content, MIB, 3 * MIB);
        assertThrows(RegistryException.RangeInvalid.class, () -> uploads.append(REPO, id, new ByteArrayInputStream(tooShort),
                OptionalLong.of(MIB), OptionalLong.of(5 * MIB)));
        UploadStore other = restartedStores().uploads();
        assertEquals(MIB, other.status(REPO, id).size());
        appendTo(other, id, content, MIB, content.length);
        assertEquals(content.length, uploads.commit(REPO, id, Digest.sha256(content)));
    }

    @Test
    void whatArrivedBeforeTheClientHungUpIsKeptForAnotherNode() throws Exception {
        byte[] content = random(7 * MIB, 103);
        String id = uploads.create(REPO, OWNER).id();
        InputStream hangsUp = new InputStream() {
            private final InputStream delegate = new ByteArrayInputStream(content, 0, 6 * MIB);

            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = delegate.read(b, off, len);
                if (n < 0) {
                    throw new IOException("connection reset");
                }
                return n;
            }
        };
        assertThrows(UncheckedIOException.class, () -> uploads.append(REPO, id, hangsUp, OptionalLong.of(0), OptionalLong.empty()));
        UploadStore other = restartedStores().uploads();
        assertEquals(6 * MIB, other.status(REPO, id).size());
        appendTo(other, id, content, 6 * MIB, content.length);
        assertEquals(content.length, other.commit(REPO, id, Digest.sha256(content)));
    }

    @Test
    void aWrongDigestOfAMultipartUploadNeverReachesBlobs() throws Exception {
        byte[] content = random(11 * MIB, 104);
        String id = uploads.create(REPO, OWNER).id();
        appendTo(uploads, id, content, 0, content.length);
        Digest claimed = Digest.sha256(new byte[] {1});
        assertThrows(RegistryException.DigestInvalid.class, () -> restartedStores().uploads().commit(REPO, id, claimed));
        try (Stream<FileInfo> files = storage.walk("blobs")) {
            assertEquals(0, files.count(), "nothing under blobs/");
        }
        try (Stream<String> left = storage.list(StoragePaths.uploadPath(id))) {
            assertEquals(0, left.count(), "the session's files are gone");
        }
    }

    @Test
    void expiringAMultipartSessionRemovesItsParts() throws Exception {
        String id = uploads.create(REPO, OWNER).id();
        appendTo(uploads, id, random(6 * MIB, 105), 0, 6 * MIB);
        Instant later = Instant.now().plusSeconds(60);
        assertEquals(6 * MIB, restartedStores().uploads().expire(id, later));
        assertEquals(Optional.empty(), storage.stat(StoragePaths.uploadDataPath(id)));
        try (Stream<String> left = storage.list("uploads")) {
            assertTrue(left.noneMatch(e -> e.contains(id)), "no file of the session is left");
        }
    }

    @Test
    void theSavedHashStandsForTheSizeTheStorageReports() throws Exception {
        byte[] content = random(1024, 106);
        String id = uploads.create(REPO, OWNER).id();
        appendTo(uploads, id, content, 0, 1000);
        assertTrue(storage.stat(StoragePaths.uploadHashStatePath(id, 1000)).isPresent());
        appendTo(uploads, id, content, 1000, 1024);
        assertTrue(storage.stat(StoragePaths.uploadHashStatePath(id, 1024)).isPresent());
        assertEquals(Optional.empty(), storage.stat(StoragePaths.uploadHashStatePath(id, 1000)), "the older one is dropped");
    }
}
