package org.berth.infrastructure.jpa;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import org.berth.auth.LoginFailureStore;

/**
 * {@link LoginFailureStore} on {@code login_failure}. Each change runs in a transaction of its own
 * (a login is not part of the request's work) and holds the key's row locked from its read to its
 * commit; two nodes inserting one key's first row at once lose one insert to the primary key, which
 * the caller retries (the retry finds the row and waits for its lock).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRES_NEW)
public class JpaLoginFailureStore implements LoginFailureStore {

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Override
    public Optional<Failures> find(String key) {
        return Optional.ofNullable(em.find(LoginFailureEntity.class, key)).map(LoginFailureEntity::toDomain);
    }

    @Override
    public Failures change(String key, Function<Optional<Failures>, Failures> change) {
        LoginFailureEntity row = em.find(LoginFailureEntity.class, key, LockModeType.PESSIMISTIC_WRITE);
        Failures changed = change.apply(Optional.ofNullable(row).map(LoginFailureEntity::toDomain));
        if (row == null) {
            em.persist(new LoginFailureEntity(key, changed));
        } else {
            row.set(changed);
        }
        em.flush();
        return changed;
    }

    @Override
    public void remove(String key) {
        em.createQuery("delete from LoginFailureEntity f where f.key = :key").setParameter("key", key).executeUpdate();
    }

    @Override
    public int forget(Instant lastBefore, Instant now) {
        return em.createQuery("delete from LoginFailureEntity f where f.lastFailure < :before"
                        + " and (f.lockedUntil is null or f.lockedUntil <= :now)")
                .setParameter("before", lastBefore).setParameter("now", now).executeUpdate();
    }

    @Override
    public int dropOldestUnlocked(int count, Instant now) {
        List<String> oldest = em.createQuery("select f.key from LoginFailureEntity f"
                        + " where f.lockedUntil is null or f.lockedUntil <= :now order by f.lastFailure", String.class)
                .setParameter("now", now).setMaxResults(count).getResultList();
        if (oldest.isEmpty()) {
            return 0;
        }
        return em.createQuery("delete from LoginFailureEntity f where f.key in :keys")
                .setParameter("keys", oldest).executeUpdate();
    }

    @Override
    public int size() {
        return em.createQuery("select count(f) from LoginFailureEntity f", Long.class).getSingleResult().intValue();
    }
}
