package org.berth.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that work behind the request thread of an upload, so that it only reads and writes: one
 * hashes the buffer just written while the next is read ({@link Feed}), and one writes the file out
 * to disk every {@link #WRITE_OUT_EVERY} bytes ({@link WriteOut}), so that the fsync of the commit
 * finds little left to do. Either alone gained nothing measurable on a 2-core VM; both together
 * took a streamed 256 MiB PATCH + PUT from 265-280 to 318-328 MB/s (medians of 8, interleaved with
 * the build before), the commit's fsync from 120 to 22 ms.
 * <p>
 * As many threads as cores, started on demand and gone after a minute idle; more uploads than
 * threads wait for one (each upload has at most one buffer and one write-out in flight), which
 * bounds both CPU and memory. The threads are plain daemons with no context class loader: they only
 * run {@link MessageDigest#update} and {@link FileChannel#force} and never touch the container.
 */
class UploadPipeline implements AutoCloseable {

    private final ThreadPoolExecutor executor;

    UploadPipeline() {
        int threads = Runtime.getRuntime().availableProcessors();
        AtomicInteger count = new AtomicInteger();
        executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread t = new Thread(task, "berth-upload-" + count.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(null);
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
    }

    /** Bytes appended between two write-outs of an upload's file. */
    static final long WRITE_OUT_EVERY = 8L << 20;

    /** A feed of buffers into {@code digest}, in order, one in flight at a time. */
    Feed feed(MessageDigest digest) {
        return new Feed(digest);
    }

    /** Write-outs of {@code file} while it is appended to; the caller must {@link WriteOut#await} before closing it. */
    WriteOut writeOut(FileChannel file) {
        return new WriteOut(file);
    }

    /** One write-out: {@code fdatasync}. A seam for tests of a failing disk. */
    void force(FileChannel file) throws IOException {
        file.force(false);
    }

    @Override
    public void close() {
        executor.shutdown();
    }

    /**
     * Buffers handed to one digest. {@link #update} returns once the buffer is queued; the caller
     * must leave that array alone until the next {@code update} or {@link #await} returns, which is
     * when the hash of it is done. Two arrays in turn are enough to keep both threads busy.
     */
    final class Feed {
        private final MessageDigest digest;
        private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);

        private Feed(MessageDigest digest) {
            this.digest = digest;
        }

        void update(byte[] array, int length) {
            await();
            inFlight = CompletableFuture.runAsync(() -> digest.update(array, 0, length), executor);
        }

        /**
         * Waits for the buffer in flight, uninterruptibly: the digest must not be read or fed while
         * another thread still updates it.
         */
        void await() {
            Throwable failure = settle(inFlight);
            if (failure != null) {
                throw new IllegalStateException("hashing an upload buffer failed", failure);
            }
        }
    }

    /**
     * Background {@code fdatasync} of a file being appended to, at most one at a time. A failed
     * write-out is reported by the next {@link #wrote} or by {@link #await}, and it must fail the
     * upload: Linux reports a writeback error to one fsync only, so the commit's own fsync on a
     * newly opened channel could pass over bytes that never reached the disk.
     */
    final class WriteOut {
        private final FileChannel file;
        private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);
        private long unwritten;

        private WriteOut(FileChannel file) {
            this.file = file;
        }

        /** Counts {@code n} bytes appended; starts a write-out when enough are pending and none is running. */
        void wrote(long n) throws IOException {
            unwritten += n;
            if (unwritten >= WRITE_OUT_EVERY && inFlight.isDone()) {
                await();
                unwritten = 0;
                inFlight = CompletableFuture.runAsync(() -> {
                    try {
                        force(file);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, executor);
            }
        }

        /** Waits for the write-out in flight, uninterruptibly (the channel must outlive it). */
        void await() throws IOException {
            Throwable failure = settle(inFlight);
            if (failure != null) {
                throw new WriteOutFailed(failure instanceof UncheckedIOException u ? u.getCause() : failure);
            }
        }
    }

    /** A background write-out failed: what the upload's file holds on disk is in doubt. */
    static final class WriteOutFailed extends IOException {
        WriteOutFailed(Throwable cause) {
            super("writing the upload out to disk failed", cause);
        }
    }

    /**
     * Waits for {@code task} and returns its failure, if any. {@code join} does not give in to
     * interrupts (they stay set for the caller): the digest or channel must not be touched while
     * the task still runs.
     */
    private static Throwable settle(CompletableFuture<Void> task) {
        try {
            task.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }
}
