package org.berth.infrastructure.jpa;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import org.berth.domain.RegistryStatistics;

/** Counts by SQL over the metadata tables; the database's name and version from JDBC metadata. */
@ApplicationScoped
public class JpaRegistryStatistics implements RegistryStatistics {

    /** Each file under blobs/ once (layers, configs and manifests alike): the stored_blob rows. */
    private static final String BLOBS = "SELECT COUNT(*), COALESCE(SUM(size_bytes), 0) FROM stored_blob";

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Override
    @Transactional
    public Counts counts() {
        Object[] blobs = (Object[]) em.createNativeQuery(BLOBS).getSingleResult();
        return new Counts(
                count("select count(a) from AccountEntity a"),
                count("select count(p) from ProjectEntity p"),
                count("select count(r) from RepositoryEntity r"),
                count("select count(m) from ManifestEntity m"),
                ((Number) blobs[0]).longValue(),
                ((Number) blobs[1]).longValue());
    }

    @Override
    @Transactional
    public Database database() {
        try {
            DatabaseMetaData meta = em.unwrap(Connection.class).getMetaData();
            return new Database(meta.getDatabaseProductName(), meta.getDatabaseProductVersion());
        } catch (SQLException e) {
            throw new PersistenceException("cannot read the database's metadata", e);
        }
    }

    private long count(String jpql) {
        return em.createQuery(jpql, Long.class).getSingleResult();
    }
}
