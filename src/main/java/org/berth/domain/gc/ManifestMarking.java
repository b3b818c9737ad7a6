package org.berth.domain.gc;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.berth.domain.Digest;

/**
 * Which manifests of a repository a run that deletes untagged artifacts deletes. A manifest is
 * kept when it is tagged, or was pushed within the grace period (a client pushing a multi-arch
 * image puts the children before the index that tags them); and so is every child of a kept index
 * and every referrer (a signature, an SBOM) whose subject is kept, to any depth. Every other
 * manifest goes. Referrers and children are only ever looked for in the same repository, as the
 * OCI distribution spec scopes both.
 */
public final class ManifestMarking {

    private ManifestMarking() {
    }

    /**
     * A manifest as marking sees it.
     *
     * @param subject  the manifest it refers to (OCI 1.1 {@code subject}), or null
     * @param children the manifests an index lists, empty for an image manifest
     */
    public record Node(long id, long repositoryId, String repository, Digest digest, boolean tagged, Instant pushedAt,
                       Digest subject, long size, List<Digest> children) {
    }

    /**
     * The manifests of one repository that go, in an order in which each can be deleted without
     * leaving a reference to it behind: an index before its children, a subject before its
     * referrers.
     *
     * @param repository every manifest of one repository
     * @param cutoff     manifests pushed at or after it are within the grace period
     */
    public static List<Node> doomed(Collection<Node> repository, Instant cutoff) {
        Map<Digest, Node> byDigest = new HashMap<>();
        Map<Digest, List<Node>> referrers = new HashMap<>();
        for (Node node : repository) {
            byDigest.put(node.digest(), node);
            if (node.subject() != null) {
                referrers.computeIfAbsent(node.subject(), s -> new ArrayList<>()).add(node);
            }
        }
        Set<Long> kept = new HashSet<>();
        Deque<Node> queue = new ArrayDeque<>();
        for (Node node : repository) {
            if (node.tagged() || !node.pushedAt().isBefore(cutoff)) {
                kept.add(node.id());
                queue.add(node);
            }
        }
        while (!queue.isEmpty()) {
            Node node = queue.poll();
            for (Digest child : node.children()) {
                keep(byDigest.get(child), kept, queue);
            }
            for (Node referrer : referrers.getOrDefault(node.digest(), List.of())) {
                keep(referrer, kept, queue);
            }
        }
        List<Node> doomed = repository.stream().filter(n -> !kept.contains(n.id())).toList();
        return inDeletionOrder(doomed, byDigest, referrers);
    }

    private static void keep(Node node, Set<Long> kept, Deque<Node> queue) {
        if (node != null && kept.add(node.id())) {
            queue.add(node);
        }
    }

    /** Kahn's order over "index before child" and "subject before referrer" among the doomed. */
    private static List<Node> inDeletionOrder(List<Node> doomed, Map<Digest, Node> byDigest, Map<Digest, List<Node>> referrers) {
        Set<Long> ids = new HashSet<>();
        doomed.forEach(n -> ids.add(n.id()));
        Map<Long, Integer> pointedAtBy = new HashMap<>();
        Map<Long, List<Node>> next = new HashMap<>();
        for (Node node : doomed) {
            List<Node> after = new ArrayList<>();
            for (Digest child : node.children()) {
                Node c = byDigest.get(child);
                if (c != null && ids.contains(c.id()) && c.id() != node.id()) {
                    after.add(c);
                }
            }
            for (Node referrer : referrers.getOrDefault(node.digest(), List.of())) {
                if (ids.contains(referrer.id()) && referrer.id() != node.id()) {
                    after.add(referrer);
                }
            }
            next.put(node.id(), after);
            after.forEach(a -> pointedAtBy.merge(a.id(), 1, Integer::sum));
        }
        List<Node> ordered = new ArrayList<>(doomed.size());
        Deque<Node> ready = new ArrayDeque<>();
        doomed.stream().filter(n -> pointedAtBy.getOrDefault(n.id(), 0) == 0).forEach(ready::add);
        Set<Long> placed = new HashSet<>();
        while (!ready.isEmpty()) {
            Node node = ready.poll();
            if (!placed.add(node.id())) {
                continue;
            }
            ordered.add(node);
            for (Node a : next.get(node.id())) {
                if (pointedAtBy.merge(a.id(), -1, Integer::sum) == 0) {
                    ready.add(a);
                }
            }
        }
        // content addressing rules out cycles; should one appear anyway, its members still go, last
        doomed.stream().filter(n -> !placed.contains(n.id())).forEach(ordered::add);
        return ordered;
    }
}
