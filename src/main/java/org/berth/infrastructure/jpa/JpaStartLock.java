package org.berth.infrastructure.jpa;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import org.berth.domain.StartLock;

/** {@link StartLock} on the one row of {@code start_lock} (V11__cluster.sql), as {@code gc_lock} is for runs. */
@ApplicationScoped
public class JpaStartLock implements StartLock {

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void holdUntilCommit() {
        em.createNativeQuery("SELECT id FROM start_lock WHERE id = 1 FOR UPDATE").getResultList();
    }
}
