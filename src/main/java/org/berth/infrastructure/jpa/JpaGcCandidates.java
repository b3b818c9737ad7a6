package org.berth.infrastructure.jpa;

import static org.berth.infrastructure.jpa.NativeRows.bind;
import static org.berth.infrastructure.jpa.NativeRows.chunks;
import static org.berth.infrastructure.jpa.NativeRows.placeholders;
import static org.berth.infrastructure.jpa.NativeRows.rows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;

import org.berth.domain.Digest;
import org.berth.domain.gc.GcCandidates;
import org.berth.domain.gc.ManifestMarking;

/**
 * {@link GcCandidates} in SQL that H2 2.x and PostgreSQL run alike. Locks are {@code SELECT ... FOR
 * UPDATE} in a stable order (repository, then digest), as every pusher locking several rows takes
 * them; the check that follows a lock is a statement of its own, which on both databases (READ
 * COMMITTED) sees everything committed before it, the pusher that held the lock included.
 */
@ApplicationScoped
public class JpaGcCandidates implements GcCandidates {

    /** A manifest "survives" a dry run with delete_untagged unless the run noted it as doomed. */
    private static final String NOT_DOOMED = " AND NOT EXISTS (SELECT 1 FROM gc_doomed d WHERE d.run_id = ?9 AND d.manifest_id = m.id)";

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Override
    public long countManifests() {
        return NativeRows.number(em.createNativeQuery("SELECT COUNT(*) FROM manifest").getSingleResult());
    }

    @Override
    public long countLinks() {
        return NativeRows.number(em.createNativeQuery("SELECT COUNT(*) FROM blob_link").getSingleResult());
    }

    @Override
    public long countBlobs() {
        return NativeRows.number(em.createNativeQuery("SELECT COUNT(*) FROM stored_blob").getSingleResult());
    }

    // ------------------------------------------------------------------ manifests

    @Override
    public List<ManifestMarking.Node> manifests(long afterRepositoryId, int limit) {
        String select = "SELECT m.id, m.repository_id, r.name, m.digest, m.pushed_at, m.subject_digest, m.size_bytes,"
                + " CASE WHEN EXISTS (SELECT 1 FROM tag t WHERE t.manifest_id = m.id) THEN 1 ELSE 0 END"
                + " FROM manifest m JOIN repository r ON r.id = m.repository_id";
        List<Object[]> rows = rows(em.createNativeQuery(select + " WHERE m.repository_id > ?1 ORDER BY m.repository_id, m.id")
                .setParameter(1, afterRepositoryId).setMaxResults(limit));
        if (rows.isEmpty()) {
            return List.of();
        }
        long first = NativeRows.number(rows.get(0)[1]);
        long last = NativeRows.number(rows.get(rows.size() - 1)[1]);
        if (rows.size() >= limit) {
            if (first == last) {
                // one repository fills the page: take the whole of it
                rows = rows(em.createNativeQuery(select + " WHERE m.repository_id = ?1 ORDER BY m.id").setParameter(1, first));
            } else {
                // the last repository may go on beyond the page: the next page starts with it
                long cut = last;
                rows = rows.stream().filter(r -> NativeRows.number(r[1]) != cut).toList();
                last = NativeRows.number(rows.get(rows.size() - 1)[1]);
            }
        }
        Map<Long, List<Digest>> children = new HashMap<>();
        for (Object[] c : rows(em.createNativeQuery("SELECT x.manifest_id, x.digest FROM manifest_reference x"
                        + " JOIN manifest m ON m.id = x.manifest_id"
                        + " WHERE x.kind = 'MANIFEST' AND m.repository_id >= ?1 AND m.repository_id <= ?2")
                .setParameter(1, first).setParameter(2, last))) {
            children.computeIfAbsent(NativeRows.number(c[0]), k -> new ArrayList<>()).add(Digest.parse((String) c[1]));
        }
        List<ManifestMarking.Node> nodes = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            long id = NativeRows.number(r[0]);
            nodes.add(new ManifestMarking.Node(id, NativeRows.number(r[1]), (String) r[2], Digest.parse((String) r[3]),
                    NativeRows.number(r[7]) == 1, NativeRows.instant(r[4]), r[5] == null ? null : Digest.parse((String) r[5]),
                    NativeRows.number(r[6]), children.getOrDefault(id, List.of())));
        }
        return nodes;
    }

    @Override
    public void markDoomed(long runId, Collection<Long> manifestIds) {
        for (List<Long> chunk : chunks(new ArrayList<>(manifestIds))) {
            Query q = em.createNativeQuery("INSERT INTO gc_doomed (run_id, manifest_id) SELECT ?1, m.id FROM manifest m"
                    + " WHERE m.id IN (" + placeholders(2, chunk.size()) + ")");
            q.setParameter(1, runId);
            bind(q, 2, chunk);
            q.executeUpdate();
        }
    }

    @Override
    public void clearDoomed(long runId) {
        em.createNativeQuery("DELETE FROM gc_doomed WHERE run_id = ?1 OR run_id NOT IN"
                        + " (SELECT id FROM gc_run WHERE state = 'running')")
                .setParameter(1, runId).executeUpdate();
    }

    @Override
    public Set<Long> deleteManifests(Collection<Long> ids, Instant cutoff) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        List<Long> sorted = ids.stream().sorted().toList();
        Query lock = em.createNativeQuery("SELECT m.id FROM manifest m WHERE m.id IN (" + placeholders(1, sorted.size())
                + ") ORDER BY m.id FOR UPDATE");
        bind(lock, 1, sorted);
        lock.getResultList();
        Query check = em.createNativeQuery("SELECT m.id FROM manifest m WHERE m.id IN (" + placeholders(2, sorted.size()) + ")"
                + " AND m.pushed_at < ?1"
                + " AND NOT EXISTS (SELECT 1 FROM tag t WHERE t.manifest_id = m.id)"
                + " AND NOT EXISTS (SELECT 1 FROM manifest_reference x JOIN manifest p ON p.id = x.manifest_id"
                + "   WHERE x.kind = 'MANIFEST' AND x.digest = m.digest AND p.repository_id = m.repository_id)"
                + " AND NOT EXISTS (SELECT 1 FROM manifest s WHERE s.repository_id = m.repository_id"
                + "   AND s.digest = m.subject_digest)");
        check.setParameter(1, NativeRows.timestamp(cutoff));
        bind(check, 2, sorted);
        List<Long> garbage = ((List<?>) check.getResultList()).stream().map(NativeRows::number).toList();
        if (garbage.isEmpty()) {
            return Set.of();
        }
        String in = " IN (" + placeholders(1, garbage.size()) + ")";
        for (String delete : List.of("DELETE FROM tag WHERE manifest_id" + in,
                "DELETE FROM manifest_reference WHERE manifest_id" + in,
                "DELETE FROM manifest WHERE id" + in)) {
            Query q = em.createNativeQuery(delete);
            bind(q, 1, garbage);
            q.executeUpdate();
        }
        return new HashSet<>(garbage);
    }

    // ------------------------------------------------------------------ links

    /** No manifest of the link's repository references it ({@code ?9}: a dry run's doomed manifests do not count). */
    private static String unreferencedLink(boolean withDoomed) {
        return " AND NOT EXISTS (SELECT 1 FROM manifest_reference x JOIN manifest m ON m.id = x.manifest_id"
                + " WHERE m.repository_id = l.repository_id AND x.digest = l.digest" + (withDoomed ? NOT_DOOMED : "") + ")";
    }

    @Override
    public List<Link> links(long afterRepositoryId, String afterDigest, int limit, Instant linkCutoff, Long doomedRun) {
        // two range scans of the primary key (repository_id, digest) rather than one with an OR,
        // which H2 would answer by scanning and sorting the whole table for every page
        List<Link> page = new ArrayList<>(links("l.repository_id = ?1 AND l.digest > ?2", afterRepositoryId, afterDigest,
                limit, linkCutoff, doomedRun));
        if (page.size() < limit) {
            page.addAll(links("l.repository_id > ?1", afterRepositoryId, null, limit - page.size(), linkCutoff, doomedRun));
        }
        return page;
    }

    private List<Link> links(String range, long repositoryId, String afterDigest, int limit, Instant linkCutoff, Long doomedRun) {
        Query q = em.createNativeQuery("SELECT l.repository_id, r.name, l.digest, l.size_bytes"
                        + " FROM blob_link l JOIN repository r ON r.id = l.repository_id"
                        + " WHERE " + range + " AND l.touched_at < ?3"
                        + unreferencedLink(doomedRun != null)
                        + " ORDER BY l.repository_id, l.digest")
                .setParameter(1, repositoryId).setParameter(3, NativeRows.timestamp(linkCutoff)).setMaxResults(limit);
        if (afterDigest != null) {
            q.setParameter(2, afterDigest);
        }
        if (doomedRun != null) {
            q.setParameter(9, doomedRun);
        }
        return rows(q).stream().map(r -> new Link(NativeRows.number(r[0]), (String) r[1], Digest.parse((String) r[2]),
                NativeRows.number(r[3]))).toList();
    }

    @Override
    public List<Link> deleteLinks(Collection<Link> links, Instant linkCutoff) {
        Map<Long, List<Link>> byRepository = new TreeMap<>();
        links.forEach(l -> byRepository.computeIfAbsent(l.repositoryId(), k -> new ArrayList<>()).add(l));
        List<Link> deleted = new ArrayList<>();
        for (Map.Entry<Long, List<Link>> e : byRepository.entrySet()) {
            Map<String, Link> byDigest = new LinkedHashMap<>();
            e.getValue().stream().sorted((a, b) -> a.digest().toString().compareTo(b.digest().toString()))
                    .forEach(l -> byDigest.put(l.digest().toString(), l));
            List<String> digests = new ArrayList<>(byDigest.keySet());
            Query lock = em.createNativeQuery("SELECT l.digest FROM blob_link l WHERE l.repository_id = ?1 AND l.digest IN ("
                    + placeholders(2, digests.size()) + ") ORDER BY l.digest FOR UPDATE");
            lock.setParameter(1, e.getKey());
            bind(lock, 2, digests);
            lock.getResultList();
            Query check = em.createNativeQuery("SELECT l.digest FROM blob_link l WHERE l.repository_id = ?1 AND l.digest IN ("
                    + placeholders(3, digests.size()) + ") AND l.touched_at < ?2" + unreferencedLink(false));
            check.setParameter(1, e.getKey()).setParameter(2, NativeRows.timestamp(linkCutoff));
            bind(check, 3, digests);
            List<String> garbage = strings(check);
            if (garbage.isEmpty()) {
                continue;
            }
            Query delete = em.createNativeQuery("DELETE FROM blob_link WHERE repository_id = ?1 AND digest IN ("
                    + placeholders(2, garbage.size()) + ")");
            delete.setParameter(1, e.getKey());
            bind(delete, 2, garbage);
            delete.executeUpdate();
            garbage.forEach(d -> deleted.add(byDigest.get(d)));
        }
        return deleted;
    }

    // ------------------------------------------------------------------ blobs

    /**
     * Nothing links or references the blob {@code b}. In a dry run a link counts only when the link
     * phase would keep it (touched since {@code ?3}, or referenced by a manifest of its repository);
     * with {@code ?9}, manifests the dry run noted as doomed count as deleted.
     */
    private static String unreferencedBlob(boolean dryRun, boolean withDoomed) {
        String doomed = withDoomed ? NOT_DOOMED : "";
        String link = dryRun
                ? " AND NOT EXISTS (SELECT 1 FROM blob_link l WHERE l.digest = b.digest AND (l.touched_at >= ?3 OR EXISTS ("
                  + "SELECT 1 FROM manifest_reference x JOIN manifest m ON m.id = x.manifest_id"
                  + " WHERE m.repository_id = l.repository_id AND x.digest = l.digest" + doomed + ")))"
                : " AND NOT EXISTS (SELECT 1 FROM blob_link l WHERE l.digest = b.digest)";
        return link
                + " AND NOT EXISTS (SELECT 1 FROM manifest m WHERE m.digest = b.digest" + doomed + ")"
                + " AND NOT EXISTS (SELECT 1 FROM manifest_reference x JOIN manifest m ON m.id = x.manifest_id"
                + " WHERE x.digest = b.digest" + doomed + ")";
    }

    @Override
    public List<Blob> blobs(String afterDigest, int limit, Instant cutoff, Instant linkCutoff, boolean dryRun, Long doomedRun) {
        Query q = em.createNativeQuery("SELECT b.digest, b.size_bytes FROM stored_blob b WHERE b.digest > ?1 AND b.touched_at < ?2"
                        + unreferencedBlob(dryRun, doomedRun != null) + " ORDER BY b.digest")
                .setParameter(1, afterDigest).setParameter(2, NativeRows.timestamp(cutoff)).setMaxResults(limit);
        if (dryRun) {
            q.setParameter(3, NativeRows.timestamp(linkCutoff));
        }
        if (doomedRun != null) {
            q.setParameter(9, doomedRun);
        }
        return rows(q).stream().map(r -> new Blob(Digest.parse((String) r[0]), NativeRows.number(r[1]))).toList();
    }

    @Override
    public List<Blob> lockGarbageBlobs(Collection<Digest> digests, Instant cutoff) {
        if (digests.isEmpty()) {
            return List.of();
        }
        List<String> sorted = digests.stream().map(Digest::toString).distinct().sorted().toList();
        Query lock = em.createNativeQuery("SELECT b.digest FROM stored_blob b WHERE b.digest IN (" + placeholders(1, sorted.size())
                + ") ORDER BY b.digest FOR UPDATE");
        bind(lock, 1, sorted);
        lock.getResultList();
        Query check = em.createNativeQuery("SELECT b.digest, b.size_bytes FROM stored_blob b WHERE b.digest IN ("
                + placeholders(4, sorted.size()) + ") AND b.touched_at < ?2" + unreferencedBlob(false, false) + " ORDER BY b.digest");
        check.setParameter(2, NativeRows.timestamp(cutoff));
        bind(check, 4, sorted);
        return rows(check).stream().map(r -> new Blob(Digest.parse((String) r[0]), NativeRows.number(r[1]))).toList();
    }

    @Override
    public void deleteBlobRows(Collection<Digest> digests) {
        for (List<String> chunk : chunks(digests.stream().map(Digest::toString).toList())) {
            Query q = em.createNativeQuery("DELETE FROM stored_blob WHERE digest IN (" + placeholders(1, chunk.size()) + ")");
            bind(q, 1, chunk);
            q.executeUpdate();
        }
    }

    @Override
    public Set<Digest> recorded(Collection<Digest> digests) {
        Set<Digest> found = new HashSet<>();
        for (List<String> chunk : chunks(digests.stream().map(Digest::toString).distinct().toList())) {
            Query q = em.createNativeQuery("SELECT digest FROM stored_blob WHERE digest IN (" + placeholders(1, chunk.size()) + ")");
            bind(q, 1, chunk);
            strings(q).forEach(d -> found.add(Digest.parse(d)));
        }
        return found;
    }

    @Override
    public void claimAbsent(Collection<Digest> digests, Instant now) {
        for (Digest digest : digests.stream().distinct().sorted((a, b) -> a.toString().compareTo(b.toString())).toList()) {
            em.createNativeQuery("INSERT INTO stored_blob (digest, size_bytes, touched_at) VALUES (?1, -1, ?2)")
                    .setParameter(1, digest.toString()).setParameter(2, NativeRows.timestamp(now)).executeUpdate();
        }
    }

    // ------------------------------------------------------------------ SQL helpers

    /** IN lists are bound one parameter each, at most this many per statement. */
    private static List<String> strings(Query q) {
        return ((List<?>) q.getResultList()).stream().map(o -> (String) o).collect(Collectors.toList());
    }
}
