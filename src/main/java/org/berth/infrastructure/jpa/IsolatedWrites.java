package org.berth.infrastructure.jpa;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

/**
 * Inserts that may race with the same insert from another request (two pushes creating one
 * repository, two uploads linking one layer). Each runs in its own transaction so that losing the
 * race rolls back only the insert; the caller then finds the winner's row.
 */
@ApplicationScoped
public class IsolatedWrites {

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void insert(Object entity) {
        em.persist(entity);
        em.flush();
    }
}
