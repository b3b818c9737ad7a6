package org.berth.infrastructure.jpa;

import java.io.Serializable;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** An edge from a manifest to a blob or child manifest it needs (for checks and, later, GC). */
@Entity
@Table(name = "manifest_reference")
@IdClass(ManifestReferenceEntity.Key.class)
public class ManifestReferenceEntity {

    @Id
    @Column(name = "manifest_id")
    private Long manifestId;

    @Id
    @Column(name = "seq")
    private int seq;

    @Column(nullable = false, length = 150)
    private String digest;

    @Column(nullable = false, length = 16)
    private String kind;

    @Column(name = "size_bytes")
    private Long size;

    protected ManifestReferenceEntity() {
    }

    ManifestReferenceEntity(Long manifestId, int seq, String digest, String kind, long size) {
        this.manifestId = manifestId;
        this.seq = seq;
        this.digest = digest;
        this.kind = kind;
        this.size = size;
    }

    public static class Key implements Serializable {
        private Long manifestId;
        private int seq;

        public Key() {
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(manifestId, k.manifestId) && seq == k.seq;
        }

        @Override
        public int hashCode() {
            return Objects.hash(manifestId, seq);
        }
    }
}
