package org.berth.storage.driver.s3;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.berth.storage.driver.FileInfo;
import org.berth.storage.driver.FileWriter;
import org.berth.storage.driver.StorageDriver;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * {@link StorageDriver} on an S3 bucket: a path is an object key. Files being written are S3
 * multipart uploads whose state (and tail of bytes not filling a part) is kept in a
 * {@code <path>.writing} object ({@link WriterState}, {@link MultipartWriter}); a move is a
 * server-side copy and a delete ({@link S3Copier}).
 */
public final class S3Driver implements StorageDriver, AutoCloseable {

    /** The suffix of the object that holds the state of a file being written. */
    static final String WRITING = ".writing";

    /** Object metadata on a {@code .writing} object: the file's size so far, for {@link #stat} by one HEAD. */
    static final String SIZE_METADATA = "berth-size";

    /** The readiness probe's limit: a load balancer asks often, and a hung bucket is a down one. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final S3Client s3;
    private final S3Presigner presigner;
    private final S3Settings settings;

    public S3Driver(S3Client s3, S3Presigner presigner, S3Settings settings) {
        this.s3 = s3;
        this.presigner = presigner;
        this.settings = settings;
    }

    /** A driver with credentials from the usual AWS variables ({@link S3Clients#credentialsFromEnvironment}). */
    public static S3Driver create(S3Settings settings) {
        var credentials = S3Clients.credentialsFromEnvironment();
        return new S3Driver(S3Clients.client(settings, credentials), S3Clients.presigner(settings, credentials), settings);
    }

    String bucket() {
        return settings.bucket();
    }

    S3Client s3() {
        return s3;
    }

    @Override
    public Optional<FileInfo> stat(String path) throws IOException {
        return call(() -> {
            Optional<HeadObjectResponse> committed = head(path);
            if (committed.isPresent()) {
                return Optional.of(new FileInfo(path, committed.get().contentLength(), committed.get().lastModified()));
            }
            return head(path + WRITING).map(w -> new FileInfo(path,
                    Long.parseLong(w.metadata().getOrDefault(SIZE_METADATA, "0")), w.lastModified()));
        });
    }

    private Optional<HeadObjectResponse> head(String key) {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(bucket()).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) { // HEAD has no body, so no error code to make a NoSuchKey of
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public InputStream read(String path, long offset, long length) throws IOException {
        if (length <= 0) {
            if (call(() -> head(path)).isEmpty()) {
                throw new NoSuchFileException(path);
            }
            return InputStream.nullInputStream();
        }
        String range = offset == 0 && length == Long.MAX_VALUE ? null
                : "bytes=" + offset + "-" + (length == Long.MAX_VALUE || offset + length <= 0 ? "" : String.valueOf(offset + length - 1));
        try {
            return s3.getObject(b -> b.bucket(bucket()).key(path).range(range));
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(path);
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                return InputStream.nullInputStream(); // from at or past the end: nothing to send
            }
            throw new IOException("S3 GET " + path + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("S3 GET " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void putContent(String path, byte[] content) throws IOException {
        call(() -> s3.putObject(b -> b.bucket(bucket()).key(path), RequestBody.fromBytes(content)));
    }

    void putWriterState(String path, WriterState state) throws IOException {
        call(() -> s3.putObject(b -> b.bucket(bucket()).key(path + WRITING)
                        .metadata(Map.of(SIZE_METADATA, String.valueOf(state.size()))),
                RequestBody.fromBytes(state.encode())));
    }

    @Override
    public FileWriter writer(String path, boolean append) throws IOException {
        if (!append) {
            return new MultipartWriter(this, path, WriterState.empty(), settings.partSize());
        }
        Optional<byte[]> state = call(() -> {
            try {
                return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket()).key(path + WRITING)).asByteArray());
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            }
        });
        if (state.isPresent()) {
            return new MultipartWriter(this, path, WriterState.decode(state.get()), settings.partSize());
        }
        Optional<HeadObjectResponse> committed = call(() -> head(path));
        if (committed.isPresent()) {
            return new CommittedWriter(path, committed.get().contentLength());
        }
        return new MultipartWriter(this, path, WriterState.empty(), settings.partSize());
    }

    @Override
    public Stream<String> list(String dir) throws IOException {
        String prefix = asPrefix(dir);
        return call(() -> s3.listObjectsV2Paginator(b -> b.bucket(bucket()).prefix(prefix).delimiter("/")).stream()
                .flatMap(page -> Stream.concat(
                        page.commonPrefixes().stream().map(p -> p.prefix()),
                        page.contents().stream().map(S3Object::key).filter(key -> !key.endsWith("/"))
                                .map(key -> key.endsWith(WRITING) ? key.substring(0, key.length() - WRITING.length()) : key)))
                .distinct());
    }

    @Override
    public Stream<FileInfo> walk(String dir) throws IOException {
        return call(() -> allObjects(dir)
                .filter(o -> !o.key().endsWith(WRITING))
                .map(o -> new FileInfo(o.key(), o.size(), o.lastModified())));
    }

    /**
     * Every object under {@code dir}, a page of up to 1,000 at a time, as the stream is consumed;
     * without the "folder" markers (keys ending in '/') some servers and consoles make.
     */
    private Stream<S3Object> allObjects(String dir) {
        String prefix = asPrefix(dir);
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket()).prefix(prefix)).contents().stream()
                .filter(o -> !o.key().endsWith("/"));
    }

    private static String asPrefix(String dir) {
        return dir.isEmpty() || dir.endsWith("/") ? dir : dir + "/";
    }

    @Override
    public void move(String from, String to) throws IOException {
        long size = call(() -> head(from)).orElseThrow(() -> new NoSuchFileException(from)).contentLength();
        call(() -> {
            new S3Copier(s3, bucket()).copy(from, to, size);
            s3.deleteObject(b -> b.bucket(bucket()).key(from));
            return null;
        });
    }

    @Override
    public boolean delete(String path) throws IOException {
        return call(() -> {
            boolean found = head(path).isPresent();
            if (found) {
                s3.deleteObject(b -> b.bucket(bucket()).key(path));
            }
            found |= deleteWriting(path + WRITING);
            try (Stream<S3Object> below = allObjects(path)) {
                for (S3Object o : (Iterable<S3Object>) below::iterator) {
                    if (!o.key().endsWith(WRITING) || !deleteWriting(o.key())) {
                        s3.deleteObject(b -> b.bucket(bucket()).key(o.key()));
                    }
                    found = true;
                }
            }
            return found;
        });
    }

    /** Aborts the multipart upload a writer state names (its parts hold space) and removes the state. */
    private boolean deleteWriting(String key) {
        byte[] bytes;
        try {
            bytes = s3.getObjectAsBytes(b -> b.bucket(bucket()).key(key)).asByteArray();
        } catch (NoSuchKeyException e) {
            return false;
        }
        try {
            String uploadId = WriterState.decode(bytes).uploadId();
            if (uploadId != null) {
                String file = key.substring(0, key.length() - WRITING.length());
                s3.abortMultipartUpload(b -> b.bucket(bucket()).key(file).uploadId(uploadId));
            }
        } catch (IOException | S3Exception e) {
            // unreadable or aborted already: the bucket's lifecycle rule for incomplete uploads reaps it
        }
        s3.deleteObject(b -> b.bucket(bucket()).key(key));
        return true;
    }

    @Override
    public long deleteIfUnchanged(FileInfo seen) throws IOException {
        return call(() -> {
            Optional<HeadObjectResponse> now = head(seen.path());
            // S3 gives times to the second in a HEAD, finer in a listing
            if (now.isEmpty() || !seconds(now.get().lastModified()).equals(seconds(seen.modified()))) {
                return 0L;
            }
            s3.deleteObject(b -> b.bucket(bucket()).key(seen.path()));
            return now.get().contentLength();
        });
    }

    private static Instant seconds(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS);
    }

    @Override
    public Optional<URI> redirectUrl(String path) {
        return settings.redirect().map(validFor -> {
            try {
                return presigner.presignGetObject(p -> p.signatureDuration(validFor)
                        .getObjectRequest(g -> g.bucket(bucket()).key(path))).url().toURI();
            } catch (URISyntaxException e) {
                throw new IllegalStateException("the SDK presigned a malformed URL", e);
            }
        });
    }

    /** HEAD of the bucket within {@link #PROBE_TIMEOUT}. */
    @Override
    public void probe() throws IOException {
        call(() -> s3.headBucket(b -> b.bucket(bucket())
                .overrideConfiguration(c -> c.apiCallTimeout(PROBE_TIMEOUT).apiCallAttemptTimeout(PROBE_TIMEOUT))));
    }

    /** Closes the SDK's client and presigner (their connections and threads). */
    @Override
    public void close() {
        s3.close();
        presigner.close();
    }

    /** An SDK call whose failures become {@link IOException}s, as a filesystem's would be. */
    <T> T call(SdkCall<T> call) throws IOException {
        try {
            return call.run();
        } catch (SdkException e) {
            throw new IOException("S3 bucket " + bucket() + ": " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    interface SdkCall<T> {
        T run() throws IOException;
    }

    /** The writer of a file committed already: it holds its bytes, and takes no more. */
    private record CommittedWriter(String path, long size) implements FileWriter {

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (length > 0) {
                throw new IOException("committed already, no more bytes: " + path);
            }
        }

        @Override
        public void abandon() {
        }

        @Override
        public void commit() {
        }

        @Override
        public void close() {
        }
    }
}
