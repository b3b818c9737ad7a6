package org.berth.infrastructure.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

class NonHttpConnectionsTest {

    private static LogRecord warning(Throwable thrown) {
        LogRecord record = new LogRecord(Level.WARNING, "GRIZZLY0013: Exception during FilterChain execution");
        record.setThrown(thrown);
        return record;
    }

    @Test
    void onlyGrizzlysFailureToAnswerNonHttpBytesIsDropped() {
        NonHttpConnections.Quiet quiet = new NonHttpConnections.Quiet(null);
        assertFalse(quiet.isLoggable(warning(new IllegalStateException("Unknown protocol \u00c0\u0013\u00c0"))));
        assertTrue(quiet.isLoggable(warning(new IllegalStateException("Buffer is closed"))));
        assertTrue(quiet.isLoggable(warning(new IOException("Unknown protocol"))));
        assertTrue(quiet.isLoggable(warning(new IllegalStateException())));
        assertTrue(quiet.isLoggable(warning(null)));
    }

    @Test
    void theFilterThatWasThereStillDecidesTheRest() {
        NonHttpConnections.Quiet quiet = new NonHttpConnections.Quiet(r -> r.getLevel() == Level.SEVERE);
        assertFalse(quiet.isLoggable(warning(new IllegalStateException("Buffer is closed"))));
        LogRecord severe = new LogRecord(Level.SEVERE, "x");
        assertTrue(quiet.isLoggable(severe));
        severe.setThrown(new IllegalStateException("Unknown protocol x"));
        assertFalse(quiet.isLoggable(severe));
    }
}
