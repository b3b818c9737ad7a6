package org.berth.application.replication;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * A blob's bytes as a replication reads them: counted (for the execution's progress) and, under a
 * bandwidth cap, paced to at most that many bytes a second on average since the first read (the
 * pull direction's cap; a push is paced by the registry client's own throttle).
 */
final class MeteredStream extends FilterInputStream {

    private final long bytesPerSecond;
    private final LongConsumer progress;
    private final long start = System.nanoTime();
    private long count;

    /**
     * @param bytesPerSecond 0 for no cap
     * @param progress       told the bytes read so far after each read
     */
    MeteredStream(InputStream in, long bytesPerSecond, LongConsumer progress) {
        super(in);
        this.bytesPerSecond = bytesPerSecond;
        this.progress = progress;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int slice = bytesPerSecond > 0 ? (int) Math.max(1, Math.min(len, Math.max(1024, bytesPerSecond / 8))) : len;
        int n = super.read(b, off, slice);
        if (n > 0) {
            count += n;
            progress.accept(count);
            pace();
        }
        return n;
    }

    /** Sleeps until the bytes read so far are within the cap. */
    private void pace() throws InterruptedIOException {
        if (bytesPerSecond <= 0) {
            return;
        }
        long due = start + (long) (count * 1_000_000_000.0 / bytesPerSecond);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while pacing a replication");
            }
        }
    }

    @Override
    public long skip(long n) throws IOException {
        return super.skip(n); // only before the first read (a resumed source): not counted
    }
}
