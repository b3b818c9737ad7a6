package org.berth.storage.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesystemDriverTest extends StorageDriverContract {

    @TempDir
    Path root;

    @Override
    protected StorageDriver newDriver() {
        return new FilesystemDriver(root);
    }

    @Override
    protected StorageDriver otherNode() {
        return new FilesystemDriver(root); // the shared-filesystem mode: the same root on every node
    }

    @Test
    void pathsStayUnderTheRoot() {
        assertThrows(IllegalArgumentException.class, () -> driver.stat("../outside"));
        assertThrows(IllegalArgumentException.class, () -> driver.putContent("a/../../outside", new byte[1]));
    }

    @Test
    void filesLieWhereThePathSays() throws Exception {
        driver.putContent("blobs/sha256/ab/abc", new byte[] {1, 2});
        assertEquals(2, Files.size(root.resolve("blobs/sha256/ab/abc")), "the data root's layout is the paths' layout");
    }
}
