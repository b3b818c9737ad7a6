package org.berth.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class RepositorySortTest {

    @Test
    void parametersOfTheContractAreKnownAndAMinusMeansDescending() {
        assertEquals(Optional.of(RepositorySort.NAME), RepositorySort.byParameter("name"));
        assertEquals(Optional.of(RepositorySort.LAST_PUSH_DESC), RepositorySort.byParameter("-last_push"));
        assertTrue(RepositorySort.LAST_PUSH_DESC.descending());
        assertFalse(RepositorySort.LAST_PUSH.descending());
        for (RepositorySort s : RepositorySort.values()) {
            assertEquals(Optional.of(s), RepositorySort.byParameter(s.parameter()));
        }
    }

    @Test
    void anythingElseIsUnknown() {
        assertTrue(RepositorySort.byParameter("Name").isEmpty());
        assertTrue(RepositorySort.byParameter("name; drop table").isEmpty());
        assertTrue(RepositorySort.byParameter(null).isEmpty());
    }
}
