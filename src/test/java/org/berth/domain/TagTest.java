package org.berth.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TagTest {

    @ParameterizedTest
    @ValueSource(strings = {"latest", "v1.0.0", "1", "_", "_private", "A", "Release-2024_01.rc-1", "a..b", "x--"})
    void acceptsTheSpecGrammar(String value) {
        assertEquals(value, new Tag(value).value());
        assertTrue(Tag.isValid(value));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {".hidden", "-dash", "a:b", "a/b", "a b", "a@b", "tag+1", "é", " latest"})
    void rejectsEverythingElse(String value) {
        var e = assertThrows(RegistryException.TagInvalid.class, () -> new Tag(value));
        assertEquals(value, e.detail());
        assertFalse(Tag.isValid(value));
    }

    @Test
    void atMost128Characters() {
        String max = "t" + "a".repeat(127);
        assertEquals(max, new Tag(max).value());
        assertThrows(RegistryException.TagInvalid.class, () -> new Tag(max + "a"));
    }

    @Test
    void ordersLexically() {
        assertTrue(new Tag("a").compareTo(new Tag("b")) < 0);
        assertTrue(new Tag("V1").compareTo(new Tag("v1")) < 0);
    }
}
