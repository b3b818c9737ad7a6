package org.berth.domain.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumSet;
import java.util.List;

import org.berth.domain.RegistryException;
import org.junit.jupiter.api.Test;

class WebhookTest {

    @Test
    void urlsAreHttpOrHttpsWithAHostAndNoCredentials() {
        assertEquals("http://127.0.0.1:8080/hook?x=1", Webhook.parseUrl(" http://127.0.0.1:8080/hook?x=1 ").toString());
        assertEquals("https://hooks.example.com/a", Webhook.parseUrl("https://hooks.example.com/a").toString());
        for (String bad : List.of("", "ftp://h/x", "/relative", "http:///nohost", "https://user:pw@h.example/x",
                "https://user@h.example/x", "http://h.example/x#frag", "not a url", "file:///etc/passwd",
                "http://" + "a".repeat(Webhook.MAX_URL) + ".example/")) {
            RegistryException.InvalidRequest e = assertThrows(RegistryException.InvalidRequest.class,
                    () -> Webhook.parseUrl(bad), bad);
            assertFalse(bad.contains("pw") && e.getMessage().contains("pw"), "the URL is not echoed");
        }
    }

    @Test
    void names() {
        assertEquals("ci-hook_1.a", Webhook.checkName("ci-hook_1.a"));
        for (String bad : List.of("", "-x", "a b", "x/y", "a".repeat(Webhook.MAX_NAME + 1))) {
            assertThrows(RegistryException.InvalidRequest.class, () -> Webhook.checkName(bad), bad);
        }
    }

    @Test
    void eventTypesAreKnownAndAtLeastOne() {
        assertEquals(EnumSet.of(WebhookEventType.PUSH_ARTIFACT, WebhookEventType.DELETE_TAG),
                Webhook.parseEventTypes(List.of("push_artifact", "delete_tag", "push_artifact")));
        assertThrows(RegistryException.InvalidRequest.class, () -> Webhook.parseEventTypes(List.of()));
        assertThrows(RegistryException.InvalidRequest.class, () -> Webhook.parseEventTypes(List.of("PUSH")));
    }

    @Test
    void authHeadersArePrintableAsciiAndBounded() {
        assertEquals("Bearer abc", Webhook.checkAuthHeader("Bearer abc"));
        RegistryException.InvalidRequest e = assertThrows(RegistryException.InvalidRequest.class,
                () -> Webhook.checkAuthHeader("Bearer abc\r\nX-Evil: 1"));
        assertFalse(e.getMessage().contains("abc"));
        assertThrows(RegistryException.InvalidRequest.class,
                () -> Webhook.checkAuthHeader("x".repeat(Webhook.MAX_AUTH_HEADER_BYTES + 1)));
    }

    @Test
    void formats() {
        assertEquals(WebhookFormat.HARBOR, Webhook.parseFormat("harbor"));
        assertEquals(WebhookFormat.CLOUDEVENTS, Webhook.parseFormat("cloudevents"));
        assertThrows(RegistryException.InvalidRequest.class, () -> Webhook.parseFormat("xml"));
    }
}
