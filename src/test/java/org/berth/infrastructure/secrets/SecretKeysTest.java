package org.berth.infrastructure.secrets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretKeysTest {

    @TempDir
    Path dir;

    private boolean posix() throws IOException {
        return Files.getFileStore(dir).supportsFileAttributeView("posix");
    }

    @Test
    void aBase64KeyOf32BytesIsTheKeyItself() {
        byte[] key = new byte[32];
        key[0] = 7;
        String setting = Base64.getEncoder().encodeToString(key);
        assertArrayEquals(key, SecretKeys.fromSetting(setting));
        assertArrayEquals(key, SecretKeys.fromSetting("  " + setting + "\n"));
    }

    @Test
    void aPassphraseIsStretchedTheSameWayEveryTime() {
        byte[] a = SecretKeys.fromSetting("correct horse battery staple");
        assertEquals(32, a.length);
        assertArrayEquals(a, SecretKeys.fromSetting("correct horse battery staple"));
        assertFalse(java.util.Arrays.equals(a, SecretKeys.fromSetting("correct horse battery staplf")));
        // a sealed value made under the one derivation opens under the other
        AesGcmSecretBox box = new AesGcmSecretBox(a, "BERTH_SECRET_KEY");
        String sealed = box.seal("pw", "c");
        assertEquals("pw", new AesGcmSecretBox(SecretKeys.fromSetting("correct horse battery staple"), "x").open(sealed, "c"));
    }

    @Test
    void aShortSettingIsRefusedWithoutQuotingIt() {
        String shortKey = "hunter2hunter2";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SecretKeys.checkSetting(shortKey));
        assertFalse(e.getMessage().contains(shortKey), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SecretKeys.fromSetting(shortKey));
        // 16 characters are enough for a passphrase (trimmed)
        assertEquals("0123456789abcdef", SecretKeys.checkSetting(" 0123456789abcdef "));
    }

    @Test
    void theKeyFileIsMadeOnceWithMode0600() throws IOException {
        Path file = dir.resolve("keys").resolve("secret.key");
        byte[] first = SecretKeys.fromFile(file);
        assertEquals(32, first.length);
        assertTrue(Files.exists(file));
        if (posix()) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        }
        assertEquals(Base64.getEncoder().encodeToString(first) + "\n", Files.readString(file, StandardCharsets.US_ASCII));
        assertArrayEquals(first, SecretKeys.fromFile(file), "read back, not made again");
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left");
        }
    }

    /** Threads stand in for nodes on one shared data root: the link that wins is the key of all. */
    @Test
    void berthsStartingTogetherEndWithOneKey() throws Exception {
        Path file = dir.resolve("keys").resolve("secret.key");
        int racers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<byte[]>> keys = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                keys.add(pool.submit(() -> {
                    start.await();
                    return SecretKeys.fromFile(file);
                }));
            }
            start.countDown();
            byte[] key = keys.get(0).get();
            for (Future<byte[]> k : keys) {
                assertArrayEquals(key, k.get());
            }
            assertArrayEquals(key, Base64.getDecoder().decode(Files.readString(file).trim()));
            try (Stream<Path> files = Files.list(file.getParent())) {
                assertEquals(List.of(file), files.toList(), "no temporary file is left");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFileThatHoldsNoKeyIsRefused() throws IOException {
        Path file = dir.resolve("secret.key");
        Files.writeString(file, "not a key\n");
        IOException e = assertThrows(IOException.class, () -> SecretKeys.fromFile(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
}
