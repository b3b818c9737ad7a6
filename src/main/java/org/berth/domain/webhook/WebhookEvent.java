package org.berth.domain.webhook;

import java.time.Instant;
import java.util.Objects;

import jakarta.json.JsonObject;

/**
 * One event of a project, as the outbox keeps it.
 *
 * @param id         a UUID: the id every delivery of it carries, which receivers dedupe by
 * @param data       format-neutral facts: {@code repository}, {@code tag}, {@code digest},
 *                   {@code media_type}, {@code size}, {@code operator}, {@code public}, ...
 */
public record WebhookEvent(String id, String project, WebhookEventType type, Instant occurredAt, JsonObject data) {

    public WebhookEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(data, "data");
    }
}
