package org.berth.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecretHasherTest {

    @Test
    void hashIsLowerCaseHexSha256() {
        // SHA-256("abc"), FIPS 180-2 appendix B.1
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", SecretHasher.hash("abc"));
    }

    @Test
    void matchesOnlyTheSameSecret() {
        String hash = SecretHasher.hash("berth_pat_1_secret");
        assertTrue(SecretHasher.matches("berth_pat_1_secret", hash));
        assertFalse(SecretHasher.matches("berth_pat_1_secreT", hash));
        assertFalse(SecretHasher.matches("", hash));
    }

    @Test
    void nullsNeverMatch() {
        assertFalse(SecretHasher.matches(null, SecretHasher.hash("x")));
        assertFalse(SecretHasher.matches("x", null));
    }
}
