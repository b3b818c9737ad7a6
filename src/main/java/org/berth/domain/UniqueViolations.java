package org.berth.domain;

import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * Tells a lost race for a unique key (two requests creating the same user, or storing the same
 * manifest, at once) from other database failures: SQLSTATE class 23 is "integrity constraint
 * violation" (SQL:2016, 23505 for a unique key on PostgreSQL and H2).
 */
public final class UniqueViolations {

    private UniqueViolations() {
    }

    public static boolean isCause(Throwable failure) {
        for (Throwable t = failure; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs a whole transaction ({@code work} must start and end one, outside any caller's) and, when
     * it lost a race for a unique key, runs it once more: the second run sees the winner's rows.
     */
    public static <T> T retryOnce(Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            if (!isCause(e)) {
                throw e;
            }
            return work.get();
        }
    }
}
