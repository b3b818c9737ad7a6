package org.berth.infrastructure.jpa;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

@Entity
@Table(name = "manifest")
public class ManifestEntity {

    @Id
    @SequenceGenerator(name = "manifest_seq", sequenceName = "manifest_seq", allocationSize = 1)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "manifest_seq")
    private Long id;

    @Column(name = "repository_id", nullable = false)
    private Long repositoryId;

    @Column(nullable = false, length = 150)
    private String digest;

    @Column(name = "media_type", nullable = false)
    private String mediaType;

    @Column(name = "artifact_type")
    private String artifactType;

    @Column(name = "size_bytes", nullable = false)
    private long size;

    @Column(name = "subject_digest", length = 150)
    private String subjectDigest;

    @Column(name = "pushed_at", nullable = false)
    private Instant pushedAt;

    protected ManifestEntity() {
    }

    ManifestEntity(Long repositoryId, String digest) {
        this.repositoryId = repositoryId;
        this.digest = digest;
    }

    void update(String mediaType, String artifactType, long size, String subjectDigest, Instant pushedAt) {
        this.mediaType = mediaType;
        this.artifactType = artifactType;
        this.size = size;
        this.subjectDigest = subjectDigest;
        this.pushedAt = pushedAt;
    }

    Long id() {
        return id;
    }

    String digest() {
        return digest;
    }

    String mediaType() {
        return mediaType;
    }

    String artifactType() {
        return artifactType;
    }

    long size() {
        return size;
    }

    String subjectDigest() {
        return subjectDigest;
    }

    Instant pushedAt() {
        return pushedAt;
    }
}
