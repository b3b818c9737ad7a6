package org.berth.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;
import org.berth.storage.UploadStore.SessionInfo;
import org.berth.storage.driver.FileInfo;
import org.berth.storage.driver.StorageDriver;

/**
 * The folders of upload sessions, {@code uploads/<id>/} ({@link StoragePaths}), on any driver: who
 * opened a session and for which repository, what the garbage collector sees of it, and the count
 * of open sessions per owner after a restart. Both upload stores keep their sessions this way; they
 * differ in how the bytes are written and hashed.
 */
final class UploadFolders {

    private final StorageDriver driver;

    UploadFolders(StorageDriver driver) {
        this.driver = driver;
    }

    /** Records a new session: its owner, then its repository, which makes it exist. */
    void open(String id, RepositoryName repository, String owner) throws IOException {
        driver.putContent(StoragePaths.uploadOwnerPath(id), owner.getBytes(StandardCharsets.UTF_8));
        driver.putContent(StoragePaths.uploadRepositoryPath(id), repository.value().getBytes(StandardCharsets.UTF_8));
    }

    /** @throws RegistryException.BlobUploadUnknown unless the session exists and belongs to {@code repository} */
    void checkBelongs(RepositoryName repository, String id) {
        if (!StoragePaths.isUploadId(id)) {
            throw new RegistryException.BlobUploadUnknown(id);
        }
        try {
            String recorded = new String(driver.getContent(StoragePaths.uploadRepositoryPath(id)), StandardCharsets.UTF_8);
            if (!recorded.equals(repository.value())) {
                throw new RegistryException.BlobUploadUnknown(id);
            }
        } catch (NoSuchFileException e) {
            throw new RegistryException.BlobUploadUnknown(id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every session, read lazily (the caller closes the stream). */
    Stream<SessionInfo> sessions() {
        try {
            return ids(driver.list("uploads")).map(this::info).filter(Objects::nonNull);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<String> ids(Stream<String> entries) {
        return entries.filter(entry -> entry.endsWith("/"))
                .map(entry -> entry.substring("uploads/".length(), entry.length() - 1))
                .filter(StoragePaths::isUploadId);
    }

    /** The session's facts, or null when it vanished while being read. */
    SessionInfo info(String id) {
        String repository = repositoryOrNull(id);
        try {
            Optional<FileInfo> data = driver.stat(StoragePaths.uploadDataPath(id));
            if (data.isPresent()) {
                return new SessionInfo(id, repository, data.get().size(), data.get().modified());
            }
            // no byte yet (or being discarded): its opening stands for its last write
            Optional<FileInfo> opened = driver.stat(StoragePaths.uploadRepositoryPath(id));
            if (opened.isEmpty()) {
                opened = driver.stat(StoragePaths.uploadOwnerPath(id));
            }
            return opened.map(f -> new SessionInfo(id, repository, 0, f.modified())).orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String repositoryOrNull(String id) {
        try {
            return new String(driver.getContent(StoragePaths.uploadRepositoryPath(id)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Sessions survive a restart, and so does the count of them: each session names its owner. A
     * session of a Berth that did not record owners counts for nobody.
     */
    OpenUploads count(int maxPerOwner) {
        OpenUploads counted = new OpenUploads(maxPerOwner);
        try (Stream<String> ids = ids(driver.list("uploads"))) {
            for (String id : (Iterable<String>) ids::iterator) {
                try {
                    counted.opened(id, new String(driver.getContent(StoragePaths.uploadOwnerPath(id)), StandardCharsets.UTF_8));
                } catch (NoSuchFileException e) {
                    // no owner recorded (an older Berth's session, or one being removed)
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counted;
    }

    /** Removes the session's folder with everything in it. */
    void remove(String id) {
        try {
            driver.delete(StoragePaths.uploadPath(id));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
