package org.berth.infrastructure.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JpaProjectStoreTest {

    @Test
    void nameFilterMatchesWildcardCharactersLiterally() {
        assertEquals("team!_a", JpaProjectStore.likeLiteral("team_a"));
        assertEquals("a!%b!!c", JpaProjectStore.likeLiteral("a%b!c"));
        assertEquals("plain", JpaProjectStore.likeLiteral("plain"));
    }
}
