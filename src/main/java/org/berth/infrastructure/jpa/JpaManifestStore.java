package org.berth.infrastructure.jpa;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;

import org.berth.domain.Digest;
import org.berth.domain.ManifestReference;
import org.berth.domain.ManifestStore;
import org.berth.domain.Page;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;
import org.berth.domain.StoredManifest;
import org.berth.domain.Tag;

@ApplicationScoped
public class JpaManifestStore implements ManifestStore {

    @PersistenceContext(unitName = "berth")
    EntityManager em;

    @Inject
    JpaRepositoryCatalog repositories;

    @Override
    public Optional<StoredManifest> find(RepositoryName repository, Digest digest) {
        return entity(repository, digest).map(m -> toDomain(repository, m));
    }

    @Override
    public Optional<StoredManifest> findByTag(RepositoryName repository, Tag tag) {
        return em.createQuery("select m from ManifestEntity m, TagEntity t, RepositoryEntity r"
                        + " where t.repositoryId = r.id and r.name = :name and t.name = :tag and m.id = t.manifestId",
                        ManifestEntity.class)
                .setParameter("name", repository.value())
                .setParameter("tag", tag.value())
                .getResultStream().findFirst()
                .map(m -> toDomain(repository, m));
    }

    @Override
    public void save(StoredManifest manifest, List<ManifestReference> references) {
        Long repositoryId = repositories.idOf(manifest.repository(), true).orElseThrow();
        // locked: the garbage collector, deleting an untagged manifest, takes the same row
        ManifestEntity entity = locked(repositoryId, manifest.digest()).orElse(null);
        boolean isNew = entity == null;
        if (isNew) {
            entity = new ManifestEntity(repositoryId, manifest.digest().toString());
        }
        entity.update(manifest.mediaType(), manifest.artifactType(), manifest.size(),
                manifest.subject() == null ? null : manifest.subject().toString(), manifest.pushedAt());
        if (isNew) {
            em.persist(entity);
            em.flush();
            int seq = 0;
            for (ManifestReference ref : references) {
                em.persist(new ManifestReferenceEntity(entity.id(), seq++, ref.digest().toString(), ref.kind().name(),
                        ref.size()));
            }
        }
    }

    @Override
    public void tag(RepositoryName repository, Tag tag, Digest digest) {
        Long repositoryId = repositories.idOf(repository, true).orElseThrow();
        // locked, so that the garbage collector cannot delete it as untagged meanwhile
        ManifestEntity manifest = locked(repositoryId, digest).orElseThrow(
                () -> new RegistryException.ManifestUnknown(digest.toString()));
        TagEntity entity = em.find(TagEntity.class, new TagEntity.Key(repositoryId, tag.value()));
        if (entity == null) {
            entity = new TagEntity(repositoryId, tag.value());
            entity.pointAt(manifest.id(), Instant.now());
            em.persist(entity);
        } else if (!manifest.id().equals(entity.manifestId())) {
            // a move: the tag is new on this digest. The same digest pushed again under the same
            // tag (docker re-pushes) keeps the time it was first put there: retention's push time
            entity.pointAt(manifest.id(), Instant.now());
        }
    }

    @Override
    public boolean untag(RepositoryName repository, Tag tag) {
        Optional<Long> repositoryId = repositories.find(repository);
        return repositoryId.isPresent() && em.createQuery(
                        "delete from TagEntity t where t.repositoryId = :id and t.name = :tag")
                .setParameter("id", repositoryId.get())
                .setParameter("tag", tag.value())
                .executeUpdate() > 0;
    }

    @Override
    public Optional<Digest> lockTag(RepositoryName repository, Tag tag) {
        Optional<Long> repositoryId = repositories.find(repository);
        if (repositoryId.isEmpty()) {
            return Optional.empty();
        }
        Optional<TagEntity> locked = em.createQuery("select t from TagEntity t where t.repositoryId = :id and t.name = :tag",
                        TagEntity.class)
                .setParameter("id", repositoryId.get())
                .setParameter("tag", tag.value())
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultStream().findFirst();
        return locked.flatMap(t -> Optional.ofNullable(em.find(ManifestEntity.class, t.manifestId())))
                .map(m -> Digest.parse(m.digest()));
    }

    @Override
    public List<Tag> tagsOf(RepositoryName repository, Digest digest) {
        return em.createQuery("select t.name from TagEntity t, ManifestEntity m, RepositoryEntity r"
                        + " where t.manifestId = m.id and m.repositoryId = r.id and r.name = :name and m.digest = :digest"
                        + " order by t.name", String.class)
                .setParameter("name", repository.value())
                .setParameter("digest", digest.toString())
                .getResultList().stream().map(Tag::new).toList();
    }

    @Override
    public List<Tag> tagsOfIndexesListing(RepositoryName repository, Digest digest) {
        return em.createQuery("select distinct t.name from TagEntity t, ManifestEntity m, ManifestReferenceEntity x,"
                        + " RepositoryEntity r where t.manifestId = m.id and x.manifestId = m.id and x.kind = :kind"
                        + " and x.digest = :digest and m.repositoryId = r.id and r.name = :name order by t.name", String.class)
                .setParameter("kind", ManifestReference.Kind.MANIFEST.name())
                .setParameter("name", repository.value())
                .setParameter("digest", digest.toString())
                .getResultList().stream().map(Tag::new).toList();
    }

    @Override
    public boolean anyReferences(RepositoryName repository, Digest digest) {
        return !em.createQuery("select 1 from ManifestEntity m, ManifestReferenceEntity x, RepositoryEntity r"
                        + " where x.manifestId = m.id and x.digest = :digest and m.repositoryId = r.id and r.name = :name",
                        Integer.class)
                .setParameter("name", repository.value())
                .setParameter("digest", digest.toString())
                .setMaxResults(1).getResultList().isEmpty();
    }

    @Override
    public boolean delete(RepositoryName repository, Digest digest) {
        Optional<ManifestEntity> manifest = entity(repository, digest);
        if (manifest.isEmpty()) {
            return false;
        }
        Long id = manifest.get().id();
        em.createQuery("delete from TagEntity t where t.manifestId = :id").setParameter("id", id).executeUpdate();
        em.createQuery("delete from ManifestReferenceEntity r where r.manifestId = :id").setParameter("id", id).executeUpdate();
        em.remove(manifest.get());
        return true;
    }

    @Override
    public List<Tag> tags(RepositoryName repository, Page page) {
        String base = "select t.name from TagEntity t, RepositoryEntity r where t.repositoryId = r.id and r.name = :name";
        TypedQuery<String> q = page.last() == null
                ? em.createQuery(base + " order by t.name", String.class)
                : em.createQuery(base + " and t.name > :last order by t.name", String.class).setParameter("last", page.last());
        return q.setParameter("name", repository.value())
                .setMaxResults(page.limit())
                .getResultList().stream().map(Tag::new).toList();
    }

    @Override
    public List<StoredManifest> referrers(RepositoryName repository, Digest subject, String artifactType) {
        String base = "select m from ManifestEntity m, RepositoryEntity r"
                + " where m.repositoryId = r.id and r.name = :name and m.subjectDigest = :subject";
        TypedQuery<ManifestEntity> q = artifactType == null
                ? em.createQuery(base + " order by m.digest", ManifestEntity.class)
                : em.createQuery(base + " and m.artifactType = :type order by m.digest", ManifestEntity.class)
                        .setParameter("type", artifactType);
        return q.setParameter("name", repository.value())
                .setParameter("subject", subject.toString())
                .getResultList().stream().map(m -> toDomain(repository, m)).toList();
    }

    @Override
    public Set<Digest> hold(RepositoryName repository, Collection<Digest> digests) {
        return repositories.find(repository)
                .map(id -> DigestRowLocks.lock(em, ManifestEntity.class, id, digests, ManifestEntity::digest))
                .orElse(Set.of());
    }

    private Optional<ManifestEntity> locked(Long repositoryId, Digest digest) {
        return em.createQuery("select m from ManifestEntity m where m.repositoryId = :id and m.digest = :digest",
                        ManifestEntity.class)
                .setParameter("id", repositoryId)
                .setParameter("digest", digest.toString())
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultStream().findFirst();
    }

    private Optional<ManifestEntity> entity(RepositoryName repository, Digest digest) {
        return em.createQuery("select m from ManifestEntity m, RepositoryEntity r"
                        + " where m.repositoryId = r.id and r.name = :name and m.digest = :digest", ManifestEntity.class)
                .setParameter("name", repository.value())
                .setParameter("digest", digest.toString())
                .getResultStream().findFirst();
    }

    private static StoredManifest toDomain(RepositoryName repository, ManifestEntity m) {
        return new StoredManifest(repository, Digest.parse(m.digest()), m.mediaType(), m.size(), m.artifactType(),
                m.subjectDigest() == null ? null : Digest.parse(m.subjectDigest()), m.pushedAt());
    }
}
