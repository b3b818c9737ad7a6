package org.berth.domain.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.berth.domain.Digest;
import org.berth.domain.gc.ManifestMarking.Node;
import org.junit.jupiter.api.Test;

/** The marking rules of a run with delete_untagged: tags, grace period, index children, referrers. */
class ManifestMarkingTest {

    private static final Instant CUTOFF = Instant.parse("2026-12-01T12:00:00Z");
    private static final Instant OLD = CUTOFF.minus(Duration.ofDays(3));
    private static final Instant RECENT = CUTOFF.plusSeconds(1);

    private final List<Node> repository = new ArrayList<>();
    private long ids;

    private Node manifest(String name, boolean tagged, Instant pushedAt, Node subject, Node... children) {
        Node node = new Node(++ids, 7, "team/app", digest(name), tagged, pushedAt, subject == null ? null : subject.digest(),
                100 + ids, Arrays.stream(children).map(Node::digest).toList());
        repository.add(node);
        return node;
    }

    private static Digest digest(String name) {
        return Digest.sha256(name.getBytes(StandardCharsets.UTF_8));
    }

    private Set<Long> doomed() {
        return ManifestMarking.doomed(repository, CUTOFF).stream().map(Node::id).collect(Collectors.toSet());
    }

    private static Set<Long> ids(Node... nodes) {
        return Arrays.stream(nodes).map(Node::id).collect(Collectors.toSet());
    }

    @Test
    void untaggedManifestsGoAndTaggedOnesStay() {
        Node tagged = manifest("tagged", true, OLD, null);
        Node untagged = manifest("untagged", false, OLD, null);
        assertEquals(ids(untagged), doomed());
        assertTrue(!doomed().contains(tagged.id()));
    }

    @Test
    void anUntaggedManifestPushedWithinTheGracePeriodStays() {
        manifest("fresh", false, RECENT, null);
        manifest("at-the-cutoff", false, CUTOFF, null);
        Node old = manifest("old", false, CUTOFF.minusMillis(1), null);
        assertEquals(ids(old), doomed());
    }

    @Test
    void childrenOfATaggedIndexStay() {
        Node amd64 = manifest("amd64", false, OLD, null);
        Node arm64 = manifest("arm64", false, OLD, null);
        manifest("index", true, OLD, null, amd64, arm64);
        assertEquals(Set.of(), doomed());
    }

    @Test
    void anUntaggedIndexGoesWithItsChildrenUnlessAChildIsKeptOtherwise() {
        Node amd64 = manifest("amd64", false, OLD, null);
        Node arm64 = manifest("arm64", true, OLD, null);
        Node index = manifest("index", false, OLD, null, amd64, arm64);
        assertEquals(ids(index, amd64), doomed());
    }

    @Test
    void anIndexWithinTheGracePeriodKeepsItsOldChildren() {
        Node amd64 = manifest("amd64", false, OLD, null);
        manifest("index", false, RECENT, null, amd64);
        assertEquals(Set.of(), doomed());
    }

    @Test
    void referrersOfAKeptArtifactStayToAnyDepth() {
        Node image = manifest("image", true, OLD, null);
        Node signature = manifest("signature", false, OLD, image);
        Node sbom = manifest("sbom", false, OLD, image);
        Node sbomSignature = manifest("sbom-signature", false, OLD, sbom);
        assertEquals(Set.of(), doomed());
        assertTrue(repository.containsAll(List.of(signature, sbomSignature)));
    }

    @Test
    void referrersOfAChildOfATaggedIndexStay() {
        Node amd64 = manifest("amd64", false, OLD, null);
        manifest("index", true, OLD, null, amd64);
        manifest("amd64-signature", false, OLD, amd64);
        assertEquals(Set.of(), doomed());
    }

    @Test
    void referrersOfADeletedArtifactGoWithItAndSoDoReferrersOfNothing() {
        Node image = manifest("image", false, OLD, null);
        Node signature = manifest("signature", false, OLD, image);
        Node sbomSignature = manifest("signature-of-signature", false, OLD, signature);
        Node dangling = new Node(++ids, 7, "team/app", digest("dangling"), false, OLD, digest("never-pushed"), 1, List.of());
        repository.add(dangling);
        assertEquals(ids(image, signature, sbomSignature, dangling), doomed());
    }

    @Test
    void aTaggedReferrerKeepsItselfButNotItsSubject() {
        Node image = manifest("image", false, OLD, null);
        Node signature = manifest("signature", true, OLD, image);
        assertEquals(ids(image), doomed());
        assertTrue(!doomed().contains(signature.id()));
    }

    @Test
    void theOrderPutsEveryIndexBeforeItsChildrenAndEverySubjectBeforeItsReferrers() {
        Node child = manifest("child", false, OLD, null);
        Node childSignature = manifest("child-signature", false, OLD, child);
        Node index = manifest("index", false, OLD, null, child);
        Node indexSignature = manifest("index-signature", false, OLD, index);
        Node signatureOfSignature = manifest("signature-of-signature", false, OLD, indexSignature);
        List<Long> order = ManifestMarking.doomed(repository, CUTOFF).stream().map(Node::id).toList();
        assertEquals(5, order.size());
        assertTrue(order.indexOf(index.id()) < order.indexOf(child.id()), order.toString());
        assertTrue(order.indexOf(child.id()) < order.indexOf(childSignature.id()), order.toString());
        assertTrue(order.indexOf(index.id()) < order.indexOf(indexSignature.id()), order.toString());
        assertTrue(order.indexOf(indexSignature.id()) < order.indexOf(signatureOfSignature.id()), order.toString());
    }
}
