package org.berth.api.admin;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import org.berth.domain.Account;
import org.berth.domain.Action;
import org.berth.domain.Member;
import org.berth.domain.PersonalToken;
import org.berth.domain.Project;
import org.berth.domain.Robot;
import org.berth.domain.proxy.ProxyProject;
import org.berth.domain.proxy.RegistryEndpoint;
import org.berth.domain.webhook.Webhook;
import org.berth.domain.webhook.WebhookDelivery;
import org.berth.domain.webhook.WebhookEventType;

/**
 * How the administration API shows each resource. Password hashes and secret hashes are never
 * part of a view; a new secret is added to the one create response by the caller.
 */
final class AdminJson {

    /** Looked up once: {@code Json.createX} looks the provider up on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private AdminJson() {
    }

    static JsonObject account(Account a) {
        return JSON.createObjectBuilder()
                .add("username", a.username())
                .add("sysadmin", a.sysadmin())
                .add("disabled", a.disabled())
                .add("created_at", instant(a.createdAt()))
                .build();
    }

    static JsonObject project(Project p) {
        return project(p, Optional.empty(), Optional.empty());
    }

    /** A project; a proxy cache also names its registry endpoint, the endpoint's URL and its tag TTL. */
    static JsonObject project(Project p, Optional<ProxyProject> proxy, Optional<String> registryUrl) {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("name", p.name())
                .add("public", p.isPublic())
                .add("created_at", instant(p.createdAt()));
        proxy.ifPresent(x -> json.add("registry", x.registry()).add("tag_ttl_seconds", x.tagTtl().toSeconds()));
        registryUrl.ifPresent(url -> json.add("registry_url", url));
        return json.build();
    }

    static JsonObject member(Member m) {
        return JSON.createObjectBuilder()
                .add("username", m.username())
                .add("role", m.role().jsonName())
                .build();
    }

    static JsonObjectBuilder robot(Robot r) {
        return JSON.createObjectBuilder()
                .add("name", r.loginName())
                .add("project", r.project())
                .add("actions", actions(r.actions()))
                .add("expires_at", instant(r.expiresAt()))
                .add("disabled", r.disabled())
                .add("created_at", instant(r.createdAt()));
    }

    static JsonObjectBuilder token(PersonalToken t) {
        return JSON.createObjectBuilder()
                .add("name", t.name())
                .add("actions", actions(t.actions()))
                .add("expires_at", instant(t.expiresAt()))
                .add("revoked", t.revoked())
                .add("created_at", instant(t.createdAt()));
    }

    /** A registry endpoint: whether it has a password, never the password. */
    static JsonObject registry(RegistryEndpoint e) {
        return JSON.createObjectBuilder()
                .add("name", e.name())
                .add("url", e.url().toString())
                .add("username", e.username().<JsonValue>map(JSON::createValue).orElse(JsonValue.NULL))
                .add("has_password", e.hasPassword())
                .add("verify_tls", e.verifyTls())
                .add("created_at", instant(e.createdAt()))
                .build();
    }

    /** A webhook: whether it has an Authorization header, never the header nor the secret. */
    static JsonObject webhook(Webhook w) {
        JsonArrayBuilder types = JSON.createArrayBuilder();
        w.eventTypes().stream().sorted().map(WebhookEventType::jsonName).forEach(types::add);
        return JSON.createObjectBuilder()
                .add("id", w.id())
                .add("name", w.name())
                .add("url", w.url().toString())
                .add("event_types", types)
                .add("has_auth_header", w.hasAuthHeader())
                .add("verify_tls", w.verifyTls())
                .add("format", w.format().jsonName())
                .add("enabled", w.enabled())
                .add("created_at", instant(w.createdAt()))
                .build();
    }

    /** One delivery of a webhook's log. */
    static JsonObject delivery(WebhookDelivery d) {
        return JSON.createObjectBuilder()
                .add("id", d.id())
                .add("event_id", d.eventId())
                .add("event_type", d.eventType() == null ? JsonValue.NULL : JSON.createValue(d.eventType().jsonName()))
                .add("state", d.state().jsonName())
                .add("attempts", d.attempts())
                .add("response_code", d.responseCode() == null ? JsonValue.NULL : JSON.createValue(d.responseCode()))
                .add("duration_ms", d.durationMs() == null ? JsonValue.NULL : JSON.createValue(d.durationMs()))
                .add("last_error", d.lastError() == null ? JsonValue.NULL : JSON.createValue(d.lastError()))
                .add("next_attempt_at", instant(d.nextAttemptAt()))
                .add("updated_at", instant(d.updatedAt()))
                .build();
    }

    static <T> String array(List<T> items, Function<T, JsonValue> view) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        items.forEach(item -> array.add(view.apply(item)));
        return array.build().toString();
    }

    private static JsonArrayBuilder actions(Set<Action> actions) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        actions.stream().sorted().map(Action::scopeName).forEach(array::add);
        return array;
    }

    /** ISO-8601 in UTC to the millisecond, the same in a create response as in later reads. */
    static JsonValue instant(Instant instant) {
        return instant == null ? JsonValue.NULL : JSON.createValue(instant.truncatedTo(ChronoUnit.MILLIS).toString());
    }
}
