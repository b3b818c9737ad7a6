package org.berth.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PersonalTokenTest {

    @Test
    void formatAndIdOfRoundTrip() {
        String token = PersonalToken.format(7, "abc_-def");
        assertEquals("berth_pat_7_abc_-def", token);
        assertEquals(7, PersonalToken.idOf(token).orElseThrow());
    }

    @Test
    void stringsNotShapedLikeTokensHaveNoId() {
        assertTrue(PersonalToken.idOf("a password").isEmpty());
        assertTrue(PersonalToken.idOf("berth_pat_").isEmpty());
        assertTrue(PersonalToken.idOf("berth_pat__x").isEmpty());
        assertTrue(PersonalToken.idOf("berth_pat_12x_y").isEmpty());
        assertTrue(PersonalToken.idOf("berth_pat_99999999999999999999_y").isEmpty());
        assertTrue(PersonalToken.idOf(null).isEmpty());
    }

    @Test
    void names() {
        assertTrue(PersonalToken.isValidName("laptop"));
        assertTrue(PersonalToken.isValidName("CI-2026.01_a"));
        assertFalse(PersonalToken.isValidName("-x"));
        assertFalse(PersonalToken.isValidName("a b"));
        assertFalse(PersonalToken.isValidName("x".repeat(65)));
        assertFalse(PersonalToken.isValidName(null));
    }
}
