package org.berth.infrastructure.jpa;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;

import org.berth.domain.PersonalToken;
import org.berth.domain.PersonalTokenStore;
import org.berth.domain.UniqueViolations;

/** Personal access tokens in table {@code personal_token}, unique by account and name. */
@ApplicationScoped
public class JpaPersonalTokenStore implements PersonalTokenStore {

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Inject
    JpaAccountStore accounts;

    @Override
    public Optional<PersonalToken> find(long id) {
        List<Object[]> rows = em.createQuery("select t, a.username from PersonalTokenEntity t, AccountEntity a"
                        + " where t.accountId = a.id and t.id = :id", Object[].class)
                .setParameter("id", id)
                .getResultList();
        return rows.stream().findFirst().map(r -> ((PersonalTokenEntity) r[0]).toDomain((String) r[1]));
    }

    @Override
    public List<PersonalToken> list(String username) {
        return em.createQuery("select t from PersonalTokenEntity t, AccountEntity a"
                        + " where t.accountId = a.id and a.username = :username order by t.revoked, t.id desc", PersonalTokenEntity.class)
                .setParameter("username", username)
                .setMaxResults(LIST_LIMIT)
                .getResultList().stream().map(t -> t.toDomain(username))
                .sorted(java.util.Comparator.comparing(PersonalToken::name).thenComparing(PersonalToken::id))
                .toList();
    }

    @Override
    public Optional<Long> create(PersonalToken token) {
        Long accountId = accounts.idOf(token.username())
                .orElseThrow(() -> new IllegalArgumentException("no account " + token.username()));
        if (live(token.username(), token.name()).isPresent()) {
            return Optional.empty();
        }
        PersonalTokenEntity entity = new PersonalTokenEntity(accountId, token);
        try {
            em.persist(entity);
            em.flush();
            return Optional.of(entity.id());
        } catch (PersistenceException e) {
            if (UniqueViolations.isCause(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public void setSecretHash(long id, String secretHash) {
        PersonalTokenEntity entity = em.find(PersonalTokenEntity.class, id);
        if (entity == null) {
            throw new IllegalArgumentException("no personal token " + id);
        }
        entity.setSecretHash(secretHash);
    }

    @Override
    public boolean revoke(String username, String name) {
        Optional<PersonalTokenEntity> token = live(username, name);
        if (token.isPresent()) {
            token.get().revoke();
            return true;
        }
        // revoking a revoked token again changes nothing, as before names could be reused
        return list(username).stream().anyMatch(t -> t.name().equals(name));
    }

    /** The account's live (not revoked) token of that name; revoked ones give their name up (V6). */
    private Optional<PersonalTokenEntity> live(String username, String name) {
        return em.createQuery("select t from PersonalTokenEntity t, AccountEntity a where t.accountId = a.id"
                        + " and a.username = :username and t.liveName = :name", PersonalTokenEntity.class)
                .setParameter("username", username)
                .setParameter("name", name)
                .getResultStream().findFirst();
    }
}
