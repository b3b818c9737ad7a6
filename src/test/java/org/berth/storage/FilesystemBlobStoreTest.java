package org.berth.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

    /** A sink that asks for {@code head} bytes through the stream, then takes the rest or declines it. */
    private static final class RecordingSink implements ZeroCopySink {
        final long head;
        final boolean takes;
        final List<String> events = new ArrayList<>();

        RecordingSink(long head, boolean takes) {
            this.head = head;
            this.takes = takes;
        }

        @Override
        public long copiedHead(long length) {
            return head;
        }

        @Override
        public boolean transfer(Path file, long offset, long length) throws IOException {
            events.add("transfer " + new String(Files.readAllBytes(file), StandardCharsets.UTF_8)
                    .substring((int) offset, (int) (offset + length)));
            return takes;
        }
    }

    /** A stream that notes what was written and when it was flushed. */
    private static OutputStream recording(List<String> events) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                events.add("copy " + new String(b, off, len, StandardCharsets.UTF_8));
            }

            @Override
            public void flush() {
                events.add("flush");
            }
        };
    }

    @Test
    void aZeroCopySinkGetsTheRestOfTheRegionAfterTheHeadItAskedToBeCopiedAndFlushed() throws IOException {
        byte[] content = "zero-copy region".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(content);
        store.putSmall(digest, content);
        BlobContent blob = store.open(digest).orElseThrow();

        RecordingSink taking = new RecordingSink(2, true);
        List<String> stream = taking.events;
        blob.writeTo(recording(stream), 5, 6, taking);
        assertEquals(List.of("copy co", "flush", "transfer py r"), stream,
                "the head is copied and flushed first; the sink sees the blob's own file and the rest of the region");

        RecordingSink declining = new RecordingSink(2, false);
        blob.writeTo(recording(declining.events), 5, 6, declining);
        assertEquals(List.of("copy co", "flush", "transfer py r", "copy py r"), declining.events,
                "what the sink declines is copied");

        RecordingSink wholeHead = new RecordingSink(6, true);
        blob.writeTo(recording(wholeHead.events), 5, 6, wholeHead);
        assertEquals(List.of("copy copy r"), wholeHead.events, "a head as long as the region leaves the sink out");

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
