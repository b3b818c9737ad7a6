package org.berth.infrastructure.jpa;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import org.berth.domain.RepositoryName;
import org.berth.domain.Tag;
import org.berth.domain.proxy.TagChecks;

/** {@link TagChecks} on {@code proxy_tag_check} (V13). */
@ApplicationScoped
public class JpaTagChecks implements TagChecks {

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Instant> checkedAt(RepositoryName repository, Tag tag) {
        List<?> rows = em.createNativeQuery("SELECT c.checked_at FROM proxy_tag_check c JOIN repository r ON r.id = c.repository_id"
                        + " WHERE r.name = ?1 AND c.tag = ?2")
                .setParameter(1, repository.value()).setParameter(2, tag.value()).getResultList();
        return rows.stream().findFirst().map(NativeRows::instant);
    }

    /**
     * Updates the row or adds it, in a transaction of its own; two nodes adding it at once: one
     * insert loses to the key (the caller runs it again, {@link org.berth.domain.UniqueViolations#retryOnce}).
     */
    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void checked(RepositoryName repository, Tag tag, Instant at) {
        int updated = em.createNativeQuery("UPDATE proxy_tag_check SET checked_at = ?1 WHERE tag = ?2"
                        + " AND repository_id = (SELECT id FROM repository WHERE name = ?3)")
                .setParameter(1, NativeRows.timestamp(at)).setParameter(2, tag.value()).setParameter(3, repository.value())
                .executeUpdate();
        if (updated == 0) {
            em.createNativeQuery("INSERT INTO proxy_tag_check (repository_id, tag, checked_at)"
                            + " SELECT id, ?1, ?2 FROM repository WHERE name = ?3")
                    .setParameter(1, tag.value()).setParameter(2, NativeRows.timestamp(at)).setParameter(3, repository.value())
                    .executeUpdate();
        }
    }
}
