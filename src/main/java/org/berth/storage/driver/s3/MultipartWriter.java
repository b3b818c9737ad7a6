package org.berth.storage.driver.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.berth.storage.driver.FileWriter;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Writes a file as an S3 multipart upload, resumable on any node. Bytes fill a buffer up to one part
 * size (at least 5 MiB); a full buffer goes to the bucket as the next part. The buffer grows with
 * what arrives, so a small blob costs a small buffer, not a part's size (sixteen pushes of small
 * layers at once ran a node of -Xmx256m out of memory when each writer took 10 MiB). What is left when the
 * writer closes (the tail, under a part) is stored with the list of parts in the file's
 * {@code .writing} object by one PUT, and the next writer, on whichever node, starts its buffer
 * with it. A part sent by a writer that never closed (abandoned, or its node died) is not in the
 * list; the next writer sends that part number again, which replaces it.
 */
final class MultipartWriter implements FileWriter {

    private final S3Driver driver;
    private final String path;
    private final List<WriterState.Part> parts;
    /** The first size of the buffer, when no tail fills more. */
    static final int INITIAL_BUFFER = 64 * 1024;

    private final int partSize;
    private byte[] buffer;
    private int buffered;
    private String uploadId;
    /** The upload this writer started, to abort when it is abandoned. */
    private boolean startedHere;
    private long partsSize;
    private boolean dirty;
    private boolean done;

    MultipartWriter(S3Driver driver, String path, WriterState state, int partSize) {
        this.driver = driver;
        this.path = path;
        this.parts = new ArrayList<>(state.parts());
        this.uploadId = state.uploadId();
        this.partSize = Math.max(partSize, state.tail().length);
        this.buffer = Arrays.copyOf(state.tail(), Math.min(this.partSize, Math.max(INITIAL_BUFFER, state.tail().length)));
        this.buffered = state.tail().length;
        this.partsSize = state.size() - state.tail().length;
        this.dirty = state.uploadId() == null && state.parts().isEmpty() && state.tail().length == 0; // a new file: record it
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (done) {
            throw new IOException("writer closed: " + path);
        }
        dirty |= length > 0;
        while (length > 0) {
            int n = Math.min(length, partSize - buffered);
            if (buffered + n > buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min(partSize, Math.max(buffered + (long) n, 2L * buffer.length)));
            }
            System.arraycopy(bytes, offset, buffer, buffered, n);
            buffered += n;
            offset += n;
            length -= n;
            if (buffered == partSize) {
                sendPart();
            }
        }
    }

    /** Sends the buffer as the next part, starting the multipart upload first when there is none. */
    private void sendPart() throws IOException {
        String key = path;
        if (uploadId == null) {
            uploadId = driver.call(() -> driver.s3().createMultipartUpload(b -> b.bucket(driver.bucket()).key(key)).uploadId());
            startedHere = true;
        }
        int number = parts.size() + 1;
        RequestBody part = buffered();
        String etag = driver.call(() -> driver.s3().uploadPart(b -> b.bucket(driver.bucket()).key(key).uploadId(uploadId)
                .partNumber(number).contentLength((long) buffered), part).eTag());
        parts.add(new WriterState.Part(number, buffered, etag));
        partsSize += buffered;
        buffered = 0;
    }

    /** The buffered bytes as a request body, read from the buffer as often as the SDK sends it (no copy). */
    private RequestBody buffered() {
        byte[] bytes = buffer;
        int length = buffered;
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length, "application/octet-stream");
    }

    /** The buffer's size now. */
    int capacity() {
        return buffer.length;
    }

    @Override
    public long size() {
        return partsSize + buffered;
    }

    @Override
    public void abandon() throws IOException {
        if (done) {
            return;
        }
        done = true;
        if (startedHere) {
            String id = uploadId;
            driver.call(() -> driver.s3().abortMultipartUpload(b -> b.bucket(driver.bucket()).key(path).uploadId(id)));
        }
    }

    @Override
    public void commit() throws IOException {
        if (done) {
            throw new IOException("writer closed: " + path);
        }
        done = true;
        if (uploadId == null) {
            RequestBody whole = buffered(); // under one part: a plain PUT
            driver.call(() -> driver.s3().putObject(b -> b.bucket(driver.bucket()).key(path), whole));
        } else {
            if (buffered > 0) {
                sendPart(); // the last part may be smaller than 5 MiB
            }
            List<CompletedPart> completed = parts.stream()
                    .map(p -> CompletedPart.builder().partNumber(p.number()).eTag(p.etag()).build()).toList();
            String id = uploadId;
            driver.call(() -> driver.s3().completeMultipartUpload(b -> b.bucket(driver.bucket()).key(path).uploadId(id)
                    .multipartUpload(m -> m.parts(completed))));
        }
        driver.call(() -> driver.s3().deleteObject(b -> b.bucket(driver.bucket()).key(path + S3Driver.WRITING)));
    }

    /** Records the parts and the tail in one PUT of the {@code .writing} object: the chunk is durable. */
    @Override
    public void close() throws IOException {
        if (done) {
            return;
        }
        done = true;
        if (dirty) {
            driver.putWriterState(path, new WriterState(uploadId, List.copyOf(parts), Arrays.copyOf(buffer, buffered)));
        }
    }
}
