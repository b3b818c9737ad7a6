package org.berth.infrastructure.jpa;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;

import org.berth.domain.Digest;
import org.berth.domain.QuotaStore;

@ApplicationScoped
public class JpaQuotaStore implements QuotaStore {

    /**
     * Distinct digests over the project's blob links and manifests (manifest bytes live in the
     * blob store too), each counted once with its size.
     */
    static final String PHYSICAL_BYTES = "SELECT COALESCE(SUM(s), 0) FROM ("
            + " SELECT d, MAX(s) AS s FROM ("
            + "  SELECT l.digest AS d, l.size_bytes AS s FROM blob_link l JOIN repository r ON r.id = l.repository_id"
            + "  WHERE r.project = ?1"
            + "  UNION ALL"
            + "  SELECT m.digest AS d, m.size_bytes AS s FROM manifest m JOIN repository r ON r.id = m.repository_id"
            + "  WHERE r.project = ?1"
            + " ) u GROUP BY d"
            + ") g";

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Override
    public long limit(String project) {
        return em.createQuery("select p.quotaBytes from ProjectEntity p where p.name = :name", Long.class)
                .setParameter("name", project)
                .getResultStream().findFirst().orElse(UNLIMITED);
    }

    @Override
    public long lockedLimit(String project) {
        // SELECT ... FOR UPDATE on the project's row (H2 and PostgreSQL): held to the end of the transaction.
        return em.createQuery("select p.quotaBytes from ProjectEntity p where p.name = :name", Long.class)
                .setParameter("name", project)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultStream().findFirst().orElse(UNLIMITED);
    }

    @Override
    public void setLimit(String project, long limitBytes) {
        em.createQuery("update ProjectEntity p set p.quotaBytes = :limit where p.name = :name")
                .setParameter("limit", limitBytes)
                .setParameter("name", project)
                .executeUpdate();
    }

    @Override
    public long physicalBytes(String project) {
        return NativeRows.number(em.createNativeQuery(PHYSICAL_BYTES).setParameter(1, project).getSingleResult());
    }

    @Override
    public boolean holds(String project, Digest digest) {
        boolean linked = !em.createQuery("select 1 from BlobLinkEntity l, RepositoryEntity r"
                        + " where l.repositoryId = r.id and r.project = :project and l.digest = :digest", Integer.class)
                .setParameter("project", project)
                .setParameter("digest", digest.toString())
                .setMaxResults(1).getResultList().isEmpty();
        return linked || !em.createQuery("select 1 from ManifestEntity m, RepositoryEntity r"
                        + " where m.repositoryId = r.id and r.project = :project and m.digest = :digest", Integer.class)
                .setParameter("project", project)
                .setParameter("digest", digest.toString())
                .setMaxResults(1).getResultList().isEmpty();
    }
}
