package org.berth.domain;

import java.util.Locale;

/** How a background run (garbage collection, retention) was started: by someone, or by its schedule. */
public enum RunTrigger {
    MANUAL, SCHEDULE;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunTrigger of(String jsonName) {
        return valueOf(jsonName.toUpperCase(Locale.ROOT));
    }
}
