package org.berth.infrastructure.jpa;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A file under {@code blobs/}: its digest, size and when it was last uploaded, linked or mounted. */
@Entity
@Table(name = "stored_blob")
public class StoredBlobEntity {

    @Id
    @Column(length = 150)
    private String digest;

    @Column(name = "size_bytes", nullable = false)
    private long size;

    @Column(name = "touched_at", nullable = false)
    private Instant touchedAt;

    protected StoredBlobEntity() {
    }

    StoredBlobEntity(String digest, long size, Instant touchedAt) {
        this.digest = digest;
        this.size = size;
        this.touchedAt = touchedAt;
    }

    void touch(Instant at) {
        if (touchedAt == null || at.isAfter(touchedAt)) {
            touchedAt = at;
        }
    }

    long size() {
        return size;
    }
}
