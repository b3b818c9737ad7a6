package org.berth.infrastructure.jpa;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.TransactionalException;

import org.berth.domain.BlobRecords;
import org.berth.domain.Digest;

/**
 * {@link BlobRecords} on the {@code stored_blob} table. The lock is {@code SELECT ... FOR UPDATE}
 * of the row (H2 and PostgreSQL alike: a second locker waits, then reads the row as the first left
 * it, or finds it gone).
 */
@ApplicationScoped
public class JpaBlobRecords implements BlobRecords {

    /**
     * A new row is inserted in a transaction of its own and then locked; the collector may remove a
     * row between the two only when the grace period is 0, and then the insert is simply made again.
     */
    private static final int ATTEMPTS = 20;

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Inject
    IsolatedWrites isolatedWrites;

    @Override
    public void hold(Digest digest, long size) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (lock(digest)) {
                return;
            }
            try {
                isolatedWrites.insert(new StoredBlobEntity(digest.toString(), size, Instant.now()));
            } catch (PersistenceException | TransactionalException e) {
                // another writer inserted it first (or the collector held it a moment): lock theirs
            }
        }
        throw new IllegalStateException("the row of blob " + digest + " could not be held after " + ATTEMPTS + " attempts");
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
