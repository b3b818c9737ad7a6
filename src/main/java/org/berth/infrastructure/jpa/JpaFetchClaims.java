package org.berth.infrastructure.jpa;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import org.berth.domain.proxy.FetchClaims;

/**
 * {@link FetchClaims} on {@code proxy_fetch} (V13), each call a transaction of its own. A claim is
 * taken by deleting a stale row and inserting; of two nodes inserting at once, one loses to the
 * primary key (a unique violation the caller reads as "not claimed").
 */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRES_NEW)
public class JpaFetchClaims implements FetchClaims {

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Override
    public boolean claim(String key, String node, Instant now, Instant staleBefore) {
        em.createNativeQuery("DELETE FROM proxy_fetch WHERE fetch_key = ?1 AND (renewed_at < ?2 OR node = ?3)")
                .setParameter(1, key).setParameter(2, NativeRows.timestamp(staleBefore)).setParameter(3, node).executeUpdate();
        if (!em.createNativeQuery("SELECT 1 FROM proxy_fetch WHERE fetch_key = ?1").setParameter(1, key).getResultList().isEmpty()) {
            return false;
        }
        em.createNativeQuery("INSERT INTO proxy_fetch (fetch_key, node, renewed_at) VALUES (?1, ?2, ?3)")
                .setParameter(1, key).setParameter(2, node).setParameter(3, NativeRows.timestamp(now)).executeUpdate();
        return true;
    }

    @Override
    public void renew(String key, String node, Instant now) {
        em.createNativeQuery("UPDATE proxy_fetch SET renewed_at = ?1 WHERE fetch_key = ?2 AND node = ?3")
                .setParameter(1, NativeRows.timestamp(now)).setParameter(2, key).setParameter(3, node).executeUpdate();
    }

    @Override
    public void release(String key, String node) {
        em.createNativeQuery("DELETE FROM proxy_fetch WHERE fetch_key = ?1 AND node = ?2")
                .setParameter(1, key).setParameter(2, node).executeUpdate();
    }
}
