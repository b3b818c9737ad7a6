package org.berth.application.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.berth.application.SecretBox;
import org.berth.domain.webhook.Backoff;
import org.berth.domain.webhook.WebhookDelivery;
import org.berth.domain.webhook.WebhookOutbox;
import org.berth.domain.webhook.WebhookPayloads;
import org.berth.domain.webhook.WebhookSignature;

/**
 * Sends webhook deliveries (issue 21), never from a request: a periodic task of the container's
 * managed executor (as the garbage collector's and retention's workers) claims due deliveries in
 * the database under a lease ({@link WebhookSettings#LEASE}) and hands them to the
 * {@link WebhookSender}, which does not block; the answer is recorded when it comes. So:
 * <ul>
 * <li>each webhook has at most {@value WebhookSettings#IN_FLIGHT_PER_WEBHOOK} deliveries in flight
 *     over all nodes, and a node at most {@value WebhookSettings#IN_FLIGHT_PER_NODE}: a target that
 *     hangs holds two slots for the answer timeout, never a thread, and the others go on;</li>
 * <li>a failed attempt is tried again after the {@link Backoff} (full jitter), until the last
 *     allowed attempt, after which the delivery is dead (kept in the log, redeliverable);</li>
 * <li>a node killed mid-send leaves its claim to expire: the delivery is sent again (at least once;
 *     every delivery carries {@code X-Berth-Event-Id} for the receiver to dedupe).</li>
 * </ul>
 * Nothing here logs a secret, an Authorization header or a body.
 */
@ApplicationScoped
public class WebhookWorker {

    private static final Logger LOG = Logger.getLogger(WebhookWorker.class.getName());

    /** This node's name in {@code claimed_by}: new at every start, so a restarted node never owns old claims. */
    static final String NODE = UUID.randomUUID().toString();
    static final long TICK_MILLIS = 1_000;
    static final Duration PRUNE_EVERY = Duration.ofMinutes(10);

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    WebhookOutbox outbox;

    @Inject
    WebhookSender sender;

    @Inject
    SecretBox secrets;

    @Inject
    WebhookSettings settings;

    /** Where an answer is recorded: the managed executor (a container thread, for JPA and JTA). */
    Executor completions;

    final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean stopping;
    private volatile long prunedAt;
    private ScheduledFuture<?> task;

    synchronized void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        completions = scheduler;
        task = scheduler.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    synchronized void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object stopped) {
        stopping = true;
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    void tick() {
        try {
            if (System.currentTimeMillis() - prunedAt > PRUNE_EVERY.toMillis()) {
                prunedAt = System.currentTimeMillis();
                int pruned = outbox.prune(Instant.now().minus(settings.keep()));
                if (pruned > 0) {
                    LOG.fine(() -> "webhooks: pruned " + pruned + " old deliveries and events");
                }
            }
            claimAndSend();
        } catch (RuntimeException | Error e) {
            // thrown on, it would end the schedule for good
            LOG.log(Level.WARNING, "webhooks: the delivery worker's tick failed; trying again in a second", e);
        }
    }

    /** One round: claims what is due and may be sent now, and starts sending it; never waits for an answer. */
    void claimAndSend() {
        int room = WebhookSettings.IN_FLIGHT_PER_NODE - inFlight.get();
        if (room <= 0 || stopping) {
            return;
        }
        Instant now = Instant.now();
        List<WebhookOutbox.Due> due = outbox.due(now, Math.min(4 * room, 200));
        if (due.isEmpty()) {
            return;
        }
        Map<Long, Integer> leased = new HashMap<>(outbox.leased(now));
        for (WebhookOutbox.Due d : due) {
            if (room <= 0 || stopping) {
                return;
            }
            if (leased.getOrDefault(d.webhook(), 0) >= WebhookSettings.IN_FLIGHT_PER_WEBHOOK) {
                continue;
            }
            Optional<WebhookOutbox.Claimed> claimed = outbox.claim(d.delivery(), NODE, now, now.plus(WebhookSettings.LEASE));
            if (claimed.isPresent()) {
                leased.merge(d.webhook(), 1, Integer::sum);
                room--;
                send(claimed.get());
            }
        }
    }

    private void send(WebhookOutbox.Claimed c) {
        inFlight.incrementAndGet();
        long id = c.webhook().id();
        try {
            String secret = secrets.open(c.sealedSecret(), WebhookSecrets.secretContext(id));
            Optional<String> auth = c.sealedAuthHeader().map(a -> secrets.open(a, WebhookSecrets.authContext(id)));
            byte[] body = WebhookPayloads.body(c.webhook().format(), c.event(), settings.registryHost());
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", c.webhook().format().contentType());
            headers.put("User-Agent", "Berth-Webhook/1");
            headers.put("X-Berth-Event-Id", c.event().id());
            headers.put("X-Berth-Event-Type", c.event().type().jsonName());
            headers.put("X-Berth-Delivery-Attempt", String.valueOf(c.attempt()));
            headers.put(WebhookSignature.HEADER, WebhookSignature.sign(secret, body));
            auth.ifPresent(a -> headers.put("Authorization", a));
            sender.post(c.webhook().url(), headers, body, c.webhook().verifyTls(), WebhookSettings.CONNECT_TIMEOUT,
                            WebhookSettings.ANSWER_TIMEOUT)
                    .whenCompleteAsync((outcome, failure) -> finish(c, outcome != null ? outcome
                            : new WebhookSender.Outcome(0, Duration.ZERO, "failed: " + failure.getClass().getSimpleName())),
                            completions);
        } catch (RuntimeException e) {
            // e.g. Berth's key no longer opens the secret: the message names BERTH_SECRET_KEY, never the secret
            finish(c, new WebhookSender.Outcome(0, Duration.ZERO, "not sent: " + e.getMessage()));
        }
    }

    private void finish(WebhookOutbox.Claimed c, WebhookSender.Outcome outcome) {
        inFlight.decrementAndGet();
        try {
            Instant now = Instant.now();
            Backoff backoff = settings.backoff();
            WebhookDelivery.State state;
            Instant next = now;
            if (outcome.delivered()) {
                state = WebhookDelivery.State.DELIVERED;
            } else if (backoff.exhausted(c.attempt())) {
                state = WebhookDelivery.State.DEAD;
                LOG.info(() -> "webhook " + c.webhook().id() + " of project '" + c.webhook().project() + "': delivery "
                        + c.delivery() + " of event " + c.event().id() + " is dead after " + c.attempt() + " attempts ("
                        + describe(outcome) + ")");
            } else {
                state = WebhookDelivery.State.PENDING;
                next = now.plus(backoff.delay(c.attempt(), ThreadLocalRandom.current()::nextDouble));
            }
            String error = outcome.delivered() ? null : describe(outcome);
            outbox.finish(c.delivery(), NODE, state, outcome.status() == 0 ? null : outcome.status(),
                    outcome.duration().toMillis(), error, next, now);
        } catch (RuntimeException e) {
            // its lease ends and another attempt is made: at least once
            LOG.log(Level.WARNING, "webhooks: the outcome of delivery " + c.delivery() + " was not recorded", e);
        }
    }

    private static String describe(WebhookSender.Outcome outcome) {
        String text = outcome.error() != null ? outcome.error() : "HTTP " + outcome.status();
        return text.length() > WebhookDelivery.MAX_ERROR ? text.substring(0, WebhookDelivery.MAX_ERROR) : text;
    }
}
