package org.berth.storage.driver;

import java.io.Closeable;
import java.io.IOException;

/**
 * Appends to one file of a {@link StorageDriver}. Bytes written become the file's content in three
 * steps: {@link #close} makes them durable and resumable (a later {@code writer(path, true)}, on
 * any node, continues after them), and {@link #commit} turns the file into a committed one that
 * {@link StorageDriver#read} and {@link StorageDriver#move} take. Used by one thread.
 */
public interface FileWriter extends Closeable {

    void write(byte[] bytes, int offset, int length) throws IOException;

    /** The file's size counting what this writer has written so far. */
    long size();

    /**
     * Forgets what this writer wrote: the file stays as it was when the writer was opened (a
     * refused chunk leaves no trace). The writer is closed.
     */
    void abandon() throws IOException;

    /** Makes the file committed: readable and movable. The writer is closed. */
    void commit() throws IOException;

    /** Makes what was written durable and resumable. Does nothing after {@link #abandon} or {@link #commit}. */
    @Override
    void close() throws IOException;
}
