package org.berth.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class AuditOutcomeTest {

    @Test
    void theErrorIsItsCodeAndMessage() {
        assertEquals("DENIED: requested access to the resource is denied",
                AuditOutcome.error("DENIED", "requested access to the resource is denied"));
    }

    @Test
    void aFiveThousandCharacterMessageIsClippedNotParsed() {
        String error = AuditOutcome.error("MANIFEST_INVALID", "x".repeat(5000));
        assertEquals(AuditOutcome.MAX_ERROR, error.length());
        assertEquals('\u2026', error.charAt(error.length() - 1));
    }

    @Test
    void clipKeepsShortTextAndNull() {
        assertEquals("abc", AuditOutcome.clip("abc", 3));
        assertEquals("a\u2026", AuditOutcome.clip("abc", 2));
        assertNull(AuditOutcome.clip(null, 2));
    }
}
