package org.berth.application.webhook;

import java.util.List;
import java.util.Optional;

/**
 * A change of a webhook (PATCH): empty fields stay as they are.
 *
 * @param authHeader {@code ""} removes the header
 */
public record WebhookUpdate(Optional<String> name, Optional<String> url, Optional<List<String>> eventTypes,
                            Optional<String> authHeader, Optional<Boolean> verifyTls, Optional<String> format,
                            Optional<Boolean> enabled) {

    @Override
    public String toString() {
        return "WebhookUpdate[name=" + name + ", url=" + url.isPresent() + ", eventTypes=" + eventTypes
                + ", authHeader=" + (authHeader.isPresent() ? "***" : "unchanged") + "]"; // never the header
    }
}
