package org.berth.domain;

import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;

/**
 * What the administration API shows of an image's config blob (OCI image-spec config.md; Docker's
 * image JSON has the same fields): platform, creation time as written, and labels
 * ({@code config.Labels}). Read leniently: a config that is not an image config (an artifact's
 * empty {@code {}}, or not JSON at all) gives no values rather than an error.
 *
 * @param created the {@code created} string as the image has it (RFC 3339), or null
 */
public record ImageConfig(String os, String architecture, String variant, String created, Map<String, String> labels) {

    /** Looked up once: {@code Json.createX} looks the provider up on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    /** Configs larger than this are not read: image configs are a few KiB. */
    public static final int MAX_BYTES = 4 * 1024 * 1024;

    public ImageConfig {
        labels = Map.copyOf(labels);
    }

    /** @return empty when the bytes are not a JSON object */
    public static Optional<ImageConfig> parse(byte[] bytes) {
        if (bytes == null || bytes.length > MAX_BYTES) {
            return Optional.empty();
        }
        Optional<JsonObject> json = object(bytes);
        if (json.isEmpty()) {
            return Optional.empty();
        }
        JsonObject config = json.get();
        Map<String, String> labels = new LinkedHashMap<>();
        JsonValue inner = config.get("config");
        if (inner instanceof JsonObject c && c.get("Labels") instanceof JsonObject l) {
            l.forEach((k, v) -> {
                if (v instanceof JsonString s) {
                    labels.put(k, s.getString());
                }
            });
        }
        return Optional.of(new ImageConfig(string(config, "os"), string(config, "architecture"),
                string(config, "variant"), string(config, "created"), labels));
    }

    static Optional<JsonObject> object(byte[] bytes) {
        try (JsonParser parser = JSON.createParser(new ByteArrayInputStream(bytes))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                return Optional.empty();
            }
            return Optional.of(parser.getObject());
        } catch (JsonException | IllegalStateException | java.util.NoSuchElementException e) {
            return Optional.empty();
        }
    }

    static String string(JsonObject json, String field) {
        return json.get(field) instanceof JsonString s ? s.getString() : null;
    }
}
