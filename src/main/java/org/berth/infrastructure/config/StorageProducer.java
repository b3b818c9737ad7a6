package org.berth.infrastructure.config;

import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import org.berth.storage.BlobStore;
import org.berth.storage.DriverBlobStore;
import org.berth.storage.DriverUploadStore;
import org.berth.storage.FilesystemBlobStore;
import org.berth.storage.FilesystemUploadStore;
import org.berth.storage.StoragePaths;
import org.berth.storage.StorageSettings;
import org.berth.storage.UploadStore;
import org.berth.storage.driver.FilesystemDriver;
import org.berth.storage.driver.StorageDriver;
import org.berth.storage.driver.s3.S3Driver;
import org.berth.storage.driver.s3.S3Settings;

/**
 * Tells the storage layer its settings, and picks the stores of {@code BERTH_STORAGE}: on the
 * filesystem, {@link FilesystemBlobStore} and {@link FilesystemUploadStore} (zero-copy sends,
 * pipelined hashing); on S3, {@link DriverBlobStore} and {@link DriverUploadStore} on an
 * {@link S3Driver}. Storage itself reads no configuration.
 */
@ApplicationScoped
public class StorageProducer {

    private static final Logger LOG = Logger.getLogger(StorageProducer.class.getName());

    @Inject
    BerthConfig config;

    @Produces
    StorageSettings settings() {
        return new StorageSettings(new StoragePaths(config.dataRoot()), config.maxUploadSessions());
    }

    @Produces
    @ApplicationScoped
    StorageDriver driver() {
        if (!config.s3Storage()) {
            return new FilesystemDriver(config.dataRoot());
        }
        S3Settings s3 = config.s3Settings();
        LOG.info("storage: S3 bucket " + s3.bucket() + s3.endpoint().map(e -> " at " + e).orElse("")
                + (s3.redirect().isPresent() ? ", blob GETs redirected to presigned URLs" : ""));
        return S3Driver.create(s3);
    }

    void close(@Disposes StorageDriver driver) throws Exception {
        if (driver instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Produces
    @ApplicationScoped
    BlobStore blobStore(Instance<FilesystemBlobStore> filesystem, StorageDriver driver) {
        return config.s3Storage() ? new DriverBlobStore(driver) : filesystem.get();
    }

    @Produces
    @ApplicationScoped
    UploadStore uploadStore(Instance<FilesystemUploadStore> filesystem, StorageDriver driver) {
        return config.s3Storage() ? new DriverUploadStore(driver, config.maxUploadSessions()) : filesystem.get();
    }
}
