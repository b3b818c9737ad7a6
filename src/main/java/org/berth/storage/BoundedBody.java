package org.berth.storage;

import java.io.IOException;
import java.io.InputStream;

/**
 * A request body read no further than the room an upload session has left: the first byte past
 * it ends the read with {@link UploadTooLarge}, so a body bigger than the room is never stored,
 * whatever length it declared (or none, when it is chunked).
 */
final class BoundedBody extends InputStream {

    private final InputStream in;
    private final long maxSize;
    private long left;

    /**
     * @param held    bytes the session holds already
     * @param maxSize the most the session may hold
     */
    BoundedBody(InputStream in, long held, long maxSize) {
        this.in = in;
        this.maxSize = maxSize;
        this.left = Math.max(0, maxSize - held);
    }

    @Override
    public int read() throws IOException {
        if (left == 0) {
            return endOrRefuse();
        }
        int b = in.read();
        if (b >= 0) {
            left--;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (left == 0) {
            return endOrRefuse();
        }
        int n = in.read(buffer, offset, (int) Math.min(length, left));
        if (n > 0) {
            left -= n;
        }
        return n;
    }

    /** The room is used up: the body must end here. */
    private int endOrRefuse() throws IOException {
        if (in.read() < 0) {
            return -1;
        }
        throw new UploadTooLarge(maxSize, maxSize + 1);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
