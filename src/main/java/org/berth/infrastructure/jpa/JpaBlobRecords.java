package org.berth.infrastructure.jpa;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;

import org.berth.domain.BlobRecords;
import org.berth.domain.Digest;

/**
 * {@link BlobRecords} on the {@code stored_blob} table. The lock is {@code SELECT ... FOR UPDATE}
 * of the row (H2 and PostgreSQL alike: a second locker waits, then reads the row as the first left
 * it, or finds it gone).
 */
@ApplicationScoped
public class JpaBlobRecords implements BlobRecords {

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    /**
     * A new row is inserted in the caller's transaction, which then holds it: an upload of the same
     * blob at the same moment waits for that transaction and then fails on the unique key, and its
     * caller runs its transaction again ({@link org.berth.domain.UniqueViolations#retryOnce}),
     * finding this row.
     */
    @Override
    public void hold(Digest digest, long size) {
        if (!lock(digest)) {
            em.persist(new StoredBlobEntity(digest.toString(), size, Instant.now()));
            em.flush();
        }
    }

    @Override
    public boolean lock(Digest digest) {
        StoredBlobEntity row = em.find(StoredBlobEntity.class, digest.toString(), LockModeType.PESSIMISTIC_WRITE);
        if (row == null) {
            return false;
        }
        row.touch(Instant.now());
        return true;
    }
}
