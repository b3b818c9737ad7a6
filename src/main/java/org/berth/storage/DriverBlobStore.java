package org.berth.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import java.util.stream.Stream;

import org.berth.domain.Digest;
import org.berth.storage.driver.FileInfo;
import org.berth.storage.driver.StorageDriver;

/**
 * {@link BlobStore} on any {@link StorageDriver} (layout in {@link StoragePaths}): what
 * {@code BERTH_STORAGE=s3} runs on. {@link FilesystemBlobStore} is this on the filesystem driver,
 * and also sends blobs zero-copy.
 */
public class DriverBlobStore implements BlobStore {

    private StorageDriver driver;

    public DriverBlobStore(StorageDriver driver) {
        this.driver = driver;
    }

    /** For a subclass that is a CDI bean: it sets its driver with {@link #use} once configured. */
    protected DriverBlobStore() {
    }

    protected void use(StorageDriver driver) {
        this.driver = driver;
    }

    /** Not final (nor is any method here): Weld proxies the CDI bean FilesystemBlobStore, a subclass. */
    StorageDriver driver() {
        return driver;
    }

    /** What a failed write tells the client (507 when the storage is full, else 503). */
    protected RuntimeException writeFailure(String what, IOException cause) {
        return WriteFailure.report(what, cause, null);
    }

    @Override
    public Optional<BlobContent> open(Digest digest) {
        String path = StoragePaths.blobPath(digest);
        return size(digest).map(size -> new DriverBlob(digest, size, path, driver));
    }

    @Override
    public Optional<Long> size(Digest digest) {
        try {
            return driver.stat(StoragePaths.blobPath(digest)).map(FileInfo::size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<byte[]> readSmall(Digest digest) {
        try {
            return Optional.of(driver.getContent(StoragePaths.blobPath(digest)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void putSmall(Digest digest, byte[] content) {
        String path = StoragePaths.blobPath(digest);
        try {
            if (driver.stat(path).isEmpty()) {
                driver.putContent(path, content); // atomic: a reader sees all of it or nothing
            }
        } catch (IOException e) {
            throw writeFailure("blob " + digest + " not stored", e);
        }
    }

    @Override
    public long delete(Digest digest) {
        String path = StoragePaths.blobPath(digest);
        try {
            Optional<FileInfo> file = driver.stat(path);
            if (file.isEmpty()) {
                return 0;
            }
            driver.delete(path);
            return file.get().size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Stream<StoredFile> blobFiles() {
        return files("blobs");
    }

    @Override
    public Stream<StoredFile> scratchFiles() {
        return files("tmp");
    }

    private Stream<StoredFile> files(String dir) {
        try {
            return driver.walk(dir).map(f -> new StoredFile(f.path(), StoragePaths.digestNamedBy(f.path()), f.size(), f.modified()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long deleteFile(StoredFile file) {
        String name = file.name();
        if (!(name.startsWith("blobs/") || name.startsWith("tmp/")) || name.contains("..") || name.startsWith("/")) {
            throw new IllegalArgumentException("not a blob or scratch file: " + name);
        }
        try {
            return driver.deleteIfUnchanged(new FileInfo(name, file.size(), file.modified()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A committed blob, streamed from the driver (a range is one ranged read). */
    private record DriverBlob(Digest digest, long size, String path, StorageDriver driver) implements BlobContent {

        @Override
        public void writeTo(OutputStream out, long offset, long length) throws IOException {
            try (InputStream in = driver.read(path, offset, length)) {
                long copied = in.transferTo(out);
                if (copied != length) {
                    throw new IOException("blob shorter than recorded: " + digest);
                }
            }
        }

        @Override
        public Optional<URI> redirect() {
            return driver.redirectUrl(path);
        }
    }
}
