package org.berth.application.gc;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.berth.domain.CronSchedule;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The garbage collector's settings (checked at start by {@code StartupCheck.gcSettings}):
 * {@code BERTH_GC_GRACE}, {@code BERTH_UPLOAD_EXPIRY}, {@code BERTH_GC_SCHEDULE}.
 */
@ApplicationScoped
public class GcSettings {

    /** A HEAD refreshes a link's time at most this often, so that HEADs of a hot layer do not all write. */
    static final Duration MAX_REFRESH = Duration.ofMinutes(5);

    @Inject
    @ConfigProperty(name = "berth.gc.grace", defaultValue = "3600")
    long graceSeconds;

    @Inject
    @ConfigProperty(name = "berth.upload.expiry", defaultValue = "86400")
    long uploadExpirySeconds;

    @Inject
    @ConfigProperty(name = "berth.gc.schedule")
    Optional<String> schedule;

    @Inject
    @ConfigProperty(name = "berth.gc.delete-untagged", defaultValue = "false")
    boolean scheduledDeleteUntagged;

    public GcSettings() {
    }

    /** For tests. */
    public GcSettings(long graceSeconds, long uploadExpirySeconds, String schedule) {
        this.graceSeconds = graceSeconds;
        this.uploadExpirySeconds = uploadExpirySeconds;
        this.schedule = Optional.ofNullable(schedule);
    }

    /**
     * How long a blob, a link or an untagged manifest is kept after it was last uploaded, linked,
     * mounted, pushed or answered 200 to a HEAD, referenced or not: a client may still be about to
     * reference it (docker HEADs a layer, skips its upload, and puts the manifest later).
     */
    public Duration grace() {
        return Duration.ofSeconds(Math.max(0, graceSeconds));
    }

    /**
     * How old a link's time may be before a HEAD answered 200 writes it again: a tenth of the grace
     * period, at most {@link #MAX_REFRESH}. A link is therefore collected only once it is older than
     * the grace period plus this, which keeps the promise of a HEAD for the whole grace period.
     */
    public Duration headRefresh() {
        Duration tenth = grace().dividedBy(10);
        return tenth.compareTo(MAX_REFRESH) > 0 ? MAX_REFRESH : tenth;
    }

    /** How long an upload session may go without a byte before it is expired with its files. */
    public Duration uploadExpiry() {
        return Duration.ofSeconds(Math.max(0, uploadExpirySeconds));
    }

    /** Whether runs started by the schedule delete untagged manifests too ({@code BERTH_GC_DELETE_UNTAGGED}). */
    public boolean scheduledDeleteUntagged() {
        return scheduledDeleteUntagged;
    }

    /** When runs start by themselves; empty: only when started through the API. */
    public Optional<CronSchedule> schedule() {
        return schedule.map(String::trim).filter(s -> !s.isEmpty()).map(CronSchedule::parse);
    }
}
