package org.berth.domain.retention;

import java.util.Locale;

/**
 * What a retention rule keeps of the artifacts it selects in a repository. The counts apply per
 * repository and count artifacts (digests), never tags.
 */
public enum KeepMode {
    /** The {@code amount} most recently pushed artifacts. */
    LATEST_PUSHED(Amount.COUNT),
    /** The {@code amount} most recently pulled artifacts (never pulled: pulled when pushed). */
    LATEST_PULLED(Amount.COUNT),
    /** Those pushed within the last {@code amount} days. */
    PUSHED_WITHIN_DAYS(Amount.DAYS),
    /** Those pulled within the last {@code amount} days (never pulled: pulled when pushed). */
    PULLED_WITHIN_DAYS(Amount.DAYS),
    /** Every artifact the rule selects. */
    ALWAYS(Amount.NONE);

    /** What the rule's {@code amount} means for the mode. */
    public enum Amount {
        COUNT, DAYS, NONE
    }

    /** Largest count of "keep the most recent K". */
    public static final int MAX_COUNT = 10_000;
    /** Largest window of "within N days" (100 years). */
    public static final int MAX_DAYS = 36_500;

    private final Amount amount;

    KeepMode(Amount amount) {
        this.amount = amount;
    }

    public Amount amount() {
        return amount;
    }

    public boolean byPull() {
        return this == LATEST_PULLED || this == PULLED_WITHIN_DAYS;
    }

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the modes for another name */
    public static KeepMode fromJson(String name) {
        for (KeepMode m : values()) {
            if (m.jsonName().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("keep must be one of latest_pushed, latest_pulled, pushed_within_days,"
                + " pulled_within_days, always; not '" + name + "'");
    }
}
