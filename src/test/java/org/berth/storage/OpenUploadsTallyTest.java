package org.berth.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** When the count of open sessions is taken again from storage, which several nodes share (issue 19). */
class OpenUploadsTallyTest {

    /** What storage holds: session id to owner, as every node sees it. */
    private final Map<String, String> storage = new HashMap<>();
    private final AtomicInteger counts = new AtomicInteger();
    private long now = 1_000_000_000L;

    private final OpenUploadsTally tally = new OpenUploadsTally(() -> {
        counts.incrementAndGet();
        OpenUploads counted = new OpenUploads(2);
        storage.forEach(counted::opened);
        return counted;
    }, () -> now);

    private void open(String id, String owner) {
        assertNull(tally.tryOpen(id, owner), id);
        storage.put(id, owner);
    }

    @Test
    void countsFromStorageOnceThenInMemory() {
        storage.put("earlier", "alice");
        open("s1", "alice");
        assertNotNull(tally.tryOpen("s2", "alice"), "the session found in storage counts");
        assertEquals(2, counts.get(), "the first use, and the refusal");
        open("s3", "bob");
        assertEquals(2, counts.get());
    }

    @Test
    void aFullOwnerIsCountedAgainFromStorageAndARefusalHoldsASecond() {
        open("s1", "alice");
        open("s2", "alice");
        storage.remove("s1"); // ended on another node
        open("s3", "alice");
        assertEquals(2, counts.get(), "the first use, and the owner found full in memory");

        assertNotNull(tally.tryOpen("s4", "alice"));
        assertEquals(3, counts.get(), "storage holds two of alice's sessions");
        storage.remove("s2");
        assertNotNull(tally.tryOpen("s5", "alice"), "within a second of a refusal, the count in memory answers");
        assertNotNull(tally.tryOpen("s6", "alice"));
        assertEquals(3, counts.get(), "a refused client does not make each request a listing");
        now += TimeUnit.SECONDS.toNanos(1);
        open("s7", "alice");
        assertEquals(4, counts.get());
    }

    @Test
    void sessionsEndedElsewhereAreForgottenWithinAMinute() {
        open("s1", "alice");
        storage.remove("s1");
        now += TimeUnit.SECONDS.toNanos(59);
        open("s2", "bob");
        assertEquals(1, counts.get());
        now += TimeUnit.SECONDS.toNanos(2);
        open("s3", "bob");
        assertEquals(2, counts.get());
        open("s4", "alice");
        assertNull(tally.tryOpen("s5", "alice"), "alice's first session was forgotten");
        assertEquals(2, counts.get());
    }
}
