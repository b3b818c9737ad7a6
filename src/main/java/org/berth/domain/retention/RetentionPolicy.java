package org.berth.domain.retention;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import org.berth.domain.CronSchedule;

/**
 * A project's retention policy: its rules, when it runs by itself, whether it is enabled, and
 * whether a run starts garbage collection after it.
 *
 * @param schedule  cron syntax ({@link CronSchedule}), or null: only on demand
 * @param enabled   whether runs (on demand and scheduled) may run; only a rule set whose preview
 *                  was shown is enabled ({@link #fingerprint})
 * @param runGc     whether a run that deleted something starts garbage collection, unless one runs
 * @param updatedBy who saved it last
 */
public record RetentionPolicy(String project, List<RetentionRule> rules, String schedule, boolean enabled, boolean runGc,
                              Instant updatedAt, String updatedBy) {

    /** Rules a project may have. */
    public static final int MAX_RULES = 15;

    public RetentionPolicy {
        rules = List.copyOf(rules);
        if (rules.size() > MAX_RULES) {
            throw new IllegalArgumentException("a project has at most " + MAX_RULES + " retention rules, not " + rules.size());
        }
        if (schedule != null) {
            CronSchedule.parse(schedule);
        }
        if (enabled && rules.isEmpty()) {
            throw new IllegalArgumentException("a policy without rules cannot be enabled");
        }
    }

    /** The policy of a project that never saved one: no rules, disabled. */
    public static RetentionPolicy none(String project) {
        return new RetentionPolicy(project, List.of(), null, false, false, null, null);
    }

    /**
     * A short, stable name of a rule set: what a preview answers and what enabling must quote, so
     * that a rule set is enabled only after its own preview was shown (not a preview of other rules).
     */
    public static String fingerprint(List<RetentionRule> rules) {
        StringBuilder canonical = new StringBuilder();
        for (RetentionRule r : rules) {
            canonical.append(r.repository().mode().jsonName()).append('\u0000').append(r.repository().glob().pattern())
                    .append('\u0000').append(r.tag().mode().jsonName()).append('\u0000').append(r.tag().glob().pattern())
                    .append('\u0000').append(r.untagged()).append('\u0000').append(r.keep().jsonName())
                    .append('\u0000').append(r.amount()).append('\n');
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
