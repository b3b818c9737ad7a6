package org.berth.storage;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.berth.storage.driver.FilesystemDriver;


/** The data root's file system: its free and total space, and whether Berth can write there. */
@ApplicationScoped
public class StorageSpace {

    /**
     * @param root       the data root
     * @param freeBytes  usable by Berth (what a quota of the file system leaves)
     * @param totalBytes size of the file system
     */
    public record Space(String root, long freeBytes, long totalBytes) {
    }

    @Inject
    StorageSettings settings;

    private StoragePaths paths;

    public StorageSpace() {
    }

    /** For tests outside CDI. */
    public StorageSpace(StoragePaths paths) {
        this.paths = paths;
    }

    @PostConstruct
    void init() {
        paths = settings.paths();
    }

    public Space space() throws IOException {
        FileStore store = Files.getFileStore(paths.root());
        return new Space(paths.root().toString(), store.getUsableSpace(), store.getTotalSpace());
    }

    /**
     * Writes, syncs and deletes a small file under {@code tmp/}: proves the disk takes writes now
     * (not only that the permission bits allow it).
     *
     * @throws IOException when it does not
     */
    public void probeWrite() throws IOException {
        new FilesystemDriver(paths.root()).probe();
    }
}
