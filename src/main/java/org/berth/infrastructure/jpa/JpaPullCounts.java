package org.berth.infrastructure.jpa;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import org.berth.domain.PullCounts;

@ApplicationScoped
public class JpaPullCounts implements PullCounts {

    /** Keeps the later of the stored and the new time, whichever flush comes first. */
    private static final String LATER = "CASE WHEN last_pull_at IS NULL OR last_pull_at < ?2 THEN ?2 ELSE last_pull_at END";

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    /** Manifest rows are updated in this order, repository rows by name: the same on every node. */
    static final Comparator<Pulls> ROW_ORDER = Comparator.comparing((Pulls p) -> p.repository().value())
            .thenComparing(p -> p.digest().toString());

    /**
     * One transaction per batch, of its own: a failed batch never undoes the caller's work. Rows
     * are locked in a fixed order, so the flushers of several nodes (or a flush and a retry) never
     * deadlock: manifests sorted by repository and digest, then repositories by name.
     */
    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void add(Collection<Pulls> pulls) {
        Map<String, Pulls> byRepository = new TreeMap<>();
        for (Pulls p : pulls.stream().sorted(ROW_ORDER).toList()) {
            em.createNativeQuery("UPDATE manifest SET pull_count = pull_count + ?1, last_pull_at = " + LATER
                            + " WHERE digest = ?3 AND repository_id = (SELECT r.id FROM repository r WHERE r.name = ?4)")
                    .setParameter(1, p.count())
                    .setParameter(2, NativeRows.timestamp(p.last()))
                    .setParameter(3, p.digest().toString())
                    .setParameter(4, p.repository().value())
                    .executeUpdate();
            byRepository.merge(p.repository().value(), p, (a, b) -> new Pulls(a.repository(), a.digest(),
                    a.count() + b.count(), later(a.last(), b.last())));
        }
        for (Pulls p : byRepository.values()) {
            em.createNativeQuery("UPDATE repository SET pull_count = pull_count + ?1, last_pull_at = " + LATER
                            + " WHERE name = ?3")
                    .setParameter(1, p.count())
                    .setParameter(2, NativeRows.timestamp(p.last()))
                    .setParameter(3, p.repository().value())
                    .executeUpdate();
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
