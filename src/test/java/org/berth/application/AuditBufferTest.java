package org.berth.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.berth.domain.AuditEntry;
import org.junit.jupiter.api.Test;

class AuditBufferTest {

    private static AuditEntry entry(String resource) {
        return new AuditEntry(null, Instant.now(), "u", AuditEntry.Kind.USER, "127.0.0.1", AuditEntry.Operation.PULL,
                "artifact", resource, "p", true, null);
    }

    @Test
    void drainsInBatchesOldestFirst() {
        AuditBuffer buffer = new AuditBuffer(10);
        for (int i = 0; i < 5; i++) {
            assertTrue(buffer.offer(entry("r" + i)));
        }
        List<AuditEntry> first = buffer.drain(3);
        assertEquals(List.of("r0", "r1", "r2"), first.stream().map(AuditEntry::resource).toList());
        assertEquals(2, buffer.drain(3).size());
        assertTrue(buffer.drain(3).isEmpty());
    }

    @Test
    void aFullBufferDropsAndCountsInsteadOfBlocking() {
        AuditBuffer buffer = new AuditBuffer(2);
        assertTrue(buffer.offer(entry("a")));
        assertTrue(buffer.offer(entry("b")));
        assertFalse(buffer.offer(entry("c")));
        assertFalse(buffer.offer(entry("d")));
        assertEquals(2, buffer.dropped());
        assertEquals(2, buffer.size());
        buffer.drain(10);
        assertTrue(buffer.offer(entry("e")));
        assertEquals(2, buffer.dropped());
    }

    @Test
    void longDetailsAreCut() {
        AuditEntry e = new AuditEntry(null, Instant.now(), "u", AuditEntry.Kind.USER, null, AuditEntry.Operation.PUSH,
                "artifact", "r", null, false, "x".repeat(5000));
        assertEquals(AuditEntry.MAX_DETAIL, e.detail().length());
    }
}
