package org.berth.api.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.berth.domain.RegistryException;
import org.junit.jupiter.api.Test;

class AdminPagingTest {

    @Test
    void defaultsToTheFirstPageOfTwenty() {
        AdminPaging paging = AdminPaging.of(null, "");
        assertEquals(new AdminPaging(1, 20), paging);
        assertEquals(0, paging.offset());
    }

    @Test
    void offsetFollowsPageAndSize() {
        assertEquals(50, AdminPaging.of("3", "25").offset());
    }

    @Test
    void refusesOutOfRangeOrNonNumbers() {
        for (String[] bad : new String[][] {{"0", "10"}, {"-1", "10"}, {"x", "10"}, {"1", "0"}, {"1", "101"}, {"1", "1.5"}}) {
            assertThrows(RegistryException.InvalidRequest.class, () -> AdminPaging.of(bad[0], bad[1]), bad[0] + "," + bad[1]);
        }
        assertEquals(100, AdminPaging.of("1", "100").pageSize());
    }
}
