package org.berth.remote;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Time limits on reading a body. The HTTP client's request timeout ends when the headers arrive;
 * after that a silent upstream would hold a read forever. A stream is closed from a timer thread
 * when its limit passes (the JDK's response stream wakes a blocked read on close), and the
 * reader gets an {@link HttpTimeoutException}, so the failure is a TIMEOUT.
 */
final class ReadDeadlines implements AutoCloseable {

    private final Duration limit;
    private final ScheduledThreadPoolExecutor timer;

    ReadDeadlines(Duration limit) {
        this.limit = limit;
        this.timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(task, "berth-remote-deadlines");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Reads at most {@code max + 1} bytes (see {@link BoundedBody#readUpTo}) within the limit, and closes the stream. */
    byte[] readUpTo(InputStream in, int max) throws IOException {
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> deadline = timer.schedule(() -> closeQuietly(in, expired), limit.toMillis(), TimeUnit.MILLISECONDS);
        try (in) {
            return BoundedBody.readUpTo(in, max);
        } catch (IOException e) {
            throw expired.get() ? timedOut("body not complete within " + limit.toMillis() + " ms") : e;
        } finally {
            deadline.cancel(false);
        }
    }

    /**
     * Up to {@link UpstreamFailures#MAX_ERROR_BODY} bytes of a failed answer's body, for its OCI
     * error; empty for a HEAD or when reading fails. Closes the body.
     */
    byte[] errorBody(String method, HttpResponse<InputStream> response) {
        try {
            if ("HEAD".equals(method)) {
                response.body().close();
                return new byte[0];
            }
            return readUpTo(response.body(), UpstreamFailures.MAX_ERROR_BODY);
        } catch (IOException e) {
            return new byte[0]; // the status says enough
        }
    }

    /** The stream, closed when a read waits longer than the limit for its next bytes. */
    InputStream idleLimited(InputStream in) {
        return new FilterInputStream(in) {
            private final AtomicBoolean expired = new AtomicBoolean();

            @Override
            public int read() throws IOException {
                ScheduledFuture<?> deadline = arm();
                try {
                    return super.read();
                } catch (IOException e) {
                    throw expired.get() ? idle() : e;
                } finally {
                    deadline.cancel(false);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                ScheduledFuture<?> deadline = arm();
                try {
                    return super.read(b, off, len);
                } catch (IOException e) {
                    throw expired.get() ? idle() : e;
                } finally {
                    deadline.cancel(false);
                }
            }

            private ScheduledFuture<?> arm() {
                return timer.schedule(() -> closeQuietly(in, expired), limit.toMillis(), TimeUnit.MILLISECONDS);
            }

            private IOException idle() {
                return timedOut("no bytes for " + limit.toMillis() + " ms");
            }
        };
    }

    private static HttpTimeoutException timedOut(String message) {
        return new HttpTimeoutException(message);
    }

    private static void closeQuietly(InputStream in, AtomicBoolean expired) {
        expired.set(true);
        try {
            in.close();
        } catch (IOException e) {
            // it is being given up on
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
