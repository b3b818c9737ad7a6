package org.berth.infrastructure.jpa;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "signing_key")
public class SigningKeyEntity {

    @Id
    @Column(length = 64)
    private String kid;

    @Column(nullable = false, length = 8192)
    private String jwk;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected SigningKeyEntity() {
    }

    SigningKeyEntity(String kid, String jwk, Instant createdAt) {
        this.kid = kid;
        this.jwk = jwk;
        this.createdAt = createdAt;
    }

    String jwk() {
        return jwk;
    }
}
