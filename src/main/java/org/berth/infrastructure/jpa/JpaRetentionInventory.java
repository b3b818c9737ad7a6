package org.berth.infrastructure.jpa;

import static org.berth.infrastructure.jpa.NativeRows.bind;
import static org.berth.infrastructure.jpa.NativeRows.chunks;
import static org.berth.infrastructure.jpa.NativeRows.placeholders;
import static org.berth.infrastructure.jpa.NativeRows.rows;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;

import org.berth.domain.Digest;
import org.berth.domain.RepositoryName;
import org.berth.domain.retention.RetentionArtifact;
import org.berth.domain.retention.RetentionInventory;

/** {@link RetentionInventory} in SQL that H2 2.x and PostgreSQL run alike: three queries a repository. */
@ApplicationScoped
public class JpaRetentionInventory implements RetentionInventory {

    private static final String IN_REPOSITORY = " JOIN repository r ON r.id = m.repository_id WHERE r.name = ?1";

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Override
    public List<RepositoryName> repositories(String project) {
        return ((List<?>) em.createNativeQuery("SELECT name FROM repository WHERE project = ?1 ORDER BY name")
                .setParameter(1, project).getResultList()).stream().map(n -> new RepositoryName((String) n)).toList();
    }

    @Override
    public List<RetentionArtifact> artifacts(RepositoryName repository) {
        return load(repository, null);
    }

    @Override
    public Optional<RetentionArtifact> artifact(RepositoryName repository, Digest digest) {
        return load(repository, digest.toString()).stream().findFirst();
    }

    private List<RetentionArtifact> load(RepositoryName repository, String digest) {
        String only = digest == null ? "" : " AND m.digest = ?2";
        Map<Long, Object[]> manifests = new LinkedHashMap<>();
        for (Object[] row : query("SELECT m.id, m.digest, m.pushed_at, m.last_pull_at, m.subject_digest FROM manifest m"
                + IN_REPOSITORY + only + " ORDER BY m.id", repository, digest)) {
            manifests.put(NativeRows.number(row[0]), row);
        }
        if (manifests.isEmpty()) {
            return List.of();
        }
        Map<Long, List<RetentionArtifact.TagTime>> tags = new HashMap<>();
        for (Object[] row : query("SELECT t.manifest_id, t.name, t.updated_at FROM tag t JOIN manifest m ON m.id = t.manifest_id"
                + IN_REPOSITORY + only + " ORDER BY t.name", repository, digest)) {
            tags.computeIfAbsent(NativeRows.number(row[0]), k -> new ArrayList<>())
                    .add(new RetentionArtifact.TagTime((String) row[1], NativeRows.instant(row[2])));
        }
        Map<Long, List<Digest>> children = new HashMap<>();
        Map<Long, List<Digest>> blobs = new HashMap<>();
        for (Object[] row : query("SELECT x.manifest_id, x.digest, x.kind FROM manifest_reference x"
                + " JOIN manifest m ON m.id = x.manifest_id" + IN_REPOSITORY + only + " ORDER BY x.manifest_id, x.seq",
                repository, digest)) {
            long id = NativeRows.number(row[0]);
            Digest d = Digest.parse((String) row[1]);
            blobs.computeIfAbsent(id, k -> new ArrayList<>()).add(d);
            if ("MANIFEST".equals(row[2])) {
                children.computeIfAbsent(id, k -> new ArrayList<>()).add(d);
            }
        }
        List<RetentionArtifact> out = new ArrayList<>(manifests.size());
        for (Map.Entry<Long, Object[]> e : manifests.entrySet()) {
            Object[] m = e.getValue();
            Digest own = Digest.parse((String) m[1]);
            List<Digest> referenced = new ArrayList<>();
            referenced.add(own);
            referenced.addAll(blobs.getOrDefault(e.getKey(), List.of()));
            out.add(new RetentionArtifact(own, tags.getOrDefault(e.getKey(), List.of()), NativeRows.instant(m[2]),
                    NativeRows.instant(m[3]), m[4] == null ? null : Digest.parse((String) m[4]),
                    children.getOrDefault(e.getKey(), List.of()), referenced));
        }
        return out;
    }

    private List<Object[]> query(String sql, RepositoryName repository, String digest) {
        Query q = em.createNativeQuery(sql).setParameter(1, repository.value());
        if (digest != null) {
            q.setParameter(2, digest);
        }
        return rows(q);
    }

    @Override
    public Set<Digest> parents(RepositoryName repository, Digest digest) {
        Set<Digest> parents = new HashSet<>();
        for (Object d : em.createNativeQuery("SELECT m.digest FROM manifest_reference x JOIN manifest m ON m.id = x.manifest_id"
                        + IN_REPOSITORY + " AND x.kind = 'MANIFEST' AND x.digest = ?2")
                .setParameter(1, repository.value()).setParameter(2, digest.toString()).getResultList()) {
            parents.add(Digest.parse((String) d));
        }
        return parents;
    }

    @Override
    public Map<Digest, Long> unreferencedWithout(Collection<Digest> blobs, Set<ArtifactKey> gone) {
        Map<Digest, Long> free = new HashMap<>();
        for (List<String> chunk : chunks(blobs.stream().map(Digest::toString).distinct().sorted().toList())) {
            Set<String> held = new HashSet<>();
            // referenced by a manifest's descriptor, or a manifest itself, that stays
            for (String sql : List.of("SELECT x.digest, r.name, m.digest FROM manifest_reference x JOIN manifest m"
                            + " ON m.id = x.manifest_id JOIN repository r ON r.id = m.repository_id WHERE x.digest IN (",
                    "SELECT m.digest, r.name, m.digest FROM manifest m JOIN repository r ON r.id = m.repository_id"
                            + " WHERE m.digest IN (")) {
                Query q = em.createNativeQuery(sql + placeholders(1, chunk.size()) + ")");
                bind(q, 1, chunk);
                for (Object[] row : rows(q)) {
                    if (!gone.contains(new ArtifactKey((String) row[1], Digest.parse((String) row[2])))) {
                        held.add((String) row[0]);
                    }
                }
            }
            Query sizes = em.createNativeQuery("SELECT digest, size_bytes FROM stored_blob WHERE digest IN ("
                    + placeholders(1, chunk.size()) + ")");
            bind(sizes, 1, chunk);
            for (Object[] row : rows(sizes)) {
                if (!held.contains((String) row[0])) {
                    free.put(Digest.parse((String) row[0]), NativeRows.number(row[1]));
                }
            }
        }
        return free;
    }
}
