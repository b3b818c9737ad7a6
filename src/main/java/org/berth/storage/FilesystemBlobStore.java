package org.berth.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import org.berth.domain.Digest;
import org.berth.storage.driver.FilesystemDriver;

/**
 * {@link BlobStore} on a local filesystem: a {@link DriverBlobStore} on the {@link FilesystemDriver}
 * (layout in {@link StoragePaths}) that sends blobs zero-copy (sendfile) and installs a verified
 * upload by renaming its file. With {@code BERTH_STORAGE=filesystem} it is the blob store
 * ({@code StorageProducer} chooses).
 */
@ApplicationScoped
@Typed(FilesystemBlobStore.class)
public class FilesystemBlobStore extends DriverBlobStore {

    /** Copy buffer: large enough that a 1 GiB transfer is a few thousand system calls. */
    static final int BUFFER_SIZE = 256 * 1024;

    @Inject
    StorageSettings settings;

    private StoragePaths paths;

    public FilesystemBlobStore() {
    }

    /** For tests and tools outside CDI. */
    public FilesystemBlobStore(StoragePaths paths) {
        configure(paths);
    }

    @PostConstruct
    void init() {
        configure(settings.paths());
    }

    private void configure(StoragePaths paths) {
        this.paths = paths;
        use(new FilesystemDriver(paths.root()));
    }

    StoragePaths paths() {
        return paths;
    }

    /** The committed blob as a file, which the sink may send zero-copy. */
    @Override
    public Optional<BlobContent> open(Digest digest) {
        Path file = paths.blob(digest);
        return size(digest).map(size -> new FileBlob(digest, file, size));
    }

    /** A full disk is told by the free space of the data root, as Java gives no errno. */
    @Override
    protected RuntimeException writeFailure(String what, IOException cause) {
        return WriteFailure.report(what, cause, paths.tmp());
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
        FilesystemDriver.syncDirectory(target.getParent());
    }

    /**
     * Makes a verified file the blob for {@code digest} under a second name (a hard link), leaving
     * the file where it is: its readers keep reading and nothing is copied. It must be fsync'd and
     * on the data root's filesystem; where the filesystem has no hard links, it is copied and the
     * copy installed.
     */
    void installLink(Path verified, Digest digest) throws IOException {
        Path target = paths.blob(digest);
        if (Files.exists(target)) {
            return;
        }
        Files.createDirectories(target.getParent());
        try {
            Files.createLink(target, verified);
        } catch (FileAlreadyExistsException e) {
            return; // another writer stored the same bytes
        } catch (UnsupportedOperationException | FileSystemException e) {
            Path copy = Files.createTempFile(paths.tmp(), "adopt-", ".data");
            try {
                Files.copy(verified, copy, StandardCopyOption.REPLACE_EXISTING);
                try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                install(copy, digest);
            } finally {
                Files.deleteIfExists(copy);
            }
            return;
        }
        FilesystemDriver.syncDirectory(target.getParent());
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
