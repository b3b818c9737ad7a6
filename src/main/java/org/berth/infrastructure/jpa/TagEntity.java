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
@Table(name = "tag")
@IdClass(TagEntity.Key.class)
public class TagEntity {

    @Id
    @Column(name = "repository_id")
    private Long repositoryId;

    @Id
    @Column(length = 128)
    private String name;

    @Column(name = "manifest_id", nullable = false)
    private Long manifestId;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected TagEntity() {
    }

    TagEntity(Long repositoryId, String name) {
        this.repositoryId = repositoryId;
        this.name = name;
    }

    Long manifestId() {
        return manifestId;
    }

    String name() {
        return name;
    }

    Instant updatedAt() {
        return updatedAt;
    }

    void pointAt(Long manifestId, Instant at) {
        this.manifestId = manifestId;
        this.updatedAt = at;
    }

    public static class Key implements Serializable {
        private Long repositoryId;
        private String name;

        public Key() {
        }

        Key(Long repositoryId, String name) {
            this.repositoryId = repositoryId;
            this.name = name;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(repositoryId, k.repositoryId) && Objects.equals(name, k.name);
        }

        @Override
        public int hashCode() {
            return Objects.hash(repositoryId, name);
        }
    }
}
