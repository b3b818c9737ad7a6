package org.berth.application.webhook;

import java.security.SecureRandom;
import java.util.Base64;

/** A webhook's HMAC key (256 random bits, base64url) and what its sealed values are bound to. */
final class WebhookSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSecrets() {
    }

    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A sealed secret opens for this webhook only. */
    static String secretContext(long id) {
        return "webhook/" + id + "/secret";
    }

    static String authContext(long id) {
        return "webhook/" + id + "/auth_header";
    }
}
