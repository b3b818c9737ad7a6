package org.berth.infrastructure.jpa;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import org.berth.domain.ManifestReference;
import org.berth.domain.proxy.CacheEvictions;

/** {@link CacheEvictions} in one transaction per artifact. */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRES_NEW)
public class JpaCacheEvictions implements CacheEvictions {

    /** The least recently pulled manifest of the project that no index of its repository lists. */
    private static final String OLDEST = "SELECT m.id, m.repository_id, r.name, m.digest FROM manifest m"
            + " JOIN repository r ON r.id = m.repository_id WHERE r.project = ?1 AND NOT EXISTS ("
            + "  SELECT 1 FROM manifest_reference x JOIN manifest p ON p.id = x.manifest_id"
            + "  WHERE p.repository_id = m.repository_id AND x.digest = m.digest AND x.kind = ?2)"
            + " ORDER BY COALESCE(m.last_pull_at, m.pushed_at), m.id";

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Override
    public Optional<String> evictLeastRecentlyPulled(String project) {
        List<?> rows = em.createNativeQuery(OLDEST).setParameter(1, project)
                .setParameter(2, ManifestReference.Kind.MANIFEST.name()).setMaxResults(1).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = (Object[]) rows.get(0);
        long manifestId = NativeRows.number(row[0]);
        long repositoryId = NativeRows.number(row[1]);
        // locks the row: two evictions (or a pull recording) take it in turn
        if (em.createNativeQuery("SELECT id FROM manifest WHERE id = ?1 FOR UPDATE").setParameter(1, manifestId)
                .getResultList().isEmpty()) {
            return Optional.of(row[2] + "@" + row[3]); // evicted meanwhile: room was made all the same
        }
        @SuppressWarnings("unchecked")
        List<String> referenced = em.createNativeQuery("SELECT digest FROM manifest_reference WHERE manifest_id = ?1")
                .setParameter(1, manifestId).getResultList();
        em.createNativeQuery("DELETE FROM tag WHERE manifest_id = ?1").setParameter(1, manifestId).executeUpdate();
        em.createNativeQuery("DELETE FROM manifest_reference WHERE manifest_id = ?1").setParameter(1, manifestId).executeUpdate();
        em.createNativeQuery("DELETE FROM manifest WHERE id = ?1").setParameter(1, manifestId).executeUpdate();
        for (String digest : referenced) {
            em.createNativeQuery("DELETE FROM blob_link WHERE repository_id = ?1 AND digest = ?2 AND NOT EXISTS ("
                            + " SELECT 1 FROM manifest_reference x JOIN manifest m ON m.id = x.manifest_id"
                            + " WHERE m.repository_id = ?1 AND x.digest = ?2)")
                    .setParameter(1, repositoryId).setParameter(2, digest).executeUpdate();
        }
        return Optional.of(row[2] + "@" + row[3]);
    }
}
