package org.berth.storage.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StorageDriver} must do, as Distribution's {@code driver/testsuites}: a driver's
 * test extends this class and says how to make one over fresh storage, and a second instance over
 * the same storage (another node).
 */
public abstract class StorageDriverContract {

    /** Above the 5 MiB S3 part minimum, so that a write of it crosses a part boundary. */
    protected static final int MIB = 1024 * 1024;

    protected StorageDriver driver;

    /** A driver over empty storage, new for each test. */
    protected abstract StorageDriver newDriver() throws Exception;

    /** Another driver instance over the storage of the last {@link #newDriver}: a second node. */
    protected abstract StorageDriver otherNode() throws Exception;

    @BeforeEach
    void createDriver() throws Exception {
        driver = newDriver();
    }

    protected static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[]... pieces) {
        int size = Arrays.stream(pieces).mapToInt(p -> p.length).sum();
        byte[] all = new byte[size];
        int at = 0;
        for (byte[] p : pieces) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    private byte[] read(String path, long offset, long length) throws IOException {
        try (InputStream in = driver.read(path, offset, length)) {
            return in.readAllBytes();
        }
    }

    private static void append(StorageDriver driver, String path, byte[] bytes) throws IOException {
        try (FileWriter w = driver.writer(path, true)) {
            w.write(bytes, 0, bytes.length);
        }
    }

    @Test
    void anAbsentFileIsAbsent() throws IOException {
        assertEquals(Optional.empty(), driver.stat("blobs/none"));
        assertThrows(NoSuchFileException.class, () -> read("blobs/none", 0, 10));
        assertThrows(NoSuchFileException.class, () -> driver.getContent("blobs/none"));
    }

    @Test
    void putContentIsReadBackAndReplaced() throws IOException {
        driver.putContent("a/b/c", "first".getBytes(StandardCharsets.UTF_8));
        assertEquals("first", new String(driver.getContent("a/b/c"), StandardCharsets.UTF_8));
        assertEquals(5, driver.stat("a/b/c").orElseThrow().size());
        driver.putContent("a/b/c", "second, longer".getBytes(StandardCharsets.UTF_8));
        assertEquals("second, longer", new String(driver.getContent("a/b/c"), StandardCharsets.UTF_8));
        driver.putContent("a/b/empty", new byte[0]);
        assertArrayEquals(new byte[0], driver.getContent("a/b/empty"));
    }

    @Test
    void readsRanges() throws IOException {
        byte[] content = random(1000, 1);
        driver.putContent("f", content);
        assertArrayEquals(Arrays.copyOfRange(content, 0, 10), read("f", 0, 10));
        assertArrayEquals(Arrays.copyOfRange(content, 500, 1000), read("f", 500, Long.MAX_VALUE));
        assertArrayEquals(Arrays.copyOfRange(content, 990, 1000), read("f", 990, 100), "a range past the end is cut");
        assertArrayEquals(new byte[0], read("f", 1000, 10), "from the end: nothing");
        assertArrayEquals(new byte[0], read("f", 3, 0));
        assertArrayEquals(content, read("f", 0, Long.MAX_VALUE));
    }

    @Test
    void aSmallWriteCommitsWhole() throws IOException {
        byte[] content = random(100, 2);
        FileWriter w = driver.writer("uploads/x/data", false);
        w.write(content, 0, content.length);
        assertEquals(100, w.size());
        w.commit();
        assertArrayEquals(content, read("uploads/x/data", 0, Long.MAX_VALUE));
    }

    @Test
    void aClosedWriterIsResumedOnAnotherNodeAcrossPartBoundaries() throws Exception {
        byte[] small = random(3 * MIB, 3);      // below one part
        byte[] larger = random(4 * MIB, 4);     // fills the first part, leaves a tail
        byte[] big = random(7 * MIB + 123, 5);  // a whole part and more in one write
        append(driver, "uploads/y/data", small);
        StorageDriver other = otherNode();
        assertEquals(small.length, other.stat("uploads/y/data").orElseThrow().size());
        append(other, "uploads/y/data", larger);
        assertEquals(small.length + larger.length, driver.stat("uploads/y/data").orElseThrow().size());
        try (FileWriter w = driver.writer("uploads/y/data", true)) {
            assertEquals(small.length + larger.length, w.size());
            w.write(big, 0, big.length);
            w.commit();
        }
        assertArrayEquals(concat(small, larger, big), other.getContent("uploads/y/data"));
    }

    @Test
    void anAbandonedWriterLeavesTheFileAsItWas() throws IOException {
        byte[] first = random(MIB, 6);
        byte[] refused = random(6 * MIB, 7);
        byte[] last = random(MIB, 8);
        append(driver, "uploads/z/data", first);
        FileWriter w = driver.writer("uploads/z/data", true);
        w.write(refused, 0, refused.length);
        w.abandon();
        assertEquals(first.length, driver.stat("uploads/z/data").orElseThrow().size());
        try (FileWriter again = driver.writer("uploads/z/data", true)) {
            again.write(last, 0, last.length);
            again.commit();
        }
        assertArrayEquals(concat(first, last), driver.getContent("uploads/z/data"));
    }

    @Test
    void listNamesFilesAndDirectoriesDirectlyBelow() throws IOException {
        driver.putContent("d/x", new byte[1]);
        driver.putContent("d/y", new byte[2]);
        driver.putContent("d/sub/z", new byte[3]);
        append(driver, "d/writing", new byte[4]);
        try (Stream<String> entries = driver.list("d")) {
            assertEquals(Set.of("d/x", "d/y", "d/sub/", "d/writing"), entries.collect(Collectors.toSet()));
        }
        try (Stream<String> entries = driver.list("missing")) {
            assertEquals(0, entries.count());
        }
    }

    @Test
    void walkFindsEveryCommittedFileAtAnyDepth() throws IOException {
        driver.putContent("blobs/sha256/ab/ab1", new byte[1]);
        driver.putContent("blobs/sha256/cd/cd2", new byte[2]);
        driver.putContent("other/x", new byte[3]);
        List<FileInfo> files;
        try (Stream<FileInfo> walked = driver.walk("blobs")) {
            files = walked.toList();
        }
        assertEquals(Set.of("blobs/sha256/ab/ab1:1", "blobs/sha256/cd/cd2:2"),
                files.stream().map(f -> f.path() + ":" + f.size()).collect(Collectors.toSet()));
        try (Stream<FileInfo> walked = driver.walk("nothing")) {
            assertEquals(0, walked.count());
        }
    }

    @Test
    void moveMakesTheFileAppearWholeAtItsNewPath() throws IOException {
        byte[] content = random(6 * MIB, 9);
        try (FileWriter w = driver.writer("uploads/m/data", true)) {
            w.write(content, 0, content.length);
            w.commit();
        }
        driver.move("uploads/m/data", "blobs/sha256/aa/aa");
        assertEquals(Optional.empty(), driver.stat("uploads/m/data"));
        assertArrayEquals(content, driver.getContent("blobs/sha256/aa/aa"));
        driver.putContent("again", content);
        driver.move("again", "blobs/sha256/aa/aa");
        assertArrayEquals(content, driver.getContent("blobs/sha256/aa/aa"), "moving onto a file replaces it");
        assertThrows(NoSuchFileException.class, () -> driver.move("never", "blobs/sha256/bb/bb"));
    }

    @Test
    void deleteRemovesAFileOrADirectoryWithFilesBeingWritten() throws IOException {
        driver.putContent("s/a", new byte[1]);
        append(driver, "s/b", random(6 * MIB, 10));
        driver.putContent("s/c/d", new byte[1]);
        driver.putContent("kept", new byte[1]);
        assertTrue(driver.delete("s"));
        assertEquals(Optional.empty(), driver.stat("s/a"));
        assertEquals(Optional.empty(), driver.stat("s/b"));
        assertEquals(Optional.empty(), driver.stat("s/c/d"));
        assertFalse(driver.delete("s"), "nothing left");
        assertTrue(driver.delete("kept"));
        assertEquals(Optional.empty(), driver.stat("kept"));
    }

    @Test
    void deleteIfUnchangedRemovesOnlyTheFileItSaw() throws IOException {
        driver.putContent("tmp/f", new byte[7]);
        FileInfo seen = driver.stat("tmp/f").orElseThrow();
        FileInfo older = new FileInfo(seen.path(), seen.size(), seen.modified().minusSeconds(3600));
        assertEquals(0, driver.deleteIfUnchanged(older), "written since it was listed: kept");
        assertTrue(driver.stat("tmp/f").isPresent());
        assertEquals(7, driver.deleteIfUnchanged(seen));
        assertEquals(Optional.empty(), driver.stat("tmp/f"));
        assertEquals(0, driver.deleteIfUnchanged(seen), "gone already");
    }

    @Test
    void probeAnswersWhenTheStorageIsThere() throws IOException {
        driver.probe();
    }
}
