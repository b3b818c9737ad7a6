package org.berth.infrastructure.jpa;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.TransactionalException;

import org.berth.domain.Page;
import org.berth.domain.Project;
import org.berth.domain.RepositoryCatalog;
import org.berth.domain.RepositoryName;

@ApplicationScoped
public class JpaRepositoryCatalog implements RepositoryCatalog {

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Inject
    IsolatedWrites isolatedWrites;

    @Override
    public boolean exists(RepositoryName name) {
        return find(name).isPresent();
    }

    @Override
    public void ensureExists(RepositoryName name) {
        idOf(name, true);
    }

    @Override
    public List<RepositoryName> list(Page page, Collection<String> projects) {
        if (projects != null && projects.isEmpty()) {
            return List.of();
        }
        StringBuilder jpql = new StringBuilder("select r.name from RepositoryEntity r where 1 = 1");
        if (page.last() != null) {
            jpql.append(" and r.name > :last");
        }
        if (projects != null) {
            jpql.append(" and r.project in :projects");
        }
        TypedQuery<String> q = em.createQuery(jpql.append(" order by r.name").toString(), String.class);
        if (page.last() != null) {
            q.setParameter("last", page.last());
        }
        if (projects != null) {
            q.setParameter("projects", projects);
        }
        return q.setMaxResults(page.limit()).getResultList().stream().map(RepositoryName::new).toList();
    }

    @Override
    public boolean anyInProject(String project) {
        return !em.createQuery("select r.id from RepositoryEntity r where r.project = :project", Long.class)
                .setParameter("project", project).setMaxResults(1).getResultList().isEmpty();
    }

    Optional<Long> find(RepositoryName name) {
        return em.createQuery("select r.id from RepositoryEntity r where r.name = :name", Long.class)
                .setParameter("name", name.value())
                .getResultStream().findFirst();
    }

    /** The repository's id; when {@code create}, makes the repository if it does not exist. */
    Optional<Long> idOf(RepositoryName name, boolean create) {
        Optional<Long> id = find(name);
        if (id.isPresent() || !create) {
            return id;
        }
        try {
            isolatedWrites.insert(new RepositoryEntity(name.value(), Project.of(name), Instant.now()));
        } catch (PersistenceException | TransactionalException e) {
            // Another request may have created it first: then its row is there to read.
            return Optional.of(find(name).orElseThrow(() -> e));
        }
        return Optional.of(find(name).orElseThrow());
    }
}
