package org.berth.application;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.berth.domain.AuditEntry;

/**
 * The bounded queue between the requests that produce audit entries and the writer that stores
 * them in batches. Offering never blocks: when the queue is full the entry is dropped and counted,
 * so a burst of pulls is never slowed by the database.
 */
final class AuditBuffer {

    private final ArrayBlockingQueue<AuditEntry> queue;
    private final AtomicLong dropped = new AtomicLong();

    AuditBuffer(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** @return false when the entry was dropped because the queue is full */
    boolean offer(AuditEntry entry) {
        if (queue.offer(entry)) {
            return true;
        }
        dropped.incrementAndGet();
        return false;
    }

    /** Removes and returns up to {@code max} entries, oldest first; empty when there are none. */
    List<AuditEntry> drain(int max) {
        List<AuditEntry> batch = new ArrayList<>(Math.min(max, queue.size()));
        queue.drainTo(batch, max);
        return batch;
    }

    int size() {
        return queue.size();
    }

    /** Entries dropped since the start because the queue was full. */
    long dropped() {
        return dropped.get();
    }
}
