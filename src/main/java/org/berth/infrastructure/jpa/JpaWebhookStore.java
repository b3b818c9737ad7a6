package org.berth.infrastructure.jpa;

import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;

import org.berth.domain.UniqueViolations;
import org.berth.domain.webhook.Webhook;
import org.berth.domain.webhook.WebhookStore;

/** Webhooks in table {@code webhook} (V14), in the caller's transaction. */
@ApplicationScoped
public class JpaWebhookStore implements WebhookStore {

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Override
    public Optional<Webhook> find(String project, long id) {
        return entity(project, id).map(WebhookEntity::toDomain);
    }

    private Optional<WebhookEntity> entity(String project, long id) {
        return Optional.ofNullable(em.find(WebhookEntity.class, id)).filter(e -> e.project().equals(project));
    }

    @Override
    public List<Webhook> list(String project, int offset, int limit) {
        return em.createQuery("select w from WebhookEntity w where w.project = :p order by w.name", WebhookEntity.class)
                .setParameter("p", project)
                .setFirstResult(offset)
                .setMaxResults(limit)
                .getResultList().stream().map(WebhookEntity::toDomain).toList();
    }

    @Override
    public long count(String project) {
        return em.createQuery("select count(w) from WebhookEntity w where w.project = :p", Long.class)
                .setParameter("p", project).getSingleResult();
    }

    @Override
    public Optional<Webhook> create(Webhook draft, LongFunction<String> sealedSecret,
                                    LongFunction<Optional<String>> sealedAuthHeader) {
        if (nameTaken(draft.project(), draft.name(), -1)) {
            return Optional.empty();
        }
        WebhookEntity entity = new WebhookEntity(draft);
        try {
            em.persist(entity); // the sequence gives the id here, before the row is written
            if (entity.id() == null) {
                em.flush();
            }
            long id = entity.id();
            entity.secretSealed(sealedSecret.apply(id));
            entity.set(draft, sealedAuthHeader.apply(id));
            em.flush();
            return Optional.of(entity.toDomain());
        } catch (PersistenceException e) {
            if (UniqueViolations.isCause(e)) {
                return Optional.empty(); // created at the same moment by another request
            }
            throw e;
        }
    }

    @Override
    public Optional<Webhook> update(Webhook changed, Optional<String> sealedAuthHeader) {
        return entity(changed.project(), changed.id()).map(e -> {
            e.set(changed, sealedAuthHeader);
            em.flush();
            return e.toDomain();
        });
    }

    @Override
    public boolean nameTaken(String project, String name, long exceptId) {
        return em.createQuery("select count(w) from WebhookEntity w where w.project = :p and w.name = :n and w.id <> :id",
                        Long.class)
                .setParameter("p", project).setParameter("n", name).setParameter("id", exceptId)
                .getSingleResult() > 0;
    }

    @Override
    public Optional<String> sealedSecret(long id) {
        return Optional.ofNullable(em.find(WebhookEntity.class, id)).map(WebhookEntity::secretSealed);
    }

    @Override
    public Optional<String> sealedAuthHeader(long id) {
        return Optional.ofNullable(em.find(WebhookEntity.class, id)).flatMap(WebhookEntity::authHeaderSealed);
    }

    @Override
    public boolean replaceSecret(long id, String sealedSecret) {
        WebhookEntity entity = em.find(WebhookEntity.class, id);
        if (entity == null) {
            return false;
        }
        entity.secretSealed(sealedSecret);
        return true;
    }

    @Override
    public boolean delete(String project, long id) {
        Optional<WebhookEntity> entity = entity(project, id);
        entity.ifPresent(e -> {
            // the deliveries go by ON DELETE CASCADE; said here too, so no JPA cache keeps them
            em.createNativeQuery("DELETE FROM webhook_delivery WHERE webhook_id = ?1").setParameter(1, id).executeUpdate();
            em.remove(e);
        });
        return entity.isPresent();
    }
}
