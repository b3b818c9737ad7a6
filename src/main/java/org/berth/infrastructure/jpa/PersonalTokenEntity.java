package org.berth.infrastructure.jpa;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import org.berth.domain.Action;
import org.berth.domain.PersonalToken;

/** A personal access token; {@code actions} is stored as a list such as {@code pull,push}. */
@Entity
@Table(name = "personal_token")
public class PersonalTokenEntity {

    @Id
    @SequenceGenerator(name = "personal_token_seq", sequenceName = "personal_token_seq", allocationSize = 1)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "personal_token_seq")
    private Long id;

    @Column(name = "account_id", nullable = false)
    private Long accountId;

    @Column(nullable = false, length = 255)
    private String name;

    @Column(name = "secret_hash", nullable = false, length = 128)
    private String secretHash;

    @Column(nullable = false, length = 64)
    private String actions;

    @Column(name = "expires_at")
    private Instant expiresAt;

    @Column(nullable = false)
    private boolean revoked;

    /** The name while the token is live, null once revoked: unique per account (V6), so a revoked token's name is free. */
    @Column(name = "live_name", length = 255)
    private String liveName;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected PersonalTokenEntity() {
    }

    PersonalTokenEntity(Long accountId, PersonalToken token) {
        this.accountId = accountId;
        this.name = token.name();
        this.secretHash = token.secretHash();
        this.actions = Action.toList(token.actions());
        this.expiresAt = token.expiresAt();
        this.revoked = token.revoked();
        this.liveName = token.revoked() ? null : token.name();
        this.createdAt = token.createdAt();
    }

    Long id() {
        return id;
    }

    void setSecretHash(String secretHash) {
        this.secretHash = secretHash;
    }

    void revoke() {
        this.revoked = true;
        this.liveName = null;
    }

    PersonalToken toDomain(String username) {
        return new PersonalToken(id, username, name, secretHash, Action.parseList(actions), expiresAt, revoked, createdAt);
    }
}
