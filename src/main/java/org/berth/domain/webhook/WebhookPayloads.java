package org.berth.domain.webhook;

import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * The bodies of a delivery, built from an event's format-neutral data (keys {@code repository},
 * {@code tag}, {@code digest}, {@code operator}, {@code public}, and per type more):
 * <ul>
 * <li>Harbor's webhook JSON ({@code type}, {@code occur_at} in epoch seconds, {@code operator},
 *     {@code event_data.resources[]} with {@code digest}, {@code tag}, {@code resource_url}, and
 *     {@code event_data.repository} with {@code name}, {@code namespace}, {@code repo_full_name},
 *     {@code repo_type}); what Harbor has no field for goes into {@code event_data.custom_attributes};</li>
 * <li>a CloudEvents 1.0 event in structured JSON mode (CloudEvents spec, "JSON Event Format"):
 *     {@code specversion}, {@code id} (the event id), {@code source} ({@code /projects/<project>}),
 *     {@code type}, {@code subject} (the artifact, when there is one), {@code time},
 *     {@code datacontenttype} and the data as is.</li>
 * </ul>
 */
public final class WebhookPayloads {

    private static final JsonProvider JSON = JsonProvider.provider();
    /** The keys Harbor's shape has a place for; the rest go to custom_attributes. */
    private static final Set<String> HARBOR_KEYS = Set.of("repository", "tag", "digest", "operator", "public");

    private WebhookPayloads() {
    }

    /**
     * @param registryHost the host (and port) clients pull from, for {@code resource_url}; empty
     *                     when Berth does not know its public address (the URL is then the path alone)
     */
    public static byte[] body(WebhookFormat format, WebhookEvent event, Optional<String> registryHost) {
        JsonObject json = format == WebhookFormat.HARBOR ? harbor(event, registryHost) : cloudEvent(event);
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static JsonObject harbor(WebhookEvent event, Optional<String> registryHost) {
        JsonObject data = event.data();
        JsonObjectBuilder eventData = JSON.createObjectBuilder();
        Optional<String> repository = string(data, "repository");
        if (repository.isPresent()) {
            String full = repository.get();
            int slash = full.indexOf('/');
            Optional<String> tag = string(data, "tag");
            Optional<String> digest = string(data, "digest");
            JsonObjectBuilder resource = JSON.createObjectBuilder();
            digest.ifPresent(d -> resource.add("digest", d));
            tag.ifPresent(t -> resource.add("tag", t));
            String reference = tag.map(t -> ":" + t).or(() -> digest.map(d -> "@" + d)).orElse("");
            resource.add("resource_url", registryHost.map(h -> h + "/").orElse("") + full + reference);
            eventData.add("resources", JSON.createArrayBuilder().add(resource));
            eventData.add("repository", JSON.createObjectBuilder()
                    .add("name", slash < 0 ? full : full.substring(slash + 1))
                    .add("namespace", event.project())
                    .add("repo_full_name", full)
                    .add("repo_type", data.getBoolean("public", false) ? "public" : "private"));
        }
        JsonObjectBuilder custom = JSON.createObjectBuilder();
        boolean anyCustom = false;
        for (var entry : data.entrySet()) {
            if (!HARBOR_KEYS.contains(entry.getKey())) {
                custom.add(entry.getKey(), entry.getValue());
                anyCustom = true;
            }
        }
        if (anyCustom) {
            eventData.add("custom_attributes", custom);
        }
        return JSON.createObjectBuilder()
                .add("type", event.type().harborType())
                .add("occur_at", event.occurredAt().getEpochSecond())
                .add("operator", string(data, "operator").orElse(""))
                .add("event_data", eventData)
                .build();
    }

    public static JsonObject cloudEvent(WebhookEvent event) {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("specversion", "1.0")
                .add("id", event.id())
                .add("source", "/projects/" + event.project())
                .add("type", event.type().cloudEventType());
        subject(event.data()).ifPresent(s -> json.add("subject", s));
        return json.add("time", event.occurredAt().truncatedTo(ChronoUnit.MILLIS).toString())
                .add("datacontenttype", "application/json")
                .add("data", event.data())
                .build();
    }

    /** {@code team/app:v1}, {@code team/app@sha256:...} or {@code team/app}; empty without a repository. */
    static Optional<String> subject(JsonObject data) {
        return string(data, "repository").map(r -> r + string(data, "tag").map(t -> ":" + t)
                .or(() -> string(data, "digest").map(d -> "@" + d)).orElse(""));
    }

    private static Optional<String> string(JsonObject data, String key) {
        JsonValue value = data.get(key);
        return value instanceof JsonString s ? Optional.of(s.getString()) : Optional.empty();
    }
}
