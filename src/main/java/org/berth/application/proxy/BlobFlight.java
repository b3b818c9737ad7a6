package org.berth.application.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import org.berth.domain.Digest;
import org.berth.storage.BlobContent;

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

    final Digest digest;
    final long size;
    final Path spool;
    private final Duration idleLimit;

    private long written;
    private boolean verified;
    private IOException failure;
    private long progressAt = System.nanoTime();
    private Runnable abort = () -> { };

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
        notifyAll();
    }

    /**
     * Waits until bytes past {@code position} may be read: written, and not the last byte before
     * the blob is verified.
     *
     * @return how far bytes may be read
     * @throws IOException when the transfer failed or stalled
     */
    private synchronized long readable(long position) throws IOException {
        while (true) {
            if (failure != null) {
                throw new IOException("fetching " + digest + " from the upstream failed: " + failure.getMessage(), failure);
            }
            long limit = verified ? size : Math.min(written, size - 1);
            if (limit > position) {
                return limit;
            }
            long idle = System.nanoTime() - progressAt;
            if (idle > idleLimit.toNanos()) {
                failure = new IOException("the upstream sent nothing for " + idleLimit.toSeconds() + " s");
                abort.run();
                continue;
            }
            try {
                wait(Math.max(1, Math.min(1000, (idleLimit.toNanos() - idle) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the upstream");
            }
        }
    }

    /**
     * A reader of the blob. It reads the spool; when the flight ended and the spool is gone before
     * it began, it reads the stored blob ({@code stored}) instead.
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
                FileChannel in;
                try {
                    in = FileChannel.open(spool, StandardOpenOption.READ);
                } catch (NoSuchFileException gone) {
                    BlobContent blob = stored.get().orElseThrow(() -> new IOException("fetching " + digest + " failed"));
                    blob.writeTo(out, offset, length);
                    return;
                }
                try (in) {
                    long position = offset;
                    long end = offset + length;
                    var target = Channels.newChannel(out);
                    while (position < end) {
                        long limit = Math.min(readable(position), end);
                        while (position < limit) {
                            long sent = in.transferTo(position, limit - position, target);
                            if (sent <= 0) {
                                throw new IOException("the spool of " + digest + " ended early");
                            }
                            position += sent;
                        }
                        out.flush();
                    }
                }
            }
        };
    }

    /** Deletes the spool; readers that opened it keep reading. */
    void discard() {
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
