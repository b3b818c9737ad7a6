package org.berth.infrastructure.jpa;

import java.sql.SQLException;

/**
 * Tells a lost race for a unique name (two requests creating the same user at once) from other
 * database failures: SQLSTATE class 23 is "integrity constraint violation" (SQL:2016, 23505 for a
 * unique key on PostgreSQL and H2).
 */
final class UniqueViolations {

    private UniqueViolations() {
    }

    static boolean isCause(Throwable failure) {
        for (Throwable t = failure; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) {
                return true;
            }
        }
        return false;
    }
}
