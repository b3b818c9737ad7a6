package org.berth.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a blob's bytes can go without passing through the JVM: the response socket, written by
 * sendfile(2) straight from the page cache. A sink that cannot take a region says so before it
 * sends anything, and the caller copies through the stream instead.
 */
@FunctionalInterface
public interface ZeroCopySink {

    /** A sink that never takes anything: every body is copied. */
    ZeroCopySink NONE = (file, offset, length) -> false;

    /**
     * Sends {@code length} bytes of {@code file} from {@code offset} and returns true, or returns
     * false having sent nothing.
     */
    boolean transfer(Path file, long offset, long length) throws IOException;
}
