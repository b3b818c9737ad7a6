package org.berth.infrastructure.jpa;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.TransactionalException;

import org.berth.domain.BlobLinks;
import org.berth.domain.Digest;
import org.berth.domain.RepositoryName;

@ApplicationScoped
public class JpaBlobLinks implements BlobLinks {

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Inject
    JpaRepositoryCatalog repositories;

    @Inject
    IsolatedWrites isolatedWrites;

    @Override
    public boolean isLinked(RepositoryName repository, Digest digest) {
        return !em.createQuery("select 1 from BlobLinkEntity l, RepositoryEntity r"
                        + " where l.repositoryId = r.id and r.name = :name and l.digest = :digest", Integer.class)
                .setParameter("name", repository.value())
                .setParameter("digest", digest.toString())
                .setMaxResults(1)
                .getResultList().isEmpty();
    }

    @Override
    public void link(RepositoryName repository, Digest digest, long size) {
        Long repositoryId = repositories.idOf(repository, true).orElseThrow();
        if (em.find(BlobLinkEntity.class, new BlobLinkEntity.Key(repositoryId, digest.toString())) != null) {
            return;
        }
        try {
            isolatedWrites.insert(new BlobLinkEntity(repositoryId, digest.toString(), size, Instant.now()));
        } catch (PersistenceException | TransactionalException e) {
            if (!isLinked(repository, digest)) {
                throw e;
            }
        }
    }

    @Override
    public boolean unlink(RepositoryName repository, Digest digest) {
        Optional<Long> repositoryId = repositories.find(repository);
        if (repositoryId.isEmpty()) {
            return false;
        }
        return em.createQuery("delete from BlobLinkEntity l where l.repositoryId = :id and l.digest = :digest")
                .setParameter("id", repositoryId.get())
                .setParameter("digest", digest.toString())
                .executeUpdate() > 0;
    }

    @Override
    public List<RepositoryName> repositoriesLinking(Digest digest, int limit) {
        return em.createQuery("select r.name from BlobLinkEntity l, RepositoryEntity r"
                        + " where l.repositoryId = r.id and l.digest = :digest order by r.name", String.class)
                .setParameter("digest", digest.toString())
                .setMaxResults(limit)
                .getResultList().stream().map(RepositoryName::new).toList();
    }
}
