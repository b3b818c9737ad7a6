package org.berth.application;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.berth.domain.RegistryStatistics;
import org.berth.storage.StorageSpace;

/** What {@code /api/v1/systeminfo} reports: the version, the storage, the database, the counts. */
@ApplicationScoped
public class SystemInfoService {

    /**
     * @param usedBytes the blobs Berth stores, each once (upload sessions in progress not included)
     */
    public record Storage(String root, long freeBytes, long totalBytes, long usedBytes) {
    }

    public record SystemInfo(String version, Storage storage, RegistryStatistics.Database database,
                             RegistryStatistics.Counts counts) {
    }

    @Inject
    RegistryStatistics statistics;

    @Inject
    StorageSpace space;

    private final String version = readVersion();

    /** The version of this build, e.g. {@code 0.1.0-SNAPSHOT}. */
    public String version() {
        return version;
    }

    public SystemInfo systemInfo() {
        RegistryStatistics.Counts counts = statistics.counts();
        StorageSpace.Space disk;
        try {
            disk = space.space();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the data root's file system", e);
        }
        return new SystemInfo(version, new Storage(disk.root(), disk.freeBytes(), disk.totalBytes(), counts.blobBytes()),
                statistics.database(), counts);
    }

    static String readVersion() {
        try (InputStream in = SystemInfoService.class.getResourceAsStream("/berth-build.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
