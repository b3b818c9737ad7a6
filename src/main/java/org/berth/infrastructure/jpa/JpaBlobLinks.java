package org.berth.infrastructure.jpa;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
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
        Instant now = Instant.now();
        if (touch(repositoryId, digest, now)) {
            return;
        }
        try {
            isolatedWrites.insert(new BlobLinkEntity(repositoryId, digest.toString(), size, now));
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
    public Optional<Instant> touchedAt(RepositoryName repository, Digest digest) {
        return em.createQuery("select l.touchedAt from BlobLinkEntity l, RepositoryEntity r"
                        + " where l.repositoryId = r.id and r.name = :name and l.digest = :digest", Instant.class)
                .setParameter("name", repository.value())
                .setParameter("digest", digest.toString())
                .getResultStream().findFirst();
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean touch(RepositoryName repository, Digest digest, Instant at) {
        Optional<Long> repositoryId = repositories.find(repository);
        return repositoryId.isPresent() && touch(repositoryId.get(), digest, at);
    }

    /** An UPDATE of the row, which holds it for the transaction; false when there is none. */
    private boolean touch(Long repositoryId, Digest digest, Instant at) {
        return em.createQuery("update BlobLinkEntity l set l.touchedAt = :at"
                        + " where l.repositoryId = :id and l.digest = :digest")
                .setParameter("at", at)
                .setParameter("id", repositoryId)
                .setParameter("digest", digest.toString())
                .executeUpdate() > 0;
    }

    @Override
    public Set<Digest> hold(RepositoryName repository, Collection<Digest> digests) {
        return repositories.find(repository)
                .map(id -> DigestRowLocks.lock(em, BlobLinkEntity.class, id, digests, BlobLinkEntity::digest))
                .orElse(Set.of());
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
