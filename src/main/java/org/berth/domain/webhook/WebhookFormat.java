package org.berth.domain.webhook;

import java.util.Locale;
import java.util.Optional;

/** The body a webhook receives: Harbor's webhook JSON, or a CloudEvents 1.0 event in structured mode. */
public enum WebhookFormat {
    HARBOR("application/json"),
    CLOUDEVENTS("application/cloudevents+json");

    private final String contentType;

    WebhookFormat(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<WebhookFormat> byJsonName(String name) {
        for (WebhookFormat format : values()) {
            if (format.jsonName().equals(name)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }
}
