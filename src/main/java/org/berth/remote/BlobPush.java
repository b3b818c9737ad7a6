package org.berth.remote;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * How a blob is pushed.
 *
 * @param chunkSize      a blob up to this size goes in one PUT; a bigger one in PATCH requests of this
 *                       size, each resumed after a failure from the offset the registry committed
 * @param bytesPerSecond the most sent per second while sending (a bandwidth cap); 0 for no cap
 * @param attempts       tries per chunk (and per monolithic upload) in all, when the failure may pass
 * @param progress       told the bytes sent as they go out and the committed offset after a failure
 * @param sessions       where a chunked upload's session is kept, so that a later push of the blob
 *                       (after this one failed for good, even after a restart) continues it
 */
public record BlobPush(long chunkSize, long bytesPerSecond, int attempts, Progress progress, Sessions sessions) {

    /** 16 MiB: above S3's 5 MiB minimum part size, small enough that a failed chunk costs little. */
    public static final long DEFAULT_CHUNK_SIZE = 16L * 1024 * 1024;

    /** Told how far an upload got. Called on the sending thread: keep it short, never block. */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param bytes how much of the blob is sent or committed; goes back after a failure to what
         *              the registry committed
         * @param size  the blob's size
         */
        void update(long bytes, long size);
    }

    /**
     * Keeps a chunked upload's session beyond one push: a push that failed for good (the registry
     * was down longer than its retries) leaves its session there, and the next push of the blob
     * asks the registry how far it got and sends the rest.
     */
    public interface Sessions {
        /** Nothing kept: every push starts a new session. */
        Sessions NONE = new Sessions() {
            @Override
            public Optional<URI> saved() {
                return Optional.empty();
            }

            @Override
            public void save(URI session) {
            }

            @Override
            public void done() {
            }
        };

        /** The session an earlier push of the blob left, if any. */
        Optional<URI> saved();

        /** The session as it is now (a registry may move it with every chunk). */
        void save(URI session);

        /** The blob is pushed: nothing to continue. */
        void done();
    }

    public BlobPush(long chunkSize, long bytesPerSecond, int attempts, Progress progress) {
        this(chunkSize, bytesPerSecond, attempts, progress, Sessions.NONE);
    }

    public BlobPush {
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(sessions, "sessions");
        if (chunkSize < 1 || bytesPerSecond < 0 || attempts < 1) {
            throw new IllegalArgumentException("chunkSize >= 1, bytesPerSecond >= 0, attempts >= 1");
        }
    }

    /** 16 MiB chunks, no cap, 5 attempts per chunk, no progress. */
    public static BlobPush defaults() {
        return new BlobPush(DEFAULT_CHUNK_SIZE, 0, 5, (bytes, size) -> {
        });
    }

    public BlobPush withChunkSize(long size) {
        return new BlobPush(size, bytesPerSecond, attempts, progress, sessions);
    }

    public BlobPush withBandwidth(long limit) {
        return new BlobPush(chunkSize, limit, attempts, progress, sessions);
    }

    public BlobPush withAttempts(int tries) {
        return new BlobPush(chunkSize, bytesPerSecond, tries, progress, sessions);
    }

    public BlobPush withProgress(Progress listener) {
        return new BlobPush(chunkSize, bytesPerSecond, attempts, listener, sessions);
    }

    public BlobPush withSessions(Sessions kept) {
        return new BlobPush(chunkSize, bytesPerSecond, attempts, progress, kept);
    }
}
