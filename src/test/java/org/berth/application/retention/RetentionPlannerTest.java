package org.berth.application.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.berth.domain.Digest;
import org.berth.domain.RepositoryName;
import org.berth.domain.retention.RetentionArtifact;
import org.berth.domain.retention.Verdict;
import org.junit.jupiter.api.Test;

class RetentionPlannerTest {

    private static final Instant T = Instant.parse("2026-12-01T00:00:00Z");

    private static RetentionArtifact artifact(String name, Digest... children) {
        return new RetentionArtifact(Digest.sha256(name.getBytes()), List.of(), T, null, null, List.of(children), List.of());
    }

    @Test
    void anIndexGoesBeforeTheChildrenItLists() {
        RetentionArtifact child = artifact("child");
        RetentionArtifact inner = artifact("inner", child.digest());
        RetentionArtifact outer = artifact("outer", inner.digest());
        RetentionArtifact alone = artifact("alone");
        RetentionArtifact kept = artifact("kept");
        List<Verdict> verdicts = List.of(new Verdict(child, Verdict.Reason.DELETE, -1), new Verdict(inner, Verdict.Reason.DELETE, -1),
                new Verdict(kept, Verdict.Reason.RULE, 0), new Verdict(alone, Verdict.Reason.DELETE, -1),
                new Verdict(outer, Verdict.Reason.DELETE, -1));
        List<RetentionArtifact> order = RetentionPlanner.deletionOrder(
                new RetentionPlan.Repository(new RepositoryName("p/app"), verdicts, Map.of())).stream().map(Verdict::artifact).toList();
        assertEquals(4, order.size());
        assertEquals(List.of(outer, inner, child), order.stream().filter(a -> a != alone).toList());
    }
}
