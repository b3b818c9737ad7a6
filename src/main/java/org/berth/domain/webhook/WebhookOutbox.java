package org.berth.domain.webhook;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outbox of webhook events and their deliveries. {@link #add} runs in the transaction of the
 * change that raised the event; the rest is the delivery worker's, under leases in the database
 * so that several nodes share the work and a node that dies leaves nothing claimed for good.
 */
public interface WebhookOutbox {

    /** The enabled webhooks of the project that want events of the type. */
    List<Long> subscribers(String project, WebhookEventType type);

    /** Stores the event and one pending delivery of it to each webhook, due at {@code now}. */
    void add(WebhookEvent event, List<Long> webhooks, Instant now);

    /** A delivery that is due: pending, its next attempt come, not under a live lease, its webhook enabled. */
    record Due(long delivery, long webhook) {
    }

    /** Up to {@code limit} due deliveries, the longest waiting first. */
    List<Due> due(Instant now, int limit);

    /** Per webhook, how many of its deliveries are under a live lease now (being sent by some node). */
    Map<Long, Integer> leased(Instant now);

    /** What a node needs to send a delivery it claimed. */
    record Claimed(long delivery, int attempt, Webhook webhook, String sealedSecret, Optional<String> sealedAuthHeader,
                   WebhookEvent event) {
        @Override
        public String toString() {
            return "Claimed[delivery=" + delivery + ", attempt=" + attempt + ", webhook=" + webhook.id()
                    + ", event=" + event.id() + "]"; // never the sealed values
        }
    }

    /**
     * Claims a due delivery for {@code node} until {@code until}, counting the attempt; empty when
     * another node claimed it first or it is no longer due.
     */
    Optional<Claimed> claim(long delivery, String node, Instant now, Instant until);

    /**
     * Records the end of an attempt of a delivery the node claimed (and releases it); nothing when
     * its lease was lost to another node meanwhile.
     *
     * @param state        {@code PENDING} again (with {@code next}), {@code DELIVERED} or {@code DEAD}
     * @param responseCode null when none came
     * @param error        short, without secrets; null on success
     */
    boolean finish(long delivery, String node, WebhookDelivery.State state, Integer responseCode, long durationMs,
                   String error, Instant next, Instant now);

    /** A webhook's deliveries, newest first. */
    List<WebhookDelivery> deliveries(long webhook, int offset, int limit);

    long countDeliveries(long webhook);

    /** Makes a delivery pending again, due now, its attempts reset. @return false when there is none */
    boolean redeliver(long webhook, long delivery, Instant now);

    /**
     * Deletes delivered and dead deliveries last changed before {@code before}, and events older
     * than it that no delivery refers to any more.
     *
     * @return how many rows went
     */
    int prune(Instant before);
}
