package org.berth.infrastructure.jpa;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import org.berth.auth.token.SigningKeyStore;

/** {@link SigningKeyStore} on {@code signing_key}. */
@ApplicationScoped
public class JpaSigningKeyStore implements SigningKeyStore {

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Inject
    JpaStartLock startLock;

    @Override
    public List<String> all() {
        return em.createQuery("select k from SigningKeyEntity k order by k.createdAt desc, k.kid", SigningKeyEntity.class)
                .getResultList().stream().map(SigningKeyEntity::jwk).toList();
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean addFirst(String kid, String jwkJson) {
        startLock.holdUntilCommit(); // a node making its key at the same moment waits here, then finds this one
        Long stored = em.createQuery("select count(k) from SigningKeyEntity k", Long.class).getSingleResult();
        if (stored > 0) {
            return false;
        }
        em.persist(new SigningKeyEntity(kid, jwkJson, Instant.now()));
        return true;
    }
}
