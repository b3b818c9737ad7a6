package org.berth.infrastructure.metrics;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.berth.domain.RegistryStatistics;
import org.berth.domain.gc.GcRun;
import org.berth.storage.StorageSpace;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;

/**
 * Storage gauges at {@code /metrics}: {@code berth_storage_used_bytes} (the blobs Berth holds,
 * each once, from the metadata database) and {@code berth_storage_free_bytes} (the data root's
 * file system). The database figure is recomputed at most every {@value #REFRESH_MILLIS} ms,
 * however often Prometheus scrapes, and right after a garbage collection run.
 */
@ApplicationScoped
public class StorageGauges {

    static final long REFRESH_MILLIS = 30_000;

    @Inject
    MetricRegistry registry;

    @Inject
    RegistryStatistics statistics;

    @Inject
    StorageSpace space;

    private final AtomicLong usedBytes = new AtomicLong(-1);
    private volatile long usedAt;

    void register(@Observes @Initialized(ApplicationScoped.class) Object started) {
        registry.gauge(Metadata.builder().withName("berth_storage_used").withUnit(MetricUnits.BYTES)
                .withDescription("Bytes of the blobs stored, each blob counted once").build(), this, StorageGauges::used);
        registry.gauge(Metadata.builder().withName("berth_storage_free").withUnit(MetricUnits.BYTES)
                .withDescription("Bytes free for Berth on the data root's file system").build(), this, StorageGauges::free);
    }

    /** A garbage collection run ended: the next scrape reads the figure afresh. */
    synchronized void afterGc(@Observes GcRun ended) {
        usedAt = 0;
        usedBytes.set(-1);
    }

    synchronized long used() {
        long now = System.currentTimeMillis();
        if (usedBytes.get() < 0 || now - usedAt > REFRESH_MILLIS) {
            try {
                usedBytes.set(statistics.counts().blobBytes());
                usedAt = now;
            } catch (RuntimeException e) {
                // the database is down: keep the last figure (the database health check says why)
            }
        }
        return usedBytes.get();
    }

    long free() {
        try {
            return space.space().freeBytes();
        } catch (IOException e) {
            return -1;
        }
    }
}
