package org.berth.application;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.berth.domain.Digest;
import org.berth.domain.PullCounts;
import org.berth.domain.RepositoryName;

/**
 * Counts manifest pulls without a database write on the pull: {@link #record} adds to an
 * in-memory tally, and {@link BackgroundFlush} writes the tally in one batch every second (and once
 * more when the application stops). A crash loses at most the last second's counts, which is
 * acceptable for statistics.
 */
@ApplicationScoped
public class PullCounter {

    private record Key(RepositoryName repository, Digest digest) {
    }

    private record Tally(long count, Instant last) {
        Tally plus(Tally other) {
            return new Tally(count + other.count, last.isAfter(other.last) ? last : other.last);
        }
    }

    private final ConcurrentHashMap<Key, Tally> pending = new ConcurrentHashMap<>();

    @Inject
    PullCounts counts;

    /** One pull of the manifest (a GET; a HEAD is not a pull). */
    public void record(RepositoryName repository, Digest digest) {
        pending.merge(new Key(repository, digest), new Tally(1, Instant.now()), Tally::plus);
    }

    /** Writes what was tallied; on failure puts it back for the next attempt. */
    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<PullCounts.Pulls> batch = new ArrayList<>();
        for (Key key : pending.keySet()) {
            Tally tally = pending.remove(key); // atomic: a concurrent record() starts a fresh tally
            if (tally != null) {
                batch.add(new PullCounts.Pulls(key.repository(), key.digest(), tally.count(), tally.last()));
            }
        }
        try {
            counts.add(batch);
        } catch (RuntimeException e) {
            batch.forEach(p -> pending.merge(new Key(p.repository(), p.digest()), new Tally(p.count(), p.last()), Tally::plus));
            throw e;
        }
    }

}
