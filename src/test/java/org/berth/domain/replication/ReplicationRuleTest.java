package org.berth.domain.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.berth.domain.RegistryException;
import org.berth.domain.replication.ReplicationRule.Destination;
import org.berth.domain.replication.ReplicationRule.Direction;
import org.berth.domain.replication.ReplicationRule.Filters;
import org.berth.domain.replication.ReplicationRule.PathMode;
import org.berth.domain.replication.ReplicationRule.TagMatch;
import org.berth.domain.replication.ReplicationRule.Trigger;
import org.berth.domain.replication.ReplicationRule.TriggerType;
import org.junit.jupiter.api.Test;

class ReplicationRuleTest {

    private static ReplicationRule rule(String name, Direction direction, Destination destination, Trigger trigger,
                                       boolean replicateDeletion, long bandwidth) {
        return new ReplicationRule(name, "", direction, "prod", new Filters("team/**", "v*", TagMatch.INCLUDE, null),
                destination, trigger, true, replicateDeletion, bandwidth, true, null, null);
    }

    private static ReplicationRule valid() {
        return rule("to-prod", Direction.PUSH, new Destination("", PathMode.KEEP), new Trigger(TriggerType.MANUAL, null), false, 0);
    }

    private static String refused(Runnable r) {
        return assertThrows(RegistryException.InvalidRequest.class, r::run).getMessage();
    }

    @Test
    void keepLeavesThePath() {
        Destination keep = new Destination("", PathMode.KEEP);
        assertEquals("a/b/c", keep.map("a/b/c"));
        assertEquals("app", keep.map("app"));
        assertEquals("a/b/c", new Destination("mirror", PathMode.KEEP).map("a/b/c"), "keep does not use the namespace");
    }

    @Test
    void replaceSwapsTheFirstSegment() {
        Destination replace = new Destination("mirror", PathMode.REPLACE);
        assertEquals("mirror/b/c", replace.map("a/b/c"));
        assertEquals("mirror/b", replace.map("a/b"));
        assertEquals("mirror/app", replace.map("app"), "a one-segment name goes under the namespace");
        assertEquals("mirror/team/b", new Destination("mirror/team", PathMode.REPLACE).map("a/b"));
    }

    @Test
    void flattenKeepsTheLastSegment() {
        Destination flatten = new Destination("mirror", PathMode.FLATTEN);
        assertEquals("mirror/c", flatten.map("a/b/c"));
        assertEquals("mirror/app", flatten.map("app"));
    }

    @Test
    void aMappingBeyondTheNameLimitIsANameError() {
        Destination replace = new Destination("m".repeat(200), PathMode.REPLACE);
        assertThrows(RegistryException.NameInvalid.class, () -> replace.map("a/" + "b".repeat(100)));
    }

    @Test
    void replaceAndFlattenNeedANamespace() {
        assertTrue(refused(() -> new Destination("", PathMode.REPLACE)).contains("namespace"));
        assertTrue(refused(() -> new Destination(null, PathMode.FLATTEN)).contains("namespace"));
        assertTrue(refused(() -> new Destination("Bad Name", PathMode.REPLACE)).contains("destination.namespace"));
    }

    @Test
    void tagFiltersIncludeOrExclude() {
        Filters include = new Filters("", "v*", TagMatch.INCLUDE, null);
        assertTrue(include.acceptsTag("v1"));
        assertFalse(include.acceptsTag("latest"));
        Filters exclude = new Filters("", "*-dev", TagMatch.EXCLUDE, null);
        assertFalse(exclude.acceptsTag("1.0-dev"));
        assertTrue(exclude.acceptsTag("1.0"));
        assertTrue(new Filters("", "", TagMatch.EXCLUDE, null).acceptsTag("anything"), "an empty tag glob is every tag");
        assertTrue(new Filters("team/**", null, null, null).acceptsRepository("team/a/b"));
        assertFalse(new Filters("team/**", null, null, null).acceptsRepository("other/a"));
    }

    @Test
    void artifactTypeFilters() {
        String image = "application/vnd.oci.image.manifest.v1+json";
        String index = "application/vnd.oci.image.index.v1+json";
        assertTrue(new Filters("", "", null, "image").acceptsArtifact(image, "application/vnd.oci.image.config.v1+json"));
        assertFalse(new Filters("", "", null, "image").acceptsArtifact(index, null));
        assertTrue(new Filters("", "", null, "index").acceptsArtifact(index, null));
        assertTrue(new Filters("", "", null, "application/vnd.example.sbom").acceptsArtifact(image, "application/vnd.example.sbom"));
        assertFalse(new Filters("", "", null, "application/vnd.example.sbom").acceptsArtifact(image, "application/other"));
        assertTrue(new Filters("", "", null, null).acceptsArtifact(index, null));
        assertTrue(refused(() -> new Filters("", "", null, "not a type")).contains("artifact_type"));
    }

    @Test
    void globsWithOtherCharactersAreRefused() {
        assertTrue(refused(() -> new Filters("team/[a]", "", null, null)).contains("filters.repository"));
        assertTrue(refused(() -> new Filters("", "v 1", null, null)).contains("filters.tag"));
    }

    @Test
    void namesAreShortLowerCaseWords() {
        assertEquals("to-prod", valid().name());
        assertTrue(refused(() -> rule("To-Prod", Direction.PUSH, new Destination("", PathMode.KEEP),
                new Trigger(TriggerType.MANUAL, null), false, 0)).contains("'name'"));
        assertTrue(refused(() -> rule("", Direction.PUSH, new Destination("", PathMode.KEEP),
                new Trigger(TriggerType.MANUAL, null), false, 0)).contains("'name'"));
        assertTrue(refused(() -> rule("x".repeat(65), Direction.PUSH, new Destination("", PathMode.KEEP),
                new Trigger(TriggerType.MANUAL, null), false, 0)).contains("'name'"));
    }

    @Test
    void cronNeedsAValidExpressionAndOnlyCronTakesOne() {
        Trigger cron = new Trigger(TriggerType.CRON, "0 3 * * *");
        assertTrue(cron.schedule().isPresent());
        assertTrue(new Trigger(TriggerType.CRON, "@daily").schedule().isPresent());
        assertTrue(refused(() -> new Trigger(TriggerType.CRON, null)).contains("trigger.cron"));
        assertTrue(refused(() -> new Trigger(TriggerType.CRON, "61 * * * *")).contains("trigger.cron"));
        assertTrue(refused(() -> new Trigger(TriggerType.MANUAL, "0 3 * * *")).contains("cron trigger only"));
    }

    @Test
    void theEventTriggerAndDeletionAreForPushRules() {
        assertTrue(refused(() -> rule("pull-ev", Direction.PULL, new Destination("", PathMode.KEEP),
                new Trigger(TriggerType.EVENT, null), false, 0)).contains("push rules only"));
        assertTrue(refused(() -> rule("del", Direction.PUSH, new Destination("", PathMode.KEEP),
                new Trigger(TriggerType.MANUAL, null), true, 0)).contains("replicate_deletion"));
        assertTrue(rule("ev", Direction.PUSH, new Destination("", PathMode.KEEP), new Trigger(TriggerType.EVENT, null), true, 0)
                .replicateDeletion());
    }

    @Test
    void bandwidthIsZeroOrAPositiveCap() {
        assertTrue(refused(() -> rule("bw", Direction.PUSH, new Destination("", PathMode.KEEP),
                new Trigger(TriggerType.MANUAL, null), false, -1)).contains("bandwidth_kbps"));
        assertEquals(1024, rule("bw", Direction.PUSH, new Destination("", PathMode.KEEP),
                new Trigger(TriggerType.MANUAL, null), false, 1024).bandwidthKbps());
    }

    @Test
    void aRuleNeedsADirectionAndARegistry() {
        assertTrue(refused(() -> new ReplicationRule("x", "", null, "prod", new Filters(null, null, null, null),
                new Destination(null, null), new Trigger(null, null), true, false, 0, true, null, null)).contains("direction"));
        assertTrue(refused(() -> new ReplicationRule("x", "", Direction.PULL, "", new Filters(null, null, null, null),
                new Destination(null, null), new Trigger(null, null), true, false, 0, true, null, null)).contains("registry"));
    }
}
