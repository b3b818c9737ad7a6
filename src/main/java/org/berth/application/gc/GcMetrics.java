package org.berth.application.gc;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.berth.domain.gc.GarbageKind;
import org.berth.domain.gc.GcRun;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * The collector at {@code /metrics}: {@code berth_gc_runs_total{result}} (one per run that ended,
 * by its state), {@code berth_gc_deleted_total{kind}} and {@code berth_gc_freed_bytes_total} (what
 * real runs removed; dry runs remove nothing), {@code berth_gc_duration_seconds} (how long runs
 * took). Every series exists from the start, at 0.
 */
@ApplicationScoped
public class GcMetrics {

    @Inject
    MetricRegistry registry;

    private final Map<GcRun.State, Counter> runs = new EnumMap<>(GcRun.State.class);
    private final Map<GarbageKind, Counter> deleted = new EnumMap<>(GarbageKind.class);
    private Counter freed;
    private Timer duration;

    /** Made at the start, so that every series is there before the first run. */
    void started(@Observes @Initialized(ApplicationScoped.class) Object started) {
        // the observer makes the bean, and @PostConstruct registers the metrics
    }

    @PostConstruct
    void register() {
        Metadata runsMeta = Metadata.builder().withName("berth_gc_runs")
                .withDescription("Garbage collection runs that ended, by result").withUnit(MetricUnits.NONE).build();
        for (GcRun.State state : GcRun.State.values()) {
            if (state != GcRun.State.RUNNING) {
                runs.put(state, registry.counter(runsMeta, new Tag("result", state.jsonName())));
            }
        }
        Metadata deletedMeta = Metadata.builder().withName("berth_gc_deleted")
                .withDescription("What garbage collection deleted, by kind").withUnit(MetricUnits.NONE).build();
        for (GarbageKind kind : GarbageKind.values()) {
            deleted.put(kind, registry.counter(deletedMeta, new Tag("kind", kind.jsonName())));
        }
        freed = registry.counter(Metadata.builder().withName("berth_gc_freed_bytes")
                .withDescription("Bytes garbage collection removed from the data root").withUnit(MetricUnits.NONE).build());
        duration = registry.timer(Metadata.builder().withName("berth_gc_duration")
                .withDescription("How long garbage collection runs took").withUnit(MetricUnits.SECONDS).build());
    }

    void ended(GcRun run) {
        Counter counter = runs.get(run.state());
        if (counter != null) {
            counter.inc();
        }
        if (run.endedAt() != null) {
            duration.update(Duration.between(run.startedAt(), run.endedAt()));
        }
        if (run.options().dryRun()) {
            return;
        }
        run.report().tallies().forEach((kind, tally) -> deleted.get(kind).inc(tally.count()));
        freed.inc(run.progress().freedBytes());
    }
}
