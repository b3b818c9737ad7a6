package org.berth.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AuditOutcomeTest {

    @Test
    void theFirstMessageOfAnErrorBody() {
        assertEquals("requested access to the resource is denied", AuditOutcome.message(
                "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"requested access to the resource is denied\",\"detail\":null}]}"));
        assertEquals("a \"quoted\" name", AuditOutcome.message("{\"message\": \"a \\\"quoted\\\" name\"}"));
        assertEquals("", AuditOutcome.message("not json"));
        assertEquals("", AuditOutcome.message(null));
    }
}
