package org.berth.application.retention;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.berth.domain.Digest;
import org.berth.domain.RepositoryName;
import org.berth.domain.retention.Verdict;

/**
 * What a project's retention rules decide now, whole: the verdict on every artifact of every
 * repository a rule applies to, and the bytes deleting the condemned ones would leave to garbage
 * collection. A preview shows it (capped); a run deletes exactly its {@link Verdict.Reason#DELETE}s.
 *
 * @param fingerprint the rules' {@code RetentionPolicy.fingerprint}
 * @param freedBytes  bytes of blobs no manifest anywhere would reference once the condemned are
 *                    deleted (each blob once, however many artifacts or repositories share it)
 */
public record RetentionPlan(String project, String fingerprint, List<String> rules, Instant evaluatedAt,
                            List<Repository> repositories, long freedBytes) {

    /**
     * One repository's verdicts.
     *
     * @param freedBy for each condemned artifact, the bytes it frees: each freed blob is counted once,
     *                with the first condemned artifact of the plan that references it, so the values
     *                add up to the plan's {@code freedBytes}
     */
    public record Repository(RepositoryName name, List<Verdict> verdicts, Map<Digest, Long> freedBy) {

        public List<Verdict> condemned() {
            return verdicts.stream().filter(v -> !v.kept()).toList();
        }

        public long freedBytes() {
            return freedBy.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    public long condemnedCount() {
        return repositories.stream().mapToLong(r -> r.condemned().size()).sum();
    }

    public long condemnedTags() {
        return repositories.stream().flatMap(r -> r.condemned().stream()).mapToLong(v -> v.artifact().tags().size()).sum();
    }

    public long keptCount() {
        return repositories.stream().mapToLong(r -> r.verdicts().size() - r.condemned().size()).sum();
    }
}
