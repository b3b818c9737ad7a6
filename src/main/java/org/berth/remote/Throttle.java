package org.berth.remote;

import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;

/**
 * A bandwidth cap: paces the bytes of one push to at most {@code bytesPerSecond}, over every chunk
 * and every resend, with a burst of at most a quarter of a second's worth after an idle spell.
 */
final class Throttle {

    private static final long BURST_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final long bytesPerSecond;
    private long next; // when the bytes handed out so far have been paid for

    Throttle(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
        this.next = System.nanoTime();
    }

    /** How many bytes one read may ask for, so that the pacing stays smooth. */
    int slice(int wanted) {
        return (int) Math.max(1, Math.min(wanted, Math.max(1024, bytesPerSecond / 8)));
    }

    /** Waits until {@code n} more bytes may be sent. */
    synchronized void acquire(int n) throws InterruptedIOException {
        long now = System.nanoTime();
        if (next < now - BURST_NANOS) {
            next = now - BURST_NANOS;
        }
        next += (long) (n * 1_000_000_000.0 / bytesPerSecond);
        long wait = next - now;
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while pacing an upload");
            }
        }
    }
}
