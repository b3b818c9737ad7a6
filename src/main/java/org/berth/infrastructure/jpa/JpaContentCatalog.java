package org.berth.infrastructure.jpa;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;

import org.berth.domain.ArtifactInfo;
import org.berth.domain.ContentCatalog;
import org.berth.domain.Digest;
import org.berth.domain.ProjectUsage;
import org.berth.domain.RepositoryInfo;
import org.berth.domain.RepositoryName;
import org.berth.domain.RepositorySort;
import org.berth.domain.StoredManifest;
import org.berth.domain.Tag;

/**
 * The administration API's read models, in native SQL that H2 2.x and PostgreSQL both run:
 * counts and sizes come from correlated sub-selects so that one query answers one page.
 */
@ApplicationScoped
public class JpaContentCatalog implements ContentCatalog {

    private static final String REPOSITORY_COLUMNS = "SELECT r.name, r.project, r.created_at, r.pull_count, r.last_pull_at,"
            + " (SELECT COUNT(*) FROM manifest m WHERE m.repository_id = r.id) AS artifact_count,"
            + " (SELECT COUNT(*) FROM tag t WHERE t.repository_id = r.id) AS tag_count,"
            + " (SELECT MAX(m.pushed_at) FROM manifest m WHERE m.repository_id = r.id) AS last_push_at"
            + " FROM repository r";

    /** Blob bytes a manifest declares (config and layers), and the same for the children of an index. */
    private static final String ARTIFACT_COLUMNS = "SELECT m.id, m.digest, m.media_type, m.artifact_type, m.size_bytes,"
            + " m.subject_digest, m.pushed_at, m.pull_count, m.last_pull_at,"
            + " (SELECT COALESCE(SUM(x.size_bytes), 0) FROM manifest_reference x"
            + "   WHERE x.manifest_id = m.id AND x.kind <> 'MANIFEST') AS blob_bytes,"
            + " (SELECT COALESCE(SUM(c.size_bytes), 0) FROM manifest_reference x"
            + "   JOIN manifest c ON c.repository_id = m.repository_id AND c.digest = x.digest"
            + "   WHERE x.manifest_id = m.id AND x.kind = 'MANIFEST') AS child_bytes,"
            + " (SELECT COALESCE(SUM(y.size_bytes), 0) FROM manifest_reference x"
            + "   JOIN manifest c ON c.repository_id = m.repository_id AND c.digest = x.digest"
            + "   JOIN manifest_reference y ON y.manifest_id = c.id AND y.kind <> 'MANIFEST'"
            + "   WHERE x.manifest_id = m.id AND x.kind = 'MANIFEST') AS child_blob_bytes"
            + " FROM manifest m";

    /** Manifests read per query by {@link #eachTopLevelArtifact}. */
    static final int ARTIFACT_PAGE = 500;

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Inject
    JpaRepositoryCatalog repositories;

    @Override
    public List<RepositoryInfo> repositories(String project, String nameContains, RepositorySort sort, int offset, int limit) {
        String sql = REPOSITORY_COLUMNS + " WHERE r.project = ?1" + (nameContains == null ? "" : " AND r.name LIKE ?2 ESCAPE '!'")
                + " ORDER BY " + orderBy(sort) + " OFFSET ?3 ROWS FETCH NEXT ?4 ROWS ONLY";
        Query q = em.createNativeQuery(sql).setParameter(1, project);
        if (nameContains != null) {
            q.setParameter(2, like(nameContains));
        }
        return rows(q.setParameter(3, offset).setParameter(4, limit)).stream().map(JpaContentCatalog::repository).toList();
    }

    private static String orderBy(RepositorySort sort) {
        String direction = sort.descending() ? " DESC" : " ASC";
        return switch (sort) {
            case NAME, NAME_DESC -> "r.name" + direction;
            case LAST_PUSH, LAST_PUSH_DESC -> "last_push_at" + direction + " NULLS LAST, r.name";
            case PULL_COUNT, PULL_COUNT_DESC -> "r.pull_count" + direction + ", r.name";
            case ARTIFACT_COUNT, ARTIFACT_COUNT_DESC -> "artifact_count" + direction + ", r.name";
        };
    }

    /** A LIKE pattern for "contains", with ! escaping the pattern characters. */
    private static String like(String text) {
        return "%" + text.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }

    @Override
    public long countRepositories(String project, String nameContains) {
        Query q = em.createNativeQuery("SELECT COUNT(*) FROM repository r WHERE r.project = ?1"
                + (nameContains == null ? "" : " AND r.name LIKE ?2 ESCAPE '!'")).setParameter(1, project);
        if (nameContains != null) {
            q.setParameter(2, like(nameContains));
        }
        return NativeRows.number(q.getSingleResult());
    }

    @Override
    public Optional<RepositoryInfo> repository(RepositoryName name) {
        return rows(em.createNativeQuery(REPOSITORY_COLUMNS + " WHERE r.name = ?1").setParameter(1, name.value()))
                .stream().findFirst().map(JpaContentCatalog::repository);
    }

    private static RepositoryInfo repository(Object[] row) {
        return new RepositoryInfo(RepositoryName.parse((String) row[0]), (String) row[1], NativeRows.number(row[5]),
                NativeRows.number(row[6]), NativeRows.number(row[3]), NativeRows.instant(row[7]),
                NativeRows.instant(row[4]), NativeRows.instant(row[2]));
    }

    @Override
    public List<ArtifactInfo> artifacts(RepositoryName repository, int offset, int limit) {
        Optional<Long> id = repositories.find(repository);
        if (id.isEmpty()) {
            return List.of();
        }
        Query q = em.createNativeQuery(ARTIFACT_COLUMNS + " WHERE m.repository_id = ?1"
                        + " ORDER BY m.pushed_at DESC, m.id DESC OFFSET ?2 ROWS FETCH NEXT ?3 ROWS ONLY")
                .setParameter(1, id.get()).setParameter(2, offset).setParameter(3, limit);
        return artifacts(repository, rows(q));
    }

    @Override
    public long countArtifacts(RepositoryName repository) {
        return em.createQuery("select count(m) from ManifestEntity m, RepositoryEntity r"
                        + " where m.repositoryId = r.id and r.name = :name", Long.class)
                .setParameter("name", repository.value()).getSingleResult();
    }

    @Override
    public Optional<ArtifactInfo> artifact(RepositoryName repository, Digest digest) {
        Optional<Long> id = repositories.find(repository);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        Query q = em.createNativeQuery(ARTIFACT_COLUMNS + " WHERE m.repository_id = ?1 AND m.digest = ?2")
                .setParameter(1, id.get()).setParameter(2, digest.toString());
        return artifacts(repository, rows(q)).stream().findFirst();
    }

    private List<ArtifactInfo> artifacts(RepositoryName repository, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<Long> ids = rows.stream().map(r -> NativeRows.number(r[0])).toList();
        Map<Long, List<ArtifactInfo.TagInfo>> tags = new HashMap<>();
        for (TagEntity t : em.createQuery("select t from TagEntity t where t.manifestId in :ids order by t.name", TagEntity.class)
                .setParameter("ids", ids).getResultList()) {
            tags.computeIfAbsent(t.manifestId(), k -> new ArrayList<>()).add(new ArtifactInfo.TagInfo(new Tag(t.name()), t.updatedAt()));
        }
        List<ArtifactInfo> result = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            long id = NativeRows.number(row[0]);
            long size = NativeRows.number(row[4]);
            StoredManifest manifest = new StoredManifest(repository, Digest.parse((String) row[1]), (String) row[2], size,
                    (String) row[3], row[5] == null ? null : Digest.parse((String) row[5]), NativeRows.instant(row[6]));
            long total = size + NativeRows.number(row[9]) + NativeRows.number(row[10]) + NativeRows.number(row[11]);
            result.add(new ArtifactInfo(manifest, size, total, NativeRows.instant(row[8]), NativeRows.number(row[7]),
                    List.copyOf(tags.getOrDefault(id, List.of()))));
        }
        return result;
    }

    @Override
    public void eachTopLevelArtifact(RepositoryName repository, BiConsumer<Digest, List<String>> each) {
        Optional<Long> id = repositories.find(repository);
        if (id.isEmpty()) {
            return;
        }
        long after = 0;
        while (true) {
            List<Object[]> page = rows(em.createNativeQuery("SELECT m.id, m.digest FROM manifest m"
                            + " WHERE m.repository_id = ?1 AND m.id > ?2 AND NOT EXISTS (SELECT 1 FROM manifest_reference x"
                            + "   JOIN manifest p ON p.id = x.manifest_id"
                            + "   WHERE p.repository_id = ?3 AND x.kind = 'MANIFEST' AND x.digest = m.digest)"
                            + " ORDER BY m.id FETCH FIRST " + ARTIFACT_PAGE + " ROWS ONLY")
                    .setParameter(1, id.get()).setParameter(2, after).setParameter(3, id.get()));
            if (page.isEmpty()) {
                return;
            }
            long last = NativeRows.number(page.get(page.size() - 1)[0]);
            // the page's tags in one read, by the range of its ids (native: no entity stays managed)
            Map<Long, List<String>> tags = new HashMap<>();
            for (Object[] t : rows(em.createNativeQuery("SELECT t.manifest_id, t.name FROM tag t"
                            + " WHERE t.repository_id = ?1 AND t.manifest_id > ?2 AND t.manifest_id <= ?3 ORDER BY t.name")
                    .setParameter(1, id.get()).setParameter(2, after).setParameter(3, last))) {
                tags.computeIfAbsent(NativeRows.number(t[0]), k -> new ArrayList<>()).add((String) t[1]);
            }
            for (Object[] row : page) {
                each.accept(Digest.parse((String) row[1]), List.copyOf(tags.getOrDefault(NativeRows.number(row[0]), List.of())));
            }
            if (page.size() < ARTIFACT_PAGE) {
                return;
            }
            after = last;
        }
    }

    @Override
    public boolean deleteRepository(RepositoryName repository) {
        Optional<Long> id = repositories.find(repository);
        if (id.isEmpty()) {
            return false;
        }
        em.createQuery("delete from TagEntity t where t.repositoryId = :id").setParameter("id", id.get()).executeUpdate();
        em.createQuery("delete from ManifestReferenceEntity x where x.manifestId in"
                + " (select m.id from ManifestEntity m where m.repositoryId = :id)").setParameter("id", id.get()).executeUpdate();
        em.createQuery("delete from ManifestEntity m where m.repositoryId = :id").setParameter("id", id.get()).executeUpdate();
        em.createQuery("delete from BlobLinkEntity l where l.repositoryId = :id").setParameter("id", id.get()).executeUpdate();
        em.createQuery("delete from RepositoryEntity r where r.id = :id").setParameter("id", id.get()).executeUpdate();
        return true;
    }

    @Override
    public ProjectUsage usage(String project) {
        Object[] counts = (Object[]) em.createNativeQuery("SELECT"
                + " (SELECT COUNT(*) FROM repository r WHERE r.project = ?1),"
                + " (SELECT COUNT(*) FROM manifest m JOIN repository r ON r.id = m.repository_id WHERE r.project = ?1),"
                + " (SELECT COUNT(*) FROM tag t JOIN repository r ON r.id = t.repository_id WHERE r.project = ?1),"
                + " (SELECT COALESCE(SUM(m.size_bytes), 0) FROM manifest m JOIN repository r ON r.id = m.repository_id"
                + "   WHERE r.project = ?1),"
                + " (SELECT COALESCE(SUM(x.size_bytes), 0) FROM manifest_reference x JOIN manifest m ON m.id = x.manifest_id"
                + "   JOIN repository r ON r.id = m.repository_id WHERE r.project = ?1 AND x.kind <> 'MANIFEST'),"
                + " (" + JpaQuotaStore.PHYSICAL_BYTES + ")")
                .setParameter(1, project).getSingleResult();
        return new ProjectUsage(NativeRows.number(counts[0]), NativeRows.number(counts[1]), NativeRows.number(counts[2]),
                NativeRows.number(counts[3]) + NativeRows.number(counts[4]), NativeRows.number(counts[5]));
    }

    @SuppressWarnings("unchecked")
    private static List<Object[]> rows(Query q) {
        return q.getResultList();
    }
}
