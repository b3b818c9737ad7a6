package org.berth.infrastructure.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import org.berth.domain.RegistryException;
import org.junit.jupiter.api.Test;

class AesGcmSecretBoxTest {

    private static final String CONTEXT = "registry_endpoint/hub";

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    private final AesGcmSecretBox box = new AesGcmSecretBox(key(1), "BERTH_SECRET_KEY");

    @Test
    void opensWhatItSealed() {
        for (String secret : new String[] {"p", "", "dckr_pat_0123456789abcdef", "pässwörd \u2603 \uD83D\uDE00", "x".repeat(1024)}) {
            String sealed = box.seal(secret, CONTEXT);
            assertTrue(sealed.startsWith("v1:"), sealed);
            if (secret.length() >= 8) { // a shorter one may turn up in any base64 by chance
                assertFalse(sealed.contains(secret), sealed);
                assertFalse(sealed.contains(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8))));
            }
            assertEquals(secret, box.open(sealed, CONTEXT));
        }
    }

    @Test
    void everySealHasItsOwnNonce() {
        Set<String> nonces = new HashSet<>();
        Set<String> sealed = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String s = box.seal("same password", CONTEXT);
            sealed.add(s);
            byte[] bytes = Base64.getDecoder().decode(s.substring(3));
            assertEquals(12 + "same password".length() + 16, bytes.length);
            nonces.add(Base64.getEncoder().encodeToString(Arrays.copyOf(bytes, 12)));
        }
        assertEquals(100, nonces.size());
        assertEquals(100, sealed.size());
    }

    @Test
    void anotherKeyFailsCleanlyNamingTheSetting() {
        String sealed = box.seal("secret", CONTEXT);
        RegistryException.Unavailable e = assertThrows(RegistryException.Unavailable.class,
                () -> new AesGcmSecretBox(key(2), "BERTH_SECRET_KEY").open(sealed, CONTEXT));
        assertTrue(e.getMessage().contains("BERTH_SECRET_KEY"), e.getMessage());
        assertTrue(e.getMessage().contains(CONTEXT), e.getMessage());
        assertFalse(e.getMessage().contains(sealed.substring(3)), e.getMessage());
        assertEquals(null, e.getCause());
        assertEquals(0, e.getStackTrace().length, "a RegistryException carries no stack trace to log");
    }

    @Test
    void aSealedValueOpensOnlyInItsContext() {
        String sealed = box.seal("secret", CONTEXT);
        assertThrows(RegistryException.Unavailable.class, () -> box.open(sealed, "registry_endpoint/other"));
    }

    @Test
    void damagedOrForeignValuesFailCleanly() {
        String sealed = box.seal("secret", CONTEXT);
        byte[] bytes = Base64.getDecoder().decode(sealed.substring(3));
        bytes[bytes.length - 1] ^= 1;
        String flipped = "v1:" + Base64.getEncoder().encodeToString(bytes);
        for (String bad : new String[] {flipped, "v1:not base64!", "v1:AAAA", "v2:" + sealed.substring(3), "secret", ""}) {
            RegistryException.Unavailable e = assertThrows(RegistryException.Unavailable.class, () -> box.open(bad, CONTEXT));
            assertTrue(e.getMessage().contains("BERTH_SECRET_KEY"), e.getMessage());
        }
    }

    @Test
    void refusesAKeyOfAnotherSize() {
        assertThrows(IllegalArgumentException.class, () -> new AesGcmSecretBox(new byte[16], "x"));
    }

    @Test
    void theKeyIsCopied() {
        byte[] key = key(3);
        AesGcmSecretBox b = new AesGcmSecretBox(key, "x");
        String sealed = b.seal("secret", CONTEXT);
        Arrays.fill(key, (byte) 0);
        assertEquals("secret", b.open(sealed, CONTEXT));
        assertNotEquals(sealed, b.seal("secret", CONTEXT));
    }
}
