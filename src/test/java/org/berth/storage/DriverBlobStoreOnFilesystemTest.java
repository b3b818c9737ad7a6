package org.berth.storage;

import java.nio.file.Path;

import org.berth.storage.driver.FilesystemDriver;
import org.junit.jupiter.api.io.TempDir;

class DriverBlobStoreOnFilesystemTest extends BlobStoreContract {

    @TempDir
    Path root;

    @Override
    protected BlobStore newStore() {
        return new DriverBlobStore(new FilesystemDriver(root));
    }
}
