package org.berth.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;

import org.berth.domain.PersonalToken;
import org.junit.jupiter.api.Test;

class SecretGeneratorTest {

    @Test
    void secretIs256RandomBitsInBase64Url() {
        String secret = SecretGenerator.secret();
        assertTrue(secret.matches("[A-Za-z0-9_-]{43}"), secret);
        assertEquals(32, Base64.getUrlDecoder().decode(secret).length);
        assertNotEquals(secret, SecretGenerator.secret());
    }

    @Test
    void personalTokenCarriesItsRowId() {
        String token = SecretGenerator.personalToken(42);
        assertTrue(token.matches("berth_pat_42_[A-Za-z0-9_-]{43}"), token);
        assertEquals(42, PersonalToken.idOf(token).orElseThrow());
    }
}
