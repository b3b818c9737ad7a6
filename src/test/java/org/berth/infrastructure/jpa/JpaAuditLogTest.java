package org.berth.infrastructure.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JpaAuditLogTest {

    @Test
    void resourcePrefixEscapesLikeWildcards() {
        assertEquals("team/app%", JpaAuditLog.likePrefix("team/app"));
        assertEquals("a\\_b\\%c\\\\%", JpaAuditLog.likePrefix("a_b%c\\"));
    }
}
