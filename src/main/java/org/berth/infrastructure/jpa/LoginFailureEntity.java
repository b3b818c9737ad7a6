package org.berth.infrastructure.jpa;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.berth.auth.LoginFailureStore;

/** A row of {@code login_failure} (V11__cluster.sql). */
@Entity
@Table(name = "login_failure")
public class LoginFailureEntity {

    @Id
    @Column(name = "failure_key", length = LoginFailureStore.MAX_KEY_LENGTH)
    private String key;

    @Column(nullable = false)
    private int failures;

    @Column(name = "window_start", nullable = false)
    private Instant windowStart;

    @Column(name = "last_failure", nullable = false)
    private Instant lastFailure;

    @Column(name = "locked_until")
    private Instant lockedUntil;

    protected LoginFailureEntity() {
    }

    LoginFailureEntity(String key, LoginFailureStore.Failures f) {
        this.key = key;
        set(f);
    }

    void set(LoginFailureStore.Failures f) {
        this.failures = f.count();
        this.windowStart = f.windowStart();
        this.lastFailure = f.last();
        this.lockedUntil = f.lockedUntil();
    }

    LoginFailureStore.Failures toDomain() {
        return new LoginFailureStore.Failures(failures, windowStart, lastFailure, lockedUntil);
    }
}
