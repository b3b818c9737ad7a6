package org.berth.application;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.berth.domain.RegistryException;
import org.junit.jupiter.api.Test;

class PasswordPolicyTest {

    @Test
    void needsEightCharacters() {
        assertThrows(RegistryException.InvalidRequest.class, () -> PasswordPolicy.check("1234567".toCharArray()));
        assertThrows(RegistryException.InvalidRequest.class, () -> PasswordPolicy.check(null));
        assertDoesNotThrow(() -> PasswordPolicy.check("12345678".toCharArray()));
    }

    @Test
    void countsCharactersNotUtf16Units() {
        // seven characters, one outside the BMP (two UTF-16 units)
        assertThrows(RegistryException.InvalidRequest.class, () -> PasswordPolicy.check("abcdef\uD83D\uDE00".toCharArray()));
    }

    @Test
    void refusesWhatBcryptWouldCut() {
        assertDoesNotThrow(() -> PasswordPolicy.check("a".repeat(72).toCharArray()));
        assertThrows(RegistryException.InvalidRequest.class, () -> PasswordPolicy.check("a".repeat(73).toCharArray()));
        assertThrows(RegistryException.InvalidRequest.class, () -> PasswordPolicy.check("é".repeat(37).toCharArray()));
    }
}
