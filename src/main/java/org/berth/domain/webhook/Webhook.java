package org.berth.domain.webhook;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.berth.domain.HttpUrls;
import org.berth.domain.RegistryException;

/**
 * A project's webhook (issue 21) as the administration API shows it: whether it has an
 * Authorization header, never the header; never its secret.
 *
 * @param id          its number, unique in Berth
 * @param name        unique in its project: letters, digits, {@code . _ -}, at most {@link #MAX_NAME}
 * @param url         where the events are POSTed, as {@link #parseUrl} accepted it
 * @param eventTypes  what it is told about; at least one
 * @param createdAt   when it was created
 */
public record Webhook(long id, String project, String name, URI url, Set<WebhookEventType> eventTypes,
                      boolean hasAuthHeader, boolean verifyTls, WebhookFormat format, boolean enabled, Instant createdAt) {

    /** Webhooks a project may have: each event is one row per webhook, so the fan-out stays small. */
    public static final int MAX_PER_PROJECT = 20;
    public static final int MAX_NAME = 100;
    public static final int MAX_URL = 2048;
    /** Longest Authorization header value, in bytes of UTF-8 (sealed it fits the column). */
    public static final int MAX_AUTH_HEADER_BYTES = 4096;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public Webhook {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        eventTypes = Set.copyOf(eventTypes);
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Whether an event of this type goes to this webhook. */
    public boolean wants(WebhookEventType type) {
        return enabled && eventTypes.contains(type);
    }

    /** @throws RegistryException.InvalidRequest unless the name is 1 to 100 letters, digits, . _ - */
    public static String checkName(String name) {
        if (name == null || name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
            throw new RegistryException.InvalidRequest("invalid webhook name: use letters, digits, '.', '_' and '-',"
                    + " starting with a letter or digit, at most " + MAX_NAME + " characters");
        }
        return name;
    }

    /**
     * The target URL: absolute {@code http} or {@code https} with a host, without user-info (an
     * Authorization header goes in {@code auth_header}, where it is sealed) and without fragment;
     * a query is kept (some receivers take a token there, which is then stored in clear: say so).
     * Loopback and private addresses are allowed: an operator who must keep webhooks from reaching
     * internal services restricts Berth's egress (a proxy or firewall), as the README says.
     *
     * @throws RegistryException.InvalidRequest naming what is wrong, never echoing the text
     */
    public static URI parseUrl(String text) {
        URI uri = HttpUrls.parse(text, "url", MAX_URL, "'auth_header'", "https://hooks.example.com/berth");
        return uri;
    }

    /**
     * The event types of a webhook: at least one, each a JSON name of {@link WebhookEventType}.
     *
     * @throws RegistryException.InvalidRequest naming the types there are
     */
    public static Set<WebhookEventType> parseEventTypes(List<String> names) {
        if (names == null || names.isEmpty()) {
            throw new RegistryException.InvalidRequest("'event_types' must list at least one of " + allTypes());
        }
        if (names.size() > WebhookEventType.values().length * 2) {
            throw new RegistryException.InvalidRequest("'event_types' lists too many types");
        }
        Set<WebhookEventType> types = EnumSet.noneOf(WebhookEventType.class);
        for (String name : names) {
            types.add(WebhookEventType.byJsonName(name).orElseThrow(() ->
                    new RegistryException.InvalidRequest("'event_types' may hold only " + allTypes())));
        }
        return types;
    }

    /** @throws RegistryException.InvalidRequest unless {@code harbor} or {@code cloudevents} */
    public static WebhookFormat parseFormat(String name) {
        return WebhookFormat.byJsonName(name).orElseThrow(() ->
                new RegistryException.InvalidRequest("'format' must be \"harbor\" or \"cloudevents\""));
    }

    /**
     * An Authorization header value: at most {@link #MAX_AUTH_HEADER_BYTES} bytes, no control
     * character (a CR or LF would split the request). The message never quotes it.
     */
    public static String checkAuthHeader(String value) {
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_AUTH_HEADER_BYTES) {
            throw new RegistryException.InvalidRequest("'auth_header' is longer than " + MAX_AUTH_HEADER_BYTES + " bytes");
        }
        if (value.chars().anyMatch(c -> Character.isISOControl(c) || c > 0x7e)) {
            throw new RegistryException.InvalidRequest("'auth_header' must be printable ASCII");
        }
        return value;
    }

    private static String allTypes() {
        return String.join(", ", EnumSet.allOf(WebhookEventType.class).stream().map(WebhookEventType::jsonName).toList());
    }
}
