package org.berth.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.logging.Logger;

import org.berth.domain.RegistryException;

/**
 * A write to the data root that failed on the server's side (the file system, not the client's
 * stream), as the client is told of it: a full disk is INSUFFICIENT_STORAGE (507), any other
 * failure UNAVAILABLE (503). Each is logged as one warning line, as CNCF Distribution logs a
 * driver error, without a stack trace: a full disk fails every upload the same way.
 */
final class WriteFailure {

    private static final Logger LOG = Logger.getLogger(WriteFailure.class.getName());

    /**
     * Below this much usable space a failed write is taken for a full disk, whatever the error
     * says: Java gives no errno, and the text of ENOSPC may be translated.
     */
    static final long NEARLY_FULL_BYTES = 4L * FilesystemBlobStore.BUFFER_SIZE;

    private WriteFailure() {
    }

    /**
     * Logs the failure and returns what to throw.
     *
     * @param what  what failed, for the log and the client (e.g. {@code upload <id> discarded})
     * @param where a path on the file system that failed the write, to measure its free space
     */
    static RegistryException report(String what, IOException cause, Path where) {
        boolean full = isFull(cause, usableSpace(where));
        LOG.warning(what + ": " + (full ? "storage is full: " : "storage write failed: ") + cause);
        return full
                ? new RegistryException.InsufficientStorage("storage is full: " + what + " (no space left on the registry's disk)")
                : new RegistryException.Unavailable("storage write failed: " + what + "; try again later");
    }

    /** Whether {@code cause} means the disk is full: ENOSPC or EDQUOT, or hardly any space is left. */
    static boolean isFull(IOException cause, long usableBytes) {
        String message = cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
        return message.contains("no space left on device") || message.contains("disk quota exceeded")
                || (usableBytes >= 0 && usableBytes < NEARLY_FULL_BYTES);
    }

    /** Usable bytes on the file system of {@code where} (or its nearest existing parent); -1 when unknown. */
    private static long usableSpace(Path where) {
        for (Path p = where; p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                try {
                    return Files.getFileStore(p).getUsableSpace();
                } catch (IOException e) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
