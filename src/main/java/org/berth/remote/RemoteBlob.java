package org.berth.remote;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * A blob whose headers arrived and whose body is still streaming from the upstream (or from the
 * storage it redirected to). The caller reads {@link #body()} and must close this.
 */
public final class RemoteBlob implements Closeable {

    private final InputStream body;
    private final long size;

    RemoteBlob(InputStream body, long size) {
        this.body = body;
        this.size = size;
    }

    /** The bytes as they arrive. Not verified here: the caller checks them against the digest. */
    public InputStream body() {
        return body;
    }

    /** The {@code Content-Length}; -1 when the upstream did not send one. */
    public long size() {
        return size;
    }

    @Override
    public void close() throws IOException {
        body.close();
    }

    @Override
    public String toString() {
        return "RemoteBlob[size=" + size + "]";
    }
}
