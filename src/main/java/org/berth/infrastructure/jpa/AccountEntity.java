package org.berth.infrastructure.jpa;

import java.time.Instant;
import java.util.Locale;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import org.berth.domain.Account;

@Entity
@Table(name = "account")
public class AccountEntity {

    @Id
    @SequenceGenerator(name = "account_seq", sequenceName = "account_seq", allocationSize = 1)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "account_seq")
    private Long id;

    @Column(nullable = false, unique = true, length = 255)
    private String username;

    /** The username in lower case, unique (V6): no two accounts differ only in case. */
    @Column(name = "username_key", nullable = false, unique = true, length = 300)
    private String usernameKey;

    @Column(name = "password_hash", nullable = false, length = 255)
    private String passwordHash;

    @Column(nullable = false)
    private boolean sysadmin;

    @Column(nullable = false)
    private boolean disabled;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    /** See {@link Account#credentialVersion()}: every change of password or of the disabled flag raises it. */
    @Column(name = "credential_version", nullable = false)
    private long credentialVersion;

    protected AccountEntity() {
    }

    AccountEntity(Account account) {
        this.username = account.username();
        this.usernameKey = key(account.username());
        this.passwordHash = account.passwordHash();
        this.sysadmin = account.sysadmin();
        this.disabled = account.disabled();
        this.createdAt = account.createdAt();
    }

    /** What {@code username_key} holds for a name; user names are ASCII. */
    static String key(String username) {
        return username.toLowerCase(Locale.ROOT);
    }

    Long id() {
        return id;
    }

    void setPasswordHash(String passwordHash) {
        this.passwordHash = passwordHash;
        credentialVersion++;
    }

    void setSysadmin(boolean sysadmin) {
        this.sysadmin = sysadmin;
    }

    void setDisabled(boolean disabled) {
        if (this.disabled != disabled) {
            this.disabled = disabled;
            credentialVersion++;
        }
    }

    Account toDomain() {
        return new Account(username, passwordHash, sysadmin, disabled, createdAt, credentialVersion);
    }
}
