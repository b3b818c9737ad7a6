package org.berth.application.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.berth.application.ArtifactService;
import org.berth.domain.Digest;
import org.berth.domain.ManifestStore;
import org.berth.domain.RepositoryName;
import org.berth.domain.policy.ImmutableRule;
import org.berth.domain.policy.ImmutableRuleStore;
import org.berth.domain.policy.Selector;
import org.berth.domain.retention.RetentionArtifact;
import org.berth.domain.retention.RetentionInventory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The re-decision before each delete: only an artifact as the decision saw it goes. */
class RetentionStepsTest {

    private static final RepositoryName APP = new RepositoryName("team-a/app");
    private static final Instant T = Instant.parse("2026-12-01T00:00:00Z");
    private static final Digest D = Digest.sha256("d".getBytes());
    private static final Digest INDEX = Digest.sha256("index".getBytes());

    private final Map<Digest, RetentionArtifact> now = new HashMap<>();
    private final Map<Digest, Set<Digest>> parents = new HashMap<>();
    private final List<ImmutableRule> immutable = new ArrayList<>();
    private final List<Digest> deleted = new ArrayList<>();
    private RetentionSteps steps;

    private static RetentionArtifact artifact(Instant pushed, String... tags) {
        return new RetentionArtifact(D, List.of(tags).stream().map(t -> new RetentionArtifact.TagTime(t, T)).toList(), pushed, null,
                null, List.of(), List.of(D));
    }

    @SuppressWarnings("unchecked")
    private static <T> T fake(Class<T> type, java.util.function.BiFunction<String, Object[], Object> answer) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.isDefault()) {
                return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
            }
            return answer.apply(method.getName(), args);
        });
    }

    @BeforeEach
    void wire() {
        steps = new RetentionSteps();
        steps.manifests = fake(ManifestStore.class, (name, args) -> switch (name) {
            case "hold" -> now.containsKey(D) ? Set.of(D) : Set.of();
            default -> throw new UnsupportedOperationException(name);
        });
        steps.inventory = fake(RetentionInventory.class, (name, args) -> switch (name) {
            case "artifact" -> Optional.ofNullable(now.get((Digest) args[1]));
            case "parents" -> parents.getOrDefault((Digest) args[1], Set.of());
            default -> throw new UnsupportedOperationException(name);
        });
        steps.immutableRules = fake(ImmutableRuleStore.class, (name, args) -> switch (name) {
            case "rules" -> immutable;
            default -> throw new UnsupportedOperationException(name);
        });
        steps.artifacts = new ArtifactService() {
            @Override
            public void delete(RepositoryName repository, Digest digest) {
                deleted.add(digest);
            }
        };
    }

    private RetentionSteps.Outcome delete(RetentionArtifact decided, Set<Digest> deletedSoFar) {
        return steps.delete(APP, decided, deletedSoFar).outcome();
    }

    @Test
    void anArtifactAsDecidedIsDeletedWithItsTags() {
        RetentionArtifact decided = artifact(T, "b-1", "b-2");
        now.put(D, decided);
        RetentionSteps.Result result = steps.delete(APP, decided, Set.of());
        assertEquals(RetentionSteps.Outcome.DELETED, result.outcome());
        assertEquals(List.of("b-1", "b-2"), result.tags());
        assertEquals(List.of(D), deleted);
    }

    @Test
    void aTagAddedMovedAwayOrTheDigestPushedAgainLeavesItInPlace() {
        RetentionArtifact decided = artifact(T, "b-1", "b-2");
        now.put(D, artifact(T, "b-1", "b-2", "prod"));
        assertEquals(RetentionSteps.Outcome.CHANGED, delete(decided, Set.of()));
        now.put(D, artifact(T, "b-1")); // b-2 was pushed again with another image
        assertEquals(RetentionSteps.Outcome.CHANGED, delete(decided, Set.of()));
        now.put(D, artifact(T.plusSeconds(5), "b-1", "b-2")); // the same image pushed again
        assertEquals(RetentionSteps.Outcome.CHANGED, delete(decided, Set.of()));
        assertEquals(List.of(), deleted);
    }

    @Test
    void aTagAnImmutableRuleNowProtectsLeavesItInPlace() {
        RetentionArtifact decided = artifact(T, "v1.0");
        now.put(D, decided);
        immutable.add(new ImmutableRule(1, "team-a", "releases", Selector.ALL, Selector.matching("v*"), false, T, "alice"));
        assertEquals(RetentionSteps.Outcome.PROTECTED, delete(decided, Set.of()));
        assertEquals(List.of(), deleted);
    }

    @Test
    void anIndexThatStillListsItKeepsItUnlessTheRunDeletedThatIndex() {
        RetentionArtifact decided = artifact(T);
        now.put(D, decided);
        parents.put(D, Set.of(INDEX));
        assertEquals(RetentionSteps.Outcome.LISTED, delete(decided, new HashSet<>()));
        assertEquals(RetentionSteps.Outcome.DELETED, delete(decided, Set.of(INDEX)));
    }

    @Test
    void alreadyGone() {
        assertEquals(RetentionSteps.Outcome.GONE, delete(artifact(T, "b-1"), Set.of()));
    }
}
