package org.berth.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.UUID;

import org.berth.domain.Digest;
import org.berth.domain.DigestAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StoragePathsTest {

    @TempDir
    Path root;

    @Test
    void blobPathFansOutOnTheFirstTwoHexDigits() {
        StoragePaths paths = new StoragePaths(root);
        Digest sha256 = Digest.parse("sha256:ab" + "c".repeat(62));
        assertEquals(root.resolve("blobs/sha256/ab/ab" + "c".repeat(62)), paths.blob(sha256));
        Digest sha512 = Digest.of(DigestAlgorithm.SHA512, new byte[] {1});
        assertEquals(root.resolve("blobs/sha512/" + sha512.hex().substring(0, 2) + "/" + sha512.hex()), paths.blob(sha512));
    }

    @Test
    void everyPathStaysUnderTheRoot() {
        StoragePaths paths = new StoragePaths(root);
        String id = UUID.randomUUID().toString();
        Digest digest = Digest.sha256(new byte[] {42});
        for (Path p : new Path[] {paths.blobs(), paths.blob(digest), paths.uploads(), paths.upload(id),
                paths.uploadData(id), paths.uploadRepository(id), paths.tmp()}) {
            assertEquals(p, p.normalize(), p + " is normalized");
            assertTrue(p.startsWith(root), p + " is under " + root);
            assertFalse(p.equals(root));
        }
        assertEquals(root.resolve("uploads/" + id + "/data"), paths.uploadData(id));
        assertEquals(root.resolve("uploads/" + id + "/repository"), paths.uploadRepository(id));
        assertEquals(root.resolve("tmp"), paths.tmp());
    }

    @Test
    void rootIsMadeAbsoluteAndNormal() {
        StoragePaths paths = new StoragePaths(Path.of("data/../data/./x"));
        assertTrue(paths.root().isAbsolute());
        assertEquals(Path.of("data/x").toAbsolutePath(), paths.root());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "..", "../../etc", "/etc", "6F9619FF-8B86-D011-B42D-00CF4FC964FF",
            "6f9619ff-8b86-d011-b42d-00cf4fc964ff/..", "6f9619ff-8b86-d011-b42d-00cf4fc964f"})
    void malformedUploadIdsNeverBecomePaths(String id) {
        StoragePaths paths = new StoragePaths(root);
        assertFalse(StoragePaths.isUploadId(id));
        assertThrows(IllegalArgumentException.class, () -> paths.upload(id));
        assertThrows(IllegalArgumentException.class, () -> paths.uploadData(id));
        assertThrows(IllegalArgumentException.class, () -> paths.uploadRepository(id));
    }

    @Test
    void canonicalUuidsAreUploadIds() {
        assertTrue(StoragePaths.isUploadId(UUID.randomUUID().toString()));
        assertTrue(StoragePaths.isUploadId("6f9619ff-8b86-d011-b42d-00cf4fc964ff"));
        assertFalse(StoragePaths.isUploadId(null));
    }
}
