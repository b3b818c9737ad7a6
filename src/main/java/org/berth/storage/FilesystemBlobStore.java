package org.berth.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import org.berth.domain.Digest;

/**
 * {@link BlobStore} on a local filesystem; layout in {@link StoragePaths}. With {@code BERTH_STORAGE=filesystem}
 * it is the blob store ({@code StorageProducer} chooses); it sends blobs zero-copy, which a
 * {@link DriverBlobStore} on the {@link org.berth.storage.driver.FilesystemDriver} does not.
 */
@ApplicationScoped
@Typed(FilesystemBlobStore.class)
public class FilesystemBlobStore implements BlobStore {

    /** Copy buffer: large enough that a 1 GiB transfer is a few thousand system calls. */
    static final int BUFFER_SIZE = 256 * 1024;

    @Inject
    StorageSettings settings;

    private StoragePaths paths;

    public FilesystemBlobStore() {
    }

    /** For tests and tools outside CDI. */
    public FilesystemBlobStore(StoragePaths paths) {
        this.paths = paths;
    }

    @PostConstruct
    void init() {
        paths = settings.paths();
    }

    StoragePaths paths() {
        return paths;
    }

    @Override
    public Optional<BlobContent> open(Digest digest) {
        Path file = paths.blob(digest);
        return size(digest).map(size -> new FileBlob(digest, file, size));
    }

    @Override
    public Optional<Long> size(Digest digest) {
        try {
            return Optional.of(Files.size(paths.blob(digest)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<byte[]> readSmall(Digest digest) {
        try {
            return Optional.of(Files.readAllBytes(paths.blob(digest)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void putSmall(Digest digest, byte[] content) {
        if (Files.exists(paths.blob(digest))) {
            return;
        }
        Path tmp = paths.tmp().resolve(UUID.randomUUID().toString());
        try {
            Files.createDirectories(paths.tmp());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(true);
            }
            install(tmp, digest);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp); // a partial file must not hold the space a full disk lacks
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw WriteFailure.report("blob " + digest + " not stored", e, paths.tmp());
        }
    }

    @Override
    public long delete(Digest digest) {
        Path file = paths.blob(digest);
        try {
            long size = Files.size(file);
            Files.delete(file);
            return size;
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Stream<StoredFile> blobFiles() {
        return files(paths.blobs(), 3);
    }

    @Override
    public Stream<StoredFile> scratchFiles() {
        return files(paths.tmp(), 1);
    }

    @Override
    public long deleteFile(StoredFile file) {
        Path path = paths.root().resolve(file.name()).normalize();
        if (!path.startsWith(paths.blobs()) && !path.startsWith(paths.tmp())) {
            throw new IllegalArgumentException("not a blob or scratch file: " + file.name());
        }
        try {
            BasicFileAttributes now = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!now.lastModifiedTime().toInstant().equals(file.modified())) {
                return 0;
            }
            Files.delete(path);
            return now.size();
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The regular files under {@code dir}, at most {@code depth} levels down, lazily. */
    private Stream<StoredFile> files(Path dir, int depth) {
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        try {
            return Files.walk(dir, depth).map(this::storedFile).filter(java.util.Objects::nonNull);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private StoredFile storedFile(Path path) {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                return null;
            }
            return new StoredFile(paths.root().relativize(path).toString().replace('\\', '/'), digestNamedBy(path), a.size(),
                    a.lastModifiedTime().toInstant());
        } catch (NoSuchFileException e) {
            return null; // removed while listed
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The digest a path under blobs/ names ({@code blobs/<algorithm>/<hex[0..2]>/<hex>}), or null. */
    private Digest digestNamedBy(Path path) {
        if (!path.startsWith(paths.blobs()) || paths.blobs().relativize(path).getNameCount() != 3) {
            return null;
        }
        String value = path.getParent().getParent().getFileName() + ":" + path.getFileName();
        try {
            Digest digest = Digest.parse(value);
            return paths.blob(digest).equals(path) ? digest : null;
        } catch (RuntimeException e) {
            return null; // not a digest: no row can name it
        }
    }

    /**
     * Makes a verified, fsync'd file the blob for {@code digest} by an atomic rename, then syncs the
     * directory so the rename survives a crash. When another writer got there first, the content
     * is the same (same digest) and the file is simply dropped.
     */
    void install(Path verified, Digest digest) throws IOException {
        Path target = paths.blob(digest);
        if (Files.exists(target)) {
            Files.deleteIfExists(verified);
            return;
        }
        Files.createDirectories(target.getParent());
        try {
            Files.move(verified, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the data root must be one filesystem (atomic rename failed): " + paths.root(), e);
        }
        syncDirectory(target.getParent());
    }

    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some filesystems refuse to sync a directory; the rename itself is still atomic.
        }
    }

    private record FileBlob(Digest digest, Path file, long size) implements BlobContent {

        @Override
        public void writeTo(OutputStream out, long offset, long length, ZeroCopySink sink) throws IOException {
            long head = Math.max(0, Math.min(length, sink.copiedHead(length)));
            if (head > 0) {
                writeTo(out, offset, head);
            }
            if (head == length) {
                return;
            }
            out.flush();
            if (!sink.transfer(file, offset + head, length - head)) {
                writeTo(out, offset + head, length - head);
            }
        }

        @Override
        public void writeTo(OutputStream out, long offset, long length) throws IOException {
            byte[] array = new byte[(int) Math.min(BUFFER_SIZE, Math.max(length, 1))];
            ByteBuffer buffer = ByteBuffer.wrap(array);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long position = offset;
                long remaining = length;
                while (remaining > 0) {
                    buffer.clear().limit((int) Math.min(array.length, remaining));
                    int n = ch.read(buffer, position);
                    if (n < 0) {
                        throw new IOException("blob shorter than recorded: " + digest);
                    }
                    out.write(array, 0, n);
                    position += n;
                    remaining -= n;
                }
            }
        }
    }
}
