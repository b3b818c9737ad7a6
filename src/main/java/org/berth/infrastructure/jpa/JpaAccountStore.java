package org.berth.infrastructure.jpa;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;

import org.berth.domain.Account;
import org.berth.domain.AccountStore;
import org.berth.domain.UniqueViolations;

/** Accounts in table {@code account}. Writes join the caller's JTA transaction. */
@ApplicationScoped
public class JpaAccountStore implements AccountStore {

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Override
    public Optional<Account> find(String username) {
        return entity(username).map(AccountEntity::toDomain);
    }

    @Override
    public List<Account> list(int offset, int limit) {
        return em.createQuery("select a from AccountEntity a order by a.username", AccountEntity.class)
                .setFirstResult(offset)
                .setMaxResults(limit)
                .getResultList().stream().map(AccountEntity::toDomain).toList();
    }

    @Override
    public long count() {
        return em.createQuery("select count(a) from AccountEntity a", Long.class).getSingleResult();
    }

    @Override
    public boolean create(Account account) {
        if (!em.createQuery("select a.id from AccountEntity a where a.usernameKey = :key", Long.class)
                .setParameter("key", AccountEntity.key(account.username())).getResultList().isEmpty()) {
            return false;
        }
        try {
            em.persist(new AccountEntity(account));
            em.flush();
            return true;
        } catch (PersistenceException e) {
            if (UniqueViolations.isCause(e)) {
                return false; // created by a concurrent request since the check above
            }
            throw e;
        }
    }

    @Override
    public List<String> lockActiveSysadmins() {
        return em.createQuery("select a from AccountEntity a where a.sysadmin = true and a.disabled = false"
                        + " order by a.username", AccountEntity.class)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList().stream().map(a -> a.toDomain().username()).toList();
    }

    @Override
    public void setPasswordHash(String username, String passwordHash) {
        entity(username).ifPresent(a -> a.setPasswordHash(passwordHash));
    }

    @Override
    public void setSysadmin(String username, boolean sysadmin) {
        entity(username).ifPresent(a -> a.setSysadmin(sysadmin));
    }

    @Override
    public void setDisabled(String username, boolean disabled) {
        entity(username).ifPresent(a -> a.setDisabled(disabled));
    }

    Optional<AccountEntity> entity(String username) {
        if (username == null) {
            return Optional.empty();
        }
        return em.createQuery("select a from AccountEntity a where a.username = :username", AccountEntity.class)
                .setParameter("username", username)
                .getResultStream().findFirst();
    }

    Optional<Long> idOf(String username) {
        return entity(username).map(AccountEntity::id);
    }
}
