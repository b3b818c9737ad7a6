package org.berth.infrastructure.jpa;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

@Entity
@Table(name = "blob_link")
@IdClass(BlobLinkEntity.Key.class)
public class BlobLinkEntity {

    @Id
    @Column(name = "repository_id")
    private Long repositoryId;

    @Id
    @Column(length = 150)
    private String digest;

    @Column(name = "size_bytes", nullable = false)
    private long size;

    @Column(name = "linked_at", nullable = false)
    private Instant linkedAt;

    /** When the link was last made, mounted, or answered 200 to a HEAD (the garbage collector's grace counts from it). */
    @Column(name = "touched_at", nullable = false)
    private Instant touchedAt;

    protected BlobLinkEntity() {
    }

    BlobLinkEntity(Long repositoryId, String digest, long size, Instant linkedAt) {
        this.repositoryId = repositoryId;
        this.digest = digest;
        this.size = size;
        this.linkedAt = linkedAt;
        this.touchedAt = linkedAt;
    }

    String digest() {
        return digest;
    }

    public static class Key implements Serializable {
        private Long repositoryId;
        private String digest;

        public Key() {
        }

        Key(Long repositoryId, String digest) {
            this.repositoryId = repositoryId;
            this.digest = digest;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(repositoryId, k.repositoryId) && Objects.equals(digest, k.digest);
        }

        @Override
        public int hashCode() {
            return Objects.hash(repositoryId, digest);
        }
    }
}
