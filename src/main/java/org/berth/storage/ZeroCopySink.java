package org.berth.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a blob's bytes can go without passing through the JVM: the response socket, written by
 * sendfile(2) straight from the page cache. The blob keeps the only copy loop: the sink says how
 * many leading bytes must be copied through the stream first (a server may have to commit its
 * headers with them), the blob copies and flushes them, and the sink takes the rest, or declines
 * having sent nothing and the blob copies that too.
 */
public interface ZeroCopySink {

    /** A sink that never takes anything: every body is copied. */
    ZeroCopySink NONE = new ZeroCopySink() {
        @Override
        public long copiedHead(long length) {
            return length;
        }

        @Override
        public boolean transfer(Path file, long offset, long length) {
            return false;
        }
    };

    /**
     * How many of the first bytes of a body of {@code length} bytes must be copied through the
     * stream (and flushed) before {@link #transfer}; {@code length} when the sink takes none of it.
     */
    long copiedHead(long length) throws IOException;

    /**
     * Sends {@code length} bytes of {@code file} from {@code offset} and returns true, or returns
     * false having sent nothing.
     */
    boolean transfer(Path file, long offset, long length) throws IOException;
}
