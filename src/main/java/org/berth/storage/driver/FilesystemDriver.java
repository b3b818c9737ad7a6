package org.berth.storage.driver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * {@link StorageDriver} on a local (or shared, mounted on every node) filesystem: a path is a file
 * under the root. Small writes go to {@code tmp/} first and are renamed into place.
 */
public final class FilesystemDriver implements StorageDriver {

    private final Path root;

    public FilesystemDriver(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The file a path names; refuses a path that would leave the root. */
    Path file(String path) {
        Path file = root.resolve(path).normalize();
        if (!file.startsWith(root) || path.startsWith("/")) {
            throw new IllegalArgumentException("not a path under the root: " + path);
        }
        return file;
    }

    private String pathOf(Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    @Override
    public Optional<FileInfo> stat(String path) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(file(path), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() ? Optional.of(new FileInfo(path, a.size(), a.lastModifiedTime().toInstant())) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public InputStream read(String path, long offset, long length) throws IOException {
        FileChannel ch = FileChannel.open(file(path), StandardOpenOption.READ);
        ch.position(offset);
        InputStream in = Channels.newInputStream(ch);
        return length == Long.MAX_VALUE ? in : new LimitedInputStream(in, length);
    }

    @Override
    public void putContent(String path, byte[] content) throws IOException {
        Path target = file(path);
        Path tmp = root.resolve("tmp").resolve(UUID.randomUUID().toString());
        Files.createDirectories(tmp.getParent());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(true);
            }
            rename(tmp, target);
        } finally {
            Files.deleteIfExists(tmp); // a partial file must not hold the space a full disk lacks
        }
    }

    @Override
    public FileWriter writer(String path, boolean append) throws IOException {
        Path file = file(path);
        Files.createDirectories(file.getParent());
        FileChannel ch = append
                ? FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)
                : FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        return new AppendingWriter(ch);
    }

    @Override
    public Stream<String> list(String dir) throws IOException {
        Path folder = file(dir);
        if (!Files.isDirectory(folder)) {
            return Stream.empty();
        }
        // a directory stream reads entries as they are consumed: no list of every entry in memory
        DirectoryStream<Path> entries = Files.newDirectoryStream(folder);
        return StreamSupport.stream(entries.spliterator(), false)
                .onClose(() -> {
                    try {
                        entries.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .map(p -> pathOf(p) + (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "/" : ""));
    }

    @Override
    public Stream<FileInfo> walk(String dir) throws IOException {
        Path folder = file(dir);
        if (!Files.isDirectory(folder)) {
            return Stream.empty();
        }
        return Files.walk(folder).map(this::infoOrNull).filter(Objects::nonNull);
    }

    private FileInfo infoOrNull(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() ? new FileInfo(pathOf(file), a.size(), a.lastModifiedTime().toInstant()) : null;
        } catch (NoSuchFileException e) {
            return null; // removed while listed
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void move(String from, String to) throws IOException {
        Path source = file(from);
        if (!Files.isRegularFile(source)) {
            throw new NoSuchFileException(from);
        }
        try (FileChannel ch = FileChannel.open(source, StandardOpenOption.WRITE)) {
            ch.force(true); // the bytes are on disk before the name that promises them
        }
        rename(source, file(to));
    }

    /** An atomic rename, then a sync of the directory so that the rename survives a crash. */
    private void rename(Path from, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try {
            Files.move(from, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the data root must be one filesystem (atomic rename failed): " + root, e);
        }
        syncDirectory(target.getParent());
    }

    /** Syncs a directory, so that a rename into it survives a crash; a filesystem that refuses is let be. */
    public static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some filesystems refuse to sync a directory; the rename itself is still atomic.
        }
    }

    @Override
    public boolean delete(String path) throws IOException {
        Path target = file(path);
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            return Files.deleteIfExists(target);
        }
        try (Stream<Path> files = Files.walk(target)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    @Override
    public long deleteIfUnchanged(FileInfo seen) throws IOException {
        Path target = file(seen.path());
        try {
            BasicFileAttributes now = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!now.isRegularFile() || !now.lastModifiedTime().toInstant().equals(seen.modified())) {
                return 0;
            }
            Files.delete(target);
            return now.size();
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    /** Writes, syncs and deletes a small file under {@code tmp/}: the disk takes writes now. */
    @Override
    public void probe() throws IOException {
        Path tmp = root.resolve("tmp");
        Files.createDirectories(tmp);
        Path probe = Files.createTempFile(tmp, "health-", ".probe");
        try {
            Files.write(probe, new byte[] {'o', 'k'}, StandardOpenOption.SYNC);
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** Appends to an open file; {@link #abandon} truncates back to where it started. */
    private static final class AppendingWriter implements FileWriter {

        private final FileChannel ch;
        private final long start;
        private long size;
        private boolean closed;

        AppendingWriter(FileChannel ch) throws IOException {
            this.ch = ch;
            this.start = ch.size();
            this.size = start;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            size += length;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public void abandon() throws IOException {
            try (ch) {
                ch.truncate(start);
                size = start;
            } finally {
                closed = true;
            }
        }

        @Override
        public void commit() throws IOException {
            try (ch) {
                ch.force(true);
            } finally {
                closed = true;
            }
        }

        /** The bytes are in the file (the page cache: a crash of the process loses none); commit syncs. */
        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                ch.close();
            }
        }
    }
}
