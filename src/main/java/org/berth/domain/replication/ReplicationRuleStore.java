package org.berth.domain.replication;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Replication rules (V15), by name. */
public interface ReplicationRuleStore {

    /** @return false when a rule of that name exists */
    boolean create(ReplicationRule rule, Instant nextCronAt);

    Optional<ReplicationRule> find(String name);

    /**
     * Locks the rule's row to the end of the transaction ({@code SELECT ... FOR UPDATE}): starts
     * of one rule wait for each other, so a check that none runs holds until the new execution is
     * committed. @return false when there is no rule of that name
     */
    boolean lock(String name);

    /** Rules by name. */
    List<ReplicationRule> list(int offset, int limit);

    long count();

    /** @return false when there is no rule of that name */
    boolean update(ReplicationRule rule, Instant nextCronAt);

    /** Deletes the rule with its executions and tasks. @return false when there was none */
    boolean delete(String name);

    /** Enabled push rules with the event trigger: few rows, read for each push and deletion. */
    List<ReplicationRule> eventRules();

    /** A cron rule whose occurrence {@code at} has come. */
    record CronDue(ReplicationRule rule, Instant at) {
    }

    /** Enabled cron rules whose next occurrence has come. */
    List<CronDue> cronDue(Instant now);

    /** Moves a cron rule's next occurrence from {@code expected} to {@code next}: true for the one node that did. */
    boolean advanceCron(String rule, Instant expected, Instant next);

}
