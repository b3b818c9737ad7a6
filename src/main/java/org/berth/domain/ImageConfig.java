package org.berth.domain;

import java.io.ByteArrayInputStream;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;

/**
 * What the administration API shows of an image's config blob (OCI image-spec config.md; Docker's
 * image JSON has the same fields): platform, creation time as written, and labels
 * ({@code config.Labels}). Read leniently: a config that is not an image config (an artifact's
 * empty {@code {}}, or not JSON at all) gives no values rather than an error.
 * <p>
 * A listing reads one config per artifact, so what is read and kept is bounded: configs above
 * {@link #MAX_BYTES} are not read, the parser streams past everything but these fields (history,
 * rootfs) without building it, a field longer than {@link #MAX_FIELD_CHARS} is left out, and labels
 * are kept only up to {@link #MAX_LABEL_CHARS} of keys and values ({@code labelsTruncated} then).
 *
 * @param created         the {@code created} string as the image has it (RFC 3339), or null
 * @param labelsTruncated whether labels were left out to stay within {@link #MAX_LABEL_CHARS}
 */
public record ImageConfig(String os, String architecture, String variant, String created, Map<String, String> labels,
                          boolean labelsTruncated) {

    /** Looked up once: {@code Json.createX} looks the provider up on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    /** Configs larger than this are not read: image configs are a few KiB, rarely tens. */
    public static final int MAX_BYTES = 256 * 1024;

    /** Labels kept, counted in the characters of their keys and values. */
    public static final int MAX_LABEL_CHARS = 16 * 1024;

    /** A platform or creation field longer than this is no real value and is left out. */
    public static final int MAX_FIELD_CHARS = 256;

    public ImageConfig {
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    /** @return empty when the bytes are not a JSON object, or more than {@link #MAX_BYTES} */
    public static Optional<ImageConfig> parse(byte[] bytes) {
        if (bytes == null || bytes.length > MAX_BYTES) {
            return Optional.empty();
        }
        try (JsonParser parser = JSON.createParser(new ByteArrayInputStream(bytes))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                return Optional.empty();
            }
            Map<String, String> fields = new HashMap<>();
            Labels labels = new Labels();
            for (JsonParser.Event event = parser.next(); event != JsonParser.Event.END_OBJECT; event = parser.next()) {
                String key = parser.getString();
                JsonParser.Event value = parser.next();
                switch (key) {
                    case "os", "architecture", "variant", "created" -> {
                        if (value == JsonParser.Event.VALUE_STRING && parser.getString().length() <= MAX_FIELD_CHARS) {
                            fields.put(key, parser.getString());
                        } else {
                            skip(parser, value);
                        }
                    }
                    case "config" -> {
                        if (value == JsonParser.Event.START_OBJECT) {
                            containerConfig(parser, labels);
                        } else {
                            skip(parser, value);
                        }
                    }
                    default -> skip(parser, value);
                }
            }
            return Optional.of(new ImageConfig(fields.get("os"), fields.get("architecture"), fields.get("variant"),
                    fields.get("created"), labels.kept, labels.truncated));
        } catch (JsonException | IllegalStateException | java.util.NoSuchElementException e) {
            return Optional.empty();
        }
    }

    /** Labels as they come, until their characters run out. */
    private static final class Labels {
        final Map<String, String> kept = new LinkedHashMap<>();
        int chars;
        boolean truncated;

        void add(String key, String value) {
            if (truncated || chars + key.length() + value.length() > MAX_LABEL_CHARS) {
                truncated = true;
                return;
            }
            chars += key.length() + value.length();
            kept.put(key, value);
        }
    }

    /** Inside {@code "config": {...}}: takes {@code Labels}, skips the rest, ends after its END_OBJECT. */
    private static void containerConfig(JsonParser parser, Labels labels) {
        for (JsonParser.Event event = parser.next(); event != JsonParser.Event.END_OBJECT; event = parser.next()) {
            String key = parser.getString();
            JsonParser.Event value = parser.next();
            if (key.equals("Labels") && value == JsonParser.Event.START_OBJECT) {
                for (JsonParser.Event e = parser.next(); e != JsonParser.Event.END_OBJECT; e = parser.next()) {
                    String label = parser.getString();
                    JsonParser.Event v = parser.next();
                    if (v == JsonParser.Event.VALUE_STRING) {
                        labels.add(label, parser.getString());
                    } else {
                        skip(parser, v);
                    }
                }
            } else {
                skip(parser, value);
            }
        }
    }

    /** Moves past a value whose first event was just read, without building it. */
    private static void skip(JsonParser parser, JsonParser.Event first) {
        if (first == JsonParser.Event.START_OBJECT) {
            parser.skipObject();
        } else if (first == JsonParser.Event.START_ARRAY) {
            parser.skipArray();
        }
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
