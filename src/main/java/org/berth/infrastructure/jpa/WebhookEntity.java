package org.berth.infrastructure.jpa;

import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import org.berth.domain.webhook.Webhook;
import org.berth.domain.webhook.WebhookEventType;
import org.berth.domain.webhook.WebhookFormat;

/** A webhook in table {@code webhook} (V14); its secret and Authorization header only ever sealed. */
@Entity
@Table(name = "webhook")
public class WebhookEntity {

    @Id
    @SequenceGenerator(name = "webhook_seq", sequenceName = "webhook_seq", allocationSize = 1)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "webhook_seq")
    private Long id;

    @Column(name = "project_name", nullable = false, length = 255)
    private String project;

    @Column(nullable = false, length = 255)
    private String name;

    @Column(nullable = false, length = 2048)
    private String url;

    @Column(name = "event_types", nullable = false, length = 512)
    private String eventTypes;

    @Column(name = "auth_header_sealed", length = 8192)
    private String authHeaderSealed;

    @Column(name = "secret_sealed", nullable = false, length = 1024)
    private String secretSealed;

    @Column(name = "verify_tls", nullable = false)
    private boolean verifyTls;

    @Column(nullable = false, length = 16)
    private String format;

    @Column(nullable = false)
    private boolean enabled;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected WebhookEntity() {
    }

    WebhookEntity(Webhook webhook) {
        this.project = webhook.project();
        this.createdAt = webhook.createdAt();
        this.secretSealed = "";
        set(webhook, Optional.empty());
    }

    Long id() {
        return id;
    }

    String project() {
        return project;
    }

    /** Everything but the id, project, secret and creation time. */
    void set(Webhook webhook, Optional<String> sealedAuthHeader) {
        this.name = webhook.name();
        this.url = webhook.url().toString();
        this.eventTypes = joinTypes(webhook.eventTypes());
        this.authHeaderSealed = sealedAuthHeader.orElse(null);
        this.verifyTls = webhook.verifyTls();
        this.format = webhook.format().jsonName();
        this.enabled = webhook.enabled();
    }

    void secretSealed(String sealed) {
        this.secretSealed = sealed;
    }

    String secretSealed() {
        return secretSealed;
    }

    Optional<String> authHeaderSealed() {
        return Optional.ofNullable(authHeaderSealed);
    }

    Webhook toDomain() {
        return new Webhook(id, project, name, URI.create(url), parseTypes(eventTypes), authHeaderSealed != null, verifyTls,
                WebhookFormat.byJsonName(format).orElse(WebhookFormat.HARBOR), enabled, createdAt);
    }

    static String joinTypes(Set<WebhookEventType> types) {
        return types.stream().sorted().map(WebhookEventType::jsonName).collect(Collectors.joining(","));
    }

    /** Unknown names (of a later version) are skipped. */
    static Set<WebhookEventType> parseTypes(String text) {
        Set<WebhookEventType> types = EnumSet.noneOf(WebhookEventType.class);
        Arrays.stream(text.split(",")).map(String::trim).forEach(n -> WebhookEventType.byJsonName(n).ifPresent(types::add));
        return types;
    }
}
