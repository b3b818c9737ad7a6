package org.berth.api.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Map;

import org.berth.domain.AuditEntry;
import org.berth.domain.RegistryException;
import org.junit.jupiter.api.Test;

class AuditTemplateTest {

    @Test
    void pathParametersAndBodyFieldsFillTheTemplate() {
        Map<String, String> values = Map.of("name", "team/app", "digest", "sha256:ab", "body.name", "v2");
        assertEquals("team/app@sha256:ab", AuditTemplate.expand("{name}@{digest}", values::get));
        assertEquals("v2", AuditTemplate.expand("{body.name}", values::get));
    }

    @Test
    void unknownPartsShowAsQuestionMarksAndNothingKnownIsNull() {
        Map<String, String> values = Map.of("name", "team/app");
        assertEquals("team/app:?", AuditTemplate.expand("{name}:{tag}", values::get));
        assertNull(AuditTemplate.expand("{body.username}", values::get));
        assertEquals("fixed", AuditTemplate.expand("fixed", values::get));
    }

    @Test
    void listingFiltersAreParsedStrictly() {
        var q = AuditResource.query(" p ", "", "push", null, "2026-11-28T14:00:00Z", "2026-11-28T15:00:00+01:00");
        assertEquals("p", q.project());
        assertNull(q.username());
        assertEquals(AuditEntry.Operation.PUSH, q.operation());
        assertEquals(Instant.parse("2026-11-28T14:00:00Z"), q.from());
        assertEquals(Instant.parse("2026-11-28T14:00:00Z"), q.to());
        assertThrows(RegistryException.InvalidRequest.class,
                () -> AuditResource.query(null, null, "dance", null, null, null));
        assertThrows(RegistryException.InvalidRequest.class,
                () -> AuditResource.query(null, null, null, null, "yesterday", null));
    }
}
