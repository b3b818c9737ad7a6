package org.berth.infrastructure.jpa;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;

import org.berth.domain.UniqueViolations;
import org.berth.domain.proxy.RegistryEndpoint;
import org.berth.domain.proxy.RegistryEndpointStore;

/** Registry endpoints in table {@code registry_endpoint}, by name (its primary key). */
@ApplicationScoped
public class JpaRegistryEndpointStore implements RegistryEndpointStore {

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Override
    public Optional<RegistryEndpoint> find(String name) {
        return Optional.ofNullable(em.find(RegistryEndpointEntity.class, name)).map(RegistryEndpointEntity::toDomain);
    }

    @Override
    public Optional<String> sealedPassword(String name) {
        return Optional.ofNullable(em.find(RegistryEndpointEntity.class, name))
                .flatMap(RegistryEndpointEntity::passwordSealed);
    }

    @Override
    public List<RegistryEndpoint> list(int offset, int limit) {
        return em.createQuery("select e from RegistryEndpointEntity e order by e.name", RegistryEndpointEntity.class)
                .setFirstResult(offset)
                .setMaxResults(limit)
                .getResultList().stream().map(RegistryEndpointEntity::toDomain).toList();
    }

    @Override
    public long count() {
        return em.createQuery("select count(e) from RegistryEndpointEntity e", Long.class).getSingleResult();
    }

    @Override
    public boolean create(RegistryEndpoint endpoint, Optional<String> sealedPassword) {
        if (em.find(RegistryEndpointEntity.class, endpoint.name()) != null) {
            return false;
        }
        try {
            em.persist(new RegistryEndpointEntity(endpoint, sealedPassword));
            em.flush();
            return true;
        } catch (PersistenceException e) {
            if (UniqueViolations.isCause(e)) {
                return false; // created at the same moment by another request or node
            }
            throw e;
        }
    }

    @Override
    public Optional<RegistryEndpoint> update(RegistryEndpoint endpoint, Optional<String> sealedPassword) {
        return Optional.ofNullable(em.find(RegistryEndpointEntity.class, endpoint.name())).map(e -> {
            e.set(endpoint, sealedPassword, Instant.now().truncatedTo(ChronoUnit.MILLIS));
            return e.toDomain();
        });
    }

    @Override
    public boolean delete(String name) {
        Optional<RegistryEndpointEntity> endpoint = Optional.ofNullable(em.find(RegistryEndpointEntity.class, name));
        endpoint.ifPresent(em::remove);
        return endpoint.isPresent();
    }

    @Override
    public boolean inUse(String name) {
        // the foreign key proxy_project.registry_name also stops a delete racing a project's create
        Number used = (Number) em.createNativeQuery("SELECT COUNT(*) FROM proxy_project WHERE registry_name = ?")
                .setParameter(1, name)
                .getSingleResult();
        // so does replication_rule.registry_name (V15): a rule's endpoint stays while the rule does
        Number rules = (Number) em.createNativeQuery("SELECT COUNT(*) FROM replication_rule WHERE registry_name = ?")
                .setParameter(1, name)
                .getSingleResult();
        return used.longValue() + rules.longValue() > 0;
    }
}
