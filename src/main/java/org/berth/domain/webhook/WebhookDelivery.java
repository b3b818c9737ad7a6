package org.berth.domain.webhook;

import java.time.Instant;
import java.util.Locale;

/**
 * One event sent (or to be sent) to one webhook, as its delivery log shows it.
 *
 * @param responseCode the HTTP status of the last attempt; null when none answered
 * @param durationMs   how long the last attempt took; null before the first
 * @param lastError    why the last attempt failed, short and without secrets; null when it did not
 */
public record WebhookDelivery(long id, long webhookId, String eventId, WebhookEventType eventType, State state, int attempts,
                              Integer responseCode, Long durationMs, String lastError, Instant nextAttemptAt,
                              Instant updatedAt) {

    /** Longest {@link #lastError} kept (the column's width). */
    public static final int MAX_ERROR = 512;

    public enum State {
        /** Waiting for its next attempt (or being attempted under a node's lease). */
        PENDING,
        /** A 2xx answer came. */
        DELIVERED,
        /** Every allowed attempt failed: kept for the log and a manual redelivery. */
        DEAD;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static State fromJson(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }
}
