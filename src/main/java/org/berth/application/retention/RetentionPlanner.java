package org.berth.application.retention;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.berth.domain.Digest;
import org.berth.domain.RepositoryName;
import org.berth.domain.policy.ImmutableRule;
import org.berth.domain.policy.ImmutableRuleStore;
import org.berth.domain.retention.RetentionEvaluator;
import org.berth.domain.retention.RetentionInventory;
import org.berth.domain.retention.RetentionPolicy;
import org.berth.domain.retention.RetentionRule;
import org.berth.domain.retention.Verdict;

/**
 * Turns a project's rules into a {@link RetentionPlan}: reads each repository a rule applies to
 * (repositories no rule selects are not read), lets {@link RetentionEvaluator} decide, and counts
 * the bytes the condemned artifacts hold alone, dedupe-aware across every repository of the registry.
 */
@ApplicationScoped
public class RetentionPlanner {

    @Inject
    RetentionInventory inventory;

    @Inject
    ImmutableRuleStore immutableRules;

    /**
     * One read transaction: the stores' container-managed persistence context needs one on a
     * worker thread, and the plan reads the project as of one moment per statement anyway.
     */
    @Transactional
    public RetentionPlan plan(String project, List<RetentionRule> rules, Instant now) {
        List<ImmutableRule> immutable = immutableRules.rules(project);
        List<RetentionPlan.Repository> repositories = new ArrayList<>();
        Set<RetentionInventory.ArtifactKey> gone = new HashSet<>();
        Set<Digest> blobs = new HashSet<>();
        for (RepositoryName name : inventory.repositories(project)) {
            if (!RetentionEvaluator.appliesTo(project, name, rules)) {
                continue;
            }
            List<Verdict> verdicts = RetentionEvaluator.evaluate(project, name, rules, inventory.artifacts(name), immutable, now);
            for (Verdict v : verdicts) {
                if (!v.kept()) {
                    gone.add(new RetentionInventory.ArtifactKey(name.value(), v.artifact().digest()));
                    blobs.addAll(v.artifact().blobs());
                }
            }
            repositories.add(new RetentionPlan.Repository(name, verdicts, Map.of()));
        }
        Map<Digest, Long> free = gone.isEmpty() ? Map.of() : inventory.unreferencedWithout(blobs, gone);
        // each freed blob once, with the first condemned artifact that references it
        Set<Digest> counted = new HashSet<>();
        List<RetentionPlan.Repository> attributed = new ArrayList<>(repositories.size());
        for (RetentionPlan.Repository r : repositories) {
            Map<Digest, Long> freedBy = new LinkedHashMap<>();
            for (Verdict v : r.condemned()) {
                long bytes = 0;
                for (Digest blob : v.artifact().blobs()) {
                    Long size = free.get(blob);
                    if (size != null && counted.add(blob)) {
                        bytes += size;
                    }
                }
                freedBy.put(v.artifact().digest(), bytes);
            }
            attributed.add(new RetentionPlan.Repository(r.name(), r.verdicts(), freedBy));
        }
        long freed = free.values().stream().mapToLong(Long::longValue).sum();
        return new RetentionPlan(project, RetentionPolicy.fingerprint(rules), rules.stream().map(RetentionRule::describe).toList(),
                now, attributed, freed);
    }

    /** The condemned artifacts of a repository in an order that deletes an index before the children it lists. */
    static List<Verdict> deletionOrder(RetentionPlan.Repository repository) {
        List<Verdict> condemned = repository.condemned();
        Map<Digest, Integer> parents = new HashMap<>();
        Set<Digest> doomed = new HashSet<>();
        condemned.forEach(v -> doomed.add(v.artifact().digest()));
        for (Verdict v : condemned) {
            for (Digest child : v.artifact().children()) {
                if (doomed.contains(child)) {
                    parents.merge(child, 1, Integer::sum);
                }
            }
        }
        List<Verdict> ordered = new ArrayList<>(condemned.size());
        List<Verdict> left = new ArrayList<>(condemned);
        while (!left.isEmpty()) {
            List<Verdict> ready = left.stream().filter(v -> parents.getOrDefault(v.artifact().digest(), 0) == 0).toList();
            // content addressing rules out cycles; should one appear anyway, its members go last
            List<Verdict> next = ready.isEmpty() ? List.copyOf(left) : ready;
            for (Verdict v : next) {
                ordered.add(v);
                v.artifact().children().forEach(c -> parents.computeIfPresent(c, (k, n) -> n - 1));
            }
            left.removeAll(next);
        }
        return ordered;
    }
}
