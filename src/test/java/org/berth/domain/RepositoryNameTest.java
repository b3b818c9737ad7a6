package org.berth.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RepositoryNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "0", "nginx", "library/nginx", "team-a/app/api", "a/b/c/d/e",
            "a.b", "a_b", "a__b", "a-b", "a--b", "a---b", "v1.2_x-y__z", "org/sub.team/img-1_2"})
    void acceptsTheSpecGrammar(String value) {
        assertEquals(value, new RepositoryName(value).value());
        assertEquals(value, RepositoryName.parse(value).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"A", "Library/nginx", "library/Nginx", "/a", "a/", "/", "a//b", "..", ".", "a/../b",
            "a/./b", "a..b", "a___b", "a._b", "a_.b", "-a", "a-", ".a", "a.", "_a", "a_", "a b", "a:b", "a@b",
            "a/b/", "a\\b", "é"})
    void rejectsEverythingElse(String value) {
        var e = assertThrows(RegistryException.NameInvalid.class, () -> new RepositoryName(value));
        assertEquals(value, e.detail());
    }

    @ParameterizedTest
    @NullAndEmptySource
    void rejectsNullAndEmpty(String value) {
        assertThrows(RegistryException.NameInvalid.class, () -> new RepositoryName(value));
    }

    @Test
    void lengthLimitIs255() {
        String max = "a/".repeat(127) + "a"; // 255 characters
        assertEquals(255, max.length());
        assertEquals(max, new RepositoryName(max).value());

        String tooLong = "a".repeat(256);
        var e = assertThrows(RegistryException.NameInvalid.class, () -> new RepositoryName(tooLong));
        assertTrue(e.getMessage().contains("255"), e.getMessage());
    }

    @Test
    void theProjectIsTheFirstComponentOrLibrary() {
        // the one rule, Project.of: the first component, and library for single-component names
        assertEquals("library", Project.of(new RepositoryName("library/nginx")));
        assertEquals("team-a", Project.of(new RepositoryName("team-a/app/api")));
        assertEquals("library", Project.of(new RepositoryName("solo")));
    }

    @Test
    void ordersLexically() {
        List<RepositoryName> sorted = Stream.of("b", "a/b", "a", "a-b").map(RepositoryName::new).sorted().toList();
        assertEquals(List.of("a", "a-b", "a/b", "b"), sorted.stream().map(RepositoryName::value).toList());
    }
}
