package org.berth.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.OptionalLong;

import org.berth.domain.Digest;
import org.berth.storage.driver.FilesystemDriver;
import org.berth.storage.driver.StorageDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver upload store on the filesystem driver: the shared-filesystem layout, any node. */
class DriverUploadStoreOnFilesystemTest extends DriverUploadStoreContract {

    @TempDir
    Path root;

    @Override
    protected StorageDriver newDriver() {
        return new FilesystemDriver(root);
    }

    @Override
    protected StorageDriver sameStorage() {
        return new FilesystemDriver(root);
    }

    @Test
    void aSessionOfTheFilesystemUploadStoreIsResumedFromItsBytes() {
        FilesystemBlobStore older = new FilesystemBlobStore(new StoragePaths(root));
        UploadStore before = new FilesystemUploadStore(older);
        byte[] content = random(300_000, 108);
        String id = before.create(REPO, OWNER).id();
        before.append(REPO, id, new ByteArrayInputStream(content, 0, 100_000), OptionalLong.of(0), OptionalLong.of(100_000));

        assertEquals(100_000, uploads.status(REPO, id).size(), "the same layout");
        uploads.append(REPO, id, new ByteArrayInputStream(content, 100_000, 200_000), OptionalLong.of(100_000), OptionalLong.of(200_000));
        assertEquals(content.length, uploads.commit(REPO, id, Digest.sha256(content)));
        assertEquals(content.length, older.size(Digest.sha256(content)).orElseThrow(), "where the filesystem store looks");
    }
}
