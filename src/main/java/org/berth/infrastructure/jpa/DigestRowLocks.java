package org.berth.infrastructure.jpa;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import org.berth.domain.Digest;

/**
 * Locks a repository's rows of an entity keyed by digest (links, manifests) for the caller's
 * transaction. Rows are locked in digest order, so two transactions holding overlapping sets
 * (a push and the garbage collector) cannot deadlock.
 */
final class DigestRowLocks {

    private DigestRowLocks() {
    }

    /** @return the digests of those asked that have a row */
    static <T> Set<Digest> lock(EntityManager em, Class<T> entity, long repositoryId, Collection<Digest> digests,
                                Function<T, String> digestOf) {
        if (digests.isEmpty()) {
            return Set.of();
        }
        List<String> sorted = digests.stream().map(Digest::toString).distinct().sorted().toList();
        return em.createQuery("select e from " + entity.getSimpleName() + " e where e.repositoryId = :id"
                        + " and e.digest in :digests order by e.digest", entity)
                .setParameter("id", repositoryId)
                .setParameter("digests", sorted)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList().stream().map(e -> Digest.parse(digestOf.apply(e))).collect(Collectors.toSet());
    }
}
