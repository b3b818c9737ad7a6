package org.berth.application.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import jakarta.json.Json;

import org.berth.application.SecretBox;
import org.berth.domain.webhook.Webhook;
import org.berth.domain.webhook.WebhookDelivery;
import org.berth.domain.webhook.WebhookEvent;
import org.berth.domain.webhook.WebhookEventType;
import org.berth.domain.webhook.WebhookFormat;
import org.berth.domain.webhook.WebhookOutbox;
import org.berth.domain.webhook.WebhookSignature;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The delivery worker's decisions, with an in-memory outbox and a scripted sender: no container, no network. */
class WebhookWorkerTest {

    /** One delivery row. */
    private static final class Row {
        final long id;
        final long webhook;
        int attempts;
        WebhookDelivery.State state = WebhookDelivery.State.PENDING;
        String claimedBy;
        Integer code;
        String error;
        Instant next = Instant.EPOCH;

        Row(long id, long webhook) {
            this.id = id;
            this.webhook = webhook;
        }
    }

    private final Map<Long, Row> rows = new LinkedHashMap<>();
    private final Map<Long, Integer> leased = new HashMap<>();
    private final List<Map<String, String>> sentHeaders = new ArrayList<>();
    private final List<byte[]> sentBodies = new ArrayList<>();
    private final List<URI> sentTo = new ArrayList<>();
    /** Per target URL: the answer (null: never answers). */
    private final Map<URI, CompletableFuture<WebhookSender.Outcome>> answers = new HashMap<>();
    private WebhookWorker worker;

    private static URI url(long webhook) {
        return URI.create("http://127.0.0.1:9/hook/" + webhook);
    }

    private static Webhook webhook(long id) {
        return new Webhook(id, "team", "w" + id, url(id), EnumSet.of(WebhookEventType.PUSH_ARTIFACT), id == 1, true,
                WebhookFormat.HARBOR, true, Instant.EPOCH);
    }

    private final WebhookOutbox outbox = new WebhookOutbox() {
        @Override
        public List<Long> subscribers(String project, WebhookEventType type) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void add(WebhookEvent event, List<Long> webhooks, Instant now) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Due> due(Instant now, int limit) {
            return rows.values().stream()
                    .filter(r -> r.state == WebhookDelivery.State.PENDING && r.claimedBy == null && !r.next.isAfter(now))
                    .map(r -> new Due(r.id, r.webhook)).limit(limit).toList();
        }

        @Override
        public Map<Long, Integer> leased(Instant now) {
            return leased;
        }

        @Override
        public Optional<Claimed> claim(long delivery, String node, Instant now, Instant until) {
            Row r = rows.get(delivery);
            if (r.claimedBy != null) {
                return Optional.empty();
            }
            r.claimedBy = node;
            r.attempts++;
            WebhookEvent event = new WebhookEvent("event-" + delivery, "team", WebhookEventType.PUSH_ARTIFACT, Instant.EPOCH,
                    Json.createObjectBuilder().add("repository", "team/app").add("tag", "v1").build());
            return Optional.of(new Claimed(delivery, r.attempts, webhook(r.webhook), "sealed:secret-" + r.webhook,
                    r.webhook == 1 ? Optional.of("sealed:Bearer t0ken") : Optional.empty(), event));
        }

        @Override
        public boolean finish(long delivery, String node, WebhookDelivery.State state, Integer responseCode,
                              long durationMs, String error, Instant next, Instant now) {
            Row r = rows.get(delivery);
            if (!node.equals(r.claimedBy)) {
                return false;
            }
            r.claimedBy = null;
            r.state = state;
            r.code = responseCode;
            r.error = error;
            r.next = next;
            return true;
        }

        @Override
        public List<WebhookDelivery> deliveries(long webhook, int offset, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long countDeliveries(long webhook) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean redeliver(long webhook, long delivery, Instant now) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int prune(Instant before) {
            return 0;
        }
    };

    @BeforeEach
    void worker() {
        worker = new WebhookWorker();
        worker.outbox = outbox;
        worker.secrets = new SecretBox() {
            @Override
            public String seal(String secret, String context) {
                return "sealed:" + secret;
            }

            @Override
            public String open(String sealed, String context) {
                return sealed.substring("sealed:".length());
            }
        };
        worker.sender = (url, headers, body, verifyTls, connect, answer) -> {
            sentTo.add(url);
            sentHeaders.add(headers);
            sentBodies.add(body);
            return answers.getOrDefault(url, CompletableFuture.completedFuture(new WebhookSender.Outcome(200, Duration.ofMillis(5), null)));
        };
        WebhookSettings settings = new WebhookSettings();
        settings.backoffBaseSeconds = 30;
        settings.maxAttempts = 8;
        settings.keepDays = 7;
        settings.externalUrl = Optional.empty();
        worker.settings = settings;
        worker.completions = Runnable::run;
    }

    private Row row(long id, long webhook) {
        Row r = new Row(id, webhook);
        rows.put(id, r);
        return r;
    }

    @Test
    void aDueDeliveryIsSignedSentAndMarkedDelivered() {
        Row r = row(10, 1);
        worker.claimAndSend();
        assertEquals(List.of(url(1)), sentTo);
        Map<String, String> headers = sentHeaders.get(0);
        assertEquals("event-10", headers.get("X-Berth-Event-Id"));
        assertEquals("push_artifact", headers.get("X-Berth-Event-Type"));
        assertEquals("1", headers.get("X-Berth-Delivery-Attempt"));
        assertEquals("application/json", headers.get("Content-Type"));
        assertEquals("Bearer t0ken", headers.get("Authorization"));
        assertTrue(WebhookSignature.verify("secret-1", sentBodies.get(0), headers.get("X-Berth-Signature")));
        assertEquals(WebhookDelivery.State.DELIVERED, r.state);
        assertEquals(200, r.code);
        assertNull(r.error);
        assertNull(r.claimedBy);
        assertEquals(0, worker.inFlight.get());
    }

    @Test
    void aFailedAttemptIsRetriedWithinItsCeilingThenDeadAfterTheLast() {
        Row r = row(11, 2);
        answers.put(url(2), CompletableFuture.completedFuture(new WebhookSender.Outcome(500, Duration.ofMillis(3), "HTTP 500")));
        Instant before = Instant.now();
        worker.claimAndSend();
        assertEquals(WebhookDelivery.State.PENDING, r.state);
        assertEquals(500, r.code);
        assertEquals("HTTP 500", r.error);
        assertFalse(r.next.isBefore(before));
        assertTrue(r.next.isBefore(Instant.now().plus(Duration.ofMinutes(1)).plusMillis(1)), r.next.toString());
        assertFalse(sentHeaders.get(0).containsKey("Authorization"), "webhook 2 has no header");

        for (int attempt = 2; attempt <= 8; attempt++) {
            r.next = Instant.EPOCH; // due again now
            worker.claimAndSend();
            assertEquals(String.valueOf(attempt), sentHeaders.get(attempt - 1).get("X-Berth-Delivery-Attempt"));
        }
        assertEquals(WebhookDelivery.State.DEAD, r.state);
        assertEquals(8, r.attempts);
        r.next = Instant.EPOCH;
        worker.claimAndSend();
        assertEquals(8, sentTo.size(), "a dead delivery is not sent again");
    }

    @Test
    void aTargetThatDoesNotAnswerHoldsItsSlotsButNeverTheWorkerNorTheOthers() {
        answers.put(url(1), new CompletableFuture<>()); // hangs
        row(1, 1);
        row(2, 1);
        row(3, 2);
        long start = System.nanoTime();
        worker.claimAndSend();
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "the round did not wait for an answer");
        assertEquals(3, sentTo.size());
        assertEquals(WebhookDelivery.State.DELIVERED, rows.get(3L).state, "the other webhook's delivery went through");
        assertEquals(2, worker.inFlight.get(), "the two hanging ones are in flight");
    }

    @Test
    void aWebhookWithTwoDeliveriesInFlightGetsNoMoreUntilOneEnds() {
        leased.put(1L, 2); // e.g. another node sends two of webhook 1's
        row(1, 1);
        row(2, 2);
        worker.claimAndSend();
        assertEquals(List.of(url(2)), sentTo);
        assertEquals(WebhookDelivery.State.PENDING, rows.get(1L).state);
        assertEquals(0, rows.get(1L).attempts, "not even claimed");

        leased.put(1L, 1);
        row(3, 1);
        worker.claimAndSend();
        assertEquals(List.of(url(2), url(1)), sentTo, "one slot free: one more, not two");
    }

    @Test
    void aSecretThatNoLongerOpensEndsTheAttemptWithoutSending() {
        Row r = row(5, 1);
        worker.secrets = new SecretBox() {
            @Override
            public String seal(String secret, String context) {
                return secret;
            }

            @Override
            public String open(String sealed, String context) {
                throw new org.berth.domain.RegistryException.Unavailable("BERTH_SECRET_KEY cannot open it");
            }
        };
        worker.claimAndSend();
        assertTrue(sentTo.isEmpty());
        assertEquals(WebhookDelivery.State.PENDING, r.state);
        assertTrue(r.error.contains("BERTH_SECRET_KEY"), r.error);
        assertFalse(r.error.contains("secret-1"));
        assertEquals(0, worker.inFlight.get());
    }
}
