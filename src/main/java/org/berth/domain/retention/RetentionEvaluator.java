package org.berth.domain.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.berth.domain.Digest;
import org.berth.domain.RepositoryName;
import org.berth.domain.Tag;
import org.berth.domain.policy.ImmutableRule;

/**
 * Decides, per artifact (digest) and never per tag, what a retention policy keeps of one
 * repository. Pure: the same artifacts, rules and clock give the same verdicts.
 *
 * <ol>
 * <li><b>Selection.</b> A rule applies to the repository when its repository selector selects the
 *     repository's path in the project. It selects an artifact through each tag its tag selector
 *     matches, and an untagged artifact when it has {@code untagged}. An artifact is a
 *     <em>candidate</em> only when every one of its tags is selected by some applicable rule (an
 *     untagged one: when an applicable rule selects untagged artifacts). Anything else is left
 *     alone ({@link Verdict.Reason#NOT_SELECTED}): retention deletes only what its rules speak of,
 *     so a tag no rule names ({@code latest}, {@code prod}) never disappears with an artifact.</li>
 * <li><b>Each rule keeps</b> of the artifacts it selects (candidates or not), each at its best time
 *     over the tags the rule selects (push time of a tag: when the artifact was put under it; pull
 *     time: the last pull, never earlier than that push): the K most recent, ties at the K-th
 *     place all kept; those within N days; or all. Counts are per rule and per repository, over
 *     artifacts, so several rules with counts each keep their own K and the union stays.</li>
 * <li><b>Always kept:</b> an artifact with a tag that an enabled immutable-tag rule protects; every
 *     child of a kept index and every referrer of a kept artifact, to any depth.</li>
 * </ol>
 * A candidate nothing keeps is deleted, with all its tags (each of them was selected).
 */
public final class RetentionEvaluator {

    private RetentionEvaluator() {
    }

    /** Whether any rule applies to the repository: a repository none applies to is never read. */
    public static boolean appliesTo(String project, RepositoryName repository, List<RetentionRule> rules) {
        return rules.stream().anyMatch(r -> r.selectsRepository(project, repository.value()));
    }

    /**
     * The verdict on every artifact of one repository, in the order given.
     *
     * @param artifacts every artifact of the repository
     * @param immutable the project's immutable-tag rules (disabled ones protect nothing)
     */
    public static List<Verdict> evaluate(String project, RepositoryName repository, List<RetentionRule> rules,
                                         Collection<RetentionArtifact> artifacts, List<ImmutableRule> immutable, Instant now) {
        List<Integer> applicable = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).selectsRepository(project, repository.value())) {
                applicable.add(i);
            }
        }
        Map<Digest, Integer> keptBy = new HashMap<>();
        for (int i : applicable) {
            for (Digest d : keptByRule(rules.get(i), artifacts, now)) {
                keptBy.putIfAbsent(d, i);
            }
        }
        Map<Digest, Verdict> verdicts = new HashMap<>();
        Map<Digest, RetentionArtifact> byDigest = new HashMap<>();
        Map<Digest, List<RetentionArtifact>> referrers = new HashMap<>();
        Deque<RetentionArtifact> kept = new ArrayDeque<>();
        for (RetentionArtifact a : artifacts) {
            byDigest.put(a.digest(), a);
            if (a.subject() != null) {
                referrers.computeIfAbsent(a.subject(), s -> new ArrayList<>()).add(a);
            }
            Verdict v;
            if (!candidate(a, rules, applicable)) {
                v = new Verdict(a, Verdict.Reason.NOT_SELECTED, -1);
            } else if (keptBy.containsKey(a.digest())) {
                v = new Verdict(a, Verdict.Reason.RULE, keptBy.get(a.digest()));
            } else if (immutable(repository, a, immutable)) {
                v = new Verdict(a, Verdict.Reason.IMMUTABLE, -1);
            } else {
                v = new Verdict(a, Verdict.Reason.DELETE, -1);
            }
            verdicts.put(a.digest(), v);
            if (v.kept()) {
                kept.add(a);
            }
        }
        while (!kept.isEmpty()) {
            RetentionArtifact a = kept.poll();
            for (Digest child : a.children()) {
                spare(byDigest.get(child), Verdict.Reason.INDEX_CHILD, verdicts, kept);
            }
            for (RetentionArtifact referrer : referrers.getOrDefault(a.digest(), List.of())) {
                spare(referrer, Verdict.Reason.REFERRER, verdicts, kept);
            }
        }
        return artifacts.stream().map(a -> verdicts.get(a.digest())).toList();
    }

    private static void spare(RetentionArtifact a, Verdict.Reason why, Map<Digest, Verdict> verdicts, Deque<RetentionArtifact> kept) {
        if (a != null && !verdicts.get(a.digest()).kept()) {
            verdicts.put(a.digest(), new Verdict(a, why, -1));
            kept.add(a);
        }
    }

    private static boolean candidate(RetentionArtifact a, List<RetentionRule> rules, List<Integer> applicable) {
        if (applicable.isEmpty()) {
            return false;
        }
        if (!a.tagged()) {
            return applicable.stream().anyMatch(i -> rules.get(i).untagged());
        }
        return a.tags().stream().allMatch(t -> applicable.stream().anyMatch(i -> rules.get(i).tag().selects(t.tag())));
    }

    private static boolean immutable(RepositoryName repository, RetentionArtifact a, List<ImmutableRule> immutable) {
        return a.tags().stream().anyMatch(t -> immutable.stream().anyMatch(r -> r.protects(repository, new Tag(t.tag()))));
    }

    /** The artifacts one rule keeps in the repository. */
    static List<Digest> keptByRule(RetentionRule rule, Collection<RetentionArtifact> artifacts, Instant now) {
        List<Timed> selected = new ArrayList<>();
        for (RetentionArtifact a : artifacts) {
            time(rule, a).ifPresent(t -> selected.add(new Timed(a.digest(), t)));
        }
        return switch (rule.keep()) {
            case ALWAYS -> selected.stream().map(Timed::digest).toList();
            case PUSHED_WITHIN_DAYS, PULLED_WITHIN_DAYS -> {
                Instant since = now.minus(Duration.ofDays(rule.amount()));
                yield selected.stream().filter(t -> !t.at().isBefore(since)).map(Timed::digest).toList();
            }
            case LATEST_PUSHED, LATEST_PULLED -> {
                if (selected.size() <= rule.amount()) {
                    yield selected.stream().map(Timed::digest).toList();
                }
                selected.sort(Comparator.comparing(Timed::at).reversed());
                // ties at the K-th place are all kept: nothing as recent as a kept artifact goes
                Instant threshold = selected.get(rule.amount() - 1).at();
                yield selected.stream().filter(t -> !t.at().isBefore(threshold)).map(Timed::digest).toList();
            }
        };
    }

    /** The artifact's best time through the rule's selection (push or pull, by the rule's mode), or empty when the rule does not select it. */
    private static Optional<Instant> time(RetentionRule rule, RetentionArtifact a) {
        if (!a.tagged()) {
            return rule.untagged() ? Optional.of(rule.keep().byPull() ? a.pulledAt(a.pushedAt()) : a.pushedAt()) : Optional.empty();
        }
        return a.tags().stream().filter(t -> rule.tag().selects(t.tag()))
                .map(t -> rule.keep().byPull() ? a.pulledAt(t.at()) : t.at())
                .max(Comparator.naturalOrder());
    }

    private record Timed(Digest digest, Instant at) {
    }
}
