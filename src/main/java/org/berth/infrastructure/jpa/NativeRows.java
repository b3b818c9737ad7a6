package org.berth.infrastructure.jpa;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.Query;

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

    /** How many values one {@code IN (...)} list binds. */
    static final int CHUNK = 500;

    /** {@code ?first, ?first+1, ...}: {@code count} numbered parameters for an {@code IN} list. */
    static String placeholders(int first, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "?" : ", ?").append(first + i);
        }
        return sb.toString();
    }

    static void bind(Query q, int first, List<?> values) {
        for (int i = 0; i < values.size(); i++) {
            q.setParameter(first + i, values.get(i));
        }
    }

    /** {@code all} in lists of at most {@link #CHUNK}. */
    static <T> List<List<T>> chunks(List<T> all) {
        List<List<T>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += CHUNK) {
            chunks.add(all.subList(i, Math.min(all.size(), i + CHUNK)));
        }
        return chunks;
    }

    @SuppressWarnings("unchecked")
    static List<Object[]> rows(Query q) {
        return (List<Object[]>) q.getResultList();
    }
}
