package org.berth.infrastructure.jpa;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.berth.domain.proxy.RegistryEndpoint;

/** A registry endpoint in table {@code registry_endpoint}; its password only ever sealed. */
@Entity
@Table(name = "registry_endpoint")
public class RegistryEndpointEntity {

    @Id
    @Column(length = 255)
    private String name;

    @Column(nullable = false, length = 2048)
    private String url;

    @Column(length = 255)
    private String username;

    @Column(name = "password_sealed", length = 4096)
    private String passwordSealed;

    @Column(name = "verify_tls", nullable = false)
    private boolean verifyTls;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected RegistryEndpointEntity() {
    }

    RegistryEndpointEntity(RegistryEndpoint endpoint, Optional<String> sealedPassword) {
        this.name = endpoint.name();
        this.createdAt = endpoint.createdAt();
        set(endpoint, sealedPassword, endpoint.createdAt());
    }

    /** Everything but the name and creation time. */
    void set(RegistryEndpoint endpoint, Optional<String> sealedPassword, Instant at) {
        this.url = endpoint.url().toString();
        this.username = endpoint.username().orElse(null);
        this.passwordSealed = sealedPassword.orElse(null);
        this.verifyTls = endpoint.verifyTls();
        this.updatedAt = at;
    }

    Optional<String> passwordSealed() {
        return Optional.ofNullable(passwordSealed);
    }

    RegistryEndpoint toDomain() {
        return new RegistryEndpoint(name, URI.create(url), Optional.ofNullable(username), passwordSealed != null,
                verifyTls, createdAt);
    }
}
