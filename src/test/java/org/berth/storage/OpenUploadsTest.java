package org.berth.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OpenUploadsTest {

    @Test
    void anOwnerAtTheLimitIsRefusedAndOthersAreNot() {
        OpenUploads open = new OpenUploads(2);
        assertTrue(open.tryOpen("a1", "alice"));
        assertTrue(open.tryOpen("a2", "alice"));
        assertFalse(open.tryOpen("a3", "alice"));
        assertTrue(open.tryOpen("b1", "bob"));
        assertTrue(open.tryOpen("x1", "anonymous/127.0.0.1"));
        assertEquals(2, open.count("alice"));
        assertEquals(1, open.count("bob"));
    }

    @Test
    void aClosedSessionFreesItsSlotOnce() {
        OpenUploads open = new OpenUploads(2);
        open.tryOpen("a1", "alice");
        open.tryOpen("a2", "alice");
        open.closed("a1");
        open.closed("a1");
        open.closed("never-opened");
        assertEquals(1, open.count("alice"));
        assertTrue(open.tryOpen("a3", "alice"));
        assertFalse(open.tryOpen("a4", "alice"));
    }

    @Test
    void sessionsFoundOnDiskCountEvenPastTheLimit() {
        OpenUploads open = new OpenUploads(1);
        open.opened("a1", "alice");
        open.opened("a2", "alice");
        open.opened("a2", "alice");
        assertEquals(2, open.count("alice"));
        assertFalse(open.tryOpen("a3", "alice"));
        open.closed("a1");
        assertFalse(open.tryOpen("a3", "alice"), "still one open, the most allowed");
        open.closed("a2");
        assertTrue(open.tryOpen("a3", "alice"));
    }

    @Test
    void noLimitBelowOne() {
        OpenUploads open = new OpenUploads(0);
        for (int i = 0; i < 1000; i++) {
            assertTrue(open.tryOpen("s" + i, "alice"));
        }
        assertEquals(1000, open.count("alice"));
    }
}
