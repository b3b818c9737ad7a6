package org.berth.domain.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    /** RFC 4231 section 4.3, test case 2. */
    @Test
    void matchesTheRfc4231Vector() {
        assertEquals("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                WebhookSignature.sign("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void verifiesItsOwnSignatureAndNothingElse() {
        byte[] body = "{\"type\":\"PUSH_ARTIFACT\"}".getBytes(StandardCharsets.UTF_8);
        String signature = WebhookSignature.sign("s3cret", body);
        assertTrue(WebhookSignature.verify("s3cret", body, signature));
        assertFalse(WebhookSignature.verify("other", body, signature));
        assertFalse(WebhookSignature.verify("s3cret", "{\"type\":\"PULL_ARTIFACT\"}".getBytes(StandardCharsets.UTF_8),
                signature));
        assertFalse(WebhookSignature.verify("s3cret", body, signature.substring("sha256=".length())));
        assertFalse(WebhookSignature.verify("s3cret", body, null));
    }
}
