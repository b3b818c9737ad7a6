package org.berth.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PageTest {

    @Test
    void keepsLastAndLimit() {
        Page page = new Page("library/nginx", 5);
        assertEquals("library/nginx", page.last());
        assertEquals(5, page.limit());
        assertNull(new Page(null, 0).last());
        assertEquals(0, new Page(null, 0).limit());
    }

    @Test
    void limitIsCapped() {
        assertEquals(Page.MAX_LIMIT, new Page(null, Page.MAX_LIMIT).limit());
        assertEquals(Page.MAX_LIMIT, new Page(null, Page.MAX_LIMIT + 1).limit());
        assertEquals(Page.MAX_LIMIT, new Page(null, Integer.MAX_VALUE).limit());
    }

    @Test
    void negativeLimitIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Page(null, -1));
        assertThrows(IllegalArgumentException.class, () -> new Page("a", Integer.MIN_VALUE));
    }
}
