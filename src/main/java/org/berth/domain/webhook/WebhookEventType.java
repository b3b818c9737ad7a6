package org.berth.domain.webhook;

import java.util.Locale;
import java.util.Optional;

/**
 * What a webhook can be told about (issue 21), with the names each payload format gives it: the
 * JSON name of the API and of {@code X-Berth-Event-Type}, Harbor's {@code type} (Harbor has no
 * tag deletion nor a replication failure of its own: Berth's names follow Harbor's style), and the
 * CloudEvents {@code type}.
 */
public enum WebhookEventType {
    PUSH_ARTIFACT("PUSH_ARTIFACT", "org.berth.artifact.pushed"),
    PULL_ARTIFACT("PULL_ARTIFACT", "org.berth.artifact.pulled"),
    DELETE_ARTIFACT("DELETE_ARTIFACT", "org.berth.artifact.deleted"),
    DELETE_TAG("DELETE_TAG", "org.berth.tag.deleted"),
    QUOTA_EXCEEDED("QUOTA_EXCEED", "org.berth.quota.exceeded"),
    REPLICATION_DONE("REPLICATION", "org.berth.replication.done"),
    REPLICATION_FAILED("REPLICATION_FAILED", "org.berth.replication.failed"),
    RETENTION_RUN("TAG_RETENTION", "org.berth.retention.run");

    private final String harborType;
    private final String cloudEventType;

    WebhookEventType(String harborType, String cloudEventType) {
        this.harborType = harborType;
        this.cloudEventType = cloudEventType;
    }

    /** {@code push_artifact}, ...: the API's and the database's name. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String harborType() {
        return harborType;
    }

    public String cloudEventType() {
        return cloudEventType;
    }

    public static Optional<WebhookEventType> byJsonName(String name) {
        for (WebhookEventType type : values()) {
            if (type.jsonName().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
