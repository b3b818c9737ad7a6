package org.berth.domain;

import java.time.Duration;
import java.util.Locale;

/** How a background run (garbage collection, retention) was started: by someone, or by its schedule. */
public enum RunTrigger {
    MANUAL, SCHEDULE;

    /**
     * Every node of a cluster keeps the schedule and begins its run when it falls due (issue 19):
     * a scheduled run that began less than this before is the same occurrence, begun by another
     * node, and is not begun again (cron's finest step is a minute; nodes' clocks and ticks differ
     * by far less).
     */
    public static final Duration SAME_OCCURRENCE = Duration.ofSeconds(30);

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunTrigger of(String jsonName) {
        return valueOf(jsonName.toUpperCase(Locale.ROOT));
    }
}
