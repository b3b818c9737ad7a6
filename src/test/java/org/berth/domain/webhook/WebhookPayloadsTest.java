package org.berth.domain.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

class WebhookPayloadsTest {

    private static final Instant AT = Instant.parse("2026-12-04T10:15:30.123Z");
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    private static WebhookEvent push() {
        return new WebhookEvent("6f1c2a4e-0000-4000-8000-000000000001", "team", WebhookEventType.PUSH_ARTIFACT, AT,
                Json.createObjectBuilder().add("repository", "team/app/api").add("tag", "v1").add("digest", DIGEST)
                        .add("media_type", "application/vnd.oci.image.manifest.v1+json").add("size", 1234)
                        .add("operator", "alice").add("public", false).build());
    }

    private static JsonObject parse(byte[] body) {
        return Json.createReader(new StringReader(new String(body, StandardCharsets.UTF_8))).readObject();
    }

    @Test
    void harborShape() {
        JsonObject json = parse(WebhookPayloads.body(WebhookFormat.HARBOR, push(), Optional.of("registry.example:5000")));
        assertEquals("PUSH_ARTIFACT", json.getString("type"));
        assertEquals(AT.getEpochSecond(), json.getJsonNumber("occur_at").longValue());
        assertEquals("alice", json.getString("operator"));
        JsonObject resource = json.getJsonObject("event_data").getJsonArray("resources").getJsonObject(0);
        assertEquals(DIGEST, resource.getString("digest"));
        assertEquals("v1", resource.getString("tag"));
        assertEquals("registry.example:5000/team/app/api:v1", resource.getString("resource_url"));
        JsonObject repository = json.getJsonObject("event_data").getJsonObject("repository");
        assertEquals("app/api", repository.getString("name"));
        assertEquals("team", repository.getString("namespace"));
        assertEquals("team/app/api", repository.getString("repo_full_name"));
        assertEquals("private", repository.getString("repo_type"));
        JsonObject custom = json.getJsonObject("event_data").getJsonObject("custom_attributes");
        assertEquals(1234, custom.getInt("size"));
        assertFalse(custom.containsKey("operator"));
    }

    @Test
    void harborByDigestWithoutAKnownHost() {
        WebhookEvent event = new WebhookEvent("id-2", "team", WebhookEventType.DELETE_ARTIFACT, AT,
                Json.createObjectBuilder().add("repository", "team/app").add("digest", DIGEST).add("public", true).build());
        JsonObject json = WebhookPayloads.harbor(event, Optional.empty());
        assertEquals("DELETE_ARTIFACT", json.getString("type"));
        JsonObject resource = json.getJsonObject("event_data").getJsonArray("resources").getJsonObject(0);
        assertEquals("team/app@" + DIGEST, resource.getString("resource_url"));
        assertFalse(resource.containsKey("tag"));
        assertEquals("public", json.getJsonObject("event_data").getJsonObject("repository").getString("repo_type"));
        assertEquals("", json.getString("operator"));
    }

    @Test
    void harborWithoutRepositoryPutsTheDataInCustomAttributes() {
        WebhookEvent event = new WebhookEvent("id-3", "team", WebhookEventType.RETENTION_RUN, AT,
                Json.createObjectBuilder().add("run_id", 7).add("state", "succeeded").add("operator", "system").build());
        JsonObject json = WebhookPayloads.harbor(event, Optional.empty());
        assertEquals("TAG_RETENTION", json.getString("type"));
        assertFalse(json.getJsonObject("event_data").containsKey("resources"));
        assertEquals(7, json.getJsonObject("event_data").getJsonObject("custom_attributes").getInt("run_id"));
    }

    @Test
    void cloudEventsStructuredMode() {
        JsonObject json = parse(WebhookPayloads.body(WebhookFormat.CLOUDEVENTS, push(), Optional.empty()));
        assertEquals("1.0", json.getString("specversion"));
        assertEquals(push().id(), json.getString("id"));
        assertEquals("/projects/team", json.getString("source"));
        assertEquals("org.berth.artifact.pushed", json.getString("type"));
        assertEquals("team/app/api:v1", json.getString("subject"));
        assertEquals("2026-12-04T10:15:30.123Z", json.getString("time"));
        assertEquals("application/json", json.getString("datacontenttype"));
        assertEquals(push().data(), json.getJsonObject("data"));
        assertEquals("application/cloudevents+json", WebhookFormat.CLOUDEVENTS.contentType());
    }

    @Test
    void everyTypeHasItsNames() {
        for (WebhookEventType type : WebhookEventType.values()) {
            assertEquals(Optional.of(type), WebhookEventType.byJsonName(type.jsonName()));
            assertTrue(type.cloudEventType().startsWith("org.berth."));
            assertFalse(type.harborType().isEmpty());
        }
        assertEquals("push_artifact", WebhookEventType.PUSH_ARTIFACT.jsonName());
        assertEquals(Optional.empty(), WebhookEventType.byJsonName("PUSH_ARTIFACT"));
    }
}
