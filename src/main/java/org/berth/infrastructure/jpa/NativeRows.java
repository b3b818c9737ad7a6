package org.berth.infrastructure.jpa;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;

/**
 * Values of native-query result columns, whose Java types differ between drivers (a PostgreSQL
 * {@code SUM} of BIGINT is a NUMERIC; H2 may hand back {@link LocalDateTime}). Timestamps are read
 * as {@link InstantConverter} writes them.
 */
final class NativeRows {

    private NativeRows() {
    }

    static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof LocalDateTime l) {
            return Timestamp.valueOf(l).toInstant();
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.util.Date d) {
            return d.toInstant();
        }
        throw new IllegalStateException("not a timestamp: " + value.getClass().getName());
    }

    /** The bind value of an instant, as {@link InstantConverter} stores it. */
    static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
