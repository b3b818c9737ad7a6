package org.berth.domain.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.berth.domain.Digest;
import org.berth.domain.RepositoryName;
import org.berth.domain.policy.ImmutableRule;
import org.berth.domain.policy.Selector;
import org.junit.jupiter.api.Test;

class RetentionEvaluatorTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final RepositoryName APP = new RepositoryName("team-a/app");

    private final List<RetentionArtifact> artifacts = new ArrayList<>();

    // ------------------------------------------------------------------ fixtures

    private static Digest digest(String name) {
        return Digest.sha256(name.getBytes());
    }

    private static Instant hoursAgo(long h) {
        return NOW.minus(Duration.ofHours(h));
    }

    /** An artifact named {@code name}, pushed {@code hoursAgo} hours ago under each tag. */
    private RetentionArtifact image(String name, long hoursAgo, String... tags) {
        return add(name, hoursAgo, null, null, List.of(), tags);
    }

    private RetentionArtifact add(String name, long pushedHoursAgo, Instant lastPull, Digest subject, List<Digest> children,
                                  String... tags) {
        List<RetentionArtifact.TagTime> tagTimes = Arrays.stream(tags)
                .map(t -> new RetentionArtifact.TagTime(t, hoursAgo(pushedHoursAgo))).toList();
        RetentionArtifact a = new RetentionArtifact(digest(name), tagTimes, hoursAgo(pushedHoursAgo), lastPull, subject,
                children, List.of(digest(name + "-layer")));
        artifacts.add(a);
        return a;
    }

    private static RetentionRule rule(String repo, String tag, KeepMode keep, int amount) {
        return new RetentionRule(Selector.matching(repo), Selector.matching(tag), false, keep, amount);
    }

    private Map<Digest, Verdict> run(List<RetentionRule> rules, List<ImmutableRule> immutable) {
        Map<Digest, Verdict> out = new LinkedHashMap<>();
        RetentionEvaluator.evaluate("team-a", APP, rules, artifacts, immutable, NOW).forEach(v -> out.put(v.artifact().digest(), v));
        return out;
    }

    private Set<Digest> deleted(List<RetentionRule> rules) {
        return deleted(run(rules, List.of()));
    }

    private static Set<Digest> deleted(Map<Digest, Verdict> verdicts) {
        return verdicts.values().stream().filter(v -> !v.kept()).map(v -> v.artifact().digest()).collect(Collectors.toSet());
    }

    private static Set<Digest> digests(RetentionArtifact... as) {
        return Arrays.stream(as).map(RetentionArtifact::digest).collect(Collectors.toSet());
    }

    // ------------------------------------------------------------------ counts

    @Test
    void keepsTheMostRecentlyPushedKAndDeletesTheRestOfWhatTheRuleSelects() {
        List<RetentionArtifact> builds = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            builds.add(image("build-" + i, 100 - i, "build-" + i));
        }
        RetentionArtifact v1 = image("v1", 200, "v1.0");
        RetentionArtifact v2 = image("v2", 150, "v2.0");
        Map<Digest, Verdict> verdicts = run(List.of(rule("**", "build-*", KeepMode.LATEST_PUSHED, 5),
                rule("**", "v*", KeepMode.ALWAYS, 0)), List.of());
        Set<Digest> expected = builds.subList(0, 7).stream().map(RetentionArtifact::digest).collect(Collectors.toSet());
        assertEquals(expected, deleted(verdicts));
        assertEquals(new Verdict(v1, Verdict.Reason.RULE, 1), verdicts.get(v1.digest()));
        assertEquals(1, verdicts.get(v2.digest()).rule());
        assertEquals(0, verdicts.get(builds.get(11).digest()).rule());
    }

    @Test
    void anArtifactWithSeveralSelectedTagsCountsOnceAtItsNewestTag() {
        // goharbor/harbor#8717: tags that share a digest are decided together
        RetentionArtifact shared = add("shared", 0, null, null, List.of());
        artifacts.remove(shared);
        shared = new RetentionArtifact(shared.digest(), List.of(new RetentionArtifact.TagTime("b-1", hoursAgo(50)),
                new RetentionArtifact.TagTime("b-9", hoursAgo(1)), new RetentionArtifact.TagTime("b-8", hoursAgo(2))),
                hoursAgo(50), null, null, List.of(), List.of());
        artifacts.add(shared);
        RetentionArtifact second = image("second", 3, "b-7");
        RetentionArtifact third = image("third", 4, "b-6");
        RetentionArtifact old = image("old", 40, "b-2");
        assertEquals(digests(third, old), deleted(List.of(rule("**", "b-*", KeepMode.LATEST_PUSHED, 2))));
        assertFalse(deleted(List.of(rule("**", "b-*", KeepMode.LATEST_PUSHED, 2))).contains(second.digest()));
    }

    @Test
    void aKeptArtifactKeepsEveryTagEvenOnesTheKeepingRuleDoesNotRank() {
        RetentionArtifact both = image("both", 30, "b-1", "rc-1");
        image("newer", 1, "b-2");
        // rc-* keeps "both"; b-* alone would delete it
        Set<Digest> gone = deleted(List.of(rule("**", "b-*", KeepMode.LATEST_PUSHED, 1), rule("**", "rc-*", KeepMode.ALWAYS, 0)));
        assertFalse(gone.contains(both.digest()));
        assertEquals(Set.of(), gone);
    }

    @Test
    void severalCountRulesEachKeepTheirOwnKAndTheUnionStays() {
        // project-zot/zot#3804: two count rules must not delete every matching tag
        RetentionArtifact a1 = image("a1", 10, "a-1");
        RetentionArtifact a2 = image("a2", 9, "a-2");
        RetentionArtifact a3 = image("a3", 8, "a-3");
        RetentionArtifact b1 = image("b1", 7, "b-1");
        RetentionArtifact b2 = image("b2", 6, "b-2");
        RetentionArtifact b3 = image("b3", 5, "b-3");
        Set<Digest> gone = deleted(List.of(rule("**", "a-*", KeepMode.LATEST_PUSHED, 2), rule("**", "b-*", KeepMode.LATEST_PUSHED, 1),
                rule("**", "{a,b}-*", KeepMode.LATEST_PUSHED, 1)));
        assertEquals(digests(a1, b1, b2), gone);
        assertFalse(gone.contains(a2.digest()) || gone.contains(a3.digest()) || gone.contains(b3.digest()));
    }

    @Test
    void tiesAtTheKthPlaceAreAllKept() {
        RetentionArtifact x = image("x", 5, "t-x");
        RetentionArtifact y = image("y", 5, "t-y");
        RetentionArtifact z = image("z", 5, "t-z");
        RetentionArtifact older = image("older", 6, "t-o");
        assertEquals(digests(older), deleted(List.of(rule("**", "t-*", KeepMode.LATEST_PUSHED, 2))));
        assertEquals(3, RetentionEvaluator.keptByRule(rule("**", "t-*", KeepMode.LATEST_PUSHED, 1), artifacts, NOW).size(),
                "x, y and z share the first place");
        assertTrue(Set.of(x.digest(), y.digest(), z.digest()).size() == 3);
    }

    @Test
    void countsApplyPerRepository() {
        image("a", 3, "b-1");
        image("b", 2, "b-2");
        image("c", 1, "b-3");
        RetentionRule keep2 = rule("**", "b-*", KeepMode.LATEST_PUSHED, 2);
        List<Verdict> app = RetentionEvaluator.evaluate("team-a", APP, List.of(keep2), artifacts, List.of(), NOW);
        List<Verdict> other = RetentionEvaluator.evaluate("team-a", new RepositoryName("team-a/other"), List.of(keep2),
                artifacts.subList(0, 2), List.of(), NOW);
        assertEquals(1, app.stream().filter(v -> !v.kept()).count());
        assertEquals(0, other.stream().filter(v -> !v.kept()).count(), "two artifacts in a repository of their own are within 2");
    }

    // ------------------------------------------------------------------ windows and pull times

    @Test
    void pushedWithinDays() {
        RetentionArtifact fresh = image("fresh", 24 * 6, "t1");
        RetentionArtifact stale = image("stale", 24 * 8, "t2");
        assertEquals(digests(stale), deleted(List.of(rule("**", "*", KeepMode.PUSHED_WITHIN_DAYS, 7))));
        assertFalse(deleted(List.of(rule("**", "*", KeepMode.PUSHED_WITHIN_DAYS, 7))).contains(fresh.digest()));
    }

    @Test
    void pulledWithinDaysCountsANeverPulledArtifactAsPulledWhenPushed() {
        RetentionArtifact neverPulledFresh = add("np-fresh", 24, null, null, List.of(), "a");
        RetentionArtifact neverPulledOld = add("np-old", 24 * 30, null, null, List.of(), "b");
        RetentionArtifact pulledRecently = add("pulled", 24 * 30, hoursAgo(2), null, List.of(), "c");
        RetentionArtifact pulledLongAgo = add("pulled-old", 24 * 30, hoursAgo(24 * 20), null, List.of(), "d");
        assertEquals(digests(neverPulledOld, pulledLongAgo), deleted(List.of(rule("**", "*", KeepMode.PULLED_WITHIN_DAYS, 7))));
        assertFalse(deleted(List.of(rule("**", "*", KeepMode.PULLED_WITHIN_DAYS, 7))).contains(neverPulledFresh.digest()));
        assertFalse(deleted(List.of(rule("**", "*", KeepMode.PULLED_WITHIN_DAYS, 7))).contains(pulledRecently.digest()));
    }

    @Test
    void anOldPullNeverMakesAFreshTagOlder() {
        // pulled 20 days ago, then put under a new tag an hour ago: in use since that push
        RetentionArtifact retagged = add("retagged", 1, hoursAgo(24 * 20), null, List.of(), "new");
        assertEquals(hoursAgo(1), retagged.pulledAt(hoursAgo(1)));
        assertEquals(Set.of(), deleted(List.of(rule("**", "*", KeepMode.PULLED_WITHIN_DAYS, 7))));
    }

    @Test
    void latestPulledRanksByPullTime() {
        RetentionArtifact hot = add("hot", 100, hoursAgo(1), null, List.of(), "a");
        RetentionArtifact cold = add("cold", 50, null, null, List.of(), "b");
        assertEquals(digests(cold), deleted(List.of(rule("**", "*", KeepMode.LATEST_PULLED, 1))));
        assertFalse(deleted(List.of(rule("**", "*", KeepMode.LATEST_PULLED, 1))).contains(hot.digest()));
    }

    // ------------------------------------------------------------------ selection

    @Test
    void anArtifactWithATagNoRuleSelectsIsLeftAlone() {
        RetentionArtifact prod = image("prod", 90, "b-1", "latest");
        image("new", 1, "b-2");
        Map<Digest, Verdict> verdicts = run(List.of(rule("**", "b-*", KeepMode.LATEST_PUSHED, 1)), List.of());
        assertEquals(Verdict.Reason.NOT_SELECTED, verdicts.get(prod.digest()).reason());
        assertTrue(deleted(verdicts).isEmpty());
    }

    @Test
    void repositoriesNoRuleSelectsAreUntouched() {
        image("a", 90, "b-1");
        RetentionRule onlyOther = rule("other/**", "**", KeepMode.LATEST_PUSHED, 1);
        assertFalse(RetentionEvaluator.appliesTo("team-a", APP, List.of(onlyOther)));
        assertTrue(RetentionEvaluator.appliesTo("team-a", new RepositoryName("team-a/other/x"), List.of(onlyOther)));
        assertTrue(deleted(List.of(onlyOther)).isEmpty());
        RetentionRule excluding = new RetentionRule(Selector.excluding("app"), Selector.ALL, false, KeepMode.LATEST_PUSHED, 1);
        assertFalse(RetentionEvaluator.appliesTo("team-a", APP, List.of(excluding)));
    }

    @Test
    void excludingTagSelector() {
        RetentionArtifact dev = image("dev", 50, "dev-1");
        image("dev2", 1, "dev-2");
        RetentionArtifact release = image("rel", 60, "1.0");
        RetentionRule notReleases = new RetentionRule(Selector.ALL, Selector.excluding("[0-9]*"), false, KeepMode.LATEST_PUSHED, 1);
        // "[" is literal in a glob: excluding "[0-9]*" selects every tag, release included
        assertEquals(digests(dev, release), deleted(List.of(notReleases)));
        RetentionRule notOne = new RetentionRule(Selector.ALL, Selector.excluding("1.*"), false, KeepMode.LATEST_PUSHED, 1);
        assertEquals(digests(dev), deleted(List.of(notOne)));
    }

    @Test
    void untaggedArtifactsAreCandidatesOnlyWhenARuleSelectsThem() {
        RetentionArtifact loose = image("loose", 48);
        RetentionArtifact fresh = image("fresh-loose", 1);
        image("tagged", 1, "t");
        assertTrue(deleted(List.of(rule("**", "**", KeepMode.LATEST_PUSHED, 1))).isEmpty(), "untagged not in scope");
        RetentionRule withUntagged = new RetentionRule(Selector.ALL, Selector.ALL, true, KeepMode.PUSHED_WITHIN_DAYS, 1);
        assertEquals(digests(loose), deleted(List.of(withUntagged)));
        assertFalse(deleted(List.of(withUntagged)).contains(fresh.digest()));
        RetentionRule latestUntagged = new RetentionRule(Selector.ALL, Selector.matching("none"), true, KeepMode.LATEST_PUSHED, 1);
        assertEquals(digests(loose), deleted(List.of(latestUntagged)), "ranked by the manifest's push time");
    }

    // ------------------------------------------------------------------ always kept

    @Test
    void immutableArtifactsStayWhateverTheRules() {
        RetentionArtifact release = image("release", 500, "v1.0.0");
        image("new", 1, "v2.0.0");
        ImmutableRule releases = new ImmutableRule(1, "team-a", "releases", Selector.ALL, Selector.matching("v1.*"), false, NOW, "alice");
        Map<Digest, Verdict> verdicts = run(List.of(rule("**", "**", KeepMode.LATEST_PUSHED, 1)), List.of(releases));
        assertEquals(Verdict.Reason.IMMUTABLE, verdicts.get(release.digest()).reason());
        ImmutableRule lifted = new ImmutableRule(1, "team-a", "releases", Selector.ALL, Selector.matching("v1.*"), true, NOW, "alice");
        assertEquals(digests(release), deleted(run(List.of(rule("**", "**", KeepMode.LATEST_PUSHED, 1)), List.of(lifted))));
    }

    @Test
    void childrenOfAKeptIndexAndReferrersToAnyDepthStay() {
        RetentionArtifact amd64 = image("amd64", 10, "b-amd64");
        RetentionArtifact arm64 = image("arm64", 10);
        RetentionArtifact index = add("index", 1, null, null, List.of(amd64.digest(), arm64.digest()), "b-index");
        RetentionArtifact signature = add("sig", 5, null, index.digest(), List.of());
        RetentionArtifact sigOfSig = add("sig-of-sig", 6, null, signature.digest(), List.of(), "b-sigsig");
        RetentionArtifact oldSbom = add("sbom-old", 90, null, digest("gone"), List.of(), "b-sbom");
        RetentionRule keepOne = new RetentionRule(Selector.ALL, Selector.matching("b-*"), true, KeepMode.LATEST_PUSHED, 1);
        Map<Digest, Verdict> verdicts = run(List.of(keepOne), List.of());
        assertEquals(Verdict.Reason.INDEX_CHILD, verdicts.get(amd64.digest()).reason());
        assertEquals(Verdict.Reason.INDEX_CHILD, verdicts.get(arm64.digest()).reason());
        assertEquals(Verdict.Reason.REFERRER, verdicts.get(signature.digest()).reason());
        assertTrue(verdicts.get(sigOfSig.digest()).kept());
        assertEquals(digests(oldSbom), deleted(verdicts));
    }

    @Test
    void referrersOfAnArtifactLeftAloneStayToo() {
        RetentionArtifact prod = image("prod", 90, "prod");
        RetentionArtifact sig = add("sig", 90, null, prod.digest(), List.of(), "b-sig");
        image("new", 1, "b-2");
        Map<Digest, Verdict> verdicts = run(List.of(rule("**", "b-*", KeepMode.LATEST_PUSHED, 1)), List.of());
        assertEquals(Verdict.Reason.NOT_SELECTED, verdicts.get(prod.digest()).reason());
        assertEquals(Verdict.Reason.REFERRER, verdicts.get(sig.digest()).reason());
    }

    @Test
    void noRulesDeleteNothing() {
        image("a", 90, "b-1");
        image("b", 90);
        assertTrue(deleted(List.of()).isEmpty());
    }
}
