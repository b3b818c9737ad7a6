package org.berth.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;

import org.berth.domain.Digest;
import org.berth.domain.DigestAlgorithm;

/**
 * The state of one upload session while Berth runs: a lock serialising its appends and commit,
 * and the running SHA-256 of its bytes (rebuilt from disk after a restart).
 */
final class UploadSessionState extends FolderUploadStore.Served {

    /** Reading the client's request body failed: the client hung up, the server's disk is not to blame. */
    static final class ClientStreamFailed extends IOException {
        ClientStreamFailed(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Buffers at least this full are hashed on the pipeline; smaller ones cost less than the hand-over. */
    static final int PIPELINED_BUFFER = 64 * 1024;

    MessageDigest digest = Digest.newMessageDigest(DigestAlgorithm.SHA256);
    long hashed;

    /**
     * Brings the running hash level with the file. Bytes appended since this hash was taken (by
     * another node on a shared data root) are fed from disk: a session's bytes are only ever
     * appended, and a chunk cut short is cut back to where it began, so the bytes this hash covers
     * do not change. Otherwise (a restart, a failed chunk) the hash is rebuilt from the start.
     */
    void catchUp(Path data, long size) throws UncheckedIOException {
        if (hashed == size) {
            return;
        }
        try {
            if (hashed < size) {
                hashed += FilesystemUploadStore.feed(digest, data, hashed, size - hashed);
            } else {
                reset();
                hashed = FilesystemUploadStore.feed(digest, data, 0, size);
            }
        } catch (IOException e) {
            reset();
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Copies {@code in} to the end of {@code ch} in full buffers and feeds each buffer to the
     * running hash once it is written, so the hash never runs ahead of the file. Big buffers are
     * hashed on the pipeline while the next one is read and written, and the file is written out
     * behind them; the bytes of a small body are hashed here, with no thread hop. When the stream
     * fails, what was read is written first.
     *
     * @return the bytes appended
     * @throws ClientStreamFailed when reading {@code in} failed (what was read is written)
     * @throws IOException any other: the server's disk failed a write or a write-out
     *         ({@link UploadPipeline.WriteOutFailed}), the bytes on disk are in doubt
     */
    long writeAndHash(InputStream in, FileChannel ch, UploadPipeline pipeline) throws IOException {
        UploadPipeline.Feed feed = pipeline.feed(digest);
        UploadPipeline.WriteOut writeOut = pipeline.writeOut(ch);
        byte[] array = new byte[FilesystemBlobStore.BUFFER_SIZE];
        byte[] spare = null;
        long written = 0;
        try {
            boolean more = true;
            while (more) {
                int n = 0;
                IOException failure = null;
                try {
                    for (int r; n < array.length && (r = in.read(array, n, array.length - n)) >= 0; ) {
                        n += r;
                    }
                } catch (IOException e) {
                    failure = new ClientStreamFailed(e);
                }
                more = failure == null && n == array.length;
                ByteBuffer buffer = ByteBuffer.wrap(array, 0, n);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                if (n >= PIPELINED_BUFFER) {
                    feed.update(array, n);
                    byte[] next = spare == null ? new byte[array.length] : spare;
                    spare = array;
                    array = next;
                } else if (n > 0) {
                    feed.await();
                    digest.update(array, 0, n);
                }
                written += n;
                if (failure != null) {
                    throw failure;
                }
                writeOut.wrote(n);
            }
        } finally {
            try {
                feed.await();
                hashed += written;
            } catch (IllegalStateException e) {
                reset();
            }
            writeOut.await();
        }
        return written;
    }

    void reset() {
        digest = Digest.newMessageDigest(DigestAlgorithm.SHA256);
        hashed = 0;
    }

    MessageDigest copyOfDigest() {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 is cloneable", e);
        }
    }
}
