package org.berth.infrastructure.jpa;

import java.io.StringReader;
import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import org.berth.domain.webhook.Webhook;
import org.berth.domain.webhook.WebhookDelivery;
import org.berth.domain.webhook.WebhookEvent;
import org.berth.domain.webhook.WebhookEventType;
import org.berth.domain.webhook.WebhookFormat;
import org.berth.domain.webhook.WebhookOutbox;

/**
 * The webhook outbox on {@code webhook_event} and {@code webhook_delivery} (V14), in native SQL
 * that H2 and PostgreSQL both run. {@link #add} and the reads join the caller's transaction, or
 * begin one (a container-managed EntityManager is closed for a worker thread outside one); the worker's calls ({@link #claim}, {@link #finish}, {@link #prune}) each commit on
 * their own, so that other nodes see a claim at once. A claim is a conditional UPDATE: of two
 * nodes claiming one delivery, one changes the row and the other changes nothing.
 */
@ApplicationScoped
public class JpaWebhookOutbox implements WebhookOutbox {

    private static final JsonProvider JSON = JsonProvider.provider();
    private static final String PENDING = WebhookDelivery.State.PENDING.jsonName();

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public List<Long> subscribers(String project, WebhookEventType type) {
        List<Object[]> rows = NativeRows.rows(em.createNativeQuery(
                        "SELECT id, event_types FROM webhook WHERE project_name = ?1 AND enabled = TRUE ORDER BY id")
                .setParameter(1, project));
        return rows.stream()
                .filter(r -> WebhookEntity.parseTypes((String) r[1]).contains(type))
                .map(r -> NativeRows.number(r[0]))
                .toList();
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void add(WebhookEvent event, List<Long> webhooks, Instant now) {
        em.createNativeQuery("INSERT INTO webhook_event (id, project_name, type, occurred_at, data) VALUES (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, event.id()).setParameter(2, event.project()).setParameter(3, event.type().jsonName())
                .setParameter(4, NativeRows.timestamp(event.occurredAt())).setParameter(5, event.data().toString())
                .executeUpdate();
        for (Long webhook : webhooks) {
            em.createNativeQuery("INSERT INTO webhook_delivery (webhook_id, event_id, state, attempts, next_attempt_at, updated_at)"
                            + " VALUES (?1, ?2, ?3, 0, ?4, ?4)")
                    .setParameter(1, webhook).setParameter(2, event.id()).setParameter(3, PENDING)
                    .setParameter(4, NativeRows.timestamp(now))
                    .executeUpdate();
        }
    }

    /**
     * At most two candidates per webhook (ROW_NUMBER per webhook), so that one webhook's backlog
     * never hides the deliveries of the others.
     */
    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public List<Due> due(Instant now, int limit) {
        List<Object[]> rows = NativeRows.rows(em.createNativeQuery(
                        "SELECT x.id, x.webhook_id FROM (SELECT d.id, d.webhook_id, d.next_attempt_at,"
                                + " ROW_NUMBER() OVER (PARTITION BY d.webhook_id ORDER BY d.next_attempt_at, d.id) AS n"
                                + " FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id"
                                + " WHERE d.state = ?1 AND d.next_attempt_at <= ?2"
                                + " AND (d.claimed_until IS NULL OR d.claimed_until < ?2) AND w.enabled = TRUE) x"
                                + " WHERE x.n <= 2 ORDER BY x.next_attempt_at, x.id")
                .setParameter(1, PENDING).setParameter(2, NativeRows.timestamp(now))
                .setMaxResults(limit));
        return rows.stream().map(r -> new Due(NativeRows.number(r[0]), NativeRows.number(r[1]))).toList();
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public Map<Long, Integer> leased(Instant now) {
        List<Object[]> rows = NativeRows.rows(em.createNativeQuery(
                        "SELECT webhook_id, COUNT(*) FROM webhook_delivery WHERE state = ?1 AND claimed_until >= ?2"
                                + " GROUP BY webhook_id")
                .setParameter(1, PENDING).setParameter(2, NativeRows.timestamp(now)));
        Map<Long, Integer> leased = new HashMap<>();
        rows.forEach(r -> leased.put(NativeRows.number(r[0]), (int) NativeRows.number(r[1])));
        return leased;
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Claimed> claim(long delivery, String node, Instant now, Instant until) {
        int claimed = em.createNativeQuery("UPDATE webhook_delivery SET claimed_by = ?1, claimed_until = ?2,"
                        + " attempts = attempts + 1, updated_at = ?3 WHERE id = ?4 AND state = ?5 AND next_attempt_at <= ?3"
                        + " AND (claimed_until IS NULL OR claimed_until < ?3)")
                .setParameter(1, node).setParameter(2, NativeRows.timestamp(until)).setParameter(3, NativeRows.timestamp(now))
                .setParameter(4, delivery).setParameter(5, PENDING)
                .executeUpdate();
        if (claimed != 1) {
            return Optional.empty();
        }
        List<Object[]> rows = NativeRows.rows(em.createNativeQuery(
                        "SELECT d.attempts, w.id, w.project_name, w.name, w.url, w.event_types, w.verify_tls, w.format,"
                                + " w.enabled, w.created_at, w.secret_sealed, w.auth_header_sealed,"
                                + " e.id, e.project_name, e.type, e.occurred_at, e.data"
                                + " FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id"
                                + " JOIN webhook_event e ON e.id = d.event_id WHERE d.id = ?1")
                .setParameter(1, delivery));
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = rows.get(0);
        String authSealed = (String) r[11];
        Webhook webhook = new Webhook(NativeRows.number(r[1]), (String) r[2], (String) r[3], URI.create((String) r[4]),
                WebhookEntity.parseTypes((String) r[5]), authSealed != null, bool(r[6]),
                WebhookFormat.byJsonName((String) r[7]).orElse(WebhookFormat.HARBOR), bool(r[8]), NativeRows.instant(r[9]));
        WebhookEvent event = new WebhookEvent((String) r[12], (String) r[13],
                WebhookEventType.byJsonName((String) r[14]).orElseThrow(), NativeRows.instant(r[15]), json((String) r[16]));
        return Optional.of(new Claimed(delivery, (int) NativeRows.number(r[0]), webhook, (String) r[10],
                Optional.ofNullable(authSealed), event));
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean finish(long delivery, String node, WebhookDelivery.State state, Integer responseCode, long durationMs,
                          String error, Instant next, Instant now) {
        // NULL written as such: a typed NULL parameter is refused by PostgreSQL for an INT column
        Query update = em.createNativeQuery("UPDATE webhook_delivery SET state = ?1, response_code = "
                        + (responseCode == null ? "NULL" : "?2") + ", duration_ms = ?3, last_error = "
                        + (error == null ? "NULL" : "?4") + ", next_attempt_at = ?5, updated_at = ?6,"
                        + " claimed_by = NULL, claimed_until = NULL WHERE id = ?7 AND claimed_by = ?8")
                .setParameter(1, state.jsonName()).setParameter(3, durationMs)
                .setParameter(5, NativeRows.timestamp(next)).setParameter(6, NativeRows.timestamp(now))
                .setParameter(7, delivery).setParameter(8, node);
        if (responseCode != null) {
            update.setParameter(2, responseCode);
        }
        if (error != null) {
            update.setParameter(4, error.length() > WebhookDelivery.MAX_ERROR ? error.substring(0, WebhookDelivery.MAX_ERROR) : error);
        }
        return update.executeUpdate() == 1;
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public List<WebhookDelivery> deliveries(long webhook, int offset, int limit) {
        List<Object[]> rows = NativeRows.rows(em.createNativeQuery(
                        "SELECT d.id, d.webhook_id, d.event_id, e.type, d.state, d.attempts, d.response_code, d.duration_ms,"
                                + " d.last_error, d.next_attempt_at, d.updated_at FROM webhook_delivery d"
                                + " JOIN webhook_event e ON e.id = d.event_id WHERE d.webhook_id = ?1 ORDER BY d.id DESC")
                .setParameter(1, webhook).setFirstResult(offset).setMaxResults(limit));
        return rows.stream().map(r -> new WebhookDelivery(NativeRows.number(r[0]), NativeRows.number(r[1]), (String) r[2],
                WebhookEventType.byJsonName((String) r[3]).orElse(null), WebhookDelivery.State.fromJson((String) r[4]),
                (int) NativeRows.number(r[5]), r[6] == null ? null : (int) NativeRows.number(r[6]),
                r[7] == null ? null : NativeRows.number(r[7]), (String) r[8], NativeRows.instant(r[9]),
                NativeRows.instant(r[10]))).toList();
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public long countDeliveries(long webhook) {
        return NativeRows.number(em.createNativeQuery("SELECT COUNT(*) FROM webhook_delivery WHERE webhook_id = ?1")
                .setParameter(1, webhook).getSingleResult());
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public boolean redeliver(long webhook, long delivery, Instant now) {
        return em.createNativeQuery("UPDATE webhook_delivery SET state = ?1, attempts = 0, next_attempt_at = ?2,"
                        + " updated_at = ?2 WHERE id = ?3 AND webhook_id = ?4")
                .setParameter(1, PENDING).setParameter(2, NativeRows.timestamp(now)).setParameter(3, delivery)
                .setParameter(4, webhook).executeUpdate() == 1;
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int prune(Instant before) {
        int deliveries = em.createNativeQuery("DELETE FROM webhook_delivery WHERE state <> ?1 AND updated_at < ?2")
                .setParameter(1, PENDING).setParameter(2, NativeRows.timestamp(before)).executeUpdate();
        int events = em.createNativeQuery("DELETE FROM webhook_event WHERE occurred_at < ?1"
                        + " AND NOT EXISTS (SELECT 1 FROM webhook_delivery d WHERE d.event_id = webhook_event.id)")
                .setParameter(1, NativeRows.timestamp(before)).executeUpdate();
        return deliveries + events;
    }

    private static boolean bool(Object value) {
        return value instanceof Boolean b ? b : value instanceof Number n && n.intValue() != 0;
    }

    private static JsonObject json(String text) {
        try (JsonReader reader = JSON.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
