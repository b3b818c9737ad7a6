package org.berth.storage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.berth.domain.RegistryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which failed writes are a full disk (507) and which another server failure (503). */
class WriteFailureTest {

    private static final long PLENTY = 10L << 30;

    @TempDir
    Path dir;

    @Test
    void noSpaceLeftAndAUsedUpDiskQuotaAreAFullDisk() {
        assertTrue(WriteFailure.isFull(new IOException("No space left on device"), PLENTY));
        assertTrue(WriteFailure.isFull(new IOException("Disk quota exceeded"), PLENTY));
    }

    @Test
    void anyFailureWithHardlyAnySpaceLeftIsAFullDisk() {
        // the text of ENOSPC may be translated; the space left is not
        assertTrue(WriteFailure.isFull(new IOException("Plus d'espace disponible sur le périphérique"), 4096));
        assertTrue(WriteFailure.isFull(new IOException((String) null), 0));
    }

    @Test
    void anIoErrorWithSpaceLeftIsNotAFullDisk() {
        assertFalse(WriteFailure.isFull(new IOException("Input/output error"), PLENTY));
        assertFalse(WriteFailure.isFull(new IOException((String) null), -1));
    }

    @Test
    void reportSaysStorageIsFullOrThatAWriteFailed() {
        RegistryException full = WriteFailure.report("upload x discarded", new IOException("No space left on device"), dir);
        assertInstanceOf(RegistryException.InsufficientStorage.class, full);
        assertTrue(full.getMessage().startsWith("storage is full: upload x discarded"), full.getMessage());

        // the temp dir's file system has more than a few buffers free on any machine that builds Berth
        RegistryException failed = WriteFailure.report("upload y discarded", new IOException("Input/output error"), dir.resolve("gone/data"));
        assertInstanceOf(RegistryException.Unavailable.class, failed);
        assertTrue(failed.getMessage().startsWith("storage write failed: upload y discarded"), failed.getMessage());
    }
}
