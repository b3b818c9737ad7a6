package org.berth.remote;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes {@code [offset, offset + length)} of a {@link BlobSource} as a request body: paced by
 * the push's {@link Throttle}, counted, and reported to its progress. Each {@link #open()} opens
 * the source again (a 401 or a redirect sends the body twice); {@link #close()} closes the last.
 */
final class UploadBody implements RemoteTransport.Body, AutoCloseable {

    /** A failure to read the local source, told apart from a failure of the connection. */
    static final class SourceFailure extends IOException {
        private static final long serialVersionUID = 1L;

        SourceFailure(IOException cause) {
            super("reading the local blob failed: " + cause.getClass().getSimpleName(), cause);
        }
    }

    private final BlobSource source;
    private final long offset;
    private final long length;
    private final Throttle throttle;
    private final BlobPush.Progress progress;
    private final AtomicLong sent;
    private InputStream current;

    /**
     * @param sent counts every byte handed to the connection over the whole push
     */
    UploadBody(BlobSource source, long offset, long length, Throttle throttle, BlobPush.Progress progress, AtomicLong sent) {
        this.source = source;
        this.offset = offset;
        this.length = length;
        this.throttle = throttle;
        this.progress = progress;
        this.sent = sent;
    }

    @Override
    public synchronized HttpRequest.BodyPublisher open() throws IOException {
        close();
        InputStream in;
        try {
            in = source.open(offset);
        } catch (IOException e) {
            throw new SourceFailure(e);
        }
        current = new Counted(in);
        InputStream opened = current;
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> opened), length);
    }

    @Override
    public synchronized void close() {
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                // a source we are done with
            }
            current = null;
        }
    }

    /** At most {@code length} bytes of the source, paced and counted. */
    private final class Counted extends FilterInputStream {
        private long left = length;

        Counted(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int want = (int) Math.min(len, left);
            if (throttle != null) {
                want = throttle.slice(want);
            }
            int n;
            try {
                n = super.read(b, off, want);
            } catch (IOException e) {
                throw new SourceFailure(e);
            }
            if (n < 0) {
                throw new SourceFailure(new IOException("the source ended " + left + " bytes early"));
            }
            if (throttle != null) {
                throttle.acquire(n);
            }
            left -= n;
            sent.addAndGet(n);
            progress.update(offset + length - left, source.size());
            return n;
        }

        @Override
        public long skip(long n) {
            return 0;
        }
    }
}
