package org.berth.infrastructure.jpa;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.TransactionalException;

import org.berth.auth.token.SigningKeyStore;

@ApplicationScoped
public class JpaSigningKeyStore implements SigningKeyStore {

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Inject
    IsolatedWrites isolatedWrites;

    @Override
    public List<String> all() {
        return em.createQuery("select k from SigningKeyEntity k order by k.createdAt desc, k.kid", SigningKeyEntity.class)
                .getResultList().stream().map(SigningKeyEntity::jwk).toList();
    }

    @Override
    public boolean add(String kid, String jwkJson) {
        try {
            isolatedWrites.insert(new SigningKeyEntity(kid, jwkJson, Instant.now()));
            return true;
        } catch (PersistenceException | TransactionalException e) {
            return false;
        }
    }
}
