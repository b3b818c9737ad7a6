package org.berth.auth;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** A {@link LoginFailureStore} in a map, for tests of the throttle's rules without a database. */
final class InMemoryLoginFailures implements LoginFailureStore {

    private final Map<String, Failures> rows = new LinkedHashMap<>();

    @Override
    public synchronized Optional<Failures> find(String key) {
        return Optional.ofNullable(rows.get(key));
    }

    @Override
    public synchronized Failures change(String key, Function<Optional<Failures>, Failures> change) {
        Failures changed = change.apply(Optional.ofNullable(rows.get(key)));
        rows.put(key, changed);
        return changed;
    }

    @Override
    public synchronized void remove(String key) {
        rows.remove(key);
    }

    @Override
    public synchronized int forget(Instant lastBefore, Instant now) {
        int before = rows.size();
        rows.values().removeIf(f -> f.last().isBefore(lastBefore) && !f.lockedAt(now));
        return before - rows.size();
    }

    @Override
    public synchronized int dropOldestUnlocked(int count, Instant now) {
        var oldest = rows.entrySet().stream().filter(e -> !e.getValue().lockedAt(now))
                .sorted(Comparator.comparing(e -> e.getValue().last())).limit(count).map(Map.Entry::getKey).toList();
        oldest.forEach(rows::remove);
        return oldest.size();
    }

    @Override
    public synchronized int size() {
        return rows.size();
    }
}
