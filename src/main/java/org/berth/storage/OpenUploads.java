package org.berth.storage;

import java.util.HashMap;
import java.util.Map;

/**
 * The open upload sessions of each owner (an account, or an anonymous client's address), so that
 * none holds more than a limit of them: a session holds disk until it is finished or cancelled,
 * and nothing expires it yet (issue 14, item 8). A session counts from its opening until it is
 * committed, cancelled or discarded after a failure.
 */
final class OpenUploads {

    private final int maxPerOwner;
    private final Map<String, String> ownerBySession = new HashMap<>();
    private final Map<String, Integer> countByOwner = new HashMap<>();

    /** @param maxPerOwner the most sessions one owner may hold open; below 1, no limit */
    OpenUploads(int maxPerOwner) {
        this.maxPerOwner = maxPerOwner;
    }

    int maxPerOwner() {
        return maxPerOwner;
    }

    /** Counts a new session for its owner, unless the owner already holds as many as allowed. */
    synchronized boolean tryOpen(String sessionId, String owner) {
        if (maxPerOwner > 0 && count(owner) >= maxPerOwner) {
            return false;
        }
        opened(sessionId, owner);
        return true;
    }

    /** Counts a session found open (on disk, after a restart), whatever the limit. */
    synchronized void opened(String sessionId, String owner) {
        if (ownerBySession.putIfAbsent(sessionId, owner) == null) {
            countByOwner.merge(owner, 1, Integer::sum);
        }
    }

    /** Frees the session's slot; a session not counted (or freed already) changes nothing. */
    synchronized void closed(String sessionId) {
        String owner = ownerBySession.remove(sessionId);
        if (owner != null) {
            countByOwner.computeIfPresent(owner, (o, n) -> n == 1 ? null : n - 1);
        }
    }

    synchronized int count(String owner) {
        return countByOwner.getOrDefault(owner, 0);
    }
}
