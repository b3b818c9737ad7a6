package org.berth.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.berth.domain.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesystemBlobStoreTest extends BlobStoreContract {

    @TempDir
    Path root;

    @Override
    protected BlobStore newStore() {
        return new FilesystemBlobStore(new StoragePaths(root));
    }

    static List<Path> regularFiles(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void blobLandsAtItsDocumentedPath() throws IOException {
        byte[] content = "layout".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(content);
        store.putSmall(digest, content);

        Path expected = root.resolve("blobs").resolve("sha256").resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
        assertEquals(List.of(expected), regularFiles(root.resolve("blobs")));
        assertEquals(List.of(), regularFiles(root.resolve("tmp")), "no scratch file is left behind");
    }

    @Test
    void anotherInstanceOverTheSameRootSeesTheBlob() throws IOException {
        // The store holds no state besides the files: another instance over the same root sees the blob.
        byte[] content = "shared".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(content);
        store.putSmall(digest, content);
        FilesystemBlobStore other = new FilesystemBlobStore(new StoragePaths(root));
        assertEquals(content.length, other.size(digest).orElseThrow());
    }

    @Test
    void aZeroCopySinkGetsTheBlobsFileRegionOrTheBytesAreCopied() throws IOException {
        byte[] content = "zero-copy region".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(content);
        store.putSmall(digest, content);
        BlobContent blob = store.open(digest).orElseThrow();

        List<String> taken = new java.util.ArrayList<>();
        ByteArrayOutputStream untouched = new ByteArrayOutputStream();
        blob.writeTo(untouched, 5, 4, (file, offset, length) -> {
            taken.add(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).substring((int) offset, (int) (offset + length)));
            return true;
        });
        assertEquals(List.of("copy"), taken, "the sink sees the blob's own file and the asked region");
        assertEquals(0, untouched.size(), "nothing is copied when the sink took the region");

        ByteArrayOutputStream copied = new ByteArrayOutputStream();
        blob.writeTo(copied, 5, 4, ZeroCopySink.NONE);
        assertEquals("copy", copied.toString(StandardCharsets.UTF_8));
    }

    @Test
    void copyingPastTheEndOfTheFileFails() throws IOException {
        byte[] content = "short".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(content);
        store.putSmall(digest, content);
        BlobContent blob = store.open(digest).orElseThrow();
        assertThrows(IOException.class, () -> blob.writeTo(new ByteArrayOutputStream(), 3, 10));
    }

    @Test
    void sizeIsReadFromTheFile() throws IOException {
        byte[] content = random(4096, 1);
        Digest digest = Digest.sha256(content);
        store.putSmall(digest, content);
        Path file = new StoragePaths(root).blob(digest);
        assertTrue(Files.isRegularFile(file));
        assertEquals(Files.size(file), store.size(digest).orElseThrow());
    }
}
