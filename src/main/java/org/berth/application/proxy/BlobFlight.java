package org.berth.application.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import org.berth.domain.Digest;
import org.berth.storage.BlobContent;
import org.berth.storage.ZeroCopySink;

/**
 * One blob on its way from an upstream registry (issue 20, "fetch once, stream while storing"):
 * the bytes are written to a spool file and hashed as they arrive, and every client asking for the
 * blob meanwhile reads the spool behind the writer. The last byte is held back until the whole
 * blob matched its digest, so no client ever receives a complete blob that is not the one it
 * asked for; on a mismatch every reader's transfer is cut short (the client sees a failed
 * download, not wrong bytes) and nothing is stored.
 */
final class BlobFlight {

    private static final int BUFFER = 256 * 1024;
    /**
     * Readers are woken, and write to their client, per this many new bytes (or after
     * {@link #BATCH_WAIT_NANOS} with fewer): waking and flushing per network read of a few KiB
     * costs a miss more than half again the time of the transfer.
     */
    private static final long BATCH = 512 * 1024;
    private static final long BATCH_WAIT_NANOS = 5_000_000L;

    final Digest digest;
    final long size;
    final Path spool;
    private final Duration idleLimit;

    private long written;
    private boolean verified;
    private IOException failure;
    private long progressAt = System.nanoTime();
    private long notified;
    private Runnable abort = () -> { };
    private int readers;
    private boolean ended;
    private boolean spoolGone;

    /** Creates the (empty) spool at once, so that a reader that comes before the first byte waits for it. */
    BlobFlight(Digest digest, long size, Path spool, Duration idleLimit) throws IOException {
        this.digest = digest;
        this.size = size;
        this.spool = spool;
        this.idleLimit = idleLimit;
        Files.createFile(spool);
    }

    /** What stops the upstream transfer, when a reader sees it stalled. */
    synchronized void onAbort(Runnable abort) {
        this.abort = abort;
    }

    /**
     * Copies the upstream's body into the spool, hashing it; returns once all of it is there and
     * verified.
     *
     * @param renew called about every few seconds while bytes arrive
     * @throws IOException when the transfer failed, or the bytes are not the blob's
     */
    void fill(InputStream body, Runnable renew) throws IOException {
        MessageDigest hash = Digest.newMessageDigest(digest.algorithm());
        long renewedAt = System.nanoTime();
        try (FileChannel out = FileChannel.open(spool, StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[BUFFER];
            long total = 0;
            int n;
            while ((n = body.read(buffer)) > 0) {
                if (total + n > size) {
                    throw new IOException("the upstream sent more than the " + size + " bytes it announced");
                }
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
                hash.update(buffer, 0, n);
                total += n;
                progressed(total);
                if (System.nanoTime() - renewedAt > 5_000_000_000L) {
                    renew.run();
                    renewedAt = System.nanoTime();
                }
            }
            if (total != size) {
                throw new IOException("the upstream sent " + total + " of the " + size + " bytes it announced");
            }
            Digest actual = Digest.from(digest.algorithm(), hash);
            if (!actual.equals(digest)) {
                throw new CorruptBlob("the upstream's bytes are " + actual + ", not " + digest);
            }
        } catch (IOException e) {
            failed(e);
            throw e;
        }
        synchronized (this) {
            verified = true;
            notifyAll();
        }
    }

    synchronized void failed(IOException e) {
        if (failure == null) {
            failure = e;
        }
        notifyAll();
    }

    /** True once the transfer failed: a new request starts a new fetch rather than read this one. */
    synchronized boolean hasFailed() {
        return failure != null;
    }

    synchronized boolean isVerified() {
        return verified;
    }

    private synchronized void progressed(long total) {
        written = total;
        progressAt = System.nanoTime();
        if (total - notified >= BATCH) {
            notified = total;
            notifyAll();
        }
    }

    /**
     * Waits until bytes past {@code position} may be read: written, and not the last byte before
     * the blob is verified.
     *
     * @return how far bytes may be read
     * @throws IOException when the transfer failed or stalled
     */
    private synchronized long readable(long position, boolean first) throws IOException {
        long since = System.nanoTime();
        while (true) {
            if (failure != null) {
                throw new IOException("fetching " + digest + " from the upstream failed: " + failure.getMessage(), failure);
            }
            long limit = verified ? size : Math.min(written, size - 1);
            long now = System.nanoTime();
            // the first bytes go at once (the client's time to first byte); later ones in batches
            if (limit > position && (first || verified || limit - position >= BATCH || now - since >= BATCH_WAIT_NANOS)) {
                return limit;
            }
            long idle = now - progressAt;
            if (idle > idleLimit.toNanos()) {
                failure = new IOException("the upstream sent nothing for " + idleLimit.toSeconds() + " s");
                abort.run();
                continue;
            }
            // writers notify once per batch: a reader looks again within BATCH_WAIT for what came between
            long waitNanos = limit > position ? BATCH_WAIT_NANOS - (now - since)
                    : Math.min(BATCH_WAIT_NANOS, idleLimit.toNanos() - idle);
            try {
                wait(Math.max(1, Math.min(1000, waitNanos / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the upstream");
            }
        }
    }

    /**
     * A reader of the blob. It reads the spool, which stays until the last reader is done (on the
     * filesystem store the stored blob is the same file under a second name); a reader that comes
     * after the flight ended and the spool is gone reads the stored blob ({@code stored}) instead.
     * Where the response allows it, the spool's bytes go to the client by sendfile, each batch as
     * soon as it is readable.
     */
    BlobContent reader(Supplier<Optional<BlobContent>> stored) {
        return new BlobContent() {
            @Override
            public Digest digest() {
                return digest;
            }

            @Override
            public long size() {
                return size;
            }

            @Override
            public void writeTo(OutputStream out, long offset, long length) throws IOException {
                writeTo(out, offset, length, ZeroCopySink.NONE);
            }

            @Override
            public void writeTo(OutputStream out, long offset, long length, ZeroCopySink sink) throws IOException {
                if (!enter()) {
                    BlobContent blob = stored.get().orElseThrow(() -> new IOException("fetching " + digest + " failed"));
                    blob.writeTo(out, offset, length, sink);
                    return;
                }
                try (FileChannel in = FileChannel.open(spool, StandardOpenOption.READ)) {
                    long end = offset + length;
                    long head = offset + Math.max(0, Math.min(length, sink.copiedHead(length)));
                    copy(in, out, offset, head);
                    long position = head;
                    while (position < end) {
                        long limit = Math.min(readable(position, false), end);
                        if (!sink.transfer(spool, position, limit - position)) {
                            copy(in, out, position, limit);
                        }
                        position = limit;
                    }
                } finally {
                    leave();
                }
            }
        };
    }

    /**
     * Copies the spool's bytes from {@code position} to {@code end} through the stream, as they
     * become readable (the first ones at once), flushing each batch.
     */
    private void copy(FileChannel in, OutputStream out, long position, long end) throws IOException {
        // big reads and writes: FileChannel.transferTo into a stream's channel copies 8 KiB at a time
        byte[] buffer = new byte[(int) Math.min(BUFFER, Math.max(1, end - position))];
        ByteBuffer view = ByteBuffer.wrap(buffer);
        boolean first = true;
        while (position < end) {
            long limit = Math.min(readable(position, first), end);
            first = false;
            while (position < limit) {
                view.clear().limit((int) Math.min(buffer.length, limit - position));
                int read = in.read(view, position);
                if (read <= 0) {
                    throw new IOException("the spool of " + digest + " ended early");
                }
                out.write(buffer, 0, read);
                position += read;
            }
            out.flush();
        }
    }

    /** Counts a reader in; false once the spool is gone. */
    private synchronized boolean enter() {
        if (spoolGone) {
            return false;
        }
        readers++;
        return true;
    }

    private synchronized void leave() {
        readers--;
        if (ended && readers == 0) {
            deleteSpool();
        }
    }

    /** The flight is over: the spool goes once its last reader is done. */
    synchronized void discard() {
        ended = true;
        if (readers == 0) {
            deleteSpool();
        }
    }

    private void deleteSpool() {
        spoolGone = true;
        try {
            Files.deleteIfExists(spool);
        } catch (IOException e) {
            // left for the clean-up at start
        }
    }

    /** The upstream's bytes do not match the digest: the blob is refused. */
    static final class CorruptBlob extends IOException {
        CorruptBlob(String message) {
            super(message);
        }
    }
}
