package org.berth.remote;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * The bytes of a blob to push, opened again at any offset: a chunked upload that fails in the
 * middle resumes from the offset the registry committed instead of sending the blob again.
 */
public interface BlobSource {

    /** The blob's size in bytes. */
    long size();

    /** A stream of the blob's bytes from {@code offset} (0 &lt;= offset &lt;= size) to its end; the caller closes it. */
    InputStream open(long offset) throws IOException;

    /** Bytes in memory (a config, a small layer, a test). */
    static BlobSource of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return new BlobSource() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public InputStream open(long offset) {
                return new ByteArrayInputStream(bytes, (int) offset, bytes.length - (int) offset);
            }
        };
    }

    /** A file of the given size, read from its channel at the offset. */
    static BlobSource of(Path file, long size) {
        Objects.requireNonNull(file, "file");
        return new BlobSource() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public InputStream open(long offset) throws IOException {
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                try {
                    return Channels.newInputStream(channel.position(offset));
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
            }
        };
    }
}
